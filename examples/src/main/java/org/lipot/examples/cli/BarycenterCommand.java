package org.lipot.examples.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.io.Png;
import org.lipot.transport.TransportResult;
import org.lipot.transport.barycenter.BarycenterResult;
import org.lipot.transport.barycenter.BregmanBarycenter;
import org.lipot.transport.barycenter.ConvolutionalBarycenter;
import org.lipot.transport.barycenter.FreeSupportBarycenter;
import org.lipot.transport.barycenter.FreeSupportResult;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.ArrayFiles;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot barycenter}: the Wasserstein barycenter of histograms on a fixed support, of images on a pixel grid,
 * or of point clouds with a free support, read from {@code .npy} / {@code .csv} files. With {@code --json} the last
 * line of stdout is one JSON object with {@code method, inputs, n, value, seconds_min, seconds_median, iterations,
 * marginal_error, converged, status}, as for {@code lipot ot}.
 */
@Command(name = "barycenter", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Wasserstein barycenter of histograms (--histograms with --support), images (--images) or point"
                + " clouds (--clouds).",
                "The value is sum_k w_k <P_k, C> (weighted W_2^2 for the squared Euclidean cost).",
                "Exit status: 0 solved; 1 not converged or numerical error (the status is printed with the result);",
                "2 bad usage or input (one line, before any work); 3 internal error (stack trace with --debug)."})
