package org.lipot.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lipot.transport.Status;
import org.lipot.transport.pairwise.Cloud;
import org.lipot.transport.pairwise.PairwiseEngine;
import org.lipot.transport.pairwise.PairwiseMethod;
import org.lipot.transport.pairwise.PairwiseResult;

/**
 * The {@code spark} {@link PairwiseEngine}: clouds in memory to {@link SparkPairwise} on a session of the given master
 * ({@code master}, default {@code local[*]}; an existing session is reused), and the result back as a
 * {@link PairwiseResult}. Its {@code prepareSeconds} is the session start-up plus the hand-over of the clouds, its
 * task seconds and longest tile come from the tasks' own clocks. Non-converged pairs are reported with
 * {@link Status#MAX_ITERATIONS} (the Spark rows keep only whether a pair converged).
 */
public final class SparkEngine implements PairwiseEngine {

    /** The input schema of {@link SparkPairwise#compute}. */
    public static final StructType INPUT = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("dim", DataTypes.IntegerType, false)
            .add("coords", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), true);

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public <P> PairwiseResult symmetric(List<Cloud> clouds, PairwiseMethod<P> method, Map<String, String> settings) {
        return run(clouds, null, method, settings);
    }

    @Override
    public <P> PairwiseResult cross(List<Cloud> rows, List<Cloud> columns, PairwiseMethod<P> method,
                                    Map<String, String> settings) {
        if (columns == null) {
            throw new IllegalArgumentException("columns are required");
        }
        return run(rows, columns, method, settings);
    }

    /** The symmetric matrix over {@code clouds}, or with {@code columns} the rectangular one. */
    private static <P> PairwiseResult run(List<Cloud> clouds, List<Cloud> columns, PairwiseMethod<P> method,
                                          Map<String, String> settings) {
        String master = "local[*]";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!e.getKey().equals("master")) {
                throw new IllegalArgumentException("the spark engine has no setting '" + e.getKey() + "'");
            }
            master = e.getValue();
        }
        long start = System.nanoTime();
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("lipot pairwise")
                .config("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            // the driver talks to itself: the loopback address works where the host name resolves to an address
            // the machine cannot reach
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> input = frame(spark, clouds);
        Dataset<Row> second = columns == null ? null : frame(spark, columns);
        double setup = (System.nanoTime() - start) * 1e-9;
        Dataset<Row> result = columns == null
                ? SparkPairwise.compute(spark, input, method, SparkPairwise.Options.defaults())
                : SparkPairwise.cross(spark, input, second, method, SparkPairwise.Options.defaults());
        List<Row> out = result.select("i", "j", "value", "iterations", "converged", "tile", "tile_seconds")
                .collectAsList();
        int n = clouds.size();
        int m = columns == null ? n : columns.size();
        double[] values = new double[n * m];
        List<PairwiseResult.Failure> failures = new ArrayList<>();
        Map<Integer, Double> tileSeconds = new HashMap<>();
        long iterations = 0;
        for (Row r : out) {
            int i = (int) r.getLong(0);
            int j = (int) r.getLong(1);
            values[i * m + j] = r.getDouble(2);
            if (columns == null) {
                values[j * m + i] = r.getDouble(2);
            }
            iterations += r.getLong(3);
            if (!r.getBoolean(4)) {
                failures.add(new PairwiseResult.Failure(i, j, Status.MAX_ITERATIONS));
            }
            tileSeconds.put(r.getInt(5), r.getDouble(6));
        }
        double task = tileSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        double longest = tileSeconds.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return new PairwiseResult(n, m, values, failures, out.size(), iterations, tileSeconds.size(), task, longest,
                setup, (System.nanoTime() - start) * 1e-9);
    }

    /** The clouds as input rows, ids 0, 1, ... in list order. */
    private static Dataset<Row> frame(SparkSession spark, List<Cloud> clouds) {
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < clouds.size(); k++) {
            Cloud c = clouds.get(k);
            rows.add(RowFactory.create((long) k, c.dimension(), Arrays.stream(c.coordinates()).boxed().toList(),
                    Arrays.stream(c.weights()).boxed().toList()));
        }
        return spark.createDataFrame(rows, INPUT);
    }
}
