package org.lipot.transport.barycenter;

import org.lipot.transport.internal.RowBlocks;

/**
 * The entropic Wasserstein barycenter of images on one {@code h x w} pixel grid (Solomon et al., "Convolutional
 * Wasserstein distances", 2015): the problem of {@link BregmanBarycenter} with the squared Euclidean cost between
 * pixel positions, where the Gibbs kernel {@code exp(-|x - y|^2 / eps)} is applied as a Gaussian blur along the rows
 * and then along the columns. A sweep costs {@code O(h w (h + w))} per image instead of {@code O((h w)^2)}, and
 * nothing of size {@code (h w)^2} is stored, so 256 x 256 images are routine.
 *
 * <p><b>Units.</b> Pixel {@code (r, c)} sits at {@code (c, r) / (max(h, w) - 1)}: the longer side spans
 * {@code [0, 1]} and pixels are square. {@code eps} is in squared units of that scale; the blur's standard deviation
 * is {@code sqrt(eps / 2)}, so {@code eps = 2 (s / (max(h, w) - 1))^2} blurs by {@code s} pixels. For square images this
 * is POT's {@code convolutional_barycenter2d} (which spaces each axis over {@code [0, 1]} separately, so non-square
 * images get non-square pixels there). Images are row-major: {@code image[r * w + c]}.
 *
 * <p>Kernel products run while the scalings stay in floating-point range, then log-sum-exp sweeps; {@link
 * Builder#debiased} removes the entropic blur as in {@link BregmanBarycenter}. Immutable and thread-safe.
 */
public final class ConvolutionalBarycenter {

    private final double epsilon;
    private final double tolerance;
    private final int maxIterations;
    private final boolean debiased;
    private final boolean logDomain;
    private final int threads;

    private ConvolutionalBarycenter(Builder b) {
        this.epsilon = b.epsilon;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.debiased = b.debiased;
        this.logDomain = b.logDomain;
        this.threads = b.threads;
    }

    /** A builder; {@link Builder#epsilon} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The barycenter of {@code images} with {@code weights}.
     *
     * @param height  rows {@code h}
     * @param width   columns {@code w}; {@code max(h, w) >= 2}
     * @param images  the inputs, each {@code h w} non-negative values summing to 1, row-major
     * @param weights {@code w_k >= 0} summing to 1, or {@code null} for {@code 1 / k} each
     * @return the barycenter image (row-major) and the weighted transport costs, in squared units of the grid scale
     * @throws IllegalArgumentException for bad sizes, images or weights
     */
    public BarycenterResult solve(int height, int width, double[][] images, double[] weights) {
        if (height < 1 || width < 1 || Math.max(height, width) < 2 || (long) height * width > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("height and width must be >= 1 with at least 2 pixels on one side, got "
                    + height + " x " + width);
        }
        double[][] h = Inputs.histograms(images, height * width, "height x width = " + height + " x " + width);
        double[] w = Inputs.weights(weights, h.length);
        try (RowBlocks blocks = new RowBlocks(threads)) {
            GridKernel kernel = new GridKernel(height, width, epsilon, blocks);
            return BregmanIteration.run(kernel, h, w, debiased, logDomain, tolerance, maxIterations);
        }
    }

    /** Builder for {@link ConvolutionalBarycenter}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double tolerance = 1e-9;
        private int maxIterations = 100_000;
        private boolean debiased;
        private boolean logDomain;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /** The entropic regularisation in squared units of the grid scale (see the class notes), {@code > 0}. */
        public Builder epsilon(double epsilon) {
            this.epsilon = Inputs.positive(epsilon, "epsilon");
            return this;
        }

        /** Stop when {@code max_k |P_k^T 1 - h_k|_1 <= tolerance}, in mass units (default 1e-9). */
        public Builder tolerance(double tolerance) {
            this.tolerance = Inputs.positive(tolerance, "tolerance");
            return this;
        }

        /** Most sweeps (default 100 000); the result says {@code MAX_ITERATIONS} when they run out. */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = Inputs.atLeastOne(maxIterations, "maxIterations");
            return this;
        }

        /** Minimise the Sinkhorn divergences instead of {@code OT_eps}, removing the blur (default false). */
        public Builder debiased(boolean debiased) {
            this.debiased = debiased;
            return this;
        }

        /** Log-sum-exp sweeps from the start instead of kernel products with a fallback (default false). */
        public Builder logDomain(boolean logDomain) {
            this.logDomain = logDomain;
            return this;
        }

        /** Worker threads (default: the available processors). */
        public Builder threads(int threads) {
            this.threads = Inputs.atLeastOne(threads, "threads");
            return this;
        }

        /** @throws IllegalArgumentException if epsilon was not set */
        public ConvolutionalBarycenter build() {
            if (Double.isNaN(epsilon)) {
                throw new IllegalArgumentException("epsilon is required");
            }
            return new ConvolutionalBarycenter(this);
        }
    }
}
