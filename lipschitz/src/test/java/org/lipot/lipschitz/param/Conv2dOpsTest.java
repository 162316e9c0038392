package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.lipschitz.testing.Golden;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ConvGeometry} and {@link Conv2dOps}: sizes, golden outputs, a naive reference, finite differences. */
class Conv2dOpsTest {

    /**
     * Geometries covering every padding mode, strides 1 and 2, kernels 1x1, 3x3, 2x2 (stride 2) and 3x2, and both
     * ways of computing the input gradient: the scatter, and the adjoint convolution (stride 1, odd kernels, fewer
     * output than input channels, including a circular kernel taller than its input).
     */
    static List<ConvGeometry> geometries() {
        List<ConvGeometry> out = new ArrayList<>();
        for (Padding p : Padding.values()) {
            for (int s = 1; s <= 2; s++) {
                out.add(new ConvGeometry(2, 3, 1, 1, s, s, p, 4, 5));
                out.add(new ConvGeometry(2, 3, 3, 3, s, s, p, 5, 4));
                out.add(new ConvGeometry(3, 2, 3, 2, s, 1, p, 4, 6));
                out.add(new ConvGeometry(3, 2, 3, 3, s, s, p, 5, 4));
            }
            out.add(new ConvGeometry(2, 2, 2, 2, 2, 2, p, 4, 5));
            if (p != Padding.ZERO_VALID) {
                out.add(new ConvGeometry(2, 2, 5, 3, 1, 1, p, 3, 4));
            }
        }
        return out;
    }

