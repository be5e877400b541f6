"""The installed Java kernel, driven the way Jupyter drives it (jupyter_client): its spec, interrupt of
running cells on JDK 17 and 25, streamed output, errors that leave the kernel working, restarts, display
of the library's objects with text/plain, completion, the per-cell time limit, and notebooks that run
outside the repository."""
from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, record
import run_notebooks

JDK25 = Path(os.environ.get("PROMPTLIMITS_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"))
MAIN = "org.promptlimits.notebook.NotebookKernel"
RESTARTS = 10


class Kernel:
    """One running kernel and a client; run() executes a cell and collects its IOPub messages until idle."""

    def __init__(self, spec_dirs: list[str] | None = None, env: dict | None = None):
        started = run_notebooks.start_kernel(spec_dirs=spec_dirs, env=env)
        self.km, self.kc = started.km, started.kc

    def run(self, code: str, timeout: float = 120, interrupt_after: float | list[float] | None = None) -> "Cell":
        """interrupt_after: seconds after the request at which to send interrupt_request (one or several)."""
        cell = Cell(code)
        stops = sorted([interrupt_after] if isinstance(interrupt_after, (int, float)) else interrupt_after or [])
        start = time.perf_counter()
        msg_id = self.kc.execute(code)
        while True:
            now = time.perf_counter()
            while stops and now - start >= stops[0]:
                self.kc.control_channel.send(self.kc.session.msg("interrupt_request"))
                stops.pop(0)
                if cell.interrupted_at is None:
                    cell.interrupted_at = now
            if now - start > timeout:
                raise AssertionError(f"cell did not finish in {timeout} s: {code!r}; so far {cell.types()}")
            try:
                msg = self.kc.get_iopub_msg(timeout=0.02)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            t = time.perf_counter() - start
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                cell.seconds = t
                cell.idle_at = time.perf_counter()
                return cell
            if msg["msg_type"] not in ("status", "execute_input"):
                cell.messages.append((t, msg["msg_type"], msg["content"]))

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class Cell:
    def __init__(self, code: str):
        self.code = code
        self.messages: list[tuple[float, str, dict]] = []
        self.seconds = 0.0
        self.interrupted_at = None
        self.idle_at = None

    def types(self):
        return [m[1] for m in self.messages]

    def stdout(self) -> str:
        return "".join(c["text"] for _, t, c in self.messages if t == "stream" and c["name"] == "stdout")

    def stderr(self) -> str:
        return "".join(c["text"] for _, t, c in self.messages if t == "stream" and c["name"] == "stderr")

    def error(self) -> dict | None:
        return next((c for _, t, c in self.messages if t == "error"), None)

    def result(self) -> dict:
        found = [c["data"] for _, t, c in self.messages if t == "execute_result"]
        assert found, f"{self.code!r} gave no result: {self.messages}"
        return found[-1]

    def interrupt_latency(self) -> float:
        return self.idle_at - self.interrupted_at


def jdk25_spec(tmp_dir: Path, installed: Path) -> Path:
    """A copy of the installed kernelspec that runs the same jars on Temurin 25 (no class-data archive:
    an archive fits only the JVM that wrote it)."""
    spec = json.loads((installed / "kernel.json").read_text())
    argv = [a for a in spec["argv"] if not a.startswith("-XX:SharedArchiveFile=")]
    argv[0] = str(JDK25 / "bin" / "java")
    spec["argv"] = argv
    target = tmp_dir / "java"
    target.mkdir(parents=True)
    (target / "kernel.json").write_text(json.dumps(spec))
    return tmp_dir


JDKS = ["17", "25"]


@pytest.fixture(scope="module", params=JDKS)
def jdk_kernel(request, java_kernel, tmp_path_factory):
    """A kernel on each JDK: the installed one (the default java, 17) and the same jars on Temurin 25."""
    if request.param == "25":
        if not (JDK25 / "bin" / "java").is_file():
            pytest.skip(f"no JDK 25 at {JDK25} (set PROMPTLIMITS_JDK25): the interrupt tests ran on JDK 17 only")
        k = Kernel([str(jdk25_spec(tmp_path_factory.mktemp("jdk25"), Path(java_kernel.resource_dir)))])
    else:
        k = Kernel()
    k.run("int keep = 41;")
    if request.param == "25":
        assert k.run("Runtime.version().feature()").result()["text/plain"] == "25"
    yield k
    k.close()


