package org.lipot.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of output-file options, made before any work starts so that a long run cannot fail at its end. */
final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Refuses a file whose folder does not exist or is not writable.
     *
     * @param option the option that named the file, for the message
     * @param file   the file, or {@code null} when the option was not given (then nothing is checked)
     * @throws IllegalArgumentException naming the option and the folder
     */
    static void checkFolder(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + ": " + file + " is a folder, not a file");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + ": folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalArgumentException(option + ": folder " + folder + " is not writable");
        }
    }
}
