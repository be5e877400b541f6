"""verify, the one-command theorem report, and the rule that makes it trustworthy: notebooks build no check
themselves (every check table comes from a library function that verify calls too), so the two cannot drift.

The report of the quick run is written by scripts/test to target/verify/ (report.json, report.md) before
pytest starts; when it is missing or older than the library jar, the fixture runs scripts/verify --quick."""
from __future__ import annotations

import json
import re
import subprocess

import nbformat
import pytest

from conftest import ROOT, record
import run_notebooks

VERIFY = ROOT / "scripts" / "verify"
OUT = ROOT / "target" / "verify"
RESULTS = ["softmax", "boltzmann", "2.2", "quantizer", "2.4", "2.3", "2.5", "3.1/3.2"]
NOTEBOOKS = run_notebooks.discover([])
# a Check or CheckTable written in a cell instead of taken from the library
INLINE_CHECK = re.compile(r"\bCheck(Table)?\s*\.\s*(of|isTrue|atMost|atLeast|lessThan|greaterThan|equalTo)\s*\(|\bnew\s+Check\s*\(")


def verify(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(VERIFY), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report() -> dict:
    path, jar = OUT / "report.json", ROOT / "target" / "promptlimits.jar"
    if not path.is_file() or (jar.is_file() and path.stat().st_mtime < jar.stat().st_mtime):
        OUT.mkdir(parents=True, exist_ok=True)
        done = verify("--quick", "--json", str(path), "--markdown", str(OUT / "report.md"), timeout=600)
        assert path.is_file(), f"verify wrote no report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_notebook_takes_its_check_tables_from_the_library(path):
    nb = nbformat.read(path, as_version=4)
    inline = [f"cell {i}: {m.group(0)}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for m in INLINE_CHECK.finditer(c.source)]
    assert not inline, (f"{run_notebooks.label(path)} builds checks in a cell ({inline}); move them into a library "
                        "function (e.g. BoltzmannChecks, EfficiencyChecks) that verify calls as well")


def test_inline_check_pattern_finds_a_hand_written_check():
    assert INLINE_CHECK.search('CheckTable.of("t", Check.of("A", "c", "s", 1, Relation.AT_MOST, 2, "m"))')
    assert INLINE_CHECK.search("Check.isTrue(\"X\", ...)")
    assert not INLINE_CHECK.search("BoltzmannChecks.b4Table(vectors, 17).assertAllHold()")


def test_quick_run_covers_every_result_and_every_check_holds(report):
    assert [r["id"] for r in report["results"]] == RESULTS
    assert report["quick"] is True
    for r in report["results"]:
        assert r["error"] is None, f"{r['id']}: the construction threw {r['error']}"
        assert r["tables"] and all(t["checks"] for t in r["tables"]), f"{r['id']}: no checks"
        rows = [c for t in r["tables"] for c in t["checks"]]
        assert r["passed"] == sum(c["holds"] for c in rows) and r["failed"] == 0, \
            f"{r['id']}: failed rows {[c['id'] for c in rows if not c['holds']]}"
        record("verify --quick", (f"{r['id']}:", f"{r['seconds']:.1f} s,", f"{len(rows)} checks"))
    assert report["failed"] == 0 and report["passed"] == sum(r["passed"] for r in report["results"])
    markdown = (OUT / "report.md").read_text(encoding="utf-8")
    assert markdown.rstrip().endswith(f"{report['passed']} passed, 0 failed")


def test_one_result_prints_its_tables_and_the_closing_line():
    done = verify("--result", "boltzmann", "--quick")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Boltzmann operator: B1–B3" in done.stdout and "B4 on 40 vectors, r = 17" in done.stdout
    assert "Lemma 2.2" not in done.stdout
    assert re.fullmatch(r"\d+ passed, 0 failed", done.stdout.strip().splitlines()[-1]), done.stdout[-500:]


def test_unknown_result_names_the_valid_ones():
    done = verify("--result", "9.9")
    assert done.returncode == 2
    assert "--result (9.9) must be one of: " + ", ".join(RESULTS) in done.stderr, done.stderr


def test_unwritable_report_path_is_a_clear_error(tmp_path):
    done = verify("--json", str(tmp_path / "missing" / "report.json"))
    assert done.returncode == 2
    assert "cannot be written: folder" in done.stderr and "does not exist" in done.stderr, done.stderr
    assert "passed" not in done.stdout, "nothing runs before the error"
