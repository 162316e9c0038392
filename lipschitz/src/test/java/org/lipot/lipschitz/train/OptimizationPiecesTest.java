package org.lipot.lipschitz.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.loss.MulticlassHKR;
import org.lipot.lipschitz.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Optimisers against the update formulas, schedules, early stopping, and the trainer's argument checks. */
class OptimizationPiecesTest {

    @Test
    void adamFollowsItsFormulaOverSeveralSteps() {
        // the third entry's gradients are near eps, where where eps sits changes the step several-fold
        Parameter p = new Parameter("w", Nd4j.createFromArray(1.0, -2.0, 0.5));
        Optimizer adam = Optimizer.adam(0.9, 0.999, 1e-8);
        double[] w = {1.0, -2.0, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] grads = {{0.5, -1.0, 2e-9}, {0.1, 3.0, -1e-8}, {-0.7, 0.2, 3e-8}};
        double[] lrs = {1e-3, 1e-3, 5e-4};
        for (int t = 0; t < grads.length; t++) {
            p.gradient().assign(Nd4j.createFromArray(grads[t]));
            adam.step(List.of(p), lrs[t]);
            for (int k = 0; k < 3; k++) {
                m[k] = 0.9 * m[k] + 0.1 * grads[t][k];
                v[k] = 0.999 * v[k] + 0.001 * grads[t][k] * grads[t][k];
                double mHat = m[k] / (1 - Math.pow(0.9, t + 1));
                double vHat = v[k] / (1 - Math.pow(0.999, t + 1));
                w[k] -= lrs[t] * mHat / (Math.sqrt(vHat) + 1e-8); // PyTorch's torch.optim.Adam
            }
            assertEquals(w[0], p.value().getDouble(0), 1e-12, "step " + t);
            assertEquals(w[1], p.value().getDouble(1), 1e-12, "step " + t);
            assertEquals(w[2], p.value().getDouble(2), 1e-12, "step " + t);
        }
        assertEquals(3, adam.iterations());
    }

    @Test
    void sgdIsAPlainStep() {
        Parameter p = new Parameter("w", Nd4j.createFromArray(1.0, 2.0));
        p.gradient().assign(Nd4j.createFromArray(0.5, -4.0));
        Optimizer.sgd(0).step(List.of(p), 0.1);
        assertEquals(0.95, p.value().getDouble(0), 1e-15);
        assertEquals(2.4, p.value().getDouble(1), 1e-15);
    }

    @Test
    void optimizerArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1.0, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.9, -0.1, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.9, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(1.5));
        Parameter p = new Parameter("w", Nd4j.zeros(DataType.DOUBLE, 2));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam().step(List.of(p), 0));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam().step(List.of(p), Double.NaN));
    }

    @Test
    void schedules() {
        assertEquals(0.3, Schedule.constant(0.3).at(7, 2), 0);
        assertEquals(1e-3 * 0.5 * 0.5, Schedule.exponential(1e-3, 0.5).at(2, 0), 1e-18);
        assertEquals(5.0, Schedule.linear(0, 10, 4).at(2, 0), 1e-12);
        assertEquals(10.0, Schedule.linear(0, 10, 4).at(9, 0), 0);
        assertEquals(0.25, Schedule.stepDecay(1, 3, 0.5).at(6, 0), 0);
        assertEquals(0.5, Schedule.stepDecay(1, 3, 0.5).at(5, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> Schedule.linear(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponential(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.stepDecay(1, 0, 0.5));
    }

    @Test
    void earlyStoppingWaitsForItsPatience() {
        EarlyStopping stop = new EarlyStopping("val_acc", EarlyStopping.Mode.MAXIMIZE, 2, 0.01);
        double[] acc = {0.5, 0.6, 0.605, 0.61, 0.62};
        int stoppedAt = -1;
        for (int e = 0; e < acc.length && stoppedAt < 0; e++) {
            stop.onEpochEnd(new EpochRecord(e + 1, 1, 1, 0.5, Map.of("val_acc", acc[e])));
            if (stop.stopReason().isPresent()) {
                stoppedAt = e + 1;
            }
        }
        assertEquals(4, stoppedAt, "0.605 and 0.61 do not beat 0.6 by more than 0.01");
        EarlyStopping missing = new EarlyStopping("nope", EarlyStopping.Mode.MINIMIZE, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> missing.onEpochEnd(new EpochRecord(1, 1, 1, 0.5, Map.of())));
        assertTrue(e.getMessage().contains("nope"));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("loss", EarlyStopping.Mode.MINIMIZE, 0, 0));
    }

    @Test
    void metricsLogWritesOneJsonLinePerEpoch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("log.jsonl");
        MetricsLog log = new MetricsLog(file);
        log.onEpochEnd(new EpochRecord(1, 2.5, 0.75, 0.5, Map.of("val_acc", 0.625)));
        log.onEpochEnd(new EpochRecord(2, 2.0, 0.5, 0.75, Map.of("val_acc", 0.75)));
        log.onTrainEnd(new TrainingHistory(List.of(), "completed"));
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("{\"epoch\":2,\"seconds\":2.0,\"loss\":0.5,\"train_acc\":0.75,\"val_acc\":0.75}", lines.get(1));
        assertThrows(java.io.UncheckedIOException.class, () -> new MetricsLog(dir.resolve("no/such/dir/log.jsonl")));
    }

    @Test
    void trainerArgumentsAreChecked() {
        assertThrows(IllegalStateException.class, () -> Trainer.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().epochs(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().learningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().loss((MulticlassHKR) null));
    }
}
