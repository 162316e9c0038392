package org.lipot.lipschitz.testing;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact references from a dense SVD (Commons Math, float64). */
public final class Svd {

    private Svd() {
    }

    /** The largest singular value of the matrix {@code w} (any float type, widened exactly to float64). */
    public static double sigmaMax(INDArray w) {
        double[][] a = w.castTo(DataType.DOUBLE).toDoubleMatrix();
        return new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getSingularValues()[0];
    }
}
