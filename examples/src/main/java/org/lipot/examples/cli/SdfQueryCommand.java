package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.sdf.NeuralSdf;
import org.lipot.transport.io.ArrayFiles;
import org.lipot.transport.io.Npy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lipot sdf query}: signed distances (and gradients) of a saved field at given points. */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Signed distances of a saved field at points (.npy or .csv, N x d), in the shape's units,",
                "negative inside, written as a .npy vector of length N; optionally the gradients (N x d)."})
final class SdfQueryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "a field from `lipot sdf fit`")
    Path model;

    @Option(names = "--points", required = true, paramLabel = "Q.npy", description = "query points, N x d")
    Path points;

    @Option(names = "--out", required = true, paramLabel = "D.npy", description = "signed distances, length N")
    Path out;

    @Option(names = "--gradients", paramLabel = "G.npy", description = "also write the gradients, N x d")
    Path gradients;

    @Override
    public Integer call() {
        ArrayFiles.checkWritable(out);
        if (gradients != null) {
            ArrayFiles.checkWritable(gradients);
        }
        NeuralSdf sdf = NeuralSdf.load(model);
        double[][] q = ArrayFiles.readAny(points).toMatrix("query points " + points);
        if (q.length > 0 && q[0].length != sdf.dimension()) {
            throw new IllegalArgumentException("--points: the field is " + sdf.dimension() + "-D but the points have "
                    + q[0].length + " columns");
        }
        double[] d = sdf.distances(q);
        Npy.write(out, d);
        if (gradients != null) {
            ArrayFiles.write(gradients, sdf.gradients(q));
        }
        spec.commandLine().getOut().println("wrote " + d.length + " signed distances to " + out
                + (gradients == null ? "" : " and their gradients to " + gradients));
        return 0;
    }
}
