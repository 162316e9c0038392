package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lipot.transport.Marginals;
import org.lipot.transport.PlanResult;
import org.lipot.transport.Solution;
import org.lipot.transport.TransportPlan;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.TransportResult;
import org.lipot.transport.entropic.DivergenceResult;
import org.lipot.transport.entropic.EntropicSolution;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.entropic.SinkhornDivergence;
import org.lipot.transport.entropic.UnbalancedResult;
import org.lipot.transport.entropic.UnbalancedSinkhorn;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.gaussian.BuresWasserstein;
import org.lipot.transport.gaussian.GaussianResult;
import org.lipot.transport.sliced.MaxSlicedResult;
import org.lipot.transport.sliced.MaxSlicedWasserstein;
import org.lipot.transport.sliced.SlicedResult;
import org.lipot.transport.sliced.SlicedWasserstein;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.ArrayFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lipot ot}: the transport cost between two point clouds read from {@code .npy} or {@code .csv} files.
 * Implements the contract of {@code shared/bench/ot/README.md}: with {@code --json} the last line of stdout is one
 * JSON object with {@code method, n, m, value, seconds_min, seconds_median, iterations, marginal_error, converged}.
 * {@code value} is always {@code <P, C>} under {@code --cost} ({@code W_2^2} for {@code sqeuclidean}), never its root,
 * except for {@code sinkhorn-divergence}, whose value is the debiased divergence {@code S_eps} of
 * {@link SinkhornDivergence}.
 */
@Command(name = "ot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Optimal transport cost between two point clouds (.npy or .csv, one point per row).",
                "The value is <P, C> under --cost: W_2^2 for sqeuclidean, W_1 for euclidean, W_p^p for lp:P.",
                "Exit status: 0 solved; 1 not converged or numerical error (the status is printed with the result);",
                "2 bad usage or input (one line, before any work); 3 internal error (stack trace with --debug)."})
