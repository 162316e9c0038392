package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.ConvNorms;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.lipschitz.testing.Golden;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Convolutional layers: the golden SpectralConv2d, gradients, sound shape-dependent bounds, files, errors. */
class ConvLayersTest {

    private static final DataType D = DataType.DOUBLE;

    private static void assertRel(INDArray actual, JsonNode expected, double tol, String what) {
        double e = Golden.relErr(actual, Golden.array(expected).reshape(actual.shape()));
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
    }

    @Test
    void goldenSpectralConv2d() {
        JsonNode c = Golden.read("spectral_dense_net.json").get("spectral_conv2d");
        JsonNode s = c.get("settings");
        Rko rko = new Rko(PowerIteration.builder().iterations(s.get("power_iters").asInt())
                .tolerance(s.get("power_eps").asDouble()).build(), s.get("eps_spectral").asDouble(),
                Bjorck.builder().beta(s.get("beta").asDouble()).maxIterations(s.get("bjorck_iters").asInt())
                        .tolerance(s.get("bjorck_eps").asDouble()).gradientMode(GradientMode.full()).build());
        SpectralConv2d l = SpectralConv2d.builder(2, 4, 3, 3).dataType(D).rko(rko).build();
        l.weight().value().assign(Golden.array(c.get("kernel_raw")));
        l.bias().value().assign(Golden.array(c.get("bias")));
        l.powerVector().assign(Golden.array(c.get("u0")));
        INDArray y = l.forward(Golden.array(c.get("input")), true);
        assertRel(y, c.get("output"), 1e-12, "output");
        assertEquals(c.get("sigma").asDouble(), l.sigma(), 1e-12 * l.sigma());
        assertRel(l.powerVector(), c.get("u_after_power"), 1e-12, "u");
        assertRel(l.effectiveKernel(), c.get("kernel_applied"), 1e-12, "applied kernel");
        INDArray gx = l.backward(y.ulike().assign(1.0));
        assertRel(gx, c.get("grad_input"), 1e-10, "grad input");
        assertRel(l.weight().gradient(), c.get("grad_kernel_raw"), 1e-10, "grad kernel");
        assertRel(l.bias().gradient(), c.get("grad_bias"), 1e-12, "grad bias");
    }

    @ParameterizedTest
    @EnumSource(ConvGeometry.Padding.class)
    void gradientsMatchFiniteDifferences(ConvGeometry.Padding padding) {
        for (int stride : new int[] {1, 2}) {
            SpectralConv2d s = SpectralConv2d.builder(3, 4, 3, 3).stride(stride, stride).padding(padding).dataType(D)
                    .seed(1).build();
            s.weight().value().assign(GradCheck.randn(31, 4, 3, 3, 3));
            s.bias().value().assign(GradCheck.randn(32, 4));
            s.setLipschitzFactor(1.3);
            INDArray u = s.powerVector().dup();
            GradCheck.check(s, GradCheck.randn(33, 2, 3, 6, 6), 1e-6, 1e-6, 40, () -> s.powerVector().assign(u));
            FrobeniusConv2d f = new FrobeniusConv2d(3, 2, 3, 3, stride, stride, padding, 2, D);
            f.weight().value().assign(GradCheck.randn(34, 2, 3, 3, 3));
            GradCheck.check(f, GradCheck.randn(35, 2, 3, 6, 6), 1e-6, 1e-6, 40, () -> { });
            Conv2d plain = new Conv2d(GradCheck.randn(36, 2, 3, 2, 2), GradCheck.randn(37, 2), stride, stride,
                    padding);
            GradCheck.check(plain, GradCheck.randn(38, 2, 3, 6, 6), 1e-6, 1e-6, 40, () -> { });
        }
    }

