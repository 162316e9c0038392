package org.lipot.transport.geometry;

/**
 * The cost side of a transport problem: {@code n} source points, {@code m} target points and the cost
 * {@code C_ij} of moving a unit of mass from source {@code i} to target {@code j}.
 *
 * <p>Implementations are immutable. {@link CostMatrix} stores all {@code n x m} entries; {@link PointCloud}
 * computes them on demand.
 */
public interface Geometry {

    /** Number of source points {@code n >= 1}. */
    int sourceCount();

    /** Number of target points {@code m >= 1}. */
    int targetCount();

    /**
     * The cost {@code C_ij}.
     *
     * @param i source index in {@code [0, n)}
     * @param j target index in {@code [0, m)}
     */
    double cost(int i, int j);

    /**
     * Writes the full cost matrix, row-major ({@code out[i * m + j] = C_ij}).
     *
     * @param out an array of length at least {@code n * m}; modified
     */
    default void fillRowMajor(double[] out) {
        int n = sourceCount();
        int m = targetCount();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i * m + j] = cost(i, j);
            }
        }
    }

    /**
     * The dense cost matrix of this geometry (computes all {@code n x m} entries for a point cloud).
     *
     * @throws IllegalArgumentException if {@code n m} exceeds {@link CostMatrix#MAX_ENTRIES}
     */
    default CostMatrix toCostMatrix() {
        double[] data = new double[CostMatrix.entries(sourceCount(), targetCount())];
        fillRowMajor(data);
        return CostMatrix.wrap(sourceCount(), targetCount(), data);
    }
}
