package org.lipot.lipschitz.train;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.lipot.lipschitz.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BatchSource#shuffled}: a permutation per epoch (Fisher-Yates), walked in order. */
final class ShuffledBatches implements BatchSource {

    private final Dataset data;
    private final int batchSize;
    private final DataType type;
    private final INDArray features;
    private final int[] order;

    ShuffledBatches(Dataset data, int batchSize, DataType type) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException("train: the dataset is " + (data == null ? "null" : "empty"));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.type = type;
        this.features = data.features().dataType() == type ? data.features() : data.features().castTo(type);
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }

    @Override
    public int batches() {
        return (order.length + batchSize - 1) / batchSize;
    }

    @Override
    public void beginEpoch(int epoch, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public Batch batch(int index) {
        int from = index * batchSize;
        int[] idx = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        int[] labels = new int[idx.length];
        for (int r = 0; r < idx.length; r++) {
            labels[r] = data.label(idx[r]);
        }
        return new Batch(Nd4j.pullRows(features, 1, idx), data.oneHot(idx, type), labels);
    }
}
