package org.lipot.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lipot.transport.pairwise.Cloud;
import org.lipot.transport.pairwise.PairValue;
import org.lipot.transport.pairwise.PairwiseMethod;
import org.lipot.transport.pairwise.Tile;
import org.lipot.transport.pairwise.TilePlan;

/**
 * Pairwise transport matrices on Apache Spark, through the Dataset API only. The clouds are collected on the driver
 * and broadcast; the {@link TilePlan} of {@code lipot-transport} (the same tiles as
 * {@link org.lipot.transport.pairwise.LocalPairwise}) becomes one partition per tile, heaviest first, each prepared
 * and computed inside its task. No shuffle runs, so adaptive query execution cannot merge CPU-heavy tiles into one
 * task (it sizes partitions by bytes). Every pair is a pure function of the two clouds and the method, so a retried
 * task writes the same bits, and the values equal the local executor's.
 *
 * <p><b>Input</b> rows: {@code (id long, dim int, coords array<double>, weights array<double>)}, coordinates
 * row-major, weights nullable (uniform). <b>Output</b> rows: {@code (i long, j long, value double, iterations long,
 * converged boolean, tile int, tile_seconds double)} for the pairs {@code i < j} by id (and {@code i = j} when the method's diagonal is not
 * zero); {@code value} is NaN where {@code converged} is false, and {@code tile_seconds} is the time of the pair's whole
 * tile (preparation included) in its task. With an output folder the rows are written as Parquet,
 * {@link Options#tilesPerJob} tiles per job, and a restarted computation skips the tiles already written.
 */
public final class SparkPairwise {

    /** The output schema. */
    public static final StructType SCHEMA = new StructType()
            .add("i", DataTypes.LongType, false)
            .add("j", DataTypes.LongType, false)
            .add("value", DataTypes.DoubleType, false)
            .add("iterations", DataTypes.LongType, false)
            .add("converged", DataTypes.BooleanType, false)
            .add("tile", DataTypes.IntegerType, false)
            .add("tile_seconds", DataTypes.DoubleType, false);

    private SparkPairwise() {
    }

