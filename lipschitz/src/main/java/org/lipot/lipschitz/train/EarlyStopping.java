package org.lipot.lipschitz.train;

import java.util.Optional;

/**
 * Stops training when a monitored value has not improved by more than {@code minDelta} for {@code patience}
 * consecutive epochs. The value is {@code "loss"}, {@code "train_acc"}, or the name of a metric in
 * {@link EpochRecord#metrics()}; "improved" means lower for a loss-like value and higher otherwise ({@code mode}).
 */
public final class EarlyStopping implements Callback {

    /** Whether smaller or larger values of the monitored quantity are better. */
    public enum Mode { MINIMIZE, MAXIMIZE }

    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private double best;
    private int waited;
    private String reason;

    /**
     * @throws IllegalArgumentException if {@code patience < 1}, {@code minDelta < 0} or the monitor is blank
     */
    public EarlyStopping(String monitor, Mode mode, int patience, double minDelta) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("monitor must name a value");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
        this.monitor = monitor;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = mode == Mode.MINIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(EpochRecord r) {
        double v = switch (monitor) {
            case "loss" -> r.loss();
            case "train_acc" -> r.trainAccuracy();
            default -> {
                Double m = r.metrics().get(monitor);
                if (m == null) {
                    throw new IllegalArgumentException("early stopping monitors '" + monitor
                            + "' but the epoch record has only " + r.metrics().keySet());
                }
                yield m;
            }
        };
        boolean improved = mode == Mode.MINIMIZE ? v < best - minDelta : v > best + minDelta;
        if (improved) {
            best = v;
            waited = 0;
        } else if (++waited >= patience) {
            reason = monitor + " did not improve by more than " + minDelta + " for " + patience + " epochs (best "
                    + best + ")";
        }
    }

    @Override
    public Optional<String> stopReason() {
        return Optional.ofNullable(reason);
    }
}
