package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.lipot.lipschitz.certify.CertificateReport;
import org.lipot.lipschitz.certify.Certificates;
import org.lipot.lipschitz.certify.LipschitzScope;
import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.data.TrainTest;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.layers.Architectures;
import org.lipot.lipschitz.layers.SpectralConv2d;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.loss.MulticlassHKR;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;
import org.lipot.lipschitz.train.Callback;
import org.lipot.lipschitz.train.ConsoleProgress;
import org.lipot.lipschitz.train.EpochRecord;
import org.lipot.lipschitz.train.MetricsLog;
import org.lipot.lipschitz.train.Schedule;
import org.lipot.lipschitz.train.Trainer;
import org.lipot.lipschitz.train.TrainingHistory;
import org.nd4j.linalg.api.buffer.DataType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot certify train}: trains a 1-Lipschitz classifier with the multiclass HKR loss (deel-lip convention
 * {@code -KR + alpha hinge}) and certifies it on the test set. Flags and JSON lines follow
 * {@code shared/bench/lip/README.md}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a 1-Lipschitz classifier (multiclass HKR loss, Adam) and certify it on the test set.",
                "Radii are divided by the sound Lipschitz bound computed from the final weights."})
final class CertifyTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "SPEC", description = DataOption.HELP)
    String data;

    @Option(names = "--arch", defaultValue = "dense", description = "architecture: dense, conv (the peer's) or aoc (conv with orthogonal AOC layers); conv and aoc need images; default ${DEFAULT-VALUE}")
    String arch;

    @Option(names = "--epochs", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate; default ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "1", paramLabel = "F",
            description = "multiply the learning rate by F after every epoch (0 < F <= 1; 1: constant); default ${DEFAULT-VALUE}")
    double lrDecay;

    @Option(names = "--batch-size", defaultValue = "256", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--alpha", defaultValue = "50", description = "HKR alpha, deel-lip convention -KR + alpha hinge; default ${DEFAULT-VALUE}")
    double alpha;

    @Option(names = "--min-margin", defaultValue = "0.5", description = "hinge margin m (relu(m/2 - s f)); default ${DEFAULT-VALUE}")
    double minMargin;

    @Option(names = "--bjorck-iters", defaultValue = "15", description = "maximum Björck iterations; default ${DEFAULT-VALUE}")
    int bjorckIters;

    @Option(names = "--bjorck-eps", defaultValue = "1e-3", description = "Björck early stop on ||dW||_F (0: off); default ${DEFAULT-VALUE}")
    double bjorckEps;

    @Option(names = "--beta", defaultValue = "0.5", description = "Björck step; default ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--power-iters", defaultValue = "10", description = "maximum power iterations per step; default ${DEFAULT-VALUE}")
    int powerIters;

    @Option(names = "--eps-spectral", defaultValue = "1e-3", description = "W / (sigma + eps); default ${DEFAULT-VALUE}")
    double epsSpectral;

    @Option(names = {"--gradient-through-first", "--detach-first"}, defaultValue = "-1", paramLabel = "K",
            description = "gradient through the first K Björck iterations only (deel-torchlip: 4); -1 off")
    int throughFirst;

    @Option(names = {"--gradient-through-last", "--detach-last"}, defaultValue = "-1", paramLabel = "K",
            description = "gradient through the last K Björck iterations actually run only; -1 off")
    int throughLast;

    @Option(names = "--seed", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--limit-train", defaultValue = "0", description = "use the first N training samples (0: all)")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", description = "use the first N test samples (0: all)")
    int limitTest;

    @Option(names = "--time-budget", defaultValue = "0", description = "seconds: stop before an epoch that would exceed it (0: off)")
    double timeBudget;

    @Option(names = "--curves", paramLabel = "FILE.png", description = "write the training curves")
    Path curves;

    @Option(names = "--histogram", paramLabel = "FILE.png", description = "write a histogram of certified radii")
    Path histogram;

    @Option(names = "--save", paramLabel = "FILE.zip",
            description = "save the trained model (zip: model.json + .npy weights), for `lipot certify eval --model`")
    Path save;

    @Option(names = "--log", paramLabel = "FILE.jsonl", description = "also log every epoch as a JSON line to FILE")
    Path log;

    @Option(names = "--no-epoch-test", description = "skip the per-epoch test accuracy and certified accuracy at 36/255"
            + " (computed after each epoch, outside its timed seconds)")
    boolean noEpochTest;

    @Option(names = "--json", description = "JSON lines: one per epoch, the final report last")
    boolean json;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        if (!arch.equals("dense") && !arch.equals("conv") && !arch.equals("aoc")) {
            throw new IllegalArgumentException("--arch: unknown architecture '" + arch + "' (available: dense, conv, aoc)");
        }
        if (throughFirst >= 0 && throughLast >= 0) {
            throw new IllegalArgumentException(
                    "--gradient-through-first and --gradient-through-last exclude each other");
        }
        if (!(timeBudget >= 0)) {
            throw new IllegalArgumentException("--time-budget must be >= 0, got " + timeBudget);
        }
        OutputFiles.checkFolder("--save", save);
        OutputFiles.checkFolder("--curves", curves);
        OutputFiles.checkFolder("--histogram", histogram);
        OutputFiles.checkFolder("--log", log);
        // the configuration is built, and so checked, before the data is read and training starts
        Rko rko = rko();
        Trainer.Builder tb = Trainer.builder();
        Options.check("--alpha/--min-margin", () -> tb.loss(MulticlassHKR.deelLip(alpha, minMargin)));
        Options.check("--lr", () -> tb.learningRate(lr));
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        }
        if (lrDecay < 1) {
            tb.learningRate(Schedule.exponential(lr, lrDecay));
        }
        Options.check("--batch-size", () -> tb.batchSize(batchSize));
        Options.check("--epochs", () -> tb.epochs(epochs));
        TrainTest d = DataOption.load(data, limitTrain, limitTest);
        Sequential model = architecture(arch, d.train(), rko, seed);
        List<IntSupplier> rkoLayers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof SpectralDense s) {
                rkoLayers.add(s::bjorckIterationsRun);
            } else if (l instanceof SpectralConv2d s) {
                rkoLayers.add(s::bjorckIterationsRun);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        BjorckCounter counter = new BjorckCounter(rkoLayers);
        tb.seed(seed).callback(counter).callback(new EpochLines(out, json, counter, timeBudget));
        if (!noEpochTest) {
            tb.metrics((m, epoch) -> {
                CertificateReport r = Certificates.certify(m, d.test().features(), d.test().labels(),
                        LipschitzScope.NETWORK, 36 / 255.0);
                return Map.of("test_acc", r.accuracy(), "test_certified_acc", r.certifiedAccuracy()[0]);
            });
        }
        if (System.console() != null) {
            tb.callback(new ConsoleProgress());
        }
        if (log != null) {
            tb.callback(new MetricsLog(log));
        }
        TrainingHistory history = tb.build().fit(model, d.train());
        if (save != null) {
            ModelFiles.save(model, save);
        }

        CertifiedEvaluation.Result result = CertifiedEvaluation.evaluate(model, d.test());
        Map<String, Object> fin = new LinkedHashMap<>(result.figures());
        fin.put("train_seconds", history.trainSeconds());
        fin.put("epochs_done", history.epochs().size());
        fin.put("seconds_per_epoch_mean", history.trainSeconds() / Math.max(1, history.epochs().size()));
        fin.put("stop_reason", history.stopReason());
        fin.put("seconds_total", (System.nanoTime() - t0) * 1e-9);
        if (save != null) {
            fin.put("model_file", save.toString());
        }
        if (curves != null) {
            history.writePng(curves);
        }
        if (histogram != null) {
            CertifiedEvaluation.writeHistogram(histogram, result.report());
        }
        if (json) {
            out.println(Json.line(fin));
        } else {
            printSummary(out, fin);
            if (save != null) {
                out.println("model saved to           " + save);
            }
        }
        return 0;
    }

    private Rko rko() {
        GradientMode mode = Options.check("--gradient-through-first/--gradient-through-last", () -> throughFirst >= 0
                ? GradientMode.gradientThroughFirst(throughFirst)
                : throughLast >= 0 ? GradientMode.gradientThroughLast(throughLast) : GradientMode.full());
        PowerIteration power = Options.check("--power-iters",
                () -> PowerIteration.builder().iterations(powerIters).tolerance(1e-3).build());
        Bjorck bjorck = Options.check("--bjorck-iters/--bjorck-eps/--beta", () -> Bjorck.builder().beta(beta)
                .maxIterations(bjorckIters).tolerance(bjorckEps).gradientMode(mode).build());
        return Options.check("--eps-spectral", () -> new Rko(power, epsSpectral, bjorck));
    }

    @SuppressWarnings("unchecked")
    static void printSummary(PrintWriter out, Map<String, Object> f) {
        out.printf(Locale.ROOT, "test accuracy            %.2f %%%n", 100 * (double) f.get("test_acc"));
        Map<String, Double> at = (Map<String, Double>) f.get("certified_acc_at");
        at.forEach((k, v) -> out.printf(Locale.ROOT, "certified at %-8s    %.2f %%  (radius > %s in [0, 1] pixel units)%n",
                k, 100 * v, k));
        out.printf(Locale.ROOT, "mean certificate         %.4f%n", (double) f.get("mean_certificate"));
        out.printf(Locale.ROOT, "Lipschitz bound (sound)  %.7f  (empirical %.7f)%n",
                (double) f.get("lipschitz_upper_bound"), (double) f.get("empirical_lipschitz"));
        if (f.containsKey("seconds_per_epoch_mean")) {
            out.printf(Locale.ROOT, "training                 %d epochs, %.1f s per epoch%n",
                    (int) f.get("epochs_done"), (double) f.get("seconds_per_epoch_mean"));
        }
    }

    /**
     * The network of {@code --arch}: {@code dense} on the flattened features, or {@code conv} or {@code aoc} on the
     * data set's images.
     *
     * @throws IllegalArgumentException if {@code conv} or {@code aoc} is asked for features that are not images
     */
    static Sequential architecture(String arch, Dataset train, Rko rko, long seed) {
        if (arch.equals("dense")) {
            return Architectures.dense(train.numFeatures(), train.numClasses(), rko, seed, DataType.FLOAT);
        }
        if (train.imageShape() == null) {
            throw new IllegalArgumentException("--arch " + arch + " needs image data; these features have no image shape");
        }
        return arch.equals("aoc") ? Architectures.aoc(train.imageShape(), train.numClasses(), rko, seed, DataType.FLOAT)
                : Architectures.conv(train.imageShape(), train.numClasses(), rko, seed, DataType.FLOAT);
    }

    /** Mean Björck iterations per step of each RKO layer (SpectralDense, SpectralConv2d) over the current epoch. */
    static final class BjorckCounter implements Callback {
        private final List<IntSupplier> layers;
        private final long[] sums;
        private int steps;

        BjorckCounter(List<IntSupplier> layers) {
            this.layers = layers;
            this.sums = new long[layers.size()];
        }

        @Override
        public void onStep(int epoch, int step, double batchLoss) {
            if (step == 1) {
                Arrays.fill(sums, 0);
                steps = 0;
            }
            for (int k = 0; k < sums.length; k++) {
                sums[k] += layers.get(k).getAsInt();
            }
            steps++;
        }

        List<Double> means() {
            List<Double> m = new ArrayList<>();
            for (long s : sums) {
                m.add(Math.round(100.0 * s / Math.max(1, steps)) / 100.0);
            }
            return m;
        }
    }

    /** One JSON (or human) line per epoch, and the time budget. */
    static final class EpochLines implements Callback {
        private final PrintWriter out;
        private final boolean json;
        private final BjorckCounter counter;
        private final double budget;
        private double total;
        private double last;
        private int steps;

        EpochLines(PrintWriter out, boolean json, BjorckCounter counter, double budget) {
            this.out = out;
            this.json = json;
            this.counter = counter;
            this.budget = budget;
        }

        @Override
        public void onTrainStart(int epochs, int stepsPerEpoch) {
            steps = stepsPerEpoch;
        }

        @Override
        public void onEpochEnd(EpochRecord r) {
            total += r.seconds();
            last = r.seconds();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("seconds", r.seconds());
            m.put("loss", r.loss());
            m.put("train_acc", r.trainAccuracy());
            m.put("steps", steps);
            m.put("bjorck_iters_mean", counter.means());
            m.putAll(r.metrics());
            if (json) {
                out.println(Json.line(m));
            } else {
                StringBuilder extra = new StringBuilder();
                if (r.metrics().containsKey("test_acc")) {
                    extra.append(String.format(Locale.ROOT, ", test %.2f %%, certified at 36/255 %.2f %%",
                            100 * r.metrics().get("test_acc"), 100 * r.metrics().get("test_certified_acc")));
                }
                out.printf(Locale.ROOT, "epoch %d: %.1f s, loss %.4f, train accuracy %.2f %%%s, Björck iterations %s%n",
                        r.epoch(), r.seconds(), r.loss(), 100 * r.trainAccuracy(), extra, counter.means());
            }
            out.flush();
        }

        @Override
        public Optional<String> stopReason() {
            return budget > 0 && total + last > budget
                    ? Optional.of("time budget: the next epoch would end after " + budget + " s")
                    : Optional.empty();
        }
    }
}
