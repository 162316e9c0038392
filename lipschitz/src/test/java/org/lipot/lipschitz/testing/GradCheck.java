package org.lipot.lipschitz.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float64 central finite-difference checks of a layer's backward pass, on the objective
 * {@code S(x, theta) = <forward(x, training = true), G>} for a fixed random {@code G}.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /** A seeded standard normal float64 array. */
    public static INDArray randn(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            double u1 = 1 - r.nextDouble();
            d[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return Nd4j.create(d, shape, 'c').castTo(DataType.DOUBLE);
    }

    /**
     * Checks d S/dx and d S/dtheta for every parameter at up to {@code samples} random entries each.
     *
     * @param beforeForward run before every forward (for example to restore a persistent power-iteration vector)
     */
    public static void check(Layer layer, INDArray x, double h, double tol, int samples, Runnable beforeForward) {
        INDArray g = randn(99, layer.forward(x, true).shape());
        for (Parameter p : layer.parameters()) {
            p.zeroGradient();
        }
        beforeForward.run();
        layer.forward(x, true);
        INDArray gx = layer.backward(g).dup();
        SplittableRandom r = new SplittableRandom(7);
        compare("input", x, x, gx, layer, g, h, tol, samples, r, beforeForward);
        for (Parameter p : layer.parameters()) {
            compare(p.name(), x, p.value(), p.gradient().dup(), layer, g, h, tol, samples, r, beforeForward);
        }
    }

    private static void compare(String name, INDArray x, INDArray target, INDArray analytic, Layer layer, INDArray g, double h,
                                double tol, int samples, SplittableRandom r, Runnable before) {
        long n = target.length();
        double scale = Math.max(1e-3, analytic.amaxNumber().doubleValue());
        INDArray flat = target.reshape(n);
        INDArray aflat = analytic.reshape(n);
        for (int s = 0; s < Math.min(samples, n); s++) {
            long i = samples >= n ? s : r.nextLong(n);
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            before.run();
            double plus = layer.forward(x, true).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig - h);
            before.run();
            double minus = layer.forward(x, true).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig);
            double fd = (plus - minus) / (2 * h);
            double an = aflat.getDouble(i);
            assertTrue(Math.abs(fd - an) <= tol * scale,
                    name + "[" + i + "]: finite difference " + fd + " vs analytic " + an + " (scale " + scale + ")");
        }
    }
}
