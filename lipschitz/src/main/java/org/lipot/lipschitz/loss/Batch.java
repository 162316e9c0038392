package org.lipot.lipschitz.loss;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A validated batch {@code (yPred, yTrue)} copied to row-major doubles, and the plumbing every loss shares:
 * the loops are plain Java over these arrays (a 256 x 10 batch costs less than one ND4J op per loss).
 */
final class Batch {

    /** The arithmetic of one loss: fills {@code perSample} (and {@code grad} if not null), returns the value. */
    @FunctionalInterface
    interface Kernel {
        double compute(Batch batch, double[] perSample, double[] grad);
    }

    /** Outputs {@code f}, row-major {@code rows x cols}. */
    final double[] f;
    /** Labels, row-major {@code rows x cols}. */
    final double[] y;
    final int rows;
    final int cols;
    private final long[] predShape;
    private final DataType dtype;

    private Batch(double[] f, double[] y, int rows, int cols, long[] predShape, DataType dtype) {
        this.f = f;
        this.y = y;
        this.rows = rows;
        this.cols = cols;
        this.predShape = predShape;
        this.dtype = dtype;
    }

    /** A binary batch: {@code yPred} and {@code yTrue} are {@code B x 1} or vectors of length {@code B}. */
    static Batch binary(INDArray yPred, INDArray yTrue) {
        requireNonNull(yPred, yTrue);
        long b = binaryLength(yPred, "yPred");
        long bt = binaryLength(yTrue, "yTrue");
        if (b != bt) {
            throw new IllegalArgumentException("yPred has " + b + " samples " + Arrays.toString(yPred.shape())
                    + " but yTrue has " + bt + " " + Arrays.toString(yTrue.shape()));
        }
        return of(yPred, yTrue, (int) b, 1);
    }

    /** A multiclass batch: {@code yPred} and {@code yTrue} are both {@code B x C}. */
    static Batch multiclass(INDArray yPred, INDArray yTrue) {
        requireNonNull(yPred, yTrue);
        if (yPred.rank() != 2) {
            throw new IllegalArgumentException("yPred must be B x C (rank 2), got shape "
                    + Arrays.toString(yPred.shape()));
        }
        if (!Arrays.equals(yPred.shape(), yTrue.shape())) {
            throw new IllegalArgumentException("yPred is " + yPred.rows() + " x " + yPred.columns()
                    + " but yTrue has shape " + Arrays.toString(yTrue.shape()) + " (one-hot B x C expected)");
        }
        if (yPred.rows() == 0 || yPred.columns() == 0) {
            throw new IllegalArgumentException("yPred must not be empty, got " + yPred.rows() + " x "
                    + yPred.columns());
        }
        return of(yPred, yTrue, (int) yPred.rows(), (int) yPred.columns());
    }

    private static void requireNonNull(INDArray yPred, INDArray yTrue) {
        if (yPred == null || yTrue == null) {
            throw new IllegalArgumentException((yPred == null ? "yPred" : "yTrue") + " must not be null");
        }
    }

    private static long binaryLength(INDArray a, String name) {
        long n = a.length();
        boolean ok = a.rank() == 1 || (a.rank() == 2 && a.columns() == 1);
        if (!ok) {
            throw new IllegalArgumentException(name + " must be B x 1 or a vector of length B for a binary loss, got"
                    + " shape " + Arrays.toString(a.shape()));
        }
        if (n == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return n;
    }

    private static Batch of(INDArray yPred, INDArray yTrue, int rows, int cols) {
        if (!yPred.dataType().isFPType()) {
            throw new IllegalArgumentException("yPred must have a floating-point data type, got " + yPred.dataType());
        }
        double[] f = doubles(yPred);
        double[] y = doubles(yTrue);
        checkFinite(f, "yPred", cols);
        checkFinite(y, "yTrue", cols);
        return new Batch(f, y, rows, cols, yPred.shape(), yPred.dataType());
    }

    /**
     * Row-major doubles of any array (a copy when the array is a view or not in C order). float32 and
     * float64 arrays are read in bulk through a NIO view of their buffer: the element-wise {@code asDouble()}
     * costs about 20 us for a 256 x 10 batch, the bulk read under 1 us.
     */
    static double[] doubles(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        int n = (int) c.length();
        double[] out = new double[n];
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(out, 0, n);
        } else if (c.dataType() == DataType.FLOAT) {
            float[] f = new float[n];
            c.data().asNioFloat().get(f, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else {
            out = c.data().asDouble();
        }
        return out;
    }

    /** A fresh C-order array of {@code shape} and {@code type} holding {@code v} (bulk write for float32/64). */
    static INDArray array(double[] v, long[] shape, DataType type) {
        if (type == DataType.DOUBLE) {
            INDArray a = Nd4j.createUninitialized(type, shape, 'c');
            a.data().asNioDouble().put(v, 0, v.length);
            return a;
        }
        if (type == DataType.FLOAT) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            INDArray a = Nd4j.createUninitialized(type, shape, 'c');
            a.data().asNioFloat().put(f, 0, f.length);
            return a;
        }
        return Nd4j.create(v, shape, type);
    }

    private static void checkFinite(double[] v, String name, int cols) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(name + ": entry (" + i / cols + ", " + i % cols + ") is " + v[i]);
            }
        }
    }

    /** True if the label entry at flat index {@code i} is positive ({@code y > 0}). */
    boolean positive(int i) {
        return y[i] > 0;
    }

    /**
     * The class of each row: the index of its single positive entry.
     *
     * @throws IllegalArgumentException if a row has no positive entry or more than one
     */
    int[] labels() {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            int found = -1;
            for (int k = 0; k < cols; k++) {
                if (y[i * cols + k] > 0) {
                    if (found >= 0) {
                        throw new IllegalArgumentException("yTrue: row " + i + " has more than one positive entry"
                                + " (columns " + found + " and " + k + "); this loss needs one-hot labels");
                    }
                    found = k;
                }
            }
            if (found < 0) {
                throw new IllegalArgumentException("yTrue: row " + i + " has no positive entry; this loss needs"
                        + " one-hot labels");
            }
            out[i] = found;
        }
        return out;
    }

    /** @throws IllegalArgumentException if there are fewer than {@code min} columns */
    Batch requireClasses(int min, String why) {
        if (cols < min) {
            throw new IllegalArgumentException("yPred must have at least " + min + " columns (" + why + "), got "
                    + rows + " x " + cols);
        }
        return this;
    }

    static double value(Batch b, Kernel k) {
        return k.compute(b, new double[b.rows], null);
    }

    static INDArray perSample(Batch b, Kernel k) {
        double[] per = new double[b.rows];
        k.compute(b, per, null);
        return array(per, new long[] {b.rows}, b.dtype);
    }

    static LossEvaluation evaluate(Batch b, Kernel k) {
        double[] grad = new double[b.f.length];
        double v = k.compute(b, new double[b.rows], grad);
        return new LossEvaluation(v, array(grad, b.predShape, b.dtype));
    }

    static double relu(double x) {
        return x > 0 ? x : 0.0;
    }

    /** Margin entries must be finite and non-negative. */
    static double checkMargin(double margin) {
        if (!(margin >= 0) || margin == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("margin must be finite and >= 0, got " + margin);
        }
        return margin;
    }

    /** Temperatures must be finite and positive. */
    static double checkPositive(String name, double v) {
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
        return v;
    }
}
