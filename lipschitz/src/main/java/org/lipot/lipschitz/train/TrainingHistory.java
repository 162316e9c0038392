package org.lipot.lipschitz.train;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.lipot.lipschitz.io.Png;

/**
 * The record of a training run: one {@link EpochRecord} per completed epoch, and why it stopped.
 *
 * @param epochs     completed epochs, in order
 * @param stopReason {@code "completed"} or the reason an early-stopping callback gave
 */
public record TrainingHistory(List<EpochRecord> epochs, String stopReason) {

    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** Sum of the epochs' training seconds. */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(EpochRecord::seconds).sum();
    }

    /** The last epoch's record. @throws IllegalStateException if no epoch completed */
    public EpochRecord last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch completed");
        }
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Writes a PNG with two panels side by side: the training loss per epoch, and the training accuracy with every
     * metric whose name ends in {@code acc} (validation accuracy, certified accuracy, ...).
     *
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public void writePng(Path file) {
        double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart loss = new XYChartBuilder().width(600).height(420).title("training loss")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        loss.addSeries("loss", x, epochs.stream().mapToDouble(EpochRecord::loss).toArray())
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        XYChart acc = new XYChartBuilder().width(600).height(420).title("accuracy")
                .xAxisTitle("epoch").yAxisTitle("fraction").build();
        if (epochs.stream().allMatch(e -> Double.isFinite(e.trainAccuracy()))) {
            acc.addSeries("train acc", x, epochs.stream().mapToDouble(EpochRecord::trainAccuracy).toArray());
        }
        TreeSet<String> names = new TreeSet<>();
        epochs.forEach(e -> names.addAll(e.metrics().keySet()));
        for (String name : names) {
            if (name.endsWith("acc") && epochs.stream().allMatch(e -> e.metrics().containsKey(name))) {
                acc.addSeries(name, x, epochs.stream().mapToDouble(e -> e.metrics().get(name)).toArray());
            }
        }
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Png.write(file, loss, acc);
    }
}
