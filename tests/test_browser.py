"""Every notebook run in real JupyterLab, in headless Chromium, as a reader would.

JupyterLab is started with the README's first command (scripts/lab: same .venv, same kernel) on a copy
of notebooks/ in target/browser/notebooks, so that the executed notebooks can be saved there, beside a
full-page screenshot of each, without touching the sources. Notebooks run two at a time (as headless), each
in a page of its own: a page that has run one notebook opens the next with JupyterLab's own document manager
(what File > Open does), after closing the previous tab and shutting its kernel down; when that fails, the
notebook gets a fresh page. For each notebook: open it, Run All Cells,
wait until every code cell has run and none is pending, save, screenshot, then assert that no output is an
error (or stderr), that every check table on the page shows all checks holding, and that a notebook that
draws a plot shows at least one rendered image. The server and its kernels are shut down whatever happens.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import JOBS, ROOT, record
import run_notebooks

CHROMIUM = os.environ.get("PROMPTLIMITS_CHROMIUM", "/usr/bin/chromium")
OUT = ROOT / "target" / "browser"
NOTEBOOKS = run_notebooks.discover([])
TOKEN = "promptlimits-browser-test"
CELL_TIMEOUT_S = 300
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SETTINGS = {  # written into a private settings folder for this server only
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def die_with_parent() -> None:
    """Runs in the server's child process: the kernel sends it SIGTERM when the test process dies."""
    import ctypes
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port: int, path: str, method: str = "GET"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
        return json.loads(body) if body else None


