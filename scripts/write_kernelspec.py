"""Writes kernel.json for the PromptLimits Java kernel.

usage: write_kernelspec.py KERNEL_DIR JAVA

KERNEL_DIR holds lib/ (the library, its dependencies and the rapaio kernel jar). The kernel JVM gets
every jar on its class path (so the display renderers load) and the same jars in RJK_CLASSPATH (so
JShell compiles cells against them), and the Vector API module. RJK_TIMEOUT_MILLIS is left out on purpose: kernel.json's env
replaces the caller's variable of the same name, and headless runs set a per-cell timeout there.
"""
import json
import os
import sys


def main(kernel_dir: str, java: str) -> None:
    kernel_dir = os.path.abspath(kernel_dir)
    lib = os.path.join(kernel_dir, "lib")
    jars = sorted(os.path.join(lib, f) for f in os.listdir(lib) if f.endswith(".jar"))
    if not any(os.path.basename(j).startswith("rapaio-jupyter-kernel") for j in jars):
        sys.exit(f"{lib} holds no rapaio-jupyter-kernel jar; rebuild with scripts/install-kernel")
    spec = {
        "argv": [
            os.path.realpath(java),
            "-Djava.awt.headless=true",
            # the attention kernels use the Vector API when this module is present (15-24x faster than their
            # plain-loop fallback); the JVM prints one "Using incubator modules" line to the terminal
            "--add-modules", "jdk.incubator.vector",
            "-cp", os.pathsep.join(jars),
            "org.promptlimits.notebook.KernelLauncher",
            "{connection_file}",
        ],
        "display_name": "Java (PromptLimits)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "RJK_CLASSPATH": ";".join(jars),
        },
        "metadata": {"promptlimits": True},
    }
    with open(os.path.join(kernel_dir, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
