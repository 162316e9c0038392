package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.io.Png;
import org.lipot.lipschitz.sdf.MeshDistance;
import org.lipot.lipschitz.sdf.MeshFiles;
import org.lipot.lipschitz.sdf.NeuralSdf;
import org.lipot.lipschitz.sdf.SdfRender;
import org.lipot.lipschitz.sdf.TriangleMesh;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lipot sdf render}: a field plot of a 2-D field or a sphere-traced view of a 3-D one. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a saved field: 2-D, a field plot (blue inside, orange outside, contour bands, the zero",
                "level in black); 3-D, a sphere-traced shaded view, stepping by f / L with the sound bound L, and",
                "the number of overshoots (rays that crossed the zero level), which must be 0."})
final class SdfRenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "a field from `lipot sdf fit`")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "IMAGE.png", description = "the picture")
    Path out;

    @Option(names = "--size", defaultValue = "256", description = "width in pixels; default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--box", split = ",", paramLabel = "LO..,HI..",
            description = "the region: x0,y0,x1,y1 (2-D) or x0,y0,z0,x1,y1,z1 (3-D); default the --mesh box, else -1..1 per axis")
    double[] box;

    @Option(names = "--mesh", paramLabel = "FILE", description = {"3-D: the mesh the field was fitted to (OBJ, OFF,"
            + " STL, PLY); frames its box with 5 % spare unless --box is given, and checks every hit against the",
        "mesh's exact distance (largest_hit_distance)"})
    Path mesh;

    @Option(names = "--view", split = ",", paramLabel = "AZ,EL", defaultValue = "30,20",
            description = "3-D: the camera's azimuth about the y axis and elevation, in degrees; default ${DEFAULT-VALUE}")
    double[] view;

    @Option(names = "--json", description = "print the report as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--out", out);
        if (size < 2 || size > 4096) {
            throw new IllegalArgumentException("--size must be in [2, 4096], got " + size);
        }
        if (view.length != 2 || !(Math.abs(view[1]) < 90) || !Double.isFinite(view[0])) {
            throw new IllegalArgumentException("--view must be AZ,EL with EL in (-90, 90), got "
                    + java.util.Arrays.toString(view));
        }
        NeuralSdf sdf = NeuralSdf.load(model);
        int d = sdf.dimension();
        TriangleMesh shape = referenceMesh(mesh, d);
        double[] b = region(box, shape, d);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dimension", d);
        m.put("lipschitz_upper_bound", sdf.lipschitzBound());
        if (d == 2) {
            Png.write(out, SdfRender.field2d(sdf, b, size, Math.max(b[2] - b[0], b[3] - b[1]) / 40));
        } else {
            SdfRender.Render r = SdfRender.shaded3d(sdf, b, size, view[0], view[1]);
            Png.write(out, r.image());
            m.put("rays", size * size);
            m.put("hits", r.hits().hitCount());
            m.put("overshoots", r.hits().overshoots());
            if (shape != null) {
                double worst = 0;
                for (double dist : new MeshDistance(shape).distances(r.hitPoints(), false)) {
                    worst = Math.max(worst, dist);
                }
                m.put("largest_hit_distance", worst);
                m.put("largest_hit_distance_fraction_of_diagonal", worst / shape.diagonal());
            }
        }
        m.put("image", out.toString());
        if (json) {
            spec.commandLine().getOut().println(Json.line(m));
        } else {
            spec.commandLine().getOut().println("wrote " + out + (d == 3 ? " (" + m.get("hits") + " of " + m.get("rays")
                    + " rays hit, " + m.get("overshoots") + " overshoots" + (shape == null ? "" : String.format(
                    Locale.ROOT, ", every hit within %.4g of the mesh", (double) m.get("largest_hit_distance")))
                    + ")" : ""));
        }
        return d == 3 && (int) m.get("overshoots") > 0 ? Main.NOT_CONVERGED : 0;
    }

    /** The {@code --mesh} option: the mesh a {@code d}-D field was fitted to, or null; 3-D fields only. */
    static TriangleMesh referenceMesh(Path mesh, int d) {
        if (mesh != null && d != 3) {
            throw new IllegalArgumentException("--mesh needs a 3-D field, got a " + d + "-D one");
        }
        return mesh == null ? null : MeshFiles.read(mesh);
    }

    /**
     * The region of a {@code d}-D field: the {@code --box} option if given, else the box of {@code shape} grown by 5 %
     * of its extent on every side, else -1..1 per axis.
     */
    static double[] region(double[] box, TriangleMesh shape, int d) {
        if (box == null) {
            double[] b = new double[2 * d];
            for (int k = 0; k < d; k++) {
                double grow = shape == null ? 0 : 0.05 * (shape.bounds()[d + k] - shape.bounds()[k]);
                b[k] = shape == null ? -1 : shape.bounds()[k] - grow;
                b[d + k] = shape == null ? 1 : shape.bounds()[d + k] + grow;
            }
            return b;
        }
        if (box.length != 2 * d) {
            throw new IllegalArgumentException("--box: a " + d + "-D field needs " + 2 * d + " numbers, got "
                    + box.length);
        }
        for (int k = 0; k < d; k++) {
            if (!(box[d + k] > box[k])) {
                throw new IllegalArgumentException("--box: the upper corner must exceed the lower one on every axis");
            }
        }
        return box;
    }
}
