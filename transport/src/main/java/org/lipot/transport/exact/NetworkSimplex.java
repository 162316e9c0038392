package org.lipot.transport.exact;

import java.lang.System.Logger.Level;

import org.lipot.transport.Duality;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Solver;
import org.lipot.transport.SparsePlan;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.internal.CompensatedSum;
import org.lipot.transport.internal.Sorting;

/**
 * Exact optimal transport by the primal network simplex on the complete bipartite graph.
 *
 * <p>Solves the Kantorovich linear program
 * <pre>
 *   min_P  sum_ij P_ij C_ij   subject to  P >= 0,  sum_j P_ij = a_i,  sum_i P_ij = b_j
 * </pre>
 * and its dual {@code max sum_i a_i f_i + sum_j b_j g_j} subject to {@code f_i + g_j <= C_ij}. The result
 * carries the optimal value {@code <P, C>} (W_p^p for a cost {@code |x - y|^p}), a sparse plan with at most
 * {@code n + m - 1} non-zeros, and dual potentials with {@code f_i + g_j <= C_ij} on all pairs and equality on
 * the support, centred so that {@code sum a_i f_i = sum b_j g_j}.
 *
 * <p><b>Certificate.</b> {@link Status#OPTIMAL} is proved, not assumed. After the last pivot the potentials are
 * recomputed from exact costs along the tree, the returned potentials (zero-weight points repaired, centred) are
 * checked on all {@code n x m} pairs, and the largest violation {@code max(0, f_i + g_j - C_ij)} and the duality
 * gap are reported in {@link Solution#duality()}. A violation above {@code tolerance * max|C|} resumes pivoting
 * (within the pivot cap). The status is {@code OPTIMAL} only if the check passes; {@code MAX_ITERATIONS} if the cap
 * came first (the potentials are then not feasible); {@code NUMERICAL_ERROR} if a value or potential is not finite
 * or rounding alone keeps the violation above the tolerance.
 *
 * <p><b>Input checks.</b> Every cost {@code C_ij} is evaluated once before solving (to find {@code max|C|}); a NaN
 * or infinite cost, including one of a zero-weight point, is an {@link IllegalArgumentException} naming the pair.
 * The weight totals agree to {@link TransportProblem#TOTAL_TOLERANCE} (the problem checked); within it the target
 * weights are scaled by {@code sum a / sum b} so that the network balances, and the reported marginal error,
 * measured against the weights as given, includes that scaling.
 *
 * <p><b>Method.</b> The basis is a spanning tree stored in primitive arrays (parent, preorder thread, depth,
 * subtree size, potentials). The start is a feasible basis built greedily from the cheapest arcs of each row
 * (or, with a warm start, the arcs of smallest reduced cost), completed by the north-west corner rule.
 * Entering arcs are chosen by block search (blocks of about {@code sqrt(n m)} arcs); the leaving arc by
 * Cunningham's rule on a strongly feasible tree, which prevents cycling on degenerate problems such as
 * assignments. Points with zero weight are removed before solving; their duals are repaired afterwards by
 * c-transforms so that complementary slackness and dual feasibility hold for all points.
 *
 * <p><b>Memory.</b> The cost matrix is cached densely when {@code n m} is at most {@link Builder#denseLimit}
 * entries (default 2^25, 256 MB; at most {@link CostMatrix#MAX_ENTRIES}); above, costs are recomputed from the
 * geometry on demand, and memory is {@code O(n + m)} besides the geometry. Arc indices are {@code long}, so lazy
 * problems may have {@code n m} above {@code 2^31}.
 *
 * <p>Immutable and thread-safe: one instance can solve many problems concurrently.
 */
public final class NetworkSimplex implements Solver<Solution> {

    private static final System.Logger LOG = System.getLogger(NetworkSimplex.class.getName());

    private final long maxIterations;
    private final long denseLimit;
    private final double tolerance;

