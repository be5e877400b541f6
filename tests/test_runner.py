"""The notebook runner itself fails, naming notebook and cell, on each kind of broken notebook."""
from __future__ import annotations

import nbformat
import pytest

import run_notebooks


def notebook(tmp_path, name, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def broken(tmp_path_factory, java_kernel, notebook_pool):
    """Runs five broken notebooks once on the notebook workers (one kernel JVM each); their results by name."""
    tmp = tmp_path_factory.mktemp("broken")
    paths = [
        notebook(tmp, "throws.ipynb", "int x = 1;", 'throw new IllegalStateException("boom");'),
        notebook(tmp, "failed-check.ipynb", "import org.promptlimits.check.*;",
                 'display(CheckTable.of("t", Check.of("C1", "2 <= 1", "none", 2, Relation.AT_MOST, 1, "exact")));'),
        notebook(tmp, "does-not-compile.ipynb", "int y = undefinedName + 1;"),
        notebook(tmp, "no-image.ipynb", "import org.promptlimits.notebook.*;",
                 'var chart = new org.knowm.xchart.XYChartBuilder().build();\nvar image = Plots.png(chart);'),
        notebook(tmp, "assert.ipynb", "import org.promptlimits.check.*;",
                 'CheckTable.of("t", Check.of("C7", "3 < 1", "none", 3, Relation.LESS_THAN, 1, "exact")).assertAllHold()'),
    ]
    runs = {p.name: notebook_pool.submit(run_notebooks.execute, p, tmp / "out") for p in paths}
    return {name: run.result() for name, run in runs.items()}


def test_error_output_fails_and_names_the_cell(broken):
    r = broken["throws.ipynb"]
    assert not r.ok
    assert any("cell 1" in p and "boom" in p for p in r.problems), r.problems


def test_displayed_failed_check_fails_the_notebook(broken):
    r = broken["failed-check.ipynb"]
    assert not r.ok
    assert r.check_tables == 1
    assert any("cell 1" in p and "failed check" in p for p in r.problems), r.problems


def test_compile_error_fails_the_notebook(broken):
    r = broken["does-not-compile.ipynb"]
    assert not r.ok
    assert any("cell 0" in p for p in r.problems), r.problems


def test_plot_cell_without_image_fails_and_names_the_cell(broken):
    r = broken["no-image.ipynb"]
    assert not r.ok
    assert r.problems == ["cell 1 (execution_count 2): draws a plot with Plots.png but shows no image"], r.problems


def test_assert_all_hold_names_the_failed_check(broken):
    r = broken["assert.ipynb"]
    assert not r.ok
    assert any("C7" in p and "1 of 1 rows failed" in p for p in r.problems), r.problems


def test_missing_notebook_is_refused_with_its_path(tmp_path):
    with pytest.raises(SystemExit, match="missing.ipynb"):
        run_notebooks.discover([str(tmp_path / "missing.ipynb")])
