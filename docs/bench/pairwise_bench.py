#!/usr/bin/python3
"""Pairwise-matrix benchmark (issue 12): lipot's local executor against a POT loop on the same clouds.

    LIPOT_CMD=./lipot /usr/bin/python3 docs/bench/pairwise_bench.py [--workloads A,B,C,D] [--pot-pairs 1000]

Workloads (clouds from numpy.random.default_rng(seed), written as one .npz per workload):
  A  sliced SW_2^2, 64 directions, N = 400 clouds x 500 points in 2-D (79 800 pairs)
  B  Sinkhorn divergence, eps 0.05, tol 1e-6, N = 100 x 200 points in 2-D (4 950 pairs)
  C  exact W_2^2 (network simplex), N = 60 x 200 points in 2-D (1 770 pairs)
  D  A with sizes log-uniform between 50 and 2000 (lipot only: the longest tile's share of the task time)
Each cloud k is Gaussian, shifted by k / N and scaled by 1 + k / N, in the unit square's range.
The POT loop times --pot-pairs pairs (i < j, in row order) with ot.sliced_wasserstein_distance (seeded, 64
projections), ot.bregman.empirical_sinkhorn_divergence (reg 0.05, stopThr 1e-6) and ot.emd2 on ot.dist costs, and
extrapolates linearly to all pairs. lipot runs `lipot pairwise --json` once (2 threads, the JVM start included in
nothing: the JSON reports the solver's wall time); with --spark also `--engine spark --master local[2]`, whose
session start-up is reported separately. The ratio is lipot's wall time over the POT loop's projected time. Values are compared for exact OT only: POT's
sliced estimate draws other directions, and its empirical_sinkhorn_divergence debiases the linear costs <P, C> and
clips at 0 (a different definition from S_eps; see docs/transport.md).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np
import ot

WORKLOADS = {
    "A": dict(method="sliced", n_clouds=400, sizes=500, args=["--projections", "64", "--seed", "0"]),
    "B": dict(method="sinkhorn-divergence", n_clouds=100, sizes=200, args=["--eps", "0.05", "--tol", "1e-6"]),
    "C": dict(method="exact", n_clouds=60, sizes=200, args=[]),
    "D": dict(method="sliced", n_clouds=400, sizes="skewed", args=["--projections", "64", "--seed", "0"]),
}


def clouds(spec, seed):
    rng = np.random.default_rng(seed)
    n = spec["n_clouds"]
    if spec["sizes"] == "skewed":
        sizes = np.round(np.exp(rng.uniform(np.log(50), np.log(2000), n))).astype(int)
    else:
        sizes = np.full(n, spec["sizes"])
    return [(rng.normal(size=(s, 2)) * 0.1 * (1 + k / n) + k / n) for k, s in enumerate(sizes)]


def pot_pair(method, x, y):
    if method == "sliced":
        return ot.sliced_wasserstein_distance(x, y, n_projections=64, seed=0) ** 2
    if method == "sinkhorn-divergence":
        return ot.bregman.empirical_sinkhorn_divergence(x, y, 0.05, stopThr=1e-6, numIterMax=100000)
    return ot.emd2(np.full(len(x), 1 / len(x)), np.full(len(y), 1 / len(y)), ot.dist(x, y), numItermax=10_000_000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", default="A,B,C,D")
    ap.add_argument("--pot-pairs", type=int, default=1000)
    ap.add_argument("--spark", action="store_true", help="also run lipot's Spark engine on local[2]")
    args = ap.parse_args()
    cmd = shlex.split(os.environ.get("LIPOT_CMD", "./lipot"))
    print(f"{'workload':8s} {'pairs':>7s} {'lipot s':>9s} {'pairs/s':>9s} {'longest tile':>12s} {'tile share':>10s} "
          f"{'task s':>8s} {'POT loop s (projected)':>23s} {'ratio':>6s}")
    for name in args.workloads.split(","):
        spec = WORKLOADS[name]
        cs = clouds(spec, seed=ord(name))
        with tempfile.TemporaryDirectory() as folder:
            np.savez(os.path.join(folder, "clouds.npz"), **{f"c{k:04d}": c for k, c in enumerate(cs)})
            proc = subprocess.run(cmd + ["pairwise", "--clouds", os.path.join(folder, "clouds.npz"), "--method",
                                         spec["method"], "--out", os.path.join(folder, "d.npy"), "--json"]
                                  + spec["args"], capture_output=True, text=True)
            if proc.returncode not in (0, 1):
                print(f"{name}: lipot exited {proc.returncode}: {proc.stderr.strip()}")
                sys.exit(1)
            j = json.loads(proc.stdout.strip().splitlines()[-1])
            d = np.load(os.path.join(folder, "d.npy"))
            sj = None
            if args.spark:
                sp = subprocess.run(cmd + ["pairwise", "--clouds", os.path.join(folder, "clouds.npz"), "--method",
                                           spec["method"], "--out", os.path.join(folder, "s.npy"), "--json",
                                           "--engine", "spark", "--master", "local[2]"] + spec["args"],
                                    capture_output=True, text=True)
                sj = json.loads(sp.stdout.strip().splitlines()[-1])
                same = np.array_equal(np.load(os.path.join(folder, "s.npy")), d, equal_nan=True)
        pot_text, ratio = "-", "-"
        if name != "D":
            pairs = [(i, k) for i in range(len(cs)) for k in range(i + 1, len(cs))]
            timed = pairs[:args.pot_pairs]
            t0 = time.perf_counter()
            worst = 0.0
            for i, k in timed:
                v = pot_pair(spec["method"], cs[i], cs[k])
                worst = max(worst, abs(v - d[i, k]) / max(abs(v), 1e-12))
            projected = (time.perf_counter() - t0) * len(pairs) / len(timed)
            pot_text = f"{projected:.1f} ({len(timed)} timed)"
            ratio = f"{j['seconds'] / projected:.3f}"
            if spec["method"] == "exact" and worst > 1e-9:
                pot_text += f" DISAGREES {worst:.1e}"
        share = j["longest_tile_seconds"] / j["task_seconds"] if j["task_seconds"] > 0 else 0
        print(f"{name:8s} {j['pairs']:7d} {j['seconds']:9.2f} {j['pairs_per_second']:9.0f} "
              f"{j['longest_tile_seconds']:12.3f} {share:10.3f} {j['task_seconds']:8.2f} {pot_text:>23s} {ratio:>6s}"
              f"  (non-converged {j['non_converged']})")
        if sj is not None:
            compute = sj["seconds"] - sj["prepare_seconds"]
            print(f"{'  spark':8s} {sj['pairs']:7d} {sj['seconds']:9.2f} {sj['pairs_per_second']:9.0f} "
                  f"{sj['longest_tile_seconds']:12.3f} {sj['longest_tile_seconds'] / sj['task_seconds']:10.3f} "
                  f"{sj['task_seconds']:8.2f}  session {sj['prepare_seconds']:.2f} s, after it {compute:.2f} s = "
                  f"{compute / j['seconds']:.2f} x local; tiles {sj['tiles']}; same matrix: {same}")


if __name__ == "__main__":
    main()
