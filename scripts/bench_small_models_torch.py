"""PyTorch + torchdiffeq reference for the small-model rows of `neuralode-bench`: one point-cloud training step.

The same architectures as the Swift point-cloud models (written here for PyTorch, not taken from elsewhere):
- NODE: z' = f(z), f = Linear(2, 20), ELU, Linear(20, 20), ELU, Linear(20, 2); z0 = x;
- HBNODE: u0 = g(x), g = Linear(2, 14), Hardtanh(-5, 5), Linear(14, 14), Hardtanh(-5, 5), Linear(14, 2);
  state [h, m] with h0 = x, m0 = u0; h' = m, m' = f(h) - sigmoid(omega) m, f = 2-14-14-2 with ELU, omega = -3;
- decoder Linear(2, 1), Hardtanh(-1, 1) on z(1) (HBNODE: on h(1)), mean-squared error against the labels.
One step: odeint_adjoint on [0, 1] (rk4 with step 0.1, or dopri5 at rtol = atol = 1e-7), backward, Adam(0.01),
on the 50 reference training points. Prints one JSON line per workload: the median and best milliseconds per
step over --reps timed runs of --steps consecutive steps (after one warm-up run), the same in process CPU time
(all the work with --threads 1, and unlike wall time not inflated by other processes on a shared machine) and
the NFE of the last step.
"""
import argparse
import csv
import json
import statistics
import time

import torch
import torch.nn as nn
from torchdiffeq import odeint_adjoint

WORKLOADS = {
    "pointcloud-node-rk4": ("node", None),
    "pointcloud-node-dopri5-1e-7": ("node", 1e-7),
    "pointcloud-hbnode-rk4": ("hbnode", None),
    "pointcloud-hbnode-dopri5-1e-7": ("hbnode", 1e-7),
}


def mlp(widths, activation):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


class Field(nn.Module):
    def __init__(self, family):
        super().__init__()
        self.heavy_ball = family == "hbnode"
        self.net = mlp([2, 14, 14, 2] if self.heavy_ball else [2, 20, 20, 2], nn.ELU)
        self.omega = nn.Parameter(torch.tensor(-3.0)) if self.heavy_ball else None
        self.nfe = 0

    def forward(self, t, z):
        self.nfe += 1
        if not self.heavy_ball:
            return self.net(z)
        h, m = z[:, 0], z[:, 1]
        return torch.stack([m, self.net(h) - torch.sigmoid(self.omega) * m], 1)


class Model(nn.Module):
    def __init__(self, family):
        super().__init__()
        self.family = family
        self.initial = mlp([2, 14, 14, 2], lambda: nn.Hardtanh(-5, 5)) if family == "hbnode" else None
        self.field = Field(family)
        self.decoder = nn.Sequential(nn.Linear(2, 1), nn.Hardtanh(-1, 1))

    def forward(self, x, tol):
        z0 = torch.stack([x, self.initial(x)], 1) if self.initial is not None else x
        t = torch.tensor([0.0, 1.0])
        if tol is None:
            z = odeint_adjoint(self.field, z0, t, method="rk4", options={"step_size": 0.1})
        else:
            z = odeint_adjoint(self.field, z0, t, method="dopri5", rtol=tol, atol=tol)
        z1 = z[-1]
        return self.decoder(z1[:, 0] if self.initial is not None else z1)


def load_points(path):
    xs, labels = [], []
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["split"] == "train":
                xs.append([float(row["x"]), float(row["y"])])
                labels.append([float(row["label"])])
    return torch.tensor(xs), torch.tensor(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="Datasets/point_cloud/reference-pointcloud-2d.csv")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, y = load_points(args.data)
    for name in args.workloads.split(","):
        family, tol = WORKLOADS[name]
        times, cpu_times = [], []
        forward = backward = 0
        for rep in range(args.reps + 1):
            torch.manual_seed(1)
            model = Model(family)
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.steps):
                optimizer.zero_grad()
                model.field.nfe = 0
                loss = torch.mean((model(x, tol) - y) ** 2)
                forward = model.field.nfe
                loss.backward()
                backward = model.field.nfe - forward
                optimizer.step()
            if rep > 0:
                times.append((time.perf_counter() - start) / args.steps * 1e3)
                cpu_times.append((time.process_time() - start_cpu) / args.steps * 1e3)
        print(json.dumps({
            "workload": name, "median_ms": statistics.median(times), "best_ms": min(times),
            "median_cpu_ms": statistics.median(cpu_times), "best_cpu_ms": min(cpu_times),
            "nfe_forward": forward, "nfe_backward": backward, "torch": torch.__version__, "threads": args.threads,
        }))


if __name__ == "__main__":
    main()
