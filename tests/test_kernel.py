"""The installed Java kernel: its spec, start-up without hangs, display of the library's objects, and
notebooks that run outside the repository."""
from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

import nbformat

from conftest import ROOT, record
import kernel_starts
import run_notebooks

STARTS = 10


def test_kernelspec_names_launcher_and_absolute_class_path(java_kernel):
    spec = json.loads((Path(java_kernel.resource_dir) / "kernel.json").read_text())
    assert spec["language"] == "java"
    assert "org.promptlimits.notebook.KernelLauncher" in spec["argv"]
    assert "-Djava.awt.headless=true" in spec["argv"]
    entries = spec["env"]["RJK_CLASSPATH"].split(";")
    assert any(Path(e).name == "promptlimits.jar" for e in entries)
    for e in entries:
        assert Path(e).is_absolute() and Path(e).is_file(), e
    # kernel.json's env would replace the caller's value, and headless runs set their own timeout
    assert "RJK_TIMEOUT_MILLIS" not in spec["env"]


def test_consecutive_kernel_starts_never_hang(java_kernel):
    times, hangs = [], []
    for _ in range(STARTS):
        ok, seconds, why = kernel_starts.one_start("java", 30.0, None)
        (times if ok else hangs).append((seconds, why))
    record("kernel starts", (f"{STARTS} starts, {len(hangs)} hung;",
                             f"start to first result median {statistics.median(t for t, _ in times):.2f} s,"
                             f" max {max(t for t, _ in times):.2f} s" if times else ""))
    assert not hangs, f"{len(hangs)} of {STARTS} kernel starts hung: {hangs}"


def test_notebook_runs_from_a_folder_outside_the_repository(tmp_path, java_kernel):
    source = ROOT / "notebooks" / "00-getting-started.ipynb"
    copy = tmp_path / "course" / "week1.ipynb"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    r = run_notebooks.execute(copy, tmp_path / "out", cwd=copy.parent)
    assert r.ok, r.problems
    assert r.images >= 1 and r.check_tables >= 1


def test_notebooks_bring_the_library_in_without_paths():
    """One setup cell of imports; no cell reaches into src/ or target/ or loads jars by magic."""
    for path in run_notebooks.discover([]):
        nb = nbformat.read(path, as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code, f"{path.name} has no code"
        for i, src in enumerate(code):
            for bad in ("src/", "target/", "%classpath", "%jars", "%maven", "%dependency", "%%"):
                assert bad not in src, f"{path.name} code cell {i} contains {bad!r}"
        setup = [line for line in code[0].splitlines() if line.strip()]
        assert setup and all(line.startswith("import ") for line in setup), \
            f"{path.name}: the first code cell must hold imports only"


def test_kernel_answers_after_concurrent_shell_and_control_requests(java_kernel):
    """JupyterLab's server nudges a new kernel with kernel_info_request on shell and control at once; the
    kernel must keep answering (the kernel's own loop let two threads share the shell socket)."""
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name="java")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        for _ in range(50):
            kc.shell_channel.send(kc.session.msg("kernel_info_request"))
            kc.control_channel.send(kc.session.msg("kernel_info_request"))
        reply = kc.execute_interactive("6 * 7", timeout=60)
        assert reply["content"]["status"] == "ok"
        request = kc.session.msg("interrupt_request")
        kc.control_channel.send(request)
        msg = kc.control_channel.get_msg(timeout=30)
        while msg["parent_header"].get("msg_id") != request["header"]["msg_id"]:
            msg = kc.control_channel.get_msg(timeout=30)
        assert msg["msg_type"] == "interrupt_reply"  # answered on the control socket itself
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
