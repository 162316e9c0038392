package org.lipot.examples.cli;

import java.util.Random;

/**
 * The demo's embedded example data, generated from fixed seeds (the same numbers on every machine): a noisy ring
 * and two Gaussian blobs in the plane, and two Gaussian samples on the line.
 */
final class DemoData {

    private DemoData() {
    }

    /** {@code n} points near the circle of radius 1 around the origin (radial noise sd 0.08). */
    static double[][] ring(int n, long seed) {
        Random rng = new Random(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * rng.nextDouble();
            double r = 1 + 0.08 * rng.nextGaussian();
            p[i] = new double[] {r * Math.cos(t), r * Math.sin(t)};
        }
        return p;
    }

    /** {@code n} points, half around (3, 1) and half around (3, -1), each coordinate with sd 0.3. */
    static double[][] twoBlobs(int n, long seed) {
        Random rng = new Random(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double cy = i % 2 == 0 ? 1 : -1;
            p[i] = new double[] {3 + 0.3 * rng.nextGaussian(), cy + 0.3 * rng.nextGaussian()};
        }
        return p;
    }

    /** {@code n} draws of N(mean, sd^2). */
    static double[] gaussian(int n, double mean, double sd, long seed) {
        Random rng = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * rng.nextGaussian();
        }
        return v;
    }

    /** The points moved by {@code shift}. */
    static double[][] translated(double[][] points, double[] shift) {
        double[][] p = new double[points.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = points[i].clone();
            for (int k = 0; k < shift.length; k++) {
                p[i][k] += shift[k];
            }
        }
        return p;
    }
}
