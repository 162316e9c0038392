"""Writes the noisy point cloud of the SDF benchmark (docs/sdf.md): N points uniform by area on a mesh's triangles,
each moved by isotropic Gaussian noise of standard deviation SIGMA times the mesh's bounding-box diagonal, as XYZ text
(`x y z` per line, no normals), from numpy.random.default_rng(SEED).

    /usr/bin/python3 docs/bench/sdf_noisy_cloud.py MESH N SIGMA OUT.xyz [SEED]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdf_judge  # noqa: E402


def main():
    mesh, n, sigma, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) > 5 else 0)
    V, F = sdf_judge.mesh_oracle.load(mesh)
    diag = float(np.linalg.norm(V.max(0) - V.min(0)))
    p = sdf_judge.surface_points(V, F, n, rng) + sigma * diag * rng.standard_normal((n, 3))
    np.savetxt(out, p, fmt="%.7g")


if __name__ == "__main__":
    main()
