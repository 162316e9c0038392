package org.lipot.lipschitz.certify;

import java.util.SplittableRandom;

import org.lipot.lipschitz.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Empirical lower estimates of a network's Lipschitz constant, for diagnostics and tests: each is attained by
 * actual inputs, so each must stay at or below the sound bound ({@link org.lipot.lipschitz.nn.Layer#lipschitzBound()}).
 * A value above the bound means the bound is wrong. They run the model in inference mode in its own data type; the
 * norms and ratios are computed in double precision.
 */
public final class EmpiricalLipschitz {

    /**
     * Rows per pass of {@link #marginGradients}: a float64 conv activation of 64 Fashion-MNIST images with 32
     * channels is 13 MB, below the 32 MB above which glibc maps fresh pages for every allocation.
     */
    private static final int ROWS = 64;

    private EmpiricalLipschitz() {
    }

    /**
     * {@code max over rows x and pairs i < j of ||grad (f_i - f_j)(x)||_2 / sqrt(2)}: the local Lipschitz constant of
     * the margins that multiclass certificates divide by (the benchmark peer's {@code empirical_lipschitz}). For a
     * network that is L-Lipschitz as a whole it is at most L, since {@code ||J^T (e_i - e_j)|| <= ||J|| sqrt(2)}.
     *
     * @param x inputs, one per row (at least one row)
     * @throws IllegalArgumentException if {@code x} is empty or the model has fewer than 2 outputs
     */
    public static double marginGradients(Layer model, INDArray x) {
        if (x.size(0) == 0) {
            throw new IllegalArgumentException("x must have at least one row");
        }
        double best = 0;
        long n = x.size(0);
        for (long from = 0; from < n; from += ROWS) {
            INDArray rows = x.get(NDArrayIndex.interval(from, Math.min(n, from + ROWS)));
            INDArray out = model.forward(rows, false);
            int c = (int) out.size(1);
            if (c < 2) {
                throw new IllegalArgumentException("marginGradients needs at least 2 outputs, the model has " + c);
            }
            // backward is linear in its argument and refers to the last forward pass: one pass per output gives
            // grad f_i, and the gradient of the margin f_i - f_j is their difference
            double[][] grads = new double[c][];
            for (int i = 0; i < c; i++) {
                INDArray g = Nd4j.zeros(out.dataType(), out.shape());
                g.getColumn(i).assign(1);
                INDArray grad = model.backward(g);
                grads[i] = grad.castTo(DataType.DOUBLE).ravel().toDoubleVector();
            }
            int r = (int) out.size(0);
            int d = grads[0].length / r;
            for (int i = 0; i < c; i++) {
                for (int j = i + 1; j < c; j++) {
                    for (int q = 0; q < r; q++) {
                        double ss = 0;
                        for (int k = q * d; k < (q + 1) * d; k++) {
                            double t = grads[i][k] - grads[j][k];
                            ss += t * t;
                        }
                        best = Math.max(best, Math.sqrt(ss / 2));
                    }
                }
            }
        }
        return best;
    }

    /**
     * A projected-gradient attack on the Lipschitz ratio: starting from {@code y = x + delta} with a random
     * {@code delta} of norm {@code radius}, maximises {@code ||f(x) - f(y)||_2 / ||x - y||_2} over {@code y} by
     * normalised gradient ascent ({@code steps} steps, each of length {@code radius / 4} then shrinking), and
     * returns the largest ratio met over all rows and steps.
     *
     * @param x      inputs, one per row
     * @param radius the initial distance {@code ||x - y||} (in input units), > 0
     * @param steps  ascent steps, >= 1
     * @param seed   seed of the random starts
     * @throws IllegalArgumentException if {@code x} is empty, {@code radius <= 0} or {@code steps < 1}
     */
    public static double attack(Layer model, INDArray x, double radius, int steps, long seed) {
        if (x.size(0) == 0) {
            throw new IllegalArgumentException("x must have at least one row");
        }
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be a positive finite number, got " + radius);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        int n = (int) x.size(0);
        INDArray flatX = x.reshape(n, x.length() / n).castTo(DataType.DOUBLE);
        int d = (int) flatX.size(1);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] delta = new double[n * d];
        for (int r = 0; r < n; r++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                double v = gaussian(rng);
                delta[r * d + k] = v;
                norm += v * v;
            }
            double s = radius / Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                delta[r * d + k] *= s;
            }
        }
        double[] fx = model.forward(x, false).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int c = fx.length / n;
        double best = 0;
        for (int t = 0; t <= steps; t++) {
            INDArray y = flatX.add(Nd4j.create(delta, new long[] {n, d}, DataType.DOUBLE))
                    .castTo(x.dataType()).reshape(x.shape());
            double[] fy = model.forward(y, false).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] upstream = new double[n * c];
            double[] ratio = new double[n];
            double[] deltaNorm = new double[n];
            for (int r = 0; r < n; r++) {
                double df = 0;
                double dn = 0;
                for (int k = 0; k < c; k++) {
                    double v = fy[r * c + k] - fx[r * c + k];
                    df += v * v;
                }
                for (int k = 0; k < d; k++) {
                    dn += delta[r * d + k] * delta[r * d + k];
                }
                df = Math.sqrt(df);
                dn = Math.sqrt(dn);
                deltaNorm[r] = dn;
                ratio[r] = df / dn;
                best = Math.max(best, ratio[r]);
                for (int k = 0; k < c && df > 0; k++) {
                    upstream[r * c + k] = (fy[r * c + k] - fx[r * c + k]) / (df * dn);
                }
            }
            if (t == steps) {
                break;
            }
            // d ratio / d delta = J^T (f(y) - f(x)) / (|df| |delta|) - ratio delta / |delta|^2
            INDArray g = model.backward(Nd4j.create(upstream, new long[] {n, c}, DataType.DOUBLE).castTo(x.dataType()));
            double[] grad = g.castTo(DataType.DOUBLE).reshape(n, d).dup('c').data().asDouble();
            double step = radius / 4 / Math.sqrt(1 + t);
            for (int r = 0; r < n; r++) {
                double gn = 0;
                for (int k = 0; k < d; k++) {
                    double v = grad[r * d + k] - ratio[r] * delta[r * d + k] / (deltaNorm[r] * deltaNorm[r]);
                    grad[r * d + k] = v;
                    gn += v * v;
                }
                gn = Math.sqrt(gn);
                if (gn == 0) {
                    continue;
                }
                for (int k = 0; k < d; k++) {
                    delta[r * d + k] += step * grad[r * d + k] / gn;
                }
            }
        }
        return best;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
