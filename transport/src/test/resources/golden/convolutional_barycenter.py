"""Generates convolutional_barycenter.json: POT's convolutional_barycenter2d on small square images.

Run: /usr/bin/python3 convolutional_barycenter.py > convolutional_barycenter.json
(POT 0.8.2 from Debian python3-pot, numpy 1.24.2). Images are 12 x 12, row-major, each summing to 1.
Methods: 'sinkhorn_log' (stopThr 1e-13) for the plain barycenter, and
convolutional_barycenter2d_debiased with method 'sinkhorn_log' (stopThr 1e-13) for the debiased one.
The check 'kernel_method_max_abs_diff' compares with POT's kernel-mode method 'sinkhorn' (stopThr 1e-13).
"""
import json
import sys

import numpy as np
import ot

N = 12
r, c = np.mgrid[0:N, 0:N] / (N - 1)


def blob(cy, cx, s):
    img = np.exp(-((r - cy) ** 2 + (c - cx) ** 2) / (2 * s * s))
    return img / img.sum()


def ring(cy, cx, rad, s):
    d = np.sqrt((r - cy) ** 2 + (c - cx) ** 2)
    img = np.exp(-((d - rad) ** 2) / (2 * s * s)) + 1e-6
    return img / img.sum()


cases = []
inputs = {
    "two_blobs_uniform": ([blob(0.2, 0.2, 0.08), blob(0.75, 0.7, 0.1)], None),
    "blob_ring_weighted": ([blob(0.3, 0.6, 0.07), ring(0.55, 0.45, 0.3, 0.06)], [0.3, 0.7]),
    "three_weighted": ([blob(0.2, 0.2, 0.08), blob(0.75, 0.7, 0.1), ring(0.5, 0.5, 0.25, 0.05)], [0.5, 0.2, 0.3]),
}
for name, (imgs, w) in inputs.items():
    A = np.stack(imgs)
    weights = None if w is None else np.array(w)
    results = []
    for reg in (0.01, 0.002):
        bar, log = ot.bregman.convolutional_barycenter2d(A, reg, weights, method="sinkhorn_log", stopThr=1e-13,
                                                         numItermax=200000, log=True, warn=False)
        kern = ot.bregman.convolutional_barycenter2d(A, reg, weights, method="sinkhorn", stopThr=1e-13,
                                                     numItermax=200000, warn=False)
        deb = ot.bregman.convolutional_barycenter2d_debiased(A, reg, weights, method="sinkhorn_log", stopThr=1e-13,
                                                             numItermax=200000, warn=False)
        results.append({"reg": reg, "barycenter": bar.ravel().tolist(), "iterations": int(log["niter"]),
                        "debiased": deb.ravel().tolist(),
                        "checks": {"kernel_method_max_abs_diff": float(np.abs(kern - bar).max()),
                                   "sum": float(bar.sum()), "debiased_sum": float(deb.sum())}})
    cases.append({"name": name, "height": N, "width": N, "images": [a.ravel().tolist() for a in imgs],
                  "weights": w, "results": results})
json.dump({"generator": "convolutional_barycenter.py", "pot_version": ot.__version__,
           "notes": ["images and barycenters are row-major h*w lists; pixel (r, c) at (c, r) / (N - 1)",
                     "POT's log-domain code takes log(A + 1e-30) (stabThr); its stopping rule is the sum over"
                     " pixels of the std across inputs of the plans' barycenter-side marginals"],
           "cases": cases}, sys.stdout)
