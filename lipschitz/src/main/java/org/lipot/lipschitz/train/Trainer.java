package org.lipot.lipschitz.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.loss.Loss;
import org.lipot.lipschitz.loss.LossEvaluation;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batch training of a {@link Layer} (usually a {@code Sequential}) on a labelled {@link Dataset}. Immutable
 * configuration, built with {@link #builder()}; {@link #fit} may be called on several models.
 *
 * <p>Each epoch draws a fresh permutation of the training set from a {@link SplittableRandom} seeded with
 * {@code seed} (so the same seed gives the same batches), and walks it in batches of {@code batchSize} (the last
 * batch may be smaller). Each step: {@code forward(x, true)}, the loss and its gradient, {@code backward}, one
 * optimiser step with the learning rate {@code learningRate.at(epoch, step)}. The loss may change per epoch
 * ({@code lossForEpoch}, for schedules of HKR's alpha or margin). After every epoch the reparametrised weights are
 * refreshed from the final raw parameters ({@link Layer#refreshWeights()}), the optional {@link EpochMetrics} run
 * (not counted in the epoch's seconds), and the callbacks may stop the run.
 *
 * <p>The features are used in the model's data type: float32 data trains a float32 model.
 */
public final class Trainer {

    /** Extra per-epoch metrics, computed in inference mode after the epoch (validation accuracy, certificates...). */
    @FunctionalInterface
    public interface EpochMetrics {
        /** Named values; {@code epoch} is 1-based. */
        Map<String, Double> compute(Layer model, int epoch);
    }

    private final Schedule learningRate;
    private final IntFunction<Loss> lossForEpoch;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final List<Callback> callbacks;
    private final EpochMetrics metrics;
    private final Supplier<Optimizer> optimizer;

    private Trainer(Builder b) {
        this.optimizer = b.optimizer;
        this.learningRate = b.learningRate;
        this.lossForEpoch = b.lossForEpoch;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.callbacks = List.copyOf(b.callbacks);
        this.metrics = b.metrics;
    }

    /** A builder: Adam, learning rate 1e-3, batch size 256, 1 epoch, seed 0; a loss is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains {@code model} in place and returns the history.
     *
     * @throws IllegalArgumentException if the dataset's features do not fit the model (as the model reports), the
     *                                  dataset is empty, or the model has no parameters
     */
    public TrainingHistory fit(Layer model, Dataset train) {
        int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException("train: the dataset is empty");
        }
        List<Parameter> parameters = model.parameters();
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("model has no trainable parameters");
        }
        DataType type = parameters.get(0).value().dataType();
        INDArray features = train.features().dataType() == type ? train.features() : train.features().castTo(type);
        int steps = (n + batchSize - 1) / batchSize;
        Optimizer opt = optimizer.get();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = range(n);
        callbacks.forEach(c -> c.onTrainStart(epochs, steps));
        List<EpochRecord> records = new ArrayList<>();
        String stop = "completed";
        for (int epoch = 0; epoch < epochs; epoch++) {
            Loss loss = lossForEpoch.apply(epoch);
            shuffle(order, rng);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (int s = 0; s < steps; s++) {
                int from = s * batchSize;
                int[] idx = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
                INDArray x = Nd4j.pullRows(features, 1, idx);
                INDArray y = train.oneHot(idx, type);
                INDArray out = model.forward(x, true);
                LossEvaluation ev = loss.evaluate(out, y);
                if (!Double.isFinite(ev.value())) {
                    throw new ArithmeticException("the loss became " + ev.value() + " at epoch " + (epoch + 1)
                            + ", step " + (s + 1) + ": lower the learning rate");
                }
                for (Parameter p : parameters) {
                    p.zeroGradient();
                }
                model.backward(ev.gradient());
                opt.step(parameters, learningRate.at(epoch, s));
                lossSum += ev.value() * idx.length;
                correct += countCorrect(out, train, idx);
                int step = s + 1;
                double batchLoss = ev.value();
                int e = epoch + 1;
                callbacks.forEach(c -> c.onStep(e, step, batchLoss));
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            model.refreshWeights();
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", learningRate.at(epoch, steps - 1));
            if (metrics != null) {
                m.putAll(metrics.compute(model, epoch + 1));
            }
            EpochRecord r = new EpochRecord(epoch + 1, seconds, lossSum / n, (double) correct / n, m);
            records.add(r);
            callbacks.forEach(c -> c.onEpochEnd(r));
            Optional<String> reason = callbacks.stream().map(Callback::stopReason).flatMap(Optional::stream)
                    .findFirst();
            if (reason.isPresent()) {
                stop = reason.get();
                break;
            }
        }
        TrainingHistory history = new TrainingHistory(records, stop);
        callbacks.forEach(c -> c.onTrainEnd(history));
        return history;
    }

    /** Number of rows of {@code out} whose largest entry is at the sample's label (first maximum on ties). */
    static long countCorrect(INDArray out, Dataset data, int[] idx) {
        int c = (int) out.columns();
        double[] v = out.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long correct = 0;
        for (int r = 0; r < idx.length; r++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (v[r * c + k] > v[r * c + best]) {
                    best = k;
                }
            }
            if (best == data.label(idx[r])) {
                correct++;
            }
        }
        return correct;
    }

    /** {@code 0, 1, ..., n - 1}. */
    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Builder for {@link Trainer}. */
    public static final class Builder {
        private Supplier<Optimizer> optimizer = Optimizer::adam;
        private Schedule learningRate = Schedule.constant(1e-3);
        private IntFunction<Loss> lossForEpoch;
        private int batchSize = 256;
        private int epochs = 1;
        private long seed;
        private final List<Callback> callbacks = new ArrayList<>();
        private EpochMetrics metrics;

        private Builder() {
        }

        /** A fresh optimiser per {@link #fit} call (optimisers keep per-parameter state), e.g. {@code Optimizer::adam}. */
        public Builder optimizer(Supplier<Optimizer> optimizer) {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer must not be null");
            }
            this.optimizer = optimizer;
            return this;
        }

        /** A constant learning rate. @throws IllegalArgumentException if it is not positive and finite */
        public Builder learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
            }
            return learningRate(Schedule.constant(lr));
        }

        /** A learning-rate schedule. */
        public Builder learningRate(Schedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("learning rate schedule must not be null");
            }
            this.learningRate = schedule;
            return this;
        }

        /** The same loss every epoch. */
        public Builder loss(Loss loss) {
            if (loss == null) {
                throw new IllegalArgumentException("loss must not be null");
            }
            this.lossForEpoch = epoch -> loss;
            return this;
        }

        /** A loss per epoch (0-based), for schedules of loss parameters, e.g. {@code e -> hkr.withAlpha(10 * (e + 1))}. */
        public Builder loss(IntFunction<Loss> lossForEpoch) {
            if (lossForEpoch == null) {
                throw new IllegalArgumentException("loss schedule must not be null");
            }
            this.lossForEpoch = lossForEpoch;
            return this;
        }

        /** @throws IllegalArgumentException if {@code batchSize < 1} */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** @throws IllegalArgumentException if {@code epochs < 1} */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Seed of the shuffling. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Adds a callback (called in the order added). */
        public Builder callback(Callback callback) {
            if (callback == null) {
                throw new IllegalArgumentException("callback must not be null");
            }
            callbacks.add(callback);
            return this;
        }

        /** Per-epoch metrics computed after each epoch. */
        public Builder metrics(EpochMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** @throws IllegalStateException if no loss was given */
        public Trainer build() {
            if (lossForEpoch == null) {
                throw new IllegalStateException("a loss is required: call loss(...)");
            }
            return new Trainer(this);
        }
    }
}
