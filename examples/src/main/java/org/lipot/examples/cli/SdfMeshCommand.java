package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.sdf.NeuralSdf;
import org.lipot.lipschitz.sdf.SdfGeometry;

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
            description = "the region: x0,y0,x1,y1 (2-D) or x0,y0,z0,x1,y1,z1 (3-D); default -1..1 per axis")
    double[] box;

    @Override
    public Integer call() {
        OutputFiles.checkFolder("--out", out);
        if (resolution < 2 || resolution > 512) {
            throw new IllegalArgumentException("--resolution must be in [2, 512], got " + resolution);
        }
        NeuralSdf sdf = NeuralSdf.load(model);
        double[] b = SdfRenderCommand.region(box, sdf.dimension());
        int n = sdf.dimension() == 2 ? SdfGeometry.contourObj(sdf, b, resolution, out)
                : SdfGeometry.surfaceObj(sdf, b, resolution, out);
        spec.commandLine().getOut().println("wrote " + n + (sdf.dimension() == 2 ? " segments" : " triangles")
                + " to " + out);
        return 0;
    }
}
