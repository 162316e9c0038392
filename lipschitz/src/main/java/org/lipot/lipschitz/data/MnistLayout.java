package org.lipot.lipschitz.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory of IDX files named as MNIST distributes them: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
 * optionally with a {@code .gz} suffix (the gzipped name is used when both exist). MNIST, Fashion-MNIST and
 * KMNIST use this layout.
 */
public final class MnistLayout {

    private MnistLayout() {
    }

    /**
     * Loads the training and test sets of the directory, images scaled to [0, 1] float32.
     *
     * @param numClasses the number of classes (10 for MNIST and Fashion-MNIST)
     * @throws java.io.UncheckedIOException naming the file if one is missing, unreadable or corrupt
     */
    public static TrainTest load(Path directory, int numClasses) {
        Dataset train = Idx.readImagesAndLabels(find(directory, "train-images-idx3-ubyte"),
                find(directory, "train-labels-idx1-ubyte"), numClasses);
        return new TrainTest(train, loadTest(directory, numClasses));
    }

    /**
     * Loads only the test set ({@code t10k-*}) of the directory, for evaluating a trained model without reading the
     * training images.
     *
     * @throws java.io.UncheckedIOException naming the file if one is missing, unreadable or corrupt
     */
    public static Dataset loadTest(Path directory, int numClasses) {
        return Idx.readImagesAndLabels(find(directory, "t10k-images-idx3-ubyte"),
                find(directory, "t10k-labels-idx1-ubyte"), numClasses);
    }

    /** True if the directory holds the four files (plain or gzipped). */
    public static boolean isPresent(Path directory) {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (!Files.isRegularFile(directory.resolve(name + ".gz")) && !Files.isRegularFile(directory.resolve(name))) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path directory, String name) {
        Path gz = directory.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = directory.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw DataFiles.corrupt(directory, "no " + name + ".gz or " + name + " in this directory (MNIST layout"
                + " expected)");
    }
}
