package org.lipot.lipschitz.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.FrobeniusDense;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.param.SpectralBounds;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.lipschitz.testing.Svd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every dense layer's bound is sound for whatever arrays its inference state holds. */
class SoundBoundTest {

    @Test
    void aolBoundDoesNotTrustSavedScales() {
        for (DataType t : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            AolDense a = new AolDense(6, 5, 1, t);
            INDArray wEff = GradCheck.randn(3, 5, 6).muli(40).castTo(t); // sigma_max ~ 100, not an AOL matrix
            Map<String, INDArray> state = new LinkedHashMap<>();
            state.put("effective_weight", wEff);
            state.put("scale", wEff.getRow(0).mul(0));
            a.restoreInferenceState(state);
            double sigma = Svd.sigmaMax(wEff);
            assertTrue(sigma > 50, "test matrix too small: " + sigma);
            assertTrue(a.lipschitzBound() >= sigma, t + ": bound " + a.lipschitzBound() + " < sigma_max " + sigma);
        }
    }

    @Test
    void everyDenseBoundIsSoundForAdversarialArrays() {
        for (long seed = 1; seed <= 6; seed++) {
            double size = Math.pow(10, seed - 3);                       // 0.01 ... 1000
            INDArray raw = GradCheck.randn(seed, 5, 7).muli(size);
            raw.getColumn(seed % 7).assign(0);                          // a zero raw column (AOL: d_j = 0)
            INDArray wEff = GradCheck.randn(seed + 50, 5, 7).muli(1 / size);
            INDArray scale = GradCheck.randn(seed + 90, 7);            // negative, zero-free, arbitrary scales
            checkSound(new AolDense(7, 5, seed, DataType.DOUBLE), raw, Map.of("effective_weight", wEff,
                    "scale", scale));
            checkSound(new FrobeniusDense(7, 5, seed % 2 == 0, seed, DataType.DOUBLE), raw,
                    Map.of("effective_weight", wEff));
            checkSound(SpectralDense.builder(7, 5).seed(seed).dataType(DataType.DOUBLE).build(), raw,
                    Map.of("effective_weight", wEff));
            Dense d = new Dense(raw.dup(), null);
            assertTrue(d.lipschitzBound() >= Svd.sigmaMax(raw));
        }
    }

    private static void checkSound(org.lipot.lipschitz.nn.ScalableLayer layer, INDArray raw,
                                   Map<String, INDArray> state) {
        layer.parameters().get(0).value().assign(raw);
        layer.setLipschitzFactor(1.5);
        if (layer instanceof AolDense a) {
            a.restoreInferenceState(state);
        } else if (layer instanceof FrobeniusDense f) {
            f.restoreInferenceState(state);
        } else {
            ((SpectralDense) layer).restoreInferenceState(state);
        }
        double sigma = 1.5 * Svd.sigmaMax(state.get("effective_weight"));
        double bound = layer.lipschitzBound();
        assertTrue(bound >= sigma, layer.getClass().getSimpleName() + ": bound " + bound + " < " + sigma);
    }

    @Test
    void weightedSchurBoundNeedsPositiveWeightsAndIsSoundForAnyOfThem() {
        INDArray w = GradCheck.randn(4, 6, 4);
        assertThrows(IllegalArgumentException.class,
                () -> SpectralBounds.upperBoundWeightedColumns(w, new double[] {1, 0, 1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> SpectralBounds.upperBoundWeightedColumns(w, new double[] {1, Double.NaN, 1, 1}));
        double sigma = Svd.sigmaMax(w);
        double[][] weights = {{1, 1, 1, 1}, {1e-300, 1, 1e300, 2}, {3, 1e-3, 7, 0.5}};
        for (double[] p : weights) {
            double b = SpectralBounds.upperBoundWeightedColumns(w, p);
            assertTrue(b >= sigma && b <= SpectralBounds.upperBound(w), "bound " + b + " vs sigma " + sigma);
        }
        assertEquals(SpectralBounds.upperBound(w), SpectralBounds.upperBoundWeightedColumns(w, weights[1]));
    }
}
