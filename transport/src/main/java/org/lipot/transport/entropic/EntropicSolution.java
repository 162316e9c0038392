package org.lipot.transport.entropic;

import org.lipot.transport.PlanResult;
import org.lipot.transport.Status;

/**
 * The result of {@link Sinkhorn}. Immutable (arrays are copied in and out).
 *
 * <p><b>Potentials.</b> {@code f} (length {@code n}) and {@code g} (length {@code m}) are in cost units and give the
 * plan in the form
 * <pre>
 *   P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)
 * </pre>
 * (OTT-JAX's and GeomLoss's convention, in which the potentials of zero-weight points are finite). POT's
 * potentials {@code eps log u}, {@code eps log v} are {@code f_i + eps log a_i} and {@code g_j + eps log b_j}. They
 * are unique up to {@code (f + c, g - c)}. At convergence {@code f} and {@code g} are each other's soft
 * c-transforms, {@code f_i = -eps log sum_j b_j exp((g_j - C_ij) / eps)}, and tend to the Kantorovich potentials
 * as {@code eps -> 0}.
 *
 * <p><b>Values.</b> {@link #value()} is the linear cost {@code <P, C> = sum_ij P_ij C_ij} of the returned plan
 * (what POT's {@code sinkhorn2} returns; W_p^p-like, and above the exact optimum by at most about
 * {@code eps log(n m)}). {@link #entropicObjective()} is POT's primal objective
 * <pre>
 *   <P, C> + eps sum_ij P_ij (log P_ij - 1)        (0 log 0 = 0),
 * </pre>
 * equal at convergence to the dual value {@code sum_i a_i (f_i + eps log a_i) + sum_j b_j (g_j + eps log b_j) - eps
 * sum_ij P_ij}.
 *
 * <p><b>{@link Sinkhorn.Mode#MULTISCALE}.</b> Its sweeps see only the kept block pairs of the plan. {@link #value()}
 * and the plan's measured row and column sums are those of the kept part; the two marginal errors add a rigorous
 * bound {@code D} (at most a tenth of the tolerance) on the mass of the dropped part, so they bound the errors of the
 * full plan {@code P(f, g)} that {@link #plan()} returns entry by entry, whose value exceeds {@link #value()} by at
 * most {@code D max C}.
 *
 * @param value               {@code <P, C>}, in cost x mass units
 * @param entropicObjective   {@code <P, C> + eps sum P (log P - 1)}
 * @param epsilon             the (absolute) regularisation the plan was computed with
 * @param plan                the plan, computed from the potentials on demand
 * @param sourcePotential     {@code f}
 * @param targetPotential     {@code g}
 * @param iterations          sweeps (one row and one column update each), over all epsilon-scaling stages
 * @param marginalError       {@code |P 1 - a|_1 + |P^T 1 - b|_1} on the returned plan, weights as given
 * @param columnMarginalError {@code |P^T 1 - b|_1} on the returned plan (the stopping quantity)
 * @param errorHistory        the column-marginal violation at every check, in order, over all stages: one entry
 *                            per {@link Sinkhorn.Builder#checkPeriod} sweeps of a stage, one at the sweep cap, and
 *                            one at a NaN
 * @param relaxation          the over-relaxation {@code omega} of the last sweeps ({@link
 *                            Sinkhorn.Builder#overrelaxation}; 1 for plain updates)
 * @param status              {@link Status#CONVERGED}, {@link Status#MAX_ITERATIONS} or {@link Status#NUMERICAL_ERROR}
 */
public record EntropicSolution(double value, double entropicObjective, double epsilon, EntropicPlan plan,
                               double[] sourcePotential, double[] targetPotential, long iterations,
                               double marginalError, double columnMarginalError, double[] errorHistory,
                               double relaxation, Status status) implements PlanResult {

    public EntropicSolution {
        sourcePotential = sourcePotential.clone();
        targetPotential = targetPotential.clone();
        errorHistory = errorHistory.clone();
    }

    /** A copy of {@code f}. */
    @Override
    public double[] sourcePotential() {
        return sourcePotential.clone();
    }

    /** A copy of {@code g}. */
    @Override
    public double[] targetPotential() {
        return targetPotential.clone();
    }

    /** A copy of the violation history. */
    @Override
    public double[] errorHistory() {
        return errorHistory.clone();
    }
}
