package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The exit-status contract of {@code lipot}, for each kind of failure, through the real handlers of {@link Main}. */
class ExitStatusTest {

    /** A subcommand that fails the way it is told to. */
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        @Option(names = "--with")
        String with;

        @Override
        public Integer call() {
            switch (with) {
                case "state" -> throw new IllegalStateException("a bug\nover two lines");
                case "npe" -> throw new NullPointerException();
                case "arithmetic" -> throw new ArithmeticException("the loss became NaN at epoch 2");
                case "argument" -> throw new IllegalArgumentException("--x: must be positive, got -1");
                case "memory" -> throw new OutOfMemoryError("Java heap space");
                default -> {
                    return 0;
                }
            }
        }
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), e);
        cl.addSubcommand(new Fail());
        int status = Main.execute(cl, e, args);
        return new Result(status, out.toString(), err.toString());
    }

    private static void assertOneLine(String err, String prefix) {
        String s = err.strip();
        assertTrue(s.startsWith(prefix), s);
        assertFalse(s.contains("\n"), "one line: " + s);
        assertFalse(s.contains("\tat "), "no stack trace: " + s);
    }

    @Test
    void internalErrorsAreStatusThreeWithOneLineAndNoTrace() {
        for (String kind : List.of("state", "npe", "memory")) {
            Result r = run("fail", "--with", kind);
            assertEquals(Main.INTERNAL, r.status(), kind);
            assertOneLine(r.err(), "lipot: internal error:");
        }
        Result r = run("fail", "--with", "state");
        assertTrue(r.err().contains("IllegalStateException: a bug; over two lines"), r.err());
        assertTrue(r.err().contains("--debug"), "says how to see the trace: " + r.err());
    }

    @Test
    void debugShowsTheStackTrace() {
        for (String[] args : new String[][] {{"fail", "--with", "state", "--debug"}, {"--debug", "fail", "--with", "npe"}}) {
            Result r = run(args);
            assertEquals(Main.INTERNAL, r.status());
            assertTrue(r.err().contains("\tat org.lipot.examples.cli.ExitStatusTest$Fail.call"), r.err());
        }
    }

    @Test
    void numericalFailureIsStatusOneAndNamesTheStatus() {
        Result r = run("fail", "--with", "arithmetic");
        assertEquals(Main.NOT_CONVERGED, r.status());
        assertOneLine(r.err(), "lipot: NUMERICAL_ERROR: the loss became NaN");
    }

    @Test
    void badInputIsStatusTwo() {
        Result r = run("fail", "--with", "argument");
        assertEquals(Main.USAGE, r.status());
        assertOneLine(r.err(), "lipot: error: --x: must be positive");
        Result unknown = run("fail", "--nope");
        assertEquals(Main.USAGE, unknown.status());
        assertOneLine(unknown.err(), "lipot: error:");
    }

    @Test
    void helpStatesTheExitStatuses() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String line : new String[] {"Exit status:", "0   solved", "1   ran but did not converge", "2   bad usage",
                "3   internal error"}) {
            assertTrue(r.out().contains(line), "help lacks '" + line + "':\n" + r.out());
        }
    }

    @Test
    void jsonHasNoNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", Double.NaN);
        m.put("bound", Double.POSITIVE_INFINITY);
        m.put("nested", Map.of("x", Double.NEGATIVE_INFINITY));
        m.put("list", List.of(1.5, Double.NaN));
        m.put("array", new double[] {Double.NaN, 2});
        m.put("ok", 0.25);
        assertEquals("{\"value\":null,\"bound\":null,\"nested\":{\"x\":null},\"list\":[1.5,null],\"array\":[null,2.0],"
                + "\"ok\":0.25}", Json.line(m));
    }
}
