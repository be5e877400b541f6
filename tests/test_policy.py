"""The repository's notebook policy: notebooks are committed without outputs (executed copies are build
artefacts in target/notebooks/), use the 'java' kernel, end theorem notebooks with exercises whose
solutions exist, and are listed in notebooks/README.md."""
from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT
import run_notebooks

ALL = run_notebooks.discover([])
THEOREMS = [p for p in ALL if p.parent.name == "notebooks" and re.match(r"^0[1-9]-", p.name)]


def outputs_problems(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            problems.append(f"{path.name} cell {i} has outputs or an execution count")
    return problems


@pytest.mark.parametrize("path", ALL, ids=[run_notebooks.label(p) for p in ALL])
def test_notebook_is_committed_without_outputs(path):
    assert not outputs_problems(path)


@pytest.mark.parametrize("path", ALL, ids=[run_notebooks.label(p) for p in ALL])
def test_notebook_uses_the_java_kernel(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "java"
    assert nb.metadata["kernelspec"]["language"] == "java"


def test_policy_check_reports_an_executed_notebook(tmp_path):
    executed = ROOT / "target" / "notebooks" / "00-getting-started.ipynb"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]
    nb.cells = [cell]
    path = tmp_path / ("x.ipynb" if not executed.exists() else executed.name)
    nbformat.write(nb, path)
    assert outputs_problems(path) == [f"{path.name} cell 0 has outputs or an execution count"]


@pytest.mark.parametrize("path", THEOREMS, ids=[p.name for p in THEOREMS])
def test_theorem_notebook_ends_with_exercises_and_has_solutions(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"^#+ .*Exercises", markdown, re.M), f"{path.name} has no Exercises section"
    numbered = re.findall(r"^\s*[1-9][.)] ", markdown.split("Exercises", 1)[-1], re.M)
    assert 2 <= len(numbered) <= 4, f"{path.name} has {len(numbered)} numbered exercises; 2–4 expected"
    solutions = ROOT / "notebooks" / "solutions" / path.name.replace(".ipynb", "-solutions.ipynb")
    assert solutions.is_file(), f"missing {solutions.relative_to(ROOT)}"


def test_every_notebook_is_listed_in_the_notebooks_readme():
    readme = (ROOT / "notebooks" / "README.md").read_text()
    for path in ALL:
        if path.parent.name == "notebooks":
            assert path.name in readme, f"notebooks/README.md does not list {path.name}"
