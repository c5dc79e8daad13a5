"""A real browser for the widget tests: Debian's chromium driven by Playwright, against
JupyterLab and Voila servers started on a copy of the notebooks and example studies.

The fixtures are skipped, saying why, when chromium or playwright is missing (``make
test`` installs chromium with apt-get when it can). Servers run in their own process
group and are stopped with their kernels. Screenshots go to ``<tmp>/screens`` and, when
the environment variable ``CX_SCREENSHOTS`` names a folder, there too (to look at them).
tests/conftest.py registers the fixtures once for the whole suite (a second conftest.py
in tests/browser would shadow the suite's own when other tests import it by name, and a
fixture imported into two test modules would start two playwright sessions).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

TOKEN = "cx-browser-test"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of notebooks/ and surveys/ that the browser may change."""
    root = tmp_path_factory.mktemp("workspace")
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "surveys", root / "surveys",
                    ignore=shutil.ignore_patterns("clean", "transcripts"))
    return root


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium context (1280 x 800)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (sudo apt-get install chromium; make test "
                    "installs it when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install playwright)")
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"cx-chromium-{os.getpid()}"
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def lab(workspace: Path, browser: Any) -> Iterator[Server]:
    """JupyterLab on the workspace (the app object exposed for the tests)."""
    jupyter = BIN / "jupyter"
    if not jupyter.exists():
        pytest.skip("jupyterlab is not installed in this environment")
    port = free_port()
    server = Server([str(jupyter), "lab", "--no-browser", "--allow-root",
                     f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                     "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
                     f"--ServerApp.root_dir={workspace}",
                     "--LabApp.expose_app_in_browser=True"],
                    cwd=workspace, env=jupyter_env(workspace),
                    url=f"http://127.0.0.1:{port}/api/status?token={TOKEN}",
                    log=workspace / "jupyterlab.log")
    server.url = f"http://127.0.0.1:{port}"
    yield server
    server.stop()


@pytest.fixture
def voila(workspace: Path, browser: Any) -> Iterator[Callable[[str], Server]]:
    """Start Voila on a notebook of the workspace: ``voila("notebooks/x.ipynb")``."""
    if not (BIN / "voila").exists():
        pytest.skip("voila is not installed in this environment")
    servers: list[Server] = []

    def start(notebook: str) -> Server:
        port = free_port()
        server = Server([str(BIN / "voila"), notebook, "--no-browser", f"--port={port}",
                         "--Voila.ip=127.0.0.1"],
                        cwd=workspace, env=jupyter_env(workspace),
                        url=f"http://127.0.0.1:{port}/", log=workspace / f"voila-{port}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[Any, str], Path]:
    """``screenshot(page, "name")``: a PNG of what the user sees, kept for looking at."""
    keep = os.environ.get("CX_SCREENSHOTS")

    def take(page: Any, name: str) -> Path:
        path = tmp_path / "screens" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path

    return take




def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A server process (JupyterLab or Voila) in its own process group."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], url: str,
                 log: Path) -> None:
        self.url = url
        self.log = log
        self._log = log.open("wb")
        self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n"
                                   f"{self.log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer: it is up
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server did not answer {self.url} within {timeout:.0f} s:\n"
                           f"{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()


def jupyter_env(root: Path) -> dict[str, str]:
    config = root / "jupyter-config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = dict(os.environ)
    env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(root / "runtime"),
               MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def open_in_lab(browser: Any, lab: Server, notebook: str) -> Any:
    """Open ``notebook`` (relative to the workspace) in JupyterLab, run all its cells and
    wait until the kernel is idle; returns the page."""
    page = browser.new_page()
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell && "
                           "window.jupyterapp.shell.currentWidget && "
                           "window.jupyterapp.shell.currentWidget.sessionContext && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                           timeout=60_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                           ".session.kernel.status === 'idle'", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_idle(page)
    return page


def wait_idle(page: Any, settle: float = 0.5) -> None:
    """Wait until the JupyterLab kernel has finished what it was asked to run."""
    time.sleep(settle)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                           ".session.kernel.status === 'idle'", timeout=90_000)
    time.sleep(0.3)
