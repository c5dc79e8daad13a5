"""The reports of a run open in headless chromium with no console errors and no request
to anywhere but the file itself; the client report is also printed to PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


pytestmark = pytest.mark.browser


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("file://", "data:", "about:")) else None)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, errors, outside


@pytest.mark.parametrize("which", ["client_report", "researcher_report"])
def test_reports_open_offline_without_errors(insurer_run: Any, browser: Any, which: str,
                                             screenshot: Any) -> None:
    path = getattr(insurer_run, which)
    page, errors, outside = _open(browser, path)
    try:
        assert errors == [], errors
        assert outside == [], outside
        assert page.locator("img").count() >= 1  # the figures are in the file
        screenshot(page, which)
        page.mouse.wheel(0, 2400)
        screenshot(page, f"{which}-further")
    finally:
        page.close()


def test_the_client_report_as_pdf(insurer_run: Any, browser: Any) -> None:  # needs chromium
    pdf = insurer_run.pdf
    assert pdf is not None and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000
