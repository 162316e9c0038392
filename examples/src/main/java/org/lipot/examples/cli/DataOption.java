package org.lipot.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.data.Digits;
import org.lipot.lipschitz.data.FashionMnist;
import org.lipot.lipschitz.data.MnistLayout;
import org.lipot.lipschitz.data.TrainTest;

/**
 * The {@code --data} option of {@code lipot certify}: {@code digits} (the embedded 8 x 8 digits, 80/20 split with
 * seed 0; the default), {@code fashion-mnist} (Debian's {@code dataset-fashion-mnist} folder),
 * {@code fashion-mnist:DIR}, or a folder in the MNIST IDX layout.
 */
final class DataOption {

    static final String HELP = "digits (embedded, default), fashion-mnist[:DIR], or an MNIST-layout IDX folder";

    private DataOption() {
    }

    /** Loads the data, limited to the first {@code limitTrain} / {@code limitTest} samples (0 = all). */
    static TrainTest load(String spec, int limitTrain, int limitTest) {
        checkLimit(limitTrain, limitTest);
        Path dir = idxDirectory(spec);
        TrainTest data = dir == null ? Digits.trainTest(0.2, 0) : MnistLayout.load(dir, 10);
        return data.limit(limitTrain, limitTest);
    }

    /** Loads only the test set (what evaluation needs), limited to the first {@code limitTest} samples (0 = all). */
    static Dataset loadTest(String spec, int limitTest) {
        checkLimit(0, limitTest);
        Path dir = idxDirectory(spec);
        Dataset test = dir == null ? Digits.trainTest(0.2, 0).test() : MnistLayout.loadTest(dir, 10);
        return test.limit(limitTest);
    }

    private static void checkLimit(int limitTrain, int limitTest) {
        if (limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("--limit-train and --limit-test must be >= 0");
        }
    }

    /** The IDX folder the spec names, or {@code null} for the embedded digits. */
    private static Path idxDirectory(String spec) {
        if (spec == null || spec.equals("digits")) {
            return null;
        }
        if (spec.equals("fashion-mnist")) {
            return FashionMnist.DEFAULT_DIRECTORY;
        }
        Path dir = Path.of(spec.startsWith("fashion-mnist:") ? spec.substring("fashion-mnist:".length()) : spec);
        if (spec.startsWith("fashion-mnist:") || Files.isDirectory(dir)) {
            return dir;
        }
        throw new IllegalArgumentException("--data: '" + spec + "' is not " + HELP);
    }
}
