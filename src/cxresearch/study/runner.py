"""``cxresearch run``: the main job on a study folder, with a run record.

For now the job validates every instrument of the study, exports it to every format
(XLSForm checked with pyxform, LimeSurvey, YAML) and renders a printable questionnaire
per language, under ``reports/<study>/<run>/``. The run record (``run.json``) holds the
input hashes, package versions, git commit, start and end, so the run can be repeated.
"""

from __future__ import annotations

import html
import json
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .._atomic import atomic_write_text
from .._i18n import t
from ..errors import CxResearchError, InstrumentError, Problem, Severity
from ..instrument import check_file, export_instrument

__all__ = ["RunResult", "default_study", "run_study"]


@dataclass
class RunResult:
    """What a run did: where its output is, what it wrote, and every problem it met."""

    study: Path
    output: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == Severity.ERROR for p in self.problems)

    def summary(self) -> str:
        lines = [str(p) for p in self.problems]
        status = "finished" if self.ok else "finished with errors"
        lines.append(f"run {status}: {len(self.files)} files written")
        lines.append(f"output: {self.output}")
        lines.append(f"open:   {self.output / 'index.html'}")
        return "\n".join(lines)


def default_study() -> Path:
    """The bundled example study, ``surveys/insurer-claims`` in the source tree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "surveys" / "insurer-claims"
        if candidate.is_dir():
            return candidate
    raise CxResearchError("the example study surveys/insurer-claims was not found; "
                          "give a study folder: cxresearch run PATH")


def _git_commit(folder: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _versions() -> dict[str, str]:
    found = {}
    for name in ("cxresearch", "pandas", "numpy", "PyYAML", "pyxform", "openpyxl"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_study(study: str | Path | None = None, *, reports: str | Path = "reports",
              run_id: str | None = None) -> RunResult:
    """Run the study's main job; return what it did (never raises for a bad instrument).

    Parameters
    ----------
    study : path, optional
        The study folder (default: the bundled example).
    reports : path
        The folder that holds ``<study>/<run>/``.
    run_id : str, optional
        Name of the run folder (default: the UTC start time, ``20261123T101500Z``).
    """
    folder = Path(study) if study is not None else default_study()
    if not (folder / "instruments").is_dir():
        raise CxResearchError(f"'{folder}' has no instruments/ folder; is it a study folder? "
                              "Create one with: cxresearch new PATH")
    started = datetime.now(timezone.utc)
    run_id = run_id or started.strftime("%Y%m%dT%H%M%SZ")
    out = Path(reports) / folder.resolve().name / run_id
    result = RunResult(folder, out)
    inputs: list[dict[str, object]] = []
    entries: list[tuple[str, str, list[tuple[str, Path]]]] = []
    sources = sorted(p for p in (folder / "instruments").iterdir()
                     if p.suffix.lower() in (".yaml", ".yml", ".xlsx", ".xls"))
    for src in sources:
        inst, problems = check_file(src)
        result.problems.extend(problems)
        inputs.append({"file": str(src), "sha256": inst.sha256 if inst else None,
                       "ok": inst is not None})
        if inst is None:
            continue
        made: list[tuple[str, Path]] = []
        target = out / "instruments" / inst.id
        jobs: list[tuple[str, str, str, str | None]] = [
            ("XLSForm", "xlsform", f"{inst.id}.xlsx", None),
            ("LimeSurvey", "limesurvey", f"{inst.id}.limesurvey.txt", None)]
        for lang in inst.languages:
            jobs.append((f"HTML ({lang})", "html", f"{inst.id}.{lang}.html", lang))
            if inst.kind == "interview_guide":
                jobs.append((f"Markdown ({lang})", "markdown", f"{inst.id}.{lang}.md", lang))
        for label, fmt, name, language in jobs:  # one failing format does not cost the others
            try:
                written = export_instrument(inst, fmt, target / name, lang=language)
                if fmt == "xlsform":
                    from ..instrument.xlsform import check_xlsform

                    check_xlsform(written)
                made.append((label, written))
            except InstrumentError as exc:
                result.problems.extend(exc.problems)
        result.files.extend(p for _, p in made)
        title = inst.title.get("en") or inst.title.get(inst.language) or inst.id
        entries.append((inst.id, title, made))
    finished = datetime.now(timezone.utc)
    record = {
        "study": str(folder), "run": run_id,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "inputs": inputs, "outputs": [str(p.relative_to(out)) for p in result.files],
        "problems": [p.as_dict() for p in result.problems],
        "versions": _versions(), "python": platform.python_version(),
        "git_commit": _git_commit(folder),
    }
    result.files.append(atomic_write_text(out / "run.json", json.dumps(record, indent=2,
                                                                        ensure_ascii=False)))
    result.files.append(atomic_write_text(out / "index.html", _index(folder, out, entries,
                                                                     result.problems)))
    return result


def _index(folder: Path, out: Path, entries: list[tuple[str, str, list[tuple[str, Path]]]],
           problems: list[Problem]) -> str:
    esc = html.escape
    rows = []
    for iid, title, made in entries:
        links = " · ".join(f'<a href="{esc(str(p.relative_to(out)))}">{esc(kind)}</a>'
                           for kind, p in made)
        rows.append(f"<tr><td><code>{esc(iid)}</code></td><td>{esc(title)}</td><td>{links}</td></tr>")
    issues = "".join(f"<li><code>{esc(str(p))}</code></li>" for p in problems)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(folder.name)} · cxresearch run</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}}</style>
</head><body>
<h1>{esc(folder.name)}</h1>
<p>{esc(t("questionnaire", "en"))}s / {esc(t("questionnaire", "nl"))}s · run <code>{esc(out.name)}</code> ·
<a href="run.json">run record</a></p>
<table><tr><th>id</th><th>instrument</th><th>files</th></tr>{''.join(rows)}</table>
{"<h2>Problems</h2><ul>" + issues + "</ul>" if issues else ""}
</body></html>
"""
