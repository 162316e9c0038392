package org.lipot.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.lipot.transport.geometry.Cost;
import org.lipot.transport.io.ArrayFiles;
import org.lipot.transport.io.Npz;
import org.lipot.transport.io.NpyArray;
import org.lipot.transport.pairwise.Cloud;
import org.lipot.transport.pairwise.LocalPairwise;
import org.lipot.transport.pairwise.PairwiseEngine;
import org.lipot.transport.pairwise.PairwiseMethod;
import org.lipot.transport.pairwise.PairwiseResult;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot pairwise}: the N x N matrix of a transport value over N point clouds, on all local cores
 * ({@link LocalPairwise}). With {@code --json} the last line of stdout is one JSON object with the pairs, the
 * seconds, pairs per second and the number of pairs that did not converge.
 */
@Command(name = "pairwise", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pairwise transport matrix over N point clouds (a folder of .npy files, sorted by name, or one"
                + " .npz archive, arrays in file order).",
                "The output is N x N and symmetric, 0 on the diagonal for distances; NaN marks a pair that did not"
                        + " converge.",
                "Exit status: 0 all pairs solved; 1 some did not converge (listed); 2 bad usage or input (one line,"
                        + " before any work); 3 internal error (stack trace with --debug)."})
final class PairwiseCommand implements Callable<Integer> {

    /** Sinkhorn's per-solve warnings, silenced here: the failures are listed once at the end (kept referenced). */
    private static final java.util.logging.Logger SINKHORN_LOG =
            java.util.logging.Logger.getLogger(org.lipot.transport.entropic.Sinkhorn.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--clouds", required = true, paramLabel = "DIR|FILE.npz", description = "the N clouds, n_k x d each")
    Path clouds;

    @Option(names = "--weights", paramLabel = "DIR|FILE.npz",
            description = "their weights, the same layout (default uniform); normalised to total 1 per cloud")
    Path weights;

    @Option(names = "--columns", paramLabel = "DIR|FILE.npz",
            description = "a second list of clouds: the rectangular matrix clouds x columns (train x test) instead of"
                    + " the symmetric one")
    Path columns;

    @Option(names = "--column-weights", paramLabel = "DIR|FILE.npz", description = "the weights of --columns")
    Path columnWeights;

    @Option(names = "--method", required = true, paramLabel = "NAME",
            description = "exact, 1d (clouds of dimension 1, W_p^p with p the cost's exponent), sliced, gaussian, sinkhorn"
                    + " or sinkhorn-divergence")
    String method;

    @Option(names = "--cost", defaultValue = "sqeuclidean", paramLabel = "NAME",
            description = "sqeuclidean (default), euclidean or lp:P (sliced: sqeuclidean or euclidean; gaussian:"
                    + " sqeuclidean)")
    String cost;

    @Option(names = "--projections", paramLabel = "K", description = "sliced: directions (default 50)")
    Integer projections;

    @Option(names = "--seed", paramLabel = "S", description = "sliced: the seed of the directions (default 0)")
    Long seed;

    @Option(names = "--ridge", paramLabel = "R", description = "gaussian: added to each covariance's diagonal (default 0)")
    Double ridge;

    @Option(names = "--eps", paramLabel = "E", description = "sinkhorn, sinkhorn-divergence: the regularisation (required)")
    Double eps;

    @Option(names = "--tol", paramLabel = "T", description = "sinkhorn, sinkhorn-divergence: L1 marginal tolerance"
            + " (default 1e-6: pairs of similar clouds can take 10^5 sweeps to go much below)")
    Double tol;

    @Option(names = "--max-iter", paramLabel = "N", description = "sinkhorn, sinkhorn-divergence: sweep cap (default"
            + " 100000)")
    Long maxIterations;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "NAME",
            description = "local (default: this machine's cores) or spark (lipot-spark on Apache Spark; ./lipot resolves"
                    + " Spark through Maven on first use)")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the Spark master (default"
            + " local[*])")
    String master;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the matrix, .npy or .csv")
    Path out;

    @Option(names = "--json", description = "print one JSON object as the last line (and no progress bar)")
    boolean json;

