package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seconds per training step (forward + backward, float32, batch 256) of the peer's {@code dense} architecture:
 * Flatten, SpectralDense 784-512-512-256-10 with GroupSort2. Random data, random upstream gradient (the loss and
 * optimiser are not part of this module); after each step every raw weight entry drifts by about 1e-3 in a fixed random direction (the size of an Adam step at lr 1e-3) so that
 * Björck's early stop sees a moving target, as in training.
 *
 * <p>Run: {@code mvn -o -q -pl lipschitz test -Dtest=DenseThroughputBenchmark -Dlipot.excludedTags=}
 */
@Tag("slow")
class DenseThroughputBenchmark {

    private static Sequential dense(double bjorckTol, GradientMode mode) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int[] sizes = {784, 512, 512, 256, 10};
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(SpectralDense.builder(sizes[i], sizes[i + 1]).seed(i).bjorckTolerance(bjorckTol)
                    .gradientMode(mode).build());
            if (i + 2 < sizes.length) {
                layers.add(new GroupSort2());
            }
        }
        return Sequential.of(layers);
    }

    private static double[] time(Sequential net, int warmup, int steps) {
        INDArray x = GradCheck.randn(1, 256, 1, 28, 28).castTo(DataType.FLOAT);
        INDArray g = GradCheck.randn(2, 256, 10).castTo(DataType.FLOAT).muli(0.01);
        List<INDArray> noise = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            noise.add(GradCheck.randn(p.value().length(), p.value().shape()).castTo(DataType.FLOAT).muli(1e-3));
        }
        double best = Double.MAX_VALUE;
        double total = 0;
        double iters = 0;
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            net.zeroGradients();
            net.forward(x, true);
            net.backward(g);
            double sec = (System.nanoTime() - t0) / 1e9;
            List<Parameter> ps = net.parameters();
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).value().addi(noise.get(i));
            }
            if (s >= warmup) {
                best = Math.min(best, sec);
                total += sec;
                for (Layer l : net.layers()) {
                    if (l instanceof SpectralDense d) {
                        iters += d.bjorckIterationsRun() / 4.0;
                    }
                }
            }
        }
        return new double[] {best, total / steps, iters / steps};
    }

    @Test
    void denseStepTimes() {
        Object[][] configs = {
            {"early stop 1e-3, full", 1e-3, GradientMode.full()},
            {"early stop 1e-3, gradient through first 4", 1e-3, GradientMode.gradientThroughFirst(4)},
            {"early stop 1e-3, gradient through last 4", 1e-3, GradientMode.gradientThroughLast(4)},
            {"15 iterations, full", 0.0, GradientMode.full()},
            {"15 iterations, gradient through first 4", 0.0, GradientMode.gradientThroughFirst(4)},
            {"15 iterations, gradient through last 4", 0.0, GradientMode.gradientThroughLast(4)},
        };
        for (Object[] c : configs) {
            Sequential net = dense((double) c[1], (GradientMode) c[2]);
            double[] r = time(net, 3, 10);
            System.out.printf(Locale.ROOT, "dense b256 f32 %-34s min %.3f s/step  mean %.3f  bjorck iters/layer %.1f%n",
                    c[0], r[0], r[1], r[2]);
        }
    }
}
