package org.lipot.transport.entropic;

import java.lang.ref.SoftReference;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code n x m} stabilised kernel of {@link KernelIteration}, one array per row, stored in float64 or float32
 * behind the two loops of a sweep that touch every entry. Every value read is widened to double and every product
 * and sum is computed in double: only the stored entries are rounded, to {@code 2^-53} or {@code 2^-24} relative.
 * Each method handles whole rows (four at a time), so the call is not in the inner loop, and each implementation's
 * loops are plain loops over its own primitive arrays: float and double twins, as EJML has them.
 *
 * <p>Measured against the two ways to write these loops once (2026-12-02, the benchmark's n = m = 2000 and 5000,
 * eps 0.001, 660 sweeps, JDK 17.0.15 and 25.0.3, load 1-2, one precision per JVM): reading entries through
 * {@link #get} in the loops of {@link KernelIteration} made float64 solves 10-30 % slower on JDK 17 at n = 5000 and
 * float32 ones 30-60 % slower on JDK 25; widening four float rows into a double buffer for shared double loops made
 * float32 solves 10-50 % slower on JDK 17 and 55-80 % slower on JDK 25. So the twins stay.
 *
 * <p>A row is an array of its own because C2 (JDK 17) vectorises the accumulation {@code s_j += sum_r t_r K_rj} over
 * four row arrays at a common index, but not over four offsets into one array, which it cannot tell apart from the
 * store into {@code s}: in cache, 0.056 ns an entry against 0.19 (2026-12-04, 2000 columns, float64). The row sums
 * are reductions, which C2 keeps scalar either way.
 *
 * <p>Rows are written concurrently by distinct threads for distinct rows; entries by one thread.
 */
abstract sealed class KernelStore permits KernelStore.Float64, KernelStore.Float32 {

    /**
     * The rows of the last {@link #release released} kernel, softly held for the next solve of the same shape: a
     * fresh 32 MB kernel costs 50-90 ms on this machine while the JVM's heap grows (page faults and zeroing), more
     * than a whole n = 2000 solve, and a user who solves many problems solves many of one size.
     */
    private static final AtomicReference<SoftReference<Object>> SPARE = new AtomicReference<>();

    /**
     * A {@code rows x columns} kernel in the given precision, <b>whose values are unspecified until written</b> (it
     * may be a released kernel's rows): {@link KernelIteration} writes every row before it reads one.
     */
    static KernelStore of(Sinkhorn.Precision precision, int rows, int columns) {
        SoftReference<Object> spare = SPARE.getAndSet(null);
        Object array = spare == null ? null : spare.get();
        boolean float32 = precision == Sinkhorn.Precision.FLOAT32;
        if (float32 && array instanceof float[][] f && f.length == rows && f[0].length == columns) {
            return new Float32(f);
        }
        if (!float32 && array instanceof double[][] d && d.length == rows && d[0].length == columns) {
            return new Float64(d);
        }
        if (array != null) {
            SPARE.compareAndSet(null, spare); // another shape (a coarse level's): keep it for its owner
        }
        return float32 ? new Float32(new float[rows][columns]) : new Float64(new double[rows][columns]);
    }

    /**
     * Offers this kernel's rows to the next {@link #of}, unless a larger kernel is on offer (a coarse level's kernel
     * does not push out the fine level's); this store must not be used afterwards.
     */
    final void release() {
        SPARE.updateAndGet(spare -> {
            Object other = spare == null ? null : spare.get();
            return other != null && entries(other) > entries(array()) ? spare : new SoftReference<>(array());
        });
    }

    private static long entries(Object rows) {
        if (rows instanceof double[][] d) {
            return (long) d.length * d[0].length;
        }
        float[][] f = (float[][]) rows;
        return (long) f.length * f[0].length;
    }

    /** The rows. */
    abstract Object array();

    /**
     * The bound on the scalings {@code u}, {@code v} beyond which {@link KernelIteration} absorbs them into the
     * potentials and rebuilds the kernel. A kernel entry smaller than the storage can hold is lost, and the plan
     * entry it stands for is that entry times {@code u_i v_j <= bound^2}: the bound keeps that product small against
     * the storage's smallest normal value.
     */
    abstract double absorbBound();

    /**
     * {@code out[k] = sum_j K[r_k][j] w_j}, {@code j < m}, for the four rows {@code r0..r3}, in one pass: each
     * {@code w_j} is loaded once for four independent sums (a single running sum is one dependent add per entry,
     * which the JIT keeps scalar and in order).
     */
    abstract void rowSums(int r0, int r1, int r2, int r3, double[] w, int m, double[] out);

    /** {@code s[j] += t0 K[r0][j] + t1 K[r1][j] + t2 K[r2][j] + t3 K[r3][j]} for {@code j < m}. */
    abstract void accumulate(double[] s, double t0, int r0, double t1, int r1, double t2, int r2, double t3, int r3,
                             int m);

    /** {@code K[row][from + q] = values[q] * scale} for {@code q < len}. */
    abstract void setRow(int row, int from, double[] values, double scale, int len);

    /** {@code K[row][from + q] = t[from + q] f[from + q] scale} for {@code q < len} ({@link CloudKernel}). */
    abstract void setProducts(int row, double[] t, double[] f, int from, double scale, int len);

    /** {@code K[row][column] = value}. */
    abstract void set(int row, int column, double value);

    /** {@code K[row][column]}, widened to double (for the few reads outside the sweeps). */
    abstract double get(int row, int column);

    /** Float64 storage: {@code 8 n m} bytes. */
    static final class Float64 extends KernelStore {
        private final double[][] k;

        Float64(double[][] k) {
            this.k = k;
        }

        @Override
        void setProducts(int row, double[] t, double[] f, int from, double scale, int len) {
            double[] kr = k[row];
            for (int q = from; q < from + len; q++) {
                kr[q] = t[q] * f[q] * scale;
            }
        }

        @Override
        Object array() {
            return k;
        }

        @Override
        double absorbBound() {
            return 1e50; // (1e50)^2 x 1e-308: a lost entry stands for at most 1e-208 of a_i b_j
        }

        @Override
        void rowSums(int r0, int r1, int r2, int r3, double[] w, int m, double[] out) {
            double[] k0 = k[r0];
            double[] k1 = k[r1];
            double[] k2 = k[r2];
            double[] k3 = k[r3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < m; j++) {
                double wj = w[j];
                s0 += k0[j] * wj;
                s1 += k1[j] * wj;
                s2 += k2[j] * wj;
                s3 += k3[j] * wj;
            }
            out[0] = s0;
            out[1] = s1;
            out[2] = s2;
            out[3] = s3;
        }

        @Override
        void accumulate(double[] s, double t0, int r0, double t1, int r1, double t2, int r2, double t3, int r3,
                        int m) {
            double[] k0 = k[r0];
            double[] k1 = k[r1];
            double[] k2 = k[r2];
            double[] k3 = k[r3];
            for (int j = 0; j < m; j++) {
                s[j] += (t0 * k0[j] + t1 * k1[j]) + (t2 * k2[j] + t3 * k3[j]);
            }
        }

        @Override
        void setRow(int row, int from, double[] values, double scale, int len) {
            double[] kr = k[row];
            for (int q = 0; q < len; q++) {
                kr[from + q] = values[q] * scale;
            }
        }

        @Override
        void set(int row, int column, double value) {
            k[row][column] = value;
        }

        @Override
        double get(int row, int column) {
            return k[row][column];
        }
    }

    /**
     * Float32 storage: {@code 4 n m} bytes, half the memory and the bandwidth of a sweep. A value above
     * {@link Float#MAX_VALUE} is stored as {@code Float.MAX_VALUE} rather than infinity (an entry {@code K_ij} of a
     * normalised row satisfies {@code K_ij w_j <= 1}, so this binds only for columns of weight {@code w_j} below
     * {@code 3e-39}, which carry no mass, and keeps {@code 0 x K_ij} a zero).
     */
    static final class Float32 extends KernelStore {
        private static final double MAX = Float.MAX_VALUE;
        private final float[][] k;

        Float32(float[][] k) {
            this.k = k;
        }

        @Override
        void setProducts(int row, double[] t, double[] f, int from, double scale, int len) {
            float[] kr = k[row];
            for (int q = from; q < from + len; q++) {
                // past the float range: infinity, caught by the row sum
                kr[q] = (float) (t[q] * f[q] * scale);
            }
        }

        @Override
        Object array() {
            return k;
        }

        @Override
        double absorbBound() {
            return 1e10; // (1e10)^2 x 1.2e-38: a lost entry stands for at most 1.2e-18 of a_i b_j
        }

        @Override
        void rowSums(int r0, int r1, int r2, int r3, double[] w, int m, double[] out) {
            float[] k0 = k[r0];
            float[] k1 = k[r1];
            float[] k2 = k[r2];
            float[] k3 = k[r3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < m; j++) {
                double wj = w[j];
                s0 += k0[j] * wj;
                s1 += k1[j] * wj;
                s2 += k2[j] * wj;
                s3 += k3[j] * wj;
            }
            out[0] = s0;
            out[1] = s1;
            out[2] = s2;
            out[3] = s3;
        }

        @Override
        void accumulate(double[] s, double t0, int r0, double t1, int r1, double t2, int r2, double t3, int r3,
                        int m) {
            float[] k0 = k[r0];
            float[] k1 = k[r1];
            float[] k2 = k[r2];
            float[] k3 = k[r3];
            for (int j = 0; j < m; j++) {
                s[j] += (t0 * k0[j] + t1 * k1[j]) + (t2 * k2[j] + t3 * k3[j]);
            }
        }

        @Override
        void setRow(int row, int from, double[] values, double scale, int len) {
            float[] kr = k[row];
            for (int q = 0; q < len; q++) {
                kr[from + q] = (float) Math.min(values[q] * scale, MAX);
            }
        }

        @Override
        void set(int row, int column, double value) {
            k[row][column] = (float) Math.min(value, MAX);
        }

        @Override
        double get(int row, int column) {
            return k[row][column];
        }
    }
}