def shutdown_kernels(port: int, rel: str | None = None) -> None:
    """Shuts down the kernel of notebook rel (every kernel when rel is None)."""
    for s in api(port, "/api/sessions") or []:
        if rel is None or s.get("path") == rel:
            api(port, f"/api/sessions/{s['id']}", "DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, java_kernel):
    """A JupyterLab server started by scripts/lab on a copy of notebooks/; yields (port, folder)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium; "
                    "or set PROMPTLIMITS_CHROMIUM to a Chromium binary")
    shutil.rmtree(OUT, ignore_errors=True)
    folder = OUT / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = tmp_path_factory.mktemp("lab-settings")
    for name, value in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    port = free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path_factory.mktemp("lab-workspaces")),
               PROMPTLIMITS_CELL_TIMEOUT=str(CELL_TIMEOUT_S), PROMPTLIMITS_NOTEBOOK_DIR=str(folder))
    log = open(OUT / "jupyterlab.log", "w")
    start = time.perf_counter()
    # --LabApp.expose_app_in_browser: window.jupyterapp, through which a booted page opens the next notebook
    server = subprocess.Popen([str(ROOT / "scripts" / "lab"), "--port", str(port),
                               f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              preexec_fn=die_with_parent)
    try:
        deadline = time.time() + 120
        while True:
            try:
                api(port, "/api/status")
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail(f"JupyterLab did not start (exit {server.poll()}); see {OUT / 'jupyterlab.log'}")
                time.sleep(0.5)
        record("browser run", ("scripts/lab to a running JupyterLab:", f"{time.perf_counter() - start:.1f} s"))
        yield port, folder
    finally:
        try:
            shutdown_kernels(port)
        except OSError:
            pass
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


PENDING = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return {cells: prompts.length,
          pending: prompts.filter(p => p.textContent.includes('*')).length,
          done: prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length,
          errors: document.querySelectorAll('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]').length};
}"""

PAGE_FACTS = """() => ({
  tables: [...document.querySelectorAll('.jp-Notebook table.promptlimits-checks')].map(t => t.dataset.allHold),
  failedRows: document.querySelectorAll('.jp-Notebook tr[data-holds="false"]').length,
  images: [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img')].filter(i => i.naturalWidth > 0).length,
  errors: [...document.querySelectorAll('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.textContent.slice(0, 300)),
  height: Math.max(...[...document.querySelectorAll('.jp-Notebook, .jp-Notebook *')].map(e => e.scrollHeight)),
})"""


KERNEL_STATE = """() => ({
  dialog: !!document.querySelector('.jp-Dialog'),
  status: (document.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}}).dataset.status || null,
  kernel: (document.querySelector('.jp-Toolbar-kernelName') || {textContent: ''}).textContent,
})"""


def wait_for_kernel(page, rel: str, timeout_s: float = 120):
    """Waits (yielding) until the notebook has chosen its 'java' kernel (cells run once it is ready: JupyterLab
    queues them). If JupyterLab asks which kernel to start (it does when the notebook opens before the kernel
    list has loaded), accepts its proposal, the notebook's own kernel."""
    deadline = time.perf_counter() + timeout_s
    while True:
        s = page.evaluate(KERNEL_STATE)
        if s["dialog"]:
            page.locator(".jp-Dialog .jp-mod-accept").first.click(timeout=10_000)
        elif "Java" in s["kernel"]:
            return
        if time.perf_counter() > deadline:
            raise AssertionError(f"{rel}: the kernel was not idle after {timeout_s:.0f} s: {s}")
        yield 0.5


VIEWPORT = {"width": 1400, "height": 1000}

# Opening a notebook in a booted page: fire-and-forget calls into JupyterLab (an awaited promise that never settles
# would hang the test: every wait below is a poll with a deadline instead)
CLOSE_ALL = """() => {
  const app = window.jupyterapp;
  if (!app) return false;
  for (const w of [...app.shell.widgets('main')]) w.dispose();
  return true;
}"""
OPEN = """(rel) => { window.jupyterapp.commands.execute('docmanager:open', {path: rel}); return true; }"""
SHOWN = """(rel) => {
  const w = window.jupyterapp.shell.currentWidget;
  return {path: w && w.context ? w.context.path : null, notebooks: document.querySelectorAll('.jp-Notebook').length,
          cells: document.querySelectorAll('.jp-Notebook .jp-CodeCell').length};
}"""


def open_in_booted_page(page, rel: str, timeout_s: float = 30):
    """Opens rel in a page where JupyterLab runs already, as the only tab; returns False (after saying why) when it
    does not show within timeout_s, so that the caller takes a fresh page."""
    deadline = time.perf_counter() + timeout_s
    try:
        page.set_viewport_size(VIEWPORT)
        if not page.evaluate(CLOSE_ALL):
            print(f"  {rel}: no JupyterLab app in the page to open it with", flush=True)
            return False
        while page.evaluate(SHOWN, rel)["notebooks"]:
            if time.perf_counter() > deadline:
                print(f"  {rel}: the previous notebook did not close", flush=True)
                return False
            yield 0.1
        page.evaluate(OPEN, rel)
        while True:
            shown = page.evaluate(SHOWN, rel)
            if shown["path"] == rel and shown["notebooks"] == 1 and shown["cells"]:
                return True
            if time.perf_counter() > deadline:
                print(f"  {rel}: not shown {timeout_s:.0f} s after opening it in a booted page: {shown}", flush=True)
                return False
            yield 0.1
    except Exception as e:  # noqa: BLE001 - a page that fails here is replaced by a fresh one
        print(f"  {rel}: opening it in a booted page failed: {e}", flush=True)
        return False


def run_in_browser(browser, port: int, rel: str, booted: list):
    """One notebook in a page of its own: open, Run All, wait, save, screenshot. A generator that yields the
    seconds it wants to wait whenever it waits, so that several notebooks can run at once from one thread
    (Playwright's synchronous API is bound to the thread that started it); returns the page's facts. Takes a
    page from booted (pages whose notebook has finished) when there is one, and puts its page back there when
    the notebook has passed through every step; any failure closes the page."""
    page = booted.pop() if booted else None
    t0 = time.perf_counter()
    stage = lambda name: print(f"  [{time.perf_counter() - t0:6.1f} s] {rel}: {name}", flush=True)
    done = False
    try:
        if page is not None and not (yield from open_in_booted_page(page, rel)):
            stage("opening in the booted page failed: a fresh page")
            page.close()
            page = None
        if page is None:
            page = browser.new_page(viewport=VIEWPORT)
            # A workspace of its own, reset: otherwise JupyterLab reopens the tabs of the previous notebook.
            workspace = "nb-" + "".join(ch if ch.isalnum() else "-" for ch in rel)
            page.goto(f"http://127.0.0.1:{port}/lab/workspaces/{workspace}/tree/{rel}?reset&token={TOKEN}")
            deadline = time.perf_counter() + 60
            while page.query_selector(".jp-Notebook .jp-CodeCell") is None:
                if time.perf_counter() > deadline:
                    raise AssertionError(f"{rel}: no code cell shown 60 s after opening the page")
                yield 0.25
        stage("cells shown")
        yield from wait_for_kernel(page, rel)
        stage("kernel chosen")
        def run_all():
            page.locator(".lm-MenuBar-item", has_text="Run").first.click(timeout=10_000)
            page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click(timeout=10_000)
        run_all()
        start = time.perf_counter()
        deadline = start + CELL_TIMEOUT_S * 2
        retries = 2
        yield 1.0
        while True:
            s = page.evaluate(PENDING)
            # Run All queues every cell at once (each prompt shows [*], even while the kernel still starts), so no
            # queued and no finished cell 5 s after the click means the click ran no command (seen now and then,
            # once in 12 runs at load 3-6; waiting 30 s for it, as before, cost 25 s each time)
            if s["pending"] == 0 and s["done"] == 0 and retries and time.perf_counter() - start > 5:
                stage("no cell queued 5 s after Run All: Run All again")
                retries -= 1
                start = time.perf_counter()
                run_all()
            if page.evaluate(KERNEL_STATE)["dialog"]:
                raise AssertionError(f"{rel}: JupyterLab shows a dialog while running: kernel died or restarted? {s}")
            if s["pending"] == 0 and (s["done"] == s["cells"] or s["errors"]):
                break
            if time.perf_counter() > deadline:
                raise AssertionError(f"{rel}: still running after {deadline - start:.0f} s: {s}")
            yield 0.5
        seconds = time.perf_counter() - start
        stage("all cells ran")
        saved = OUT / "notebooks" / rel
        before = saved.stat().st_mtime_ns
        page.keyboard.press("Control+s")
        save_deadline = time.perf_counter() + 30   # the test reads the saved copy back; a missed save fails there
        while saved.stat().st_mtime_ns == before and time.perf_counter() < save_deadline:
            yield 0.1
        facts = page.evaluate(PAGE_FACTS)
        page.set_viewport_size({"width": 1400, "height": min(int(facts["height"]) + 200, 30_000)})
        yield 0.3
        page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook').forEach(e => e.scrollTop = 0)")
        yield 0.3
        shot = OUT / (rel.replace("/", "__").replace(".ipynb", ".png"))
        page.screenshot(path=str(shot), full_page=True)
        stage("saved and screenshot taken")
        facts.update(seconds=seconds, screenshot=shot, progress=s)
        done = True
        return facts
    finally:
        if page is not None:
            try:
                reusable = done and page.evaluate(CLOSE_ALL)   # closes the notebook's tab
            except Exception:  # noqa: BLE001 - a page that fails here is not reused
                reusable = False
            if reusable:
                booted.append(page)   # its kernel is shut down just below
            else:
                page.close()
        shutdown_kernels(port, rel)


def run_interleaved(runs: dict, jobs: int) -> dict:
    """Drives the generators of `runs` (key -> generator), at most `jobs` in flight, each resumed when the wait
    it asked for is over; returns key -> facts, or key -> the exception that ended it."""
    waiting = list(runs.items())
    active: list = []   # [wake-up time, key, generator]
    results: dict = {}
    while waiting or active:
        while waiting and len(active) < jobs:
            key, gen = waiting.pop(0)
            active.append([0.0, key, gen])
        entry = min(active, key=lambda e: e[0])
        delay = entry[0] - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            entry[0] = time.perf_counter() + next(entry[2])
        except StopIteration as done:
            results[entry[1]] = done.value
            active.remove(entry)
        except Exception as e:  # noqa: BLE001 - reported by the notebook's own test
            results[entry[1]] = e
            active.remove(entry)
    return results


@pytest.fixture(scope="module")
def browser_runs(request, lab, browser, background_runs):
    """Every selected notebook run in the browser, JOBS at a time (as the headless run: a kernel runs its cells
    on one thread, and part of each run is page overhead); each test reads its own notebook's result. The
    notebooks the headless run timed in this test run start longest first, so that the slots finish together."""
    port, _ = lab
    selected = [item.callspec.params["path"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_notebook_runs_in_jupyterlab_in_a_browser"]
    headless = background_runs.get("test_notebook_executes_without_errors", {})

    def headless_seconds(path) -> float:
        run = headless.get(path)
        return run.result().seconds if run is not None and run.done() and run.exception() is None else 0.0
    selected.sort(key=headless_seconds, reverse=True)   # stable: untimed notebooks keep their order, at the end
    start = time.perf_counter()
    booted: list = []
    try:
        results = run_interleaved({p: run_in_browser(browser, port, run_notebooks.label(p), booted)
                                   for p in selected}, JOBS)
    finally:
        for page in booted:
            page.close()
    record("browser run", (f"{len(selected)} notebooks, {JOBS} at a time:", f"{time.perf_counter() - start:.1f} s"))
    return results


def draws_plot(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any("Plots.png" in c.source or "display(chart" in c.source for c in nb.cells if c.cell_type == "code")


def test_jupyterlab_offers_the_java_kernel_as_default(lab):
    port, _ = lab
    specs = api(port, "/api/kernelspecs")
    assert specs["default"] == "java" and "java" in specs["kernelspecs"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[run_notebooks.label(p) for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_in_a_browser(path, lab, browser_runs):
    port, folder = lab
    rel = run_notebooks.label(path)
    facts = browser_runs[path]
    if isinstance(facts, BaseException):
        raise facts
    record("browser run", (f"{rel}:", f"{facts['seconds']:.1f} s,", f"{len(facts['tables'])} check tables,",
                           f"{facts['images']} images"))
    where = f"{rel} (screenshot {facts['screenshot'].relative_to(ROOT)})"
    assert not facts["errors"], f"{where}: error output in the page: {facts['errors']}"
    assert facts["progress"]["done"] == facts["progress"]["cells"], f"{where}: not every cell ran: {facts['progress']}"
    assert all(v == "true" for v in facts["tables"]) and not facts["failedRows"], \
        f"{where}: a check table shows a failed check"
    if draws_plot(path):
        assert facts["images"] >= 1, f"{where}: draws a plot but the page shows no rendered image"
    # the executed notebook the browser saved, read back: the same verdict from its outputs
    saved = run_notebooks.Result(rel)
    run_notebooks.inspect(nbformat.read(folder / rel, as_version=4), saved)
    assert saved.ok, f"{where}: saved notebook: {saved.problems}"
