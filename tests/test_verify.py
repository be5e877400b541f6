"""verify, the one-command theorem report, and what makes it trustworthy: the check tables it prints come from
the same library functions the notebooks call, so the two cannot drift.

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
NOTEBOOKS = [p for p in run_notebooks.discover([]) if p.parent.name == "notebooks"]
RESULTS_JAVA = ROOT / "src" / "main" / "java" / "org" / "promptlimits" / "verify" / "Results.java"
# a library function that builds check tables, as verify calls it: BoltzmannChecks.b3Sweep(, EfficiencyChecks.almostLinear(
TABLE_FUNCTION = re.compile(r"\b([A-Z]\w*Checks)\.(\w+)\(")


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


def code(path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def test_every_check_table_function_verify_runs_is_shown_by_a_notebook():
    """verify and the notebooks share their check tables: each *Checks function verify calls is called by a
    notebook too (and each construction's checks() is the same method in both), so neither shows a table the
    other does not compute the same way."""
    used = sorted(set(TABLE_FUNCTION.findall(RESULTS_JAVA.read_text(encoding="utf-8"))))
    assert len(used) >= 8, f"Results.java calls too few check-table functions: {used}"
    notebooks = {p.name: code(p) for p in NOTEBOOKS}
    missing = [f"{cls}.{fn}" for cls, fn in used
               if not any(re.search(rf"\b{cls}\.{fn}\(", text) for text in notebooks.values())]
    assert not missing, f"verify runs check tables no notebook shows: {missing}"


def test_table_function_pattern_reads_calls_and_not_declarations():
    sample = "return List.of(BoltzmannChecks.b1ToB3(a, b), EfficiencyChecks.almostLinear(c)); Checks x; checks()"
    assert TABLE_FUNCTION.findall(sample) == [("BoltzmannChecks", "b1ToB3"), ("EfficiencyChecks", "almostLinear")]


def test_quick_run_covers_every_result_and_every_check_holds(report):
    assert [r["id"] for r in report["results"]] == RESULTS
    assert report["quick"] is True
    for r in report["results"]:
        assert r["error"] is None, f"{r['id']}: the construction threw {r['error']}"
        assert r["tables"] and all(t["checks"] for t in r["tables"]), f"{r['id']}: no checks"
        rows = [c for t in r["tables"] for c in t["checks"]]
        checks = [c for c in rows if c["kind"] == "check"]      # construction facts are shown, not counted
        assert r["passed"] == sum(c["holds"] for c in checks) and r["failed"] == 0, \
            f"{r['id']}: failed rows {[c['id'] for c in rows if not c['holds']]}"
        assert all(c["holds"] for c in rows), f"{r['id']}: a construction fact does not hold"
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
