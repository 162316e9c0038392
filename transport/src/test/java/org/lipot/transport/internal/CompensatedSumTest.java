package org.lipot.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompensatedSumTest {

    /** Plain summation loses the 1 and the 1e-16s entirely; the compensated sum keeps them. */
    @Test
    void recoversWhatPlainSummationLoses() {
        assertEquals(2, CompensatedSum.of(new double[]{1, 1e100, 1, -1e100}));
        double[] tiny = new double[1001];
        tiny[0] = 1;
        java.util.Arrays.fill(tiny, 1, tiny.length, 1e-16);
        assertEquals(1 + 1e-13, CompensatedSum.of(tiny), 1e-29);
    }

    @Test
    void anOverflowStaysInfinite() {
        assertEquals(Double.POSITIVE_INFINITY, CompensatedSum.of(new double[]{Double.MAX_VALUE, Double.MAX_VALUE, 1}));
    }
}