    private NetworkSimplex(Builder b) {
        this.maxIterations = b.maxIterations;
        this.denseLimit = b.denseLimit;
        this.tolerance = b.tolerance;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configuration of {@link NetworkSimplex}. */
    public static final class Builder {
        private long maxIterations = 0;
        private long denseLimit = 1L << 25;
        private double tolerance = 1e-13;

        private Builder() {
        }

        /**
         * The pivot cap. The default (0) scales with the problem: {@code max(10^6, 50 (n + m) log2(n + m))} pivots,
         * far above what optimal solutions need (about {@code 3 (n + m)} for random point clouds), so that the cap
         * only catches pathologies. Reaching it gives {@link Status#MAX_ITERATIONS} and a logged warning.
         */
        public Builder maxIterations(long maxIterations) {
            if (maxIterations < 0) {
                throw new IllegalArgumentException("maxIterations must be >= 0 (0 = scale with size), got " + maxIterations);
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Largest {@code n m} for which the costs are cached in a dense array (8 bytes each); larger problems
         * recompute costs from the geometry on demand. 0 forces the lazy mode.
         *
         * @throws IllegalArgumentException if negative or above {@link CostMatrix#MAX_ENTRIES} (one Java array)
         */
        public Builder denseLimit(long entries) {
            if (entries < 0 || entries > CostMatrix.MAX_ENTRIES) {
                throw new IllegalArgumentException("denseLimit must be in [0, " + CostMatrix.MAX_ENTRIES
                        + "] (the largest Java array), got " + entries);
            }
            this.denseLimit = entries;
            return this;
        }

        /**
         * Optimality tolerance relative to the largest absolute cost: an arc enters only if its reduced cost is
         * below {@code -tolerance * max|C|}, and {@link Status#OPTIMAL} requires the returned potentials to violate
         * no pair by more than {@code tolerance * max|C|}. The returned value is then within
         * {@code tolerance * max|C| * mass} of the optimum. Default 1e-13; values below about 1e-15 may be
         * unprovable in double precision (status {@link Status#NUMERICAL_ERROR} with the measured violation).
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0) || !(tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        public NetworkSimplex build() {
            return new NetworkSimplex(this);
        }
    }

    /** Solves a problem from a greedy start. */
    @Override
    public Solution solve(TransportProblem problem) {
        return solve(problem, null, null);
    }

    /**
     * Solves a problem, starting from a basis built on the arcs of smallest reduced cost
     * {@code C_ij - f_i - g_j} for the given potentials (for example the duals of a nearby problem).
     *
     * @param f source potentials (length n), or null for a cold start
     * @param g target potentials (length m), or null for a cold start
     */
    public Solution solve(TransportProblem problem, double[] f, double[] g) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if ((f == null) != (g == null)) {
            throw new IllegalArgumentException("warm start needs both source and target potentials");
        }
        if (f != null) {
            checkPotentials("source potentials", f, problem.sourceCount());
            checkPotentials("target potentials", g, problem.targetCount());
        }
        return new Run(problem, f, g).solve();
    }

    private static void checkPotentials(String name, double[] p, int expected) {
        if (p.length != expected) {
            throw new IllegalArgumentException(name + " have length " + p.length + " but the problem has " + expected + " points");
        }
        for (int i = 0; i < p.length; i++) {
            if (!Double.isFinite(p[i])) {
                throw new IllegalArgumentException(name + ": entry " + i + " is " + p[i]);
            }
        }
    }

    /** One solve: all mutable state lives here. */
    private final class Run {
        private final TransportProblem problem;
        private final Geometry geometry;
        private final double[] warmF;
        private final double[] warmG;

        // compacted problem (zero weights removed)
        private final int ns;
        private final int nt;
        private final int[] srcIndex;   // compact source -> original
        private final int[] tgtIndex;   // compact target -> original
        private final int[] srcPos;     // original source -> compact, or -1 for a zero weight
        private final int[] tgtPos;     // original target -> compact, or -1
        private final double[] supply;  // a (compact)
        private final double[] demand;  // b (compact), scaled so both totals agree
        private final double[] dense;   // compact costs row-major, or null in lazy mode

        // spanning tree over nodes 0..ns-1 (sources), ns..ns+nt-1 (targets), root = ns+nt
        private final int root;
        private final int[] parent;
        private final double[] flow;    // flow on the arc between a node and its parent
        private final double[] pi;      // node potentials: reduced cost of i->t is C - pi[i] + pi[t]
        private final int[] thread;     // preorder successor (circular through the root)
        private final int[] revThread;
        private final int[] depth;
        private final int[] subtree;    // subtree sizes
        private final int[] seg;        // scratch: old preorder of the moved subtree
        private final int[] order;      // scratch: its new preorder
        private final int[] pos;        // scratch: position of a node in seg
        private final int[] stem;       // scratch: path from the entering node to the leaving node

        private double maxAbsCost;
        private double eps;
        private long blockSize;
        private long nextArc;

        Run(TransportProblem problem, double[] f, double[] g) {
            this.problem = problem;
            this.geometry = problem.geometry();
            Marginals a = problem.source();
            Marginals b = problem.target();
            srcPos = compactPositions(a);
            tgtPos = compactPositions(b);
            srcIndex = originals(srcPos);
            tgtIndex = originals(tgtPos);
            ns = srcIndex.length;
            nt = tgtIndex.length;
            supply = new double[ns];
            demand = new double[nt];
            for (int i = 0; i < ns; i++) {
                supply[i] = a.get(srcIndex[i]);
            }
            double scale = a.total() / b.total(); // within 1e-9 of 1 (TransportProblem checked)
            for (int j = 0; j < nt; j++) {
                demand[j] = b.get(tgtIndex[j]) * scale;
            }
            warmF = f;
            warmG = g;
            long arcs = (long) ns * nt;
            dense = arcs <= denseLimit ? new double[ns * nt] : null; // ns nt <= denseLimit <= MAX_ENTRIES
            root = ns + nt;
            int nodes = root + 1;
            parent = new int[nodes];
            flow = new double[nodes];
            pi = new double[nodes];
            thread = new int[nodes];
            revThread = new int[nodes];
            depth = new int[nodes];
            subtree = new int[nodes];
            seg = new int[nodes];
            order = new int[nodes];
            pos = new int[nodes];
            stem = new int[nodes];
            blockSize = Math.max(10, (long) Math.ceil(Math.sqrt((double) arcs)));
        }

        /** For each point, its index among the points of positive weight, or -1. */
        private int[] compactPositions(Marginals w) {
            int[] at = new int[w.size()];
            int k = 0;
            for (int i = 0; i < at.length; i++) {
                at[i] = w.get(i) > 0 ? k++ : -1;
            }
            return at;
        }

        private int[] originals(int[] at) {
            int[] idx = new int[at.length];
            int k = 0;
            for (int i = 0; i < at.length; i++) {
                if (at[i] >= 0) {
                    idx[k++] = i;
                }
            }
            return java.util.Arrays.copyOf(idx, k);
        }

        /**
         * Evaluates every cost once, zero-weight points included (their duals are repaired from their costs),
         * filling the dense cache if there is one.
         *
         * @return {@code max|C_ij|}
         * @throws IllegalArgumentException at the first cost that is NaN or infinite
         */
        private double scanCosts() {
            double maxAbs = 0;
            for (int i = 0; i < srcPos.length; i++) {
                int ci = srcPos[i];
                for (int j = 0; j < tgtPos.length; j++) {
                    double c = geometry.cost(i, j);
                    if (!Double.isFinite(c)) {
                        throw new IllegalArgumentException("cost C(" + i + ", " + j + ") is " + c
                                + ": the geometry's costs must be finite (" + geometry + ")");
                    }
                    maxAbs = Math.max(maxAbs, Math.abs(c));
                    int cj = tgtPos[j];
                    if (dense != null && ci >= 0 && cj >= 0) {
                        dense[ci * nt + cj] = c;
                    }
                }
            }
            return maxAbs;
        }

        private double cost(int i, int j) {
            return dense != null ? dense[i * nt + j] : geometry.cost(srcIndex[i], tgtIndex[j]);
        }

        Solution solve() {
            maxAbsCost = scanCosts();
            eps = tolerance * maxAbsCost;
            buildInitialTree();
            long cap = maxIterations > 0 ? maxIterations
                    : Math.max(1_000_000L, 50L * root * (64 - Long.numberOfLeadingZeros(root)));
            long pivots = 0;
            while (true) {
                long arc = findEnteringArc();
                if (arc < 0 || pivots == cap) {
                    // Certify: pricing used potentials updated pivot by pivot, whose rounding can hide a violated
                    // arc, so recompute them from exact costs and check the returned duals on every pair.
                    recomputePotentials();
                    Duals duals = duals();
                    if (duals.feasible() || pivots == cap || !duals.finite()) {
                        return result(pivots, duals, cap);
                    }
                    arc = findEnteringArc(); // resume from the exact potentials
                    if (arc < 0) {
                        return result(pivots, duals, cap); // only rounding of the returned potentials violates
                    }
                }
                pivot((int) (arc / nt), ns + (int) (arc % nt));
                pivots++;
            }
        }

        // ---------------------------------------------------------------- initial basis

        /**
         * A feasible forest of positive-flow arcs: greedy over each row's cheapest arcs (by reduced cost under
         * the warm-start potentials, if any), then north-west corner on what remains. Every allocation exhausts
         * its row or its column, so the arcs form a forest; each tree of it hangs from the root by an
         * artificial arc that points into the root and so can never carry flow.
         */
        private void buildInitialTree() {
            double[] ra = supply.clone();
            double[] rb = demand.clone();
            int perRow = 4;
            int cand = ns * perRow;
            int[] ci = new int[cand];
            int[] cj = new int[cand];
            double[] cr = new double[cand];
            int count = 0;
            double[] bestR = new double[perRow];
            int[] bestJ = new int[perRow];
            for (int i = 0; i < ns; i++) {
                int k = 0;
                double fi = warmF == null ? 0 : warmF[srcIndex[i]];
                for (int j = 0; j < nt; j++) {
                    double r = cost(i, j) - fi - (warmG == null ? 0 : warmG[tgtIndex[j]]);
                    if (k < perRow || r < bestR[k - 1]) {
                        int p = k < perRow ? k++ : perRow - 1;
                        while (p > 0 && bestR[p - 1] > r) {
                            bestR[p] = bestR[p - 1];
                            bestJ[p] = bestJ[p - 1];
                            p--;
                        }
                        bestR[p] = r;
                        bestJ[p] = j;
                    }
                }
                for (int t = 0; t < k; t++) {
                    ci[count] = i;
                    cj[count] = bestJ[t];
                    cr[count] = bestR[t];
                    count++;
                }
            }
            int[] byCost = Sorting.argsort(java.util.Arrays.copyOf(cr, count));
            int[] arcSrc = new int[root];
            int[] arcTgt = new int[root];
            double[] arcFlow = new double[root];
            int arcs = 0;
            for (int t : byCost) {
                int i = ci[t];
                int j = cj[t];
                if (ra[i] > 0 && rb[j] > 0) {
                    double amount = Math.min(ra[i], rb[j]);
                    arcSrc[arcs] = i;
                    arcTgt[arcs] = j;
                    arcFlow[arcs++] = amount;
                    exhaust(ra, i, rb, j, amount);
                }
            }
            int i = 0;
            int j = 0;
            while (true) {
                while (i < ns && ra[i] <= 0) {
                    i++;
                }
                while (j < nt && rb[j] <= 0) {
                    j++;
                }
                if (i == ns || j == nt) {
                    break;
                }
                double amount = Math.min(ra[i], rb[j]);
                arcSrc[arcs] = i;
                arcTgt[arcs] = j;
                arcFlow[arcs++] = amount;
                exhaust(ra, i, rb, j, amount);
            }
            // Rounding can leave a residual of a few ulps on one side when the other is exhausted; it stays
            // unallocated and shows up in the reported marginal error.
            buildTree(arcSrc, arcTgt, arcFlow, arcs);
        }

        private void exhaust(double[] ra, int i, double[] rb, int j, double amount) {
            if (ra[i] <= rb[j]) {
                rb[j] -= amount;
                ra[i] = 0;
            } else {
                ra[i] -= amount;
                rb[j] = 0;
            }
        }

        /** Builds parent, thread, depth, subtree sizes and potentials from a forest of arcs. */
        private void buildTree(int[] arcSrc, int[] arcTgt, double[] arcFlow, int arcs) {
            int nodes = root;
            int[] degree = new int[nodes + 1];
            for (int e = 0; e < arcs; e++) {
                degree[arcSrc[e]]++;
                degree[ns + arcTgt[e]]++;
            }
            int[] start = new int[nodes + 1];
            for (int u = 0; u < nodes; u++) {
                start[u + 1] = start[u] + degree[u];
            }
            int[] adj = new int[2 * arcs];
            int[] fill = start.clone();
            for (int e = 0; e < arcs; e++) {
                adj[fill[arcSrc[e]]++] = e;
                adj[fill[ns + arcTgt[e]]++] = e;
            }
            boolean[] seen = new boolean[nodes];
            int[] stack = new int[nodes];
            int last = root;
            parent[root] = -1;
            depth[root] = 0;
            pi[root] = 0;
            int preorderCount = 0;
            for (int s = 0; s < nodes; s++) {
                if (seen[s]) {
                    continue;
                }
                seen[s] = true;
                parent[s] = root;
                flow[s] = 0;
                pi[s] = 0;
                depth[s] = 1;
                int top = 0;
                stack[top++] = s;
                while (top > 0) {
                    int u = stack[--top];
                    thread[last] = u;
                    revThread[u] = last;
                    last = u;
                    seg[preorderCount++] = u;
                    for (int k = start[u]; k < start[u + 1]; k++) {
                        int e = adj[k];
                        int i = arcSrc[e];
                        int t = ns + arcTgt[e];
                        int v = u == i ? t : i;
                        if (seen[v]) {
                            continue;
                        }
                        seen[v] = true;
                        parent[v] = u;
                        flow[v] = arcFlow[e];
                        depth[v] = depth[u] + 1;
                        double c = cost(i, arcTgt[e]);
                        pi[v] = v == t ? pi[i] - c : c + pi[t];
                        stack[top++] = v;
                    }
                }
            }
            thread[last] = root;
            revThread[root] = last;
            java.util.Arrays.fill(subtree, 1);
            for (int k = preorderCount - 1; k >= 0; k--) {
                int u = seg[k];
                subtree[parent[u]] += subtree[u];
            }
        }

        // ---------------------------------------------------------------- pricing

        /** Block search: the most negative reduced cost in the first block that has one, or -1 if optimal. */
        private long findEnteringArc() {
            long total = (long) ns * nt;
            long scanned = 0;
            long best = -1;
            double bestR = -eps;
            long arc = nextArc;
            int i = (int) (arc / nt);
            int j = (int) (arc % nt);
            long blockEnd = blockSize;
            while (scanned < total) {
                // scan the rest of row i, or up to the block end
                int jEnd = (int) Math.min(nt, j + (blockEnd - scanned));
                double pii = pi[i];
                if (dense != null) {
                    int off = i * nt;
                    for (int jj = j; jj < jEnd; jj++) {
                        double r = dense[off + jj] - pii + pi[ns + jj];
                        if (r < bestR && !isTreeArc(i, ns + jj)) {
                            bestR = r;
                            best = (long) i * nt + jj;
                        }
                    }
                } else {
                    int oi = srcIndex[i];
                    for (int jj = j; jj < jEnd; jj++) {
                        double r = geometry.cost(oi, tgtIndex[jj]) - pii + pi[ns + jj];
                        if (r < bestR && !isTreeArc(i, ns + jj)) {
                            bestR = r;
                            best = (long) i * nt + jj;
                        }
                    }
                }
                scanned += jEnd - j;
                j = jEnd;
                if (j == nt) {
                    j = 0;
                    i = i + 1 == ns ? 0 : i + 1;
                }
                if (scanned >= blockEnd) {
                    if (best >= 0) {
                        nextArc = (long) i * nt + j;
                        return best;
                    }
                    blockEnd += blockSize;
                }
            }
            nextArc = (long) i * nt + j;
            return best;
        }

        private boolean isTreeArc(int i, int t) {
            return parent[i] == t || parent[t] == i;
        }

        /** True if the arc between a node and its parent points up (node -> parent). */
        private boolean up(int u) {
            return u < ns || parent[u] == root;
        }

        // ---------------------------------------------------------------- pivot

        /** Enters the arc from source node {@code u} to target node {@code v} and restores the tree. */
        private void pivot(int u, int v) {
            // the join (apex) of the cycle u -> v -> ... -> join -> ... -> u
            int x = u;
            int y = v;
            while (x != y) {
                if (depth[x] >= depth[y]) {
                    x = parent[x];
                } else {
                    y = parent[y];
                }
            }
            int join = x;
            // Leaving arc: the last blocking arc met when walking the cycle from the join in the direction of
            // the entering arc (Cunningham). On the path join -> u the walk goes down, so the last blocking arc
            // is the deepest: scanning up from u, keep the first minimum. On v -> join the walk goes up, so the
            // last is the highest: scanning up from v, keep the last minimum; it also wins ties against u's side.
            double deltaU = Double.POSITIVE_INFINITY;
            int outU = -1;
            for (int w = u; w != join; w = parent[w]) {
                if (up(w) && flow[w] < deltaU) {
                    deltaU = flow[w];
                    outU = w;
                }
            }
            double deltaV = Double.POSITIVE_INFINITY;
            int outV = -1;
            for (int w = v; w != join; w = parent[w]) {
                if (!up(w) && flow[w] <= deltaV) {
                    deltaV = flow[w];
                    outV = w;
                }
            }
            double delta;
            int out;
            int in;
            int other;
            if (outV >= 0 && deltaV <= deltaU) {
                delta = deltaV;
                out = outV;
                in = v;
                other = u;
            } else {
                delta = deltaU;
                out = outU;
                in = u;
                other = v;
            }
            if (delta > 0) {
                for (int w = u; w != join; w = parent[w]) {
                    flow[w] += up(w) ? -delta : delta;
                }
                for (int w = v; w != join; w = parent[w]) {
                    flow[w] += up(w) ? delta : -delta;
                }
            }
            flow[out] = 0; // exact zero on the leaving arc
            double r = cost(u, v - ns) - pi[u] + pi[v];
            double shift = in == u ? r : -r;
            moveSubtree(out, in, other, delta, shift, join);
        }

        /**
         * Cuts the subtree of {@code out} from its parent, re-roots it at {@code in} (reversing the stem from
         * {@code in} up to {@code out}), hangs it under {@code other} by the entering arc with flow
         * {@code delta}, and shifts its potentials by {@code shift}.
         */
        private void moveSubtree(int out, int in, int other, double delta, double shift, int join) {
            int oldParentOut = parent[out];
            int size = subtree[out];
            // old preorder of the subtree, and positions within it
            int first = out;
            for (int k = 0, w = first; k < size; k++, w = thread[w]) {
                seg[k] = w;
                pos[w] = k;
            }
            int lastOld = seg[size - 1];
            // stem: in = stem[0], ..., stem[len-1] = out
            int len = 0;
            for (int w = in; ; w = parent[w]) {
                stem[len++] = w;
                if (w == out) {
                    break;
                }
            }
            // new preorder: subtree of stem[0] as it was, then each stem node with its old subtree minus the
            // part already emitted
            int k = 0;
            int s0 = stem[0];
            for (int p = pos[s0], e = pos[s0] + subtree[s0]; p < e; p++) {
                order[k++] = seg[p];
            }
            for (int t = 1; t < len; t++) {
                int w = stem[t];
                int prev = stem[t - 1];
                for (int p = pos[w], e = pos[prev]; p < e; p++) {
                    order[k++] = seg[p];
                }
                for (int p = pos[prev] + subtree[prev], e = pos[w] + subtree[w]; p < e; p++) {
                    order[k++] = seg[p];
                }
            }
            // subtree sizes along the stem (uses old sizes of the lower stem node before overwriting)
            int below = 0;
            for (int t = len - 1; t >= 1; t--) {
                int w = stem[t];
                int newSize = subtree[w] - subtree[stem[t - 1]] + below;
                subtree[w] = newSize;
                below = newSize;
            }
            subtree[s0] = size;
            // reverse parents and flows along the stem
            for (int t = len - 1; t >= 1; t--) {
                parent[stem[t]] = stem[t - 1];
                flow[stem[t]] = flow[stem[t - 1]];
            }
            parent[s0] = other;
            flow[s0] = delta;
            // ancestors' subtree sizes
            for (int w = oldParentOut; w != join; w = parent[w]) {
                subtree[w] -= size;
            }
            for (int w = other; w != join; w = parent[w]) {
                subtree[w] += size;
            }
            // unlink the old segment from the thread, link the new one after `other`
            int before = revThread[first];
            int after = thread[lastOld];
            thread[before] = after;
            revThread[after] = before;
            int next = thread[other];
            int prevNode = other;
            for (int t = 0; t < size; t++) {
                int w = order[t];
                thread[prevNode] = w;
                revThread[w] = prevNode;
                prevNode = w;
                depth[w] = depth[parent[w]] + 1;
                pi[w] += shift;
            }
            thread[prevNode] = next;
            revThread[next] = prevNode;
        }

        // ---------------------------------------------------------------- result

        /**
         * The solution from the current tree and its checked duals: {@code OPTIMAL} only if the duals passed the
         * check, {@code MAX_ITERATIONS} if the cap stopped pivoting first, {@code NUMERICAL_ERROR} otherwise.
         */
        private Solution result(long pivots, Duals duals, long cap) {
            int n = srcPos.length;
            int m = tgtPos.length;
            // plan from the tree's real arcs with positive flow
            int[] rows = new int[root];
            int[] cols = new int[root];
            double[] mass = new double[root];
            int nnz = 0;
            CompensatedSum sum = new CompensatedSum();
            for (int w = 0; w < root; w++) {
                int p = parent[w];
                if (p == root || flow[w] <= 0) {
                    continue;
                }
                int i = w < ns ? w : p;
                int j = (w < ns ? p : w) - ns;
                rows[nnz] = srcIndex[i];
                cols[nnz] = tgtIndex[j];
                mass[nnz] = flow[w];
                nnz++;
                sum.add(flow[w] * cost(i, j));
            }
            double value = sum.value();
            SparsePlan plan = SparsePlan.of(n, m, java.util.Arrays.copyOf(rows, nnz), java.util.Arrays.copyOf(cols, nnz),
                    java.util.Arrays.copyOf(mass, nnz));
            double gap = Potentials.gap(value, duals.f(), duals.g(), problem.source(), problem.target());
            double marginalError = Potentials.marginalError(plan, problem.source(), problem.target());
            Status status;
            if (!Double.isFinite(value) || !duals.finite()) {
                status = Status.NUMERICAL_ERROR;
                LOG.log(Level.WARNING, "network simplex: the value or the potentials are not finite (costs up to "
                        + maxAbsCost + " overflow the double range along the tree)");
            } else if (duals.feasible()) {
                status = Status.OPTIMAL;
            } else if (pivots == cap) {
                status = Status.MAX_ITERATIONS;
                LOG.log(Level.WARNING, "network simplex stopped at the pivot cap " + cap
                        + " before optimality; the plan is feasible but may not be optimal (dual violation "
                        + duals.maxViolation() + ")");
            } else {
                status = Status.NUMERICAL_ERROR;
                LOG.log(Level.WARNING, "network simplex: rounding leaves a dual violation of " + duals.maxViolation()
                        + " above the tolerance " + eps + "; optimality is not proved");
            }
            return new Solution(value, plan, duals.f(), duals.g(), new Duality(duals.feasible(), duals.maxViolation(), gap),
                    pivots, marginalError, status);
        }

        /**
         * The potentials to return, by original index: from the tree, zero-weight points repaired, centred; then
         * checked on all {@code n x m} pairs.
         */
        private Duals duals() {
            double[] f = new double[srcPos.length];
            double[] g = new double[tgtPos.length];
            for (int i = 0; i < ns; i++) {
                f[srcIndex[i]] = pi[i];
            }
            for (int j = 0; j < nt; j++) {
                g[tgtIndex[j]] = -pi[ns + j];
            }
            repairPrunedDuals(f, g);
            Potentials.center(f, g, problem.source(), problem.target());
            double violation = Potentials.finite(f) && Potentials.finite(g) ? maxViolation(f, g) : Double.NaN;
            return new Duals(f, g, violation, violation <= eps);
        }

        /** {@code max(0, max_ij f_i + g_j - C_ij)} over all pairs; NaN if any term is NaN. */
        private double maxViolation(double[] f, double[] g) {
            double worst = 0;
            for (int i = 0; i < f.length; i++) {
                double fi = f[i];
                int ci = srcPos[i];
                if (dense != null && ci >= 0) {
                    for (int j = 0; j < g.length; j++) {
                        int cj = tgtPos[j];
                        double c = cj >= 0 ? dense[ci * nt + cj] : geometry.cost(i, j);
                        worst = Math.max(worst, fi + g[j] - c);
                    }
                } else {
                    for (int j = 0; j < g.length; j++) {
                        worst = Math.max(worst, fi + g[j] - geometry.cost(i, j));
                    }
                }
            }
            return worst;
        }

        /**
         * Potentials recomputed along the tree from exact costs (pivot updates accumulate rounding), each
         * component of the real forest anchored at 0.
         */
        private void recomputePotentials() {
            for (int w = thread[root]; w != root; w = thread[w]) {
                int p = parent[w];
                if (p == root) {
                    pi[w] = 0;
                } else if (w < ns) {
                    pi[w] = cost(w, p - ns) + pi[p];
                } else {
                    pi[w] = pi[p] - cost(p, w - ns);
                }
            }
        }

        /**
         * Duals of zero-weight points (removed before solving) by c-transforms: {@code f_i = min_j C_ij - g_j},
         * then {@code g_j = min_i C_ij - f_i} over all sources. Feasible for every pair, and complementary
         * slackness holds trivially because such points carry no mass.
         */
        private void repairPrunedDuals(double[] f, double[] g) {
            int n = f.length;
            int m = g.length;
            for (int i = 0; i < n; i++) {
                if (srcPos[i] >= 0) {
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    if (tgtPos[j] >= 0) {
                        best = Math.min(best, geometry.cost(i, j) - g[j]);
                    }
                }
                f[i] = best;
            }
            for (int j = 0; j < m; j++) {
                if (tgtPos[j] >= 0) {
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    best = Math.min(best, geometry.cost(i, j) - f[i]);
                }
                g[j] = best;
            }
        }
    }

    /** Potentials by original index and their check: the largest violation, and whether it is within tolerance. */
    private record Duals(double[] f, double[] g, double maxViolation, boolean feasible) {
        boolean finite() {
            return Double.isFinite(maxViolation);
        }
    }
}
