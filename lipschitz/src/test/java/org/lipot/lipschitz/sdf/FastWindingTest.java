package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link FastWinding} against the exact winding number, on a mesh and on an oriented point cloud. */
class FastWindingTest {

    @Test
    void theMeshHierarchyIsCloseToTheExactValue() {
        TriangleMesh m = MeshFiles.read(MeshFilesTest.resource("Wuson.obj"));
        FastWinding fast = FastWinding.of(m);
        SplittableRandom r = new SplittableRandom(9);
        double[] b = m.bounds();
        double[][] q = new double[600][3];
        for (double[] p : q) {
            for (int k = 0; k < 3; k++) {
                p[k] = r.nextDouble(b[k] - 0.2, b[k + 3] + 0.2);
            }
        }
        double[] exact = WindingNumbers.of(m, q);
        double[] approx = fast.at(q);
        double worst = 0;
        for (int i = 0; i < q.length; i++) {
            worst = Math.max(worst, Math.abs(exact[i] - approx[i]));
        }
        assertTrue(worst < 0.02, "largest difference: " + worst);
    }

    @Test
    void anOrientedPointCloudOfACubeKnowsItsInside() {
        // points uniform on the surface of [-1, 1]^3, each standing for 24 / n of its area, with face normals
        int n = 6000;
        SplittableRandom r = new SplittableRandom(4);
        double[][] p = new double[n][3];
        double[][] nrm = new double[n][3];
        double[] area = new double[n];
        for (int i = 0; i < n; i++) {
            int face = i % 6;
            int axis = face / 2;
            double side = face % 2 == 0 ? -1 : 1;
            for (int k = 0; k < 3; k++) {
                p[i][k] = k == axis ? side : r.nextDouble(-1, 1);
            }
            nrm[i][axis] = side;
            area[i] = 24.0 / n;
        }
        FastWinding fast = FastWinding.of(p, nrm, area);
        assertEquals(1, fast.at(0, 0, 0), 0.02);
        assertEquals(1, fast.at(0.5, -0.4, 0.3), 0.05);
        assertEquals(0, fast.at(3, 0, 0), 0.02);
        assertEquals(0, fast.at(1.6, 1.5, -1.4), 0.05);
        assertThrows(IllegalArgumentException.class, () -> FastWinding.of(p, nrm, new double[3]));
    }
}
