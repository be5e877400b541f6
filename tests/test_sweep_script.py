"""scripts/sweep refuses a mistyped command line before it rebuilds a stale Spark jar: exit status 2 and SweepMain's
own message, naming the option, the value and the rule, within seconds instead of after a Maven build.

The script runs from a copy of itself in a folder with no jar (so a build is due) and a stand-in ``mvn`` that only
records that it was called: a refused command line must not call it, a valid one must go on to the build."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

ARGS_SOURCE = Path("spark/src/main/java/org/promptlimits/spark/SweepArgs.java")


@pytest.fixture
def stale_checkout(tmp_path: Path) -> tuple[Path, dict, Path]:
    """A checkout holding scripts/sweep and the sources it reads before a build, no jar, and an mvn that fails."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("sweep", "common.sh"):
        shutil.copy2(ROOT / "scripts" / name, root / "scripts" / name)
    (root / ARGS_SOURCE).parent.mkdir(parents=True)
    shutil.copy2(ROOT / ARGS_SOURCE, root / ARGS_SOURCE)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    called = tmp_path / "mvn-called"
    mvn = bin_dir / "mvn"
    mvn.write_text(f"#!/bin/sh\necho \"$@\" >> '{called}'\necho 'stand-in mvn: no build here' >&2\nexit 1\n")
    mvn.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return root, env, called


def sweep(checkout: tuple[Path, dict, Path], *args: str) -> subprocess.CompletedProcess:
    root, env, _ = checkout
    return subprocess.run(["bash", str(root / "scripts" / "sweep"), *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("args, message", [
    ([], "sweep: no sweep named"),
    (["phases"], "sweep: unknown sweep 'phases'"),
    (["phase", "--cores", "2"], "sweep: unknown option '--cores'"),
    (["phase", "--seed", "x"], "sweep: --seed (x) must be an integer in [-9223372036854775808, 9223372036854775807]"),
    (["memorization", "--max-seconds", "0"], "sweep: --max-seconds (0) must be a finite number of seconds > 0"),
    (["phase", "--max-seconds", "600"], "sweep: --max-seconds sets the time limit of a memorization or distance"
                                        " point; phase takes none (its points are limited by rank)"),
    (["phase", "--local", "--master", "local[2]"], "sweep: --local runs without Spark: it takes no --master or --out"),
    (["distance", "--grid"], "sweep: --grid needs a value"),
])
def test_a_mistyped_command_is_refused_before_the_build(stale_checkout, args, message):
    done = sweep(stale_checkout, *args)
    assert done.returncode == 2, (args, done.returncode, done.stderr)
    assert done.stderr.startswith(message + "\nusage: sweep memorization|phase|distance"), done.stderr
    assert not stale_checkout[2].exists(), "mvn ran before the command line was refused: " + done.stderr
    assert done.stdout == ""


def test_a_valid_command_goes_on_to_the_build(stale_checkout):
    done = sweep(stale_checkout, "phase", "--local", "--seed", "3")
    assert done.returncode == 1, done.stderr
    assert stale_checkout[2].exists(), done.stderr
    assert "the library build failed" in done.stderr, done.stderr
    assert "could not be checked" not in done.stderr, done.stderr


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["memorization", "--local", "--help"]])
def test_help_prints_the_usage_without_a_build(stale_checkout, args):
    done = sweep(stale_checkout, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Runs one of the library's sweeps"), done.stdout
    assert "scripts/sweep memorization|phase|distance [--grid FILE]" in done.stdout, done.stdout
    assert "--settings FILE" in done.stdout and "docs/sweeps.md" in done.stdout, done.stdout
    assert not stale_checkout[2].exists(), "mvn ran for --help: " + done.stderr
