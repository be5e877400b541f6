"""Shared fixtures of the Python test suite: paths, the installed kernel, and the notebook time table."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import run_notebooks  # noqa: E402

TIMES: dict[str, list] = {}


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


def pytest_terminal_summary(terminalreporter):
    for name, rows in TIMES.items():
        terminalreporter.write_sep("=", name)
        if name == "notebooks (headless, nbclient)":
            terminalreporter.write_line(run_notebooks.table([r[0] for r in rows]))
        else:
            for row in rows:
                terminalreporter.write_line("  ".join(str(x) for x in row))

