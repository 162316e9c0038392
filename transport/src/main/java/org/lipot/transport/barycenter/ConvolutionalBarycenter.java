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

    private final BregmanBuilder.Settings settings;

    private ConvolutionalBarycenter(BregmanBuilder.Settings settings) {
        this.settings = settings;
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
        RowBlocks blocks = new RowBlocks(settings.threads());
        GridKernel kernel = new GridKernel(height, width, settings.epsilon(), blocks);
        return BregmanIteration.run(kernel, h, w, settings);
    }

    /** Builder for {@link ConvolutionalBarycenter}: {@code epsilon} is required. */
    public static final class Builder extends BregmanBuilder<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** @throws IllegalArgumentException if epsilon was not set */
        public ConvolutionalBarycenter build() {
            return new ConvolutionalBarycenter(settings());
        }
    }
}
