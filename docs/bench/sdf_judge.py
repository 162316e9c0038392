"""Judges a fitted 3-D field (`lipot sdf fit`) against its mesh with the independent numpy oracle of
../shared/bench/sdf/mesh_oracle.py (brute-force distances, solid-angle winding numbers), by the metrics of
../shared/bench/sdf/README.md. The field is evaluated through `lipot sdf query`, so the saved model is what is judged.

    LIPOT_CMD=./lipot /usr/bin/python3 docs/bench/sdf_judge.py MESH MODEL.zip [POINTS] [SEED]

Prints one JSON line:
- iou: f < 0 against winding > 1/2 on POINTS uniform points of the bounding box padded by 10 % of each side's length;
- sign_agreement: on the same points;
- mean_abs_error: mean |f - sd| on POINTS points within 5 % of the diagonal from the surface (surface points plus
  Gaussian noise of 2 % of the diagonal, kept if their exact distance is within 5 %), as a fraction of the diagonal;
- empirical_slope: max |f(p) - f(q)| / |p - q| over the box points and a partner 1 % of the diagonal away in a random
  direction, and max_gradient_norm: the largest norm of the gradients `lipot sdf query` returns.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "sdf"))
import mesh_oracle  # noqa: E402


def query(lipot, model, points, folder, name):
    q = os.path.join(folder, name + ".npy")
    d = os.path.join(folder, name + "_d.npy")
    g = os.path.join(folder, name + "_g.npy")
    np.save(q, points)
    subprocess.run(shlex.split(lipot) + ["sdf", "query", "--model", model, "--points", q, "--out", d,
                                         "--gradients", g], check=True, stdout=subprocess.DEVNULL)
    return np.load(d).reshape(-1), np.load(g)


def surface_points(V, F, n, rng):
    A, B, C = V[F[:, 0]], V[F[:, 1]], V[F[:, 2]]
    area = 0.5 * np.linalg.norm(np.cross(B - A, C - A), axis=1)
    t = rng.choice(len(F), size=n, p=area / area.sum())
    r1 = np.sqrt(rng.random(n))[:, None]
    r2 = rng.random(n)[:, None]
    return (1 - r1) * A[t] + r1 * (1 - r2) * B[t] + r1 * r2 * C[t]


def main():
    mesh, model = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    lipot = os.environ.get("LIPOT_CMD", "./lipot")
    V, F = mesh_oracle.load(mesh)
    lo, hi = V.min(0), V.max(0)
    diag = float(np.linalg.norm(hi - lo))
    pad = 0.1 * (hi - lo)
    box = lo - pad + rng.random((n, 3)) * (hi - lo + 2 * pad)
    inside = mesh_oracle.winding(box, V, F) > 0.5
    near = np.empty((0, 3))
    while len(near) < n:
        p = surface_points(V, F, n, rng) + 0.02 * diag * rng.standard_normal((n, 3))
        near = np.vstack([near, p[mesh_oracle.distance(p, V, F) <= 0.05 * diag]])
    near = near[:n]
    sd = mesh_oracle.distance(near, V, F)
    sd = np.where(mesh_oracle.winding(near, V, F) > 0.5, -sd, sd)
    u = rng.standard_normal((n, 3))
    partner = box + 0.01 * diag * u / np.linalg.norm(u, axis=1, keepdims=True)
    with tempfile.TemporaryDirectory() as folder:
        f_box, g_box = query(lipot, model, box, folder, "box")
        f_near, g_near = query(lipot, model, near, folder, "near")
        f_partner, _ = query(lipot, model, partner, folder, "partner")
    pred = f_box < 0
    print(json.dumps({
        "mesh": mesh, "model": model, "points": n,
        "iou": round(float((pred & inside).sum() / max(1, (pred | inside).sum())), 5),
        "sign_agreement": round(float((pred == inside).mean()), 5),
        "mean_abs_error": round(float(np.abs(f_near - sd).mean() / diag), 6),
        "empirical_slope": round(float((np.abs(f_box - f_partner) / np.linalg.norm(box - partner, axis=1)).max()), 5),
        "max_gradient_norm": round(float(np.linalg.norm(np.vstack([g_box, g_near]), axis=1).max()), 5),
    }))


if __name__ == "__main__":
    main()
