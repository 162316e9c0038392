package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.io.Png;
import org.lipot.lipschitz.sdf.NeuralSdf;
import org.lipot.lipschitz.sdf.SdfRender;

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
            description = "the region: x0,y0,x1,y1 (2-D) or x0,y0,z0,x1,y1,z1 (3-D); default -1..1 per axis")
    double[] box;

    @Option(names = "--json", description = "print the report as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--out", out);
        if (size < 2 || size > 4096) {
            throw new IllegalArgumentException("--size must be in [2, 4096], got " + size);
        }
        NeuralSdf sdf = NeuralSdf.load(model);
        int d = sdf.dimension();
        double[] b = region(box, d);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dimension", d);
        m.put("lipschitz_upper_bound", sdf.lipschitzBound());
        if (d == 2) {
            Png.write(out, SdfRender.field2d(sdf, b, size, Math.max(b[2] - b[0], b[3] - b[1]) / 40));
        } else {
            SdfRender.Render r = SdfRender.shaded3d(sdf, b, size);
            Png.write(out, r.image());
            m.put("rays", size * size);
            m.put("hits", r.hits().hitCount());
            m.put("overshoots", r.hits().overshoots());
        }
        m.put("image", out.toString());
        if (json) {
            spec.commandLine().getOut().println(Json.line(m));
        } else {
            spec.commandLine().getOut().println("wrote " + out + (d == 3 ? " (" + m.get("hits") + " of " + m.get("rays")
                    + " rays hit, " + m.get("overshoots") + " overshoots)" : ""));
        }
        return d == 3 && (int) m.get("overshoots") > 0 ? Main.NOT_CONVERGED : 0;
    }

    /** The {@code --box} option for a {@code d}-D field, -1..1 per axis when not given. */
    static double[] region(double[] box, int d) {
        if (box == null) {
            double[] b = new double[2 * d];
            for (int k = 0; k < d; k++) {
                b[k] = -1;
                b[d + k] = 1;
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
