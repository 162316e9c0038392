package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The orthogonal convolutions: finite-difference gradients, the singular values of the operator matrix (exactly 1
 * where the docs say orthogonal, at most 1 elsewhere) against the sound bound, files, errors.
 */
class OrthogonalConvLayersTest {

    private static final DataType D = DataType.DOUBLE;
    /** Fixed iteration count: an early stop would make the finite differences jump between iteration counts. */
    private static final Bjorck FIXED = Bjorck.builder().maxIterations(8).tolerance(0).build();

    /** Moves every raw parameter away from its orthogonal start, so the tests do not rely on the initialisation. */
    private static void perturb(OrthogonalConv2d l, long seed, double scale) {
        for (Parameter p : l.parameters()) {
            p.value().addi(GradCheck.randn(seed++, p.value().shape()).muli(scale));
        }
        l.refreshWeights();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<OrthogonalConv2d> layers = List.of(
                OrthogonalPatchConv2d.builder(2, 3, 2, 2).bjorck(FIXED).dataType(D).build(),
                OrthogonalPatchConv2d.builder(2, 9, 3, 2).padding(Padding.CIRCULAR).bjorck(FIXED).dataType(D).build(),
                BcopConv2d.builder(3, 3, 2).bjorck(FIXED).dataType(D).build(),
                BcopConv2d.builder(2, 2, 2).padding(Padding.ZERO_SAME).bjorck(FIXED).dataType(D).build(),
                AocConv2d.builder(2, 3, 3, 3).stride(2, 2).bjorck(FIXED).dataType(D).build(),
                AocConv2d.builder(4, 2, 2, 3).padding(Padding.ZERO_SAME).bjorck(FIXED).dataType(D).build());
        long seed = 10;
        for (OrthogonalConv2d l : layers) {
            perturb(l, seed, 0.5);
            l.setLipschitzFactor(1.3);
            GradCheck.check(l, GradCheck.randn(seed + 5, 2, l.inputChannels(), 6, 6), 1e-6, 1e-6, 30, () -> { });
            seed += 10;
        }
    }

    /** The singular values of x -> layer(x) on [c, h, w] images (the layer has no bias), from impulse responses. */
    private static double[] singularValues(Layer layer, int c, int h, int w) {
        int n = c * h * w;
        INDArray basis = Nd4j.eye(n).castTo(D).reshape('c', n, c, h, w);
        INDArray out = layer.forward(basis, false);
        INDArray m = out.reshape('c', n, out.length() / n).transpose().dup('c');
        return new SingularValueDecomposition(new Array2DRowRealMatrix(m.toDoubleMatrix(), false))
                .getSingularValues();
    }

    /** What the docs claim for a configuration. */
    private enum Claim {
        /** Every singular value 1. */
        ORTHOGONAL,
        /** Norm at most 1. */
        ONE_LIPSCHITZ
    }

    private record Case(String name, Supplier<OrthogonalConv2d> layer, int h, int w, Claim claim) {
    }

