package org.lipot.lipschitz.sdf;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Points uniform by area on a triangle mesh: a triangle drawn by its share of the area, then a point uniform on it. */
final class AreaSampler {

    private final TriangleMesh mesh;
    private final double[] cumulativeArea;

    /** @throws IllegalArgumentException if the mesh has no area */
    AreaSampler(TriangleMesh mesh) {
        this.mesh = mesh;
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        cumulativeArea = new double[mesh.triangleCount()];
        double total = 0;
        for (int i = 0; i < cumulativeArea.length; i++) {
            int a = 3 * t[3 * i];
            int b = 3 * t[3 * i + 1];
            int c = 3 * t[3 * i + 2];
            double ux = v[b] - v[a];
            double uy = v[b + 1] - v[a + 1];
            double uz = v[b + 2] - v[a + 2];
            double wx = v[c] - v[a];
            double wy = v[c + 1] - v[a + 1];
            double wz = v[c + 2] - v[a + 2];
            double cx = uy * wz - uz * wy;
            double cy = uz * wx - ux * wz;
            double cz = ux * wy - uy * wx;
            total += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
            cumulativeArea[i] = total;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("mesh has no area: " + mesh);
        }
    }


    /** {@code count} points, {@code count x 3}. */
    double[][] sample(int count, SplittableRandom random) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        double total = cumulativeArea[cumulativeArea.length - 1];
        double[][] out = new double[count][3];
        for (int p = 0; p < count; p++) {
            int i = Arrays.binarySearch(cumulativeArea, random.nextDouble() * total);
            i = Math.min(i >= 0 ? i : -i - 1, cumulativeArea.length - 1);
            double r1 = Math.sqrt(random.nextDouble()); // uniform on the triangle
            double r2 = random.nextDouble();
            for (int k = 0; k < 3; k++) {
                out[p][k] = (1 - r1) * v[3 * t[3 * i] + k] + r1 * (1 - r2) * v[3 * t[3 * i + 1] + k]
                        + r1 * r2 * v[3 * t[3 * i + 2] + k];
            }
        }
        return out;
    }
}