final class BarycenterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** Exactly one kind of input. */
    static final class Inputs {
        @Option(names = "--histograms", paramLabel = "FILE",
                description = "k x m histograms (one per row, each summing to 1) on the points of --support")
        Path histograms;

        @Option(names = "--images", paramLabel = "FILE.npy",
                description = "k x h x w images (each summing to 1): the convolutional barycenter, pixels at (c, r) /"
                        + " (max(h, w) - 1)")
        Path images;

        @Option(names = "--clouds", paramLabel = "FILE", split = ",",
                description = "point clouds, n_k x d each, comma-separated: the free-support barycenter")
        List<Path> clouds;
    }

    @Option(names = "--support", paramLabel = "FILE", description = "with --histograms: the m support points, m x d")
    Path support;

    @Option(names = "--cost", paramLabel = "NAME",
            description = "with --histograms: sqeuclidean (default), euclidean, or lp:P")
    String cost;

    @Option(names = "--cloud-weights", paramLabel = "FILE", split = ",",
            description = "with --clouds: each cloud's point weights, comma-separated files (default uniform)")
    List<Path> cloudWeights;

    @Option(names = "--init", paramLabel = "FILE",
            description = "with --clouds: the barycenter's starting points, N x d (default: the first cloud's points)")
    Path init;

    @Option(names = "--weights", paramLabel = "W", split = ",",
            description = "the barycenter weights w_k, comma-separated, summing to 1 (default 1/k each)")
    double[] weights;

    @Option(names = "--eps", paramLabel = "E",
            description = {"the entropic regularisation, absolute in the cost's units (required for --histograms and",
                    "--images; with --clouds it selects entropic transport instead of exact)"})
    Double eps;

    @Option(names = "--debiased", description = "with --histograms or --images: debiased (Sinkhorn-divergence) barycenter")
    boolean debiased;

    @Option(names = "--log-domain", description = "with --histograms or --images: log-sum-exp sweeps from the start")
    boolean logDomain;

    @Option(names = "--tol", paramLabel = "T", description = {"histograms, images: stop once max_k |P_k^T 1 - h_k|_1 <= T"
            + " (default 1e-9);", "clouds: once a round moves the points by sum_i a_i |dy_i|^2 <= T (default 1e-12)"})
    Double tol;

    @Option(names = "--max-iter", paramLabel = "N",
            description = "histograms, images: sweep cap (default 100000); clouds: round cap (default 100)")
    Integer maxIterations;

    @Option(names = "--out", paramLabel = "FILE",
            description = "write the barycenter (.npy or .csv): a vector, an h x w array, or N x d points")
    Path out;

    @Option(names = "--png", paramLabel = "FILE.png", description = "with --images: draw the inputs and the barycenter")
    Path png;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
            description = "timed repeats after one untimed warm-up; default ${DEFAULT-VALUE}")
    int repeat;

    @Option(names = "--json", description = {"print one JSON object as the last line",
            "(without it, a histogram or image solve longer than a second shows a progress bar on stderr)"})
    boolean json;

    /** How long a solve runs before its progress bar appears (hidden: tests set 0). */
    @Option(names = "--progress-delay", hidden = true, defaultValue = "1000", paramLabel = "MS")
    long progressDelayMillis;

    private interface Solve {
        TransportResult run();
    }

    @Override
    public Integer call() {
        // every option is checked before a file is read or a solve starts
        boolean histograms = inputs.histograms != null;
        boolean images = inputs.images != null;
        boolean clouds = inputs.clouds != null;
        String method = histograms ? "bregman" : images ? "convolutional" : "free-support";
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        if (histograms != (support != null)) {
            throw new IllegalArgumentException("--support goes with --histograms, and --histograms needs it");
        }
        if (cost != null && !histograms) {
            throw new IllegalArgumentException("--cost applies to --histograms only (images and clouds use sqeuclidean)");
        }
        if (!clouds && (cloudWeights != null || init != null)) {
            throw new IllegalArgumentException((init != null ? "--init" : "--cloud-weights") + " applies to --clouds only");
        }
        if (clouds && (debiased || logDomain)) {
            throw new IllegalArgumentException((debiased ? "--debiased" : "--log-domain")
                    + " applies to --histograms and --images only");
        }
        if (png != null && !images) {
            throw new IllegalArgumentException("--png applies to --images only");
        }
        if (!clouds && eps == null) {
            throw new IllegalArgumentException("--" + (histograms ? "histograms" : "images")
                    + " needs --eps (absolute, in the cost's units)");
        }
        if (clouds && cloudWeights != null && cloudWeights.size() != inputs.clouds.size()) {
            throw new IllegalArgumentException("--cloud-weights needs one file per cloud (" + inputs.clouds.size()
                    + "), got " + cloudWeights.size());
        }
        if (weights != null) {
            double total = 0;
            for (double w : weights) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("--weights must be finite and >= 0, got " + w);
                }
                total += w;
            }
            if (Math.abs(total - 1) > 1e-6) {
                throw new IllegalArgumentException("--weights must sum to 1, got " + total);
            }
        }
        Cost c = Cost.named(cost == null ? "sqeuclidean" : cost);
        if (progressDelayMillis < 0) {
            throw new IllegalArgumentException("--progress-delay must be >= 0, got " + progressDelayMillis);
        }
        SinkhornProgressBar bar = json || clouds ? null
                : new SinkhornProgressBar(spec.commandLine().getErr(), progressDelayMillis);
        BregmanBarycenter bregman = null;
        ConvolutionalBarycenter convolutional = null;
        FreeSupportBarycenter free = null;
        if (histograms) {
            BregmanBarycenter.Builder b = BregmanBarycenter.builder().epsilon(eps).debiased(debiased)
                    .logDomain(logDomain).progress(bar);
            if (tol != null) {
                b.tolerance(tol);
            }
            if (maxIterations != null) {
                b.maxIterations(maxIterations);
            }
            bregman = b.build();
        } else if (images) {
            ConvolutionalBarycenter.Builder b = ConvolutionalBarycenter.builder().epsilon(eps).debiased(debiased)
                    .logDomain(logDomain).progress(bar);
            if (tol != null) {
                b.tolerance(tol);
            }
            if (maxIterations != null) {
                b.maxIterations(maxIterations);
            }
            convolutional = b.build();
        } else {
            FreeSupportBarycenter.Builder b = FreeSupportBarycenter.builder();
            if (eps != null) {
                b.solver(Sinkhorn.builder().epsilon(eps).build());
            }
            if (tol != null) {
                b.tolerance(tol);
            }
            if (maxIterations != null) {
                b.maxIterations(maxIterations);
            }
            free = b.build();
        }
        OutputFiles.checkFolder("--out", out);
        OutputFiles.checkFolder("--png", png);
        if (out != null) {
            ArrayFiles.checkWritable(out);
        }

        Solve solve;
        int k;
        int n;
        int[] grid = null;
        double[][] given;
        if (histograms) {
            given = ArrayFiles.readAny(inputs.histograms).toMatrix("histograms " + inputs.histograms);
            double[][] x = ArrayFiles.readAny(support).toMatrix("support points " + support);
            PointCloud geometry = PointCloud.of(x, x, c);
            BregmanBarycenter solver = bregman;
            solve = () -> solver.solve(geometry, given, weights);
            k = given.length;
            n = x.length;
        } else if (images) {
            NpyArray a = ArrayFiles.readAny(inputs.images);
            int[] s = a.shape();
            if (s.length != 3) {
                throw new IllegalArgumentException("--images: " + inputs.images + " must be a k x h x w array, got shape "
                        + Arrays.toString(s));
            }
            grid = new int[] {s[1], s[2]};
            int size = s[1] * s[2];
            double[] data = a.data();
            given = new double[s[0]][];
            for (int i = 0; i < s[0]; i++) {
                given[i] = Arrays.copyOfRange(data, i * size, (i + 1) * size);
            }
            ConvolutionalBarycenter solver = convolutional;
            int h = s[1];
            int w = s[2];
            solve = () -> solver.solve(h, w, given, weights);
            k = s[0];
            n = size;
        } else {
            k = inputs.clouds.size();
            double[][][] points = new double[k][][];
            double[][] pointWeights = cloudWeights == null ? null : new double[k][];
            for (int i = 0; i < k; i++) {
                points[i] = ArrayFiles.readAny(inputs.clouds.get(i)).toMatrix("cloud " + inputs.clouds.get(i));
                if (pointWeights != null) {
                    pointWeights[i] = ArrayFiles.readAny(cloudWeights.get(i)).toVector("weights " + cloudWeights.get(i));
                }
            }
            double[][] start = init == null ? points[0] : ArrayFiles.readAny(init).toMatrix("initial points " + init);
            FreeSupportBarycenter solver = free;
            solve = () -> solver.solve(points, pointWeights, weights, start, null);
            given = null;
            n = start.length;
        }

        TimedRuns<TransportResult> timed = TimedRuns.of(solve::run, repeat, bar, method + " barycenter");
        TransportResult r = timed.result();

        if (out != null) {
            if (r instanceof FreeSupportResult f) {
                ArrayFiles.write(out, f.points());
            } else if (grid != null) {
                double[] q = ((BarycenterResult) r).barycenter();
                double[][] rows = new double[grid[0]][];
                for (int i = 0; i < grid[0]; i++) {
                    rows[i] = Arrays.copyOfRange(q, i * grid[1], (i + 1) * grid[1]);
                }
                ArrayFiles.write(out, rows);
            } else if (out.toString().endsWith(".npy")) {
                Npy.write(out, ((BarycenterResult) r).barycenter());
            } else {
                ArrayFiles.write(out, new double[][] {((BarycenterResult) r).barycenter()});
            }
        }
        if (png != null) {
            Png.write(png, strip(given, ((BarycenterResult) r).barycenter(), grid[0], grid[1]));
        }
        PrintWriter o = spec.commandLine().getOut();
        double error = r instanceof BarycenterResult b ? b.marginalError() : ((FreeSupportResult) r).displacement();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("inputs", k);
            m.put("n", n);
            m.put("value", r.value());
            m.put("seconds_min", timed.minSeconds());
            m.put("seconds_median", timed.medianSeconds());
            m.put("iterations", r.iterations());
            m.put(r instanceof BarycenterResult ? "marginal_error" : "displacement", error);
            m.put("converged", r.converged());
            m.put("status", r.status().name());
            if (eps != null) {
                m.put("epsilon", eps);
            }
            if (r instanceof BarycenterResult b) {
                m.put("debiased", debiased);
                m.put("log_domain", b.logDomain());
                m.put("mass", Arrays.stream(b.barycenter()).sum());
            }
            o.println(Json.line(m));
        } else {
            o.printf(Locale.ROOT, "%s barycenter of %d inputs, %d %s%n", method, k, n,
                    clouds ? "points" : images ? "pixels (" + grid[0] + " x " + grid[1] + ")" : "support points");
            o.printf(Locale.ROOT, "  value sum_k w_k <P_k, C>  %s%n", OtCommand.format(r.value()));
            o.printf(Locale.ROOT, "  status                    %s after %d %s%n", r.status(), r.iterations(),
                    clouds ? "rounds" : "sweeps");
            if (r instanceof BarycenterResult b) {
                o.printf(Locale.ROOT, "  marginal error            %.3g (max_k |P_k^T 1 - h_k|_1)%s%n", error,
                        b.logDomain() ? ", log-domain sweeps" : "");
            } else {
                o.printf(Locale.ROOT, "  last displacement         %.3g (sum_i a_i |dy_i|^2)%n", error);
            }
            o.printf(Locale.ROOT, "  solver time               %.4f s (median of %d, min %.4f s)%n",
                    timed.medianSeconds(), repeat, timed.minSeconds());
        }
        return r.converged() ? 0 : Main.NOT_CONVERGED;
    }

    /** The inputs and then the barycenter, side by side, each scaled to its own maximum, 4 screen pixels per pixel. */
    private static BufferedImage strip(double[][] inputs, double[] barycenter, int h, int w) {
        int scale = Math.max(1, Math.min(8, 256 / Math.max(h, w)));
        int gap = 8;
        int tiles = inputs.length + 1;
        BufferedImage image = new BufferedImage(tiles * (w * scale + gap) + gap, h * scale + 2 * gap,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int t = 0; t < tiles; t++) {
            double[] q = t < inputs.length ? inputs[t] : barycenter;
            double max = Arrays.stream(q).max().orElse(1);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    double v = max > 0 ? Math.min(1, q[r * w + c] / max) : 0;
                    int grey = (int) Math.round(255 * (1 - v));
                    int rgb = t < inputs.length ? (grey << 16) | (grey << 8) | grey
                            : ((int) Math.round(255 * (1 - 0.9 * v)) << 16) | ((int) Math.round(255 * (1 - 0.75 * v)) << 8)
                            | (int) Math.round(255 * (1 - 0.35 * v));
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(gap + t * (w * scale + gap) + c * scale + dx, gap + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return image;
    }
}