    /** The 6-loop definition of the convolution (float64). */
    static INDArray naive(INDArray x, INDArray k, INDArray b, ConvGeometry g) {
        int n = (int) x.size(0);
        INDArray y = Nd4j.create(DataType.DOUBLE, g.outputShape(n));
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < g.cout(); o++) {
                for (int yy = 0; yy < g.outH(); yy++) {
                    for (int zz = 0; zz < g.outW(); zz++) {
                        double acc = b == null ? 0 : b.getDouble(o);
                        for (int c = 0; c < g.cin(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                for (int j = 0; j < g.kw(); j++) {
                                    int row = yy * g.sh() + i - g.padTop();
                                    int col = zz * g.sw() + j - g.padLeft();
                                    if (g.padding() == Padding.CIRCULAR) {
                                        row = Math.floorMod(row, g.h());
                                        col = Math.floorMod(col, g.w());
                                    } else if (row < 0 || row >= g.h() || col < 0 || col >= g.w()) {
                                        continue;
                                    }
                                    acc += k.getDouble(o, c, i, j) * x.getDouble(s, c, row, col);
                                }
                            }
                        }
                        y.putScalar(new long[] {s, o, yy, zz}, acc);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void outputSizes() {
        ConvGeometry same = new ConvGeometry(1, 1, 3, 3, 2, 2, Padding.ZERO_SAME, 7, 8);
        assertEquals(4, same.outH());
        assertEquals(4, same.outW());
        assertEquals(1, same.padTop());
        ConvGeometry valid = new ConvGeometry(1, 1, 3, 2, 2, 1, Padding.ZERO_VALID, 7, 8);
        assertEquals(3, valid.outH());
        assertEquals(7, valid.outW());
        ConvGeometry even = ConvGeometry.of(1, 1, 2, 4, Padding.CIRCULAR, 5, 6);
        assertEquals(5, even.outH());
        assertEquals(6, even.outW());
        assertEquals(0, even.padTop());
        assertEquals(1, even.padLeft());
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("cin", () -> new ConvGeometry(0, 1, 3, 3, 1, 1, Padding.ZERO_SAME, 4, 4));
        assertMessage("cout", () -> new ConvGeometry(1, -1, 3, 3, 1, 1, Padding.ZERO_SAME, 4, 4));
        assertMessage("kw", () -> new ConvGeometry(1, 1, 3, 0, 1, 1, Padding.ZERO_SAME, 4, 4));
        assertMessage("sh", () -> new ConvGeometry(1, 1, 3, 3, 0, 1, Padding.ZERO_SAME, 4, 4));
        assertMessage("padding", () -> new ConvGeometry(1, 1, 3, 3, 1, 1, null, 4, 4));
        assertMessage("valid", () -> new ConvGeometry(1, 1, 5, 3, 1, 1, Padding.ZERO_VALID, 4, 4));
        ConvGeometry g = ConvGeometry.of(2, 3, 3, 3, Padding.ZERO_SAME, 4, 4);
        INDArray x = GradCheck.randn(1, 1, 2, 4, 4);
        INDArray k = GradCheck.randn(2, 3, 2, 3, 3);
        assertMessage("x", () -> Conv2dOps.forward(GradCheck.randn(1, 1, 3, 4, 4), k, null, g, null));
        assertMessage("kernel", () -> Conv2dOps.forward(x, GradCheck.randn(1, 3, 2, 3, 1), null, g, null));
        assertMessage("bias", () -> Conv2dOps.forward(x, k, GradCheck.randn(1, 2), g, null));
        assertMessage("kernel", () -> Conv2dOps.forward(x, k.castTo(DataType.FLOAT), null, g, null));
        assertMessage("out", () -> Conv2dOps.forward(x, k, null, g, Nd4j.create(DataType.DOUBLE, 1, 3, 4, 3)));
        assertMessage("gradOut", () -> Conv2dOps.backwardInput(x, k, g, null));
        assertMessage("x is needed", () -> Conv2dOps.backward(null, GradCheck.randn(1, 1, 3, 4, 4), null, g, null,
                Nd4j.create(DataType.DOUBLE, g.kernelShape()), null, false));
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should name " + part);
    }

    /** One of the {@code convs} of {@code spectral_norms.json}: its kernel and its geometry (stride 1) per padding. */
    record GoldenConv(String name, INDArray kernel, int h, int w, JsonNode node) {
        ConvGeometry geometry(Padding p) {
            return ConvGeometry.of((int) kernel.size(1), (int) kernel.size(0), (int) kernel.size(2),
                    (int) kernel.size(3), p, h, w);
        }
    }

    static List<GoldenConv> goldenConvs() {
        List<GoldenConv> out = new ArrayList<>();
        for (JsonNode c : Golden.read("spectral_norms.json").get("convs")) {
            out.add(new GoldenConv(c.get("name").asText(), Golden.array(c.get("kernel")),
                    c.get("input_hw").get(0).asInt(), c.get("input_hw").get(1).asInt(), c));
        }
        return out;
    }

    @Test
    void goldenOutputs() {
        int checked = 0;
        for (GoldenConv c : goldenConvs()) {
            INDArray x = Golden.array(c.node().get("example_input"));
            INDArray xb = x.reshape(1, x.size(0), c.h(), c.w());
            for (Padding p : new Padding[] {Padding.ZERO_SAME, Padding.CIRCULAR}) {
                INDArray want = Golden.array(c.node().get(p == Padding.CIRCULAR ? "example_output_circular"
                        : "example_output_zero_same"));
                INDArray got = Conv2dOps.forward(xb, c.kernel(), null, c.geometry(p), null);
                double err = Golden.relErr(got.reshape(want.shape()), want);
                assertTrue(err < 1e-12, c.name() + " " + p + ": relative error " + err);
                checked++;
            }
        }
        assertEquals(12, checked);
    }

    /** Seeded float64 input (n samples), kernel and bias for a geometry. */
    record Operands(INDArray x, INDArray k, INDArray b) {
        static Operands of(ConvGeometry g, int n, long seed) {
            return new Operands(GradCheck.randn(seed, g.inputShape(n)), GradCheck.randn(seed + 1, g.kernelShape()),
                    GradCheck.randn(seed + 2, g.cout()));
        }
    }

    @Test
    void forwardMatchesNaiveLoops() {
        long seed = 10;
        for (ConvGeometry g : geometries()) {
            Operands o = Operands.of(g, 3, seed += 3);
            INDArray want = naive(o.x(), o.k(), o.b(), g);
            double err = Golden.relErr(Conv2dOps.forward(o.x(), o.k(), o.b(), g, null), want);
            assertTrue(err < 1e-14, g + ": float64 relative error " + err);
            INDArray got32 = Conv2dOps.forward(o.x().castTo(DataType.FLOAT), o.k().castTo(DataType.FLOAT),
                    o.b().castTo(DataType.FLOAT), g, null);
            assertEquals(DataType.FLOAT, got32.dataType());
            double err32 = Golden.relErr(got32, want);
            assertTrue(err32 < 1e-5, g + ": float32 relative error " + err32);
        }
    }

    @Test
    void chunkedBatchesMatchTheReference() {
        // 8 * 9 * 48 * 48 column entries per sample: a chunk holds 50 samples, so 55 samples need two chunks
        ConvGeometry g = new ConvGeometry(8, 2, 3, 3, 1, 1, Padding.CIRCULAR, 48, 48);
        int n = (int) (Conv2dOps.MAX_COLUMN_ENTRIES / (8L * 9 * 48 * 48)) + 5;
        INDArray x = GradCheck.randn(1, g.inputShape(n));
        INDArray k = GradCheck.randn(2, g.kernelShape());
        INDArray y = Conv2dOps.forward(x, k, null, g, null);
        INDArray tail = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n - 1, n),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray yTail = naive(tail, k, null, g);
        assertTrue(Golden.relErr(y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n - 1, n)).dup(), yTail) < 1e-13);
        INDArray dy = GradCheck.randn(3, g.outputShape(n));
        Conv2dOps.Gradients all = Conv2dOps.backward(x, dy, k, g, null, Nd4j.create(DataType.DOUBLE, g.kernelShape()),
                null, false);
        // <T x, dy> = <x, T^T dy> and sum_n <dk, k>-linearity: <dk, k> = <y, dy>
        double lhs = y.mul(dy).sumNumber().doubleValue();
        assertEquals(lhs, x.mul(all.gradIn()).sumNumber().doubleValue(), 1e-10 * Math.abs(lhs) + 1e-9);
        assertEquals(lhs, k.mul(all.gradKernel()).sumNumber().doubleValue(), 1e-10 * Math.abs(lhs) + 1e-9);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        long seed = 100;
        for (ConvGeometry g : geometries()) {
            Operands o = Operands.of(g, 2, seed += 4);
            INDArray x = o.x();
            INDArray k = o.k();
            INDArray b = o.b();
            INDArray w = GradCheck.randn(seed + 3, g.outputShape(2));
            INDArray gk = Nd4j.create(DataType.DOUBLE, g.kernelShape());
            INDArray gb = Nd4j.create(DataType.DOUBLE, g.cout());
            Conv2dOps.Gradients grads = Conv2dOps.backward(x, w, k, g, null, gk, gb, false);
            double h = 1e-4; // the objective is bilinear: central differences are exact up to rounding
            for (INDArray[] pair : new INDArray[][] {{x, grads.gradIn()}, {k, gk}, {b, gb}}) {
                INDArray target = pair[0];
                INDArray flat = target.reshape(target.length());
                // every entry of small tensors, 24 seeded entries of larger ones (the objective is bilinear, so the
                // forward-matches-naive test plus these samples pin the gradients down)
                java.util.SplittableRandom pick = new java.util.SplittableRandom(seed);
                for (int sample = 0; sample < Math.min(24, target.length()); sample++) {
                    long i = target.length() <= 24 ? sample : pick.nextLong(target.length());
                    double orig = flat.getDouble(i);
                    flat.putScalar(i, orig + h);
                    double plus = Conv2dOps.forward(x, k, b, g, null).mul(w).sumNumber().doubleValue();
                    flat.putScalar(i, orig - h);
                    double minus = Conv2dOps.forward(x, k, b, g, null).mul(w).sumNumber().doubleValue();
                    flat.putScalar(i, orig);
                    double fd = (plus - minus) / (2 * h);
                    double an = pair[1].reshape(target.length()).getDouble(i);
                    assertEquals(fd, an, 1e-8 * Math.max(1, Math.abs(fd)), g + " entry " + i);
                }
            }
            // adjoint identities cover every entry: <T x, w> = <x, T^T w> and <T x, w> = <k, dk>
            double txw = Conv2dOps.forward(x, k, null, g, null).mul(w).sumNumber().doubleValue();
            assertEquals(txw, x.mul(grads.gradIn()).sumNumber().doubleValue(), 1e-12 * (1 + Math.abs(txw)), g.toString());
            assertEquals(txw, k.mul(gk).sumNumber().doubleValue(), 1e-12 * (1 + Math.abs(txw)), g.toString());
            // the single-purpose entry points agree with the combined pass, and accumulate adds
            assertTrue(Golden.relErr(Conv2dOps.backwardInput(w, k, g, null), grads.gradIn()) < 1e-15);
            assertTrue(Golden.relErr(Conv2dOps.backwardKernel(x, w, g, null), gk) < 1e-15);
            assertTrue(Golden.relErr(Conv2dOps.backwardBias(w, null), gb) < 1e-15);
            Conv2dOps.backward(x, w, null, g, null, gk, gb, true);
            assertTrue(Golden.relErr(gk, Conv2dOps.backwardKernel(x, w, g, null).mul(2)) < 1e-15);
            assertTrue(Golden.relErr(gb, Conv2dOps.backwardBias(w, null).mul(2)) < 1e-15);
        }
    }

