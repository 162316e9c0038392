package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.io.NpzWeights;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot certify eval}: certifies, on a test set, either a model saved by {@code lipot certify train --save}
 * ({@link ModelFiles} zip) or a dense network given as exported weights ({@code .npz} with {@code l{k}_weight}
 * (out, in) and {@code l{k}_bias}, as the PyTorch peer writes them).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Certify a saved model (.zip from `certify train --save`) or exported weights",
                "(.npz: l{k}_weight (out, in) or (cout, cin, kh, kw), l{k}_bias; --arch conv for the peer's conv net)",
                "on a test set.",
                "The Lipschitz bound is computed from the weights, never assumed to be 1."})
final class CertifyEvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the network comes from: exactly one of the two. */
    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "FILE.zip",
                description = "a model saved by `lipot certify train --save`")
        Path model;

        @Option(names = "--weights", required = true, paramLabel = "FILE.npz", description = "exported dense weights")
        Path weights;
    }

    @Option(names = "--arch", paramLabel = "NAME",
            description = "architecture of --weights: dense (default; its widths are read from the file) or conv")
    String arch;

    @Option(names = "--data", paramLabel = "SPEC", description = DataOption.HELP)
    String data;

    @Option(names = "--limit-test", defaultValue = "0", description = "use the first N test samples (0: all)")
    int limitTest;

    @Option(names = "--histogram", paramLabel = "FILE.png", description = "write a histogram of certified radii")
    Path histogram;

    @Option(names = "--json", description = "print the report as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--histogram", histogram);
        String a = arch == null ? "dense" : arch;
        if (!a.equals("dense") && !a.equals("conv")) {
            throw new IllegalArgumentException("--arch: unknown architecture '" + a + "' (available: dense, conv)");
        }
        if (arch != null && source.model != null) {
            throw new IllegalArgumentException("--arch applies to --weights; a --model file knows its architecture");
        }
        Dataset test = DataOption.loadTest(data, limitTest);
        Layer model = source.model != null ? ModelFiles.loadForCertification(source.model)
                : a.equals("dense") ? NpzWeights.denseNetwork(source.weights, DataType.FLOAT)
                : NpzWeights.plainNetwork(CertifyTrainCommand.architecture(a, test, Rko.defaults(), 0), source.weights,
                DataType.FLOAT);
        CertifiedEvaluation.Result r = CertifiedEvaluation.evaluate(model, test);
        if (histogram != null) {
            CertifiedEvaluation.writeHistogram(histogram, r.report());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.line(r.figures()));
        } else {
            CertifyTrainCommand.printSummary(out, r.figures());
        }
        return 0;
    }
}
