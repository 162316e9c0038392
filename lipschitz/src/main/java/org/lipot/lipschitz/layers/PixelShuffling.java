package org.lipot.lipschitz.layers;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A permutation of NCHW entries between space and channels with factor {@code k}: space-to-depth (pixel unshuffle)
 * {@code out[n][c k^2 + i k + j][y][z] = x[n][c][k y + i][k z + j]}, or its inverse, depth-to-space (pixel shuffle).
 * A permutation is an isometry: Lipschitz constant exactly 1, and backward applies the inverse permutation.
 */
public abstract sealed class PixelShuffling implements Layer permits InvertibleDownSampling, InvertibleUpSampling {

    private final int k;
    private final boolean down;
    private long[] inputShape;

    PixelShuffling(int factor, boolean down) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be positive, got " + factor);
        }
        this.k = factor;
        this.down = down;
    }

    /** The factor {@code k}. */
    public int factor() {
        return k;
    }

    /**
     * {@code [C k^2, H / k, W / k]} for {@code [C, H, W]} with {@code H}, {@code W} multiples of {@code k} (down), or
     * {@code [C / k^2, H k, W k]} for {@code C} a multiple of {@code k^2} (up).
     */
    @Override
    public int[] outputShape(int[] in) {
        boolean fits = in != null && in.length == 3 && in[0] > 0 && in[1] > 0 && in[2] > 0
                && (down ? in[1] % k == 0 && in[2] % k == 0 : in[0] % (k * k) == 0);
        if (!fits) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(in) + " but the layer expects "
                    + (down ? "[C, H, W] with H and W multiples of " + k : "[C, H, W] with C a multiple of " + k * k));
        }
        return down ? new int[] {in[0] * k * k, in[1] / k, in[2] / k} : new int[] {in[0] / (k * k), in[1] * k, in[2] * k};
    }

    /** 1: a permutation of the entries. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int[] out = outputShape(Tensors.checkImages(x, "input"));
        long[] s = x.shape();
        inputShape = s;
        long[] outShape = {s[0], out[0], out[1], out[2]};
        // the space side is (C, H, W) of the down direction's input, whichever way this layer maps
        long[] space = down ? s : outShape;
        return Tensors.fromDoubles(permute(Tensors.toDoubles(x), space, down), outShape, x.dataType());
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException("backward called before forward");
        }
        long[] s = inputShape;
        int[] out = outputShape(new int[] {(int) s[1], (int) s[2], (int) s[3]});
        long[] outShape = {s[0], out[0], out[1], out[2]};
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), outShape)) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output has shape "
                    + Arrays.toString(outShape));
        }
        long[] space = down ? s : outShape;
        return Tensors.fromDoubles(permute(Tensors.toDoubles(gradOutput), space, !down), s, gradOutput.dataType());
    }

    /**
     * Space-to-depth ({@code toDepth}) or depth-to-space of {@code v}, where {@code space} is the NCHW shape of the
     * space side.
     */
    private double[] permute(double[] v, long[] space, boolean toDepth) {
        int n = (int) space[0];
        int c = (int) space[1];
        int h = (int) space[2];
        int w = (int) space[3];
        int oh = h / k;
        int ow = w / k;
        double[] out = new double[v.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int spaceRow = ((b * c + ch) * h + y) * w;
                    int i = y % k;
                    for (int z = 0; z < w; z++) {
                        int depthChannel = (ch * k + i) * k + z % k;
                        int depth = ((b * c * k * k + depthChannel) * oh + y / k) * ow + z / k;
                        if (toDepth) {
                            out[depth] = v[spaceRow + z];
                        } else {
                            out[spaceRow + z] = v[depth];
                        }
                    }
                }
            }
        }
        return out;
    }
}
