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
from ..errors import Code, CxResearchError, InstrumentError, Problem, Severity
from ..instrument import Instrument, check_file, export_instrument

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
    entries: list[tuple[Instrument, list[tuple[str, Path]]]] = []
    sources = sorted(p for p in (folder / "instruments").iterdir()
                     if p.suffix.lower() in (".yaml", ".yml", ".xlsx", ".xls"))
    seen: dict[str, Path] = {}
    for src in sources:
        inst, problems = check_file(src)
        result.problems.extend(problems)
        if inst is not None and inst.id in seen:
            result.problems.append(Problem(
                Code.DUPLICATE_ID, f"instrument id '{inst.id}' is also the id of "
                f"{seen[inst.id].name}", file=str(src),
                fix="give every instrument of a study its own id; an export lying in "
                "instruments/ is read as an instrument too, so keep exports elsewhere"))
            continue
        if inst is not None:
            seen[inst.id] = src
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
                made.append((label, export_instrument(inst, fmt, target / name, lang=language,
                                                      check=fmt == "xlsform")))
            except InstrumentError as exc:
                result.problems.extend(exc.problems)
            except Exception as exc:  # a library failing on one format must not end the run
                result.problems.append(Problem(
                    Code.EXPORT_UNSUPPORTED, f"{label} export failed: {type(exc).__name__}: "
                    f"{exc}", file=str(src), fix="please report this with the instrument file"))
        result.files.extend(p for _, p in made)
        entries.append((inst, made))
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


def _study_title(folder: Path) -> dict[str, str]:
    """The study's title per language from study.yaml (the folder name if unreadable)."""
    import yaml

    try:
        data = yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))
        title = data.get("title") if isinstance(data, dict) else None
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        title = None
    if isinstance(title, dict):
        return {str(k): str(v) for k, v in title.items()}
    return {"nl": str(title or folder.name), "en": str(title or folder.name)}


def _index(folder: Path, out: Path, entries: list[tuple[Instrument, list[tuple[str, Path]]]],
           problems: list[Problem]) -> str:
    """A bilingual overview page of the run: every instrument with its files and problems."""
    esc = html.escape

    def both(key: str) -> str:
        return f'{esc(t(key, "nl"))} <span class="en">/ {esc(t(key, "en"))}</span>'

    title = _study_title(folder)
    rows = []
    for inst, made in entries:
        links = " · ".join(f'<a href="{esc(str(p.relative_to(out)))}">{esc(kind)}</a>'
                           for kind, p in made)
        kind = "questionnaire" if inst.kind == "survey" else "interview_guide"
        audience = f"audience_{inst.audience}"
        names = " <br>".join(f'<span lang="{esc(lang)}">{esc(inst.title.get(lang, ""))}</span>'
                             for lang in inst.languages if inst.title.get(lang))
        rows.append(
            f"<tr><td>{names}<br><code>{esc(inst.id)}</code> v{esc(inst.version)}</td>"
            f"<td>{esc(t(kind, 'nl'))} · {esc(t(audience, 'nl'))}</td>"
            f"<td class=num>{sum(1 for _ in inst.questions())}</td>"
            f"<td class=num>{len(inst.field_ids())}</td>"
            f"<td>{esc(', '.join(inst.languages))}</td><td>{links}</td></tr>")
    issues = "".join(f"<li><code>{esc(str(p))}</code></li>" for p in problems)
    heads = "".join(f"<th>{both(k)}</th>" for k in ("instrument", "audience", "questions",
                                                   "answer_fields", "languages", "files"))
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>{esc(title.get("nl", folder.name))} · cxresearch</title>
<style>body{{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b}} h1{{margin-bottom:.2rem}} .en{{color:#666;font-weight:normal}}
table{{border-collapse:collapse;width:100%;font-size:.95rem}} td,th{{border-bottom:1px solid #ddd;
padding:.45rem;text-align:left;vertical-align:top}} th{{font-size:.85rem}} .num{{text-align:right}}
code{{font-size:.85em;color:#555}}</style>
</head><body>
<h1>{esc(title.get("nl", folder.name))}</h1>
<p class="en">{esc(title.get("en", ""))}</p>
<p>{both("run")}: <code>{esc(out.name)}</code> · <a href="run.json">{both("run_record")}</a></p>
<h2>{both("instruments")}</h2>
<table><tr>{heads}</tr>{''.join(rows)}</table>
<h2>{both("problems")}</h2>
{"<ul>" + issues + "</ul>" if issues else "<p>" + both("no_problems") + "</p>"}
</body></html>
"""