    /**
     * The pairs of {@code method} over {@code clouds}.
     *
     * @throws IllegalArgumentException if an argument is null, the input lacks a column, ids repeat, or the clouds
     *                                  are empty or of different dimensions
     */
    public static Dataset<Row> compute(SparkSession spark, Dataset<Row> clouds, PairwiseMethod<?> method,
                                       Options options) {
        if (spark == null || clouds == null || method == null || options == null) {
            throw new IllegalArgumentException("spark, clouds, method and options are required");
        }
        List<Row> rows = new ArrayList<>(clouds.select("id", "dim", "coords", "weights").collectAsList());
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("clouds: no rows");
        }
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        long[] ids = new long[rows.size()];
        List<Cloud> list = new ArrayList<>();
        int[] sizes = new int[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            Row r = rows.get(k);
            ids[k] = r.getLong(0);
            if (k > 0 && ids[k] == ids[k - 1]) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + " appears twice");
            }
            if (k > 0 && r.getInt(1) != list.get(0).dimension()) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + " has dimension " + r.getInt(1)
                        + ", the first " + list.get(0).dimension());
            }
            double[] coords = doubles(r.getList(2));
            double[] weights = r.isNullAt(3) ? null : doubles(r.getList(3));
            try {
                list.add(new Cloud(r.getInt(1), coords, weights));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + ": " + e.getMessage(), e);
            }
            sizes[k] = list.get(k).size();
        }
        int target = options.tiles > 0 ? options.tiles : 16 * spark.sparkContext().defaultParallelism();
        List<Tile> plan = TilePlan.symmetric(sizes, method, target);
        Broadcast<List<Cloud>> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(list);
        boolean diagonal = !method.zeroOnDiagonal();
        List<Integer> todo = new ArrayList<>(); // tile numbers, heaviest first
        for (Tile t : plan) {
            todo.add(t.index());
        }
        if (options.output == null) {
            return tiles(spark, plan, todo, shared, ids, method, diagonal);
        }
        if (exists(spark, options.output)) {
            List<Row> done = spark.read().parquet(options.output).select("tile").distinct().collectAsList();
            for (Row d : done) {
                todo.remove(Integer.valueOf(d.getInt(0)));
            }
        }
        int batch = options.tilesPerJob > 0 ? options.tilesPerJob : spark.sparkContext().defaultParallelism();
        for (int from = 0; from < todo.size(); from += batch) {
            List<Integer> part = todo.subList(from, Math.min(todo.size(), from + batch));
            tiles(spark, plan, part, shared, ids, method, diagonal).write().mode(SaveMode.Append)
                    .parquet(options.output);
        }
        return spark.read().parquet(options.output);
    }

    /** One partition per tile of {@code which} (tile numbers, in the order given). */
    private static <P> Dataset<Row> tiles(SparkSession spark, List<Tile> plan, List<Integer> which,
                                          Broadcast<List<Cloud>> shared, long[] ids, PairwiseMethod<P> method,
                                          boolean diagonal) {
        Map<Integer, Tile> byNumber = new HashMap<>();
        for (Tile t : plan) {
            byNumber.put(t.index(), t);
        }
        List<Tile> chosen = new ArrayList<>();
        for (int t : which) {
            chosen.add(byNumber.get(t));
        }
        if (chosen.isEmpty()) {
            return spark.createDataFrame(new ArrayList<>(), SCHEMA);
        }
        MapPartitionsFunction<Long, Row> run = positions -> {
            List<Row> out = new ArrayList<>();
            List<Cloud> cs = shared.value();
            // (prepared values depend only on the cloud and the method, which are fixed for a broadcast)
            while (positions.hasNext()) {
                Tile tile = chosen.get((int) (long) positions.next());
                long t0 = System.nanoTime();
                int first = out.size();
                Map<Integer, Object> prepared = preparedClouds(shared.id());
                for (int i = tile.rowFrom(); i < tile.rowTo(); i++) {
                    int jFrom = tile.diagonal() ? (diagonal ? i : i + 1) : tile.columnFrom();
                    for (int j = jFrom; j < tile.columnTo(); j++) {
                        @SuppressWarnings("unchecked")
                        P x = (P) prepared.computeIfAbsent(i, k -> method.prepare(cs.get(k)));
                        @SuppressWarnings("unchecked")
                        P y = (P) prepared.computeIfAbsent(j, k -> method.prepare(cs.get(k)));
                        PairValue v = method.pair(x, y);
                        boolean ok = v.status().isSuccess();
                        out.add(RowFactory.create(ids[i], ids[j], ok ? v.value() : Double.NaN, v.iterations(), ok,
                                tile.index(), 0.0));
                    }
                }
                double seconds = (System.nanoTime() - t0) * 1e-9;
                for (int r = first; r < out.size(); r++) {
                    Row row = out.get(r);
                    out.set(r, RowFactory.create(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5),
                            seconds));
                }
            }
            return out.iterator();
        };
        return spark.range(0, chosen.size(), 1, chosen.size()).mapPartitions(run, Encoders.row(SCHEMA));
    }

    /** The prepared clouds of the current computation in this JVM (an executor), shared by its tasks. */
    private static Map<Integer, Object> prepared;
    private static long preparedFor = -1;

    /**
     * The cache of prepared clouds for the computation whose broadcast has id {@code broadcast}: each cloud is
     * prepared once per executor instead of once per tile it appears in. Only the latest computation's clouds are
     * kept, so a long-lived executor does not accumulate them.
     */
    private static synchronized Map<Integer, Object> preparedClouds(long broadcast) {
        if (preparedFor != broadcast) {
            prepared = new java.util.concurrent.ConcurrentHashMap<>();
            preparedFor = broadcast;
        }
        return prepared;
    }

    /**
     * The dense symmetric matrix of a result over {@code ids} (the input's ids, in any order; rows and columns follow
     * the sorted ids), for small N: both triangles filled, 0 on a diagonal the result does not hold.
     */
    public static double[][] collectMatrix(Dataset<Row> result, long[] ids) {
        long[] sorted = ids.clone();
        java.util.Arrays.sort(sorted);
        double[][] m = new double[sorted.length][sorted.length];
        for (Row r : result.select("i", "j", "value").collectAsList()) {
            int i = java.util.Arrays.binarySearch(sorted, r.getLong(0));
            int j = java.util.Arrays.binarySearch(sorted, r.getLong(1));
            m[i][j] = r.getDouble(2);
            m[j][i] = r.getDouble(2);
        }
        return m;
    }

    private static boolean exists(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot check the output folder " + path, e);
        }
    }

    private static double[] doubles(List<Object> values) {
        double[] d = new double[values.size()];
        for (int k = 0; k < d.length; k++) {
            d[k] = ((Number) values.get(k)).doubleValue();
        }
        return d;
    }

    /**
     * How to run: the target number of tiles (default 0: sixteen per core of the session), the Parquet output folder
     * (default none: the result is computed lazily and not written), and the tiles per Spark job when writing (default
     * 0: one per core), which is the unit a restart can lose.
     */
    public record Options(int tiles, String output, int tilesPerJob) {

        /** @throws IllegalArgumentException for a negative count */
        public Options {
            if (tiles < 0 || tilesPerJob < 0) {
                throw new IllegalArgumentException("tiles and tilesPerJob must be >= 0 (0: the default), got " + tiles
                        + ", " + tilesPerJob);
            }
        }

        /** The defaults: sixteen tiles per core, no output folder. */
        public static Options defaults() {
            return new Options(0, null, 0);
        }

        /** These options writing to {@code folder}. */
        public Options withOutput(String folder) {
            return new Options(tiles, folder, tilesPerJob);
        }
    }
}
