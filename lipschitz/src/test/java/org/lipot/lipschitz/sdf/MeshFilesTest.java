package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MeshFiles}: every format on real files, the same shape through all four, and malformed files. */
class MeshFilesTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(MeshFilesTest.class.getResource("/sdf/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theFigurineReadsAlikeInEveryFormat() {
        TriangleMesh obj = MeshFiles.read(resource("Wuson.obj"));
        assertEquals(2117, obj.vertexCount());
        assertEquals(3732, obj.triangleCount());
        MeshDistance objDistance = new MeshDistance(obj);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double[] b = obj.bounds();
        double[][] probes = new double[50][3];
        for (double[] p : probes) {
            for (int k = 0; k < 3; k++) {
                p[k] = r.nextDouble(b[k] - 0.1, b[k + 3] + 0.1);
            }
        }
        for (String f : new String[] {"Wuson.off", "Wuson.stl", "Wuson.ply"}) {
            TriangleMesh m = MeshFiles.read(resource(f));
            assertEquals(3732, m.triangleCount(), f);
            assertArrayEquals(obj.bounds(), m.bounds(), 1e-6, f + " bounds"); // STL stores float32
            // the same oriented surface (the converters reordered vertices and triangles): the same distances and
            // winding numbers everywhere
            for (int q = 0; q < probes.length; q++) {
                double[] p = probes[q];
                assertEquals(objDistance.unsigned(p[0], p[1], p[2]),
                        new MeshDistance(m).unsigned(p[0], p[1], p[2]), 1e-6, f + " distance at probe " + q);
                // Wuson.off is stored inside out: its first face "3 2 0 1" lists the OBJ's first triangle (1, 2, 3)
                // backwards, and so do all the others
                double sign = f.equals("Wuson.off") ? -1 : 1;
                assertEquals(WindingNumbers.of(obj, p[0], p[1], p[2]), sign * WindingNumbers.of(m, p[0], p[1], p[2]),
                        1e-5, f + " winding at probe " + q);
            }
        }
    }

    @Test
    void cubesInThreeFormatsEncloseTheirCentre() {
        for (String f : new String[] {"box.obj", "Cube.off", "cube_binary.ply"}) {
            TriangleMesh m = MeshFiles.read(resource(f));
            assertEquals(12, m.triangleCount(), f);
            double[] b = m.bounds();
            double cx = (b[0] + b[3]) / 2;
            double cy = (b[1] + b[4]) / 2;
            double cz = (b[2] + b[5]) / 2;
            assertEquals(1, Math.abs(WindingNumbers.of(m, cx, cy, cz)), 1e-12, f + " centre");
            assertEquals(0, WindingNumbers.of(m, b[3] + 1, cy, cz), 1e-12, f + " outside");
        }
        TriangleMesh open = MeshFiles.read(resource("sphereWithHole.stl"));
        assertTrue(open.triangleCount() > 100, "ASCII STL: " + open);
    }

    @Test
    void malformedFilesNameTheFileAndTheLine() {
        UncheckedIOException obj = assertThrows(UncheckedIOException.class,
                () -> MeshFiles.read(resource("invalid-malformed.obj")));
        assertTrue(obj.getMessage().contains("invalid-malformed.obj:23: face refers to vertex 12"), obj.getMessage());
        UncheckedIOException empty = assertThrows(UncheckedIOException.class,
                () -> MeshFiles.read(resource("invalid-empty.obj")));
        assertTrue(empty.getMessage().contains("invalid-empty.obj: the file is empty"), empty.getMessage());
        UncheckedIOException off = assertThrows(UncheckedIOException.class,
                () -> MeshFiles.read(resource("invalid.off")));
        assertTrue(off.getMessage().contains("invalid.off:6: face 0 declares 0 corners"), off.getMessage());
    }

    @Test
    void absurdHeadersFailAtOnce() throws IOException {
        assertFails("huge.off", "OFF\n100000000000 1 0\n0 0 0\n", "huge.off:2: the header declares 100000000000 vertices");
        assertFails("huge.ply", "ply\nformat ascii 1.0\nelement vertex 100000000000\nproperty float x\n"
                + "property float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\n"
                + "end_header\n0 0 0\n", "the header declares 100000000000 vertex elements");
        byte[] stl = new byte[84 + 50];
        ByteBuffer.wrap(stl).order(ByteOrder.LITTLE_ENDIAN).putInt(80, 2_000_000_000);
        Files.write(dir.resolve("huge.stl"), stl);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> MeshFiles.read(dir.resolve("huge.stl")));
        assertTrue(e.getMessage().contains("declares 2000000000 triangles"), e.getMessage());
    }

    @Test
    void truncatedAndBrokenFiles() throws IOException {
        assertFails("short.off", "OFF\n4 2 0\n0.000000 0.000000 0.000000\n1.000000 0.000000 0.000000\n"
                + "0.000000 1.000000 0.000000\n", "short.off:5: the file ends after 3 of 4 vertices");
        assertFails("tight.off", "OFF\n4 2 0\n0 0 0\n1 0 0\n0 1 0\n", "the header declares 4 vertices but the 18 bytes");
        assertFails("nan.obj", "v 0 0 0\nv 1 0 0\nv 0 x 0\nf 1 2 3\n", "nan.obj:3: coordinate 2 of the vertex 'x'");
        assertFails("two.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\n", "two.obj:4: a face needs at least 3 corners");
        assertFails("points.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
                + "property float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n", "a point cloud, not a mesh");
        assertFails("loop.stl", "solid s\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\n"
                + "endfacet\nendsolid\n", "loop.stl:6: a facet loop with 2 vertices instead of 3");
        assertFails("noface.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\n", "no triangle in the file (3 vertices)");
        IllegalArgumentException ext = assertThrows(IllegalArgumentException.class,
                () -> MeshFiles.read(dir.resolve("mesh.3ds")));
        assertTrue(ext.getMessage().contains("unknown extension '3ds'"), ext.getMessage());
    }

    @Test
    void asciiAndBigEndianPlyWithPropertiesInAnyOrder() throws IOException {
        // z listed before x, an extra property, a quad: fanned into two triangles
        String header = "ply\nformat %s 1.0\nelement vertex 4\nproperty float z\nproperty uchar red\n"
                + "property double x\nproperty float y\nelement face 1\nproperty list uchar int vertex_indices\n"
                + "end_header\n";
        Files.writeString(dir.resolve("a.ply"), String.format(header, "ascii")
                + "3 255 0 0\n3 0 1 0\n3 0 1 1\n3 0 0 1\n4 0 1 2 3\n");
        ByteBuffer b = ByteBuffer.allocate(4 * (4 + 1 + 8 + 4) + 1 + 16).order(ByteOrder.BIG_ENDIAN);
        double[][] xy = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
        for (double[] p : xy) {
            b.putFloat(3).put((byte) 7).putDouble(p[0]).putFloat((float) p[1]);
        }
        b.put((byte) 4).putInt(0).putInt(1).putInt(2).putInt(3);
        byte[] head = String.format(header, "binary_big_endian").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + b.capacity()];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b.array(), 0, all, head.length, b.capacity());
        Files.write(dir.resolve("b.ply"), all);
        for (String f : new String[] {"a.ply", "b.ply"}) {
            TriangleMesh m = MeshFiles.read(dir.resolve(f));
            assertArrayEquals(new double[] {0, 0, 3, 1, 0, 3, 1, 1, 3, 0, 1, 3}, m.vertices(), 0, f);
            assertArrayEquals(new int[] {0, 1, 2, 0, 2, 3}, m.triangles(), f);
        }
    }

    private void assertFails(String name, String content, String expected) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> MeshFiles.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
