"""Writes the large-scale Sinkhorn benchmark's inputs (docs/benchmarks.md).

Source N(0, I) and target N(1, diag(0.5, 1, 1.5)^2) in 3-D, n points each, from numpy.random.RandomState(seed),
both scaled by one factor so that the largest squared Euclidean cost between a source and a target point is exactly 1
(the farthest pair lies on the clouds' convex hulls).

    /usr/bin/python3 docs/bench/gaussian_clouds.py N OUT_DIR [SEED]   # writes OUT_DIR/x.npy and OUT_DIR/y.npy
"""
import os
import sys

import numpy as np
from scipy.spatial import ConvexHull


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 3)
    y = 1 + rng.randn(n, 3) * np.array([0.5, 1.0, 1.5])
    hx = x[ConvexHull(x).vertices]
    hy = y[ConvexHull(y).vertices]
    largest = ((hx[:, None, :] - hy[None, :, :]) ** 2).sum(axis=2).max()
    scale = 1 / np.sqrt(largest)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "x.npy"), x * scale)
    np.save(os.path.join(out, "y.npy"), y * scale)
    print(f"n = {n}, scale = {scale:.6g}, max cost = {largest * scale * scale:.17g}")


if __name__ == "__main__":
    main()
