"""Executes notebooks headless with the Java kernel and fails on any error.

usage: python scripts/run_notebooks.py [NOTEBOOK_OR_FOLDER ...] [--out DIR] [--cell-timeout SECONDS]

With no arguments, runs every notebook under notebooks/ (solutions included). Each executed copy is
written under --out (default target/notebooks), keeping the folder layout. A notebook fails when any
cell raises (an error output), when a check table it shows reports a failed check, or when the kernel
dies or a cell exceeds the timeout. Prints one line per notebook and a time table; exits 1 on failure.
"""
from __future__ import annotations

import argparse
import os
import queue
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.client import KernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

import script_args

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "java"
TIMEOUT_ENV = "PROMPTLIMITS_CELL_TIMEOUT"  # read by org.promptlimits.notebook.NotebookKernel at start

# The client chooses the kernel's ports and writes them in the connection file; another process can take one of
# them before the kernel's JVM binds it, a second or more later (longer on a loaded machine). The kernel then
# exits at once, naming the port, and is started again on new ports, as JupyterLab's restarter does. A kernel
# that stays up without answering is not started again: that is a hang, and fails.
START_ATTEMPTS = 3
DIED_AT_START = "Kernel died before replying to kernel_info"  # jupyter_client's wait_for_ready


@dataclass
class Started:
    """A kernel that has answered kernel_info, its client, and how many starts before it died first."""
    km: KernelManager
    kc: KernelClient
    failed_starts: int

    def run(self, nb, **options) -> None:
        """Runs every cell of nb on this kernel with NotebookClient(**options), through a client of its own.

        That client is an asyncio one: NotebookClient reads a cell's IOPub messages with no time limit and
        relies on its event loop to end the wait at the cell's timeout or when the kernel dies. A blocking
        client (what a KernelManager's client() gives) holds the loop inside that read, so neither check ran:
        a cell whose messages never came kept the run waiting for good. It has its own session, so it does
        not take the started client's identity over on the kernel's sockets."""
        client = NotebookClient(nb, km=self.km, **options)
        # the manager as parent: 'is the kernel alive' asks its process, not the heartbeat, which misses its 1 s
        # under load (with heartbeats, 10 of 129 runs beside two busy loops ended in a false "Kernel died"; 0 of 90 now)
        kc = AsyncKernelClient(parent=self.km)
        kc.load_connection_info(self.km.get_connection_info())
        kc.start_channels(hb=False)
        try:
            # as NotebookClient's own client start does: a reply on the shell channel and IOPub connected
            run_sync(kc.wait_for_ready)(timeout=client.startup_timeout)
            kc.allow_stdin = False  # a headless run has nobody to type
            client.kc = kc
            client.execute()
        finally:
            kc.stop_channels()

    def diagnose(self, dump: Path) -> str:
        """What a run that waited in vain can still learn: the kernel JVM's thread dump (written to dump) and
        whether the kernel answers a new client with its own session, which tells a kernel that stopped
        answering from replies or requests that went astray between this client and the kernel."""
        found = []
        pid = getattr(self.km.provisioner, "pid", None)
        jstack = Path(self.km.kernel_spec.argv[0]).with_name("jstack") if self.km.kernel_spec else None
        if pid is None or not self.km.is_alive():
            found.append("the kernel process has ended")
        elif jstack is not None and jstack.is_file():
            try:
                dump.parent.mkdir(parents=True, exist_ok=True)
                threads = subprocess.run([str(jstack), str(pid)], capture_output=True, text=True, timeout=60).stdout
                dump.write_text(threads)
                found.append(f"its threads: {dump}\n{kernel_threads(threads)}")
            except (OSError, subprocess.SubprocessError) as e:
                found.append(f"no thread dump ({type(e).__name__}: {e})")
        if self.km.is_alive():
            probe = BlockingKernelClient()
            probe.load_connection_info(self.km.get_connection_info())
            probe.start_channels(iopub=False, stdin=False, hb=False, control=False)
            start = time.perf_counter()
            try:
                probe.kernel_info(reply=True, timeout=10)
                found.append(f"a new client got its kernel_info reply in {time.perf_counter() - start:.2f} s")
            except (TimeoutError, queue.Empty):
                found.append("a new client got no kernel_info reply in 10 s either")
            finally:
                probe.stop_channels()
        return "; ".join(found)

    def stop(self) -> None:
        """Closes the client and shuts the kernel down at once (only tidies up when it already died)."""
        self.kc.stop_channels()
        if self.km.has_kernel and self.km.is_alive():
            self.km.shutdown_kernel(now=True)


