"""The scripts refuse bad arguments before they start a kernel, build or write anything: a non-zero exit status and a
message that names the option, the value and the rule, never a Python traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPTS = ROOT / "scripts"


def python_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / name), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("value", ["0", "-5", "ten"])
def test_run_notebooks_refuses_a_cell_timeout_below_one_second(value):
    # 0 meant "no limit" to the kernel but a 30 s limit to the client, which then reported "a cell exceeded 0 s";
    # a negative value made the kernel refuse to start, three times over
    done = python_script("run_notebooks.py", f"--cell-timeout={value}", "notebooks/00-getting-started.ipynb")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert f"argument --cell-timeout: {value} must be a whole number of seconds >= 1" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == "", "no notebook runs: " + done.stdout[:300]


@pytest.mark.parametrize("script, args", [
    ("run_notebooks.py", ["notebooks/00-getting-started.ipynb"]),
    ("assignment.py", ["01"]),
    ("build_site.py", []),
])
def test_an_output_folder_that_cannot_be_created_is_refused_before_any_work(script, args, tmp_path):
    # a file where the folder should be: assignment.py and build_site.py ended in FileExistsError tracebacks, and
    # run_notebooks.py only failed after running the notebook
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    done = python_script(script, *args, "--out", str(blocker))
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert f"argument --out: {blocker} must be a folder that can be created and written: File exists" \
        in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    inside = python_script(script, *args, "--out", str(blocker / "sub"))
    assert inside.returncode == 2 and "must be a folder that can be created and written: Not a directory" \
        in inside.stderr, inside.stderr


@pytest.mark.parametrize("args, message", [
    ([], "usage: scripts/install-kernel PREFIX [PYTHON] (got 0 arguments: )"),
    ([""], "PREFIX ('') must be a Python prefix folder, e.g. .venv"),
    (["{tmp}/prefix", "python3", "extra"], "(got 3 arguments: {tmp}/prefix python3 extra)"),
    (["{tmp}/file"], "PREFIX ({tmp}/file) must be a folder (a Python prefix), not a file"),
    (["{tmp}/prefix", "{tmp}/no-python"], "PYTHON ({tmp}/no-python) must be a Python 3 command or path; it was not found"),
])
def test_install_kernel_refuses_bad_arguments_before_it_builds_or_installs(args, message, tmp_path):
    # an empty PREFIX installed the kernel into /share/jupyter/kernels/java; extra arguments were ignored
    (tmp_path / "file").write_text("")
    args = [a.format(tmp=tmp_path) for a in args]
    done = subprocess.run(["bash", str(SCRIPTS / "install-kernel"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0, (done.returncode, done.stdout, done.stderr)
    assert message.format(tmp=tmp_path) in done.stderr, done.stderr
    assert "building the library" not in done.stderr, "refused before the build"
    assert not (tmp_path / "prefix").exists(), "nothing is installed"
