"""Shared fixtures of the Python test suite: paths, the installed kernel, and the notebook time table."""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import run_notebooks  # noqa: E402

TIMES: dict[str, list] = {}
# Notebooks run in parallel, one kernel JVM per worker process: a kernel runs its cells on one thread, so on
# the project's 2-core machines two at a time take the wall time of the suite down by about a third.
JOBS = int(os.environ.get("PROMPTLIMITS_NOTEBOOK_JOBS", min(2, os.cpu_count() or 1)))


def record(table: str, row: tuple) -> None:
    """Adds a row to a table printed at the end of the run (e.g. per-notebook times)."""
    TIMES.setdefault(table, []).append(row)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def java_kernel():
    """The installed 'java' kernelspec; fails clearly when it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        return KernelSpecManager().get_kernel_spec("java")
    except NoSuchKernel:
        pytest.fail("no Jupyter kernel named 'java': run the tests through scripts/test, which installs it")


@pytest.fixture(scope="session")
def notebook_pool():
    """The JOBS worker processes that run every headless notebook of the session (the notebooks, the student
    versions, the runner's broken notebooks), in the order submitted: one pool, so that each worker pays for
    importing nbformat and nbclient (seconds of CPU: a grammar is built at import) once, not once per test file."""
    pool = ProcessPoolExecutor(max_workers=JOBS, mp_context=multiprocessing.get_context("spawn"))
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


def pytest_terminal_summary(terminalreporter):
    for name, rows in TIMES.items():
        terminalreporter.write_sep("=", name)
        if name == "notebooks (headless, nbclient)":
            terminalreporter.write_line(run_notebooks.table([r[0] for r in rows]))
        else:
            for row in rows:
                terminalreporter.write_line("  ".join(str(x) for x in row))

