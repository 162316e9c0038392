package org.lipot.transport.entropic;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * The result of {@link SinkhornDivergence}: the debiased divergence, its three terms and the three entropic
 * solutions they come from. Immutable.
 *
 * <p>With {@code OT_eps(a, b) = <a, f> + <b, g>} (the dual value at the potentials of {@link EntropicSolution},
 * {@code P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)}):
 * <pre>
 *   value = S_eps(a, b) = OT_eps(a, b) - (OT_eps(a, a) + OT_eps(b, b)) / 2,
 * </pre>
 * in cost x mass units (W_2^2-like for the squared Euclidean cost), not clipped at 0.
 *
 * @param value          {@code S_eps(a, b)}
 * @param crossTerm      {@code OT_eps(a, b) = <a, f> + <b, g>} of {@code cross}
 * @param sourceSelfTerm {@code OT_eps(a, a) = 2 <a, p>} with {@code p} the symmetric potential of {@code sourceSelf}
 * @param targetSelfTerm {@code OT_eps(b, b) = 2 <b, q>} with {@code q} the symmetric potential of {@code targetSelf}
 * @param cross          the solve between the two clouds: potentials {@code f}, {@code g} and the plan {@code P^ab}
 * @param sourceSelf     the symmetric solve of the source cloud against itself ({@code f = g = p})
 * @param targetSelf     the symmetric solve of the target cloud against itself ({@code f = g = q})
 * @param iterations     the sweeps of the three solves together
 * @param status         {@link Status#CONVERGED} if all three converged; otherwise the worst of their statuses
 *                       ({@link Status#NUMERICAL_ERROR} before {@link Status#MAX_ITERATIONS})
 */
public record DivergenceResult(double value, double crossTerm, double sourceSelfTerm, double targetSelfTerm,
                               EntropicSolution cross, EntropicSolution sourceSelf, EntropicSolution targetSelf,
                               long iterations, Status status) implements TransportResult {
}