    @Test
    void exactlyOrthogonalWhereDocumentedAndNeverAboveOne() {
        List<Case> cases = List.of(
                // kernel = stride: valid, circular, and "same" up to stride 2 tile the image
                new Case("patch 2->5 (rows)", () -> OrthogonalPatchConv2d.builder(2, 5, 2, 2).bias(false).dataType(D)
                        .build(), 6, 8, Claim.ORTHOGONAL),
                new Case("patch 2->10 (isometry)", () -> OrthogonalPatchConv2d.builder(2, 10, 2, 2).bias(false)
                        .dataType(D).build(), 6, 6, Claim.ORTHOGONAL),
                new Case("patch 3x3 circular", () -> OrthogonalPatchConv2d.builder(2, 18, 3, 3)
                        .padding(Padding.CIRCULAR).bias(false).dataType(D).build(), 6, 6, Claim.ORTHOGONAL),
                new Case("patch same stride 2", () -> OrthogonalPatchConv2d.builder(3, 12, 2, 2)
                        .padding(Padding.ZERO_SAME).bias(false).dataType(D).build(), 4, 6, Claim.ORTHOGONAL),
                new Case("patch same stride 3", () -> OrthogonalPatchConv2d.builder(2, 18, 3, 3)
                        .padding(Padding.ZERO_SAME).bias(false).dataType(D).build(), 6, 6, Claim.ONE_LIPSCHITZ),
                // a stride that does not divide the size: the last row is never read, so not an isometry
                new Case("patch 2->10 valid, 7 rows", () -> OrthogonalPatchConv2d.builder(2, 10, 2, 2).bias(false)
                        .dataType(D).build(), 7, 6, Claim.ONE_LIPSCHITZ),
                // BCOP: circular on any size (kernel larger than the image included), zero padding only 1-Lipschitz
                new Case("bcop 4 3x3 circular", () -> BcopConv2d.builder(4, 3, 3).bias(false).dataType(D).build(),
                        6, 6, Claim.ORTHOGONAL),
                new Case("bcop 3 2x4 circular 3x5", () -> BcopConv2d.builder(3, 2, 4).bias(false).dataType(D)
                        .build(), 3, 5, Claim.ORTHOGONAL),
                new Case("bcop 2 5x5 on 4x4", () -> BcopConv2d.builder(2, 5, 5).bias(false).dataType(D).build(),
                        4, 4, Claim.ORTHOGONAL),
                new Case("bcop 4 3x3 zero same", () -> BcopConv2d.builder(4, 3, 3).padding(Padding.ZERO_SAME)
                        .bias(false).dataType(D).build(), 6, 6, Claim.ONE_LIPSCHITZ),
                // AOC: strides and channel changes
                new Case("aoc 2->4 3x3 s2 (rows)", () -> AocConv2d.builder(2, 4, 3, 3).stride(2, 2).bias(false)
                        .dataType(D).build(), 8, 8, Claim.ORTHOGONAL),
                new Case("aoc 2->8 4x4 s2 (square)", () -> AocConv2d.builder(2, 8, 4, 4).stride(2, 2).bias(false)
                        .dataType(D).build(), 6, 6, Claim.ORTHOGONAL),
                new Case("aoc 2->3 3x3 (isometry)", () -> AocConv2d.builder(2, 3, 3, 3).bias(false).dataType(D)
                        .build(), 6, 6, Claim.ORTHOGONAL),
                new Case("aoc 4->2 3x2 (rows)", () -> AocConv2d.builder(4, 2, 3, 2).bias(false).dataType(D).build(),
                        6, 6, Claim.ORTHOGONAL),
                new Case("aoc 2->4 3x3 s1x2 (square)", () -> AocConv2d.builder(2, 4, 3, 3).stride(1, 2).bias(false)
                        .dataType(D).build(), 6, 6, Claim.ORTHOGONAL),
                new Case("aoc 2->4 3x3 s2 zero same", () -> AocConv2d.builder(2, 4, 3, 3).stride(2, 2)
                        .padding(Padding.ZERO_SAME).bias(false).dataType(D).build(), 8, 8, Claim.ONE_LIPSCHITZ));
        // circular with a stride that does not divide the size: overlapping windows, not 1-Lipschitz, so refused
        AocConv2d overlapping = AocConv2d.builder(2, 4, 3, 3).stride(2, 2).bias(false).dataType(D).build();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> overlapping.lipschitzBound(new int[] {2, 7, 8}));
        assertTrue(refused.getMessage().contains("divides"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> overlapping.forward(Nd4j.rand(D, 1, 2, 7, 8), false));
        long seed = 100;
        StringBuilder report = new StringBuilder();
        for (Case c : cases) {
            OrthogonalConv2d l = c.layer.get();
            perturb(l, seed, 0.3);
            seed += 10;
            double[] s = singularValues(l, l.inputChannels(), c.h, c.w);
            double max = s[0];
            double min = s[s.length - 1];
            double bound = l.lipschitzBound(new int[] {l.inputChannels(), c.h, c.w});
            report.append(String.format("%-32s sigma in [%.9f, %.9f], bound %.9f%n", c.name, min, max, bound));
            assertTrue(bound >= max, c.name + ": bound " + bound + " below sigma_max " + max);
            assertTrue(bound <= 1 + 1e-6, c.name + ": bound " + bound);
            if (c.claim == Claim.ORTHOGONAL) {
                assertEquals(1, max, 1e-4, c.name + ": sigma_max");
                assertEquals(1, min, 1e-4, c.name + ": sigma_min");
            } else {
                assertTrue(min < 1 - 1e-4, c.name + ": documented as only 1-Lipschitz but sigma_min is " + min);
            }
        }
        System.out.print(report);
    }

