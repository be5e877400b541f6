#!/usr/bin/env python3
"""mpmath baseline for the exact-arithmetic benchmark: Lemma 2.2's THEORY constants and the outputs of
all 6 ordered pairs of notebook 02's vocabulary (d = 2, n = 2, K = 3), with every pairwise separation,
at the same number of digits as the library (passed as --dps; scripts/bench reads it from the library).

The evaluation is lemma22() of src/test/resources/reference/lemma22_reference.py (the independent reference of
the unit tests), timed warm: median of --runs calls after one warm-up call. It is timed twice:
as written there (all 12 outputs), and "shared": each output computed once per distinct (token read, multiset of
the sequence's tokens), as the library does (the layer has no positional term, so the 12 outputs are 6 values).

Usage: python3 bench/mpmath_lemma22.py [--dps 1168] [--runs 5] [--json FILE]
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scripts"))
import script_args  # noqa: E402  (the scripts' shared argument rules)


def reference():
    """lemma22() of the unit tests' mpmath reference (it imports mpmath: call only once mpmath is there)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                    "src", "test", "resources", "reference"))
    from lemma22_reference import lemma22
    return lemma22


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dps", type=int, default=1168)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    script_args.require_at_least(ap, "--dps", args.dps, 1,
                                 "a positive number of decimal digits (scripts/bench passes the library's)")
    script_args.require_at_least(ap, "--runs", args.runs, 1, "at least 1 (the median of the timed calls)")
    try:
        import mpmath
    except ImportError:
        print("mpmath comparison skipped: mpmath is not installed for " + sys.executable)
        return 0
    mpmath.mp.dps = args.dps
    lemma22 = reference()
    backend = mpmath.libmp.BACKEND
    result = {"dps": args.dps, "mpmath": mpmath.__version__, "backend": backend}
    for shared in (False, True):
        lemma22(mpmath, shared)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            x = lemma22(mpmath, shared)
            times.append(time.perf_counter() - t0)
        delta, same = x["delta"], x["same"]
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
