"""Shared fixtures of the Python test suite: paths, the installed kernel, the notebook workers, the order of the
test files, and the notebook time table."""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Callable

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


# The notebook runs (the notebooks headless, then the student versions) are queued on the workers when the
# session starts; while the workers run them, this process runs the test files that mostly wait (on Maven, the
# Binder install, kernel starts, stops and restarts, verify's JVM) and so leave a core idle; then the files that
# read the notebook runs' results, then the browser test, which runs notebooks of its own.
ORDER = ("test_policy", "test_artifact", "test_binder", "test_kernel", "test_verify", "test_notebooks", "test_site",
         "test_assignment", "test_runner", "test_browser")
BACKGROUND: dict[str, Callable] = {}


def in_background(test: str):
    """Registers fn(path) as the work of test function `test` (parametrized by path): for each selected case it is
    queued on the notebook workers at session start, and the test reads it from background_runs[test][path]."""
    def register(fn):
        BACKGROUND[test] = fn
        return fn
    return register


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(ORDER)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(ORDER)))   # stable: each file keeps its own order


@pytest.fixture(scope="session", autouse=True)
def background_runs(request, notebook_pool) -> dict[str, dict[Path, Future]]:
    """The registered work of every selected test, queued in test order when the session starts (nothing when the
    'java' kernel is missing: the tests then fail on their java_kernel fixture)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    runs: dict[str, dict[Path, Future]] = {name: {} for name in BACKGROUND}
    work = [item for item in request.session.items if getattr(item, "originalname", "") in BACKGROUND]
    try:
        if work:
            KernelSpecManager().get_kernel_spec("java")
    except NoSuchKernel:
        return runs
    for item in work:
        path = item.callspec.params["path"]
        runs[item.originalname][path] = notebook_pool.submit(BACKGROUND[item.originalname], path)
    return runs


def pytest_terminal_summary(terminalreporter):
    for name, rows in TIMES.items():
        terminalreporter.write_sep("=", name)
        if name == "notebooks (headless, nbclient)":
            terminalreporter.write_line(run_notebooks.table([r[0] for r in rows]))
        else:
            for row in rows:
                terminalreporter.write_line("  ".join(str(x) for x in row))

