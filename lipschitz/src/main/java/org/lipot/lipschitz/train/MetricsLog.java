package org.lipot.lipschitz.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Logs every epoch as one JSON object per line ({@code epoch, seconds, loss, train_acc} and the epoch's metrics) to
 * a file, flushed after each line so that a long run can be followed with {@code tail -f} and survives a crash.
 */
public final class MetricsLog implements Callback, AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;

    /**
     * Creates (or truncates) {@code file}.
     *
     * @throws UncheckedIOException naming the file if it cannot be created
     */
    public MetricsLog(Path file) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(EpochRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", r.epoch());
        m.put("seconds", r.seconds());
        m.put("loss", r.loss());
        if (Double.isFinite(r.trainAccuracy())) { // NaN for a task without classes, which JSON cannot hold
            m.put("train_acc", r.trainAccuracy());
        }
        m.putAll(r.metrics());
        try {
            out.write(MAPPER.writeValueAsString(m));
            out.newLine();
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an epoch as JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingHistory history) {
        close();
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
