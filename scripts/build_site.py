"""Builds target/site: one standalone HTML page per executed notebook and an index.

usage: python scripts/build_site.py [--notebooks DIR] [--verify REPORT.md] [--out DIR] [--binder URL]

Every executed notebook under --notebooks (default target/notebooks, solutions included) becomes a page
rendered by nbconvert (lab template, images embedded: the page needs no other file). Links between
notebooks are rewritten to the pages. target/site/index.html has one row per notebook (result, what it
builds, what its checks show, measured run time, links to the page and to Binder) and the verify report
(--verify, the Markdown written by `verify --markdown`) rendered below. Fails when a notebook is missing
its outputs (run the notebooks first: scripts/test or scripts/run_notebooks.py).
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
from datetime import datetime
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html_mistune

import script_args

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/promptlimits/promptlimits"
BINDER = "https://mybinder.org/v2/gh/promptlimits/promptlimits/HEAD"
CHECK_TABLE = re.compile(r'class="promptlimits-checks" data-all-hold="(true|false)"')
ROW = re.compile(r'<tr data-holds="(true|false)"')


def readme_rows(readme: Path) -> dict[str, list[str]]:
    """notebook file name -> [result, what you build, what the check shows] from notebooks/README.md's table."""
    rows: dict[str, list[str]] = {}
    if not readme.is_file():
        return rows
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| \[([^\]]+\.ipynb)\]\([^)]*\) \|(.*)\|\s*$", line)
        if m:
            cells = [c.strip() for c in m.group(2).split("|")]
            rows[m.group(1)] = (cells + ["", "", ""])[:3]
    return rows


def run_seconds(nb) -> float | None:
    """Seconds from the first cell starting to the last cell finishing, from nbclient's timing metadata."""
    starts, ends = [], []
    for c in nb.cells:
        t = c.get("metadata", {}).get("execution", {})
        if "iopub.status.busy" in t and "iopub.status.idle" in t:
            starts.append(t["iopub.status.busy"])
            ends.append(t["iopub.status.idle"])
    if not starts:
        return None
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (parse(max(ends)) - parse(min(starts))).total_seconds()


def verdicts(nb) -> tuple[int, int, int, int]:
    """(check tables, rows, failed rows, images) shown in the executed notebook's outputs."""
    tables = rows = failed = images = 0
    for c in nb.cells:
        for out in c.get("outputs", []) if c.cell_type == "code" else []:
            data = out.get("data", {})
            images += "image/png" in data
            text = data.get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            tables += len(CHECK_TABLE.findall(text))
            found = ROW.findall(text)
            rows += len(found)
            failed += found.count("false")
    return tables, rows, failed, images


def title(nb, fallback: str) -> str:
    for c in nb.cells:
        if c.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", c.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def relink(page: str, rel: Path, pages: set[str], repository: str) -> str:
    """Links to notebooks that have a page point to the page (.ipynb -> .html); other relative links to files of
    the repository (docs, README, theory pages) point to the file on the repository's web page."""
    def fix(m):
        href = m.group(2)
        path, _, fragment = href.partition("#")
        if "://" in href or href.startswith(("mailto:", "data:")) or not path:
            return m.group(0)
        target = os.path.normpath((rel.parent / path).as_posix())
        if path.endswith(".ipynb") and target.replace(".ipynb", ".html") in pages:
            return m.group(1) + href.replace(".ipynb", ".html") + m.group(3)
        in_repo = os.path.normpath(os.path.join("notebooks", target))
        if (ROOT / in_repo).exists() and not in_repo.startswith(".."):
            return m.group(1) + f"{repository}/blob/HEAD/{in_repo}" + ("#" + fragment if fragment else "") + m.group(3)
        return m.group(0)
    return re.sub(r'(href=")([^"]+)(")', fix, page)


