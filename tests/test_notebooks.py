"""Every notebook under notebooks/ (solutions included) executes headless with the Java kernel.

A notebook fails on any error output, a check table showing a failed check, a dead kernel or a cell
timeout; the executed copy is written to target/notebooks/ for inspection either way.
"""
from __future__ import annotations

import pytest

from conftest import ROOT, in_background, record
import run_notebooks

NOTEBOOKS = run_notebooks.discover([])


@in_background("test_notebook_executes_without_errors")
def execute(path):
    return run_notebooks.execute(path, ROOT / "target" / "notebooks")


@pytest.fixture(scope="session")
def headless_runs(java_kernel, background_runs):
    """Every selected notebook, queued on the notebook workers at session start; each test waits for its own."""
    return background_runs["test_notebook_executes_without_errors"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_notebook_executes_without_errors(path, headless_runs):
    result = headless_runs[path].result()
    if path == list(headless_runs)[-1]:   # every executed copy is in target/notebooks when the last test ends
        for run in headless_runs.values():
            run.result()
    record("notebooks (headless, nbclient)", (result,))
    assert result.ok, f"{result.notebook} failed:\n  " + "\n  ".join(result.problems)
    assert result.cells > 0, f"{result.notebook} has no code cell"
