package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Normals, orientation and areas estimated from a bare point cloud, judged by the mesh it was sampled from. */
class OrientedCloudTest {

    static double insideAgreement(SurfaceShape cloud, MeshShape mesh, long seed) {
        double[][] q = SdfSamples.draw(mesh, 3000, 0.5, 0.02, 0.02, 0.1, new SplittableRandom(seed));
        boolean[] a = cloud.inside(q);
        boolean[] b = mesh.inside(q);
        int same = 0;
        for (int i = 0; i < q.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / q.length;
    }

    @Test
    void aCloudSampledFromTheFigurineFindsItsInside() {
        MeshShape mesh = new MeshShape(MeshFiles.read(MeshFilesTest.resource("Wuson.obj")));
        double[][] p = mesh.surfacePoints(20000, new SplittableRandom(1));
        OrientedCloud cloud = OrientedCloud.of(p, null, OrientedCloud.NEIGHBOURS);
        double clean = insideAgreement(cloud, mesh, 2);
        assertTrue(clean > 0.97, "inside agreement without normals: " + clean);
        // with Gaussian noise of 0.2 % of the diagonal on every point
        double sigma = 0.002 * mesh.diagonal();
        SplittableRandom r = new SplittableRandom(3);
        double[][] noisy = new double[p.length][3];
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < 3; k++) {
                noisy[i][k] = p[i][k] + sigma * r.nextGaussian();
            }
        }
        double rough = insideAgreement(OrientedCloud.of(noisy, null, OrientedCloud.NEIGHBOURS), mesh, 2);
        assertTrue(rough > 0.95, "inside agreement of the noisy cloud: " + rough);
    }

    @Test
    void principalDirectionsAndBadInput() {
        double[] v = OrientedCloud.smallestEigenvector(new double[][] {{4, 1, 0}, {1, 3, 0}, {0, 0, 0.5}});
        assertArrayEquals(new double[] {0, 0, 1}, new double[] {Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2])}, 1e-12);
        double[] w = OrientedCloud.smallestEigenvector(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}});
        assertEquals(1 / Math.sqrt(2), Math.abs(w[0]), 1e-12);
        assertEquals(-Math.signum(w[0]), Math.signum(w[1]));
        assertThrows(IllegalArgumentException.class, () -> OrientedCloud.of(new double[5][3], null, 16));
    }

    @Test
    void xyzFilesWithAndWithoutNormals(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path a = dir.resolve("a.xyz");
        java.nio.file.Files.writeString(a, "# a comment\n0 0 0\n1,2,3\n\n4 5 6\n");
        PointCloudFiles.Samples s = PointCloudFiles.read(a);
        assertEquals(3, s.points().length);
        assertArrayEquals(new double[] {1, 2, 3}, s.points()[1], 0);
        assertEquals(null, s.normals());
        java.nio.file.Path b = dir.resolve("b.xyz");
        java.nio.file.Files.writeString(b, "0 0 0 0 0 1\n1 0 0 0 0 1\n");
        assertArrayEquals(new double[] {0, 0, 1}, PointCloudFiles.read(b).normals()[1], 0);
        java.nio.file.Path c = dir.resolve("c.xyz");
        java.nio.file.Files.writeString(c, "0 0 0\n1 0\n");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> PointCloudFiles.read(c));
        assertTrue(e.getMessage().contains("c.xyz:2: this line has 2 values"), e.getMessage());
    }

    @Test
    void plyVerticesWithNormalsAndTheFigurinesVertices() throws java.io.IOException {
        PointCloudFiles.Samples w = PointCloudFiles.read(MeshFilesTest.resource("Wuson.ply"));
        assertEquals(11184, w.points().length);
        assertEquals(11184, w.normals().length, "Wuson.ply has nx ny nz");
        assertEquals(1, Math.sqrt(w.normals()[7][0] * w.normals()[7][0] + w.normals()[7][1] * w.normals()[7][1]
                + w.normals()[7][2] * w.normals()[7][2]), 1e-3);
        PointCloudFiles.Samples c = PointCloudFiles.read(MeshFilesTest.resource("cube_binary.ply"));
        assertEquals(8, c.points().length);
        assertEquals(null, c.normals());
    }
}
