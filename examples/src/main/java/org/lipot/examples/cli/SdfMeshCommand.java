package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.sdf.NeuralSdf;
import org.lipot.lipschitz.sdf.SdfEvaluation;
import org.lipot.lipschitz.sdf.SdfGeometry;
import org.lipot.lipschitz.sdf.TriangleMesh;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lipot sdf mesh}: the zero level of a saved field as OBJ (contour in 2-D, surface in 3-D). */
@Command(name = "mesh", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract the zero level of a saved field to OBJ: in 2-D the contour (marching squares, `l`",
                "segments), in 3-D a closed surface (marching tetrahedra on the cube grid, triangles facing out)."})
final class SdfMeshCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "a field from `lipot sdf fit`")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "SURFACE.obj", description = "the OBJ file")
    Path out;

    @Option(names = "--resolution", defaultValue = "128", paramLabel = "N",
            description = "grid cells per axis; default ${DEFAULT-VALUE}")
    int resolution;

    @Option(names = "--box", split = ",", paramLabel = "LO..,HI..",
            description = "the region: x0,y0,x1,y1 (2-D) or x0,y0,z0,x1,y1,z1 (3-D); default the --mesh box, else -1..1"
                    + " per axis")
    double[] box;

    @Option(names = "--mesh", paramLabel = "FILE", description = {"3-D: the mesh the field was fitted to; frames its"
            + " box with 5 % spare unless --box is given, and reports the Chamfer distance of the surface to it (the",
        "mean exact distance from 20000 points of each surface to the other, averaged)"})
    Path mesh;

    @Option(names = "--json", description = "print the report as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--out", out);
        if (resolution < 2 || resolution > 512) {
            throw new IllegalArgumentException("--resolution must be in [2, 512], got " + resolution);
        }
        NeuralSdf sdf = NeuralSdf.load(model);
        TriangleMesh shape = SdfRenderCommand.referenceMesh(mesh, sdf.dimension());
        double[] b = SdfRenderCommand.region(box, shape, sdf.dimension());
        TriangleMesh surface = null;
        int n;
        if (sdf.dimension() == 2) {
            n = SdfGeometry.contourObj(sdf, b, resolution, out);
        } else {
            surface = SdfGeometry.surface(sdf, b, resolution).orElse(null);
            SdfGeometry.writeSurfaceObj(surface, resolution, out);
            n = surface == null ? 0 : surface.triangleCount();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(sdf.dimension() == 2 ? "segments" : "triangles", n);
        m.put("surface", out.toString());
        if (shape != null && surface != null) {
            double chamfer = SdfEvaluation.chamfer(surface, shape, 20000, 0);
            m.put("chamfer", chamfer);
            m.put("chamfer_fraction_of_diagonal", chamfer / shape.diagonal());
        }
        if (json) {
            spec.commandLine().getOut().println(Json.line(m));
        } else {
            spec.commandLine().getOut().println("wrote " + n + (sdf.dimension() == 2 ? " segments" : " triangles")
                    + " to " + out + (m.containsKey("chamfer") ? String.format(Locale.ROOT,
                    "; Chamfer distance to the mesh %.4g (%.4f of its diagonal)", m.get("chamfer"),
                    m.get("chamfer_fraction_of_diagonal")) : ""));
        }
        return 0;
    }
}
