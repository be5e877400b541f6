"""The notebook runner itself fails, naming notebook and cell, on each kind of broken notebook; a kernel start
that finds a port taken is tried again on new ports."""
from __future__ import annotations

import concurrent.futures
import json
import sys
import time
from pathlib import Path

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


# Stands between the client and the kernel: for the first TAKE starts (counted in a file) it takes the shell port of
# the connection file, as another process may between the client choosing it and the kernel binding it, and
# writes that port down.
PORT_TAKER = '''
import json, os, socket, subprocess, sys
folder, take, connection, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
taken = os.path.join(folder, "taken")
starts = len(open(taken).read().split()) if os.path.exists(taken) else 0
if starts >= take:
    os.execv(argv[0], argv)
port = json.load(open(connection))["shell_port"]
with socket.socket() as s:
    s.bind(("127.0.0.1", port))
    s.listen()
    open(taken, "a").write(f"{port}\\n")
    sys.exit(subprocess.run(argv).returncode)
'''


def port_taking_kernel(tmp_path, java_kernel, take: int) -> list[str]:
    """Kernelspec folders holding a copy of the installed 'java' whose first `take` starts find their shell port
    taken (the ports taken are written to tmp_path/taken)."""
    spec = json.loads((Path(java_kernel.resource_dir) / "kernel.json").read_text())
    (tmp_path / "taker.py").write_text(PORT_TAKER)
    spec["argv"] = [sys.executable, str(tmp_path / "taker.py"), str(tmp_path), str(take), "{connection_file}"] \
        + spec["argv"]
    (tmp_path / "kernels" / "java").mkdir(parents=True)
    (tmp_path / "kernels" / "java" / "kernel.json").write_text(json.dumps(spec))
    return [str(tmp_path / "kernels")]


def taken_ports(tmp_path) -> list[int]:
    return [int(p) for p in (tmp_path / "taken").read_text().split()]


def test_a_kernel_start_that_finds_its_port_taken_is_tried_again_on_new_ports(tmp_path, java_kernel):
    spec_dirs = port_taking_kernel(tmp_path, java_kernel, take=1)
    start = time.perf_counter()
    kernel = run_notebooks.start_kernel(spec_dirs=spec_dirs, timeout=60)
    try:
        assert time.perf_counter() - start < 60  # the failed start ended at once, not at the 60 s start-up limit
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("6 * 7")]
        kernel.run(nb, timeout=60)
        assert nb.cells[0].outputs[0]["data"]["text/plain"] == "42"
        assert kernel.failed_starts == 1
        assert len(taken_ports(tmp_path)) == 1 and kernel.km.shell_port not in taken_ports(tmp_path)
    finally:
        kernel.stop()


def test_a_kernel_that_never_gets_its_port_fails_after_the_last_start(tmp_path, java_kernel):
    spec_dirs = port_taking_kernel(tmp_path, java_kernel, take=run_notebooks.START_ATTEMPTS)
    with pytest.raises(RuntimeError, match=f"{run_notebooks.DIED_AT_START} \\({run_notebooks.START_ATTEMPTS} starts"):
        run_notebooks.start_kernel(spec_dirs=spec_dirs, timeout=60)
    assert len(set(taken_ports(tmp_path))) == run_notebooks.START_ATTEMPTS


def test_a_run_that_waits_in_vain_reports_the_kernel_threads_and_whether_it_still_answers(tmp_path, java_kernel):
    # no kernel-side limit: the client's 3 s ends the cell wait, as when replies never come
    kernel = run_notebooks.start_kernel(env={run_notebooks.TIMEOUT_ENV: "0"}, timeout=60)
    try:
        idle = kernel.diagnose(tmp_path / "idle.txt")
        assert "a new client got its kernel_info reply in" in idle, idle
        assert '"cell"' in (tmp_path / "idle.txt").read_text()  # the snippet thread, waiting for a snippet
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("Thread.sleep(25_000);")]
        with pytest.raises(run_notebooks.CellTimeoutError):
            kernel.run(nb, timeout=3)
        busy = kernel.diagnose(tmp_path / "busy.txt")
        assert "a new client got no kernel_info reply in 10 s either" in busy, busy
        assert "java.lang.Thread.sleep" in (tmp_path / "busy.txt").read_text()
        # the failure message itself shows the request and cell threads: the shell thread waits for the cell
        assert '"Shell-0"' in busy and '"cell"' in busy and "java.lang.Thread.sleep" in busy, busy
    finally:
        kernel.stop()
    assert "the kernel process has ended" in kernel.diagnose(tmp_path / "ended.txt")


def test_a_kernel_that_dies_in_a_cell_fails_the_notebook_and_says_so(tmp_path, java_kernel):
    path = notebook(tmp_path, "dies.ipynb", "int x = 1;", "Runtime.getRuntime().halt(3);", "x")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a run that never ends fails here, not at CI's limit
        r = pool.submit(run_notebooks.execute, path, tmp_path / "out", 120).result(timeout=150)
    assert not r.ok
    assert any("the kernel died" in p for p in r.problems), r.problems
