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

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
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
        // the sizes first: a few numbers per cloud, whatever the size of the clouds
        List<Row> summary = new ArrayList<>(clouds.select(col("id"), col("dim"), size(col("coords")),
                when(col("weights").isNull(), lit(0)).otherwise(size(col("weights")))).collectAsList());
        if (summary.isEmpty()) {
            throw new IllegalArgumentException("clouds: no rows");
        }
        summary.sort(Comparator.comparingLong(r -> r.getLong(0)));
        int n = summary.size();
        long[] ids = new long[n];
        int[] sizes = new int[n];
        long bytes = 0;
        for (int k = 0; k < n; k++) {
            Row r = summary.get(k);
            ids[k] = r.getLong(0);
            int dim = r.getInt(1);
            int length = r.getInt(2);
            if (k > 0 && ids[k] == ids[k - 1]) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + " appears twice");
            }
            if (k > 0 && dim != summary.get(0).getInt(1)) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + " has dimension " + dim + ", the first "
                        + summary.get(0).getInt(1));
            }
            if (dim < 1 || length < dim || length % dim != 0) {
                throw new IllegalArgumentException("clouds: id " + ids[k] + " has " + length
                        + " coordinates, not n >= 1 points of dimension " + dim);
            }
            sizes[k] = length / dim;
            bytes += 8L * (length + r.getInt(3));
        }
        int target = options.tiles > 0 ? options.tiles : 16 * spark.sparkContext().defaultParallelism();
        List<Tile> plan = TilePlan.symmetric(sizes, method, target);
        boolean diagonal = !method.zeroOnDiagonal();
        java.util.function.Function<List<Integer>, Dataset<Row>> run;
        if (bytes <= options.broadcastLimit) {
            Broadcast<List<Cloud>> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .broadcast(collect(clouds));
            run = which -> broadcastTiles(spark, plan, which, shared, ids, method, diagonal);
        } else {
            run = which -> joinedTiles(spark, clouds, plan, which, ids, method, diagonal);
        }
        List<Integer> todo = new ArrayList<>(); // tile numbers, heaviest first
        for (Tile t : plan) {
            todo.add(t.index());
        }
        if (options.output == null) {
            return run.apply(todo);
        }
        if (exists(spark, options.output)) {
            List<Row> done = spark.read().parquet(options.output).select("tile").distinct().collectAsList();
            for (Row d : done) {
                todo.remove(Integer.valueOf(d.getInt(0)));
            }
        }
        int batch = options.tilesPerJob > 0 ? options.tilesPerJob : spark.sparkContext().defaultParallelism();
        for (int from = 0; from < todo.size(); from += batch) {
            run.apply(todo.subList(from, Math.min(todo.size(), from + batch))).write().mode(SaveMode.Append)
                    .parquet(options.output);
        }
        return spark.read().parquet(options.output);
    }

    /**
     * The rectangular matrix {@code rows x columns} of {@code method} (train x test for a kernel), with the tiles of
     * {@link TilePlan#cross}; both lists are broadcast (the join layout is for symmetric inputs only). Output rows as
     * for {@link #compute}, {@code i} a row id and {@code j} a column id, every pair once.
     *
     * @throws IllegalArgumentException as {@link #compute}, or if the two lists differ in dimension
     */
    public static Dataset<Row> cross(SparkSession spark, Dataset<Row> rows, Dataset<Row> columns,
                                     PairwiseMethod<?> method, Options options) {
        if (spark == null || rows == null || columns == null || method == null || options == null) {
            throw new IllegalArgumentException("spark, rows, columns, method and options are required");
        }
        if (options.output() != null) {
            throw new IllegalArgumentException("options: cross writes no output folder (write the returned Dataset)");
        }
        List<Cloud> rowClouds = collect(rows);
        List<Cloud> columnClouds = collect(columns);
        if (rowClouds.get(0).dimension() != columnClouds.get(0).dimension()) {
            throw new IllegalArgumentException("rows have dimension " + rowClouds.get(0).dimension()
                    + " but columns " + columnClouds.get(0).dimension());
        }
        long[] rowIds = sortedIds(rows);
        long[] columnIds = sortedIds(columns);
        int target = options.tiles > 0 ? options.tiles : 16 * spark.sparkContext().defaultParallelism();
        List<Tile> plan = TilePlan.cross(sizes(rowClouds), sizes(columnClouds), method, target);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<List<Cloud>> sharedRows = context.broadcast(rowClouds);
        Broadcast<List<Cloud>> sharedColumns = context.broadcast(columnClouds);
        return crossTiles(spark, plan, sharedRows, sharedColumns, rowIds, columnIds, method);
    }

    private static <P> Dataset<Row> crossTiles(SparkSession spark, List<Tile> plan, Broadcast<List<Cloud>> rows,
                                               Broadcast<List<Cloud>> columns, long[] rowIds, long[] columnIds,
                                               PairwiseMethod<P> method) {
        MapPartitionsFunction<Long, Row> run = positions -> {
            List<Row> out = new ArrayList<>();
            List<Cloud> rs = rows.value();
            List<Cloud> cs = columns.value();
            Map<Integer, Object> preparedRows = preparedClouds(rows.id());
            Map<Integer, P> preparedColumns = new HashMap<>();
            while (positions.hasNext()) {
                Tile tile = plan.get((int) (long) positions.next());
                @SuppressWarnings("unchecked")
                java.util.function.IntFunction<P> r = k -> (P) preparedRows.computeIfAbsent(k,
                        c -> method.prepare(rs.get(c)));
                computeTile(tile, r, k -> preparedColumns.computeIfAbsent(k, c -> method.prepare(cs.get(c))), method,
                        rowIds, columnIds, false, out);
            }
            return out.iterator();
        };
        return spark.range(0, plan.size(), 1, plan.size()).mapPartitions(run, Encoders.row(SCHEMA));
    }

    private static long[] sortedIds(Dataset<Row> clouds) {
        List<Row> ids = new ArrayList<>(clouds.select("id").collectAsList());
        long[] out = new long[ids.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ids.get(k).getLong(0);
        }
        java.util.Arrays.sort(out);
        for (int k = 1; k < out.length; k++) {
            if (out[k] == out[k - 1]) {
                throw new IllegalArgumentException("clouds: id " + out[k] + " appears twice");
            }
        }
        return out;
    }

    private static int[] sizes(List<Cloud> clouds) {
        int[] s = new int[clouds.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = clouds.get(k).size();
        }
        return s;
    }

    /** The clouds, checked, in the order of their ids. */
    private static List<Cloud> collect(Dataset<Row> clouds) {
        List<Row> rows = new ArrayList<>(clouds.select("id", "dim", "coords", "weights").collectAsList());
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("clouds: no rows");
        }
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        List<Cloud> list = new ArrayList<>();
        for (Row r : rows) {
            Cloud c = cloud(r, 1, r.getLong(0));
            if (!list.isEmpty() && c.dimension() != list.get(0).dimension()) {
                throw new IllegalArgumentException("clouds: id " + r.getLong(0) + " has dimension " + c.dimension()
                        + ", the first " + list.get(0).dimension());
            }
            list.add(c);
        }
        return list;
    }

    /** The cloud whose {@code dim, coords, weights} are the columns from {@code first} of {@code r}, checked. */
    private static Cloud cloud(Row r, int first, long id) {
        try {
            return new Cloud(r.getInt(first), doubles(r.getList(first + 1)),
                    r.isNullAt(first + 2) ? null : doubles(r.getList(first + 2)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clouds: id " + id + ": " + e.getMessage(), e);
        }
    }

    /** The pairs of one tile of a symmetric plan as output rows, each cloud prepared through {@code prepared}. */
    private static <P> void computeTile(Tile tile, java.util.function.IntFunction<P> prepared, PairwiseMethod<P> method,
                                        long[] ids, boolean diagonal, List<Row> out) {
        computeTile(tile, prepared, prepared, method, ids, ids, diagonal, out);
    }

    /** The pairs of one tile as output rows: row clouds through {@code rows}, column clouds through {@code columns}. */
    private static <P> void computeTile(Tile tile, java.util.function.IntFunction<P> rows,
                                        java.util.function.IntFunction<P> columns, PairwiseMethod<P> method,
                                        long[] rowIds, long[] columnIds, boolean diagonal, List<Row> out) {
        long t0 = System.nanoTime();
        int first = out.size();
        for (int i = tile.rowFrom(); i < tile.rowTo(); i++) {
            int jFrom = tile.diagonal() ? (diagonal ? i : i + 1) : tile.columnFrom();
            for (int j = jFrom; j < tile.columnTo(); j++) {
                PairValue v = method.pair(rows.apply(i), columns.apply(j));
                boolean ok = v.status().isSuccess();
                out.add(RowFactory.create(rowIds[i], columnIds[j], ok ? v.value() : Double.NaN, v.iterations(), ok,
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

    private static Map<Integer, Tile> byNumber(List<Tile> plan) {
        Map<Integer, Tile> m = new HashMap<>();
        for (Tile t : plan) {
            m.put(t.index(), t);
        }
        return m;
    }

    /** One partition per tile of {@code which} (tile numbers, in the order given), the clouds broadcast. */
    private static <P> Dataset<Row> broadcastTiles(SparkSession spark, List<Tile> plan, List<Integer> which,
                                                   Broadcast<List<Cloud>> shared, long[] ids, PairwiseMethod<P> method,
                                                   boolean diagonal) {
        Map<Integer, Tile> byNumber = byNumber(plan);
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
            Map<Integer, Object> prepared = preparedClouds(shared.id());
            while (positions.hasNext()) {
                Tile tile = chosen.get((int) (long) positions.next());
                @SuppressWarnings("unchecked")
                java.util.function.IntFunction<P> get = k -> (P) prepared.computeIfAbsent(k,
                        c -> method.prepare(cs.get(c)));
                computeTile(tile, get, method, ids, diagonal, out);
            }
            return out.iterator();
        };
        return spark.range(0, chosen.size(), 1, chosen.size()).mapPartitions(run, Encoders.row(SCHEMA));
    }

    /**
     * The tiles of {@code which} without a broadcast, for clouds too large for one: each tile's clouds are joined to
     * it and range-partitioned by tile (about one tile per partition), and each task computes the tiles it holds.
     * That exchange is a shuffle, so adaptive execution's coalescing is switched off while it runs (it would merge
     * tiles by their bytes, not their work) and the result is materialised before the setting is restored.
     */
    private static <P> Dataset<Row> joinedTiles(SparkSession spark, Dataset<Row> clouds, List<Tile> plan,
                                                List<Integer> which, long[] ids, PairwiseMethod<P> method,
                                                boolean diagonal) {
        if (which.isEmpty()) {
            return spark.createDataFrame(new ArrayList<>(), SCHEMA);
        }
        Map<Integer, Tile> byNumber = byNumber(plan);
        List<Row> members = new ArrayList<>();
        for (int t : which) {
            Tile tile = byNumber.get(t);
            for (int i = tile.rowFrom(); i < tile.rowTo(); i++) {
                members.add(RowFactory.create(t, ids[i], i));
            }
            if (!tile.diagonal()) {
                for (int j = tile.columnFrom(); j < tile.columnTo(); j++) {
                    members.add(RowFactory.create(t, ids[j], j));
                }
            }
        }
        StructType memberSchema = new StructType().add("tile", DataTypes.IntegerType, false)
                .add("id", DataTypes.LongType, false).add("index", DataTypes.IntegerType, false);
        Dataset<Row> data = spark.createDataFrame(members, memberSchema)
                .join(clouds.select("id", "dim", "coords", "weights"), "id")
                .select("tile", "index", "id", "dim", "coords", "weights")
                .repartitionByRange(which.size(), col("tile")).sortWithinPartitions("tile", "index");
        MapPartitionsFunction<Row, Row> run = rows -> {
            List<Row> out = new ArrayList<>();
            Map<Integer, Cloud> tileClouds = new HashMap<>();
            int current = -1;
            while (rows.hasNext()) {
                Row r = rows.next();
                int t = r.getInt(0);
                if (t != current && current >= 0) {
                    runJoined(byNumber.get(current), tileClouds, method, ids, diagonal, out);
                    tileClouds.clear();
                }
                current = t;
                tileClouds.put(r.getInt(1), cloud(r, 3, r.getLong(2)));
            }
            if (current >= 0) {
                runJoined(byNumber.get(current), tileClouds, method, ids, diagonal, out);
            }
            return out.iterator();
        };
        String key = "spark.sql.adaptive.coalescePartitions.enabled";
        String before = spark.conf().get(key, "true");
        spark.conf().set(key, "false");
        try {
            return data.mapPartitions(run, Encoders.row(SCHEMA)).localCheckpoint(true);
        } finally {
            spark.conf().set(key, before);
        }
    }

    private static <P> void runJoined(Tile tile, Map<Integer, Cloud> clouds, PairwiseMethod<P> method, long[] ids,
                                      boolean diagonal, List<Row> out) {
        Map<Integer, P> prepared = new HashMap<>();
        computeTile(tile, k -> prepared.computeIfAbsent(k, c -> method.prepare(clouds.get(c))), method, ids, diagonal,
                out);
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
     * (default none: the result is computed lazily and not written), the tiles per Spark job when writing (default
     * 0: one per core), which is the unit a restart can lose, and the size up to which the clouds are broadcast
     * rather than joined to their tiles.
     */
    public record Options(int tiles, String output, int tilesPerJob, long broadcastLimit) {

        /** Clouds up to this many bytes of coordinates and weights are broadcast (default 256 MB). */
        public static final long DEFAULT_BROADCAST_LIMIT = 256L << 20;

        /** @throws IllegalArgumentException for a negative count */
        public Options {
            if (tiles < 0 || tilesPerJob < 0 || broadcastLimit < 0) {
                throw new IllegalArgumentException("tiles, tilesPerJob and broadcastLimit must be >= 0, got " + tiles
                        + ", " + tilesPerJob + ", " + broadcastLimit);
            }
        }

        /** These settings with the default broadcast limit. */
        public Options(int tiles, String output, int tilesPerJob) {
            this(tiles, output, tilesPerJob, DEFAULT_BROADCAST_LIMIT);
        }

        /** The defaults: sixteen tiles per core, no output folder, broadcast up to 256 MB. */
        public static Options defaults() {
            return new Options(0, null, 0);
        }

        /** These options writing to {@code folder}. */
        public Options withOutput(String folder) {
            return new Options(tiles, folder, tilesPerJob, broadcastLimit);
        }

        /** These options broadcasting clouds up to {@code bytes} and joining larger ones to their tiles. */
        public Options withBroadcastLimit(long bytes) {
            return new Options(tiles, output, tilesPerJob, bytes);
        }
    }
}
