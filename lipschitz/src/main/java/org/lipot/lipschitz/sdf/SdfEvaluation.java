package org.lipot.lipschitz.sdf;

import java.util.SplittableRandom;

/**
 * How well a field fits a shape, measured the way users judge SDFs (the metrics of
 * {@code ../shared/bench/sdf/README.md}):
 *
 * @param signAgreement   the share of points uniform in the bounding box padded by 10 % of the diagonal per side
 *                        where the field's sign matches inside/outside
 * @param iou             on the same points, the intersection over union of the field's inside ({@code f < 0}) and
 *                        the shape's (1 when both are empty)
 * @param meanAbsError    mean {@code |f - sd|} over points within 10 % of the diagonal from the surface (near-surface
 *                        draws), as a fraction of the diagonal
 * @param maxGradientNorm the largest gradient norm over all evaluation points, an empirical Lipschitz estimate
 * @param lipschitzBound  the field's sound bound
 * @param points          points evaluated per metric
 */
public record SdfEvaluation(double signAgreement, double iou, double meanAbsError, double maxGradientNorm, double lipschitzBound,
                            int points) {

    /**
     * Evaluates {@code sdf} against {@code shape} on {@code points} fresh points of each kind.
     *
     * @throws IllegalArgumentException if the dimensions differ or {@code points < 1}
     */
    public static SdfEvaluation of(NeuralSdf sdf, SurfaceShape shape, int points, long seed) {
        if (sdf.dimension() != shape.dimension()) {
            throw new IllegalArgumentException("the field is " + sdf.dimension() + "-D but the shape is "
                    + shape.dimension() + "-D");
        }
        if (points < 1) {
            throw new IllegalArgumentException("points must be >= 1, got " + points);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double diag = shape.diagonal();
        double[][] box = SdfSamples.draw(shape, points, 0, 1, 1, 0.1, random);
        boolean[] in = shape.inside(box);
        double[] f = sdf.distances(box);
        int agree = 0;
        int both = 0;
        int either = 0;
        for (int p = 0; p < points; p++) {
            agree += (f[p] < 0) == in[p] ? 1 : 0;
            both += f[p] < 0 && in[p] ? 1 : 0;
            either += f[p] < 0 || in[p] ? 1 : 0;
        }
        double[][] near = SdfSamples.draw(shape, 4 * points, 1, 0.05, 0.05, 0, random);
        double[] sd = shape.signedDistances(near);
        double[] fn = sdf.distances(near);
        double err = 0;
        int counted = 0;
        for (int p = 0; p < near.length && counted < points; p++) {
            if (Math.abs(sd[p]) <= 0.1 * diag) {
                err += Math.abs(fn[p] - sd[p]);
                counted++;
            }
        }
        double slope = 0;
        for (double[][] set : new double[][][] {box, near}) {
            for (double[] g : sdf.gradients(set)) {
                double s = 0;
                for (double c : g) {
                    s += c * c;
                }
                slope = Math.max(slope, Math.sqrt(s));
            }
        }
        return new SdfEvaluation((double) agree / points, either == 0 ? 1 : (double) both / either, err / Math.max(counted, 1) / diag, slope,
                sdf.lipschitzBound(), points);
    }

    /**
     * The symmetric Chamfer distance between two surfaces: the mean exact distance from {@code points} area-uniform
     * points of {@code a} to {@code b}, and from as many points of {@code b} to {@code a}, averaged, in the meshes'
     * units. Used to judge an extracted surface ({@link SdfGeometry#surface}) against the fitted mesh.
     *
     * @throws IllegalArgumentException if a mesh is null or has no area, or {@code points < 1}
     */
    public static double chamfer(TriangleMesh a, TriangleMesh b, int points, long seed) {
        if (points < 1) {
            throw new IllegalArgumentException("points must be >= 1, got " + points);
        }
        if (a == null || b == null) {
            throw new IllegalArgumentException("meshes must not be null");
        }
        SplittableRandom random = new SplittableRandom(seed);
        // samplers and distance trees only: a MeshShape would also build the fast winding tree, unused here
        return (meanDistance(new AreaSampler(a).sample(points, random), new MeshDistance(b))
                + meanDistance(new AreaSampler(b).sample(points, random), new MeshDistance(a))) / 2;
    }

    private static double meanDistance(double[][] points, MeshDistance to) {
        double sum = 0;
        for (double d : to.distances(points, false)) {
            sum += d;
        }
        return sum / points.length;
    }
}
