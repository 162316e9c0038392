package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marching tetrahedra on a field fitted to a cube: a closed, outward surface on the zero level. */
class SurfaceExtractionTest {

    static MeshShape shape;
    static SdfFitter.Fit fit;

    @BeforeAll
    static void fitACube() {
        TriangleMesh cube = WindingAndDistanceTest.box(new double[] {-0.5, -0.5, -0.5}, new double[] {0.5, 0.5, 0.5});
        shape = new MeshShape(cube);
        fit = SdfFitter.builder().widths(64, 64).epochs(60).points(4096).batchSize(1024).seed(2).build().fit(shape);
    }

    @Test
    void aFittedCubeGivesAClosedOutwardSurface(@TempDir Path dir) {
        SdfEvaluation e = SdfEvaluation.of(fit.sdf(), shape, 2000, 5);
        assertTrue(e.signAgreement() > 0.9, e.toString());
        assertTrue(e.maxGradientNorm() <= e.lipschitzBound() && e.lipschitzBound() <= 1.001, e.toString());

        Path obj = dir.resolve("cube.obj");
        int triangles = SdfGeometry.surfaceObj(fit.sdf(), new double[] {-1, -1, -1, 1, 1, 1}, 24, obj);
        TriangleMesh surface = MeshFiles.read(obj);
        assertEquals(triangles, surface.triangleCount());
        // closed: every edge is shared by exactly two triangles, in opposite directions
        Map<Long, Integer> edges = new HashMap<>();
        int[] t = surface.triangles();
        for (int i = 0; i < t.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                long from = t[i + c];
                long to = t[i + (c + 1) % 3];
                edges.merge(from * 1_000_000L + to, 1, Integer::sum);
            }
        }
        for (Map.Entry<Long, Integer> edge : edges.entrySet()) {
            long from = edge.getKey() / 1_000_000L;
            long to = edge.getKey() % 1_000_000L;
            assertEquals(1, edge.getValue(), "directed edge " + from + " -> " + to);
            assertEquals(1, edges.getOrDefault(to * 1_000_000L + from, 0), "edge " + from + " - " + to + " is shared");
        }
        // outward: winding number +1 at the centre; on the field's zero level
        assertEquals(1, WindingNumbers.of(surface, 0, 0, 0), 1e-9);
        double[] v = surface.vertices();
        double[][] p = new double[surface.vertexCount()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {v[3 * i], v[3 * i + 1], v[3 * i + 2]};
        }
        double worst = 0;
        for (double f : fit.sdf().distances(p)) {
            worst = Math.max(worst, Math.abs(f));
        }
        assertTrue(worst < 0.01, "vertices on the zero level to within the linear interpolation: " + worst);
    }

    @Test
    void theShadedRenderTracesWithoutOvershootAndItsHitsAreOnTheCube() {
        SdfRender.Render r = SdfRender.shaded3d(fit.sdf(), new double[] {-1, -1, -1, 1, 1, 1}, 48);
        assertEquals(0, r.hits().overshoots());
        assertTrue(r.hits().hitCount() > 150, "the cube covers 8-14 % of the view: " + r.hits().hitCount());
        assertEquals(48, r.image().getWidth());
        // every hit, checked against the exact distance to the cube: within the fit's error
        double worst = 0;
        assertEquals(r.hits().hitCount(), r.hitPoints().length);
        for (double d : shape.signedDistances(r.hitPoints())) {
            worst = Math.max(worst, Math.abs(d));
        }
        assertTrue(worst < 0.1, "every hit is within " + worst + " of the cube"); // 0.052 measured
    }
}