    @Test
    void theBoundIsTheSoundNormOfTheAppliedKernelOnTheImageSize() {
        SpectralConv2d s = SpectralConv2d.builder(3, 8, 3, 3).dataType(D).seed(4).build();
        s.setLipschitzFactor(1.5);
        for (int size : new int[] {4, 8, 14}) {
            int[] shape = {3, size, size};
            double bound = s.lipschitzBound(shape);
            ConvGeometry g = s.geometry(size, size);
            double estimate = ConvNorms.powerIteration(s.effectiveKernel(), g, 500, 1e-12, 1).value();
            assertTrue(estimate <= bound, size + ": estimate " + estimate + " > bound " + bound);
            // zero padding is bounded through a containing circular operator: tight as the image grows
            assertTrue(bound <= (1 + 0.4 / size) * estimate, size + ": bound " + bound + " loose against " + estimate);
            // RKO with the correction is 1-Lipschitz (times k) on any image, and the bound sees it
            assertTrue(bound <= 1.5 * (1 + 1e-6), "bound " + bound);
        }
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class, s::lipschitzBound);
        assertTrue(refused.getMessage().contains("image size"), refused.getMessage());
        Sequential net = Sequential.of(s, new GroupSort2(), new ScaledL2NormPool2d(2, 2), new Flatten(),
                SpectralDense.builder(8 * 7 * 7, 10).dataType(D).build());
        assertArrayEquals(new int[] {10}, net.outputShape(new int[] {3, 14, 14}));
        assertTrue(net.lipschitzBound(new int[] {3, 14, 14}) <= 1.5 * 1.001);
        assertThrows(IllegalArgumentException.class, () -> net.lipschitzBound(new int[] {3, 16, 14})); // 448 != 392
    }

    @Test
    void convNetworksSaveLoadAndExport(@TempDir Path dir) {
        SpectralConv2d a = SpectralConv2d.builder(2, 4, 3, 3).dataType(D).seed(5).build();
        FrobeniusConv2d b = new FrobeniusConv2d(4, 4, 3, 3, 2, 2, ConvGeometry.Padding.CIRCULAR, 6, D);
        Sequential net = Sequential.withLipschitzFactor(1.2, java.util.List.of(a, new GroupSort2(), b, new Flatten(),
                SpectralDense.builder(4 * 4 * 4, 3).dataType(D).build()));
        INDArray x = GradCheck.randn(41, 5, 2, 8, 8);
        net.forward(x, true);
        net.refreshWeights();
        Path zip = dir.resolve("conv.zip");
        ModelFiles.save(net, zip);
        for (Layer back : java.util.List.of(ModelFiles.load(zip), ModelFiles.loadForCertification(zip))) {
            assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(back.forward(x, false)), 0);
            assertEquals(net.lipschitzBound(new int[] {2, 8, 8}), back.lipschitzBound(new int[] {2, 8, 8}), 0);
        }
        Layer exported = net.export();
        assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(exported.forward(x, false)),
                1e-12);
        assertTrue(((Sequential) exported).layers().get(0) instanceof Conv2d);
        Layer f64 = SpectralConv2d.builder(2, 4, 3, 3).seed(5).build().toFloat64();
        assertEquals(D, f64.parameters().get(0).value().dataType());
    }

    @Test
    void badInputsAreRefused() {
        SpectralConv2d s = SpectralConv2d.builder(3, 4, 3, 3).build();
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> s.forward(GradCheck.randn(1, 2, 2, 5, 5).castTo(DataType.FLOAT), false));
        assertTrue(channels.getMessage().contains("[3, H, W]"), channels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.forward(GradCheck.randn(1, 2, 75), false));
        assertThrows(IllegalArgumentException.class, () -> SpectralConv2d.builder(0, 4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> SpectralConv2d.builder(3, 4, 3, 3).stride(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(GradCheck.randn(1, 4, 3), null, 1, 1,
                ConvGeometry.Padding.ZERO_SAME));
        assertThrows(IllegalStateException.class, () -> SpectralConv2d.builder(3, 4, 3, 3).build()
                .backward(GradCheck.randn(1, 1, 4, 5, 5)));
    }
}
