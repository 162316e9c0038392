package org.lipot.lipschitz.nn;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor and the gradient accumulated for it.
 *
 * <p>{@code value} holds the raw (not reparametrised) parameter, for example the unconstrained weight {@code W} of
 * a {@code SpectralDense} layer, never its orthonormalised image. {@code gradient} has the same shape and data type
 * and holds {@code dL/d value} summed over every {@link Layer#backward} call since the last {@link #zeroGradient()}.
 * Both arrays are live: an optimiser updates {@code value} in place (for example {@code value().subi(step)}) and the
 * owning layer sees the change at its next training forward pass.
 */
public final class Parameter {

    private final String name;
    private final INDArray value;
    private final INDArray gradient;

    /**
     * Wraps {@code value} (not copied) with a zero gradient of the same shape and data type.
     *
     * @param name  a short name, unique within its layer ("weight", "bias", ...)
     * @param value the live parameter tensor
     * @throws IllegalArgumentException if {@code name} is blank or {@code value} is null
     */
    public Parameter(String name, INDArray value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (value == null) {
            throw new IllegalArgumentException("value of parameter " + name + " must not be null");
        }
        this.name = name;
        this.value = value;
        this.gradient = value.ulike();
        this.gradient.assign(0);
    }

    /** The parameter's name within its layer. */
    public String name() {
        return name;
    }

    /** The live value (modified in place by optimisers). */
    public INDArray value() {
        return value;
    }

    /** The live accumulated gradient {@code dL/d value}, same shape and data type as {@link #value()}. */
    public INDArray gradient() {
        return gradient;
    }

    /** Number of scalar entries. */
    public long size() {
        return value.length();
    }

    /** Sets the accumulated gradient to zero. */
    public void zeroGradient() {
        gradient.assign(0);
    }

    /**
     * Adds {@code g} to the accumulated gradient.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public void accumulate(INDArray g) {
        Objects.requireNonNull(g, "g");
        if (!Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalArgumentException("gradient for " + name + " has shape " + Arrays.toString(g.shape())
                    + " but the parameter has shape " + Arrays.toString(value.shape()));
        }
        gradient.addi(g);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + Arrays.toString(value.shape()) + " " + value.dataType() + "]";
    }
}