def inline(markdown: str) -> str:
    """One table cell of Markdown as HTML, without the surrounding paragraph."""
    out = markdown2html_mistune(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1rem;
       color: #1f2328; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.92rem; }
th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.ok { color: #1a7f37; font-weight: 600; } td.failed { color: #cf222e; font-weight: 600; }
code { background: #f6f8fa; padding: 0 0.2rem; }
"""


def build(notebooks: Path, verify_md: Path | None, out: Path, binder: str, repository: str = REPOSITORY) -> list[str]:
    paths = sorted(p for p in notebooks.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not paths:
        raise SystemExit(f"no executed notebooks under {notebooks}: run the notebooks first "
                         "(scripts/test, or .venv/bin/python scripts/run_notebooks.py)")
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(embed_images=True)
    info = readme_rows(ROOT / "notebooks" / "README.md")
    rels = [p.relative_to(notebooks) for p in paths]
    pages = {r.with_suffix(".html").as_posix() for r in rels}
    rows, problems = [], []
    for path, rel in zip(paths, rels):
        nb = nbformat.read(path, as_version=4)
        executed = any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
        if not executed:
            problems.append(f"{rel}: has no outputs (not executed)")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title(nb, rel.stem)}})
        page = out / rel.with_suffix(".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        home = "../" * (len(rel.parts) - 1) + "index.html"
        nav = (f'<nav style="font-family:system-ui,sans-serif;padding:0.5rem 1rem"><a href="{home}">'
               "← PromptLimits: all notebooks and the theorem checks</a></nav>")
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
        page.write_text(relink(body, rel, pages, repository), encoding="utf-8")
        tables, checks, failed, images = verdicts(nb)
        seconds = run_seconds(nb)
        name = rel.name
        theorem, builds, shows = info.get(name, ["", "", ""])
        if rel.parts[0] == "solutions":
            base = name.replace("-solutions.ipynb", ".ipynb")
            theorem = info.get(base, [""])[0]
            builds = f"solutions to the exercises of {base.replace('.ipynb', '')}"
            shows = "the expected effect of each exercise"
        verdict = (f"{tables} check table{'s' * (tables != 1)}, {checks} checks: "
                   + ("all hold" if not failed else f"{failed} FAILED"))
        rows.append(
            f"<tr><td><a href=\"{html.escape(rel.with_suffix('.html').as_posix())}\">{html.escape(title(nb, rel.stem))}</a></td>"
            f"<td>{inline(theorem)}</td><td>{inline(builds)}</td><td>{inline(shows)}</td>"
            f"<td class=\"{'ok' if checks and not failed else 'failed'}\">{verdict}</td>"
            f"<td>{images}</td><td>{'' if seconds is None else f'{seconds:.1f} s'}</td>"
            f"<td><a href=\"{html.escape(binder)}?urlpath=lab/tree/notebooks/{html.escape(rel.as_posix())}\">Binder</a></td></tr>")
    report = ""
    if verify_md is not None:
        if not verify_md.is_file():
            problems.append(f"verify report {verify_md} not found (run scripts/verify --markdown FILE)")
        else:
            report = markdown2html_mistune(verify_md.read_text(encoding="utf-8"))
            report = re.sub(r"<h1([^>]*)>(.*?)</h1>", r"<h2\1>\2</h2>", report, count=1, flags=re.S)
            report = f'<section id="verify">{report}</section>'
    index = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PromptLimits: executable proofs for the limits of prompt tuning</title><style>{STYLE}</style></head>
<body>
<h1>PromptLimits</h1>
<p>Executable constructions for <em>Fundamental Limits of Prompt Tuning Transformers: Universality, Capacity and
Efficiency</em> (Hu, Wang, Gilani, Li, Song, Liu; <a href="https://arxiv.org/abs/2411.16525">arXiv 2411.16525</a>,
ICLR 2025). Each notebook builds the object a proof builds, runs it on a small seeded example and ends in check
tables: the measured quantity beside the bound the theorem promises. These pages are the notebooks as the test
command executed them; <a href="#verify">the theorem checks</a> below are the output of <code>verify</code>.</p>
<table id="notebooks">
<thead><tr><th>notebook</th><th>result</th><th>what it builds</th><th>what its checks show</th><th>checks in this run</th>
<th>plots</th><th>run time</th><th>open</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{report}
</body></html>
"""
    (out / "index.html").write_text(index, encoding="utf-8")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default=str(ROOT / "target" / "notebooks"))
    parser.add_argument("--verify", default=str(ROOT / "target" / "verify" / "report.md"))
    parser.add_argument("--out", type=script_args.output_folder, default=str(ROOT / "target" / "site"))
    parser.add_argument("--binder", default=BINDER)
    args = parser.parse_args(argv)
    problems = build(Path(args.notebooks), Path(args.verify) if args.verify else None, Path(args.out), args.binder)
    for p in problems:
        print(f"site: {p}", file=sys.stderr)
    print(f"site written to {Path(args.out) / 'index.html'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