    @Test
    void keptColumnsGiveTheGradientsOfAFreshWorkspaceAndOnlyForTheirOwnInput() {
        // two chunks, a bias row, float64 (two words a value) and float32
        ConvGeometry g = new ConvGeometry(8, 3, 3, 3, 1, 1, Padding.ZERO_SAME, 48, 48);
        int n = (int) (Conv2dOps.MAX_COLUMN_ENTRIES / (73L * 48 * 48)) + 5;
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray x = GradCheck.randn(1, g.inputShape(n)).castTo(t);
            INDArray other = GradCheck.randn(4, g.inputShape(n)).castTo(t);
            INDArray k = GradCheck.randn(2, g.kernelShape()).castTo(t);
            INDArray b = GradCheck.randn(5, new long[] {g.cout()}).castTo(t);
            INDArray dy = GradCheck.randn(3, g.outputShape(n)).castTo(t);
            Conv2dOps.Workspace ws = new Conv2dOps.Workspace();
            ws.keepColumns(true);
            INDArray y = Conv2dOps.forward(x, k, b, g, null, ws);
            assertEquals(0.0, Golden.relErr(y, Conv2dOps.forward(x, k, b, g, null)), t.toString());
            for (INDArray input : new INDArray[] {x, other}) { // the kept columns are x's: another input rebuilds
                INDArray gk = Nd4j.create(t, g.kernelShape());
                INDArray gb = Nd4j.create(t, g.cout());
                Conv2dOps.Gradients kept = Conv2dOps.backward(input, dy, k, g, null, gk, gb, false, ws);
                INDArray fk = Nd4j.create(t, g.kernelShape());
                INDArray fb = Nd4j.create(t, g.cout());
                Conv2dOps.Gradients fresh = Conv2dOps.backward(input, dy, k, g, null, fk, fb, false);
                assertEquals(0.0, Golden.relErr(kept.gradKernel(), fresh.gradKernel()), t + " kernel");
                assertEquals(0.0, Golden.relErr(kept.gradBias(), fresh.gradBias()), t + " bias");
                assertEquals(0.0, Golden.relErr(kept.gradIn(), fresh.gradIn()), t + " input");
            }
        }
    }

    /** What the runs of one row write: copies (or zeros) run by run, then zeros at the holes. */
    private static int[] apply(Conv2dOps.Runs runs, int r, int[] x, int perRow) {
        int[] row = new int[perRow];
        java.util.Arrays.fill(row, 12345);
        for (int k = runs.start[r]; k < runs.start[r + 1]; k++) {
            for (int q = 0; q < runs.length[k]; q++) {
                row[runs.to[k] + q] = runs.from[k] < 0 ? 0 : x[runs.from[k] + runs.step[k] * q];
            }
        }
        for (int h = runs.holeStart[r]; h < runs.holeStart[r + 1]; h++) {
            row[runs.holes[h]] = 0;
        }
        return row;
    }

    @Test
    void runsReproduceTheirTableWithAndWithoutBridgedHoles() {
        // rows of a hand-made table: holes inside step-1 runs (bridgeable or too long), at the ends, next to a
        // step-2 run and to a break in the sequence; then every geometry's own table
        int[][] rows = {
            {-1, 5, 6, 7, -1, 9, 10, -1, -1, -1, 14, 15, -1},
            {0, 2, 4, -1, 8, 9, -1, 11, 3, 4, -1, -1, 7},
            {-1, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1},
        };
        int perRow = rows[0].length;
        int[] table = new int[rows.length * perRow];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, table, r * perRow, perRow);
        }
        int[] x = new int[32];
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 + i;
        }
        for (int bridge : new int[] {0, 2, 4}) {
            Conv2dOps.Runs runs = Conv2dOps.Runs.of(table, rows.length, bridge);
            for (int r = 0; r < rows.length; r++) {
                int[] want = new int[perRow];
                for (int q = 0; q < perRow; q++) {
                    want[q] = rows[r][q] < 0 ? 0 : x[rows[r][q]];
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(want, apply(runs, r, x, perRow),
                        "bridge " + bridge + ", row " + r);
                if (bridge == 0) {
                    assertEquals(runs.holeStart[r], runs.holeStart[r + 1], "no holes without bridging");
                }
            }
            if (bridge == 2) {
                // row 0: a zero; 5..10 bridging the single zero; the three zeros (too many to bridge); 14..15; a zero
                assertEquals(5, runs.start[1] - runs.start[0], "runs of row 0");
                assertEquals(1, runs.holeStart[1] - runs.holeStart[0], "holes of row 0");
                assertEquals(4, runs.holes[runs.holeStart[0]]);
            }
        }
        for (ConvGeometry g : geometries()) {
            int[] t = Conv2dOps.gatherTable(g);
            int rowsG = g.cin() * g.kh() * g.kw();
            int per = t.length / rowsG;
            int[] input = new int[g.inputSize()];
            for (int i = 0; i < input.length; i++) {
                input[i] = i + 1;
            }
            Conv2dOps.Runs runs = Conv2dOps.Runs.of(t, rowsG, 4);
            for (int r = 0; r < rowsG; r++) {
                int[] want = new int[per];
                for (int q = 0; q < per; q++) {
                    want[q] = t[r * per + q] < 0 ? 0 : input[t[r * per + q]];
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(want, apply(runs, r, input, per), g + " row " + r);
            }
        }
    }

    @Test
    void float32BackwardFollowsTheInputType() {
        // by the scatter (stride 2) and by the adjoint convolution (stride 1, 4 -> 3 channels)
        for (ConvGeometry g : new ConvGeometry[] {new ConvGeometry(2, 3, 3, 3, 2, 2, Padding.CIRCULAR, 6, 6),
                new ConvGeometry(4, 3, 3, 3, 1, 1, Padding.ZERO_SAME, 6, 7)}) {
            INDArray x = GradCheck.randn(1, g.inputShape(2));
            INDArray k = GradCheck.randn(2, g.kernelShape());
            INDArray w = GradCheck.randn(3, g.outputShape(2));
            Conv2dOps.Gradients d = Conv2dOps.backward(x, w, k, g, null,
                    Nd4j.create(DataType.DOUBLE, g.kernelShape()), null, false);
            Conv2dOps.Gradients f = Conv2dOps.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                    k.castTo(DataType.FLOAT), g, null, Nd4j.create(DataType.FLOAT, g.kernelShape()), null, false);
            assertEquals(DataType.FLOAT, f.gradIn().dataType());
            assertTrue(Golden.relErr(f.gradIn(), d.gradIn()) < 1e-5, g.toString());
            assertTrue(Golden.relErr(f.gradKernel(), d.gradKernel()) < 1e-5, g.toString());
        }
    }
}
