package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;

/**
 * The settings shared by the builders of the RKO layers ({@link SpectralDense}, {@link SpectralConv2d}): those of
 * every {@link LayerBuilder}, and the {@link Rko} reparametrisation, set at once or one setting at a time (deel-lip's defaults:
 * power iteration at most 10 steps to 1e-3, {@code eps_spectral} 1e-3, Björck beta 0.5, at most 15 steps to 1e-3,
 * full gradient).
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class RkoBuilder<B extends RkoBuilder<B>> extends LayerBuilder<B> {

    private final PowerIteration.Builder power = PowerIteration.builder();
    private double epsSpectral = 1e-3;
    private final Bjorck.Builder bjorck = Bjorck.builder();
    private Rko rko;

    RkoBuilder() {
    }

    /** Maximum power iterations per step (default 10); see {@link PowerIteration.Builder#iterations}. */
    public B powerIterations(int n) {
        power.iterations(n);
        return self();
    }

    /** Power-iteration stop tolerance (default 1e-3); see {@link PowerIteration.Builder#tolerance}. */
    public B powerTolerance(double tol) {
        power.tolerance(tol);
        return self();
    }

    /**
     * The {@code eps} of {@code W / (sigma + eps)} (default 1e-3).
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public B epsSpectral(double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("epsSpectral must be finite and >= 0, got " + eps);
        }
        this.epsSpectral = eps;
        return self();
    }

    /** Björck step (default 0.5); see {@link Bjorck.Builder#beta}. */
    public B beta(double beta) {
        bjorck.beta(beta);
        return self();
    }

    /** Maximum Björck iterations (default 15); see {@link Bjorck.Builder#maxIterations}. */
    public B bjorckIterations(int n) {
        bjorck.maxIterations(n);
        return self();
    }

    /** Björck stop tolerance (default 1e-3, 0 = off); see {@link Bjorck.Builder#tolerance}. */
    public B bjorckTolerance(double tol) {
        bjorck.tolerance(tol);
        return self();
    }

    /** Björck gradient mode (default full); see {@link GradientMode}. */
    public B gradientMode(GradientMode mode) {
        bjorck.gradientMode(mode);
        return self();
    }

    /**
     * Sets every reparametrisation setting at once (overrides the individual setters).
     *
     * @throws IllegalArgumentException if null
     */
    public B rko(Rko rko) {
        if (rko == null) {
            throw new IllegalArgumentException("rko must not be null");
        }
        this.rko = rko;
        return self();
    }

    /** The reparametrisation: the one given to {@link #rko(Rko)}, else the individual settings. */
    Rko rko() {
        return rko != null ? rko : new Rko(power.build(), epsSpectral, bjorck.build());
    }
}
