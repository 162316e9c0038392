package org.lipot.lipschitz.sdf;

import java.awt.image.BufferedImage;

/**
 * Pictures of a field: a 2-D field plot (colour by signed distance, contour lines, the zero level set in black)
 * and a 3-D sphere-traced, shaded view.
 */
public final class SdfRender {

    private SdfRender() {
    }

    /**
     * The field on {@code [x0, x1] x [y0, y1]} ({@code box = {x0, y0, x1, y1}}), {@code width} pixels wide (height by
     * the aspect ratio): blue inside, orange outside, darker bands every {@code spacing} units, black where
     * {@code |f|} is under half a pixel.
     *
     * @throws IllegalArgumentException if the field is not 2-D, the box is empty or the size is not positive
     */
    public static BufferedImage field2d(NeuralSdf field, double[] box, int width, double spacing) {
        if (field.dimension() != 2) {
            throw new IllegalArgumentException("a field plot needs a 2-D field, got " + field.dimension() + "-D");
        }
        if (box == null || box.length != 4 || !(box[2] > box[0]) || !(box[3] > box[1]) || width < 2
                || !(spacing > 0)) {
            throw new IllegalArgumentException("box must be {x0, y0, x1, y1} with x1 > x0, y1 > y0, width >= 2 and"
                    + " spacing > 0");
        }
        double pixel = (box[2] - box[0]) / width;
        int height = Math.max(2, (int) Math.round((box[3] - box[1]) / pixel));
        double[][] points = new double[width * height][];
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < width; i++) {
                points[j * width + i] = new double[] {box[0] + (i + 0.5) * pixel, box[3] - (j + 0.5) * pixel};
            }
        }
        double[] f = field.distances(points);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < f.length; p++) {
            double v = f[p];
            int rgb;
            if (Math.abs(v) < 0.5 * pixel) {
                rgb = 0;
            } else {
                double band = Math.abs(v) / spacing;
                double shade = 0.8 + 0.2 * Math.cos(2 * Math.PI * band); // contour bands
                double fade = Math.exp(-Math.abs(v) / (4 * spacing));
                double[] base = v < 0 ? new double[] {0.25, 0.45, 0.85} : new double[] {0.95, 0.6, 0.25};
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    c[k] = (int) Math.round(255 * shade * (1 - 0.5 * (1 - fade)) * base[k] + 255 * 0.5 * (1 - fade)
                            * (1 - shade * base[k]) * 0.6);
                    c[k] = Math.max(0, Math.min(255, c[k]));
                }
                rgb = c[0] << 16 | c[1] << 8 | c[2];
            }
            image.setRGB(p % width, p / width, rgb);
        }
        return image;
    }

    /**
     * A 3-D render and what its rays found.
     *
     * @param hitPoints the points where the rays that hit stopped, in ray order ({@code hits.hitCount() x 3}), to
     *                  check against an exact distance
     */
    public record Render(BufferedImage image, SphereTracer.Hits hits, double[][] hitPoints) {
    }

    /** {@link #shaded3d(NeuralSdf, double[], int, double, double)} from azimuth 30 degrees, elevation 20. */
    public static Render shaded3d(NeuralSdf field, double[] box, int size) {
        return shaded3d(field, box, size, 30, 20);
    }

    /**
     * The field seen from a camera on a sphere around the box {@code {x0, y0, z0, x1, y1, z1}}, {@code size x size}
     * pixels, orthographic, framing the box's corners, lit by a headlight and shaded by the field's normals (its
     * gradients); rays that miss are white. The camera sits at {@code azimuth} degrees about the y axis (0: on the
     * +z side, 90: on the +x side) and {@code elevation} degrees above the xz plane, looking at the box's centre.
     *
     * @throws IllegalArgumentException if the field is not 3-D, the box or size is invalid, or the elevation is not in
     *                                  (-90, 90)
     */
    public static Render shaded3d(NeuralSdf field, double[] box, int size, double azimuth, double elevation) {
        if (field.dimension() != 3) {
            throw new IllegalArgumentException("a shaded render needs a 3-D field, got " + field.dimension() + "-D");
        }
        if (box == null || box.length != 6 || size < 2) {
            throw new IllegalArgumentException("box must be {x0, y0, z0, x1, y1, z1} and size >= 2");
        }
        if (!(Math.abs(elevation) < 90) || !Double.isFinite(azimuth)) {
            throw new IllegalArgumentException("elevation must be in (-90, 90) and azimuth finite, got " + elevation
                    + ", " + azimuth);
        }
        double[] c = {(box[0] + box[3]) / 2, (box[1] + box[4]) / 2, (box[2] + box[5]) / 2};
        double r = 0.5 * Math.sqrt(sq(box[3] - box[0]) + sq(box[4] - box[1]) + sq(box[5] - box[2]));
        double az = Math.toRadians(azimuth);
        double el = Math.toRadians(elevation);
        double[] back = {Math.cos(el) * Math.sin(az), Math.sin(el), Math.cos(el) * Math.cos(az)}; // towards the camera
        double[] right = {Math.cos(az), 0, -Math.sin(az)};
        double[] up = {back[1] * right[2] - back[2] * right[1], back[2] * right[0] - back[0] * right[2],
            back[0] * right[1] - back[1] * right[0]};
        double half = 0; // frame the box's corners as seen from the camera, 5 % spare
        for (int corner = 0; corner < 8; corner++) {
            double[] x = {box[(corner & 1) * 3] - c[0], box[1 + (corner >> 1 & 1) * 3] - c[1],
                box[2 + (corner >> 2) * 3] - c[2]};
            half = Math.max(half, Math.max(Math.abs(dot(x, right)), Math.abs(dot(x, up))));
        }
        half *= 1.05;
        double[][] origins = new double[size * size][3];
        double[][] dirs = new double[size * size][];
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                double u = (2 * (i + 0.5) / size - 1) * half;
                double v = (1 - 2 * (j + 0.5) / size) * half;
                int p = j * size + i;
                for (int k = 0; k < 3; k++) {
                    origins[p][k] = c[k] + 2 * r * back[k] + u * right[k] + v * up[k];
                }
                dirs[p] = new double[] {-back[0], -back[1], -back[2]};
            }
        }
        SphereTracer.Hits hits = new SphereTracer(1e-4 * r, 4 * r, 512).trace(field, origins, dirs);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int n = hits.hitCount();
        double[][] at = new double[n][];
        int[] pixel = new int[n];
        int q = 0;
        for (int p = 0; p < origins.length; p++) {
            image.setRGB(p % size, p / size, 0xffffff);
            double t = hits.distance()[p];
            if (!Double.isNaN(t)) {
                at[q] = new double[] {origins[p][0] + t * dirs[p][0], origins[p][1] + t * dirs[p][1],
                    origins[p][2] + t * dirs[p][2]};
                pixel[q++] = p;
            }
        }
        double[][] g = n == 0 ? new double[0][] : field.gradients(at);
        for (int h = 0; h < n; h++) {
            double norm = Math.sqrt(sq(g[h][0]) + sq(g[h][1]) + sq(g[h][2]));
            double lambert = norm > 0 ? Math.max(0, (g[h][0] * back[0] + g[h][1] * back[1] + g[h][2] * back[2]) / norm)
                    : 0;
            double s = 0.15 + 0.85 * lambert;
            int rgb = (int) (255 * s * 0.85) << 16 | (int) (255 * s * 0.8) << 8 | (int) (255 * s * 0.7);
            image.setRGB(pixel[h] % size, pixel[h] / size, rgb);
        }
        return new Render(image, hits, at);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double sq(double x) {
        return x * x;
    }
}
