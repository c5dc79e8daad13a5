"""What a run record holds about its inputs and its environment: every input file with
its sha256 (and whether it changed since the study's last run), package versions, the
Python version, the git commit and whether the work tree was clean."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["INPUT_PARTS", "environment", "input_files", "last_record"]

INPUT_PARTS = ("study.yaml", "study.lock.json", "journey.yaml", "roadmap.yaml",
               "codebook.yaml", "instruments", "data/raw", "transcripts", "coding")
"""The parts of a study folder a run reads (data/clean is written by the run)."""

PACKAGES = ("cxresearch", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
            "seaborn", "PyYAML", "pyxform", "openpyxl", "pyreadstat", "papermill",
            "nbconvert", "nbclient", "ipykernel", "python-docx")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(folder: Path) -> list[dict[str, str]]:
    """Every input file of the study (path relative to the folder, role, sha256), sorted."""
    found: list[dict[str, str]] = []
    for part in INPUT_PARTS:
        path = folder / part
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if path.is_dir() else []
        for f in files:
            found.append({"file": f.relative_to(folder).as_posix(), "role": part,
                          "sha256": _sha256(f)})
    return found


def last_record(runs: Path) -> dict[str, Any] | None:
    """The run record of the study's latest finished run in ``runs`` (reports/<study>/)."""
    records = []
    for path in runs.glob("*/run.json") if runs.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("finished"):
            records.append((str(data.get("finished")), data))
    return max(records, key=lambda r: r[0])[1] if records else None


def changed_since(previous: dict[str, Any] | None, inputs: list[dict[str, str]]) -> list[str]:
    """Input files whose sha256 differs from the previous run's (added and removed ones
    too); the roadmap is left out, because a run writes its verdicts into it."""
    if previous is None:
        return []
    before = {i["file"]: i["sha256"] for i in previous.get("inputs", []) if "file" in i}
    now = {i["file"]: i["sha256"] for i in inputs}
    names = sorted(set(before) | set(now))
    return [n for n in names if before.get(n) != now.get(n) and n != "roadmap.yaml"]


def _git(folder: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def environment(folder: Path) -> dict[str, Any]:
    """Package versions, Python, platform, git commit and whether the tree was clean."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    commit = _git(folder, "rev-parse", "HEAD")
    status = _git(folder, "status", "--porcelain")
    return {"versions": versions, "python": platform.python_version(),
            "platform": platform.platform(),
            "git_commit": commit.strip() if commit else None,
            "git_clean": None if status is None else status.strip() == ""}
