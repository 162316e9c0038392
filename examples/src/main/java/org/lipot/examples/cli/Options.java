package org.lipot.examples.cli;

import java.util.function.Supplier;

/** Option checks that report the command-line option, not the library call, that was refused. */
final class Options {

    private Options() {
    }

    /**
     * Runs a configuration step built from the given option's value.
     *
     * @param option the option (or options) the step uses, as the user typed them
     * @return what the step returned
     * @throws IllegalArgumentException the step's, its message prefixed with the option
     */
    static <T> T check(String option, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
