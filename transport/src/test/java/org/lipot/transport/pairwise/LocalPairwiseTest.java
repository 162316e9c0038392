package org.lipot.transport.pairwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Marginals;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.entropic.SinkhornDivergence;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.gaussian.BuresWasserstein;
import org.lipot.transport.gaussian.Gaussian;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.sliced.SlicedWasserstein;

/** The local executor against one-off solves, across thread counts and tilings, with failures and bad inputs. */
class LocalPairwiseTest {

    private static List<Cloud> clouds(int count, long seed, boolean weighted) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Cloud> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int n = 5 + rng.nextInt(30);
            double[][] p = new double[n][2];
            double[] w = weighted ? new double[n] : null;
            for (int i = 0; i < n; i++) {
                p[i][0] = rng.nextGaussian() + c * 0.1;
                p[i][1] = rng.nextGaussian() * (1 + 0.05 * c);
                if (weighted) {
                    w[i] = 0.1 + rng.nextDouble();
                }
            }
            out.add(Cloud.of(p, w));
        }
        return out;
    }

    private static TransportProblem problem(Cloud x, Cloud y, Cost cost) {
        return TransportProblem.of(PointCloud.of(x.points(), y.points(), cost), Marginals.of(x.weights()),
                Marginals.of(y.weights()));
    }

    @Test
    void everyMethodMatchesItsOneOffSolver() {
        List<Cloud> cs = clouds(7, 1, true);
        LocalPairwise local = LocalPairwise.builder().threads(2).build();
        PairwiseResult exact = local.symmetric(cs, PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN));
        PairwiseResult sliced = local.symmetric(clouds(7, 1, false), PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 20, 9));
        PairwiseResult gauss = local.symmetric(cs, PairwiseMethod.gaussian(0));
        PairwiseResult div = local.symmetric(cs, PairwiseMethod.sinkhornDivergence(Cost.SQUARED_EUCLIDEAN, 0.5, 1e-10,
                100_000));
        PairwiseResult ent = local.symmetric(cs, PairwiseMethod.sinkhorn(Cost.SQUARED_EUCLIDEAN, 0.5, 1e-10, 100_000));
        List<Cloud> uniform = clouds(7, 1, false);
        Sinkhorn sinkhorn = Sinkhorn.builder().epsilon(0.5).tolerance(1e-10).threads(1).build();
        for (int i = 0; i < cs.size(); i++) {
            assertEquals(0, exact.get(i, i));
            assertEquals(0, div.get(i, i));
            assertEquals(SinkhornDivergence.of(sinkhorn).self(cs.get(i).points(), Cost.SQUARED_EUCLIDEAN,
                    Marginals.of(cs.get(i).weights())).value(), ent.get(i, i), 0, "the entropic diagonal is computed");
            assertTrue(ent.get(i, i) > 0);
            for (int j = i + 1; j < cs.size(); j++) {
                TransportProblem p = problem(cs.get(i), cs.get(j), Cost.SQUARED_EUCLIDEAN);
                assertEquals(NetworkSimplex.builder().build().solve(p).value(), exact.get(i, j), 1e-12);
                assertEquals(exact.get(i, j), exact.get(j, i));
                TransportProblem q = problem(uniform.get(i), uniform.get(j), Cost.SQUARED_EUCLIDEAN);
                assertEquals(SlicedWasserstein.builder().projections(20).seed(9).build().solve(q).value(),
                        sliced.get(i, j), 1e-12);
                assertEquals(BuresWasserstein.between(Gaussian.fit(cs.get(i).points(), cs.get(i).weights(), 0),
                        Gaussian.fit(cs.get(j).points(), cs.get(j).weights(), 0)).value(), gauss.get(i, j), 1e-12);
                assertEquals(SinkhornDivergence.of(sinkhorn).solve(p).value(), div.get(i, j), 1e-9);
                assertEquals(sinkhorn.solve(p).value(), ent.get(i, j), 1e-9);
            }
        }
        assertEquals(21, exact.pairs());
        assertEquals(28, ent.pairs());
        assertTrue(exact.failures().isEmpty());
    }

    @Test
    void slicedWithWeightsMatchesTheOneOffSolver() {
        List<Cloud> cs = clouds(4, 3, true);
        PairwiseResult r = LocalPairwise.builder().build().symmetric(cs, PairwiseMethod.sliced(Cost.EUCLIDEAN, 15, 2));
        for (int i = 0; i < cs.size(); i++) {
            for (int j = i + 1; j < cs.size(); j++) {
                double one = SlicedWasserstein.builder().projections(15).seed(2).build()
                        .solve(problem(cs.get(i), cs.get(j), Cost.EUCLIDEAN)).value();
                assertEquals(one, r.get(i, j), 1e-12);
            }
        }
    }

    @Test
    void oneDimensionalPairsMatchTheMonotoneRearrangement() {
        SplittableRandom rng = new SplittableRandom(12);
        List<Cloud> cs = new ArrayList<>();
        List<double[]> raw = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            double[] x = new double[3 + rng.nextInt(40)];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian() * (1 + c) + c;
            }
            raw.add(x);
            cs.add(new Cloud(1, x, c % 2 == 0 ? null : java.util.stream.DoubleStream.generate(rng::nextDouble)
                    .limit(x.length).map(w -> w + 0.1).toArray()));
        }
        for (double p : new double[] {1, 2, 3}) {
            PairwiseResult r = LocalPairwise.builder().build().symmetric(cs, PairwiseMethod.oneDimensional(p));
            for (int i = 0; i < cs.size(); i++) {
                for (int j = i + 1; j < cs.size(); j++) {
                    double one = org.lipot.transport.exact.MonotoneRearrangement.builder().exponent(p).build()
                            .value(raw.get(i), cs.get(i).weights(), raw.get(j), cs.get(j).weights());
                    assertEquals(one, r.get(i, j), 1e-12 * Math.max(1, one), "p " + p);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalPairwise.builder().build()
                .symmetric(clouds(2, 1, false), PairwiseMethod.oneDimensional(2)));
        assertTrue(e.getMessage().contains("dimension 1"), e.getMessage());
    }

    @Test
    void theMatrixDoesNotDependOnThreadsOrTiles() {
        List<Cloud> cs = clouds(23, 4, true);
        PairwiseMethod<?> method = PairwiseMethod.sinkhornDivergence(Cost.SQUARED_EUCLIDEAN, 0.3, 1e-9, 100_000);
        double[] one = LocalPairwise.builder().threads(1).tilesPerThread(1).build().symmetric(cs, method).values();
        double[] two = LocalPairwise.builder().threads(2).tilesPerThread(8).build().symmetric(cs, method).values();
        double[] many = LocalPairwise.builder().threads(2).tilesPerThread(100).build().symmetric(cs, method).values();
        assertArrayEquals(one, two);
        assertArrayEquals(one, many);
    }

    @Test
    void crossIsABlockOfTheSymmetricMatrix() {
        List<Cloud> cs = clouds(9, 5, false);
        PairwiseMethod<?> method = PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 10, 1);
        PairwiseResult all = LocalPairwise.builder().build().symmetric(cs, method);
        PairwiseResult block = LocalPairwise.builder().tilesPerThread(3).build()
                .cross(cs.subList(0, 4), cs.subList(4, 9), method);
        assertEquals(4, block.rows());
        assertEquals(5, block.columns());
        assertEquals(20, block.pairs());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(all.get(i, 4 + j), block.get(i, j));
            }
        }
    }

    @Test
    void pairsThatDoNotConvergeAreNaNAndListed() {
        List<Cloud> cs = clouds(4, 6, false);
        int[] progress = {0};
        PairwiseResult r = LocalPairwise.builder().progress((done, total) -> progress[0] = Math.max(progress[0], done))
                .build().symmetric(cs, PairwiseMethod.sinkhorn(Cost.SQUARED_EUCLIDEAN, 1e-3, 1e-14, 2));
        // two sweeps at eps 1e-3 do not converge between clouds; each cloud's self term (the diagonal) does, since
        // its points are far apart at that epsilon
        assertEquals(6, r.failures().size());
        for (PairwiseResult.Failure f : r.failures()) {
            assertEquals(Status.MAX_ITERATIONS, f.status());
            assertTrue(Double.isNaN(r.get(f.row(), f.column())) && Double.isNaN(r.get(f.column(), f.row())));
            assertTrue(f.row() < f.column());
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isFinite(r.get(i, i)));
        }
        assertEquals(r.tiles(), progress[0]);
    }

    @Test
    void badInputsNameTheArgument() {
        LocalPairwise local = LocalPairwise.builder().build();
        PairwiseMethod<?> m = PairwiseMethod.gaussian(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> local.symmetric(List.of(), m));
        assertTrue(e.getMessage().contains("clouds"));
        List<Cloud> mixed = List.of(Cloud.of(new double[][] {{0, 0}}, null), Cloud.of(new double[][] {{0}}, null));
        e = assertThrows(IllegalArgumentException.class, () -> local.symmetric(mixed, m));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> local.symmetric(clouds(2, 1, false), null));
        assertTrue(e.getMessage().contains("method"));
        e = assertThrows(IllegalArgumentException.class, () -> new Cloud(2, new double[] {1, 2, 3}, null));
        assertTrue(e.getMessage().contains("coordinates"));
        e = assertThrows(IllegalArgumentException.class, () -> new Cloud(1, new double[] {1, 2}, new double[] {0, 0}));
        assertTrue(e.getMessage().contains("weights"));
        e = assertThrows(IllegalArgumentException.class, () -> PairwiseMethod.sliced(Cost.lpPower(3), 5, 0));
        assertTrue(e.getMessage().contains("sqeuclidean"));
        e = assertThrows(IllegalArgumentException.class, () -> LocalPairwise.builder().threads(0));
        assertTrue(e.getMessage().contains("threads"));
    }
}
