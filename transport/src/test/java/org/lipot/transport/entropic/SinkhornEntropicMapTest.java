package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.map.BarycentricMap;
import org.lipot.transport.map.EntropicMap;

/**
 * Sinkhorn's potentials are in the convention {@link EntropicMap} expects: the map built from {@code g} equals, on
 * the source sample, the barycentric projection of Sinkhorn's own plan.
 */
class SinkhornEntropicMapTest {

    @Test
    void entropicMapOfTheTargetPotentialIsTheBarycentricProjectionOfThePlan() {
        double[][] x = SinkhornTest.points(21, 25, 0);
        double[][] y = SinkhornTest.points(22, 30, 0.3);
        double[] a = SinkhornTest.weights(23, 25);
        double[] b = SinkhornTest.weights(24, 30);
        PointCloud cloud = PointCloud.squaredEuclidean(x, y);
        double eps = 0.05;
        EntropicSolution s = Sinkhorn.builder().epsilon(eps).tolerance(1e-13).build()
                .solve(TransportProblem.of(cloud, a, b));
        assertEquals(Status.CONVERGED, s.status());
        EntropicMap map = EntropicMap.of(y, b, s.targetPotential(), eps, Cost.SQUARED_EUCLIDEAN);
        BarycentricMap projection = BarycentricMap.of(cloud, s.plan());
        for (double[] xi : x) {
            assertArrayEquals(projection.apply(xi), map.apply(xi), 1e-10);
        }
    }
}
