"""Starts the Java kernel many times in a row and counts the starts that never answer.

usage: python scripts/kernel_starts.py [--starts 50] [--timeout 30] [--kernel java] [--main CLASS]

Each start: launch the kernel, wait up to --timeout seconds for kernel_info_reply, run `1 + 1` and wait
for its result, shut down. Reports hangs, and the median and maximum time from launch to the first cell
result. --main replaces the kernel's main class in a temporary copy of the kernelspec, to measure another
main class on the same class path the same way. Exits 1 if any start hung or failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


def one_start(kernel_name: str, timeout: float, spec_dirs: list[str] | None) -> tuple[bool, float, str]:
    km = KernelManager(kernel_name=kernel_name)
    if spec_dirs:
        km.kernel_spec_manager = KernelSpecManager(kernel_dirs=spec_dirs)
    start = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        msg_id = kc.execute("1 + 1")
        deadline = time.perf_counter() + timeout
        while True:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.perf_counter()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                text = "".join(msg["content"]["data"].get("text/plain", "")) or str(msg["content"]["data"])
                return "2" in text, time.perf_counter() - start, ""
            if msg["msg_type"] == "error":
                return False, time.perf_counter() - start, msg["content"].get("evalue", "")
    except Exception as e:  # timeout waiting for kernel_info or the result
        return False, time.perf_counter() - start, f"{type(e).__name__}: {e}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--kernel", default="java")
    parser.add_argument("--main", help="main class to start instead of the installed one")
    args = parser.parse_args(argv)
    if args.starts < 1:
        parser.error(f"--starts ({args.starts}) must be >= 1")

    spec_dirs = None
    tmp = None
    if args.main:
        spec = KernelSpecManager().get_kernel_spec(args.kernel)
        tmp = tempfile.mkdtemp(prefix="kernelspec-")
        target = Path(tmp) / args.kernel
        shutil.copytree(spec.resource_dir, target, ignore=shutil.ignore_patterns("lib"))
        data = json.loads((target / "kernel.json").read_text())
        argv_ = data["argv"]
        argv_[argv_.index("org.promptlimits.notebook.NotebookKernel")] = args.main
        (target / "kernel.json").write_text(json.dumps(data))
        spec_dirs = [tmp]

    times, failures = [], []
    try:
        for i in range(1, args.starts + 1):
            ok, seconds, why = one_start(args.kernel, args.timeout, spec_dirs)
            (times if ok else failures).append(seconds)
            print(f"start {i:3d}: {'ok  ' if ok else 'HUNG'} {seconds:6.2f} s {why}", flush=True)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    main_class = args.main or "org.promptlimits.notebook.NotebookKernel"
    summary = f"{main_class}: {len(failures)} of {args.starts} starts hung or failed"
    if times:
        summary += (f"; start to first result: median {statistics.median(times):.2f} s,"
                    f" max {max(times):.2f} s")
    print(summary)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
