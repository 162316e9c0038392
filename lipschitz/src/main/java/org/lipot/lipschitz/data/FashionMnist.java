package org.lipot.lipschitz.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017; MIT licence): 60000 training and 10000
 * test grey-scale images of 28 x 28 pixels, 10 clothing classes, in the MNIST file layout. Debian's
 * {@code dataset-fashion-mnist} package installs it in {@link #DEFAULT_DIRECTORY}. Pixels are scaled to
 * [0, 1] float32 ({@code value / 255}), no standardisation, image shape {@code {1, 28, 28}}: the input of
 * the benchmark peer.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** Loads from {@link #DEFAULT_DIRECTORY}. */
    public static TrainTest load() {
        return load(DEFAULT_DIRECTORY);
    }

    /** Loads from a directory in the MNIST layout (see {@link MnistLayout}). */
    public static TrainTest load(Path directory) {
        return MnistLayout.load(directory, CLASS_NAMES.size());
    }
}
