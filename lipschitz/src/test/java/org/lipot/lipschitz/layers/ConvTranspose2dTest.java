package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Conv2dOps;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ConvTranspose2d} and {@link SpectralConv2dTranspose}: sizes, adjointness, gradients, bounds, files. */
class ConvTranspose2dTest {

    private static final DataType D = DataType.DOUBLE;

    private static ConvTranspose2d spectral(int cin, int cout, int k, int stride, Padding p) {
        SpectralConv2dTranspose.Builder b = SpectralConv2dTranspose.builder(cin, cout, k, k).stride(stride, stride)
                .padding(p);
        b.convolution().dataType(D).seed(7).powerIterations(3).powerTolerance(0).bjorckIterations(15)
                .bjorckTolerance(0);
        return b.build();
    }

    @Test
    void outputSizesUpsampleByTheStrideAsPyTorchDoes() {
        assertArrayEquals(new int[] {3, 10, 12}, spectral(4, 3, 3, 2, Padding.ZERO_SAME).outputShape(new int[] {4, 5, 6}));
        // valid: (H - 1) s + k, PyTorch's ConvTranspose2d with output_padding 0
        assertArrayEquals(new int[] {3, 11, 13}, spectral(4, 3, 3, 2, Padding.ZERO_VALID).outputShape(new int[] {4, 5, 6}));
        assertArrayEquals(new int[] {2, 5, 6}, spectral(4, 2, 3, 1, Padding.CIRCULAR).outputShape(new int[] {4, 5, 6}));
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> spectral(4, 3, 3, 2, Padding.ZERO_SAME).outputShape(new int[] {3, 5, 6}));
        assertTrue(channels.getMessage().contains("[4, H, W]"), channels.getMessage());
        IllegalArgumentException withBias = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(SpectralConv2d.builder(2, 3, 3, 3).build(), true));
        assertTrue(withBias.getMessage().contains("no bias"), withBias.getMessage());
    }

    /** {@code <T^T x, y> = <x, T y>}, with {@code T y} from {@link Conv2dOps#forward} (checked against loops). */
    @ParameterizedTest
    @CsvSource({"1, ZERO_SAME", "2, ZERO_SAME", "2, ZERO_VALID", "1, CIRCULAR", "2, CIRCULAR"})
    void forwardIsTheAdjointOfTheConvolution(int stride, Padding p) {
        ConvTranspose2d t = spectral(3, 2, 3, stride, p);
        INDArray x = GradCheck.randn(1, 2, 3, 4, 4);
        INDArray tx = t.forward(x, false);
        INDArray y = GradCheck.randn(2, tx.shape());
        INDArray ty = Conv2dOps.forward(y, t.convolution().effectiveKernel(), null,
                t.convolution().geometry((int) y.size(2), (int) y.size(3)), null);
        double left = tx.mul(y).sumNumber().doubleValue();
        double right = x.mul(ty).sumNumber().doubleValue();
        assertEquals(right, left, 1e-12 * (1 + Math.abs(right)));
    }

    @ParameterizedTest
    @CsvSource({"1, ZERO_SAME", "2, ZERO_SAME", "2, ZERO_VALID", "1, CIRCULAR", "2, CIRCULAR"})
    void gradientsMatchCentralDifferences(int stride, Padding p) {
        ConvTranspose2d t = spectral(3, 2, 3, stride, p);
        SpectralConv2d conv = (SpectralConv2d) t.convolution();
        conv.weight().value().assign(GradCheck.randn(3, 3, 2, 3, 3)); // not orthogonal: Björck and sigma matter
        t.bias().value().assign(GradCheck.randn(4, 2));
        t.setLipschitzFactor(1.3);
        INDArray u0 = conv.powerVector().dup();
        GradCheck.check(t, GradCheck.randn(5, 2, 3, 4, 4), 1e-6, 1e-6, 40, () -> conv.powerVector().assign(u0));
    }

    /** The singular values of x -> layer(x) on one [c, h, w] sample (no bias), from impulse responses. */
    private static double[] singularValues(Layer layer, int c, int h, int w) {
        int n = c * h * w;
        INDArray out = layer.forward(Nd4j.eye(n).castTo(D).reshape('c', n, c, h, w), false);
        INDArray m = out.reshape('c', n, out.length() / n).transpose().dup('c');
        return new SingularValueDecomposition(new Array2DRowRealMatrix(m.toDoubleMatrix(), false))
                .getSingularValues();
    }

    @Test
    void theSoundBoundCoversTheExactNormAndSpectralTransposesAreOneLipschitz() {
        for (Padding p : Padding.values()) {
            for (int stride : new int[] {1, 2}) {
                ConvTranspose2d t = SpectralConv2dTranspose.builder(3, 4, 3, 3).stride(stride, stride).padding(p)
                        .bias(false).build().toFloat64();
                double exact = singularValues(t, 3, 4, 4)[0];
                double bound = t.lipschitzBound(new int[] {3, 4, 4});
                assertTrue(exact <= bound * (1 + 1e-9), p + " stride " + stride + ": exact " + exact + " > " + bound);
                assertTrue(bound <= 1 + 1e-6, p + " stride " + stride + ": bound " + bound);
            }
        }
        // an exactly orthogonal square conv (2 x 2 patches of 1 channel to 4 channels) has an orthogonal transpose
        ConvTranspose2d ortho = new ConvTranspose2d(OrthogonalPatchConv2d.builder(1, 4, 2, 2).bias(false)
                .dataType(D).build(), false);
        for (double s : singularValues(ortho, 4, 3, 3)) {
            assertEquals(1, s, 1e-6);
        }
        // and so does a bias-free AOC conv with BCOP projectors (3 x 3, stride 1, circular, 4 -> 4 channels)
        ConvTranspose2d aoc = new ConvTranspose2d(AocConv2d.builder(4, 4, 3, 3).bias(false).dataType(D).build(), false);
        for (double s : singularValues(aoc, 4, 5, 5)) {
            assertEquals(1, s, 1e-4);
        }
    }

    @Test
    void savesLoadsAndExports(@TempDir Path dir) {
        ConvTranspose2d t = spectral(4, 2, 3, 2, Padding.ZERO_SAME);
        t.bias().value().assign(GradCheck.randn(8, 2));
        Sequential net = Sequential.of(List.of(t, new Flatten()));
        INDArray x = GradCheck.randn(9, 3, 4, 3, 3);
        INDArray want = net.forward(x, false);
        Path file = dir.resolve("t.zip");
        ModelFiles.save(net, file);
        INDArray loaded = ModelFiles.load(file).forward(x, false);
        assertArrayEquals(want.ravel().toDoubleVector(), loaded.ravel().toDoubleVector(), 1e-12);
        Layer exported = t.export();
        assertTrue(((ConvTranspose2d) exported).convolution() instanceof Conv2d);
        assertArrayEquals(t.forward(x, false).ravel().toDoubleVector(),
                exported.forward(x, false).ravel().toDoubleVector(), 1e-12);
        assertEquals(t.lipschitzBound(new int[] {4, 3, 3}), exported.lipschitzBound(new int[] {4, 3, 3}), 1e-12);
    }
}
