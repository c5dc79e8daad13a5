"""Shared fixtures: small instruments written inline, and paths to the bundled examples."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Callable

import pytest

# The browser fixtures (headless chromium, JupyterLab, Voila), registered once for the suite
from browser_harness import browser, lab, screenshot, voila, workspace  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "surveys" / "insurer-claims"
REAL_FORMS = Path(__file__).resolve().parent / "data" / "real-forms"

HEADER = """\
kind: survey
id: mini
version: "1.0"
title: {nl: Mini, en: Mini}
audience: customer
languages: [nl, en]
purpose: {nl: Verbeteren van de dienst, en: Improving the service}
"""


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) to a file in tmp_path and return its path."""

    def write(text: str, name: str = "instrument.yaml", header: bool = True) -> Path:
        path = tmp_path / name
        body = textwrap.dedent(text)
        path.write_text((HEADER if header else "") + body, encoding="utf-8")
        return path

    return write


def bundled_instruments() -> list[Path]:
    return sorted((EXAMPLE / "instruments").glob("*.yaml"))


def java_available() -> bool:
    return shutil.which("java") is not None


def copy_study(name: str, target: Path) -> Path:
    """A copy of an example study to run (the run writes findings and verdicts into it)."""
    folder = target / name
    shutil.copytree(ROOT / "surveys" / name, folder,
                    ignore=shutil.ignore_patterns("clean", "findings-log.jsonl"))
    (folder / "data" / "clean").mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def insurer_run(tmp_path_factory: pytest.TempPathFactory) -> object:
    """One full run of the insurer example study (notebooks, reports, record), shared by
    the tests that read its output; about 40 s."""
    from cxresearch.study.runner import run_study

    root = tmp_path_factory.mktemp("insurer-run")
    study = copy_study("insurer-claims", root)
    return run_study(study, reports=root / "reports", run_id="first", progress=False)
