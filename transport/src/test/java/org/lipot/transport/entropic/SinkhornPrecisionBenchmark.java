package org.lipot.transport.entropic;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;

/**
 * Seconds per solve of the stored-kernel mode in float64 and float32, on the bench's Sinkhorn cases: n = m points
 * U([0,1]^2) against U([0,1]^2) + (0.5, 0.5), scaled so that max C = 1, squared Euclidean cost, uniform weights,
 * eps 0.01 and 0.001 (absolute), tolerance 1e-6, 2 threads. Each (case, precision) is solved once untimed, then
 * {@code REPEATS} times; the cost matrix is built inside each solve.
 *
 * <p>Run: {@code mvn -o -q -pl transport test -Dtest=SinkhornPrecisionBenchmark -Dlipot.excludedTags=}
 * (sizes with {@code -Dlipot.bench.sizes=2000,5000}; another JDK with {@code JAVA_HOME=...}: the float32 loops
 * widen each entry to double, which JDK 17's auto-vectoriser leaves scalar and newer ones vectorise).
 */
@Tag("slow")
class SinkhornPrecisionBenchmark {

    private static final int REPEATS = 2;

    static TransportProblem benchCase(int n, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
        }
        for (int j = 0; j < n; j++) {
            y[j] = new double[] {rng.nextDouble() + 0.5, rng.nextDouble() + 0.5};
        }
        double max = Sinkhorn.relativeEpsilon(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)), 1);
        double s = 1 / Math.sqrt(max);
        for (double[] p : x) {
            p[0] *= s;
            p[1] *= s;
        }
        for (double[] p : y) {
            p[0] *= s;
            p[1] *= s;
        }
        return TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
    }

    @Test
    void float32AgainstFloat64() {
        String sizes = System.getProperty("lipot.bench.sizes", "2000,5000");
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.trim());
            TransportProblem p = benchCase(n, 42);
            for (double eps : new double[] {0.01, 0.001}) {
                double reference = Double.NaN;
                for (Sinkhorn.Precision precision : Sinkhorn.Precision.values()) {
                    Sinkhorn solver = Sinkhorn.builder().epsilon(eps).tolerance(1e-6).maxIterations(1_000_000)
                            .mode(Sinkhorn.Mode.KERNEL).precision(precision).threads(2).build();
                    EntropicSolution s = solver.solve(p);
                    reference = Double.isNaN(reference) ? s.value() : reference;
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "n=%d eps=%s %s: %s, %d sweeps, value %.15g (relative to float64 %.1e), violation %.3g,"
                                    + " %s, seconds", n, eps, precision, s.status(), s.iterations(), s.value(),
                            Math.abs(s.value() / reference - 1), s.columnMarginalError(),
                            "JDK " + Runtime.version().feature()));
                    for (int r = 0; r < REPEATS; r++) {
                        long t0 = System.nanoTime();
                        solver.solve(p);
                        line.append(String.format(Locale.ROOT, " %.3f", (System.nanoTime() - t0) * 1e-9));
                    }
                    System.out.println(line);
                }
            }
        }
    }
}