def start_kernel(kernel_name: str = KERNEL, spec_dirs: list[str] | None = None, cwd: Path | None = None,
                 env: dict | None = None, timeout: float = 120) -> Started:
    """Starts a kernel and waits for its first reply; a kernel that died before it is started again on new ports,
    at most START_ATTEMPTS starts in all."""
    for failed in range(START_ATTEMPTS):
        km = KernelManager(kernel_name=kernel_name)
        if spec_dirs:
            km.kernel_spec_manager = KernelSpecManager(kernel_dirs=spec_dirs)
        km.start_kernel(cwd=str(cwd) if cwd else None, env={**os.environ, **(env or {})})
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            return Started(km, kc, failed)
        except RuntimeError as e:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            if DIED_AT_START not in str(e) or failed + 1 == START_ATTEMPTS:
                raise RuntimeError(f"{e} ({failed + 1} starts, each on new ports)" if DIED_AT_START in str(e)
                                   else str(e)) from e
    raise AssertionError("unreachable")


# A check table rendered by org.promptlimits.check.CheckTable#toHtml carries its verdict in this attribute.
CHECK_TABLE = re.compile(r'class="promptlimits-checks" data-all-hold="(true|false)"')
FAILED_ROW = re.compile(r'<tr data-holds="false"')


@dataclass
class Result:
    notebook: str
    seconds: float = 0.0
    cells: int = 0
    check_tables: int = 0
    images: int = 0
    problems: list[str] = field(default_factory=list)
    failed_starts: int = 0  # kernel starts that died before answering (a port taken), each followed by a new one

    @property
    def ok(self) -> bool:
        return not self.problems


def discover(paths: list[str]) -> list[Path]:
    """The notebooks named, or found under the folders named (notebooks/ by default), sorted, no checkpoints."""
    found: list[Path] = []
    for p in [Path(x).resolve() for x in paths] or [NOTEBOOKS]:
        if p.is_dir():
            found += [q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts]
        elif p.suffix == ".ipynb" and p.is_file():
            found.append(p)
        else:
            raise SystemExit(f"notebook ({p}) must be an existing .ipynb file or a folder holding some")
    return sorted(set(found))


def label(path: Path) -> str:
    try:
        return str(path.relative_to(NOTEBOOKS))
    except ValueError:
        return str(path)


