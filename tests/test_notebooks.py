"""Every notebook under notebooks/ (solutions included) executes headless with the Java kernel.

A notebook fails on any error output, a check table showing a failed check, a dead kernel or a cell
timeout; the executed copy is written to target/notebooks/ for inspection either way.
"""
from __future__ import annotations

import pytest

from conftest import ROOT, record
import run_notebooks

NOTEBOOKS = run_notebooks.discover([])


@pytest.fixture(scope="session")
def headless_runs(request, java_kernel, notebook_pool):
    """Every selected notebook queued at once on the JOBS workers; each test waits for its own notebook's result."""
    selected = [item.callspec.params["path"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_notebook_executes_without_errors"]
    return {p: notebook_pool.submit(run_notebooks.execute, p, ROOT / "target" / "notebooks") for p in selected}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_notebook_executes_without_errors(path, headless_runs):
    result = headless_runs[path].result()
    if path == list(headless_runs)[-1]:   # every executed copy is in target/notebooks when the last test ends
        for run in headless_runs.values():
            run.result()
    record("notebooks (headless, nbclient)", (result,))
    assert result.ok, f"{result.notebook} failed:\n  " + "\n  ".join(result.problems)
    assert result.cells > 0, f"{result.notebook} has no code cell"
