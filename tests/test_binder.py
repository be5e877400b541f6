"""Binder: the repo2docker files are consistent, and postBuild installs a working kernel into a fresh prefix."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from conftest import ROOT
import run_notebooks


def pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_binder_pins_equal_the_environment_pins():
    env = pins(ROOT / "environment" / "requirements.txt")
    assert env and "jupyterlab" in env
    assert pins(ROOT / "binder" / "requirements.txt") == env


def test_binder_apt_has_jdk_maven_and_fonts():
    apt = set((ROOT / "binder" / "apt.txt").read_text().split())
    assert {"openjdk-17-jdk-headless", "maven", "fontconfig", "fonts-dejavu-core"} <= apt


def test_postbuild_installs_a_kernel_that_runs_notebook_00(tmp_path):
    prefix, home = tmp_path / "prefix", tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PROMPTLIMITS_PREFIX=str(prefix))
    # A fresh HOME would make Maven download every dependency again; point it at the existing repository.
    env["MAVEN_OPTS"] = (env.get("MAVEN_OPTS", "") + f" -Dmaven.repo.local={Path.home() / '.m2' / 'repository'}").strip()
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    kernels = prefix / "share" / "jupyter" / "kernels"
    assert (kernels / "java" / "kernel.json").is_file()
    assert str(prefix) in (kernels / "java" / "kernel.json").read_text()

    nb = nbformat.read(ROOT / "notebooks" / "00-getting-started.ipynb", as_version=4)
    kernel = run_notebooks.start_kernel(spec_dirs=[str(kernels)], cwd=tmp_path)
    try:
        kernel.run(nb, timeout=300)
    finally:
        kernel.stop()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
