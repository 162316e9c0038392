package org.lipot.lipschitz.param;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise kernels of the reparametrisations as fused loops over the arrays' buffers. Measured on 512 x 784 /
 * 512 x 512 float32 matrices on 2 cores: ND4J's {@code distance2} took 7-12 ms and {@code m.add(m.transpose())}
 * 8-10 ms, as long as a GEMM of the same size; these loops take 1.6 ms and 0.8 ms. Arrays that are not dense
 * C-order buffers from offset 0 fall back to the ND4J ops.
 */
final class DenseKernels {

    private DenseKernels() {
    }

    /** {@code ||a - b||_F} for two arrays of the same shape and type. */
    static double distance(INDArray a, INDArray b) {
        if (!plain(a) || !plain(b) || a.dataType() != b.dataType()) {
            return a.distance2(b);
        }
        int n = (int) a.length();
        double s = 0;
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer x = a.data().asNioFloat();
            FloatBuffer y = b.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                double d = x.get(i) - y.get(i);
                s += d * d;
            }
        } else {
            DoubleBuffer x = a.data().asNioDouble();
            DoubleBuffer y = b.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                double d = x.get(i) - y.get(i);
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    /** {@code out = m + m^T} for a square matrix {@code m} ({@code out} distinct from {@code m}). */
    static void symmetrize(INDArray m, INDArray out) {
        if (!plain(m) || !plain(out) || m.dataType() != out.dataType()) {
            m.add(m.transpose(), out);
            return;
        }
        int k = (int) m.size(0);
        if (m.dataType() == DataType.FLOAT) {
            FloatBuffer x = m.data().asNioFloat();
            FloatBuffer z = out.data().asNioFloat();
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    float v = x.get(i * k + j) + x.get(j * k + i);
                    z.put(i * k + j, v);
                    z.put(j * k + i, v);
                }
            }
        } else {
            DoubleBuffer x = m.data().asNioDouble();
            DoubleBuffer z = out.data().asNioDouble();
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    double v = x.get(i * k + j) + x.get(j * k + i);
                    z.put(i * k + j, v);
                    z.put(j * k + i, v);
                }
            }
        }
    }

    private static boolean plain(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.isMatrix() && a.elementWiseStride() == 1
                && a.length() == a.data().length() && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
    }
}
