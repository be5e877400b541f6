"""The scripts refuse bad arguments before they start a kernel, build or write anything: a non-zero exit status and a
message that names the option, the value and the rule, never a Python traceback."""
from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT

SCRIPTS = ROOT / "scripts"


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
