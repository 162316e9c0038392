package org.lipot.lipschitz.kr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.SortActivation;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.loss.WeightedKR;
import org.lipot.lipschitz.train.Batch;
import org.lipot.lipschitz.train.BatchSource;
import org.lipot.lipschitz.train.Callback;
import org.lipot.lipschitz.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Estimates the Wasserstein-1 distance between two point clouds through its Kantorovich-Rubinstein dual, with a
 * 1-Lipschitz network as the potential (deel-lip's "Wasserstein distance estimation" demo):
 *
 * <pre>  W_1(mu, nu) = sup { E_mu f - E_nu f : f: R^d -> R, |f(p) - f(q)| <= |p - q|_2 }</pre>
 *
 * for {@code mu = sum_i a_i delta_{x_i}}, {@code nu = sum_j b_j delta_{y_j}} (uniform weights unless given). The
 * supremum is taken over the networks {@code f = SpectralDense o act o ... o act o SpectralDense} ({@code act} =
 * GroupSort2 or FullSort), which are 1-Lipschitz by construction and, being gradient-norm preserving, can fit
 * the optimal potential closely.
 *
 * <p><b>Algorithm.</b> The clouds are first centred and scaled by one common affine map
 * {@code p -> (p - c) / s} ({@code c} the mean and {@code s} the root-mean-square radius of the equal mixture
 * {@code (mu + nu) / 2}); this leaves the problem unchanged ({@code W_1} scales by {@code s}) but puts the data
 * where the network's initial kinks are, whatever the units. Each of {@code steps} Adam steps maximises the
 * objective {@code E f(x) - E f(y)} on a batch: a cloud with at most {@code batchSize} points is used whole with
 * its weights (an exact expectation); a larger cloud contributes {@code batchSize} points drawn with replacement in
 * proportion to their weights (an unbiased estimate). The learning rate decays from {@code learningRate} to
 * {@code learningRate * finalLearningRateFraction} along a cosine. Afterwards the network is exported to plain
 * float64 layers (training runs in float32) with the normalisation folded into its first and last affine maps, so the returned potential
 * acts on the original coordinates.
 *
 * <p><b>Certificate.</b> The result divides the exported potential's objective on <em>all</em> points by its
 * sound Lipschitz bound, so {@link DualEstimate#value()} never exceeds the exact {@code W_1} of the two clouds
 * (see {@link DualEstimate}). Units: {@code W_1} under the Euclidean cost, in the units of the points, not
 * squared.
 *
 * <p>Immutable and reusable; {@link #estimate} is deterministic for a given seed (ND4J on one backend).
 */
public final class KantorovichDual {


    private final int[] hiddenWidths;
    private final SortActivation activation;
    private final int steps;
    private final int batchSize;
    private final double learningRate;
    private final double finalLearningRateFraction;
    private final long seed;

    private KantorovichDual(Builder b) {
        this.hiddenWidths = b.hiddenWidths.clone();
        this.activation = b.activation;
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.finalLearningRateFraction = b.finalLearningRateFraction;
        this.seed = b.seed;
        if (activation == SortActivation.GROUP_SORT_2) {
            for (int i = 0; i < hiddenWidths.length; i++) {
                if (hiddenWidths[i] % 2 != 0) {
                    throw new IllegalArgumentException("hiddenWidths[" + i + "] = " + hiddenWidths[i]
                            + " must be even with GROUP_SORT_2");
                }
            }
        }
    }

    /** A builder with the defaults: hidden widths 64, 64, 64, GroupSort2, 1000 steps, batch 256, lr 0.01, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Hidden layer widths (a copy). */
    public int[] hiddenWidths() {
        return hiddenWidths.clone();
    }

    /** The activation. */
    public SortActivation activation() {
        return activation;
    }

    /** Optimiser steps. */
    public int steps() {
        return steps;
    }

    /** Points per cloud per step (clouds at most this large are used whole). */
    public int batchSize() {
        return batchSize;
    }

    /** Initial Adam learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Final learning rate as a fraction of the initial one. */
    public double finalLearningRateFraction() {
        return finalLearningRateFraction;
    }

    /** Seed of the weights and of the batch sampling. */
    public long seed() {
        return seed;
    }

    /**
     * {@link #estimate(double[][], double[], double[][], double[])} with uniform weights.
     *
     * @param x the first cloud, n x d (not modified)
     * @param y the second cloud, m x d (not modified)
     */
    public DualEstimate estimate(double[][] x, double[][] y) {
        return estimate(x, null, y, null);
    }

    /**
     * Trains a 1-Lipschitz potential on the two weighted clouds and returns the certified dual estimate of
     * {@code W_1(sum_i a_i delta_{x_i}, sum_j b_j delta_{y_j})} with the weights normalised to total 1.
     *
     * @param x the first cloud, n x d (not modified)
     * @param a weights of {@code x} (length n, nonnegative, positive total), or {@code null} for uniform
     * @param y the second cloud, m x d (not modified)
     * @param b weights of {@code y} (length m), or {@code null} for uniform
     * @throws IllegalArgumentException naming the argument if a cloud is empty, ragged or holds NaN or infinite
     *                                  coordinates, the dimensions differ, or the weights are invalid
     */
    public DualEstimate estimate(double[][] x, double[] a, double[][] y, double[] b) {
        int d = PointClouds.dimension("x", x);
        int dy = PointClouds.dimension("y", y);
        if (dy != d) {
            throw new IllegalArgumentException("x is " + x.length + " x " + d + " but y is " + y.length + " x " + dy
                    + ": the dimensions differ");
        }
        double[] wa = PointClouds.normalisedWeights("a", a, x.length, "x");
        double[] wb = PointClouds.normalisedWeights("b", b, y.length, "y");
        double[] center = new double[d];
        accumulateMean(x, wa, center);
        accumulateMean(y, wb, center);
        double scale = Math.sqrt(0.5 * meanSquaredRadius(x, wa, center) + 0.5 * meanSquaredRadius(y, wb, center));
        if (!(scale > 0)) {
            scale = 1; // every point coincides with the centre: W_1 = 0, any scale will do
        }

        Sequential net = network(d);
        Sampler sx = new Sampler(normalise(x, center, scale), wa, batchSize);
        Sampler sy = new Sampler(normalise(y, center, scale), wb, batchSize);
        double[] history = new double[steps];
        double s = scale;
        // one epoch of `steps` batches, each a fresh draw from both clouds; the loss is -(the batch's objective)
        Trainer.builder().loss(new WeightedKR()).learningRate((epoch, step) -> learningRate(step)).epochs(1)
                .seed(seed).callback(new Callback() {
                    @Override
                    public void onStep(int epoch, int step, double batchLoss) {
                        history[step - 1] = -s * batchLoss;
                    }
                }).build().fit(net, new Draws(sx, sy, steps));
        Sequential potential = exportOnOriginalCoordinates(net, center, scale);
        double objective = weightedMean(potential, x, wa, d) - weightedMean(potential, y, wb, d);
        double bound = potential.lipschitzBound();
        return new DualEstimate(objective / bound, objective, bound, potential, history, steps);
    }

    private double learningRate(int t) {
        double progress = steps == 1 ? 1 : (double) t / (steps - 1);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return learningRate * (finalLearningRateFraction + (1 - finalLearningRateFraction) * cosine);
    }

    private Sequential network(int d) {
        List<Layer> layers = new ArrayList<>();
        int in = d;
        for (int width : hiddenWidths) {
            layers.add(SpectralDense.builder(in, width).seed(seed + layers.size()).dataType(DataType.FLOAT).build());
            layers.add(activation.layer());
            in = width;
        }
        layers.add(SpectralDense.builder(in, 1).seed(seed + layers.size()).dataType(DataType.FLOAT).build());
        return Sequential.of(layers);
    }

    /**
     * The exported network {@code g} (trained in float32 on {@code (p - c) / s}) as a float64 network
     * {@code f(p) = s g((p - c) / s)}: the first affine map becomes {@code p -> p (W / s)^T + (b - W c / s)}, the
     * last one {@code z -> z (s W)^T + s b}, so the product of the layers' Lipschitz constants is unchanged. The
     * sound bound is then computed on the float64 weights that the potential actually uses.
     */
    private static Sequential exportOnOriginalCoordinates(Sequential net, double[] center, double scale) {
        List<Layer> layers = new ArrayList<>(net.export().layers());
        INDArray c = Nd4j.create(center, new long[] {center.length, 1}, DataType.DOUBLE);
        int last = layers.size() - 1;
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof Dense dense) {
                INDArray w = dense.effectiveWeight().castTo(DataType.DOUBLE);
                INDArray bias = dense.bias().value().castTo(DataType.DOUBLE);
                if (k == 0) {
                    bias = bias.sub(w.mmul(c).reshape(w.size(0)).div(scale));
                    w = w.div(scale);
                }
                if (k == last) {
                    w = w.mul(scale);
                    bias = bias.mul(scale);
                }
                layers.set(k, new Dense(w, bias));
            }
        }
        return Sequential.of(layers);
    }

    private static double weightedMean(Sequential potential, double[][] points, double[] w, int d) {
        double[] f = Tensors.toDoubles(potential.forward(PointClouds.matrix("points", points, d), false));
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            sum += w[i] * f[i];
        }
        return sum;
    }

    /** {@code -wx} for the x rows and {@code +wy} for the y rows, as a column: minus the objective's gradient. */
    private static void accumulateMean(double[][] p, double[] w, double[] center) {
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < center.length; k++) {
                center[k] += 0.5 * w[i] * p[i][k];
            }
        }
    }

    private static double meanSquaredRadius(double[][] p, double[] w, double[] center) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < center.length; k++) {
                double v = p[i][k] - center[k];
                sum += w[i] * v * v;
            }
        }
        return sum;
    }

    private static double[][] normalise(double[][] p, double[] center, double scale) {
        double[][] out = new double[p.length][center.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < center.length; k++) {
                out[i][k] = (p[i][k] - center[k]) / scale;
            }
        }
        return out;
    }

    /** The rows of one step's batch and their weights in the objective. */
    /** The points of a draw and their weights. */
    private record Draw(INDArray points, double[] weights) {
    }

    /** Each batch: a draw from each cloud, with signed weights as targets ({@link WeightedKR}). */
    private static final class Draws implements BatchSource {
        private final Sampler sx;
        private final Sampler sy;
        private final int steps;
        private final Batch whole;
        private SplittableRandom random;

        Draws(Sampler sx, Sampler sy, int steps) {
            this.sx = sx;
            this.sy = sy;
            this.steps = steps;
            this.whole = sx.whole && sy.whole ? batch(sx.draw(null), sy.draw(null)) : null;
        }

        @Override
        public int batches() {
            return steps;
        }

        @Override
        public void beginEpoch(int epoch, SplittableRandom random) {
            this.random = random;
        }

        @Override
        public Batch batch(int index) {
            return whole != null ? whole : batch(sx.draw(random), sy.draw(random));
        }

        private static Batch batch(Draw bx, Draw by) {
            double[] w = new double[bx.weights.length + by.weights.length];
            for (int i = 0; i < bx.weights.length; i++) {
                w[i] = bx.weights[i];
            }
            for (int j = 0; j < by.weights.length; j++) {
                w[bx.weights.length + j] = -by.weights[j];
            }
            return new Batch(Nd4j.vstack(bx.points, by.points),
                    Nd4j.create(w, new long[] {w.length, 1}, DataType.DOUBLE).castTo(DataType.FLOAT), null);
        }
    }

    /** Draws a cloud's batches: the whole cloud if it is small enough, else weighted sampling with replacement. */
    private static final class Sampler {
        final double[][] cloud;
        final double[] weights;
        final double[] cumulative;
        final INDArray points;
        final boolean whole;
        final int batchSize;

        Sampler(double[][] cloud, double[] weights, int batchSize) {
            this.cloud = cloud;
            this.weights = weights;
            this.batchSize = batchSize;
            this.whole = cloud.length <= batchSize;
            this.points = whole ? PointClouds.matrix("points", cloud, cloud[0].length).castTo(DataType.FLOAT) : null;
            this.cumulative = new double[cloud.length];
            double s = 0;
            for (int i = 0; i < cloud.length; i++) {
                s += weights[i];
                cumulative[i] = s;
            }
        }

        Draw draw(SplittableRandom rng) {
            if (whole) {
                return new Draw(points, weights);
            }
            int d = cloud[0].length;
            double[] flat = new double[batchSize * d];
            double total = cumulative[cumulative.length - 1];
            for (int r = 0; r < batchSize; r++) {
                int i = Arrays.binarySearch(cumulative, rng.nextDouble() * total);
                i = i >= 0 ? i : Math.min(-i - 1, cloud.length - 1);
                System.arraycopy(cloud[i], 0, flat, r * d, d);
            }
            double[] w = new double[batchSize];
            Arrays.fill(w, 1.0 / batchSize);
            return new Draw(Nd4j.create(flat, new long[] {batchSize, d}, DataType.DOUBLE).castTo(DataType.FLOAT), w);
        }
    }

    /** Builder for {@link KantorovichDual}; every setter validates its argument. */
    public static final class Builder {
        private int[] hiddenWidths = {64, 64, 64};
        private SortActivation activation = SortActivation.GROUP_SORT_2;
        private int steps = 1000;
        private int batchSize = 256;
        private double learningRate = 1e-2;
        private double finalLearningRateFraction = 0.01;
        private long seed;

        private Builder() {
        }

        /**
         * Widths of the hidden layers, input side first (default 64, 64, 64); none gives a linear potential.
         *
         * @throws IllegalArgumentException if null or a width is not positive
         */
        public Builder hiddenWidths(int... widths) {
            if (widths == null) {
                throw new IllegalArgumentException("hiddenWidths must not be null");
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] <= 0) {
                    throw new IllegalArgumentException("hiddenWidths[" + i + "] must be positive, got " + widths[i]);
                }
            }
            this.hiddenWidths = widths.clone();
            return this;
        }

        /**
         * The activation (default {@link SortActivation#GROUP_SORT_2}).
         *
         * @throws IllegalArgumentException if null
         */
        public Builder activation(SortActivation activation) {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            this.activation = activation;
            return this;
        }

        /**
         * Optimiser steps (default 1000).
         *
         * @throws IllegalArgumentException if {@code steps < 1}
         */
        public Builder steps(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /**
         * Points drawn per cloud per step (default 256); a cloud with at most this many points is used whole.
         *
         * @throws IllegalArgumentException if {@code batchSize < 1}
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Initial Adam learning rate (default 0.01), on the normalised coordinates.
         *
         * @throws IllegalArgumentException if not finite and positive
         */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be finite and positive, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /**
         * The learning rate at the last step as a fraction of the initial one (default 0.01; 1 = constant).
         *
         * @throws IllegalArgumentException if not in (0, 1]
         */
        public Builder finalLearningRateFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("finalLearningRateFraction must be in (0, 1], got " + fraction);
            }
            this.finalLearningRateFraction = fraction;
            return this;
        }

        /** Seed of the initial weights (layer k gets {@code seed + k}) and of the batch sampling (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException if a hidden width is odd with {@link SortActivation#GROUP_SORT_2}
         */
        public KantorovichDual build() {
            return new KantorovichDual(this);
        }
    }
}
