"""``cxresearch present NOTEBOOK``: a notebook as a Voila app, without code, for a
consultant working with a client.

Voila runs the notebook in a fresh kernel and shows only its outputs and widgets. With
``lang`` (or other parameters) the notebook's ``parameters`` cell is overridden the way
papermill does it: a parameterised copy is written beside the notebook (so relative paths
such as ``../surveys/...`` still work) as ``<name>.<digest>.present.ipynb``, served, and
removed when Voila stops.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import CxResearchError

__all__ = ["present", "present_command"]


class PresentError(CxResearchError):
    """The notebook cannot be presented (missing file, Voila not installed)."""


def _check_notebook(notebook: str | Path) -> Path:
    path = Path(notebook)
    if not path.exists():
        raise PresentError(f"{path}: no such notebook; give the path of an .ipynb file, e.g. "
                           "notebooks/03_journey_map.ipynb")
    if path.suffix != ".ipynb":
        raise PresentError(f"{path}: not a notebook (.ipynb)")
    return path


def parameterised_copy(notebook: str | Path, parameters: Mapping[str, Any]) -> Path:
    """A copy of ``notebook`` beside it, with ``parameters`` injected after the cell tagged
    ``parameters`` (papermill's rules); the caller removes it."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    path = _check_notebook(notebook)
    nb = nbformat.read(path, as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise PresentError(f"{path}: no cell is tagged 'parameters', so {', '.join(parameters)} "
                           "cannot be set; tag the cell that sets them (View > Cell Toolbar > "
                           "Tags in Jupyter)")
    for cell in nb.cells:  # papermill reads every cell's tags and its own metadata
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, dict(parameters))
    digest = hashlib.sha256(repr(sorted(parameters.items())).encode()).hexdigest()[:8]
    copy = path.with_name(f"{path.stem}.{digest}.present.ipynb")  # JupyterLab hides dot files
    nbformat.write(nb, copy)
    return copy


def present_command(notebook: str | Path, *, port: int = 8866, open_browser: bool = True,
                    voila: str | None = None) -> list[str]:
    """The Voila command line that serves ``notebook`` without code."""
    exe = voila or shutil.which("voila") or str(Path(sys.executable).parent / "voila")
    args = [exe, str(notebook), f"--port={port}", "--strip_sources=True",
            "--VoilaConfiguration.show_tracebacks=False"]
    if not open_browser:
        args.append("--no-browser")
    return args


def present(notebook: str | Path, *, lang: str | None = None,
            parameters: Mapping[str, Any] | None = None, port: int = 8866,
            open_browser: bool = True, extra_args: Sequence[str] = ()) -> int:
    """Serve ``notebook`` as a Voila app until interrupted; returns Voila's exit status.

    Parameters
    ----------
    notebook : path
        The notebook (.ipynb).
    lang : {"nl", "en"}, optional
        Sets ``lang`` in the notebook's parameters cell.
    parameters : mapping, optional
        Other parameters to set the same way.
    port : int
        The port to serve on (http://localhost:PORT).
    open_browser : bool
        Open the app in the default browser.
    """
    path = _check_notebook(notebook)
    if importlib.util.find_spec("voila") is None:
        raise PresentError("Voila is not installed; install it with "
                           "pip install \"cxresearch[widgets]\"")
    values = dict(parameters or {})
    if lang is not None:
        if lang not in ("nl", "en"):
            raise PresentError(f"lang must be 'nl' or 'en'; got {lang!r}")
        values["lang"] = lang
    served = parameterised_copy(path, values) if values else path
    args = present_command(served.name, port=port, open_browser=open_browser) + list(extra_args)
    print(f"presenting {path} at http://localhost:{port}/ (code hidden); Ctrl+C stops",
          file=sys.stderr)
    def stop(signum: int, frame: Any) -> None:  # a terminated app still cleans up
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        return subprocess.call(args, cwd=served.parent.resolve())
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 0
    finally:
        if served != path:
            served.unlink(missing_ok=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
