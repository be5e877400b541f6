"""The repository's notebook policy: notebooks are committed without outputs (executed copies are build
artefacts in target/notebooks/), use the 'java' kernel, end theorem notebooks with exercises whose
solutions exist, and are listed in notebooks/README.md. For course use: theorem notebooks open with
learning objectives, prerequisites and an estimated time and link the notation table; code lines fit
on screen (≤ 100 characters); every exercise solution ends in a check cell; nbgrader cell metadata
is well formed."""
from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT
import run_notebooks

ALL = run_notebooks.discover([])
THEOREMS = [p for p in ALL if p.parent.name == "notebooks" and re.match(r"^0[1-9]-", p.name)]
SOLUTIONS = [p for p in ALL if p.parent.name == "solutions"]
# Notebooks whose course edits (objectives, line lengths, graded solutions) are still to come: the tests below
# may fail for them (reported as xfail/xpass); every other notebook must pass. The list should shrink to empty.
PENDING: tuple[str, ...] = ()


def staged(paths, ids):
    pending = pytest.mark.xfail(strict=False, reason="course edits of this notebook have not landed yet")
    return [pytest.param(p, id=i, marks=pending if p.name.startswith(PENDING) else ()) for p, i in zip(paths, ids)]

MAX_LINE = 100
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution"}


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
    assert 2 <= len(numbered) <= 5, f"{path.name} has {len(numbered)} numbered exercises; 2–5 expected"
    solutions = ROOT / "notebooks" / "solutions" / path.name.replace(".ipynb", "-solutions.ipynb")
    assert solutions.is_file(), f"missing {solutions.relative_to(ROOT)}"


def test_every_notebook_is_listed_in_the_notebooks_readme():
    readme = (ROOT / "notebooks" / "README.md").read_text()
    for path in ALL:
        if path.parent.name == "notebooks":
            assert path.name in readme, f"notebooks/README.md does not list {path.name}"


def opening(path):
    """The markdown of the cells before the first code cell."""
    nb = nbformat.read(path, as_version=4)
    text = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            break
        text.append(cell.source)
    return "\n".join(text)


@pytest.mark.parametrize("path", staged(THEOREMS, [p.name for p in THEOREMS]))
def test_theorem_notebook_opens_with_objectives_prerequisites_and_time(path):
    head = opening(path)
    assert re.search(r"Learning objectives", head), f"{path.name}: no 'Learning objectives' before the first code"
    assert len(re.findall(r"^\s*[-*] ", head.split("Learning objectives", 1)[1], re.M)) >= 2, \
        f"{path.name}: list at least two learning objectives"
    assert re.search(r"Prerequisites", head), f"{path.name}: no 'Prerequisites' before the first code"
    assert re.search(r"Estimated time[^\n]*\d+\s*(min|minutes|h)", head), \
        f"{path.name}: no 'Estimated time: N min' before the first code"
    assert "docs/notation.md" in head, f"{path.name}: the opening does not link docs/notation.md"


@pytest.mark.parametrize("path", staged(ALL, [run_notebooks.label(p) for p in ALL]))
def test_code_lines_fit_on_screen(path):
    nb = nbformat.read(path, as_version=4)
    long = [(i, len(line)) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for line in cell.source.split("\n") if len(line) > MAX_LINE]
    assert not long, f"{path.name}: code lines over {MAX_LINE} characters (cell, length): {long}"


def exercise_sections(nb):
    """[(heading, [cells])] for the '## N.' sections of a solutions notebook."""
    sections = []
    for cell in nb.cells:
        heading = re.match(r"^##\s+(?:Exercise\s+)?(\d+)\b", cell.source) if cell.cell_type == "markdown" else None
        if heading:
            sections.append((heading.group(0), []))
        elif sections:
            sections[-1][1].append(cell)
    return sections


