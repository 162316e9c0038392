package org.lipot.lipschitz.sdf;

import java.util.SplittableRandom;

/**
 * A shape to fit a signed distance field to: closed polygons in the plane ({@link Polygons}), a tube around open
 * curves ({@link Polylines}), a triangle mesh in space ({@link MeshShape}) or an oriented point cloud
 * ({@link OrientedCloud}). It labels points inside or outside, draws points on its surface, and gives the exact
 * signed distance for evaluation. Coordinates are in the shape's own units; signed distances are negative inside.
 */
public interface SurfaceShape {

    /** 2 or 3. */
    int dimension();

    /** The bounding box, {@code {min_0, ..., min_{d-1}, max_0, ..., max_{d-1}}}. */
    double[] bounds();

    /** Whether each point (rows of {@code N x d}) is inside. */
    boolean[] inside(double[][] points);

    /** {@code count} points on the surface, uniform by length (2-D) or area (3-D). */
    double[][] surfacePoints(int count, SplittableRandom random);

    /** The exact signed distance at each point, negative inside. */
    double[] signedDistances(double[][] points);

    /** The length of the bounding box's diagonal. */
    default double diagonal() {
        double[] b = bounds();
        int d = dimension();
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += (b[d + k] - b[k]) * (b[d + k] - b[k]);
        }
        return Math.sqrt(s);
    }
}