def inspect(nb, result: Result) -> None:
    """Reads every output: errors, check-table verdicts and images; a cell that draws a plot must show one."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        result.cells += 1
        outputs = cell.get("outputs", [])
        ran = cell.get("execution_count") is not None
        if ran and "Plots.png(" in cell.source and not any("image/png" in o.get("data", {}) for o in outputs):
            result.problems.append(f"cell {index} (execution_count {cell.get('execution_count')}): "
                                   "draws a plot with Plots.png but shows no image")
        for out in outputs:
            where = f"cell {index} (execution_count {cell.get('execution_count')})"
            if out.output_type == "error":
                result.problems.append(f"{where}: error output {out.get('ename')}: {out.get('evalue', '')[:300]}")
                continue
            data = out.get("data", {})
            if "image/png" in data:
                result.images += 1
            html = data.get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            for verdict in CHECK_TABLE.findall(html):
                result.check_tables += 1
                if verdict != "true" or FAILED_ROW.search(html):
                    result.problems.append(f"{where}: a check table shows a failed check")


def execute(path: Path, out_dir: Path, cell_timeout: int = 600, cwd: Path | None = None) -> Result:
    """Runs one notebook in its own folder (or cwd) and writes the executed copy under out_dir."""
    result = Result(label(path))
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    kernel = None
    try:
        kernel = start_kernel(cwd=cwd or path.parent, env={TIMEOUT_ENV: str(cell_timeout)})
        result.failed_starts = kernel.failed_starts
        # The kernel stops a cell at this limit itself and says so in the cell's error; the client waits a
        # little longer, so that the kernel's message, not the client's timeout, ends such a cell.
        kernel.run(nb, timeout=cell_timeout + 30)
    except CellExecutionError:
        pass  # the error output is in the notebook; inspect() reports it with its cell
    except CellTimeoutError as e:
        result.problems.append(f"a cell exceeded {cell_timeout} s: {str(e)[:200]}; "
                               + (kernel.diagnose(dump_path(out_dir, path)) if kernel else ""))
    except TimeoutError as e:  # nbclient's wait for the reply to its kernel_info, before the first cell
        result.problems.append(f"the kernel did not answer the notebook's first request: {e}; "
                               + (kernel.diagnose(dump_path(out_dir, path)) if kernel else ""))
    except DeadKernelError as e:
        result.problems.append(f"the kernel died: {e}")
    except Exception as e:  # kernel missing, start-up failure
        result.problems.append(f"could not run: {type(e).__name__}: {e}")
    finally:
        if kernel is not None:
            kernel.stop()
    result.seconds = time.perf_counter() - start
    inspect(nb, result)
    target = out_dir / result.notebook if not Path(result.notebook).is_absolute() else out_dir / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return result


# The threads of a thread dump that serve requests and run cells (the rest is the JVM's own), for a failure message.
KERNEL_THREAD = re.compile(r'^"(Shell-\d+|Control-\d+|cell|cell-timer|output-flusher|main|ForkJoinPool[^"]*|Thread-\d+)"')


def kernel_threads(dump: str, frames: int = 10) -> str:
    """The request and cell threads of a jstack dump, each with its state and top frames."""
    kept = []
    for block in dump.split("\n\n"):
        lines = block.strip().splitlines()
        if lines and KERNEL_THREAD.match(lines[0]):
            kept.append("\n".join([lines[0].split(" #")[0]] + [l.strip() for l in lines[1:frames + 2]]))
    return "\n".join(kept)


def dump_path(out_dir: Path, path: Path) -> Path:
    return out_dir / f"{path.stem}.kernel-threads.txt"


def table(results: list[Result]) -> str:
    width = max([len(r.notebook) for r in results] + [8])
    lines = [f"{'notebook':<{width}}  {'seconds':>8}  {'cells':>5}  {'checks':>6}  {'images':>6}  result",
             "-" * (width + 46)]
    for r in results:
        lines.append(f"{r.notebook:<{width}}  {r.seconds:8.1f}  {r.cells:5d}  {r.check_tables:6d}  {r.images:6d}  "
                     + ("ok" if r.ok else "FAILED")
                     + (f" (kernel started {r.failed_starts + 1} times: a port was taken)" if r.failed_starts else ""))
    lines.append(f"{'total':<{width}}  {sum(r.seconds for r in results):8.1f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--out", type=script_args.output_folder, default=str(ROOT / "target" / "notebooks"))
    parser.add_argument("--cell-timeout", type=script_args.whole_number("seconds", 1), default=600)
    args = parser.parse_args(argv)
    results = []
    for path in discover(args.paths):
        r = execute(path, Path(args.out), args.cell_timeout)
        print(f"{'ok    ' if r.ok else 'FAILED'} {r.notebook} ({r.seconds:.1f} s)", flush=True)
        for p in r.problems:
            print(f"       {p}", flush=True)
        results.append(r)
    if not results:
        print("no notebooks found")
        return 1
    print(table(results))
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