@pytest.fixture(scope="module")
def kernel(java_kernel):
    k = Kernel(env={"JAVA_TOOL_OPTIONS": "-Xmx1g"})  # a small heap: the out-of-memory test fills it quickly
    yield k
    k.close()


def test_kernelspec_runs_the_kernel_on_an_absolute_class_path(java_kernel):
    spec = json.loads((Path(java_kernel.resource_dir) / "kernel.json").read_text())
    assert spec["language"] == "java"
    assert spec["interrupt_mode"] == "message"
    argv = spec["argv"]
    assert MAIN in argv and "-Djava.awt.headless=true" in argv
    entries = argv[argv.index("-cp") + 1].split(os.pathsep)
    assert any(Path(e).name == "promptlimits.jar" for e in entries)
    assert not any("rapaio" in Path(e).name for e in entries)
    for e in entries:
        assert Path(e).is_absolute() and Path(e).is_file(), e
    # kernel.json's env would replace the caller's value, and headless runs set their own limit
    assert "PROMPTLIMITS_CELL_TIMEOUT" not in spec.get("env", {})


INTERRUPTED = {
    "tight loop": "while (true) { }",
    "Thread.sleep": "Thread.sleep(600_000);",
    # e to 30,000 digits: a BigDecimal series of about 8,000 terms (minutes); BigMath checks the thread's
    # interrupt status once per term (each term takes tens of milliseconds)
    "library call": "org.promptlimits.precision.BigMath.e(new java.math.MathContext(30_000))",
}


@pytest.mark.parametrize("case", list(INTERRUPTED))
def test_interrupt_stops_the_cell_and_keeps_variables(jdk_kernel, case):
    cell = jdk_kernel.run(INTERRUPTED[case], interrupt_after=1.5, timeout=60)
    latency = cell.interrupt_latency()
    error = cell.error()
    assert error is not None and error["ename"] == "Interrupted", cell.messages
    assert "interrupted" in error["evalue"]
    assert latency < 2.0, f"{case}: {latency:.2f} s from interrupt_request to idle"
    after = jdk_kernel.run("keep + 1")
    assert after.result()["text/plain"] == "42"
    version = jdk_kernel.run("Runtime.version().feature()").result()["text/plain"]
    record("kernel interrupt", (f"JDK {version}", f"{case}:", f"{latency:.3f} s from interrupt_request to idle"))


# cells a stop can meet while they start, wait, loop, print or end by themselves (the sleep most often: its
# interrupt ends it at once, so on JDK 17 the Thread.stop that follows meets the cell's end); None: must stop
STOPPED_AT_ANY_MOMENT = [("Thread.sleep(600_000);", True), ("while (true) { }", True),
                         ("Thread.sleep(600_000);", True), ("Thread.sleep(20);", False),
                         ("Thread.sleep(600_000);", True), ('for (int i = 0; i < 20_000; i++) System.out.println(i);', False),
                         ("Thread.sleep(600_000);", True), ("keep * 2", False)]


