"""Every notebook under notebooks/ (solutions included) executes headless with the Java kernel.

A notebook fails on any error output, a check table showing a failed check, a dead kernel or a cell
timeout; the executed copy is written to target/notebooks/ for inspection either way.
"""
from __future__ import annotations

import pytest

from conftest import ROOT, record
import run_notebooks

NOTEBOOKS = run_notebooks.discover([])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_notebook_executes_without_errors(path, java_kernel):
    result = run_notebooks.execute(path, ROOT / "target" / "notebooks")
    record("notebooks (headless, nbclient)", (result,))
    assert result.ok, f"{result.notebook} failed:\n  " + "\n  ".join(result.problems)
    assert result.cells > 0, f"{result.notebook} has no code cell"
