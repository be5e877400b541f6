#!/usr/bin/env python3
"""Tables for bench/RESULTS.md from one run of scripts/bench: JMH JSON files, the PyTorch and mpmath JSON files.

Exact attention: each repeat r of the run has a JMH file exact-r.json and a PyTorch file torch-r.json measured
right after it; the ratio of a row in repeat r is (median of our iterations) / (median of PyTorch's calls).
The table gives the median over repeats and the spread (min–max) of times and ratios.

Usage: python3 bench/report.py RUN_DIR
"""
import glob
import json
import os
import statistics
import sys


def ms(seconds):
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.1f} ms"


def jmh_rows(path):
    """[(benchmark, params, [seconds per op of each iteration])] of a JMH JSON file."""
    out = []
    with open(path) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError:
            print(f"({os.path.basename(path)} is incomplete: the run was stopped while writing it; left out)\n")
            return out
        for b in data:
            unit = b["primaryMetric"]["scoreUnit"]
            scale = {"ms/op": 1e-3, "us/op": 1e-6, "s/op": 1.0, "ns/op": 1e-9}[unit]
            raw = [x * scale for fork in b["primaryMetric"]["rawData"] for x in fork]
            out.append((b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1],
                        b.get("params", {}), raw))
    return out


def spread(values, fmt):
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})" if len(values) > 1 \
        else fmt(values[0])


def exact_table(run):
    repeats = sorted(p for p in glob.glob(os.path.join(run, "exact-*.json")) if "-alt-" not in p)
    if not repeats:
        return
    ours, torch, ratio, alt, altratio = {}, {}, {}, {}, {}
    for path in repeats:
        r = path.rsplit("-", 1)[1].split(".")[0]
        tpath = os.path.join(run, f"torch-{r}.json")
        t = {}
        if os.path.exists(tpath):
            with open(tpath) as f:
                for row in json.load(f)["exact"]:
                    t[(row["n"], row["precision"], row["threads"])] = statistics.median(row["seconds"])
        for _, p, raw in jmh_rows(path):
            key = (int(p["n"]), p["precision"], int(p["threads"]), p.get("backend", "AUTO"))
            ours.setdefault(key, []).append(statistics.median(raw))
            apath = os.path.join(run, f"exact-alt-{r}.json")
            if os.path.exists(apath):
                for _, ap, araw in jmh_rows(apath):
                    if ap == p:
                        alt.setdefault(key, []).append(statistics.median(araw))
                        altratio.setdefault(key, []).append(statistics.median(araw) / statistics.median(raw))
            tk = key[:3]
            if tk in t:
                torch.setdefault(key, []).append(t[tk])
                ratio.setdefault(key, []).append(statistics.median(raw) / t[tk])
    print(f"Exact attention, d = 64: {len(repeats)} repeat(s); each cell is the median over repeats "
          "(min–max); ratio = ours / PyTorch within the same repeat.\n")
    extra = " second JDK | second / first JDK |" if alt else ""
    print("| n | precision | threads | backend | ours | GFLOP/s | PyTorch SDPA | ours / PyTorch |" + extra)
    print("|---|---|---|---|---|---|---|---|" + ("---|---|" if alt else ""))
    for key in sorted(ours):
        n, prec, threads, backend = key
        o = ours[key]
        gflops = 4 * n * n * 64 / statistics.median(o) * 1e-9
        tp = spread(torch[key], ms) if key in torch else "—"
        rt = spread(ratio[key], lambda x: f"{x:.2f}") if key in ratio else "—"
        more = ""
        if alt:
            more = (f" {spread(alt[key], ms)} | {spread(altratio[key], lambda x: f'{x:.2f}')} |" if key in alt
                    else " — | — |")
        print(f"| {n} | {prec} | {threads} | {backend} | {spread(o, ms)} | {gflops:.1f} | {tp} | {rt} |" + more)
    print()


def other_tables(run):
    for path in sorted(glob.glob(os.path.join(run, "*.json"))):
        name = os.path.basename(path)
        if name.startswith(("exact-", "torch-", "mpmath", "polynomial-threads", "jdk-alternation")):
            continue        # not JMH: the baselines' tables above; PolynomialThreads, JdkAlternation printed their own lines
        print(f"{name}: median of the JMH iterations (min–max)\n")
        print("| benchmark | parameters | time per op |")
        print("|---|---|---|")
        for bench, p, raw in jmh_rows(path):
            params = ", ".join(f"{k} = {v}" for k, v in p.items())
            print(f"| {bench} | {params} | {spread(raw, ms)} |")
        print()
    mp = os.path.join(run, "mpmath.json")
    if os.path.exists(mp):
        with open(mp) as f:
            m = json.load(f)
        print(f"mpmath {m['mpmath']} (backend {m['backend']}) at {m['dps']} digits: "
              f"{spread(m['seconds'], ms)} per evaluation (all 12 outputs)"
              + (f", {spread(m['seconds_shared'], ms)} with the 6 distinct outputs shared" if 'seconds_shared' in m else "")
              + "\n")


def main():
    run = sys.argv[1]
    exact_table(run)
    other_tables(run)


if __name__ == "__main__":
    main()