def test_stops_at_any_moment_never_reach_the_kernel_or_the_next_cell(jdk_kernel):
    """Stop pressed once, twice or three times, as the request leaves or up to 60 ms later, on cells that
    wait, loop, print or end by themselves, and on an idle kernel: each cell ends, and the next cell runs
    untouched. (On JDK 17 a stop that landed after the cell's code had returned could break the kernel's own
    cell thread, and every later cell waited forever; a Stop could also be lost, or reach the next cell; a
    stop inside println left the line in the stream's buffer, to come out with the next cell's output.)"""
    kc = jdk_kernel.kc
    kc.control_channel.send(kc.session.msg("interrupt_request"))  # idle: nothing to stop
    jdk17 = jdk_kernel.run("Runtime.version().feature()").result()["text/plain"] == "17"
    for i in range(2 * len(STOPPED_AT_ANY_MOMENT) if jdk17 else len(STOPPED_AT_ANY_MOMENT)):
        code, must_stop = STOPPED_AT_ANY_MOMENT[i % len(STOPPED_AT_ANY_MOMENT)]
        first = (i * 7 % 13) * 0.005  # 0 to 60 ms after the request, in an order unrelated to the code's
        stops = [first + k * 0.01 * (i % 3) for k in range(1 + i % 3)]
        cell = jdk_kernel.run(code, interrupt_after=stops, timeout=20)
        error = cell.error()
        if must_stop:
            assert error is not None and error["ename"] == "Interrupted", (i, code, stops, cell.messages)
        else:
            assert error is None or error["ename"] == "Interrupted", (i, code, stops, cell.messages)
        after = jdk_kernel.run('System.out.println("next"); keep + 1', timeout=20)
        assert after.error() is None and after.result()["text/plain"] == "42", (i, code, stops, after.messages)
        assert after.stdout() == "next\n", (i, code, stops, after.messages)  # nothing of the stopped cell's output


def test_cells_run_on_one_thread_with_the_usual_imports(kernel):
    """Thread-local state (a seeded ND4J generator) carries from one statement and cell to the next; List,
    BigDecimal and display need no import, as under JJava."""
    kernel.run("ThreadLocal<Integer> local = new ThreadLocal<>(); local.set(7);")
    assert kernel.run("local.get()").result()["text/plain"] == "7"
    assert kernel.run("List<BigDecimal> xs = new ArrayList<>(); xs.add(BigDecimal.ONE); xs").result()["text/plain"] == "[1]"


def test_ten_thousand_lines_arrive_complete_and_batched(kernel):
    cell = kernel.run('for (int i = 0; i < 10_000; i++) System.out.println("line " + i);')
    lines = cell.stdout().splitlines()
    assert lines == [f"line {i}" for i in range(10_000)]
    streams = [m for m in cell.messages if m[1] == "stream"]
    assert len(streams) < 1_000, f"{len(streams)} stream messages for 10,000 lines: output is not batched"
    record("kernel output", ("10,000 lines:", f"{cell.seconds:.2f} s to idle,", f"{len(streams)} messages"))


def test_stdout_and_stderr_keep_their_order(kernel):
    cell = kernel.run('System.out.println("a"); System.err.println("b"); System.out.println("c");')
    order = [(c["name"], c["text"]) for _, t, c in cell.messages if t == "stream"]
    assert "".join(f"{n}:{x}" for n, x in order) == "stdout:a\nstderr:b\nstdout:c\n"


def test_print_without_newline_shows_while_the_cell_runs(kernel):
    cell = kernel.run('System.out.print("partial"); Thread.sleep(3_000); System.out.print(" done");')
    first = next(m for m in cell.messages if m[1] == "stream")
    assert first[2]["text"] == "partial"
    assert cell.seconds - first[0] > 2.0, f"'partial' arrived {cell.seconds - first[0]:.2f} s before the cell ended"
    assert cell.stdout() == "partial done"


def test_output_past_the_limit_is_dropped_and_counted(kernel):
    # 9 MiB of text, over the 8 MiB a cell may send
    cell = kernel.run('String s = "x".repeat(1023); for (int i = 0; i < 9 * 1024; i++) System.out.println(s);')
    assert len(cell.stdout()) == 8 * 1024 * 1024
    assert "output limit" in cell.stderr() and "1,048,576" in cell.stderr()
    assert kernel.run("1 + 1").result()["text/plain"] == "2"


def test_compile_error_then_a_working_cell(kernel):
    cell = kernel.run('int broken = "text";')
    error = cell.error()
    assert error["ename"] == "CompilationError" and "incompatible types" in error["evalue"]
    assert kernel.run("int fine = 3; fine * 2").result()["text/plain"] == "6"


def test_exception_shows_class_and_message(kernel):
    error = kernel.run('throw new IllegalStateException("boom")').error()
    assert error["ename"] == "java.lang.IllegalStateException" and error["evalue"] == "boom"


