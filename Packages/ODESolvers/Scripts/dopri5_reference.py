"""Independent float64 re-implementation of torchdiffeq 0.2.1's dopri5 (odeint, no adjoint), written
from torchdiffeq's documented semantics as the ODESolvers README states them (not from its code).

It prints, for each reference problem and tolerance, the accepted/rejected step counts, the NFE and the
outputs, which ODESolvers' tests hard-code. Run: python3 dopri5_reference.py
"""
import math
import numpy as np

C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1]
A = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
     [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]
E = [35 / 384 - 1951 / 21600, 0, 500 / 1113 - 22642 / 50085, 125 / 192 - 451 / 720,
     -2187 / 6784 + 12231 / 42400, 11 / 84 - 649 / 6300, -1 / 60]
MID = [0.5 * x for x in [6025192743 / 30085553152, 0, 51252292925 / 65400821598, -2691868925 / 45128329728,
                         187940372067 / 1594534317056, -1776094331 / 19743644256, 11237099 / 235043384]]


def norm(parts):
    # max over components of each component's RMS
    return max(math.sqrt(np.mean(p * p)) for p in parts)


def split(x, sizes):
    out, i = [], 0
    for s in sizes:
        out.append(x[i:i + s]); i += s
    return out


def odeint(f, y0, ts, rtol, atol, sizes):
    nfe = [0]

    def F(t, y):
        nfe[0] += 1
        return f(t, y)

    t0 = ts[0]
    f0 = F(t0, y0)
    scale = atol + np.abs(y0) * rtol
    d0 = norm(split(y0 / scale, sizes)); d1 = norm(split(f0 / scale, sizes))
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    f1 = F(t0 + h0, y0 + h0 * f0)
    d2 = norm(split((f1 - f0) / scale, sizes)) / h0
    h1 = max(1e-6, h0 * 1e-3) if (d1 <= 1e-15 and d2 <= 1e-15) else (0.01 / max(d1, d2)) ** (1 / 5)
    dt = min(100 * h0, h1)
    first_dt = dt
    y, fy, t = y0, f0, t0
    accepted = rejected = 0
    accepted_dts = []
    coeffs = None
    outs = [y0]
    for target in ts[1:]:
        while target > t:
            assert t + dt > t
            k = [fy]
            for i in range(1, 7):
                yi = y + sum(dt * A[i][j] * k[j] for j in range(i))
                ti = t + dt if C[i] == 1 else t + C[i] * dt
                k.append(F(ti, yi))
            y1 = yi
            err = sum(dt * E[i] * k[i] for i in range(7))
            tol = atol + rtol * np.maximum(np.abs(y), np.abs(y1))
            r = norm(split(err / tol, sizes))
            if r <= 1:
                ymid = y + sum(dt * MID[i] * k[i] for i in range(7))
                fa, fb = k[0], k[6]
                a = 2 * dt * (fb - fa) - 8 * (y1 + y) + 16 * ymid
                b = dt * (5 * fa - 3 * fb) + 18 * y + 14 * y1 - 32 * ymid
                c = dt * (fb - 4 * fa) - 11 * y - 5 * y1 + 16 * ymid
                coeffs = (t, t + dt, [y, dt * fa, c, b, a])
                y, fy, t = y1, k[6], t + dt
                accepted += 1
                accepted_dts.append(dt)
            else:
                rejected += 1
            if r == 0:
                factor = 10.0
            else:
                dfac = 1.0 if r < 1 else 0.2
                factor = min(10.0, max(0.9 * r ** (-1 / 5), dfac))
            dt = dt * factor
        ta, tb, cf = coeffs
        x = (target - ta) / (tb - ta)
        outs.append(cf[0] + x * cf[1] + x * x * cf[2] + x ** 3 * cf[3] + x ** 4 * cf[4])
    return accepted, rejected, nfe[0], first_dt, dt, outs, accepted_dts


gamma = 1 / (1 + math.exp(3))


def heavy_ball(t, s):  # s = [h, m]
    h, m = s[0:1], s[1:2]
    return np.concatenate([-m, h - gamma * m])


def decay(t, y):
    return -y


for name, f, y0, ts, sizes in [
    ("heavyBall", heavy_ball, np.array([1.0, 0.0]), [0.0, 2.5, 5.0, 10.0], [1, 1]),
    ("decay", decay, np.array([1.0, -2.0]), [0.0, 1.0, 5.0], [2]),
]:
    for tol in [1e-3, 1e-5, 1e-7]:
        acc, rej, nfe, h0, hend, outs, dts = odeint(f, y0, ts, tol, tol, sizes)
        print(f"{name} tol={tol:g}: accepted={acc} rejected={rej} nfe={nfe} (2+6*steps={2 + 6 * (acc + rej)}) "
              f"initial_dt={h0!r} final_dt={hend!r}")
        print("   final output:", [repr(v) for v in outs[-1]])
        if name == "heavyBall" and tol == 1e-5:
            print("   accepted dts:", ", ".join(repr(d) for d in dts))
