package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lipot} command.
 *
 * <p><b>Exit status</b> (the same for every subcommand):
 * <ul>
 *   <li>0: solved;</li>
 *   <li>1: ran, but did not converge or hit a numerical error; the status ({@code MAX_ITERATIONS},
 *       {@code NUMERICAL_ERROR}) is printed with the result, or on stderr as {@code lipot: STATUS: ...} when there
 *       is no result;</li>
 *   <li>2: bad usage or bad input (an option, a file, its contents): one line {@code lipot: error: ...} on stderr,
 *       printed before any work starts wherever the options alone decide it;</li>
 *   <li>3: an internal error (a bug in lipot, or the JVM out of memory): one line naming the error; its stack trace
 *       only with {@code --debug}.</li>
 * </ul>
 * No stack trace reaches stderr without {@code --debug}.
 */
@Command(name = "lipot", mixinStandardHelpOptions = true, version = "lipot 0.1.0-SNAPSHOT",
        description = "1-Lipschitz networks and optimal transport on the JVM.",
        subcommands = {OtCommand.class, BarycenterCommand.class, PairwiseCommand.class, CertifyCommand.class, SdfCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:solved",
                "1:ran but did not converge, or hit a numerical error (the status is printed)",
                "2:bad usage or bad input: one line 'lipot: error: ...' before any work starts",
                "3:internal error: one line naming it; the stack trace only with --debug"})
public final class Main implements Runnable {

    /** Exit status when a solver stopped without converging or hit a numerical error. */
    static final int NOT_CONVERGED = 1;
    /** Exit status for bad usage or bad input. */
    static final int USAGE = 2;
    /** Exit status for an internal error. */
    static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "print the stack trace of an internal error (exit status 3)")
    boolean debug;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // solvers warn through System.Logger (java.util.logging here): one plain line each, like the errors
        System.setProperty("java.util.logging.SimpleFormatter.format", "lipot: warning: %5$s%n");
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given streams and returns the exit status (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(commandLine(out, err), err, args);
    }

    /** The configured command line: streams, and the exit status and message of each kind of failure. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("lipot: error: " + oneLine(e.getMessage()) + " (see --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> report(e, err, debugRequested(parsed)));
        return cl;
    }

    /** Executes {@code args}; an {@link Error} such as running out of memory, which picocli passes on, is reported too. */
    static int execute(CommandLine cl, PrintWriter err, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return report(e, err, java.util.Arrays.asList(args).contains("--debug"));
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints one line for a failure and returns its exit status (see the class comment). */
    private static int report(Throwable e, PrintWriter err, boolean debug) {
        int status;
        if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            err.println("lipot: error: " + oneLine(e.getMessage()));
            status = USAGE;
        } else if (e instanceof ArithmeticException) {
            // a numerical failure without a result to print it with, e.g. a training loss that became NaN
            err.println("lipot: NUMERICAL_ERROR: " + oneLine(e.getMessage()));
            status = NOT_CONVERGED;
        } else if (e instanceof OutOfMemoryError) {
            err.println("lipot: internal error: out of memory (raise the heap with LIPOT_JAVA_OPTS=-Xmx...)");
            status = INTERNAL;
        } else {
            err.println("lipot: internal error: " + e.getClass().getName() + ": " + oneLine(e.getMessage())
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            status = INTERNAL;
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    private static boolean debugRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** A message folded onto one line ("no message" for null). */
    static String oneLine(String message) {
        return message == null ? "no message" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