def test_out_of_memory_then_a_working_cell(kernel):
    cell = kernel.run("{ java.util.List<long[]> hog = new java.util.ArrayList<>();\n"
                      "  while (true) hog.add(new long[4 * 1024 * 1024]); }", timeout=120)
    assert cell.error()["ename"] == "java.lang.OutOfMemoryError", cell.messages
    assert kernel.run("40 + 2").result()["text/plain"] == "42"
    assert kernel.run('System.out.println("still here");').stdout() == "still here\n"


def test_every_result_carries_text_plain(kernel):
    kernel.run("import org.promptlimits.check.*;\nimport org.promptlimits.notebook.*;\nimport org.knowm.xchart.*;")
    assert kernel.run("1 + 1").result() == {"text/plain": "2"}
    table = kernel.run('CheckTable.of("t", Check.of("A", "c", "s", 1, Relation.AT_MOST, 2, "m"))').result()
    assert "promptlimits-checks" in table["text/html"] and table["text/plain"].strip()
    shown = kernel.run('XYChart c = new XYChartBuilder().width(200).height(100).title("t").build();\n'
                       'c.addSeries("s", new double[] {1, 2}, new double[] {1, 4});\n'
                       'display(c);\n'
                       'Plots.png(c)')
    displays = [m[2]["data"] for m in shown.messages if m[1] == "display_data"]
    assert len(displays) == 1 and displays[0]["image/png"] and displays[0]["text/plain"] == "chart: t"
    assert shown.result()["image/png"] and shown.result()["text/plain"] == "image 200x100"
    # a cell ending in display(x); shows x and prints nothing else
    assert kernel.run('display("hello");').types() == ["display_data"]


def shell_reply(kernel: Kernel, msg_type: str, **content) -> dict:
    request = kernel.kc.session.msg(msg_type, content)
    kernel.kc.shell_channel.send(request)
    while True:
        reply = kernel.kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            return reply["content"]


def test_completion_and_is_complete(kernel):
    reply = shell_reply(kernel, "complete_request", code="Strin", cursor_pos=5)
    assert reply["status"] == "ok" and "String" in reply["matches"]
    assert reply["cursor_start"] == 0 and reply["cursor_end"] == 5
    assert shell_reply(kernel, "is_complete_request", code="for (int i = 0; i < 3; i++) {")["status"] == "incomplete"
    assert shell_reply(kernel, "is_complete_request", code="int a = 1;")["status"] == "complete"


def test_cell_time_limit_stops_the_cell_and_names_the_limit(java_kernel):
    k = Kernel(env={"PROMPTLIMITS_CELL_TIMEOUT": "4"})
    try:
        k.run("int kept = 5;")
        cell = k.run("while (true) { }", timeout=30)
        assert cell.error()["ename"] == "CellTimeout" and "4 s limit" in cell.error()["evalue"]
        assert k.run("kept").result()["text/plain"] == "5"
    finally:
        k.close()


def test_restarts_never_hang(java_kernel):
    k = Kernel()
    times = []
    try:
        for _ in range(RESTARTS):
            start = time.perf_counter()
            k.km.restart_kernel(now=True)
            k.kc.wait_for_ready(timeout=60)
            assert k.run("1 + 1", timeout=60).result()["text/plain"] == "2"
            times.append(time.perf_counter() - start)
    finally:
        k.close()
    record("kernel restarts", (f"{RESTARTS} restarts to first result:", f"median {statistics.median(times):.2f} s,",
                               f"max {max(times):.2f} s"))


