"""scripts/bench refuses bad arguments before it builds, times or writes anything: exit status 2 and a message that
names the option, the value and the rule (the benchmarks themselves run outside the test command)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

BENCH = ROOT / "scripts" / "bench"


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(BENCH), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, message", [
    (["--repeat"], "--repeat needs a value (a whole number ≥ 1)"),
    (["--repeat", "0"], "--repeat (0) must be a whole number from 1 to 9999"),
    (["--repeat", "three"], "--repeat (three) must be a whole number from 1 to 9999"),
    (["--only", "gpu"], "--only (gpu) must be one of: exact, poly, arith, other, all, jdk"),
    (["--only"], "--only needs a value (exact, poly, arith, other, all or jdk)"),
    (["--jvm-args"], "--jvm-args needs a value"),
    (["--tag", "../x"], "--tag (../x) must be 1-40 letters, digits, '.', '_' or '-'"),
    (["--also-jdk", "/no/such/jdk"], "--also-jdk (/no/such/jdk) must be a JDK directory with bin/java in it"),
    (["--only", "jdk"], "--only jdk needs --also-jdk JAVA_HOME2"),
    (["--fast"], "unknown option --fast"),
])
def test_bad_arguments_are_refused_before_anything_runs(args, message):
    raw = ROOT / "bench" / "raw"
    before = set(raw.iterdir()) if raw.exists() else set()
    done = bench(*args)
    assert done.returncode == 2, (args, done.returncode, done.stdout, done.stderr)
    assert message in done.stderr, done.stderr
    assert done.stdout == "", "nothing is printed, built or timed before the refusal: " + done.stdout[:300]
    after = set(raw.iterdir()) if raw.exists() else set()
    assert after == before, "no run folder is created for refused arguments"


@pytest.mark.parametrize("args, message", [
    (["--runs", "0"], "--runs (0) must be at least 1"),
    (["--dps", "0"], "--dps (0) must be a positive number of decimal digits"),
    (["--dps", "-3"], "--dps (-3) must be a positive number of decimal digits"),
])
def test_the_mpmath_baseline_refuses_bad_arguments_before_it_times_anything(args, message):
    script = ROOT / "bench" / "mpmath_lemma22.py"
    done = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, (args, done.returncode, done.stdout, done.stderr)
    assert message in done.stderr, done.stderr
    assert done.stdout == "", "nothing is timed before the refusal: " + done.stdout[:300]


def test_the_pytorch_baseline_refuses_runs_below_one_before_it_times_anything():
    """--runs 0 took the median of no calls (statistics.StatisticsError after the warm-up calls, where torch is there)."""
    script = ROOT / "bench" / "torch_sdpa.py"
    done = subprocess.run([sys.executable, str(script), "--runs", "0"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "--runs (0) must be at least 1" in done.stderr, done.stderr
    assert done.stdout == "", "nothing is timed before the refusal: " + done.stdout[:300]