@pytest.mark.parametrize("path", staged(SOLUTIONS, [p.name for p in SOLUTIONS]))
def test_every_solution_ends_in_a_graded_check(path):
    nb = nbformat.read(path, as_version=4)
    sections = exercise_sections(nb)
    assert len(sections) >= 2, f"{path.name}: expected '## N. ...' sections, one per exercise"
    for heading, cells in sections:
        code = [c for c in cells if c.cell_type == "code"]
        assert code, f"{path.name} '{heading}': no code"
        last = code[-1]
        assert re.search(r"\.assertAllHold\(\)\s*;?\s*$", last.source), \
            f"{path.name} '{heading}': the last code cell does not end in a check table (.assertAllHold())"
        meta = last.metadata.get("nbgrader", {})
        assert meta.get("grade") and meta.get("locked"), \
            f"{path.name} '{heading}': the check cell is not an nbgrader grade cell (grade, locked)"
        assert any(c.metadata.get("nbgrader", {}).get("solution") for c in cells), \
            f"{path.name} '{heading}': no answer cell (nbgrader solution: true)"


def nbgrader_problems(nb, name):
    problems, ids = [], set()
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        where = f"{name} cell {i}"
        missing = NBGRADER_KEYS - meta.keys()
        if missing:
            problems.append(f"{where}: nbgrader metadata lacks {sorted(missing)}")
            continue
        if meta["schema_version"] != 3:
            problems.append(f"{where}: schema_version {meta['schema_version']}, expected 3")
        if not re.fullmatch(r"[A-Za-z0-9_-]+", str(meta["grade_id"])) or meta["grade_id"] in ids:
            problems.append(f"{where}: grade_id '{meta['grade_id']}' is empty, malformed or repeated")
        ids.add(meta["grade_id"])
        if meta["grade"] and not (isinstance(meta.get("points"), (int, float)) and meta["points"] > 0):
            problems.append(f"{where}: a grade cell needs points > 0")
        if meta["solution"] and meta["locked"]:
            problems.append(f"{where}: an answer cell cannot be locked")
        has_markers = "BEGIN SOLUTION" in cell.source
        if meta["solution"] and cell.cell_type == "code" and (
                cell.source.count("// BEGIN SOLUTION") != cell.source.count("// END SOLUTION") or not has_markers):
            problems.append(f"{where}: a Java answer cell needs balanced // BEGIN SOLUTION / // END SOLUTION")
        if not meta["solution"] and has_markers:
            problems.append(f"{where}: solution markers outside an answer cell")
    return problems


@pytest.mark.parametrize("path", staged(SOLUTIONS, [p.name for p in SOLUTIONS]))
def test_nbgrader_metadata_is_well_formed(path):
    nb = nbformat.read(path, as_version=4)
    assert any("nbgrader" in c.metadata for c in nb.cells), f"{path.name} has no nbgrader cell metadata"
    assert not nbgrader_problems(nb, path.name)


def test_nbgrader_check_reports_malformed_metadata():
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("x = 1;")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "a", "locked": True, "schema_version": 3,
                                   "solution": True}
    check = nbformat.v4.new_code_cell("check();")
    check.metadata["nbgrader"] = {"grade": True, "grade_id": "a", "locked": True, "schema_version": 2,
                                  "solution": False}
    nb.cells = [answer, check]
    problems = nbgrader_problems(nb, "x")
    assert any("cannot be locked" in p for p in problems)
    assert any("BEGIN SOLUTION" in p for p in problems)
    assert any("schema_version 2" in p for p in problems)
    assert any("repeated" in p for p in problems)
    assert any("points" in p for p in problems)


TRAILING_DISPLAY = re.compile(r"^\s*display\(.*\);\s*$")


def trailing_display_cells(path):
    """Code cells whose last statement is `display(...);`: under JJava, whose display returns an id, such a
    cell prints that id as its result. A cell ends in the bare expression instead (`table`, no semicolon),
    which both kernels show as the cell's result and which prints nothing else."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [l for l in cell.source.splitlines() if l.strip() and not l.strip().startswith("//")]
        if lines and TRAILING_DISPLAY.match(lines[-1]):
            found.append(f"{path.name} cell {i} ends with {lines[-1].strip()!r}")
    return found


@pytest.mark.parametrize("path", ALL, ids=[run_notebooks.label(p) for p in ALL])
def test_no_cell_ends_with_display(path):
    assert not trailing_display_cells(path)


def test_trailing_display_check_finds_one(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("display(a);\nx"), nbformat.v4.new_code_cell("int x = 1;\ndisplay(t);\n// done")]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert trailing_display_cells(path) == ["x.ipynb cell 1 ends with 'display(t);'"]