def test_a_port_taken_before_the_kernel_binds_it_ends_the_start_naming_the_port(tmp_path, java_kernel):
    """Another process can take a port between the client choosing it and the kernel's JVM binding it. The kernel
    must exit at once (the client then starts it again on new ports), not stay up answering heartbeats only."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    shell = taken.getsockname()[1]
    free = []
    for _ in range(4):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            free.append(s.getsockname()[1])
    hb, control, stdin, iopub = free
    connection = tmp_path / "kernel.json"
    connection.write_text(json.dumps({
        "ip": "127.0.0.1", "transport": "tcp", "hb_port": hb, "shell_port": shell,
        "control_port": control, "stdin_port": stdin, "iopub_port": iopub, "key": "k",
        "signature_scheme": "hmac-sha256", "kernel_name": "java"}))
    argv = json.loads((Path(java_kernel.resource_dir) / "kernel.json").read_text())["argv"]
    try:
        done = subprocess.run([str(connection) if a == "{connection_file}" else a for a in argv],
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the kernel stayed up 30 s after failing to bind its shell port")
    finally:
        taken.close()
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert f"shell_port ({shell}) of tcp://127.0.0.1 is in use" in done.stderr, done.stderr


LAUNCHER = """
import sys, time
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name="java")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
print(km.provisioner.pid, flush=True)
time.sleep(600)
"""


def test_a_kernel_whose_client_was_killed_exits(tmp_path, java_kernel):
    """The client dies without shutting its kernel down (a killed test run, a crashed server): no JVM stays behind."""
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdout=subprocess.PIPE, text=True)
    try:
        kernel_pid = int(launcher.stdout.readline())
        assert process_alive(kernel_pid)
    finally:
        launcher.kill()
        launcher.wait()
    assert ends_within(kernel_pid, 20), "the kernel was still running 20 s after its client was killed"


LEAVING_LAUNCHER = """
import os
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name="java")
km.start_kernel()
print(km.provisioner.pid, flush=True)
os._exit(0)
"""


def test_a_kernel_whose_client_ended_while_it_started_exits(tmp_path, java_kernel):
    """The client ends (killed, crashed) while its kernel's JVM is still starting, before the kernel watches it: the
    kernel must not stay up for good either."""
    with open(tmp_path / "kernel.err", "w") as err:  # the kernel keeps the launcher's output files
        launcher = subprocess.Popen([sys.executable, "-c", LEAVING_LAUNCHER], stdout=subprocess.PIPE, stderr=err,
                                    text=True)
        kernel_pid = int(launcher.stdout.readline())
        time.sleep(3)  # the launcher stays a zombie meanwhile: nobody has collected its exit status yet
        launcher.wait(timeout=60)
    assert ends_within(kernel_pid, 20), "the kernel was still running 20 s after its client ended while it started"
    assert "ended before the kernel was up" in (tmp_path / "kernel.err").read_text()


def ends_within(pid: int, seconds: float) -> bool:
    """Whether process pid ends within the given time; one still running then is killed (no JVM left behind)."""
    deadline = time.perf_counter() + seconds
    while process_alive(pid) and time.perf_counter() < deadline:
        time.sleep(0.1)
    if process_alive(pid):
        os.kill(pid, 9)
        return False
    return True


def process_alive(pid: int) -> bool:
    """Whether process pid runs (a zombie left for its dead parent's reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_clients_that_connect_one_after_another_all_get_replies(java_kernel):
    """A reloaded page or a second tool connects to a running kernel after an earlier client left, with the same
    identity (jupyter_client gives it to every client of one kernel manager): each must get its replies."""
    k = Kernel()
    k.kc.stop_channels()
    try:
        for i in range(4):
            kc = k.km.client()
            kc.start_channels()
            results = []
            try:
                kc.wait_for_ready(timeout=30)
                reply = kc.execute_interactive(f"{i} * 7", timeout=30, output_hook=lambda m: results.append(
                    m["content"]["data"]["text/plain"]) if m["msg_type"] == "execute_result" else None)
            finally:
                kc.stop_channels()
            assert reply["content"]["status"] == "ok" and results == [str(i * 7)], (i, reply["content"], results)
    finally:
        k.km.shutdown_kernel(now=True)


def test_kernel_answers_after_concurrent_shell_and_control_requests(kernel):
    """JupyterLab's server nudges a new kernel with kernel_info_request on shell and control at once."""
    kc = kernel.kc
    for _ in range(50):
        kc.shell_channel.send(kc.session.msg("kernel_info_request"))
        kc.control_channel.send(kc.session.msg("kernel_info_request"))
    assert kernel.run("6 * 7").result()["text/plain"] == "42"


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
        setup = [line for line in code[0].splitlines() if line.strip() and not line.strip().startswith("//")]
        assert setup and all(line.startswith("import ") for line in setup), \
            f"{path.name}: the first code cell must hold imports only"
