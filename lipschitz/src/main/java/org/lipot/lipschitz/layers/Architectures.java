package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.List;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Ready-made 1-Lipschitz classifiers, the architectures of deel-lip's examples and of the benchmark peer
 * ({@code shared/bench/lip/torch_lip_peer.py}).
 */
public final class Architectures {

    /** Hidden widths of the peer's dense architecture. */
    private static final int[] DENSE_WIDTHS = {512, 512, 256};

    private Architectures() {
    }

    /**
     * {@code dense}: {@code Flatten, SpectralDense(inputs -> 512), GroupSort2, SpectralDense(512 -> 512), GroupSort2,
     * SpectralDense(512 -> 256), GroupSort2, SpectralDense(256 -> classes)}; 798 474 parameters for 784 inputs and 10
     * classes. Every weight is wide (out &le; in) when {@code inputs >= 512}, so after Björck the network is
     * gradient-norm preserving. Layer {@code k} (position in the list, from 0) is seeded with {@code seed + k}.
     *
     * @param inputs  input features (784 for 28 x 28 images, 64 for the 8 x 8 digits)
     * @param classes outputs
     * @param rko     reparametrisation of every SpectralDense layer
     * @param type    parameter type (float32 for training, float64 for checks)
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Sequential dense(int inputs, int classes, Rko rko, long seed, DataType type) {
        return dense(inputs, classes, DENSE_WIDTHS, rko, seed, type);
    }

    /**
     * {@code conv}, the peer's convolutional network ({@code shared/bench/lip/README.md}) for {@code 1 x 28 x 28}
     * images: {@code Unflatten(1, 28, 28)}, {@code SpectralConv2d(1 -> 32), GroupSort2, SpectralConv2d(32 -> 32),
     * GroupSort2, ScaledL2NormPool2d(2)}, {@code SpectralConv2d(32 -> 64), GroupSort2, SpectralConv2d(64 -> 64),
     * GroupSort2, ScaledL2NormPool2d(2)}, {@code Flatten, SpectralDense(3136 -> 256), GroupSort2,
     * SpectralDense(256 -> classes)}: 3 x 3 kernels, stride 1, zero "same" padding; 870 634 parameters for 10
     * classes. Layer {@code k} (position in the list, from 0) is seeded with {@code seed + k}.
     *
     * @param image   the input image shape {@code [C, H, W]} (H and W multiples of 4)
     * @param classes outputs
     * @param rko     reparametrisation of every SpectralConv2d and SpectralDense layer
     * @param type    parameter type (float32 for training, float64 for checks)
     * @throws IllegalArgumentException if a size is not positive or H, W are not multiples of 4
     */
    public static Sequential conv(int[] image, int classes, Rko rko, long seed, DataType type) {
        checkImages("conv", image, classes);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Unflatten(image[0], image[1], image[2]));
        int channels = image[0];
        for (int width : new int[] {32, 64}) {
            for (int twice = 0; twice < 2; twice++) {
                layers.add(SpectralConv2d.builder(channels, width, 3, 3).rko(rko).seed(seed + layers.size())
                        .dataType(type).build());
                layers.add(new GroupSort2());
                channels = width;
            }
            layers.add(new ScaledL2NormPool2d(2, 2));
        }
        return withHead(layers, channels * (image[1] / 4) * (image[2] / 4), classes, rko, seed, type);
    }

    /**
     * {@code aoc}, the {@link #conv} network with exactly orthogonal convolutions (AOC, Boissin et al. 2025) after
     * the first layer and strided convolutions instead of pooling: {@code Unflatten(C, H, W)},
     * {@code SpectralConv2d(C -> 32), GroupSort2}, {@code AocConv2d(32 -> 32), GroupSort2},
     * {@code AocConv2d(32 -> 64, stride 2), GroupSort2}, {@code AocConv2d(64 -> 64), GroupSort2},
     * {@code AocConv2d(64 -> 64, stride 2), GroupSort2}, {@code Flatten, SpectralDense(64 H W / 16 -> 256), GroupSort2,
     * SpectralDense(256 -> classes)}: 3 x 3 kernels, zero "same" padding (1-Lipschitz, not exactly orthogonal at the
     * borders; the first layer is RKO because an orthogonal conv from one channel could only copy it). The stride-2
     * layers map the 128 or 256 values of a 2 x 2 patch of 32 or 64 channels to 64: orthonormal rows, a projection. Layer {@code k} is
     * seeded with {@code seed + k}.
     *
     * @param image   the input image shape {@code [C, H, W]} (H and W multiples of 4)
     * @param classes outputs
     * @param rko     reparametrisation of the SpectralConv2d and SpectralDense layers
     * @param type    parameter type (float32 for training, float64 for checks)
     * @throws IllegalArgumentException if a size is not positive or H, W are not multiples of 4
     */
    public static Sequential aoc(int[] image, int classes, Rko rko, long seed, DataType type) {
        checkImages("aoc", image, classes);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Unflatten(image[0], image[1], image[2]));
        layers.add(SpectralConv2d.builder(image[0], 32, 3, 3).rko(rko).seed(seed + layers.size()).dataType(type)
                .build());
        layers.add(new GroupSort2());
        int channels = 32;
        for (int[] c : new int[][] {{32, 1}, {64, 2}, {64, 1}, {64, 2}}) {
            layers.add(AocConv2d.builder(channels, c[0], 3, 3).stride(c[1], c[1])
                    .padding(ConvGeometry.Padding.ZERO_SAME).seed(seed + layers.size())
                    .dataType(type).build());
            layers.add(new GroupSort2());
            channels = c[0];
        }
        return withHead(layers, channels * (image[1] / 4) * (image[2] / 4), classes, rko, seed, type);
    }

    /** {@code layers} followed by {@code Flatten, SpectralDense(flat -> 256), GroupSort2, SpectralDense(256 -> classes)}. */
    private static Sequential withHead(List<Layer> layers, int flat, int classes, Rko rko, long seed, DataType type) {
        layers.add(new Flatten());
        layers.add(SpectralDense.builder(flat, 256).rko(rko).seed(seed + layers.size()).dataType(type).build());
        layers.add(new GroupSort2());
        layers.add(SpectralDense.builder(256, classes).rko(rko).seed(seed + layers.size()).dataType(type).build());
        return Sequential.of(layers);
    }

    private static void checkImages(String name, int[] image, int classes) {
        if (image == null || image.length != 3 || image[0] < 1 || image[1] < 4 || image[2] < 4 || image[1] % 4 != 0
                || image[2] % 4 != 0 || classes < 1) {
            throw new IllegalArgumentException(name + " needs [C, H, W] images with H and W multiples of 4 and "
                    + "positive classes, got " + java.util.Arrays.toString(image) + " and " + classes);
        }
    }

    /**
     * {@code Flatten}, then for each hidden width {@code SpectralDense(previous -> width), GroupSort2}, then
     * {@code SpectralDense(last -> classes)}. Layer {@code k} (position in the list, from 0) is seeded with
     * {@code seed + k}.
     *
     * @throws IllegalArgumentException if a size is not positive or a hidden width is odd (GroupSort2 pairs)
     */
    public static Sequential dense(int inputs, int classes, int[] hidden, Rko rko, long seed, DataType type) {
        if (inputs <= 0 || classes <= 0) {
            throw new IllegalArgumentException("inputs and classes must be positive, got " + inputs + " and " + classes);
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int in = inputs;
        for (int width : hidden) {
            if (width <= 0 || width % 2 != 0) {
                throw new IllegalArgumentException("hidden widths must be positive and even, got " + width);
            }
            layers.add(SpectralDense.builder(in, width).rko(rko).seed(seed + layers.size()).dataType(type).build());
            layers.add(new GroupSort2());
            in = width;
        }
        layers.add(SpectralDense.builder(in, classes).rko(rko).seed(seed + layers.size()).dataType(type).build());
        return Sequential.of(layers);
    }
}
