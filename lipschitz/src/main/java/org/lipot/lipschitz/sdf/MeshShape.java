package org.lipot.lipschitz.sdf;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A triangle mesh as a {@link SurfaceShape}: inside where the generalised winding number has magnitude above 1/2,
 * exact signed distances through {@link MeshDistance} (with the exact winding number), surface points uniform by
 * area. The labels of {@link #inside} use the exact winding number up to {@value #EXACT_TRIANGLES} triangles and the
 * fast one ({@link FastWinding}, within 0.02 of it) above, where the exact cost of {@code T} solid angles per point
 * would dominate a training epoch.
 */
public final class MeshShape implements SurfaceShape {

    /** Meshes with more triangles are labelled by the fast winding number. */
    static final int EXACT_TRIANGLES = 1000;

    private final TriangleMesh mesh;
    private final MeshDistance distance;
    private final FastWinding fast;
    private final double[] cumulativeArea;

    /** @throws IllegalArgumentException if the mesh is null or has no area */
    public MeshShape(TriangleMesh mesh) {
        this.distance = new MeshDistance(mesh);
        this.mesh = mesh;
        this.fast = mesh.triangleCount() > EXACT_TRIANGLES ? FastWinding.of(mesh) : null;
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

    /** The mesh. */
    public TriangleMesh mesh() {
        return mesh;
    }

    @Override
    public int dimension() {
        return 3;
    }

    @Override
    public double[] bounds() {
        return mesh.bounds();
    }

    @Override
    public boolean[] inside(double[][] points) {
        double[] w = fast != null ? fast.at(points) : WindingNumbers.of(mesh, points);
        boolean[] out = new boolean[w.length];
        for (int p = 0; p < w.length; p++) {
            out[p] = Math.abs(w[p]) > 0.5;
        }
        return out;
    }

    @Override
    public double[][] surfacePoints(int count, SplittableRandom random) {
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

    @Override
    public double[] signedDistances(double[][] points) {
        return distance.distances(points, true);
    }
}
