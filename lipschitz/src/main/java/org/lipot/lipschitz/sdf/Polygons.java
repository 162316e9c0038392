package org.lipot.lipschitz.sdf;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.PathIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * Closed polygons in the plane: outlines with holes, several components, overlapping parts. A point is inside where
 * the winding number is not 0 (the non-zero rule of fonts and SVG: {@code |w| > 1/2}), so the loops' orientations
 * do not matter except to cut holes. The exact signed distance is the distance to the nearest edge, negative inside.
 *
 * @param loops loop {@code k} holds its vertices as {@code x0, y0, x1, y1, ...}, closed implicitly; at least 3
 *              vertices each, finite
 */
public record Polygons(double[][] loops) implements SurfaceShape {

    /** @throws IllegalArgumentException if there is no loop, or a loop is short, ragged or not finite */
    public Polygons {
        loops = checkedRuns(loops, "loops", 3);
    }

    /**
     * A deep copy of {@code runs} (named {@code name}) after checking that there is one and that each holds finite
     * {@code x, y} pairs of at least {@code minVertices} vertices.
     */
    static double[][] checkedRuns(double[][] runs, String name, int minVertices) {
        if (runs == null || runs.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one " + (minVertices == 3 ? "polygon"
                    : "polyline"));
        }
        double[][] copy = new double[runs.length][];
        for (int k = 0; k < runs.length; k++) {
            double[] l = runs[k];
            if (l == null || l.length < 2 * minVertices || l.length % 2 != 0) {
                throw new IllegalArgumentException(name + "[" + k + "] must hold x, y pairs of at least " + minVertices
                        + " vertices, got " + (l == null ? null : l.length + " values"));
            }
            for (double c : l) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException(name + "[" + k + "] holds " + c);
                }
            }
            copy[k] = l.clone();
        }
        return copy;
    }

    /**
     * The outlines of {@code text} in a font of the Java runtime (the embedded default needs no files), flattened to
     * polygons within {@code flatness} of the curves (in units of the font size), with the y axis pointing up and
     * the glyphs scaled so that the font size is 1 (a capital letter is about 0.7 high).
     *
     * @param fontName a logical font ({@code Font.SANS_SERIF}, {@code Font.SERIF}, ...) or an installed one
     * @throws IllegalArgumentException if the text is empty or has no outline (spaces only)
     */
    public static Polygons glyphs(String text, String fontName, double flatness) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must have a visible character, got '" + text + "'");
        }
        if (!(flatness > 0)) {
            throw new IllegalArgumentException("flatness must be > 0, got " + flatness);
        }
        Font font = new Font(fontName, Font.BOLD, 1000);
        Shape outline = font.createGlyphVector(new FontRenderContext(null, true, true), text).getOutline();
        List<double[]> loops = new ArrayList<>();
        double[] c = new double[6];
        double[] cur = new double[16];
        int n = 0;
        for (PathIterator it = outline.getPathIterator(null, flatness * 1000); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            if (type == PathIterator.SEG_MOVETO || type == PathIterator.SEG_CLOSE) {
                n = closeLoop(loops, cur, n);
            }
            if (type == PathIterator.SEG_MOVETO || type == PathIterator.SEG_LINETO) {
                if (n + 2 > cur.length) {
                    cur = Arrays.copyOf(cur, 2 * cur.length);
                }
                cur[n++] = c[0] / 1000;
                cur[n++] = -c[1] / 1000;
            }
        }
        closeLoop(loops, cur, n);
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("text '" + text + "' has no outline in font " + fontName);
        }
        return new Polygons(loops.toArray(new double[0][]));
    }

    /**
     * Reads polygons from a CSV (or whitespace-separated) text file: one vertex {@code x,y} per line, loops separated
     * by blank lines, each closed implicitly (a last vertex equal to the first is dropped); {@code '#'} starts a
     * comment.
     *
     * @throws UncheckedIOException naming the file and the line if it is unreadable or malformed (a line that
     *                                      is not two numbers, a loop of fewer than 3 vertices, no loop)
     */
    public static Polygons readCsv(Path file) {
        return new Polygons(readRuns(file, true).toArray(new double[0][]));
    }

    /**
     * The vertex runs of a CSV file ({@link #readCsv}'s format): closed loops of at least 3 vertices (a repeated
     * closing vertex dropped) or open polylines of at least 2.
     */
    static List<double[]> readRuns(Path file, boolean closed) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        List<double[]> runs = new ArrayList<>();
        double[] cur = new double[16];
        int n = 0;
        long start = 0;
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "";
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).replace(',', ' ').strip();
            if (line.isEmpty()) {
                if (i < lines.length && hash >= 0) {
                    continue; // a comment line does not end a run
                }
                if (n > 0) {
                    int before = runs.size();
                    if (closed) {
                        closeLoop(runs, cur, n);
                    } else if (n >= 4) {
                        runs.add(Arrays.copyOf(cur, n));
                    }
                    if (runs.size() == before) {
                        throw MeshFiles.corrupt(file, start, (closed ? "a loop needs at least 3 vertices"
                                : "a polyline needs at least 2 vertices") + ", this one has " + n / 2);
                    }
                    n = 0;
                }
                continue;
            }
            String[] t = line.split("\\s+");
            if (t.length != 2) {
                throw MeshFiles.corrupt(file, i + 1, "a vertex line needs 2 values (x, y), got " + t.length);
            }
            if (n == 0) {
                start = i + 1;
            }
            if (n + 2 > cur.length) {
                cur = Arrays.copyOf(cur, 2 * cur.length);
            }
            for (int k = 0; k < 2; k++) {
                try {
                    cur[n + k] = Double.parseDouble(t[k]);
                } catch (NumberFormatException e) {
                    throw MeshFiles.corrupt(file, i + 1, "'" + t[k] + "' is not a number");
                }
                if (!Double.isFinite(cur[n + k])) {
                    throw MeshFiles.corrupt(file, i + 1, "coordinate " + (k + 1) + " is " + t[k]);
                }
            }
            n += 2;
        }
        if (runs.isEmpty()) {
            throw MeshFiles.corrupt(file, 0, closed ? "no polygon in the file" : "no polyline in the file");
        }
        return runs;
    }

    /** Adds the loop of the first {@code n} values if it has 3 vertices (a repeated closing vertex dropped). */
    private static int closeLoop(List<double[]> loops, double[] cur, int n) {
        if (n >= 4 && cur[n - 2] == cur[0] && cur[n - 1] == cur[1]) {
            n -= 2;
        }
        if (n >= 6) {
            loops.add(Arrays.copyOf(cur, n));
        }
        return 0;
    }

    @Override
    public int dimension() {
        return 2;
    }

    @Override
    public double[] bounds() {
        return bounds(loops, 0);
    }

    /** The bounding box {@code {x0, y0, x1, y1}} of the vertices of {@code runs}, grown by {@code grow} per side. */
    static double[] bounds(double[][] runs, double grow) {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[] l : runs) {
            for (int i = 0; i < l.length; i += 2) {
                b[0] = Math.min(b[0], l[i] - grow);
                b[1] = Math.min(b[1], l[i + 1] - grow);
                b[2] = Math.max(b[2], l[i] + grow);
                b[3] = Math.max(b[3], l[i + 1] + grow);
            }
        }
        return b;
    }

    /** The winding number at {@code (x, y)} ({@link WindingNumbers#ofPolygons}). */
    public double winding(double x, double y) {
        return WindingNumbers.ofPolygons(loops, x, y);
    }

    @Override
    public boolean[] inside(double[][] points) {
        WindingNumbers.checkPoints(points, 2);
        boolean[] out = new boolean[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                out[p] = Math.abs(winding(points[p][0], points[p][1])) > 0.5;
            }
        });
        return out;
    }

    /** The distance from {@code (x, y)} to the nearest edge. */
    public double distance(double x, double y) {
        return Math.sqrt(nearestSquared(loops, true, x, y));
    }

    /** The squared distance from {@code (x, y)} to the nearest edge of {@code runs}, closed loops or open lines. */
    static double nearestSquared(double[][] runs, boolean closed, double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] l : runs) {
            int n = l.length / 2;
            for (int i = 0; i < (closed ? n : n - 1); i++) {
                int j = (i + 1) % n;
                double ax = l[2 * i];
                double ay = l[2 * i + 1];
                double ux = l[2 * j] - ax;
                double uy = l[2 * j + 1] - ay;
                double len2 = ux * ux + uy * uy;
                double s = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * ux + (y - ay) * uy) / len2)) : 0;
                double dx = x - ax - s * ux;
                double dy = y - ay - s * uy;
                best = Math.min(best, dx * dx + dy * dy);
            }
        }
        return best;
    }

    @Override
    public double[] signedDistances(double[][] points) {
        WindingNumbers.checkPoints(points, 2);
        double[] out = new double[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                double d = distance(points[p][0], points[p][1]);
                out[p] = Math.abs(winding(points[p][0], points[p][1])) > 0.5 ? -d : d;
            }
        });
        return out;
    }

    @Override
    public double[][] surfacePoints(int count, SplittableRandom random) {
        return onEdges(loops, true, 0, count, random);
    }

    /**
     * {@code count} points uniform by length on the edges of {@code runs} (closed loops or open lines), each moved by
     * {@code offset} along its edge's unit normal, to a random side.
     */
    static double[][] onEdges(double[][] runs, boolean closed, double offset, int count, SplittableRandom random) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<double[]> edges = new ArrayList<>();
        double total = 0;
        for (double[] l : runs) {
            int n = l.length / 2;
            for (int i = 0; i < (closed ? n : n - 1); i++) {
                int j = (i + 1) % n;
                double len = Math.hypot(l[2 * j] - l[2 * i], l[2 * j + 1] - l[2 * i + 1]);
                total += len;
                edges.add(new double[] {l[2 * i], l[2 * i + 1], l[2 * j], l[2 * j + 1], total, len});
            }
        }
        double[] cumulative = new double[edges.size()];
        for (int e = 0; e < cumulative.length; e++) {
            cumulative[e] = edges.get(e)[4];
        }
        double[][] out = new double[count][];
        for (int p = 0; p < count; p++) {
            int e = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            double[] g = edges.get(Math.min(e >= 0 ? e : -e - 1, cumulative.length - 1));
            double s = random.nextDouble();
            double side = offset == 0 || g[5] == 0 ? 0 : (random.nextBoolean() ? offset : -offset) / g[5];
            out[p] = new double[] {g[0] + s * (g[2] - g[0]) - side * (g[3] - g[1]),
                g[1] + s * (g[3] - g[1]) + side * (g[2] - g[0])};
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polygons p && Arrays.deepEquals(loops, p.loops);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(loops);
    }

    @Override
    public String toString() {
        return "Polygons[" + loops.length + " loops]";
    }
}
