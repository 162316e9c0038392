package org.lipot.transport.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Built-in costs carry a name that {@link Cost#named} reads back and the exponent solvers need. */
class CostNameTest {

    @Test
    void namesRoundTripAndCarryTheExponent() {
        double[] x = {0.3, -1.2};
        double[] y = {1.1, 0.4};
        for (Cost c : new Cost[] {Cost.SQUARED_EUCLIDEAN, Cost.EUCLIDEAN, Cost.lpPower(1), Cost.lpPower(3),
                Cost.lpPower(2.5), Cost.lpPower(1.0 / 3 + 1)}) {
            Cost back = Cost.named(c.toString());
            assertEquals(c.toString(), back.toString());
            assertEquals(c.between(x, y), back.between(x, y), 0.0, c.toString());
            assertEquals(c.exponent(), back.exponent(), 0.0);
        }
        assertEquals("lp:3", Cost.lpPower(3).toString());
        assertSame(Cost.SQUARED_EUCLIDEAN, Cost.named("lp:2"));
        assertEquals(2, Cost.SQUARED_EUCLIDEAN.exponent());
        assertEquals(1, Cost.EUCLIDEAN.exponent());
        assertEquals(2.5, Cost.lpPower(2.5).exponent());
        Cost custom = (a, b) -> 0;
        assertTrue(Double.isNaN(custom.exponent()));
    }
}
