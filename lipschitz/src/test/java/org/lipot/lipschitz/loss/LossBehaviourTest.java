package org.lipot.lipschitz.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conventions, hand-worked values, immutability and input validation. */
class LossBehaviourTest {

    static INDArray m(double[][] v) {
        return Nd4j.createFromArray(v);
    }

    static final INDArray F = m(new double[][] {{1.0, 0.5, -0.2}, {-0.3, 0.9, 0.1}, {0.2, -0.6, 0.4}, {0.7, 0.1, -0.9}});
    static final INDArray Y = m(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});

    @Test
    void alphaInfinityIsHingeOnlyAndTorchlipZeroIsKrOnly() {
        assertEquals(new MulticlassHinge(1.0).value(F, Y), MulticlassHKR.deelLip(Double.POSITIVE_INFINITY, 1.0)
                .value(F, Y), 0.0);
        assertEquals(-new MulticlassKR().value(F, Y), MulticlassHKR.torchlip(0.0, 1.0).value(F, Y), 0.0);
        assertEquals(new MulticlassHinge(1.0).value(F, Y), MulticlassHKR.torchlip(1.0, 1.0).value(F, Y), 0.0);
        assertEquals(1.0, AlphaConvention.DEEL_LIP.convert(Double.POSITIVE_INFINITY));
        assertEquals(9.0, AlphaConvention.DEEL_TORCHLIP.convert(0.9), 1e-12);
    }

    @Test
    void withersBuildNewInstancesAndKeepTheConvention() {
        MulticlassHKR a = MulticlassHKR.torchlip(0.5, 1.0);
        MulticlassHKR b = a.withAlpha(0.9);
        assertNotSame(a, b);
        assertEquals(0.5, a.alpha());
        assertEquals(AlphaConvention.DEEL_TORCHLIP, b.convention());
        assertThrows(IllegalArgumentException.class, () -> a.withAlpha(2.0));
        assertEquals(0.3, a.withMargin(0.3).margin());
        assertEquals(MulticlassHKR.torchlip(0.9, 1.0), b, "records compare by value");
        assertEquals(2.0, new TauCategoricalCrossentropy(1).withTau(2).tau());
        assertEquals(5.0, MulticlassSoftHKR.torchlip(0.5, 1, 1).withTemperature(5).temperature());
    }

    @Test
    void softHkrByHand() {
        // one sample, class 0, f = (1, 0.5, -0.2), T = 1, m = 1, torchlip alpha 0.5
        INDArray f = m(new double[][] {{1.0, 0.5, -0.2}});
        INDArray y = m(new double[][] {{1, 0, 0}});
        double e1 = Math.exp(0.5);
        double e2 = Math.exp(-0.2);
        double p1 = e1 / (e1 + e2);
        double p2 = e2 / (e1 + e2);
        double kr = 1.0 - (p1 * 0.5 + p2 * -0.2);
        double hinge = 0 + p1 * 1.0 + p2 * 0.3;
        double expected = 0.5 * hinge - 0.5 * kr;
        assertEquals(expected, MulticlassSoftHKR.torchlip(0.5, 1.0, 1.0).value(f, y), 1e-15);
        assertEquals(-kr + 4 * hinge, MulticlassSoftHKR.deelLip(4, 1.0, 1.0).value(f, y), 1e-14);
    }

    @Test
    void lseIsASmoothMaximumWithinPenaltyTimesHalfMargin() {
        double margin = 0.8;
        double penalty = 0.5;
        MulticlassLseHKR krOnly = MulticlassLseHKR.torchlip(0.0, margin, 1.0, penalty);
        double[] per = krOnly.perSample(F, Y).data().asDouble();
        int[] labels = {0, 1, 2, 0};
        for (int i = 0; i < per.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                if (k != labels[i]) {
                    max = Math.max(max, F.getDouble(i, k));
                }
            }
            double n = per[i] + F.getDouble(i, labels[i]);
            assertTrue(n >= max - 1e-15 && n <= max + penalty * margin / 2 + 1e-15, "row " + i + ": " + n);
        }
    }

    @Test
    void softHkrTemperatureFollowsTheRunningMean() {
        SoftHkrTemperature t = SoftHkrTemperature.initial(1.0, 1.0, 0.5);
        assertEquals(1.0, t.effectiveTemperature(), 0.0, "mu_0 = m gives T = temperature");
        SoftHkrTemperature u = t.update(Nd4j.createFromArray(new double[][] {{10, -10}, {-10, 10}}));
        assertEquals(5.5, u.runningMean(), 1e-15);
        assertEquals(1 / 5.5, u.effectiveTemperature(), 1e-15);
        assertEquals(1 / 5.5, u.apply(MulticlassSoftHKR.torchlip(0.9, 1, 1)).temperature(), 1e-15);
        assertEquals(1.0, t.runningMean(), 0.0, "the old state is unchanged");
        // small outputs: mu is clamped below by m, so T stays at its base value
        assertEquals(1.0, t.update(Nd4j.createFromArray(new double[] {0.01})).effectiveTemperature(), 0.0);
    }

    @Test
    void zeroOneAndPlusMinusOneLabelsAgree() {
        INDArray f = Nd4j.createFromArray(0.3, -1.2, 0.8, 0.05);
        INDArray y01 = Nd4j.createFromArray(1.0, 0.0, 0.0, 1.0);
        INDArray ypm = Nd4j.createFromArray(1.0, -1.0, -1.0, 1.0);
        for (Loss l : new Loss[] {new KR(), new HingeMargin(1), HKR.deelLip(3, 1), new TauBinaryCrossentropy(2)}) {
            assertEquals(l.value(f, y01), l.value(f, ypm), 0.0, l.name());
        }
    }

    @Test
    void badInputNamesTheArgument() {
        Loss l = MulticlassHKR.deelLip(10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.value(F, Nd4j.zeros(DataType.DOUBLE, 4, 2)));
        assertTrue(e.getMessage().contains("yPred is 4 x 3") && e.getMessage().contains("yTrue"), e.getMessage());

        INDArray nan = F.dup();
        nan.putScalar(1, 2, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> l.evaluate(nan, Y));
        assertTrue(e.getMessage().contains("yPred: entry (1, 2) is NaN"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new KR().value(F, Y));
        assertTrue(e.getMessage().contains("yPred must be B x 1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> new KR().value(Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(1.0, 0.0, 1.0)));
        assertTrue(e.getMessage().contains("yTrue has 3"), e.getMessage());

        INDArray noLabel = Y.dup();
        noLabel.putScalar(2, 2, 0);
        e = assertThrows(IllegalArgumentException.class, () -> new MultiMargin(1).value(F, noLabel));
        assertTrue(e.getMessage().contains("yTrue: row 2 has no positive entry"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> MulticlassHKR.torchlip(1.5, 1));
        assertTrue(e.getMessage().contains("alpha must be in [0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HingeMargin(-1));
        assertTrue(e.getMessage().contains("margin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TauCategoricalCrossentropy(0));
        assertTrue(e.getMessage().contains("tau"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MulticlassHinge(1).value(
                Nd4j.zeros(DataType.DOUBLE, 3, 1), Nd4j.ones(DataType.DOUBLE, 3, 1)));
        assertTrue(e.getMessage().contains("at least 2 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MulticlassKR().value(
                Nd4j.zeros(DataType.INT, 2, 2), Nd4j.ones(DataType.DOUBLE, 2, 2)));
        assertTrue(e.getMessage().contains("floating-point"), e.getMessage());
    }

    @Test
    void viewsAndFortranOrderAreRead() {
        INDArray f = Nd4j.create(DataType.DOUBLE, new long[] {4, 3}, 'f').assign(F);
        assertEquals(new MulticlassKR().value(F, Y), new MulticlassKR().value(f, Y), 0.0);
        INDArray big = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(F);
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertEquals(new MulticlassKR().value(F, Y), new MulticlassKR().value(view, Y), 0.0);
    }
}
