"""Writes kernel.json for the PromptLimits Java kernel.

usage: write_kernelspec.py KERNEL_DIR JAVA

KERNEL_DIR holds lib/ (the library, its dependencies and the Jupyter protocol jars). The kernel JVM gets
every jar on its class path (cells compile and run against the same jars, in the kernel's own JVM) and the
Vector API module. When KERNEL_DIR holds a class-data archive made by this JAVA for these jars
(kernel-<java version>.jsa, written by scripts/install-kernel), the JVM maps it at start. No per-cell
time limit is set here: kernel.json's env would replace the caller's variable, and headless runs set
PROMPTLIMITS_CELL_TIMEOUT themselves.
"""
import json
import os
import subprocess
import sys

MAIN = "org.promptlimits.notebook.NotebookKernel"


def java_version(java: str) -> str:
    """The running JVM's version string, e.g. 17.0.15+6-Debian-1deb12u1 (an archive fits only that JVM)."""
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    for line in out.splitlines():
        if line.strip().startswith("java.runtime.version ="):
            return line.split("=", 1)[1].strip()
    return "unknown"


def argv(kernel_dir: str, java: str, archive: bool = True) -> list:
    kernel_dir = os.path.abspath(kernel_dir)
    lib = os.path.join(kernel_dir, "lib")
    jars = sorted(os.path.join(lib, f) for f in os.listdir(lib) if f.endswith(".jar"))
    if not any(os.path.basename(j).startswith("jjava-jupyter") for j in jars):
        sys.exit(f"{lib} holds no jjava-jupyter jar; rebuild with scripts/install-kernel")
    cmd = [
        os.path.realpath(java),
        "-Djava.awt.headless=true",
        # the attention kernels use the Vector API when this module is present (15-24x faster than their
        # plain-loop fallback); the JVM prints one "Using incubator modules" line to the terminal
        "--add-modules", "jdk.incubator.vector",
    ]
    jsa = os.path.join(kernel_dir, f"kernel-{java_version(java)}.jsa")
    if archive and os.path.isfile(jsa):
        cmd.append(f"-XX:SharedArchiveFile={jsa}")
    cmd += ["-cp", os.pathsep.join(jars), MAIN, "{connection_file}"]
    return cmd


def make_archive(kernel_dir: str, java: str) -> None:
    """Writes kernel-<java version>.jsa: a run of the kernel's warm-up (JShell, a few cells, a table and a
    chart) with -XX:ArchiveClassesAtExit, on exactly the kernel's class path. Kernel starts then map these
    classes instead of loading and verifying them. Skipped when it exists; a failure only costs speed."""
    jsa = os.path.join(os.path.abspath(kernel_dir), f"kernel-{java_version(java)}.jsa")
    if os.path.isfile(jsa):
        return
    cmd = argv(kernel_dir, java, archive=False)
    cmd = cmd[:1] + [f"-XX:ArchiveClassesAtExit={jsa}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"] + cmd[1:-1] + ["--warm-up"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or not os.path.isfile(jsa):
        print(f"note: no class-data archive for the kernel (starts are slower): {done.stderr[-500:]}", file=sys.stderr)


def main(kernel_dir: str, java: str) -> None:
    make_archive(kernel_dir, java)
    spec = {
        "argv": argv(kernel_dir, java),
        "display_name": "Java (PromptLimits)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {},
        "metadata": {"promptlimits": True},
    }
    with open(os.path.join(os.path.abspath(kernel_dir), "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
