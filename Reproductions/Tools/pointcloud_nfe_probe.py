"""Forward-NFE probe for the point-cloud models at a PyTorch-style random init.

Written to explain why our forward NFE at iteration 0 was above the official saved outputs (SONODE:
14 = 2 + 6*2). It integrates each family once over [0, 1] on the 50 training points with
a torchdiffeq-0.2.1-style dopri5 in one of two arithmetic modes:

* ``float32``: state, stages, tableau, dt inside the step, error estimate, error tolerance and RMS norm all in
  float32 (as torch does for a float32 state); time and the step-size factor in float64;
* ``float64``: everything in float64 (what a Double-accumulating norm approximates).

It also prints the Hairer quantities (dt0, d1) and, per family, the forward NFE over a tolerance sweep.
Run: python3 Reproductions/Tools/pointcloud_nfe_probe.py [runs] [data folder]
(the data folder defaults to $HBNODE_DATA_DIR, else Datasets/ at the repository root).

What it showed (20 inits, 2026-11-29): at tol 1e-7 the float32 emulation needs 26-32 forward NFE at init for
SONODE/HBNODE (GHBNODE 56), slightly *more* than float64 (the float32 error ratio does not lower the count),
and agrees with ODESolvers. The official saved SONODE curve starts at 14 in every one of its 100 runs, which
needs dt0 >= 1/11, i.e. d1 = RMS(f0 / (atol + rtol|y0|)) below ~1600; at 1e-7, d1 is ~1.6e6. NODE, ANODE,
SONODE and HBNODE give exactly 14 in every init at tol 1e-3 (GHBNODE, with its +2h term, 20); 1e-3 is the
default of the SONODE repository's nested-n-spheres script that the notebooks were adapted from.
Training curves from the Swift models (SONODE, 300 iterations; the same mean curves now come from
`reproduce-section-5 --experiment pointcloud --seeds 50 --pointcloud-tolerance <tol>`, mean-curves.csv): tol 1e-3 over 50
seeds gave forward 14 -> max 30.7, backward 14 -> max 46.8, final loss 0.283 (saved figure: 14 -> 31.94,
14 -> 46.58, 0.274); tol 1e-4 gives 18 -> 51 / 20 -> 65; tol 1e-7 gives 27 -> 214 / 31 -> 246.
"""
import os
import sys
import numpy as np

C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1]
A = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
     [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
E = [35 / 384 - 1951 / 21600, 0, 500 / 1113 - 22642 / 50085, 125 / 192 - 451 / 720,
     -2187 / 6784 + 12231 / 42400, 11 / 84 - 649 / 6300, -1 / 60]


def rms(x):
    return np.sqrt(np.mean(x * x))


def dopri5(f, y0, t1, tol, dtype):
    """Counts evaluations of f for one solve over [0, t1]; returns (nfe, accepted, rejected, dt0, d0, d1, d2)."""
    nfe = [0]
    y0 = y0.astype(dtype)
    rtol = dtype(tol)
    atol = dtype(tol)

    def F(t, y):
        nfe[0] += 1
        return f(y).astype(dtype)

    f0 = F(0.0, y0)
    scale = atol + np.abs(y0) * rtol
    d0, d1 = rms(y0 / scale), rms(f0 / scale)
    h0 = dtype(1e-6) if (d0 < 1e-5 or d1 < 1e-5) else dtype(0.01) * d0 / d1
    f1 = F(float(h0), y0 + h0 * f0)
    d2 = rms((f1 - f0) / scale) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(dtype(1e-6), h0 * dtype(1e-3))
    else:
        h1 = (dtype(0.01) / max(d1, d2)) ** dtype(1 / 5)
    dt = float(min(dtype(100) * h0, h1))  # time quantities in float64
    dt0 = dt
    y, fy, t = y0, f0, 0.0
    acc = rej = 0
    while t1 > t:
        assert t + dt > t, "underflow in dt"
        h = dtype(dt)  # the step itself runs in the state dtype
        k = [fy]
        for i in range(1, 7):
            yi = y + sum(dtype(A[i][j]) * h * k[j] for j in range(i) if A[i][j] != 0)
            k.append(F(t + C[i] * dt, yi))
        y1 = yi
        err = sum(dtype(E[i]) * h * k[i] for i in range(7) if E[i] != 0)
        r = float(rms(err / (atol + rtol * np.maximum(np.abs(y), np.abs(y1)))))
        if not np.isfinite(r):
            raise FloatingPointError("non-finite error ratio")
        if r <= 1:
            y, fy, t = y1, k[6], t + dt
            acc += 1
        else:
            rej += 1
        if r == 0:
            dt *= 10.0
        else:
            dt *= min(10.0, max(0.9 * r ** (-1 / 5), 1.0 if r < 1 else 0.2))
    return nfe[0], acc, rej, dt0, float(d0), float(d1), float(d2)


def linear(rng, fan_in, fan_out):
    bound = 1 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, (fan_out, fan_in)), rng.uniform(-bound, bound, fan_out)


