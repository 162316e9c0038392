package org.lipot.lipschitz.param;

import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Times Björck forward and backward on the dense net's largest matrix (float32). */
@Tag("slow")
class BjorckTimingProbe {

    @Test
    void probe() {
        for (int[] shape : new int[][] {{512, 784}, {512, 512}, {256, 512}}) {
            INDArray w = Initializers.orthogonal(shape[0], shape[1], 1, DataType.FLOAT)
                    .addi(GradCheck.randn(3, shape[0], shape[1]).castTo(DataType.FLOAT).muli(0.01));
            w.divi(w.norm2Number().doubleValue() / 10);
            INDArray g = GradCheck.randn(2, shape[0], shape[1]).castTo(DataType.FLOAT);
            for (GradientMode m : new GradientMode[] {GradientMode.full(), GradientMode.gradientThroughFirst(4)}) {
                Bjorck.Workspace ws = Bjorck.builder().tolerance(0).gradientMode(m).build().newWorkspace();
                double bf = 1e9;
                double bb = 1e9;
                for (int r = 0; r < 8; r++) {
                    long t0 = System.nanoTime();
                    ws.forward(w, true);
                    long t1 = System.nanoTime();
                    ws.backward(g);
                    long t2 = System.nanoTime();
                    bf = Math.min(bf, (t1 - t0) / 1e9);
                    bb = Math.min(bb, (t2 - t1) / 1e9);
                }
                double flop = 2.0 * shape[0] * shape[0] * shape[1];
                System.out.printf(Locale.ROOT, "bjorck %dx%d %s: forward %.1f ms (%.0f GFLOPS), backward %.1f ms%n",
                        shape[0], shape[1], m, bf * 1e3, 15 * 2 * flop / bf / 1e9, bb * 1e3);
            }
        }
    }
}