final class OtCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The progress bar of sinkhorn solves without {@code --json}, else null. */
    private SinkhornProgressBar progressBar;

    @Option(names = "--source", required = true, paramLabel = "FILE", description = "source points, n x d")
    Path source;

    @Option(names = "--target", required = true, paramLabel = "FILE", description = "target points, m x d")
    Path target;

    @Option(names = "--source-weights", paramLabel = "FILE", description = "source weights, length n (default uniform)")
    Path sourceWeights;

    @Option(names = "--target-weights", paramLabel = "FILE", description = "target weights, length m (default uniform)")
    Path targetWeights;

    @Option(names = "--normalize", description = "rescale both weight vectors to total 1 (otherwise their totals must agree)")
    boolean normalize;

    @Option(names = "--method", defaultValue = "exact", paramLabel = "NAME",
            description = "exact (network simplex), 1d (monotone rearrangement, d = 1), sinkhorn (entropic, needs --eps),"
                    + " sinkhorn-divergence (debiased S_eps, same options as sinkhorn), gaussian (W_2^2 between the"
                    + " Gaussians fitted to the clouds, Bures-Wasserstein, sqeuclidean only), sliced (SW_p^p over"
                    + " random directions, sqeuclidean or euclidean), max-sliced (the largest 1-D cost, by ascent"
                    + " from the best of --projections random directions) or unbalanced (entropic with KL-relaxed"
                    + " marginals, needs --eps and --tau; the value is <P, C>); default ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--projections", paramLabel = "K",
            description = "with --method sliced or max-sliced: the number of random directions; default 50")
    Integer projections;

    @Option(names = "--qmc", description = "with --method sliced: quasi-Monte-Carlo (Sobol) directions instead of random")
    boolean qmc;

    @Option(names = "--seed", paramLabel = "S",
            description = "with --method sliced or max-sliced: the seed of the directions; default 0")
    Long seed;

    @Option(names = "--tau", paramLabel = "T",
            description = "with --method unbalanced: the KL weight on both marginals (Infinity: a hard constraint)")
    Double tau;

    @Option(names = "--tau-a", paramLabel = "T", description = "with --method unbalanced: the KL weight on the source"
            + " marginal (with --tau-b instead of --tau; a missing one is Infinity)")
    Double tauA;

    @Option(names = "--tau-b", paramLabel = "T", description = "with --method unbalanced: the KL weight on the target"
            + " marginal")
    Double tauB;

    @Option(names = "--product-reference", description = "with --method unbalanced: the entropy relative to a b^T"
            + " (OTT-JAX, GeomLoss) instead of the counting measure (POT)")
    boolean productReference;

    @Option(names = "--ridge", paramLabel = "R",
            description = "with --method gaussian: added to the diagonal of both fitted covariances (squared units); default 0")
    Double ridge;

    @Option(names = "--cost", defaultValue = "sqeuclidean", paramLabel = "NAME",
            description = "sqeuclidean |x-y|^2, euclidean |x-y|, or lp:P for |x-y|_P^P; default ${DEFAULT-VALUE}")
    String cost;

    @Option(names = "--max-iter", paramLabel = "N",
            description = {"exact: pivot cap (default max(1e6, 50 (n+m) log2(n+m)))",
                    "sinkhorn: sweep cap (default 100000)"})
    Long maxIterations;

    @Option(names = "--eps", paramLabel = "E",
            description = "sinkhorn: the regularisation, absolute in the cost's units (required)")
    Double eps;

    @Option(names = "--tol", paramLabel = "T",
            description = "sinkhorn: stop once the L1 column-marginal violation is below T (default 1e-9)")
    Double tol;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "sinkhorn: auto (default), kernel, log, online (log-domain, costs from the points), or "
                    + "multiscale (coarse-to-fine with kernel truncation; sqeuclidean only)")
    String mode;

    @Option(names = "--check-period", paramLabel = "K",
            description = "sinkhorn: evaluate the stopping rule every K sweeps (default 10; 1 stops at the first sweep"
                    + " below --tol)")
    Integer checkPeriod;

    @Option(names = "--precision", paramLabel = "P",
            description = "sinkhorn: float64 (default) or float32, the storage of the kernel in modes kernel and auto"
                    + " (half the memory; potentials and sums stay float64)")
    String precision;

    /** How long a solve runs before its progress bar appears (hidden: tests set 0). */
    @Option(names = "--progress-delay", hidden = true, defaultValue = "1000", paramLabel = "MS")
    long progressDelayMillis;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
            description = "timed repeats after one untimed warm-up; default ${DEFAULT-VALUE}")
    int repeat;

    @Option(names = "--json", description = {"print one JSON object (the bench contract) as the last line",
            "(without it, a sinkhorn solve longer than a second shows a progress bar on stderr)"})
    boolean json;

    @Option(names = "--plan-out", paramLabel = "FILE",
            description = "write the plan's non-zeros as rows (i, j, mass) to .npy or .csv")
    Path planOut;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw points and plan (2-D inputs)")
    Path plot;

    @Override
    public Integer call() {
        // every option is checked before a file is read or a solve starts
        Cost c = Cost.named(cost);
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        boolean divergence = method.equals("sinkhorn-divergence");
        boolean gaussian = method.equals("gaussian");
        boolean sliced = method.equals("sliced") || method.equals("max-sliced");
        boolean unbalanced = method.equals("unbalanced");
        if (!method.equals("exact") && !method.equals("1d") && !method.equals("sinkhorn") && !divergence && !gaussian
                && !sliced && !unbalanced) {
            throw new IllegalArgumentException("--method: unknown method '" + method
                    + "' (available: exact, 1d, sinkhorn, sinkhorn-divergence, gaussian, sliced, max-sliced, unbalanced)");
        }
        if (!unbalanced && productReference) {
            throw new IllegalArgumentException("--product-reference applies to --method unbalanced only, not to "
                    + method);
        }
        if (!unbalanced && (tau != null || tauA != null || tauB != null)) {
            throw new IllegalArgumentException("--tau, --tau-a and --tau-b apply to --method unbalanced only, not to "
                    + method);
        }
        UnbalancedSinkhorn relaxed = unbalanced ? unbalanced() : null;
        if (sliced && (planOut != null || plot != null || maxIterations != null)) {
            throw new IllegalArgumentException("--method " + method + " has no plan and no iteration cap: it takes no "
                    + (planOut != null ? "--plan-out" : plot != null ? "--plot" : "--max-iter"));
        }
        if (qmc && !method.equals("sliced")) {
            throw new IllegalArgumentException("--qmc applies to --method sliced only, not to " + method);
        }
        if ((projections != null || seed != null) && !sliced) {
            throw new IllegalArgumentException((projections != null ? "--projections" : "--seed")
                    + " applies to --method sliced and max-sliced only, not to " + method);
        }
        org.lipot.transport.Solver<?> slicer = null;
        if (sliced) {
            if (c != Cost.SQUARED_EUCLIDEAN && c != Cost.EUCLIDEAN) {
                throw new IllegalArgumentException("--method " + method + " needs --cost sqeuclidean or euclidean, got "
                        + c);
            }
            int k = projections == null ? 50 : projections;
            long s0 = seed == null ? 0 : seed;
            slicer = method.equals("sliced")
                    ? SlicedWasserstein.builder().projections(k).seed(s0).quasiMonteCarlo(qmc).build()
                    : MaxSlicedWasserstein.builder().starts(k).seed(s0).build();
        }
        if (gaussian && (planOut != null || plot != null || maxIterations != null || c != Cost.SQUARED_EUCLIDEAN)) {
            throw new IllegalArgumentException("--method gaussian is a closed form under --cost sqeuclidean: it takes no "
                    + (c != Cost.SQUARED_EUCLIDEAN ? "--cost " + c : planOut != null ? "--plan-out" : plot != null
                    ? "--plot" : "--max-iter"));
        }
        if (ridge != null && !gaussian) {
            throw new IllegalArgumentException("--ridge applies to --method gaussian only, not to " + method);
        }
        BuresWasserstein bures = gaussian ? BuresWasserstein.builder().ridge(ridge == null ? 0 : ridge).build() : null;
        boolean sinkhorn = method.equals("sinkhorn") || divergence;
        if (divergence && (planOut != null || plot != null)) {
            throw new IllegalArgumentException((planOut != null ? "--plan-out" : "--plot")
                    + " needs one plan, and sinkhorn-divergence has three");
        }
        if (maxIterations != null && method.equals("1d")) {
            throw new IllegalArgumentException("--max-iter applies to --method exact and sinkhorn, not to 1d");
        }
        if (maxIterations != null && maxIterations < (sinkhorn || unbalanced ? 1 : 0)) {
            throw new IllegalArgumentException("--max-iter must be >= " + (sinkhorn || unbalanced ? "1"
                    : "0 (0: scale with the size)")
                    + ", got " + maxIterations);
        }
        if (!sinkhorn) {
            String[] names = {"--eps", "--tol", "--mode", "--check-period", "--precision"};
            Object[] values = {unbalanced ? null : eps, unbalanced ? null : tol, mode, checkPeriod, precision};
            for (int k = 0; k < names.length; k++) {
                if (values[k] != null) {
                    throw new IllegalArgumentException(names[k] + " applies to --method sinkhorn only, not to " + method);
                }
            }
        }
        Sinkhorn sinkhornSolver = sinkhorn ? sinkhorn() : null;
        if ("multiscale".equals(mode) && c != Cost.SQUARED_EUCLIDEAN) {
            throw new IllegalArgumentException("--mode multiscale needs --cost sqeuclidean, got " + c);
        }
        OutputFiles.checkFolder("--plan-out", planOut);
        OutputFiles.checkFolder("--plot", plot);
        if (planOut != null) {
            ArrayFiles.checkWritable(planOut);
        }
        double[][] x = ArrayFiles.readAny(source).toMatrix("source points " + source);
        double[][] y = ArrayFiles.readAny(target).toMatrix("target points " + target);
        double[] a = sourceWeights == null ? null : ArrayFiles.readAny(sourceWeights).toVector("source weights " + sourceWeights);
        double[] b = targetWeights == null ? null : ArrayFiles.readAny(targetWeights).toVector("target weights " + targetWeights);
        if (plot != null) {
            PlanPlot.checkDrawable(x, y);
        }
        Solver solver = solver(c, x, a, y, b, sinkhornSolver, bures, slicer, relaxed);

        TimedRuns<TransportResult> timed = TimedRuns.of(solver::solve, repeat, progressBar, method);
        TransportResult s = timed.result();

        if (planOut != null) {
            ArrayFiles.write(planOut, planRows(((PlanResult) s).plan()));
        }
        if (plot != null) {
            PlanPlot.write(plot, x, y, ((PlanResult) s).plan(), method + " plan, " + c + " cost, value " + format(s.value()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("cost", c.toString());
            m.put("n", x.length);
            m.put("m", y.length);
            m.put("value", s.value());
            m.put("seconds_min", timed.minSeconds());
            m.put("seconds_median", timed.medianSeconds());
            m.put("iterations", s.iterations());
            m.put("marginal_error", s instanceof EntropicSolution e ? e.columnMarginalError()
                    : s instanceof DivergenceResult d ? columnError(d)
                    : s instanceof GaussianResult || s instanceof SlicedResult || s instanceof MaxSlicedResult ? 0.0
                    : s instanceof UnbalancedResult u ? columnL1(u, b, y.length)
                    : ((PlanResult) s).marginalError());
            m.put("converged", s.converged());
            m.put("status", s.status().name());
            if (s instanceof EntropicSolution e) {
                m.put("epsilon", e.epsilon());
                m.put("entropic_objective", e.entropicObjective());
                m.put("marginal_error_rows_and_columns", e.marginalError());
                m.put("relaxation", e.relaxation());
            } else if (s instanceof DivergenceResult d) {
                m.put("epsilon", d.cross().epsilon());
                m.put("cross_term", d.crossTerm());
                m.put("source_self_term", d.sourceSelfTerm());
                m.put("target_self_term", d.targetSelfTerm());
            } else if (s instanceof SlicedResult r) {
                m.put("projections", r.iterations());
                m.put("standard_error", r.standardError());
            } else if (s instanceof MaxSlicedResult r) {
                m.put("direction", r.direction());
            } else if (s instanceof UnbalancedResult u) {
                m.put("epsilon", eps);
                m.put("objective", u.objective());
                m.put("plan_mass", Arrays.stream(u.rowSums()).sum());
            } else if (s instanceof GaussianResult g) {
                m.put("w2", g.distance());
                m.put("ridge", bures.ridge());
                m.put("map_residual", g.mapResidual());
            } else {
                m.put("nonzeros", ((PlanResult) s).plan().nonZeroCount());
            }
            if (s instanceof Solution sol && sol.duality() != null) {
                m.put("duals_feasible", sol.duality().feasible());
                m.put("dual_violation", sol.duality().maxViolation());
                m.put("duality_gap", sol.duality().gap());
            }
            out.println(Json.line(m));
        } else {
            out.printf(Locale.ROOT, "%s OT, %s cost, %d -> %d points in dimension %d%n", method, c, x.length, y.length,
                    x[0].length);
            out.printf(Locale.ROOT, divergence ? "  value S_eps     %s%n" : gaussian ? "  value W_2^2     %s (of the"
                    + " fitted Gaussians)%n" : sliced ? "  value SW_p^p    %s (mean over directions)%n"
                    : "  value <P, C>    %s%s%n", format(s.value()), valueName(c));
            out.printf(Locale.ROOT, "  status          %s after %d %s%n", s.status(), s.iterations(),
                    method.equals("exact") ? "pivots" : sinkhorn ? "sweeps" : gaussian ? "iterations (closed form)"
                    : sliced ? "1-D solves" : unbalanced ? "sweeps" : "merge steps");
            if (s instanceof EntropicSolution e) {
                out.printf(Locale.ROOT, "  entropic        eps %s, objective <P,C> + eps sum P (log P - 1) = %s%n",
                        format(e.epsilon()), format(e.entropicObjective()));
                out.printf(Locale.ROOT, "  plan            dense (from the potentials), marginal error %.3g (columns %.3g)%n",
                        e.marginalError(), e.columnMarginalError());
            } else if (s instanceof DivergenceResult d) {
                out.printf(Locale.ROOT, "  terms           OT(a, b) %s, OT(a, a) %s, OT(b, b) %s (eps %s)%n",
                        format(d.crossTerm()), format(d.sourceSelfTerm()), format(d.targetSelfTerm()),
                        format(d.cross().epsilon()));
            } else if (s instanceof SlicedResult r) {
                out.printf(Locale.ROOT, "  directions      %d, standard error of the mean %.3g%n", r.iterations(),
                        r.standardError());
            } else if (s instanceof MaxSlicedResult r) {
                out.printf(Locale.ROOT, "  direction       %s%n", Arrays.toString(r.direction()));
            } else if (s instanceof UnbalancedResult u) {
                out.printf(Locale.ROOT, "  unbalanced      eps %s, objective %s, plan mass %s%n", format(eps),
                        format(u.objective()), format(Arrays.stream(u.rowSums()).sum()));
            } else if (s instanceof GaussianResult g) {
                out.printf(Locale.ROOT, "  Monge map       T(x) = A x + b between the fitted Gaussians, |A S1 A - S2| / |S2| = %.3g"
                        + "%n", g.mapResidual());
            } else {
                PlanResult p = (PlanResult) s;
                out.printf(Locale.ROOT, "  plan            %d non-zeros, marginal error %.3g%n", p.plan().nonZeroCount(),
                        p.marginalError());
            }
            if (s instanceof Solution sol && sol.duality() != null) {
                out.printf(Locale.ROOT, "  duals           %s, max violation %.3g, gap %.3g%n",
                        sol.duality().feasible() ? "feasible" : "NOT feasible", sol.duality().maxViolation(),
                        sol.duality().gap());
            }
            out.printf(Locale.ROOT, "  solver time     %.4f s (median of %d, min %.4f s)%n", timed.medianSeconds(), repeat,
                    timed.minSeconds());
        }
        return s.converged() ? 0 : Main.NOT_CONVERGED;
    }

    /** One configured solve, repeated for timing. */
    private interface Solver {
        TransportResult solve();
    }

    /** {@code |P^T 1 - b|_1}: how far the relaxed plan's columns are from the target weights. */
    private static double columnL1(UnbalancedResult u, double[] b, int m) {
        double e = 0;
        for (int j = 0; j < m; j++) {
            e += Math.abs(u.columnSums()[j] - (b == null ? 1.0 / m : b[j]));
        }
        return e;
    }

    /** The largest column-marginal violation of the divergence's three solves. */
    private static double columnError(DivergenceResult d) {
        return Math.max(d.cross().columnMarginalError(),
                Math.max(d.sourceSelf().columnMarginalError(), d.targetSelf().columnMarginalError()));
    }

    /** The configured unbalanced Sinkhorn, its options checked (before any file is read). */
    private UnbalancedSinkhorn unbalanced() {
        if (planOut != null || plot != null) {
            throw new IllegalArgumentException("--method unbalanced takes no " + (planOut != null ? "--plan-out" : "--plot"));
        }
        if (eps == null) {
            throw new IllegalArgumentException("--method unbalanced needs --eps (absolute, in the cost's units)");
        }
        if (tau != null && (tauA != null || tauB != null)) {
            throw new IllegalArgumentException("give --tau or --tau-a/--tau-b, not both");
        }
        if (tau == null && tauA == null && tauB == null) {
            throw new IllegalArgumentException("--method unbalanced needs --tau (or --tau-a/--tau-b)");
        }
        UnbalancedSinkhorn.Builder b = UnbalancedSinkhorn.builder().epsilon(eps).productReference(productReference);
        b = tau != null ? b.tau(tau) : b.tau(tauA == null ? Double.POSITIVE_INFINITY : tauA,
                tauB == null ? Double.POSITIVE_INFINITY : tauB);
        if (tol != null) {
            b.tolerance(tol);
        }
        if (maxIterations != null) {
            b.maxIterations((int) Math.min(Integer.MAX_VALUE, maxIterations));
        }
        return b.build();
    }

    /** The configured Sinkhorn, its options checked (before any file is read). */
    private Sinkhorn sinkhorn() {
        if (eps == null) {
            throw new IllegalArgumentException("--method " + method + " needs --eps (absolute, in the cost's units)");
        }
        if (!(eps > 0) || eps.isInfinite()) {
            throw new IllegalArgumentException("--eps must be positive and finite, got " + eps);
        }
        if (tol != null && (!(tol > 0) || tol.isInfinite())) {
            throw new IllegalArgumentException("--tol must be positive and finite, got " + tol);
        }
        Sinkhorn.Builder builder = Sinkhorn.builder().epsilon(eps);
        if (tol != null) {
            builder.tolerance(tol);
        }
        if (maxIterations != null) {
            builder.maxIterations(maxIterations);
        }
        String m = mode == null ? "auto" : mode;
        switch (m) {
            case "auto" -> builder.mode(Sinkhorn.Mode.AUTO);
            case "kernel" -> builder.mode(Sinkhorn.Mode.KERNEL);
            case "log" -> builder.mode(Sinkhorn.Mode.LOG);
            case "online" -> builder.mode(Sinkhorn.Mode.LOG).online(true);
            case "multiscale" -> builder.mode(Sinkhorn.Mode.MULTISCALE);
            default -> throw new IllegalArgumentException("--mode: unknown mode '" + m
                    + "' (available: auto, kernel, log, online, multiscale)");
        }
        if (checkPeriod != null) {
            if (checkPeriod < 1) {
                throw new IllegalArgumentException("--check-period must be >= 1, got " + checkPeriod);
            }
            builder.checkPeriod(checkPeriod);
        }
        String p = precision == null ? "float64" : precision;
        switch (p) {
            case "float64" -> builder.precision(Sinkhorn.Precision.FLOAT64);
            case "float32" -> builder.precision(Sinkhorn.Precision.FLOAT32);
            default -> throw new IllegalArgumentException("--precision: unknown precision '" + p
                    + "' (available: float64, float32)");
        }
        if (p.equals("float32") && (m.equals("log") || m.equals("online") || m.equals("multiscale"))) {
            throw new IllegalArgumentException("--precision float32 is the storage of the kernel, and --mode " + m
                    + " stores none: use --mode kernel or auto");
        }
        if (progressDelayMillis < 0) {
            throw new IllegalArgumentException("--progress-delay must be >= 0, got " + progressDelayMillis);
        }
        if (!json) {
            progressBar = new SinkhornProgressBar(spec.commandLine().getErr(), progressDelayMillis);
            builder.progress(progressBar);
        }
        return builder.build();
    }

    private Solver solver(Cost c, double[][] x, double[] a, double[][] y, double[] b, Sinkhorn sinkhorn,
                          BuresWasserstein bures, org.lipot.transport.Solver<?> slicer, UnbalancedSinkhorn relaxed) {
        Marginals ma = a == null ? Marginals.uniform(x.length) : Marginals.of("source weights " + sourceWeights, a);
        Marginals mb = b == null ? Marginals.uniform(y.length) : Marginals.of("target weights " + targetWeights, b);
        if (relaxed != null) { // the weights keep their masses: no totals check, normalised only when asked
            Marginals sa = normalize ? ma.normalized() : ma;
            Marginals sb = normalize ? mb.normalized() : mb;
            PointCloud cloud = PointCloud.of(x, y, c);
            return () -> relaxed.solve(cloud, sa, sb);
        }
        if (normalize) {
            ma = ma.normalized();
            mb = mb.normalized();
        } else if (Math.abs(ma.total() - mb.total()) > TransportProblem.TOTAL_TOLERANCE * Math.max(ma.total(), mb.total())) {
            throw new IllegalArgumentException("the source weights total " + ma.total() + " but the target weights total "
                    + mb.total() + "; pass --normalize to rescale both to 1");
        }
        if (sinkhorn != null) {
            // the costs are computed inside the timed solve, as POT's timing includes ot.dist
            TransportProblem problem = TransportProblem.of(PointCloud.of(x, y, c), ma, mb);
            Solver solve;
            if (method.equals("sinkhorn-divergence")) {
                SinkhornDivergence divergence = SinkhornDivergence.of(sinkhorn);
                solve = () -> divergence.solve(problem);
            } else {
                solve = () -> sinkhorn.solve(problem);
            }
            return solve;
        }
        if (slicer != null) {
            TransportProblem problem = TransportProblem.of(PointCloud.of(x, y, c), ma, mb);
            return () -> slicer.solve(problem);
        }
        if (bures != null) {
            TransportProblem problem = TransportProblem.of(PointCloud.of(x, y, c), ma, mb);
            return () -> bures.solve(problem);
        }
        if (method.equals("exact")) {
            NetworkSimplex.Builder builder = NetworkSimplex.builder();
            if (maxIterations != null) {
                builder.maxIterations(maxIterations);
            }
            NetworkSimplex simplex = builder.build();
            // The cost matrix is built inside the timed solve (PointCloud is lazy), as POT's timing includes ot.dist.
            TransportProblem problem = TransportProblem.of(PointCloud.of(x, y, c), ma, mb);
            return () -> simplex.solve(problem);
        }
        double p = exponentOnTheLine(cost);
        double[] u = line("source points", x);
        double[] v = line("target points", y);
        double[] wa = a == null ? null : ma.toArray();
        double[] wb = b == null ? null : mb.toArray();
        MonotoneRearrangement solver = MonotoneRearrangement.builder().exponent(p).build();
        return () -> solver.solve(u, wa, v, wb);
    }

    /** On the line every cost here is |x - y|^p: sqeuclidean p = 2, euclidean p = 1, lp:P p = P. */
    private static double exponentOnTheLine(String name) {
        if (name.equals("sqeuclidean")) {
            return 2;
        }
        if (name.equals("euclidean")) {
            return 1;
        }
        return Double.parseDouble(name.substring(3)); // Cost.named has accepted it, so it is lp:P
    }

    private static double[] line(String name, double[][] points) {
        if (points.length > 0 && points[0].length != 1) {
            throw new IllegalArgumentException("--method 1d needs one coordinate per point, but the " + name
                    + " have dimension " + points[0].length);
        }
        double[] v = new double[points.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = points[i][0];
        }
        return v;
    }

    private static double[][] planRows(TransportPlan plan) {
        double[][] rows = new double[plan.nonZeroCount()][];
        int[] k = {0};
        plan.forEachNonZero((i, j, mass) -> rows[k[0]++] = new double[] {i, j, mass});
        return rows;
    }

    private static String valueName(Cost c) {
        return switch (c.toString()) {
            case "sqeuclidean" -> "  (W_2^2; W_2 = sqrt of it)";
            case "euclidean" -> "  (W_1)";
            default -> "  (W_p^p)";
        };
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.12g", v);
    }
}
