# Reference values for the losses that shared/testdata/lip/losses.json does not cover.
# Run with Debian's interpreter (torch 1.13.1 CPU, numpy 1.24): /usr/bin/python3 make_extra_losses.py
#
# * MultiMargin: torch.nn.functional.multi_margin_loss (p = 1, mean reduction), PyTorch's own
#   implementation, which deel-lip's MultiMargin states it equals.
# * Soft HKR and LSE HKR: float64 torch transcriptions of the forward definitions of deel-torchlip's
#   SoftHKRMulticlassLoss (temperature given directly, i.e. after the running-mean update) and
#   LseHKRMulticlassLoss, alpha in [0, 1]; gradients by torch autograd.
import json

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


def soft_hkr(f, onehot, alpha, m, temp):
    neg_only = torch.where(onehot > 0, torch.full_like(f, -1e300), temp * f)
    p = torch.softmax(neg_only, dim=-1)
    p = torch.where(onehot > 0, torch.ones_like(p), p)
    signed = torch.where(onehot > 0, f, -f)
    kr = (-signed * p).sum(-1)
    hinge = (torch.relu(m / 2 - signed) * p).sum(-1)
    return (1 - alpha) * kr + alpha * hinge


def lse_hkr(f, onehot, alpha, m, temp, penalty):
    g = f * temp
    pos = g[onehot > 0]
    neg = torch.where(onehot > 0, torch.full_like(g, -float("inf")), g)
    t = np.log(g.shape[1] - 1) / (m * penalty / 2)
    lse = torch.logsumexp(t * neg, dim=1) / t
    kr = -(pos - lse)
    hinge = torch.relu(m / 2 - pos) + torch.relu(m / 2 + lse)
    return (1 - alpha) * kr + alpha * hinge


def entry(name, params, f0, per_fn):
    f = torch.tensor(f0, requires_grad=True)
    per = per_fn(f)
    v = per.mean()
    (g,) = torch.autograd.grad(v, f)
    return dict(loss=name, **params, value=float(v), per_sample=per.detach().tolist(), grad=g.tolist())


rng = np.random.default_rng(2027)
sets = []
for name, b, c in (("random10x4", 10, 4), ("random16x10", 16, 10)):
    labels = rng.integers(0, c, b)
    f0 = 0.6 * rng.standard_normal((b, c))
    onehot = torch.tensor(np.eye(c)[labels])
    lab = torch.tensor(labels)
    losses = []
    for m in (0.5, 1.0):
        losses.append(entry("MultiMargin", dict(min_margin=m), f0,
                            lambda f, m=m: torch.nn.functional.multi_margin_loss(f, lab, margin=m, reduction="none")))
    for alpha, m, temp in ((0.9, 1.0, 1.0), (0.5, 0.5, 4.0)):
        losses.append(entry("MulticlassSoftHKR", dict(alpha=alpha, min_margin=m, temperature=temp), f0,
                            lambda f, a=alpha, m=m, t=temp: soft_hkr(f, onehot, a, m, t)))
    for alpha, m, temp, pen in ((0.9, 1.0, 1.0, 1.0), (0.3, 0.6, 2.0, 0.5)):
        losses.append(entry("MulticlassLseHKR", dict(alpha=alpha, min_margin=m, temperature=temp, penalty=pen), f0,
                            lambda f, a=alpha, m=m, t=temp, p=pen: lse_hkr(f, onehot, a, m, t, p)))
    sets.append(dict(name=name, labels=labels.tolist(), num_classes=c, y_true_onehot=np.eye(c)[labels].tolist(),
                     y_pred=f0.tolist(), losses=losses))

with open("extra_losses.json", "w") as out:
    json.dump({"description": "MultiMargin (torch), soft HKR and LSE HKR (torch transcriptions); see"
                              " make_extra_losses.py", "multiclass": sets}, out, indent=1)
