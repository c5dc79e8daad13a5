"""The reports of a run: HTML a client can read (no code) and a researcher can check (with
code), and a PDF of the client report, all opening offline.

The executed notebooks are rendered with nbconvert, figures embedded; cells tagged
``researcher-only`` are left out of the client report. Anything that would
be fetched from the web when the file is opened (MathJax, require.js, the widget
manager) is left out, so a report opens on a laptop without a network and sends nothing
anywhere; widgets then show their text. The PDF is printed by headless Chromium when it
is installed (Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Sequence

from .._atomic import atomic_write_text

__all__ = ["offline_html", "print_pdf", "render_notebook", "render_notebooks"]

_EXTERNAL = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"'](?:https?:)?//[^\"']*[\"'][^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"'](?:https?:)?//[^\"']*[\"'][^>]*/?>", re.I | re.S)
_MATHJAX = re.compile(r"<script[^>]*>\s*(?:window\.)?MathJax[\s\S]*?</script>", re.I)
_STYLE = """
<style>
body { max-width: 70rem; margin: 0 auto; }
.cx-report-note { color: #555; font-size: .9rem; margin: .4rem 0 1.2rem; }
@media print { .jp-Cell { break-inside: avoid; } }
</style>
"""


def offline_html(page: str) -> str:
    """``page`` without scripts or styles fetched from the web (MathJax, require.js,
    widget scripts, web fonts): a report must open offline and send no requests."""
    page = _EXTERNAL.sub("", page)
    page = _MATHJAX.sub("", page)
    return page.replace("</head>", _STYLE + "</head>", 1)


def _exporter(with_code: bool) -> Any:
    from nbconvert import HTMLExporter

    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab")
    if not with_code:  # cells that explain the template to researchers stay out
        remove = TagRemovePreprocessor(remove_cell_tags={"researcher-only"}, enabled=True)
        exporter.register_preprocessor(remove, enabled=True)
    exporter.embed_images = True
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = not with_code
    exporter.exclude_output_prompt = True
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.widget_renderer_url = ""
    exporter.jquery_url = ""
    return exporter


def render_notebook(notebook: str | Path, out: str | Path, *, with_code: bool,
                    title: str | None = None) -> Path:
    """One executed notebook as an offline HTML page (atomically)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    return _write(nb, out, with_code, title)


def render_notebooks(notebooks: Sequence[str | Path], out: str | Path, *, with_code: bool,
                     title: str) -> Path:
    """Several executed notebooks as one offline HTML page, each under its own heading."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    for k, path in enumerate(notebooks):
        nb = nbformat.read(str(path), as_version=4)
        if not merged.metadata:
            merged.metadata = nb.metadata
        merged.cells.append(nbformat.v4.new_markdown_cell(f"---\n*{Path(path).name}*"))
        for i, cell in enumerate(nb.cells):
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                continue
            cell["id"] = f"n{k}-c{i}"  # ids are unique per notebook, not across them
            merged.cells.append(cell)
    return _write(merged, out, with_code, title)


def _write(nb: Any, out: str | Path, with_code: bool, title: str | None) -> Path:
    if title:
        nb.metadata["title"] = title
    body, _ = _exporter(with_code).from_notebook_node(nb)
    return atomic_write_text(Path(out), offline_html(body))


def chromium() -> str | None:
    """The Chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_file: str | Path, pdf: str | Path, *, timeout: float = 120) -> Path | None:
    """Print ``html_file`` to ``pdf`` with headless Chromium; None when Chromium is not
    installed. The PDF is written beside the target and renamed, so it is never half."""
    exe = chromium()
    if exe is None:
        return None
    target = Path(pdf)
    tmp = target.with_name(f".{target.name}.tmp")
    profile = target.with_name(f".{target.stem}.chromium")
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-pdf-header-footer", f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}", Path(html_file).resolve().as_uri()]
    try:
        subprocess.run(args, check=True, capture_output=True, timeout=timeout)
        if not tmp.exists() or tmp.stat().st_size == 0:
            return None
        tmp.replace(target)
        return target
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