    @Override
    public Integer call() {
        // every option is checked before a file is read or a pair is solved
        boolean local = engine.equals("local");
        PairwiseEngine remote = local ? null : PairwiseEngine.named(engine);
        if (local && master != null) {
            throw new IllegalArgumentException("--master applies to --engine spark only");
        }
        if (!local && threads != null) {
            throw new IllegalArgumentException("--threads applies to --engine local only (Spark uses the master's"
                    + " cores)");
        }
        Cost c = Cost.named(cost);
        boolean sinkhorn = method.equals("sinkhorn") || method.equals("sinkhorn-divergence");
        if (!sinkhorn && (eps != null || tol != null || maxIterations != null)) {
            throw new IllegalArgumentException("--eps, --tol and --max-iter apply to sinkhorn and sinkhorn-divergence"
                    + " only, not to " + method);
        }
        if (!method.equals("sliced") && (projections != null || seed != null)) {
            throw new IllegalArgumentException("--projections and --seed apply to sliced only, not to " + method);
        }
        if (!method.equals("gaussian") && ridge != null) {
            throw new IllegalArgumentException("--ridge applies to gaussian only, not to " + method);
        }
        if (sinkhorn && eps == null) {
            throw new IllegalArgumentException("--method " + method + " needs --eps (absolute, in the cost's units)");
        }
        PairwiseMethod<?> m = switch (method) {
            case "exact" -> PairwiseMethod.exact(c);
            case "1d" -> PairwiseMethod.oneDimensional(c.exponent());
            case "sliced" -> PairwiseMethod.sliced(c, projections == null ? 50 : projections, seed == null ? 0 : seed);
            case "gaussian" -> {
                if (c != Cost.SQUARED_EUCLIDEAN) {
                    throw new IllegalArgumentException("--method gaussian is W_2^2: it needs --cost sqeuclidean");
                }
                yield PairwiseMethod.gaussian(ridge == null ? 0 : ridge);
            }
            case "sinkhorn" -> PairwiseMethod.sinkhorn(c, eps, tol == null ? 1e-6 : tol,
                    maxIterations == null ? 100_000 : maxIterations);
            case "sinkhorn-divergence" -> PairwiseMethod.sinkhornDivergence(c, eps, tol == null ? 1e-6 : tol,
                    maxIterations == null ? 100_000 : maxIterations);
            default -> throw new IllegalArgumentException("--method: unknown method '" + method
                    + "' (available: exact, 1d, sliced, gaussian, sinkhorn, sinkhorn-divergence)");
        };
        if (columns == null && columnWeights != null) {
            throw new IllegalArgumentException("--column-weights goes with --columns");
        }
        LocalPairwise.Builder builder = LocalPairwise.builder();
        if (threads != null) {
            builder.threads(threads);
        }
        OutputFiles.checkFolder("--out", out);
        ArrayFiles.checkWritable(out);

        List<Cloud> list = read(clouds, "--clouds", weights, "--weights");
        List<Cloud> cols = columns == null ? null : read(columns, "--columns", columnWeights, "--column-weights");
        ProgressBar[] bar = {null};
        if (!json && remote == null) {
            builder.progress((done, total) -> {
                if (bar[0] == null) {
                    bar[0] = new ProgressBarBuilder().setTaskName("pairwise").setInitialMax(total)
                            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                }
                bar[0].stepTo(done);
            });
        }
        SINKHORN_LOG.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> settings = master == null ? Map.of() : Map.of("master", master);
        PairwiseResult r = remote != null
                ? (cols == null ? remote.symmetric(list, m, settings) : remote.cross(list, cols, m, settings))
                : cols == null ? builder.build().symmetric(list, m) : builder.build().cross(list, cols, m);
        if (bar[0] != null) {
            bar[0].close();
        }
        r.write(out);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("method", method);
            j.put("cost", c.toString());
            j.put("clouds", list.size());
            if (cols != null) {
                j.put("columns", cols.size());
            }
            j.put("pairs", r.pairs());
            j.put("seconds", r.wallSeconds());
            j.put("pairs_per_second", r.pairsPerSecond());
            j.put("non_converged", r.failures().size());
            j.put("tiles", r.tiles());
            j.put("task_seconds", r.taskSeconds());
            j.put("longest_tile_seconds", r.longestTile());
            j.put("prepare_seconds", r.prepareSeconds());
            j.put("iterations", r.iterations());
            j.put("engine", engine);
            o.println(Json.line(j));
        } else {
            o.printf(Locale.ROOT, "%s matrix over %d%s clouds: %d pairs in %.3f s (%.0f pairs/s), %d tiles, longest %.3f s"
                    + "%n", method, list.size(), cols == null ? "" : " x " + cols.size(), r.pairs(), r.wallSeconds(), r.pairsPerSecond(), r.tiles(),
                    r.longestTile());
            for (PairwiseResult.Failure f : r.failures()) {
                o.printf(Locale.ROOT, "  pair (%d, %d): %s%n", f.row(), f.column(), f.status());
            }
            o.printf(Locale.ROOT, "  wrote %s%n", out);
        }
        return r.failures().isEmpty() ? 0 : Main.NOT_CONVERGED;
    }

    /** The clouds of {@code source} with the weights of {@code weightSource} (or uniform). */
    private static List<Cloud> read(Path source, String option, Path weightSource, String weightOption) {
        List<NpyArray> points = arrays(source, option);
        List<NpyArray> w = weightSource == null ? null : arrays(weightSource, weightOption);
        if (w != null && w.size() != points.size()) {
            throw new IllegalArgumentException(weightOption + " holds " + w.size() + " arrays for " + points.size()
                    + " clouds");
        }
        List<Cloud> list = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            double[][] p = points.get(k).toMatrix("cloud " + k + " of " + source);
            list.add(Cloud.of(p, w == null ? null : w.get(k).toVector("weights " + k + " of " + weightSource)));
        }
        return list;
    }

    /** The arrays of a folder of .npy files (by name) or of one .npz archive (in file order). */
    private static List<NpyArray> arrays(Path source, String option) {
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(source)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(option + ": cannot list " + source, e);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(option + ": " + source + " holds no .npy files");
            }
            return files.stream().map(ArrayFiles::readAny).toList();
        }
        if (!source.toString().endsWith(".npz")) {
            throw new IllegalArgumentException(option + ": " + source + " is neither a folder nor an .npz archive");
        }
        return new ArrayList<>(Npz.read(source).values());
    }
}
