package org.lipot.lipschitz.param;

import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@link Conv2dOps} (im2col + GEMM) against ND4J's {@code conv2d} / {@code conv2d_bp} custom ops, float32,
 * batch 256, zero "same" padding, stride 1, on the two layer shapes of docs/decisions/0007-conv-kernels.md. Also
 * checks that the two agree, so the comparison is between equal results.
 *
 * <p>Run: {@code mvn -o -q -pl lipschitz -am test -Dtest=ConvKernelsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlipot.excludedTags=} (surefire sets OMP_NUM_THREADS=2)
 */
@Tag("slow")
class ConvKernelsBenchmark {

    @Test
    void compare() {
        int[][] shapes = {{1, 28, 16}, {16, 14, 32}};
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", java "
                + System.getProperty("java.version"));
        for (int[] s : shapes) {
            ConvGeometry g = ConvGeometry.of(s[0], s[2], 3, 3, ConvGeometry.Padding.ZERO_SAME, s[1], s[1]);
            int n = 256;
            INDArray x = GradCheck.randn(1, g.inputShape(n)).castTo(DataType.FLOAT);
            INDArray k = GradCheck.randn(2, g.kernelShape()).castTo(DataType.FLOAT).muli(0.2);
            INDArray b = GradCheck.randn(3, g.cout()).castTo(DataType.FLOAT);
            INDArray dy = GradCheck.randn(4, g.outputShape(n)).castTo(DataType.FLOAT);
            INDArray y = Nd4j.create(DataType.FLOAT, g.outputShape(n));
            INDArray dx = Nd4j.create(DataType.FLOAT, g.inputShape(n));
            INDArray dk = Nd4j.create(DataType.FLOAT, g.kernelShape());
            INDArray db = Nd4j.create(DataType.FLOAT, g.cout());
            Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX)
                    .build();
            INDArray yNd = Nd4j.create(DataType.FLOAT, g.outputShape(n));
            INDArray dxNd = Nd4j.create(DataType.FLOAT, g.inputShape(n));
            INDArray dkNd = Nd4j.create(DataType.FLOAT, g.kernelShape());
            INDArray dbNd = Nd4j.create(DataType.FLOAT, g.cout());
            int[] iargs = java.util.Arrays.stream(new Conv2D(new INDArray[] {x, k, b}, new INDArray[] {yNd}, cfg).iArgs())
                    .mapToInt(v -> (int) v).toArray();

            Conv2dOps.Workspace ws = new Conv2dOps.Workspace();
            Runnable fJava = () -> Conv2dOps.forward(x, k, b, g, y, ws);
            Runnable fNd = () -> Nd4j.exec(new Conv2D(new INDArray[] {x, k, b}, new INDArray[] {yNd}, cfg));
            Runnable bJava = () -> Conv2dOps.backward(x, dy, k, g, dx, dk, db, false, ws);
            Runnable biJava = () -> Conv2dOps.backward(null, dy, k, g, dx, null, null, false, ws);
            Runnable bNd = () -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, k, b, dy)
                    .addOutputs(dxNd, dkNd, dbNd).addIntegerArguments(iargs).build());
            String name = g.cin() + "x" + g.h() + "x" + g.w() + " -> " + g.cout() + " ch 3x3";
            report(name, "forward", time(fJava), time(fNd));
            report(name, "backward (input + kernel + bias)", time(bJava), time(bNd));
            report(name, "backward input only (ND4J: conv2d_bp)", time(biJava), time(bNd));
            Conv2dOps.backward(x, dy, k, g, dx, dk, db, false);
            agree(name + " forward", y, yNd);
            agree(name + " dx", dx, dxNd);
            agree(name + " dk", dk, dkNd);
            agree(name + " db", db, dbNd);
        }
    }

    private static void agree(String what, INDArray a, INDArray b) {
        double rel = a.sub(b).amaxNumber().doubleValue() / b.amaxNumber().doubleValue();
        System.out.printf(Locale.ROOT, "  %s: max difference %.1e relative%n", what, rel);
        if (!(rel < 1e-4)) {
            throw new AssertionError(what + " differs: " + rel);
        }
    }

    /** Best and median milliseconds of 15 runs after 3 warm-up runs. */
    private static double[] time(Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] t = new double[15];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return new double[] {t[0], t[t.length / 2]};
    }

    private static void report(String shape, String what, double[] java, double[] nd) {
        System.out.printf(Locale.ROOT, "%s, %s: im2col+GEMM %.2f ms (median %.2f), ND4J custom op %.2f ms (median %.2f)%n",
                shape, what, java[0], java[1], nd[0], nd[1]);
    }
}
