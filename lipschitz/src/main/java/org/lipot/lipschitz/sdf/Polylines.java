package org.lipot.lipschitz.sdf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * Open curves in the plane, which have no inside, as the shape of their unsigned distance: the tube of points within
 * {@code radius} of a curve. Its signed distance is {@code d(x) - radius}, {@code d} the distance to the nearest
 * segment, so a field fitted to it gives the unsigned distance to the curves as {@code f(x) + radius} (still
 * 1-Lipschitz, exact in the limit of a thin tube and a perfect fit). Sphere tracing towards the zero level stops
 * {@code radius} short of a curve.
 *
 * @param lines  line {@code k} holds its vertices as {@code x0, y0, x1, y1, ...}, not closed; at least 2 vertices
 *               each, finite
 * @param radius the tube's radius, {@code > 0}, in the curves' units
 */
public record Polylines(double[][] lines, double radius) implements SurfaceShape {

    /**
     * @throws IllegalArgumentException if there is no line, a line is short, ragged or not finite, or the radius is
     *                                  not positive
     */
    public Polylines {
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be positive and finite, got " + radius);
        }
        lines = Polygons.checkedRuns(lines, "lines", 2);
    }

    /**
     * Reads polylines from a CSV file in {@link Polygons#readCsv}'s format (one vertex {@code x,y} per line, lines
     * separated by blank lines), not closed, with the tube radius {@code radius}.
     *
     * @throws java.io.UncheckedIOException naming the file and the line if it is unreadable or malformed
     */
    public static Polylines readCsv(Path file, double radius) {
        return new Polylines(Polygons.readRuns(file, false).toArray(new double[0][]), radius);
    }

    /** The same curves with another tube radius. */
    public Polylines withRadius(double newRadius) {
        return new Polylines(lines, newRadius);
    }

    @Override
    public int dimension() {
        return 2;
    }

    /** The curves' bounding box grown by the radius. */
    @Override
    public double[] bounds() {
        return Polygons.bounds(lines, radius);
    }

    /** The distance from {@code (x, y)} to the nearest segment: the unsigned distance to the curves. */
    public double distance(double x, double y) {
        return Math.sqrt(Polygons.nearestSquared(lines, false, x, y));
    }

    @Override
    public boolean[] inside(double[][] points) {
        double[] sd = signedDistances(points);
        boolean[] out = new boolean[sd.length];
        for (int p = 0; p < sd.length; p++) {
            out[p] = sd[p] < 0;
        }
        return out;
    }

    /** {@code d(x) - radius}: negative within the tube. */
    @Override
    public double[] signedDistances(double[][] points) {
        WindingNumbers.checkPoints(points, 2);
        double[] out = new double[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                out[p] = distance(points[p][0], points[p][1]) - radius;
            }
        });
        return out;
    }

    /**
     * Points on the tube's sides: uniform by length on the segments, moved by the radius along the segment's normal
     * to a random side (the round caps at the ends are not sampled; where curves pass within the radius of each
     * other a point can land inside the tube).
     */
    @Override
    public double[][] surfacePoints(int count, SplittableRandom random) {
        return Polygons.onEdges(lines, false, radius, count, random);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polylines p && radius == p.radius && Arrays.deepEquals(lines, p.lines);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(lines) + Double.hashCode(radius);
    }

    @Override
    public String toString() {
        return "Polylines[" + lines.length + " lines, radius " + radius + "]";
    }
}
