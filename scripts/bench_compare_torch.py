"""PyTorch + torchdiffeq reference for `bench-compare`: one training step of the MNIST / CIFAR-10 models.

The same architectures as the Swift models (written here for PyTorch, not taken from elsewhere):
- vector field: 1x1 conv (d+1 -> n), ReLU, 3x3 conv pad 1 (n+1 -> n), ReLU, 1x1 conv (n+1 -> d), the time
  appended as a constant channel before every conv;
- NODE: state = the image (d = c); HBNODE: a learned initial network (1x1 conv c -> n, LeakyReLU(0.3),
  3x3 conv n -> n, LeakyReLU(0.3), 1x1 conv n -> 2d - c) gives u, and [x, u] splits into position h and
  momentum m (d channels each); h' = m, m' = -sigmoid(omega) m + f(h);
- a linear classifier on the flattened position.
One step: odeint_adjoint on [0, 1] (rk4 with step 0.1, or dopri5 at rtol = atol = tol), cross-entropy,
backward, clip_grad_norm 10, Adam(5e-4). Prints one JSON line: best seconds over --reps steps after a
warm-up, forward and backward NFE of the last step.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
from torchdiffeq import odeint_adjoint

WORKLOADS = {
    "mnist-node-rk4": ("mnist", "node", None),
    "mnist-hbnode-rk4": ("mnist", "hbnode", None),
    "mnist-hbnode-dopri5-1e-5": ("mnist", "hbnode", 1e-5),
    "mnist-hbnode-dopri5-1e-4": ("mnist", "hbnode", 1e-4),
    "mnist-node-dopri5-1e-4": ("mnist", "node", 1e-4),
    "cifar-node-rk4": ("cifar", "node", None),
    "cifar-hbnode-rk4": ("cifar", "hbnode", None),
}
# (state channels d, hidden width n) per dataset and family.
SIZES = {("mnist", "node"): (1, 92), ("mnist", "hbnode"): (5, 50), ("cifar", "node"): (3, 125), ("cifar", "hbnode"): (12, 51)}


class TimeConv(nn.Module):
    """A convolution of [x, t] (t appended as a constant channel)."""

    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin + 1, cout, k, padding=k // 2)

    def forward(self, t, x):
        tt = torch.ones_like(x[:, :1]) * t
        return self.conv(torch.cat([x, tt], 1))


class Field(nn.Module):
    def __init__(self, d, n, heavy_ball):
        super().__init__()
        self.c1, self.c2, self.c3 = TimeConv(d, n, 1), TimeConv(n, n, 3), TimeConv(n, d, 1)
        self.heavy_ball, self.d = heavy_ball, d
        self.omega = nn.Parameter(torch.tensor(-3.0)) if heavy_ball else None
        self.nfe = 0

    def net(self, t, h):
        return self.c3(t, torch.relu(self.c2(t, torch.relu(self.c1(t, h)))))

    def forward(self, t, z):
        self.nfe += 1
        if not self.heavy_ball:
            return self.net(t, z)
        h, m = z[:, : self.d], z[:, self.d:]
        return torch.cat([m, -torch.sigmoid(self.omega) * m + self.net(t, h)], 1)


class Model(nn.Module):
    def __init__(self, dataset, family):
        super().__init__()
        c, side = (1, 28) if dataset == "mnist" else (3, 32)
        d, n = SIZES[(dataset, family)]
        self.c, self.d, self.family = c, d, family
        if family == "hbnode":
            self.initial = nn.Sequential(
                nn.Conv2d(c, n, 1), nn.LeakyReLU(0.3), nn.Conv2d(n, n, 3, padding=1), nn.LeakyReLU(0.3),
                nn.Conv2d(n, 2 * d - c, 1))
        self.field = Field(d, n, family == "hbnode")
        self.classifier = nn.Linear(d * side * side, 10)

    def forward(self, x, method, options, tol):
        z0 = torch.cat([x, self.initial(x)], 1) if self.family == "hbnode" else x
        t = torch.tensor([0.0, 1.0])
        kwargs = dict(method=method, options=options)
        if tol is not None:
            kwargs.update(rtol=tol, atol=tol)
        z1 = odeint_adjoint(self.field, z0, t, **kwargs)[-1]
        return self.classifier(z1[:, : self.d].flatten(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dataset, family, tol = WORKLOADS[args.workload]
    model = Model(dataset, family)
    c, side = (1, 28) if dataset == "mnist" else (3, 32)
    x = torch.rand(args.batch, c, side, side)
    labels = torch.arange(args.batch) % 10
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    method, options = ("rk4", dict(step_size=0.1)) if tol is None else ("dopri5", None)
    best, forward_nfe, backward_nfe = float("inf"), 0, 0
    for rep in range(args.reps + 1):
        start = time.perf_counter()
        optimizer.zero_grad()
        model.field.nfe = 0
        loss = nn.functional.cross_entropy(model(x, method, options, tol), labels)
        forward_nfe = model.field.nfe
        model.field.nfe = 0
        loss.backward()
        backward_nfe = model.field.nfe
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10)
        optimizer.step()
        if rep > 0:
            best = min(best, time.perf_counter() - start)
    print(json.dumps(dict(workload=args.workload, seconds=best, forward_nfe=forward_nfe, backward_nfe=backward_nfe,
                          torch=torch.__version__, threads=torch.get_num_threads())))


if __name__ == "__main__":
    main()
