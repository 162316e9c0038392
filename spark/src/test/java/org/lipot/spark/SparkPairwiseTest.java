package org.lipot.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.pairwise.Cloud;
import org.lipot.transport.pairwise.LocalPairwise;
import org.lipot.transport.pairwise.PairValue;
import org.lipot.transport.pairwise.PairwiseEngine;
import org.lipot.transport.pairwise.PairwiseMethod;
import org.lipot.transport.pairwise.PairwiseResult;

/** Spark results against the local executor, bit for bit, with a failing task, a restart and bad input. */
class SparkPairwiseTest {

    /** One shared session: two threads, each task tried twice (local[2,2]), no UI, logging at WARN. */
    private static SparkSession spark;

    private static final StructType INPUT = SparkEngine.INPUT;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,2]").appName("lipot-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The raw weights of the clouds last made by {@link #clouds} (null: uniform), as the input rows carry them. */
    private static final List<double[]> RAW = new ArrayList<>();

    private static List<Cloud> clouds(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Cloud> out = new ArrayList<>();
        RAW.clear();
        for (int c = 0; c < count; c++) {
            int n = 5 + rng.nextInt(20);
            double[][] p = new double[n][2];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                p[i][0] = rng.nextGaussian() + 0.1 * c;
                p[i][1] = rng.nextGaussian();
                w[i] = 0.5 + rng.nextDouble();
            }
            out.add(Cloud.of(p, c % 2 == 0 ? w : null));
            RAW.add(c % 2 == 0 ? w : null);
        }
        return out;
    }

    /** The input rows with the raw weights, ids 100, 101, ... in reverse order (the computation sorts them). */
    private static Dataset<Row> rows(List<Cloud> clouds) {
        List<Row> rows = new ArrayList<>();
        for (int k = clouds.size() - 1; k >= 0; k--) {
            Cloud c = clouds.get(k);
            rows.add(RowFactory.create(100L + k, c.dimension(), boxed(c.coordinates()),
                    RAW.get(k) == null ? null : boxed(RAW.get(k))));
        }
        return spark.createDataFrame(rows, INPUT);
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static long[] ids(int n) {
        long[] ids = new long[n];
        for (int k = 0; k < n; k++) {
            ids[k] = 100 + k;
        }
        return ids;
    }

    private static void assertSameBits(double[] local, double[][] spark) {
        int n = spark.length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(Double.doubleToLongBits(local[i * n + j]), Double.doubleToLongBits(spark[i][j]),
                        "pair " + i + ", " + j);
            }
        }
    }

    @Test
    void equalsTheLocalExecutorBitForBit() {
        List<Cloud> cs = clouds(13, 1);
        for (PairwiseMethod<?> method : List.of(PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 16, 4),
                PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN),
                PairwiseMethod.sinkhornDivergence(Cost.SQUARED_EUCLIDEAN, 0.5, 1e-9, 100_000))) {
            double[] local = LocalPairwise.builder().build().symmetric(cs, method).values();
            Dataset<Row> result = SparkPairwise.compute(spark, rows(cs), method, new SparkPairwise.Options(7, null, 0));
            assertEquals(13 * 12 / 2, result.count(), method.name());
            assertSameBits(local, SparkPairwise.collectMatrix(result, ids(13)));
        }
    }

    /** Throws once, on the first computation of pair (2, 5) in this JVM (local mode runs tasks in it). */
    static final class FailsOnce implements PairwiseMethod<Cloud> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final PairwiseMethod<Cloud> exact;

        @SuppressWarnings("unchecked")
        FailsOnce() {
            this.exact = (PairwiseMethod<Cloud>) PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN);
        }

        @Override
        public String name() {
            return "fails-once";
        }

        @Override
        public Cloud prepare(Cloud cloud) {
            return cloud;
        }

        @Override
        public PairValue pair(Cloud x, Cloud y) {
            if (x.size() == TARGET[0] && y.size() == TARGET[1] && FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected task failure");
            }
            return exact.pair(x, y);
        }

        @Override
        public double pairCost(int n, int m) {
            return exact.pairCost(n, m);
        }

        static final int[] TARGET = new int[2];
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithTheSameResult() {
        List<Cloud> cs = clouds(9, 2);
        FailsOnce.TARGET[0] = cs.get(2).size();
        FailsOnce.TARGET[1] = cs.get(5).size();
        FailsOnce.FAILURES.set(0);
        double[] local = LocalPairwise.builder().build().symmetric(cs, PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN))
                .values();
        Dataset<Row> result = SparkPairwise.compute(spark, rows(cs), new FailsOnce(), SparkPairwise.Options.defaults());
        double[][] m = SparkPairwise.collectMatrix(result, ids(9));
        assertEquals(1, FailsOnce.FAILURES.get(), "the failure was injected");
        assertSameBits(local, m);
    }

    @Test
    void aRestartSkipsTheTilesAlreadyWritten() {
        List<Cloud> cs = clouds(11, 3);
        PairwiseMethod<?> method = PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 8, 0);
        String out = dir.resolve("pairs").toString();
        SparkPairwise.Options options = new SparkPairwise.Options(10, out, 3);
        Dataset<Row> first = SparkPairwise.compute(spark, rows(cs), method, options);
        long tiles = first.select("tile").distinct().count();
        // drop the rows of two tiles, as a crash after the other jobs would leave the folder
        Dataset<Row> kept = spark.read().parquet(out).filter("tile > 1");
        String partial = dir.resolve("partial").toString();
        kept.write().parquet(partial);
        Dataset<Row> resumed = SparkPairwise.compute(spark, rows(cs), method, options.withOutput(partial));
        assertEquals(55, resumed.count());
        assertEquals(tiles, resumed.select("tile").distinct().count());
        double[] local = LocalPairwise.builder().build().symmetric(cs, method).values();
        assertSameBits(local, SparkPairwise.collectMatrix(resumed, ids(11)));
    }

    @Test
    void theEngineFoundByNameGivesTheLocalBits() {
        List<Cloud> cs = clouds(10, 4);
        PairwiseMethod<?> method = PairwiseMethod.sinkhorn(Cost.SQUARED_EUCLIDEAN, 0.5, 1e-9, 100_000);
        PairwiseResult local = LocalPairwise.builder().build().symmetric(cs, method);
        PairwiseResult viaEngine = PairwiseEngine.named("spark").symmetric(cs, method, Map.of("master", "local[2]"));
        assertArrayEquals(local.values(), viaEngine.values());
        assertEquals(55, viaEngine.pairs());
        assertTrue(viaEngine.taskSeconds() > 0 && viaEngine.longestTile() <= viaEngine.taskSeconds());
        PairwiseResult crossed = PairwiseEngine.named("spark").cross(cs.subList(0, 3), cs.subList(3, 10), method,
                Map.of());
        assertArrayEquals(LocalPairwise.builder().build().cross(cs.subList(0, 3), cs.subList(3, 10), method).values(),
                crossed.values());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairwiseEngine.named("spark").symmetric(cs, method, Map.of("threads", "2")));
        assertTrue(e.getMessage().contains("threads"));
        e = assertThrows(IllegalArgumentException.class, () -> PairwiseEngine.named("nope"));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void cloudsTooLargeToBroadcastAreJoinedToTheirTilesWithTheSameBits() {
        List<Cloud> cs = clouds(12, 6);
        for (PairwiseMethod<?> method : List.of(PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 8, 1),
                PairwiseMethod.sinkhorn(Cost.SQUARED_EUCLIDEAN, 0.5, 1e-9, 100_000))) {
            double[] local = LocalPairwise.builder().build().symmetric(cs, method).values();
            Dataset<Row> joined = SparkPairwise.compute(spark, rows(cs), method,
                    new SparkPairwise.Options(9, null, 0).withBroadcastLimit(0));
            assertEquals(method.zeroOnDiagonal() ? 66 : 78, joined.count());
            assertSameBits(local, SparkPairwise.collectMatrix(joined, ids(12)));
        }
        assertEquals("true", spark.conf().get("spark.sql.adaptive.coalescePartitions.enabled", "true"),
                "the setting is restored");
    }

    @Test
    void crossMatrixEqualsTheLocalExecutors() {
        List<Cloud> cs = clouds(11, 7);
        List<Cloud> rowsList = cs.subList(0, 4);
        List<Cloud> colsList = cs.subList(4, 11);
        PairwiseMethod<?> method = PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN);
        double[] local = LocalPairwise.builder().build().cross(rowsList, colsList, method).values();
        Dataset<Row> all = rows(cs);
        Dataset<Row> result = SparkPairwise.cross(spark, all.filter("id < 104"), all.filter("id >= 104"), method,
                new SparkPairwise.Options(6, null, 0));
        assertEquals(28, result.count());
        for (Row r : result.collectAsList()) {
            int i = (int) (r.getLong(0) - 100);
            int j = (int) (r.getLong(1) - 104);
            assertEquals(Double.doubleToLongBits(local[i * 7 + j]), Double.doubleToLongBits(r.getDouble(2)));
        }
        assertThrows(IllegalArgumentException.class, () -> SparkPairwise.cross(spark, all, all, method,
                SparkPairwise.Options.defaults().withOutput(dir.toString())));
    }

    @Test
    void adaptiveExecutionKeepsOnePartitionPerTile() {
        // AQE (on by default in Spark 4) coalesces shuffle partitions by bytes; the tiles never go through a shuffle,
        // so every tile stays its own task however small its rows are
        assertEquals("true", spark.conf().get("spark.sql.adaptive.enabled", "true"));
        List<Cloud> cs = clouds(20, 5);
        Dataset<Row> result = SparkPairwise.compute(spark, rows(cs), PairwiseMethod.gaussian(0),
                new SparkPairwise.Options(30, null, 0));
        long tiles = result.select("tile").distinct().count();
        assertTrue(tiles >= 30, "tiles " + tiles);
        assertEquals(tiles, result.javaRDD().getNumPartitions());
    }

    @Test
    void badInputIsRefusedOnTheDriver() {
        List<Row> rows = List.of(RowFactory.create(1L, 2, List.of(0.0, 1.0), null),
                RowFactory.create(1L, 2, List.of(1.0, 1.0), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkPairwise.compute(spark,
                spark.createDataFrame(rows, INPUT), PairwiseMethod.gaussian(0), SparkPairwise.Options.defaults()));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        List<Row> mixed = List.of(RowFactory.create(1L, 2, List.of(0.0, 1.0), null),
                RowFactory.create(2L, 1, List.of(1.0), null));
        e = assertThrows(IllegalArgumentException.class, () -> SparkPairwise.compute(spark,
                spark.createDataFrame(mixed, INPUT), PairwiseMethod.gaussian(0), SparkPairwise.Options.defaults()));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SparkPairwise.Options(-1, null, 0));
    }
}
