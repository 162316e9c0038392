package org.lipot.lipschitz.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.ScaledL2NormPool2d;
import org.lipot.lipschitz.layers.SpectralConv2d;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.layers.Unflatten;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A forward closes the arrays the previous pass passed between layers, and nothing else (Sequential, "Memory"). */
class StepMemoryTest {

    /** Passes its input through as a fresh copy and keeps every output and gradient it made. */
    static final class Spy implements Layer {
        final List<INDArray> made = new ArrayList<>();

        @Override
        public INDArray forward(INDArray input, boolean training) {
            INDArray y = input.dup();
            made.add(y);
            return y;
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            INDArray g = gradOutput.dup();
            made.add(g);
            return g;
        }

        @Override
        public double lipschitzBound() {
            return 1;
        }

        @Override
        public Layer export() {
            return this;
        }
    }

    private static List<Layer> layers(Spy spy) {
        return List.of(new Unflatten(1, 8, 8), SpectralConv2d.builder(1, 4, 3, 3).seed(3).build(), spy,
                new GroupSort2(), new ScaledL2NormPool2d(2, 2), new Flatten(),
                SpectralDense.builder(4 * 4 * 4, 3).seed(4).build());
    }

    /** One SGD step on every parameter (gradients zeroed first). */
    private static void sgd(List<Parameter> params) {
        for (Parameter p : params) {
            p.value().subi(p.gradient().mul(0.1));
            p.zeroGradient();
        }
    }

    @Test
    void trainingThroughSequentialEqualsTheLayersRunByHandAndClosesOnlyDeadArrays() {
        Spy spy = new Spy();
        Sequential net = Sequential.of(layers(spy));
        List<Layer> byHand = layers(new Spy());
        List<Parameter> handParams = new ArrayList<>();
        byHand.forEach(l -> handParams.addAll(l.parameters()));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 64).subi(0.5);
        INDArray g = Nd4j.rand(DataType.FLOAT, 5, 3).subi(0.5);
        INDArray out = null;
        INDArray gradIn = null;
        for (int step = 0; step < 3; step++) {
            if (step > 0) {
                // the previous step's output and input gradient are the caller's: still readable
                assertFalse(out.wasClosed());
                assertFalse(gradIn.wasClosed());
            }
            out = net.forward(x, true);
            if (step > 0) {
                // the spy's activation and gradient of the previous step were passed between layers: closed now
                assertTrue(spy.made.get(2 * step - 2).wasClosed());
                assertTrue(spy.made.get(2 * step - 1).wasClosed());
            }
            assertFalse(spy.made.get(2 * step).wasClosed());
            gradIn = net.backward(g);
            INDArray h = x;
            for (Layer l : byHand) {
                h = l.forward(h, true);
            }
            INDArray gh = g;
            for (int i = byHand.size() - 1; i >= 0; i--) {
                gh = byHand.get(i).backward(gh);
            }
            assertArrayEquals(h.ravel().toFloatVector(), out.ravel().toFloatVector(), "outputs at step " + step);
            assertArrayEquals(gh.ravel().toFloatVector(), gradIn.ravel().toFloatVector(), "input gradients at step " + step);
            sgd(net.parameters());
            sgd(handParams);
        }
        assertFalse(x.wasClosed());
        assertFalse(g.wasClosed());
        // inference passes too close the previous pass's arrays, and never an output the caller holds
        int made = spy.made.size();
        List<INDArray> outputs = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            INDArray y = net.forward(x.mul(k + 1), false);
            outputs.add(y);
            values.add(y.ravel().toFloatVector());
        }
        assertTrue(spy.made.get(made).wasClosed());
        assertTrue(spy.made.get(made + 1).wasClosed());
        assertFalse(spy.made.get(made + 2).wasClosed());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(values.get(k), outputs.get(k).ravel().toFloatVector());
        }
    }

    @Test
    void backwardParametersGivesBackwardsParameterGradientsAndClosesTheSameArrays() {
        Spy spy = new Spy();
        Sequential full = Sequential.of(layers(new Spy()));
        Sequential params = Sequential.of(layers(spy));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 64).subi(0.5);
        INDArray g = Nd4j.rand(DataType.FLOAT, 5, 3).subi(0.5);
        for (int step = 0; step < 2; step++) {
            full.forward(x, true);
            params.forward(x, true);
            if (step > 0) {
                assertTrue(spy.made.get(1).wasClosed(), "the previous step's gradient through the spy");
            }
            full.backward(g);
            params.backwardParameters(g);
            List<Parameter> a = full.parameters();
            List<Parameter> b = params.parameters();
            for (int i = 0; i < a.size(); i++) {
                // the first convolution's kernel gradient included: only its input gradient is skipped
                assertArrayEquals(a.get(i).gradient().ravel().toFloatVector(),
                        b.get(i).gradient().ravel().toFloatVector(), "parameter " + i + " at step " + step);
            }
            sgd(a);
            sgd(b);
        }
        assertFalse(x.wasClosed());
        assertFalse(g.wasClosed());
    }

    /** Returns its input and its output gradient as they are. */
    static final class Identity implements Layer {
        @Override
        public INDArray forward(INDArray input, boolean training) {
            return input;
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return gradOutput;
        }

        @Override
        public double lipschitzBound() {
            return 1;
        }

        @Override
        public Layer export() {
            return this;
        }
    }

    @Test
    void theCallersArraysAreNeverClosedEvenWhenALayerPassesThemOn() {
        Sequential net = Sequential.of(new Identity(), SpectralDense.builder(6, 4).seed(2).build(), new GroupSort2(),
                SpectralDense.builder(4, 2).seed(3).build(), new Identity());
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray g1 = Nd4j.ones(DataType.FLOAT, 4, 2);
        float[] kept = x1.ravel().toFloatVector();
        INDArray y1 = net.forward(x1, true);
        INDArray gx1 = net.backward(g1);
        float[] keptY = y1.ravel().toFloatVector();
        net.forward(Nd4j.rand(DataType.FLOAT, 4, 6), true);
        net.forward(Nd4j.rand(DataType.FLOAT, 4, 6), false);
        for (INDArray a : new INDArray[] {x1, g1, y1, gx1}) {
            assertFalse(a.wasClosed());
        }
        assertArrayEquals(kept, x1.ravel().toFloatVector());
        assertArrayEquals(keptY, y1.ravel().toFloatVector());
    }

    @Test
    void anOutputThatIsAViewOfAnActivationKeepsItsMemory() {
        // Flatten's output shares the pooling output's buffer: the pooling output must survive the next step
        Sequential net = Sequential.of(new Unflatten(1, 4, 4), new ScaledL2NormPool2d(2, 2), new Flatten());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 16);
        INDArray first = net.forward(x, true);
        float[] kept = first.ravel().toFloatVector();
        net.backward(Nd4j.ones(DataType.FLOAT, 2, 4));
        net.forward(x.mul(2), true);
        assertArrayEquals(kept, first.ravel().toFloatVector());
    }
}
