package org.lipot.lipschitz.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.loss.WeightedKR;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Trainer#fit(Layer, BatchSource)} on a sampler without classes: fresh points every epoch. */
class TrainerBatchSourceTest {

    /** Two 2-D Gaussians 3 apart along x, 64 fresh points of each per batch, weighted +-1/64 ({@link WeightedKR}). */
    static class TwoGaussians implements BatchSource {
        int epochsBegun;
        private SplittableRandom random;

        @Override
        public int batches() {
            return 4;
        }

        @Override
        public void beginEpoch(int epoch, SplittableRandom random) {
            assertEquals(epochsBegun++, epoch);
            this.random = random;
        }

        @Override
        public Batch batch(int index) {
            float[] x = new float[2 * 128];
            float[] w = new float[128];
            for (int i = 0; i < 128; i++) {
                x[2 * i] = (float) (random.nextGaussian() + (i < 64 ? 3 : 0));
                x[2 * i + 1] = (float) random.nextGaussian();
                w[i] = i < 64 ? 1f / 64 : -1f / 64;
            }
            return new Batch(Nd4j.create(x, new long[] {128, 2}), Nd4j.create(w, new long[] {128, 1}), null);
        }
    }

    static Layer net(long seed) {
        return Sequential.of(List.of(SpectralDense.builder(2, 16).seed(seed).dataType(DataType.FLOAT).build(),
                new GroupSort2(), SpectralDense.builder(16, 1).seed(seed + 1).dataType(DataType.FLOAT).build()));
    }

    static double[] losses(long seed) {
        TwoGaussians source = new TwoGaussians();
        TrainingHistory h = Trainer.builder().loss(new WeightedKR()).learningRate(1e-2).epochs(6).seed(seed).build()
                .fit(net(0), source);
        assertEquals(6, source.epochsBegun);
        return h.epochs().stream().mapToDouble(EpochRecord::loss).toArray();
    }

    @Test
    void learnsFromFreshSamplesWithoutClasses() {
        TwoGaussians source = new TwoGaussians();
        TrainingHistory h = Trainer.builder().loss(new WeightedKR()).learningRate(1e-2).epochs(6).seed(1).build()
                .fit(net(0), source);
        List<EpochRecord> e = h.epochs();
        assertEquals(6, e.size());
        assertTrue(Double.isNaN(e.get(0).trainAccuracy()), "no labels, no accuracy");
        // the loss is minus the dual objective, which approaches -W_1 = -3 for a 1-Lipschitz f
        double last = e.get(5).loss();
        assertTrue(last < e.get(0).loss() && last < -2 && last > -3.6, "losses " + e);
    }

    @Test
    void theSeedFixesTheSamples() {
        assertArrayEquals(losses(4), losses(4), 0);
        assertTrue(losses(4)[0] != losses(5)[0]);
    }

    @Test
    void aBatchOfTheWrongTypeOrNoBatchesIsRefused() {
        Trainer t = Trainer.builder().loss(new WeightedKR()).build();
        BatchSource doubles = new BatchSource() {
            @Override
            public int batches() {
                return 1;
            }

            @Override
            public void beginEpoch(int epoch, SplittableRandom random) {
            }

            @Override
            public Batch batch(int index) {
                return new Batch(Nd4j.zeros(DataType.DOUBLE, 3, 2), Nd4j.zeros(DataType.DOUBLE, 3, 1), null);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(net(0), doubles));
        assertTrue(e.getMessage().contains("batch 0 has inputs of type DOUBLE"), e.getMessage());
        BatchSource none = new TwoGaussians() {
            @Override
            public int batches() {
                return 0;
            }
        };
        assertThrows(IllegalArgumentException.class, () -> t.fit(net(0), none));
        assertThrows(IllegalArgumentException.class,
                () -> new Batch(Nd4j.zeros(DataType.FLOAT, 3, 2), Nd4j.zeros(DataType.FLOAT, 2, 1), null));
    }
}
