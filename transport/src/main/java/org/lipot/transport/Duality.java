package org.lipot.transport;

/**
 * How far a solution's dual potentials {@code f}, {@code g} are from certifying its value, measured by the solver
 * on the potentials it returns. Immutable.
 *
 * <p>Weak duality: for any {@code f}, {@code g} with {@code f_i + g_j <= C_ij} on every pair,
 * {@code sum_i a_i f_i + sum_j b_j g_j} is a lower bound on the optimal value. So {@code feasible} together with a
 * small {@code gap} proves the value optimal to within {@code |gap|} plus {@code maxViolation} times the total mass.
 *
 * @param feasible     true if {@code f_i + g_j <= C_ij} holds on every pair up to the solver's tolerance (for the
 *                     network simplex {@code tolerance * max|C|}, zero-weight points included; for the 1-D solver by
 *                     construction); false when the potentials are not a dual certificate, for example those of
 *                     the last basis when the pivot cap was reached
 * @param maxViolation {@code max(0, max_ij (f_i + g_j - C_ij))} over all {@code n x m} pairs, in cost units
 *                     (absolute); {@code NaN} if the solver did not measure it (the 1-D solver, where it would cost
 *                     {@code O(n m)}) or a potential is not finite
 * @param gap          {@code value - (sum_i a_i f_i + sum_j b_j g_j)}, absolute, in cost times mass units, with the
 *                     problem's weights {@code a}, {@code b} as given (so it includes any in-tolerance rescaling of
 *                     {@code b}); 0 up to rounding for an optimal solution
 */
public record Duality(boolean feasible, double maxViolation, double gap) {
}
