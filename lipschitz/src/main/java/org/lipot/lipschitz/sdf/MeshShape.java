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
    private final AreaSampler surface;

    /** @throws IllegalArgumentException if the mesh is null or has no area */
    public MeshShape(TriangleMesh mesh) {
        this.distance = new MeshDistance(mesh);
        this.mesh = mesh;
        this.fast = mesh.triangleCount() > EXACT_TRIANGLES ? FastWinding.of(mesh) : null;
        this.surface = new AreaSampler(mesh);
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
        return surface.sample(count, random);
    }

    @Override
    public double[] signedDistances(double[][] points) {
        return distance.distances(points, true);
    }
}
