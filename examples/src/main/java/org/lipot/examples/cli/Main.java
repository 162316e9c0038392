package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lipot} command. Exit status: 0 on success, 1 when a solver did not converge (the result is still
 * printed), 2 on bad usage or bad input (one line on stderr: {@code lipot: error: ...}, no stack trace).
 */
@Command(name = "lipot", mixinStandardHelpOptions = true, version = "lipot 0.1.0-SNAPSHOT",
        description = "1-Lipschitz networks and optimal transport on the JVM.",
        subcommands = {OtCommand.class, CertifyCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status when a solver stopped without converging. */
    static final int NOT_CONVERGED = 1;
    /** Exit status for bad usage or bad input. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given streams and returns the exit status (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("lipot: error: " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            // bad input, unreadable files, and a training run whose loss diverged: one line, no stack trace
            if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                    || e instanceof ArithmeticException) {
                err.println("lipot: error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
