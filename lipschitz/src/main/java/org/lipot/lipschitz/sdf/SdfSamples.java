package org.lipot.lipschitz.sdf;

import java.util.SplittableRandom;

import org.lipot.lipschitz.train.Batch;
import org.lipot.lipschitz.train.BatchSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training points of an SDF fit, drawn afresh every epoch: a share uniform in the shape's bounding box padded
 * on every side, the rest on the surface moved by Gaussian noise at two scales, each labelled inside or outside by the shape's
 * winding number. Inputs are in unit coordinates {@code u = (x - centre) / scale} ({@code scale} = half the
 * bounding box's diagonal), float32; targets are {@code +1} outside and {@code -1} inside, the signs of a signed
 * distance ({@link org.lipot.lipschitz.loss.HKR}).
 */
final class SdfSamples implements BatchSource {

    private final SurfaceShape shape;
    private final int points;
    private final int batchSize;
    private final double nearShare;
    private final double noise;
    private final double padding;
    private final double[] centre;
    private final double scale;
    private INDArray inputs;
    private INDArray targets;

    /**
     * @param points    points per epoch
     * @param nearShare the share of near-surface points, in {@code [0, 1]}
     * @param noise     the standard deviation of the near-surface noise, a fraction of the diagonal
     * @param padding   the box padding on every side, a fraction of the diagonal
     */
    SdfSamples(SurfaceShape shape, int points, int batchSize, double nearShare, double noise, double padding,
               double[] centre, double scale) {
        this.shape = shape;
        this.points = points;
        this.batchSize = batchSize;
        this.nearShare = nearShare;
        this.noise = noise;
        this.padding = padding;
        this.centre = centre;
        this.scale = scale;
    }

    @Override
    public int batches() {
        return (points + batchSize - 1) / batchSize;
    }

    @Override
    public void beginEpoch(int epoch, SplittableRandom random) {
        // the finer scale puts inside points into parts thinner than the noise (a spider's legs)
        double[][] x = draw(shape, points, nearShare, noise, noise / 4, padding, random);
        boolean[] in = shape.inside(x);
        int d = shape.dimension();
        float[] u = new float[points * d];
        float[] s = new float[points];
        for (int p = 0; p < points; p++) {
            for (int k = 0; k < d; k++) {
                u[p * d + k] = (float) ((x[p][k] - centre[k]) / scale);
            }
            s[p] = in[p] ? -1 : 1;
        }
        inputs = Nd4j.create(u, new long[] {points, d});
        targets = Nd4j.create(s, new long[] {points, 1});
    }

    @Override
    public Batch batch(int index) {
        long from = (long) index * batchSize;
        long to = Math.min(points, from + batchSize);
        // views of the epoch's arrays, which live until the next epoch: no copy per batch
        return new Batch(inputs.get(NDArrayIndex.interval(from, to)), targets.get(NDArrayIndex.interval(from, to)), null);
    }

    /**
     * {@code count} points around {@code shape}: each, with probability {@code nearShare}, a surface point plus
     * Gaussian noise of standard deviation {@code noise} or (as often) {@code fineNoise} times the diagonal, else
     * uniform in the bounding box padded by {@code padding} times the diagonal.
     */
    static double[][] draw(SurfaceShape shape, int count, double nearShare, double noise, double fineNoise,
                           double padding, SplittableRandom random) {
        int d = shape.dimension();
        double[] b = shape.bounds();
        double diag = shape.diagonal();
        double[][] surface = shape.surfacePoints(count, random);
        double[][] out = new double[count][d];
        for (int p = 0; p < count; p++) {
            boolean near = random.nextDouble() < nearShare;
            double sigma = (random.nextBoolean() ? noise : fineNoise) * diag;
            for (int k = 0; k < d; k++) {
                out[p][k] = near ? surface[p][k] + sigma * random.nextGaussian()
                        : b[k] - padding * diag + random.nextDouble() * (b[d + k] - b[k] + 2 * padding * diag);
            }
        }
        return out;
    }
}
