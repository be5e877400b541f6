#!/usr/bin/env python3
"""PyTorch CPU baselines for the attention benchmark (theory §7), printed as markdown tables.

Exact: torch.nn.functional.scaled_dot_product_attention, d = 64, n = 1024, 4096, 16384, f32 and f64,
one thread (torch.set_num_threads(1)) and two threads. Polynomial method: the same monomial feature map
as org.promptlimits.attention.fast (phi(q).phi(k) = P_g(beta <q, k>)) written with torch matmuls.
Each time is the median of --runs calls after warm-up calls. Skips with a message when torch is missing.

Usage: python3 bench/torch_sdpa.py [--quick] [--runs N] [--exact-only] [--json FILE]
(--json writes every timed call of the exact rows, for bench/report.py)
"""
import argparse
import itertools
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scripts"))
import script_args  # noqa: E402  (the scripts' shared argument rules)


def run_times(fn, runs):
    """Times of `runs` calls after warm-up calls (at least 2, and at least 0.5 s of them)."""
    t_warm = time.perf_counter()
    i = 0
    while i < 2 or (time.perf_counter() - t_warm < 0.5 and i < 50):
        fn()
        i += 1
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def median_time(fn, runs):
    return statistics.median(run_times(fn, runs))


def fmt(t):
    return f"{t:.2f} s" if t >= 1 else f"{t * 1e3:.1f} ms"


def monomial_features(x, g, beta, torch):
    """phi(x)_alpha = sqrt(beta^|alpha| / alpha!) x^alpha for |alpha| <= g, as an n x r tensor."""
    n, d = x.shape
    cols = [torch.ones(n, dtype=x.dtype)]
    for t in range(1, g + 1):
        for combo in itertools.combinations_with_replacement(range(d), t):
            counts = {}
            for v in combo:
                counts[v] = counts.get(v, 0) + 1
            coef = math.sqrt(beta ** t / math.prod(math.factorial(c) for c in counts.values()))
            col = torch.full((n,), coef, dtype=x.dtype)
            for v in combo:
                col = col * x[:, v]
            cols.append(col)
    return torch.stack(cols, dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--exact-only", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    script_args.require_at_least(ap, "--runs", args.runs, 1, "at least 1 (the median of the timed calls)")
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("PyTorch comparison skipped: torch is not installed for " + sys.executable
              + " (pip install torch, or set PYTHON to a Python that has it).")
        return 0
    print(f"PyTorch {torch.__version__} (CPU capability {torch.backends.cpu.get_cpu_capability()}), "
          f"{sys.executable}; runs per median: {args.runs}\n")
    rows = []
    print("### PyTorch scaled_dot_product_attention, d = 64 (CPU)\n")
    print("| n | precision | threads | median time | GFLOP/s |")
    print("|---|---|---|---|---|")
    d = 64
    ns = [1024, 4096] if args.quick else [1024, 4096, 16384]
    gen = torch.Generator().manual_seed(42)
    for n in ns:
        for dtype, name in ((torch.float32, "f32"), (torch.float64, "f64")):
            q, k, v = (torch.rand(1, 1, n, d, generator=gen, dtype=dtype) * 2 - 1 for _ in range(3))
            for threads in (1, 2):
                torch.set_num_threads(threads)
                with torch.no_grad():
                    times = run_times(lambda: F.scaled_dot_product_attention(q, k, v), args.runs)
                t = statistics.median(times)
                rows.append({"n": n, "precision": name, "threads": threads, "seconds": times})
                print(f"| {n} | {name} | {threads} | {fmt(t)} | {4 * n * n * d / t * 1e-9:.1f} |")
    if args.json:
        import json
        with open(args.json, "w") as f:
            json.dump({"torch": torch.__version__, "capability": torch.backends.cpu.get_cpu_capability(),
                       "exact": rows}, f)
    if args.exact_only:
        return 0
    torch.set_num_threads(1)
    print("\n### PyTorch polynomial method (feature map + two matmuls, f64, one thread, beta = 1/d)\n")
    print("| d | g | r | n | median time |")
    print("|---|---|---|---|---|")
    for d in (8, 16):
        for n in ([1024, 4096, 16384] if args.quick else [1024, 4096, 16384, 65536]):
            q, k, v = (torch.rand(n, d, generator=gen, dtype=torch.float64) * 2 - 1 for _ in range(3))
            for g in (2, 3, 4):
                beta = 1.0 / d

                def poly():
                    u = monomial_features(q, g, beta, torch)
                    w = monomial_features(k, g, beta, torch)
                    s = w.T @ torch.cat([v, torch.ones(n, 1, dtype=v.dtype)], dim=1)
                    o = u @ s
                    return o[:, :d] / o[:, d:]

                r = math.comb(g + d, d)
                with torch.no_grad():
                    t = median_time(poly, args.runs)
                print(f"| {d} | {g} | {r} | {n} | {fmt(t)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
