"""The rendered site: scripts/site turns the executed notebooks in target/notebooks/ into standalone pages and
writes target/site/index.html. Each page is opened in the same headless Chromium as the browser test: it must
show every plot and check table its notebook produced, with every check holding, and no link on any page may
point to a missing page or anchor. Runs after test_notebooks.py (which writes target/notebooks/)."""
from __future__ import annotations

import os
import re
import subprocess
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
import run_notebooks

CHROMIUM = os.environ.get("PROMPTLIMITS_CHROMIUM", "/usr/bin/chromium")
EXECUTED = ROOT / "target" / "notebooks"
SITE = ROOT / "target" / "site"
NOTEBOOKS = run_notebooks.discover([])

PAGE_FACTS = """() => ({
  tables: [...document.querySelectorAll('table.promptlimits-checks')].map(t => t.dataset.allHold),
  failedRows: document.querySelectorAll('tr[data-holds="false"]').length,
  images: [...document.querySelectorAll('img')].map(i => ({src: i.src.slice(0, 40), ok: i.complete && i.naturalWidth > 0})),
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
})"""


@pytest.fixture(scope="module")
def site():
    """Builds the site from the executed notebooks; fails clearly when they are missing."""
    missing = [run_notebooks.label(p) for p in NOTEBOOKS if not (EXECUTED / run_notebooks.label(p)).is_file()]
    if missing:
        pytest.fail(f"executed notebooks missing in {EXECUTED}: {missing}; run the notebooks first "
                    "(scripts/test runs them before this test)")
    done = subprocess.run([str(ROOT / "scripts" / "site")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"scripts/site failed:\n{done.stdout}\n{done.stderr}"
    return SITE


@pytest.fixture(scope="module")
def chromium(site):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium; "
                    "or set PROMPTLIMITS_CHROMIUM to a Chromium binary")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        try:
            yield b
        finally:
            b.close()


def open_page(browser, path: Path) -> dict:
    page = browser.new_page()
    # The pages are standalone; their only remote resources are nbconvert's optional script tags (MathJax,
    # require.js) which need the network: refuse them at once so the test neither waits nor depends on it.
    page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=60_000)
        return page.evaluate(PAGE_FACTS)
    finally:
        page.close()


def broken_links(page: Path, facts: dict, root: Path = SITE) -> list[str]:
    broken = []
    for href in facts["links"]:
        parsed = urllib.parse.urlparse(href)
        if parsed.scheme in ("http", "https"):
            if not parsed.netloc:
                broken.append(href)
            continue
        if parsed.scheme:
            broken.append(href)  # file:, javascript: and the like do not belong on a published page
            continue
        target = page if not parsed.path else (page.parent / urllib.parse.unquote(parsed.path)).resolve()
        if not target.is_file() or root.resolve() not in target.parents:
            broken.append(href)
        elif parsed.fragment and target == page and not {parsed.fragment, urllib.parse.unquote(parsed.fragment)} & set(facts["ids"]):
            # a browser looks the fragment up as written, then percent-decoded (HTML "indicated part")
            broken.append(href)
    return broken


def shown_in_notebook(rel: str) -> tuple[int, int]:
    """(check tables, images) in the executed notebook's outputs: what its page must show."""
    result = run_notebooks.Result(rel)
    run_notebooks.inspect(nbformat.read(EXECUTED / rel, as_version=4), result)
    return result.check_tables, result.images


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_page_shows_every_plot_and_check_table_with_no_broken_link(path, site, chromium):
    rel = run_notebooks.label(path)
    page = site / rel.replace(".ipynb", ".html")
    assert page.is_file(), f"scripts/site wrote no page for {rel}"
    facts = open_page(chromium, page)
    tables, images = shown_in_notebook(rel)
    assert tables >= 1, f"{rel}: the executed notebook shows no check table"
    assert len(facts["tables"]) == tables, f"{rel}: page shows {len(facts['tables'])} check tables, notebook {tables}"
    assert all(v == "true" for v in facts["tables"]) and not facts["failedRows"], f"{rel}: a check table shows a failed check"
    rendered = [i for i in facts["images"] if i["ok"]]
    assert len(rendered) >= images, f"{rel}: {len(rendered)} images render on the page, the notebook has {images}: {facts['images']}"
    assert all(i["src"].startswith("data:") for i in rendered), f"{rel}: an image is not embedded: {facts['images']}"
    assert not broken_links(page, facts), f"{rel}: broken links {broken_links(page, facts)}"


def test_index_links_every_page_and_binder_and_shows_the_verify_summary(site, chromium):
    index = site / "index.html"
    facts = open_page(chromium, index)
    assert not broken_links(index, facts), f"index: broken links {broken_links(index, facts)}"
    pages = {h for h in facts["links"] if h.endswith(".html")}
    assert pages == {run_notebooks.label(p).replace(".ipynb", ".html") for p in NOTEBOOKS}
    binder = [h for h in facts["links"] if "mybinder.org" in h]
    assert len(binder) == len(NOTEBOOKS) and all("urlpath=lab/tree/notebooks/" in h for h in binder)
    text = index.read_text(encoding="utf-8")
    assert 'id="verify"' in text, "index: no verify report"
    closing = re.findall(r"(\d+) passed, (\d+) failed", text)
    assert closing and closing[-1][1] == "0" and int(closing[-1][0]) > 0, f"index: verify summary {closing}"
    assert text.count('class="ok"') == len(NOTEBOOKS), "index: a notebook row does not show all checks holding"


def test_broken_links_are_found(tmp_path):
    """The link check itself: a missing page, a missing anchor and a file: URL are reported."""
    page = tmp_path / "probe.html"
    page.write_text("<p id=here></p>")
    facts = {"links": ["missing.html", "#nowhere", "#here", "file:///etc/passwd", "https://arxiv.org/abs/2411.16525"],
             "ids": ["here"]}
    assert broken_links(page, facts, tmp_path) == ["missing.html", "#nowhere", "file:///etc/passwd"]
