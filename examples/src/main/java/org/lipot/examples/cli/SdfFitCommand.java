package org.lipot.examples.cli;

import java.awt.Font;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.sdf.MeshFiles;
import org.lipot.lipschitz.sdf.MeshShape;
import org.lipot.lipschitz.sdf.OrientedCloud;
import org.lipot.lipschitz.sdf.PointCloudFiles;
import org.lipot.lipschitz.sdf.Polygons;
import org.lipot.lipschitz.sdf.Polylines;
import org.lipot.lipschitz.sdf.SdfEvaluation;
import org.lipot.lipschitz.sdf.SdfFitter;
import org.lipot.lipschitz.sdf.SurfaceShape;
import org.lipot.lipschitz.train.Callback;
import org.lipot.lipschitz.train.EpochRecord;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lipot sdf fit}: fits a field to a glyph outline (the embedded default) or a triangle mesh. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a 1-Lipschitz signed distance field (hinge-KR on winding-number labels) to a glyph",
                "outline, 2-D polygons or open polylines (CSV), a triangle mesh (OBJ, OFF, STL, PLY) or a point",
                "cloud (XYZ, PLY), save it, and report its quality on held-out points: sign agreement, IoU, mean",
                "|f - d| near the surface (for a cloud, to the nearest sample), empirical and sound Lipschitz bounds."})
final class SdfFitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Input input;

    /** The shape: a glyph, polygons, polylines, a mesh or a point cloud. */
    static final class Input {
        @Option(names = "--glyph", paramLabel = "TEXT",
                description = "text whose outline is the shape (Java's sans-serif bold font); the default is \"lipot\"")
        String glyph;

        @Option(names = "--mesh", paramLabel = "FILE", description = "a triangle mesh: .obj, .off, .stl or .ply")
        Path mesh;

        @Option(names = "--polygons", paramLabel = "FILE.csv",
                description = "closed 2-D polygons: x,y per line, loops separated by blank lines")
        Path polygons;

        @Option(names = "--polylines", paramLabel = "FILE.csv",
                description = {"open 2-D curves (same format, not closed): the field is the signed distance to the",
                    "tube of --radius around them, so the unsigned distance to the curves is f + radius"})
        Path polylines;

        @Option(names = "--points", paramLabel = "FILE",
                description = "a point cloud: .xyz text (x y z or x y z nx ny nz per line) or the vertices of a .ply;"
                        + " normals estimated if absent")
        Path points;
    }

    @Option(names = "--radius", paramLabel = "R",
            description = "with --polylines: the tube's radius in the curves' units; default 1 % of their box's diagonal")
    Double radius;

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "where to save the field")
    Path out;

    @Option(names = "--epochs", description = "most epochs, each on fresh points; default 200 in 2-D, 600 in 3-D")
    Integer epochs;

    @Option(names = "--time-budget", defaultValue = "600", paramLabel = "S",
            description = "seconds: stop before an epoch that would end past it (0: off); default ${DEFAULT-VALUE}")
    double timeBudget;

    @Option(names = "--samples", defaultValue = "16384", paramLabel = "N",
            description = "training points per epoch; default ${DEFAULT-VALUE}")
    int samples;

    @Option(names = "--residual", description = "SLL residual blocks (4 of width 128) instead of the GroupSort stack")
    boolean residual;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the weights and samples; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "print the report as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--out", out);
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (!(timeBudget >= 0)) {
            throw new IllegalArgumentException("--time-budget must be >= 0, got " + timeBudget);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
        }
        if (radius != null && (input == null || input.polylines == null)) {
            throw new IllegalArgumentException("--radius goes with --polylines");
        }
        if (radius != null && !(radius > 0 && radius < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--radius must be positive and finite, got " + radius);
        }
        SurfaceShape shape;
        if (input != null && input.polylines != null) {
            Polylines curves = Polylines.readCsv(input.polylines, Double.MIN_NORMAL);
            shape = curves.withRadius(radius != null ? radius : 0.01 * curves.diagonal());
        } else if (input != null && input.mesh != null) {
            shape = new MeshShape(MeshFiles.read(input.mesh));
        } else if (input != null && input.polygons != null) {
            shape = Polygons.readCsv(input.polygons);
        } else if (input != null && input.points != null) {
            PointCloudFiles.Samples s = PointCloudFiles.read(input.points);
            shape = OrientedCloud.of(s.points(), s.normals(), OrientedCloud.NEIGHBOURS);
        } else {
            shape = Polygons.glyphs(input == null || input.glyph == null ? "lipot" : input.glyph, Font.SANS_SERIF, 0.002);
        }
        PrintWriter w = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        SdfFitter.Builder fitter = SdfFitter.builder().timeBudget(timeBudget).points(samples).seed(seed)
                .residual(residual).callback(new Bar());
        if (epochs != null) {
            fitter.epochs(epochs);
        }
        SdfFitter.Fit fit = fitter.build().fit(shape);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        fit.sdf().save(out);
        SdfEvaluation e = SdfEvaluation.of(fit.sdf(), shape, 4000, seed + 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", shape instanceof Polygons ? "polygons" : shape instanceof Polylines ? "polylines"
                : shape instanceof MeshShape ? "mesh" : "points");
        if (shape instanceof Polylines p) {
            m.put("radius", p.radius());
        }
        m.put("seconds", seconds);
        m.put("epochs", fit.history().epochs().size());
        m.put("stop", fit.history().stopReason());
        m.put("lipschitz_upper_bound", e.lipschitzBound());
        m.put("empirical_lipschitz", e.maxGradientNorm());
        m.put("sign_agreement", e.signAgreement());
        m.put("iou", e.iou());
        m.put("mean_abs_error_fraction_of_diagonal", e.meanAbsError());
        m.put("model", out.toString());
        if (json) {
            w.println(Json.line(m));
        } else {
            w.printf(Locale.ROOT, "fitted %s in %.1f s (%d epochs, %s)%n  sign agreement %.4f, IoU %.4f, mean |f - d|"
                    + " near the surface %.4f of the diagonal%n  Lipschitz: sound bound %.6f, empirical %.4f%n"
                    + "  saved %s%n", m.get("shape"), seconds, fit.history().epochs().size(), fit.history().stopReason(),
                    e.signAgreement(), e.iou(), e.meanAbsError(), e.lipschitzBound(), e.maxGradientNorm(), out);
        }
        return 0;
    }

    /** One progress bar over the epochs, on standard error. */
    private static final class Bar implements Callback {
        private ProgressBar bar;

        @Override
        public void onTrainStart(int epochs, int stepsPerEpoch) {
            bar = new ProgressBarBuilder().setTaskName("sdf fit").setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
        }

        @Override
        public void onEpochEnd(EpochRecord r) {
            bar.stepTo(r.epoch());
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", r.loss()));
        }

        @Override
        public void onTrainEnd(org.lipot.lipschitz.train.TrainingHistory history) {
            bar.close();
        }
    }
}
