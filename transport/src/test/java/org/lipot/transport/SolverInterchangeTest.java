package org.lipot.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/** Code written against {@link Solver} runs any solver on the same problem. */
class SolverInterchangeTest {

    @Test
    void exactSolversAgreeThroughTheInterface() {
        Random r = new Random(11);
        double[][] x = new double[40][];
        double[][] y = new double[25][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {r.nextGaussian()};
        }
        for (int j = 0; j < y.length; j++) {
            y[j] = new double[] {2 * r.nextDouble()};
        }
        for (Cost cost : new Cost[] {Cost.EUCLIDEAN, Cost.SQUARED_EUCLIDEAN, Cost.lpPower(3)}) {
            TransportProblem problem = TransportProblem.uniform(PointCloud.of(x, y, cost));
            List<Solver<? extends PlanResult>> solvers = List.of(NetworkSimplex.builder().build(),
                    MonotoneRearrangement.builder().exponent(cost.exponent()).build());
            double[] values = new double[solvers.size()];
            for (int k = 0; k < values.length; k++) {
                PlanResult s = solvers.get(k).solve(problem);
                assertTrue(s.converged(), cost + ": " + s.status());
                assertTrue(s.marginalError() < 1e-12, cost + ": " + s.marginalError());
                values[k] = s.value();
            }
            assertEquals(values[0], values[1], 1e-12 * values[0], cost.toString());
        }
    }
}
