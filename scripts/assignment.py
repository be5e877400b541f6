"""Writes the student version of a notebook's exercises, without nbgrader.

usage: python scripts/assignment.py NN [NN ...] [--out DIR]

Reads notebooks/solutions/NN-*-solutions.ipynb, whose cells carry nbgrader metadata, and writes
DIR/NN-*-exercises.ipynb (DIR defaults to target/assignments). Answer cells (nbgrader "solution": true)
lose what lies between the markers `// BEGIN SOLUTION` and `// END SOLUTION` (code) or
`<!-- BEGIN SOLUTION -->` and `<!-- END SOLUTION -->` (markdown, or the whole cell when it has no
markers); code keeps everything outside the markers, so the variables an answer fills in are still
declared and the stub compiles. Check cells (nbgrader "grade": true) are kept as they are: they fail
until the answers are written. Outputs are cleared. This is what nbgrader's `generate_assignment`
does with `ClearSolutions.code_stub = {"java": "// YOUR CODE HERE"}`.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

import script_args

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
CODE_STUB = "// YOUR CODE HERE"
TEXT_STUB = "YOUR ANSWER HERE"
CODE_BLOCK = re.compile(r"^([ \t]*)// BEGIN SOLUTION[^\n]*\n.*?^[ \t]*// END SOLUTION[^\n]*$", re.S | re.M)
TEXT_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.S)
MARKER = re.compile(r"(//|<!--) (BEGIN|END) SOLUTION")


def grading(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def source_notebook(number: str) -> Path:
    if not re.fullmatch(r"\d\d", number):
        raise SystemExit(f"notebook number ({number}) must be two digits, e.g. 03")
    found = sorted(SOLUTIONS.glob(f"{number}-*-solutions.ipynb"))
    if len(found) != 1:
        raise SystemExit(f"notebook number ({number}) must name one notebook in notebooks/solutions/; "
                         f"found {len(found)}")
    return found[0]


def strip(cell, where: str) -> None:
    """Replaces the solution parts of one answer cell by a stub, in place."""
    source = cell.source
    begins, ends = source.count("BEGIN SOLUTION"), source.count("END SOLUTION")
    if begins != ends:
        raise ValueError(f"{where}: {begins} BEGIN SOLUTION markers but {ends} END SOLUTION markers")
    if cell.cell_type == "code":
        if begins == 0:
            raise ValueError(f"{where}: an answer cell must mark its solution with // BEGIN SOLUTION")
        stripped = CODE_BLOCK.sub(lambda m: m.group(1) + CODE_STUB, source)
    else:
        stripped = TEXT_BLOCK.sub(TEXT_STUB, source) if begins else TEXT_STUB
    if MARKER.search(stripped):
        raise ValueError(f"{where}: a solution marker is malformed (use '// BEGIN SOLUTION' on its own line)")
    cell.source = stripped


def student_version(path: Path):
    """The student notebook for one solutions notebook."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        where = f"{path.name} cell {index}"
        meta = grading(cell)
        if meta.get("solution"):
            strip(cell, where)
        elif MARKER.search(cell.source):
            raise ValueError(f"{where}: solution markers outside an answer cell (nbgrader solution: true)")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    if nb.cells and nb.cells[0].cell_type == "markdown":
        nb.cells[0].source = nb.cells[0].source.replace(" (with solutions)", "")
    return nb


def write(number: str, out: Path) -> Path:
    path = source_notebook(number)
    target = out / path.name.replace("-solutions.ipynb", "-exercises.ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student_version(path), target)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="+", metavar="NN")
    parser.add_argument("--out", type=script_args.output_folder, default=str(ROOT / "target" / "assignments"))
    args = parser.parse_args(argv)
    for number in args.numbers:
        try:
            print(write(number, Path(args.out)))
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
