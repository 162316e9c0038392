package org.lipot.lipschitz.train;

import java.io.PrintStream;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on a console stream (standard error by default, so that standard output stays
 * machine-readable), showing the running batch loss, and one summary line per epoch.
 */
public final class ConsoleProgress implements Callback {

    private final PrintStream out;
    private ProgressBar bar;
    private int epochs;
    private int steps;
    private double lossSum;

    /** Progress on standard error. */
    public ConsoleProgress() {
        this(System.err);
    }

    /** Progress on the given stream. */
    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainStart(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
    }

    @Override
    public void onStep(int epoch, int step, double batchLoss) {
        if (step == 1) {
            lossSum = 0;
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(out))
                    .setUpdateIntervalMillis(250).build();
        }
        lossSum += batchLoss;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / step));
    }

    @Override
    public void onEpochEnd(EpochRecord r) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d: %.1f s, loss %.4f", r.epoch(), r.seconds(), r.loss()));
        if (Double.isFinite(r.trainAccuracy())) {
            line.append(String.format(Locale.ROOT, ", train acc %.4f", r.trainAccuracy()));
        }
        r.metrics().forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s %.4g", k, v)));
        out.println(line);
    }
}