    @Test
    void saveLoadExportAndFloat64(@TempDir Path dir) {
        AocConv2d a = AocConv2d.builder(2, 4, 3, 3).stride(2, 2).dataType(D).seed(1).build();
        BcopConv2d b = BcopConv2d.builder(4, 3, 3).padding(Padding.ZERO_SAME).dataType(D).seed(2).build();
        OrthogonalPatchConv2d c = OrthogonalPatchConv2d.builder(4, 8, 2, 2).bjorck(FIXED).dataType(D).seed(3).build();
        Sequential net = Sequential.withLipschitzFactor(1.1, List.of(a, new GroupSort2(), b, new GroupSort2(), c,
                new Flatten()));
        INDArray x = GradCheck.randn(7, 3, 2, 8, 8);
        net.forward(x, true);
        for (Layer l : List.of(a, b, c)) {
            perturb((OrthogonalConv2d) l, 50, 0.2);
        }
        Path zip = dir.resolve("ortho.zip");
        ModelFiles.save(net, zip);
        int[] shape = {2, 8, 8};
        for (Layer back : List.of(ModelFiles.load(zip), ModelFiles.loadForCertification(zip))) {
            assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(back.forward(x, false)), 0);
            assertEquals(net.lipschitzBound(shape), back.lipschitzBound(shape), 0);
            Sequential s = (Sequential) back;
            assertEquals(FIXED.maxIterations(), ((OrthogonalConv2d) s.layers().get(4)).bjorck().maxIterations());
            assertEquals(Padding.ZERO_SAME, ((BcopConv2d) s.layers().get(2)).padding());
        }
        Layer exported = net.export();
        assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(exported.forward(x, false)),
                1e-12);
        OrthogonalConv2d f32 = AocConv2d.builder(2, 4, 3, 3).stride(2, 2).seed(1).build();
        OrthogonalConv2d f64 = (OrthogonalConv2d) f32.toFloat64();
        assertEquals(D, f64.projectors().value().dataType());
        INDArray x32 = x.castTo(DataType.FLOAT);
        assertArrayEquals(Tensors.toDoubles(f32.forward(x32, false)), Tensors.toDoubles(f64.forward(x, false)),
                1e-5);
    }

    private static void refused(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) {
            assertTrue(ex.getMessage().contains(w), ex.getMessage() + " does not name " + w);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        refused(() -> AocConv2d.builder(2, 2, 3, 3).stride(4, 1), "stride", "kernel");
        refused(() -> AocConv2d.builder(0, 2, 3, 3), "cin");
        refused(() -> AocConv2d.builder(2, 2, 3, 0), "kw");
        refused(() -> BcopConv2d.builder(0, 3, 3), "channels");
        refused(() -> OrthogonalPatchConv2d.builder(2, 2, 0, 2), "sh");
        refused(() -> OrthogonalPatchConv2d.builder(2, 2, 2, 2).bjorck(null), "bjorck");
        refused(() -> BcopConv2d.builder(2, 3, 3).padding(null), "padding");
        refused(() -> BcopConv2d.builder(2, 3, 3).dataType(DataType.INT), "dataType");
        BcopConv2d l = BcopConv2d.builder(2, 3, 3).build();
        refused(() -> l.forward(GradCheck.randn(1, 1, 3, 4, 4).castTo(DataType.FLOAT), false), "[2, H, W]");
        l.weight().value().assign(0);
        refused(l::refreshWeights, "Frobenius norm");
    }
}
