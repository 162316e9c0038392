"""The PyTorch peer's side of the step-by-step comparison (see README.md).

Loads the raw parameters and power-iteration vectors that Eq.java wrote to DIR into the peer's `conv` network
(../../../../shared/bench/lip/torch_lip_peer.py), then with STEPS = 0 compares the first batch's gradients of both
sides with a float64 run of the peer, and otherwise trains STEPS steps on DIR/order.npy and prints each step's loss.
TIES=lipot routes GroupSort2's gradient at ties as lipot does (the first input takes the min's gradient); PyTorch's
minimum/maximum split it evenly.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/bench/lip"))
import torch_lip_peer as P  # noqa: E402

torch.set_num_threads(2)
if os.environ.get("TIES") == "lipot":
    def _groupsort_lipot_ties(self, x):
        n, c = x.shape[0], x.shape[1]
        xr = x.reshape(n, c // 2, 2, *x.shape[2:])
        a, b = xr[:, :, 0], xr[:, :, 1]
        swap = a > b
        return torch.stack((torch.where(swap, b, a), torch.where(swap, a, b)), dim=2).reshape(x.shape)
    P.GroupSort2.forward = _groupsort_lipot_ties

d, steps = sys.argv[1], int(sys.argv[2])
cfg = dict(beta=0.5, bjorck_iters=15, bjorck_eps=1e-3, eps_spectral=1e-3, power_iters=10,
           detach_last=-1, detach_first=-1, u_seed=0)


def model_from(d, dtype):
    model = P.build_model("conv", cfg)
    layers = [m for m in model if isinstance(m, (P.SpectralDense, P.SpectralConv2d))]
    with torch.no_grad():
        for k, m in enumerate(layers):
            m.weight.copy_(torch.from_numpy(np.load(f"{d}/w{k}.npy").astype(np.float32).reshape(m.weight.shape)))
            m.bias.copy_(torch.from_numpy(np.load(f"{d}/b{k}.npy").astype(np.float32)))
            m.u.copy_(torch.from_numpy(np.load(f"{d}/u{k}.npy").astype(np.float32)))
    model = model.to(dtype)
    model.train()
    return model, layers


if os.environ.get("INIT", "").startswith("peer:"):
    # the peer's own initialisation (torch seed after "peer:") replaces lipot's in DIR; run Eq.java with --load after
    torch.manual_seed(int(os.environ["INIT"][5:]))
    cfg["u_seed"] = int(os.environ["INIT"][5:])
    peer = P.build_model("conv", cfg)
    for k, m in enumerate([m for m in peer if isinstance(m, (P.SpectralDense, P.SpectralConv2d))]):
        for name, a in (("w", m.weight), ("b", m.bias), ("u", m.u)):
            np.save(f"{d}/{name}{k}.npy", a.detach().numpy().ravel().astype(np.float64))
xtr, ytr = P.load_idx("train")
xtr, ytr = xtr[:5120], ytr[:5120]
order = np.load(f"{d}/order.npy").astype(np.int64)


def batch(s, dtype):
    idx = torch.from_numpy(order[s * 256:(s + 1) * 256])
    return xtr[idx].to(dtype), torch.nn.functional.one_hot(ytr[idx], 10).to(dtype)


if steps == 0:
    grads = {}
    for dtype in (torch.float32, torch.float64):
        model, layers = model_from(d, dtype)
        x, y = batch(0, dtype)
        P.multiclass_hkr(model(x), y, 100, 1.0).backward()
        grads[dtype] = [p.grad.numpy().ravel().astype(np.float64) for m in layers for p in (m.weight, m.bias)]
    for q, ref in enumerate(grads[torch.float64]):
        scale = np.abs(ref).max()
        lipot = np.load(f"{d}/g{q}.npy")
        print("parameter %2d  max |g - g64| / max |g64|:  lipot %.1e  peer %.1e"
              % (q, np.abs(lipot - ref).max() / scale, np.abs(grads[torch.float32][q] - ref).max() / scale))
else:
    model, _ = model_from(d, torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for s in range(steps):
        x, y = batch(s, torch.float32)
        loss = P.multiclass_hkr(model(x), y, 100, 1.0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("step %d loss %.6f" % (s + 1, float(loss)))
    for m in model:
        if hasattr(m, "condense"):
            m.condense()
    model.eval()
    xte, yte = P.load_idx("test")
    with torch.no_grad():
        pred = model(xte[:1000]).argmax(1)
    print("test accuracy %.4f" % float((pred == yte[:1000]).float().mean()))
