package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.data.TrainTest;
import org.lipot.lipschitz.io.NpzWeights;
import org.lipot.lipschitz.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot certify eval}: certifies a dense network given as exported weights ({@code .npz} with
 * {@code l{k}_weight} (out, in) and {@code l{k}_bias}, as the PyTorch peer writes them) on a test set.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Certify exported dense weights (.npz: l{k}_weight (out, in), l{k}_bias) on a test set.",
                "The Lipschitz bound is computed from the weights, never assumed to be 1."})
final class CertifyEvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--weights", required = true, paramLabel = "FILE.npz", description = "exported weights")
    Path weights;

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
        TrainTest d = DataOption.load(data, 1, limitTest);
        Sequential model = NpzWeights.denseNetwork(weights, DataType.FLOAT);
        CertifiedEvaluation.Result r = CertifiedEvaluation.evaluate(model, d.test());
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