def mlp(layers, act):
    def run(x):
        for i, (w, b) in enumerate(layers):
            x = x @ w.T + b
            if i < len(layers) - 1:
                x = act(x)
        return x
    return run


def elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def hardtanh5(x):
    return np.clip(x, -5, 5)


def family(name, rng, x, gamma_mode="sigmoid"):
    """Returns (field, initial state) for one family; h/v stacked along the batch axis ([2B, 2])."""
    b = len(x)
    if name == "NODE":
        f = mlp([linear(rng, 2, 20), linear(rng, 20, 20), linear(rng, 20, 2)], elu)
        return f, x
    if name == "ANODE":
        f = mlp([linear(rng, 3, 20), linear(rng, 20, 20), linear(rng, 20, 3)], elu)
        return f, np.concatenate([x, np.zeros((b, 1))], axis=1)
    n = 13 if name == "SONODE" else 14
    ic = mlp([linear(rng, 2, n), linear(rng, n, n), linear(rng, n, 2)], hardtanh5)
    y0 = np.concatenate([x, ic(x)], axis=0)
    if name == "SONODE":
        g = mlp([linear(rng, 4, n), linear(rng, n, n), linear(rng, n, 2)], elu)

        def f(y):
            h, v = y[:b], y[b:]
            return np.concatenate([v, g(np.concatenate([h, v], axis=1))], axis=0)
        return f, y0
    g = mlp([linear(rng, 2, n), linear(rng, n, n), linear(rng, n, 2)], elu)
    omega = -3.0
    gamma = 1 / (1 + np.exp(-omega)) if gamma_mode == "sigmoid" else omega
    r = 2.0 if name == "GHBNODE" else 0.0

    def f(y):
        h, v = y[:b], y[b:]
        return np.concatenate([-v, g(h) - gamma * v + r * h], axis=0)
    return f, y0


def load_train(folder):
    rows = [l.strip().split(",") for l in open(os.path.join(folder, "point_cloud", "reference-pointcloud-2d.csv"))][1:]
    return np.array([[float(r[2]), float(r[3])] for r in rows if r[0] == "train"])


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    default = os.environ.get("HBNODE_DATA_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Datasets")
    x = load_train(sys.argv[2] if len(sys.argv) > 2 else default)
    print(f"{len(x)} training points; tol 1e-7; t in [0, 1]; {runs} inits per family")
    for name in ["NODE", "ANODE", "SONODE", "HBNODE", "GHBNODE"]:
        for dtype in [np.float32, np.float64]:
            stats = []
            for seed in range(runs):
                rng = np.random.default_rng(seed)
                f, y0 = family(name, rng, x)
                stats.append(dopri5(f, y0, 1.0, 1e-7, dtype))
            nfes = [s[0] for s in stats]
            print(f"{name:8s} {dtype.__name__:8s} NFE mean {np.mean(nfes):6.1f} min {min(nfes):3d} max {max(nfes):3d}"
                  f" | dt0 mean {np.mean([s[3] for s in stats]):.4f} d1 mean {np.mean([s[5] for s in stats]):.3g}"
                  f" rejected {sum(s[2] for s in stats)}")
    print("forward NFE at init (float32), mean over inits, by tolerance:")
    for name in ["NODE", "ANODE", "SONODE", "HBNODE", "GHBNODE"]:
        cells = []
        for tol in [1e-7, 1e-6, 1e-5, 1e-4, 1e-3]:
            nfes = []
            for seed in range(runs):
                f, y0 = family(name, np.random.default_rng(seed), x)
                nfes.append(dopri5(f, y0, 1.0, tol, np.float32)[0])
            cells.append(f"{tol:g}: {np.mean(nfes):5.1f}")
        print(f"  {name:8s} " + "  ".join(cells))
