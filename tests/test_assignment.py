"""scripts/assignment: the student version of each solutions notebook keeps every check, replaces every
answer by a stub, runs with the Java kernel up to its checks, and its checks fail until answered."""
from __future__ import annotations

import nbformat
import pytest

from conftest import ROOT, in_background, record
import assignment
import run_notebooks

SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*-solutions.ipynb"))
GRADED = [p for p in SOLUTIONS if any(assignment.grading(c) for c in nbformat.read(p, as_version=4).cells)]
OUT = ROOT / "target" / "assignments"


def number(path):
    return path.name[:2]


@pytest.mark.parametrize("path", GRADED, ids=[p.name for p in GRADED])
def test_student_version_removes_answers_and_keeps_checks(path, tmp_path):
    source = nbformat.read(path, as_version=4)
    # written apart from OUT, where the student version's run (queued at session start) saves its executed copy
    student = nbformat.read(assignment.write(number(path), tmp_path), as_version=4)
    assert len(student.cells) == len(source.cells)
    for before, after in zip(source.cells, student.cells):
        meta = assignment.grading(before)
        if meta.get("solution"):
            assert "SOLUTION" not in after.source
            stub = assignment.CODE_STUB if before.cell_type == "code" else assignment.TEXT_STUB
            assert stub in after.source
            assert after.source != before.source
        else:
            assert after.source == before.source.replace(" (with solutions)", "")


def test_a_cell_with_unbalanced_markers_is_refused():
    cell = nbformat.v4.new_code_cell("double x = Double.NaN;\n// BEGIN SOLUTION\nx = 1;\n")
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        assignment.strip(cell, "test cell")


def test_an_answer_keeps_its_declarations():
    cell = nbformat.v4.new_code_cell("double x = Double.NaN;\n    // BEGIN SOLUTION\n    x = 1;\n"
                                     "    // END SOLUTION\nSystem.out.println(x);")
    assignment.strip(cell, "test cell")
    assert cell.source == "double x = Double.NaN;\n    // YOUR CODE HERE\nSystem.out.println(x);"


@in_background("test_student_version_runs_and_its_checks_fail_until_answered")
def run_student_version(path):
    """Writes the student version of a solutions notebook, executes it (errors allowed) and saves it."""
    target = assignment.write(number(path), OUT)
    nb = nbformat.read(target, as_version=4)
    kernel = run_notebooks.start_kernel(cwd=OUT)
    try:
        kernel.run(nb, timeout=600, allow_errors=True)
    finally:
        kernel.stop()
    nbformat.write(nb, target)
    return target


@pytest.fixture(scope="session")
def student_runs(java_kernel, background_runs):
    """The selected student versions, queued on the notebook workers at session start (one kernel JVM each)."""
    return background_runs["test_student_version_runs_and_its_checks_fail_until_answered"]


@pytest.mark.parametrize("path", GRADED, ids=[p.name for p in GRADED])
def test_student_version_runs_and_its_checks_fail_until_answered(path, student_runs):
    target = student_runs[path].result()
    nb = nbformat.read(target, as_version=4)
    checks = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        text = " ".join(f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in errors)
        if assignment.grading(cell).get("grade"):
            checks += 1
            assert errors, f"{target.name} cell {index}: a check passes with the answers removed"
            assert "Compil" not in text and ("failed in '" in text or "must be finite" in text), (
                f"{target.name} cell {index}: the check cell fails for another reason than its checks: {text}")
        else:
            assert not errors, f"{target.name} cell {index}: the student version does not run: {text}"
    assert checks >= 2, f"{target.name} has {checks} check cells; every exercise ends in one"
    record("assignments (student versions)", (target.name, f"{checks} checks fail until answered"))
