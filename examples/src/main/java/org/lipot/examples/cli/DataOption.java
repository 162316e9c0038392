package org.lipot.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

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
        if (limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("--limit-train and --limit-test must be >= 0");
        }
        TrainTest data;
        if (spec == null || spec.equals("digits")) {
            data = Digits.trainTest(0.2, 0);
        } else if (spec.equals("fashion-mnist")) {
            data = FashionMnist.load();
        } else if (spec.startsWith("fashion-mnist:")) {
            data = FashionMnist.load(Path.of(spec.substring("fashion-mnist:".length())));
        } else if (Files.isDirectory(Path.of(spec))) {
            data = MnistLayout.load(Path.of(spec), 10);
        } else {
            throw new IllegalArgumentException("--data: '" + spec + "' is not " + HELP);
        }
        return data.limit(limitTrain, limitTest);
    }
}
