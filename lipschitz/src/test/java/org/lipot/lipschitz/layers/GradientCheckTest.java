package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Float64 central finite-difference checks of every layer's input and parameter gradients. */
class GradientCheckTest {

    private static final DataType D = DataType.DOUBLE;
    private static final double H = 1e-6;
    private static final double TOL = 1e-6;

    private static void check(Layer layer, INDArray x) {
        GradCheck.check(layer, x, H, TOL, 40, () -> { });
    }

    private static SpectralDense spectral(int in, int out, long seed) {
        return SpectralDense.builder(in, out).seed(seed).dataType(D).powerIterations(3).powerTolerance(0)
                .bjorckIterations(15).bjorckTolerance(0).build();
    }

    private static void checkSpectral(SpectralDense l, INDArray x) {
        INDArray u0 = l.powerVector().dup();
        GradCheck.check(l, x, H, TOL, 40, () -> l.powerVector().assign(u0));
    }

    @ParameterizedTest
    @CsvSource({"6, 8", "8, 4", "5, 5", "4, 3"})
    void spectralDenseFullGradient(int in, int out) {
        SpectralDense l = spectral(in, out, 3);
        // a non-orthogonal raw weight, so that Björck and the spectral scaling both matter
        l.weight().value().assign(GradCheck.randn(11, out, in));
        l.bias().value().assign(GradCheck.randn(12, out));
        checkSpectral(l, GradCheck.randn(1, 5, in));
    }

    /**
     * With only 2 or 3 Björck iterations the output depends on the spectral scale {@code 1 / (sigma + eps)}, so the
     * gradient's sigma term matters; the power iteration is run to convergence, where the change of {@code u} with
     * {@code W} does not move {@code sigma} to first order and the finite differences see the analytic gradient.
     */
    @ParameterizedTest
    @CsvSource({"6, 4, 2", "4, 7, 3", "5, 5, 2"})
    void spectralDenseSigmaTermWithUnconvergedBjorck(int in, int out, int bjorckIterations) {
        SpectralDense l = SpectralDense.builder(in, out).seed(4).dataType(D).powerIterations(2000)
                .powerTolerance(1e-12).bjorckIterations(bjorckIterations).bjorckTolerance(0).build();
        l.weight().value().assign(GradCheck.randn(31, out, in));
        l.bias().value().assign(GradCheck.randn(32, out));
        checkSpectral(l, GradCheck.randn(33, 5, in));
    }

    @Test
    void spectralDenseWithLipschitzFactorAndEarlyStop() {
        SpectralDense l = SpectralDense.builder(7, 5).seed(2).dataType(D).powerIterations(2).powerTolerance(0)
                .bjorckIterations(30).bjorckTolerance(1e-9).build();
        l.weight().value().assign(GradCheck.randn(21, 5, 7));
        l.setLipschitzFactor(1.7);
        checkSpectral(l, GradCheck.randn(2, 4, 7));
    }

    @Test
    void denseFrobeniusAol() {
        Dense d = Dense.orthogonal(6, 4, 1, D);
        d.weight().value().assign(GradCheck.randn(31, 4, 6));
        d.bias().value().assign(GradCheck.randn(32, 4));
        check(d, GradCheck.randn(3, 5, 6));
        for (boolean disjoint : new boolean[] {false, true}) {
            FrobeniusDense f = new FrobeniusDense(6, 3, disjoint, 4, D);
            f.weight().value().assign(GradCheck.randn(33, 3, 6));
            check(f, GradCheck.randn(4, 5, 6));
        }
        AolDense a = new AolDense(5, 7, 5, D);
        a.weight().value().assign(GradCheck.randn(34, 7, 5));
        a.bias().value().assign(GradCheck.randn(35, 7));
        check(a, GradCheck.randn(5, 6, 5));
    }

    @Test
    void sll() {
        SllDense s = new SllDense(6, 9, 6, D);
        s.bias().value().assign(GradCheck.randn(41, 9).muli(0.3));
        s.logQ().value().assign(GradCheck.randn(42, 9).muli(0.5));
        check(s, GradCheck.randn(6, 7, 6));
    }

    @Test
    void activations() {
        check(new GroupSort2(), GradCheck.randn(7, 4, 6));
        check(new GroupSort2(), GradCheck.randn(8, 2, 4, 2, 3));
        check(new GroupSort(3), GradCheck.randn(9, 3, 9));
        check(new FullSort(), GradCheck.randn(10, 3, 7));
        check(new MaxMin(), GradCheck.randn(11, 3, 2, 3, 2));
        check(new Flatten(), GradCheck.randn(12, 2, 3, 2, 2));
        Householder h = new Householder(6, D);
        h.theta().value().assign(GradCheck.randn(43, 3).muli(2));
        check(h, GradCheck.randn(13, 8, 6));
        Householder h4 = new Householder(4, D);
        h4.theta().value().assign(GradCheck.randn(44, 2).muli(2));
        check(h4, GradCheck.randn(14, 3, 4, 2, 2));
    }

    @Test
    void residual() {
        AolDense branch = new AolDense(6, 6, 7, D);
        branch.weight().value().assign(GradCheck.randn(51, 6, 6));
        check(LipResidual.learned(branch, 0.3, D), GradCheck.randn(15, 5, 6));
        check(LipResidual.fixed(new GroupSort2(), 0.25), GradCheck.randn(16, 5, 6));
    }

    @Test
    void sequentialOfEverything() {
        SpectralDense s1 = spectral(8, 6, 8);
        s1.weight().value().assign(GradCheck.randn(61, 6, 8));
        Householder hh = new Householder(6, D);
        hh.theta().value().assign(GradCheck.randn(62, 3));
        SpectralDense s2 = spectral(6, 3, 9);
        Sequential net = Sequential.of(new Flatten(), s1, new GroupSort2(), hh, s2);
        INDArray u1 = s1.powerVector().dup();
        INDArray u2 = s2.powerVector().dup();
        GradCheck.check(net, GradCheck.randn(17, 4, 2, 2, 2), H, TOL, 30, () -> {
            s1.powerVector().assign(u1);
            s2.powerVector().assign(u2);
        });
    }

    @Test
    void detachedModesScaleTheBjorckGradient() {
        // with beta = 0.5 and 15 iterations of which 11 detached, the detach modes differ from full; on an
        // already orthogonal start (fixed point), every iteration has Jacobian (1+beta) I - beta * (...) and the
        // detached ones exactly (1+beta) I: check the gradient changes and stays finite
        INDArray x = GradCheck.randn(18, 3, 5);
        INDArray g = GradCheck.randn(19, 3, 4);
        double[] norms = new double[3];
        GradientMode[] modes = {GradientMode.full(), GradientMode.gradientThroughFirst(4), GradientMode.gradientThroughLast(4)};
        for (int m = 0; m < 3; m++) {
            SpectralDense l = SpectralDense.builder(5, 4).seed(1).dataType(D).powerTolerance(0).bjorckTolerance(0)
                    .gradientMode(modes[m]).build();
            l.weight().value().assign(GradCheck.randn(71, 4, 5));
            l.forward(x, true);
            l.backward(g);
            norms[m] = l.weight().gradient().norm2Number().doubleValue();
            assertTrue(Double.isFinite(norms[m]));
            assertEquals(15, l.bjorckIterationsRun());
        }
        assertTrue(norms[1] != norms[0] && norms[2] != norms[0]);
    }
}
