package org.lipot.lipschitz.train;

import java.util.ArrayList;
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

/**
 * Mini-batch training of a {@link Layer} (usually a {@code Sequential}) on the batches of a {@link BatchSource}: a
 * labelled {@link Dataset} ({@link #fit(Layer, Dataset)}), or any source of inputs and targets, such as a sampler
 * that draws fresh points every epoch. Immutable configuration, built with {@link #builder()}; {@link #fit} may be
 * called on several models.
 *
 * <p>The source gets a {@link SplittableRandom} seeded with {@code seed} (so the same seed gives the same batches);
 * a data set is walked in a fresh permutation every epoch, in batches of {@code batchSize} (the last batch may be
 * smaller). Each step: {@code forward(x, true)}, the loss and its gradient, {@code backwardParameters}, one
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
     * Trains {@code model} in place on a labelled data set, in batches of {@code batchSize} in a fresh order every
     * epoch ({@link BatchSource#shuffled}), and returns the history.
     *
     * @throws IllegalArgumentException if the dataset's features do not fit the model (as the model reports), the
     *                                  dataset is empty, or the model has no parameters
     */
    public TrainingHistory fit(Layer model, Dataset train) {
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException("train: the dataset is " + (train == null ? "null" : "empty"));
        }
        return fit(model, BatchSource.shuffled(train, batchSize, parameterType(model)));
    }

    /**
     * Trains {@code model} in place on the batches of {@code source} and returns the history. The training accuracy
     * of an epoch is measured on batches that carry labels, and is NaN if none does.
     *
     * @throws IllegalArgumentException if the model has no parameters, a batch does not fit the model, or the source
     *                                  has no batches
     */
    public TrainingHistory fit(Layer model, BatchSource source) {
        DataType type = parameterType(model);
        List<Parameter> parameters = model.parameters();
        if (source == null || source.batches() < 1) {
            throw new IllegalArgumentException("source must give at least one batch per epoch");
        }
        int steps = source.batches();
        Optimizer opt = optimizer.get();
        SplittableRandom rng = new SplittableRandom(seed);
        callbacks.forEach(c -> c.onTrainStart(epochs, steps));
        List<EpochRecord> records = new ArrayList<>();
        String stop = "completed";
        for (int epoch = 0; epoch < epochs; epoch++) {
            Loss loss = lossForEpoch.apply(epoch);
            source.beginEpoch(epoch, rng);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long samples = 0;
            long labelled = 0;
            long correct = 0;
            for (int s = 0; s < steps; s++) {
                Batch b = source.batch(s);
                if (b.inputs().dataType() != type) {
                    throw new IllegalArgumentException("batch " + s + " has inputs of type " + b.inputs().dataType()
                            + " but the model's parameters are " + type);
                }
                INDArray out = model.forward(b.inputs(), true);
                LossEvaluation ev = loss.evaluate(out, b.targets());
                if (!Double.isFinite(ev.value())) {
                    throw new ArithmeticException("the loss became " + ev.value() + " at epoch " + (epoch + 1)
                            + ", step " + (s + 1) + ": lower the learning rate");
                }
                for (Parameter p : parameters) {
                    p.zeroGradient();
                }
                model.backwardParameters(ev.gradient());
                opt.step(parameters, learningRate.at(epoch, s));
                lossSum += ev.value() * b.size();
                samples += b.size();
                if (b.labels() != null) {
                    labelled += b.size();
                    correct += countCorrect(out, b.labels());
                }
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
            EpochRecord r = new EpochRecord(epoch + 1, seconds, lossSum / samples,
                    labelled > 0 ? (double) correct / labelled : Double.NaN, m);
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

    private static DataType parameterType(Layer model) {
        List<Parameter> parameters = model.parameters();
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("model has no trainable parameters");
        }
        return parameters.get(0).value().dataType();
    }

    /** Number of rows of {@code out} whose largest entry is at the row's label (first maximum on ties). */
    static long countCorrect(INDArray out, int[] labels) {
        int c = (int) out.columns();
        double[] v = out.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (v[r * c + k] > v[r * c + best]) {
                    best = k;
                }
            }
            if (best == labels[r]) {
                correct++;
            }
        }
        return correct;
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

        /**
         * The batch size of {@link #fit(Layer, Dataset)} (a {@link BatchSource} makes its own batches).
         *
         * @throws IllegalArgumentException if {@code batchSize < 1}
         */
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
