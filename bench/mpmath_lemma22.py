#!/usr/bin/env python3
"""mpmath baseline for the exact-arithmetic benchmark: Lemma 2.2's THEORY constants and the outputs of
all 6 ordered pairs of notebook 02's vocabulary (d = 2, n = 2, K = 3), with every pairwise separation,
at the same number of digits as the library (passed as --dps; scripts/bench reads it from the library).

The evaluation mirrors src/test/resources/reference/lemma22_reference.py (the independent reference of the
unit tests) as a function that can be timed warm: median of --runs calls after one warm-up call. It is timed twice:
as written there (all 12 outputs), and "shared": each output computed once per distinct (token read, multiset of
the sequence's tokens), as the library does (the layer has no positional term, so the 12 outputs are 6 values).

Usage: python3 bench/mpmath_lemma22.py [--dps 1168] [--runs 5] [--json FILE]
"""
import argparse
import itertools
import json
import statistics
import sys
import time


def evaluate(mpmath, shared=False):
    V = [tuple(mpmath.mpf(x) for x in t) for t in [(1.0, 0.0), (-1.8, 0.45), (-0.65, -1.65)]]
    d, n, K = 2, 2, 3
    norm = lambda x: mpmath.sqrt(sum(t * t for t in x))
    gmin = min(norm(x) for x in V)
    gmax = max(norm(x) for x in V)
    eps = min(norm([a - b for a, b in zip(x, y)]) for x, y in itertools.combinations(V, 2))
    thr = 2 * mpmath.log(n) + 3
    c = (K + 1) ** 4 * thr * mpmath.pi * d / (8 * gmin * eps)
    kappa = eps / (4 * gmax)
    delta = 2 * mpmath.log(n) ** 2 * eps ** 2 * gmin / (gmax ** 2 * (K + 1) ** 4 * thr * mpmath.pi * d) \
        * mpmath.exp(-(K + 1) ** 4 * thr * mpmath.pi * d * gmax ** 2 / (4 * eps * gmin))
    v0, v1 = mpmath.mpf(-0.5591004805026347), mpmath.mpf(-0.8290999051391352)
    nv = mpmath.sqrt(v0 * v0 + v1 * v1)
    v = (v0 / nv, v1 / nv)
    proj = lambda x: v[0] * x[0] + v[1] * x[1]

    def output(seq, l):
        q = proj(seq[l])
        a = [c * proj(z) * q for z in seq]
        m = max(a)
        w = [mpmath.exp(x - m) for x in a]
        beta = sum(wi * proj(z) for wi, z in zip(w, seq)) / sum(w)
        return [seq[l][i] + kappa * v[i] * beta for i in range(d)]

    if shared:
        memo = {}
        outs = []
        for s in itertools.permutations(V, 2):
            for l in range(n):
                key = (s[l], tuple(sorted(s)))
                if key not in memo:
                    memo[key] = output(s, l)
                outs.append((s, l, memo[key]))
    else:
        outs = [(s, l, output(s, l)) for s in itertools.permutations(V, 2) for l in range(n)]
    same = min(norm([a - b for a, b in zip(o1, o2)])
               for (s1, l1, o1), (s2, l2, o2) in itertools.combinations(outs, 2)
               if s1[l1] == s2[l2] and set(s1) != set(s2))
    return delta, same


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dps", type=int, default=1168)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    try:
        import mpmath
    except ImportError:
        print("mpmath comparison skipped: mpmath is not installed for " + sys.executable)
        return 0
    mpmath.mp.dps = args.dps
    backend = mpmath.libmp.BACKEND
    result = {"dps": args.dps, "mpmath": mpmath.__version__, "backend": backend}
    for shared in (False, True):
        evaluate(mpmath, shared)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            delta, same = evaluate(mpmath, shared)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        how = "6 distinct outputs, shared" if shared else "all 12 outputs"
        print(f"mpmath {mpmath.__version__} (backend {backend}) at {args.dps} digits, {how}: median {med * 1e3:.1f} ms "
              f"(min {min(times) * 1e3:.1f}, max {max(times) * 1e3:.1f}, {args.runs} runs); "
              f"delta = {mpmath.nstr(delta, 8)}, smallest same-token separation = {mpmath.nstr(same, 8)}")
        result["seconds_shared" if shared else "seconds"] = times
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
