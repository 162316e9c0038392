package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convex residual connection {@code y = (1 - t) x + t branch(x)} with {@code t} in [0, 1], either fixed or
 * learned as {@code t = sigmoid(a)}.
 *
 * <p>{@code Lip(y) <= (1 - t) + t Lip(branch)}, so the block is 1-Lipschitz whenever the branch is. The branch
 * must map its input to the same shape. Gradients: {@code dL/dx = (1 - t) G + branch^T(t G)} and, when learned,
 * {@code dL/da = t (1 - t) <G, branch(x) - x>}.
 */
public final class LipResidual implements Layer {

    private final Layer branch;
    private final Parameter logit;
    private final double fixedT;
    private final DataType type;
    private INDArray input;
    private INDArray branchOut;
    private boolean lastTraining;

    private LipResidual(Layer branch, Parameter logit, double fixedT, DataType type) {
        if (branch == null) {
            throw new IllegalArgumentException("branch must not be null");
        }
        this.branch = branch;
        this.logit = logit;
        this.fixedT = fixedT;
        this.type = type;
    }

    /**
     * A block with a learned {@code t = sigmoid(a)}, {@code a} starting at {@code initialLogit}.
     *
     * @throws IllegalArgumentException if {@code branch} is null, the logit is not finite or the type is not
     *                                  FLOAT/DOUBLE
     */
    public static LipResidual learned(Layer branch, double initialLogit, DataType type) {
        if (!Double.isFinite(initialLogit)) {
            throw new IllegalArgumentException("initialLogit must be finite, got " + initialLogit);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type must be FLOAT or DOUBLE, got " + type);
        }
        return new LipResidual(branch, new Parameter("logit", Nd4j.scalar(type, initialLogit).reshape(1)),
                Double.NaN, type);
    }

    /**
     * A block with a fixed {@code t}.
     *
     * @throws IllegalArgumentException if {@code branch} is null or {@code t} is not in [0, 1]
     */
    public static LipResidual fixed(Layer branch, double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t must be in [0, 1], got " + t);
        }
        return new LipResidual(branch, null, t, null);
    }

    /** The branch layer. */
    public Layer branch() {
        return branch;
    }

    /** The learned logit {@code a} with {@code t = sigmoid(a)} (shape (1)), or {@code null} for a fixed {@code t}. */
    public Parameter logit() {
        return logit;
    }

    /** The current mixing weight {@code t}. */
    public double t() {
        if (logit == null) {
            return fixedT;
        }
        return 1.0 / (1.0 + Math.exp(-logit.value().getDouble(0)));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(branch.parameters());
        if (logit != null) {
            ps.add(logit);
        }
        return Collections.unmodifiableList(ps);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        if (x == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        Tensors.checkType(x, "input");
        INDArray xt = type == null ? x : Tensors.as(x, type);
        branchOut = branch.forward(xt, training);
        if (!Arrays.equals(branchOut.shape(), xt.shape())) {
            throw new IllegalArgumentException("input has shape " + Arrays.toString(xt.shape())
                    + " but the branch outputs " + Arrays.toString(branchOut.shape()));
        }
        double t = t();
        input = xt;
        lastTraining = training;
        return xt.mul(1 - t).addi(branchOut.castTo(xt.dataType()).mul(t));
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward called before forward");
        }
        Tensors.checkSameShape(gradOutput, input, "gradOutput");
        double t = t();
        INDArray g = gradOutput.castTo(input.dataType());
        INDArray gb = branch.backward(g.mul(t));
        if (lastTraining && logit != null) {
            double inner = g.mul(branchOut.sub(input)).sumNumber().doubleValue();
            logit.accumulate(Nd4j.scalar(type, t * (1 - t) * inner).reshape(1));
        }
        return g.mul(1 - t).addi(gb.castTo(g.dataType()));
    }

    @Override
    public void refreshWeights() {
        branch.refreshWeights();
    }

    /**
     * {@code (1 - t) + t Lip(branch)}, rounded up.
     *
     * @throws IllegalArgumentException if the learned logit is NaN
     */
    @Override
    public double lipschitzBound() {
        return mixed(branch.lipschitzBound());
    }

    /** {@code (1 - t) + t Lip(branch)} with the branch bounded on samples of shape {@code input}, rounded up. */
    @Override
    public double lipschitzBound(int[] input) {
        outputShape(input);
        return mixed(branch.lipschitzBound(input));
    }

    /** The input shape, which the branch must keep. */
    @Override
    public int[] outputShape(int[] input) {
        int[] out = branch.outputShape(input);
        if (!java.util.Arrays.equals(out, input)) {
            throw new IllegalArgumentException("the branch maps samples of shape " + java.util.Arrays.toString(input)
                    + " to " + java.util.Arrays.toString(out) + "; a residual block needs the same shape");
        }
        return out;
    }

    private double mixed(double branchBound) {
        double t = t();
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("the mixing weight t is NaN (logit " + logit.value().getDouble(0) + ")");
        }
        return Math.nextUp(Math.nextUp(1 - t) + Math.nextUp(t * branchBound));
    }

    /** A block with the branch's float64 copy and {@code t} fixed at its current (unrounded) value. */
    @Override
    public LipResidual toFloat64() {
        return fixed(branch.toFloat64(), t());
    }

    /** A block with the branch exported and {@code t} fixed at its current value. */
    @Override
    public LipResidual export() {
        return fixed(branch.export(), t());
    }
}
