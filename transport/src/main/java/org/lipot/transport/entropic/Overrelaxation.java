package org.lipot.transport.entropic;

/**
 * The adaptive over-relaxation of the Sinkhorn updates ({@link Iteration#omega}), chosen from the observed
 * convergence rate.
 *
 * <p>Near its fixed point Sinkhorn converges linearly: the violation shrinks by a factor {@code theta < 1} per sweep.
 * Over-relaxing both half-sweeps by {@code omega} turns that rate into {@code omega - 1} at the optimal
 * {@code omega* = 2 / (1 + sqrt(1 - theta))} (Young's theory of successive over-relaxation applied to the linearised
 * iteration; Thibault, Chizat, Dossal and Papadakis 2021, "Overrelaxed Sinkhorn-Knopp algorithm for regularized
 * optimal transport"; Lehmann, von Renesse, Sambale and Uschmajew 2022, "A note on overrelaxation in the Sinkhorn
 * algorithm"). At {@code theta = 0.97} that is 0.70 per sweep instead of 0.97: ten times fewer sweeps per decade.
 *
 * <p>{@code omega} is set at each check from the sweeps since the previous one, all run at the same {@code omega}:
 * their violations shrink at an observed rate {@code lambda} (the geometric mean per sweep, from the second sweep
 * after the check to the last before it), which Young's relation {@code (lambda + omega - 1)^2 = lambda omega^2
 * theta} turns into an estimate of the plain rate {@code theta}, and {@code omega} becomes the optimum for it. The
 * first period runs plain. Far from the fixed point the violation falls fast, and the estimate keeps {@code omega}
 * near 1. Periods of fewer than {@value #MIN_SWEEPS} sweeps give no estimate, so {@code checkPeriod} below
 * {@value #MIN_SWEEPS} + 1 leaves the iteration plain.
 *
 * <p><b>Safeguard.</b> If the violation at a check exceeds the previous check's, {@code omega} falls back to 1 and
 * its ceiling is halved towards 1, so a divergent over-relaxation cannot recur for long. A period whose violation
 * did not fall is treated as one past the optimum. Mutable, one per stage of a solve.
 */
final class Overrelaxation {

    /** The largest {@code omega}, optimal for {@code theta} about 0.9975. */
    static final double MAX_OMEGA = 1.9;

    /** The fewest sweeps between checks that give a rate: a sweep to skip after the check, and two to compare. */
    static final int MIN_SWEEPS = 3;

    /** Plain sweeps at the start of a stage: they damp the rough part of a carried start, which over-relaxation would not. */
    static final int WARMUP = 2;

    /**
     * An observed rate below {@code PROBE_BELOW (omega - 1)} is that of {@code omega} at or past its optimum, where the
     * rate is {@code omega - 1} whatever {@code theta}: then {@code omega} steps down by {@link #PROBE_STEP} until
     * the rate says more.
     */
    static final double PROBE_BELOW = 1.02;

    /** The factor on {@code omega - 1} of a step down. */
    static final double PROBE_STEP = 0.95;

    private final boolean adaptive;
    private long sweeps;
    private int count;
    private double second;
    private double latest;
    private double omega;
    private double ceiling = MAX_OMEGA;
    private double lastCheck = Double.NaN;

    /**
     * Starts at {@code omega0} (clamped to {@code [1, MAX_OMEGA]}; a coarse level's final {@code omega} is a good
     * start for the fine level), after {@value #WARMUP} plain sweeps; without {@code adaptive}, {@code omega} stays 1.
     */
    Overrelaxation(boolean adaptive, double omega0) {
        this.adaptive = adaptive;
        this.omega = adaptive ? Math.min(MAX_OMEGA, Math.max(1, omega0)) : 1;
    }

    /** The relaxation for the next update. */
    double omega() {
        return sweeps < WARMUP ? 1 : omega;
    }

    /** The violation after a sweep between checks. */
    void observe(double violation) {
        sweeps++;
        if (sweeps <= WARMUP) {
            return;
        }
        count++;
        if (count == 2) {
            second = violation;
        }
        latest = violation;
    }

    /** The violation at a check (a sweep whose row update was plain): sets {@link #omega()} for the next period. */
    void check(double violation) {
        sweeps++;
        if (!adaptive) {
            return;
        }
        if (violation > lastCheck && omega > 1) {
            ceiling = 1 + (omega - 1) / 2;
            omega = 1;
        } else if (count >= MIN_SWEEPS && second > 0 && Double.isFinite(latest)) {
            double lambda = Math.pow(latest / second, 1.0 / (count - 2));
            if (omega > 1 && (lambda < PROBE_BELOW * (omega - 1) || lambda >= 1)) {
                omega = 1 + PROBE_STEP * (omega - 1);
            } else {
                double t = lambda + omega - 1;
                double theta = Math.min(1, t * t / (lambda * omega * omega));
                omega = Math.min(ceiling, 2 / (1 + Math.sqrt(1 - theta)));
            }
        }
        count = 0;
        lastCheck = violation;
    }
}
