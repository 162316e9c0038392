package org.lipot.lipschitz.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A labelled classification data set: {@code N} samples of {@code D} features with integer classes.
 *
 * <p>The features are an {@code N x D} array (float32 for the loaders of this package; for images the
 * {@code D} pixels are in C, H, W order, scaled to [0, 1]). The array is <b>shared, not copied</b>: treat
 * it as read-only (copying 60000 x 784 floats on every access would cost 188 MB). The labels are copied.
 *
 * @param features   {@code N x D}
 * @param labels     class of each sample, in {@code [0, numClasses)}; length {@code N}
 * @param numClasses {@code C >= 1}
 * @param imageShape {@code {channels, height, width}} with product {@code D} when the features are images,
 *                   otherwise {@code null}
 */
public record Dataset(INDArray features, int[] labels, int numClasses, int[] imageShape) {

    public Dataset {
        if (features == null || labels == null) {
            throw new IllegalArgumentException((features == null ? "features" : "labels") + " must not be null");
        }
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be N x D (rank 2), got shape "
                    + Arrays.toString(features.shape()));
        }
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException("features has " + features.rows() + " rows but labels has length "
                    + labels.length);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("labels: entry " + i + " is " + labels[i] + ", outside [0, "
                        + numClasses + ")");
            }
        }
        if (imageShape != null) {
            if (imageShape.length != 3) {
                throw new IllegalArgumentException("imageShape must be {channels, height, width}, got "
                        + Arrays.toString(imageShape));
            }
            long product = (long) imageShape[0] * imageShape[1] * imageShape[2];
            if (imageShape[0] < 1 || imageShape[1] < 1 || imageShape[2] < 1 || product != features.columns()) {
                throw new IllegalArgumentException("imageShape " + Arrays.toString(imageShape) + " does not match "
                        + features.columns() + " features per sample");
            }
            imageShape = imageShape.clone();
        }
    }

    /** A copy of the labels. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the image shape, or {@code null}. */
    @Override
    public int[] imageShape() {
        return imageShape == null ? null : imageShape.clone();
    }

    /** The class of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** {@code N}, the number of samples. */
    public int size() {
        return labels.length;
    }

    /** {@code D}, the number of features per sample. */
    public int numFeatures() {
        return (int) features.columns();
    }

    /** Number of samples of each class, length {@code numClasses}. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** One-hot labels of the given samples ({@code indices.length x C}), as the losses take them. */
    public INDArray oneHot(int[] indices, DataType type) {
        double[] v = new double[indices.length * numClasses];
        for (int r = 0; r < indices.length; r++) {
            v[r * numClasses + labels[indices[r]]] = 1.0;
        }
        return Nd4j.create(v, new long[] {indices.length, numClasses}, type);
    }

    /** The samples at {@code indices}, in that order (features copied). */
    public Dataset subset(int... indices) {
        int[] l = new int[indices.length];
        for (int r = 0; r < indices.length; r++) {
            if (indices[r] < 0 || indices[r] >= labels.length) {
                throw new IllegalArgumentException("indices: entry " + r + " is " + indices[r] + ", outside [0, "
                        + labels.length + ")");
            }
            l[r] = labels[indices[r]];
        }
        INDArray f = indices.length == 0 ? Nd4j.create(features.dataType(), 0, features.columns())
                : features.getRows(indices);
        return new Dataset(f, l, numClasses, imageShape);
    }

    /** The first {@code n} samples (all of them if {@code n <= 0} or {@code n >= size()}). */
    public Dataset limit(int n) {
        if (n <= 0 || n >= labels.length) {
            return this;
        }
        INDArray f = features.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup('c');
        return new Dataset(f, Arrays.copyOf(labels, n), numClasses, imageShape);
    }

    /**
     * A deterministic stratified split: within each class the samples are shuffled with
     * {@code java.util.Random(seed)} (Fisher-Yates; Random's sequence is fixed by its specification, so the
     * split is the same on every JVM) and {@code round(testFraction * n_class)} of them go to the test set.
     * Both parts keep the original order of the samples.
     *
     * @param testFraction in {@code (0, 1)}
     * @param seed         the shuffle seed
     */
    public TrainTest split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        Random rng = new Random(seed);
        boolean[] isTest = new boolean[labels.length];
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = idx.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            long nTest = Math.round(testFraction * idx.length);
            for (int i = 0; i < nTest; i++) {
                isTest[idx[i]] = true;
            }
        }
        int nTest = 0;
        for (boolean t : isTest) {
            nTest += t ? 1 : 0;
        }
        int[] test = new int[nTest];
        int[] train = new int[labels.length - nTest];
        for (int i = 0, a = 0, b = 0; i < labels.length; i++) {
            if (isTest[i]) {
                test[a++] = i;
            } else {
                train[b++] = i;
            }
        }
        return new TrainTest(subset(train), subset(test));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && numClasses == d.numClasses && Arrays.equals(labels, d.labels)
                && Arrays.equals(imageShape, d.imageShape) && features.equals(d.features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + numClasses;
    }

    @Override
    public String toString() {
        return "Dataset[n=" + labels.length + ", features=" + features.columns() + ", classes=" + numClasses
                + (imageShape == null ? "" : ", image=" + Arrays.toString(imageShape)) + "]";
    }
}
