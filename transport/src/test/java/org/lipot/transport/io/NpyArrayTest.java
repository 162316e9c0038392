package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void rejectsDataThatDoesNotFillTheShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {3, 2}, new double[5]));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {-1}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(null, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new NpyArray(new int[] {1 << 20, 1 << 20, 1 << 20}, new double[1]));
    }

    @Test
    void aScalarHoldsOneValueAndAZeroDimensionNone() {
        assertEquals(1, new NpyArray(new int[0], new double[] {4}).data().length);
        assertEquals(0, new NpyArray(new int[] {5, 0, 1 << 30}, new double[0]).data().length);
    }

    @Test
    void copiesOnTheWayInAndOut() {
        int[] shape = {2};
        double[] data = {1, 2};
        NpyArray a = new NpyArray(shape, data);
        shape[0] = 7;
        data[0] = 9;
        a.shape()[0] = 7;
        a.data()[1] = 9;
        assertArrayEquals(new int[] {2}, a.shape());
        assertArrayEquals(new double[] {1, 2}, a.data());
    }

    @Test
    void equalityComparesContents() {
        NpyArray a = new NpyArray(new int[] {2}, new double[] {1, Double.NaN});
        assertEquals(a, new NpyArray(new int[] {2}, new double[] {1, Double.NaN}));
        assertEquals(a.hashCode(), new NpyArray(new int[] {2}, new double[] {1, Double.NaN}).hashCode());
        assertNotEquals(a, new NpyArray(new int[] {2, 1}, new double[] {1, Double.NaN}));
        assertNotEquals(new NpyArray(new int[] {1}, new double[] {0.0}), new NpyArray(new int[] {1}, new double[] {-0.0}));
        assertEquals("NpyArray[shape=(2,), dtype=f8]", a.toString());
    }

    @Test
    void matrixRoundTripAndShape() {
        double[][] m = {{1, 2, 3}, {4, 5, 6}};
        NpyArray a = NpyArray.ofMatrix(m);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data());
        assertArrayEquals(m, a.toMatrix("m"));
        assertArrayEquals(new int[] {0, 0}, NpyArray.ofMatrix(new double[0][]).shape());
    }

    @Test
    void ofMatrixRejectsRaggedRows() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofMatrix(new double[][] {{1, 2}, {3, 4}, {5}}));
        assertTrue(e.getMessage().contains("row 2 has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofMatrix(new double[][] {{1}, null}));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofMatrix(null));
    }

    @Test
    void aVectorIsAColumnWhenReadAsAMatrix() {
        double[][] m = NpyArray.ofVector(new double[] {1, 2, 3}).toMatrix("v");
        assertArrayEquals(new double[][] {{1}, {2}, {3}}, m);
    }

    @Test
    void toMatrixRejectsOtherRanksNamingTheArray() {
        NpyArray cube = new NpyArray(new int[] {2, 2, 2}, new double[8]);
        var e = assertThrows(IllegalArgumentException.class, () -> cube.toMatrix("points.npy"));
        assertTrue(e.getMessage().contains("points.npy") && e.getMessage().contains("(2, 2, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[0], new double[1]).toMatrix("s"));
    }

    @Test
    void toVectorAcceptsRowsColumnsAndFlatVectors() {
        double[] v = {1, 2, 3};
        assertArrayEquals(v, NpyArray.ofVector(v).toVector("v"));
        assertArrayEquals(v, new NpyArray(new int[] {3, 1}, v).toVector("v"));
        assertArrayEquals(v, new NpyArray(new int[] {1, 3}, v).toVector("v"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new NpyArray(new int[] {2, 3}, new double[6]).toVector("weights"));
        assertTrue(e.getMessage().contains("weights") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }
}
