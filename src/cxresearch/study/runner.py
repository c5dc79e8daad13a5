"""``cxresearch run``: the main job on a study folder, with a run record.

For now the job validates every instrument of the study, exports it to every format
(XLSForm checked with pyxform, LimeSurvey, YAML) and renders a printable questionnaire
per language, under ``reports/<study>/<run>/``. The run record (``run.json``) holds the
input hashes, package versions, git commit, start and end, so the run can be repeated.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .._atomic import atomic_write_text
from .._i18n import t
from ..errors import Code, CxResearchError, InstrumentError, Problem, Severity
from ..instrument import Instrument, check_file, export_instrument

__all__ = ["NotebookOutcome", "RunResult", "default_study", "notebooks_folder", "run_study"]


@dataclass
class NotebookOutcome:
    """How one notebook of the run went."""

    name: str
    status: str  # "ok", "failed" or "not run"
    seconds: float = 0.0
    output: Path | None = None
    error: str = ""

    def as_dict(self, root: Path) -> dict[str, object]:
        return {"notebook": self.name, "status": self.status,
                "seconds": round(self.seconds, 2), "error": self.error,
                "output": str(self.output.relative_to(root)) if self.output else None}


@dataclass
class RunResult:
    """What a run did: where its output is, what it wrote, and every problem it met."""

    study: Path
    output: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notebooks: list[NotebookOutcome] = field(default_factory=list)
    client_report: Path | None = None
    researcher_report: Path | None = None
    pdf: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == Severity.ERROR for p in self.problems) and \
            all(n.status == "ok" for n in self.notebooks)

    def summary(self) -> str:
        lines = [str(p) for p in self.problems] + [f"note: {n}" for n in self.notes]
        for n in self.notebooks:
            lines.append(f"{n.status:>7}  {n.name} ({n.seconds:.1f} s)"
                         + (f": {n.error}" if n.error else ""))
        status = "finished" if self.ok else "stopped" if any(
            n.status == "failed" for n in self.notebooks) else "finished with errors"
        lines.append(f"run {status}: {len(self.files)} files written")
        lines.append(f"output: {self.output}")
        if self.client_report is not None:
            lines.append(f"client report: {self.client_report}")
        if self.researcher_report is not None:
            lines.append(f"researcher report: {self.researcher_report}")
        if self.pdf is not None:
            lines.append(f"pdf: {self.pdf}")
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


def notebooks_folder() -> Path:
    """The notebook templates, ``notebooks/`` in the source tree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "notebooks").is_dir() and (parent / "surveys").is_dir():
            return parent / "notebooks"
    raise CxResearchError("the notebook templates (notebooks/) were not found; run from a "
                          "checkout of cxresearch, or pass notebooks_dir=")


def _export_instruments(folder: Path, out: Path, result: RunResult
                        ) -> tuple[list[dict[str, object]],
                                   list[tuple[Instrument, list[tuple[str, Path]]]]]:
    """Every instrument validated and exported to every format under ``out/instruments``."""
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
    return inputs, entries


def run_study(study: str | Path | None = None, *, reports: str | Path = "reports",
              run_id: str | None = None, lang: str = "en", wave: str | None = None,
              notebooks_dir: str | Path | None = None, progress: bool = True,
              pdf: bool = True) -> RunResult:
    """Run the study: check the plan, export the instruments, execute the study's notebooks
    with papermill, and write the reports and the run record.

    Parameters
    ----------
    study : path, optional
        The study folder (default: the bundled example ``surveys/insurer-claims``).
    reports : path
        The folder that holds ``<study>/<run id>/``.
    run_id : str, optional
        Name of the run folder (default: the UTC start time and the language,
        ``20261203T101500Z-en``). A folder that exists is never overwritten.
    lang : {"en", "nl"}
        Language of the notebooks and reports.
    wave : str, optional
        Passed to every notebook as the parameter ``wave`` (the wave to report on).
    notebooks_dir : path, optional
        Where the notebook templates are (default: the repository's ``notebooks/``).
    progress : bool
        Show a progress bar (one step per notebook).
    pdf : bool
        Print the client report to PDF with headless Chromium (when installed).

    Returns
    -------
    RunResult
        ``.ok`` is False when an instrument has errors or a notebook failed; a failed
        notebook stops the run (later notebooks are "not run"), what ran is kept, and the
        message names the notebook and the cell.

    Notes
    -----
    Every notebook gets the parameters ``study`` (absolute path), ``lang``, ``seed``
    (the plan's) and ``run_dir``, and ``CXRESEARCH_RUN_DIR`` is set while it runs, so
    :func:`cxresearch.study.findings.finding` appends to ``<run>/findings.jsonl``. After
    the notebooks, the run's findings are appended to the study's
    ``findings-log.jsonl``; finished roadmap actions are judged on the last two waves and
    their verdicts written back into ``roadmap.yaml``. ``run.json`` records the input
    files with their sha256 (and which changed since the last run), the parameters,
    package and Python versions, the git commit and whether the tree was clean, the seed,
    the exclusions, the deviations from the plan, start and end, and each notebook's
    outcome.
    """
    from datetime import datetime, timezone

    from ._record import changed_since, environment, input_files, last_record
    from .plan import load_plan, plan_status

    if lang not in ("en", "nl"):
        raise CxResearchError(f"--lang must be 'en' or 'nl'; got {lang!r}")
    folder = (Path(study) if study is not None else default_study()).resolve()
    if not (folder / "study.yaml").is_file():
        raise CxResearchError(f"'{folder}' has no study.yaml: a study folder holds its plan "
                              "(goal, hypotheses, design, notebooks). Create one with: "
                              "cxresearch new PATH")
    if not (folder / "instruments").is_dir():
        raise CxResearchError(f"'{folder}' has no instruments/ folder; is it a study folder? "
                              "Create one with: cxresearch new PATH")
    templates = Path(notebooks_dir) if notebooks_dir is not None else notebooks_folder()
    plan = load_plan(folder, notebooks_dir=templates)
    status = plan_status(folder, notebooks_dir=templates)
    missing = [n for n in plan.notebooks if not (templates / n).is_file()]
    if missing:
        raise CxResearchError(f"study.yaml names notebook(s) that are not in {templates}: "
                              f"{', '.join(missing)}; fix the names under 'notebooks:'")
    for name in plan.notebooks:
        _check_parameters(templates / name)
    started = datetime.now(timezone.utc)
    run_id = run_id or f"{started.strftime('%Y%m%dT%H%M%SZ')}-{lang}"
    runs = Path(reports) / folder.name
    out = runs / run_id
    if out.exists():
        raise CxResearchError(f"the report folder {out} exists; nothing was overwritten. "
                              "Give another --run-id, or remove the folder first")
    previous = last_record(runs)
    inputs = input_files(folder)
    changed = changed_since(previous, inputs)
    out.mkdir(parents=True)
    result = RunResult(folder, out.resolve())
    if changed:
        result.notes.append(f"{len(changed)} input file(s) changed since the last run "
                            f"({previous.get('run_id') if previous else ''}): "
                            + ", ".join(changed[:8]) + (" ..." if len(changed) > 8 else ""))
    if not status.locked:
        result.notes.append("the plan is not locked: lock it before data arrive with "
                            f"cxresearch plan lock {folder}")
    elif status.edited_after_lock:
        result.notes.append("study.yaml was edited after the plan was locked; the report "
                            "lists what changed")
    parameters: dict[str, object] = {"study": str(folder), "lang": lang, "seed": plan.seed,
                                     "run_dir": str(result.output)}
    if wave is not None:
        parameters["wave"] = wave
    record: dict[str, object] = {
        "run_id": run_id, "study": str(folder), "started": started.isoformat(),
        "finished": None, "parameters": parameters, "seed": plan.seed,
        "inputs": inputs, "changed_since_last_run": changed,
        "previous_run": previous.get("run_id") if previous else None,
        "exclusions": list(plan.exclusions), **environment(folder),
        "plan": {"locked": status.locked, "locked_at": status.locked_at,
                 "edited_after_lock": status.edited_after_lock},
        "deviations": [_deviation(d) for d in status.deviations]}
    atomic_write_text(result.output / "run.json", json.dumps(record, indent=2,
                                                             ensure_ascii=False))
    instruments, entries = _export_instruments(folder, result.output, result)
    record["instruments"] = instruments
    record["roadmap"] = _judge_roadmap(folder, plan, run_id, lang, result)
    bar = _progress(len(plan.notebooks), progress)
    failed = False
    for name in plan.notebooks:
        if failed:
            result.notebooks.append(NotebookOutcome(name, "not run"))
            continue
        bar(name)
        target = result.output / "notebooks" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        outcome = _execute(name, templates / name, target, parameters, result.output)
        result.notebooks.append(outcome)
        if outcome.status == "failed":
            failed = True
            result.notes.append(f"the run stopped: notebook {name}, {outcome.error}; what "
                                f"ran is kept in {result.output / 'notebooks'}")
    bar(None)
    _write_reports(folder, plan, result, lang, pdf)
    findings = result.output / "findings.jsonl"
    if findings.exists() and not failed:
        from .findings import append_to_log, read_findings

        record["findings"] = len(read_findings(findings))
        append_to_log(folder, result.output)
    used = _tests_used(findings)
    if used:
        from .plan import test_deviations

        record["deviations"] = list(record["deviations"]) + [  # type: ignore[call-overload]
            _deviation(d) for d in test_deviations(plan, used)]
    record.update({
        "finished": datetime.now(timezone.utc).isoformat(),
        "ok": result.ok,
        "notebooks": [n.as_dict(result.output) for n in result.notebooks],
        "reports": {k: (str(v.relative_to(result.output)) if v else None) for k, v in (
            ("client", result.client_report), ("researcher", result.researcher_report),
            ("pdf", result.pdf))},
        "problems": [p.as_dict() for p in result.problems], "notes": result.notes})
    result.files.append(atomic_write_text(result.output / "run.json", json.dumps(
        record, indent=2, ensure_ascii=False)))
    result.files.append(atomic_write_text(result.output / "index.html", _index(
        folder, result.output, entries, result.problems, result)))
    return result


_PARAMETERS = ("study", "lang")
"""The parameters every study notebook must take (the runner also passes seed, run_dir)."""


def _check_parameters(notebook: Path) -> None:
    """A study notebook has a cell tagged ``parameters`` that sets study and lang."""
    import ast

    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise CxResearchError(f"{notebook.name} has no cell tagged 'parameters', so the run "
                              f"cannot pass it {', '.join(_PARAMETERS)}; tag the cell that "
                              "sets them")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise CxResearchError(f"{notebook.name}: the parameters cell is not valid Python "
                              f"(line {exc.lineno}): {exc.msg}") from None
    names = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)}
    missing = [p for p in _PARAMETERS if p not in names]
    if missing:
        example = {"lang": 'lang = "en"', "study": 'study = "../surveys/my-study"'}
        raise CxResearchError(f"{notebook.name}: the parameters cell does not set "
                              f"{', '.join(missing)}; add e.g. {example[missing[0]]}")


def _deviation(d: object) -> dict[str, object]:
    return {"kind": getattr(d, "kind", ""), "hypothesis": getattr(d, "hypothesis", None),
            "message": dict(getattr(d, "message", {}) or {})}


def _tests_used(findings: Path) -> dict[str, str]:
    """Hypothesis id -> the compare metric a notebook used for it (from the findings)."""
    if not findings.exists():
        return {}
    from .findings import read_findings

    used: dict[str, str] = {}
    for f in read_findings(findings):
        hyp = f.get("hypothesis")
        metric = (f.get("evidence") or {}).get("test")  # the comparison made, as the plan names it
        if hyp and metric:
            used[str(hyp)] = str(metric)
    return used


def _progress(total: int, show: bool) -> Callable[[str | None], None]:
    """A progress bar with one step per notebook (tqdm, on stderr)."""
    if not show:
        return lambda _name: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="notebook", desc="running", file=sys.stderr)
    started = [False]

    def step(name: str | None) -> None:
        if started[0]:
            bar.update(1)
        started[0] = True
        if name is None:
            bar.close()
        else:
            bar.set_postfix_str(name)

    return step


def _judge_roadmap(folder: Path, plan: Any, run_id: str, lang: str,
                   result: RunResult) -> list[dict[str, object]]:
    """Judge the finished roadmap actions on the last two waves; write the verdicts back."""
    if not (folder / "roadmap.yaml").is_file():
        return []
    waves = list(plan.design.waves)
    if len(waves) < 2:
        result.notes.append("the roadmap is not judged: the plan names fewer than two waves")
        return []
    from .roadmap import judge_roadmap, load_roadmap, write_verdicts

    try:
        responses = _customer_responses(folder, plan)
    except CxResearchError as exc:
        result.notes.append(f"the roadmap is not judged: {exc}")
        return []
    if responses is None:
        return []
    roadmap = load_roadmap(folder)
    verdicts = judge_roadmap(roadmap, responses, before=waves[-2], after=waves[-1],
                             lang=lang, run_id=run_id)
    write_verdicts(folder, verdicts)
    out = []
    for v in verdicts:
        judged = v.judged() if callable(v.judged) else v.judged
        out.append({"action": v.action, "conclusion": v.conclusion, "judged": bool(judged)})
    return out


def _customer_responses(folder: Path, plan: Any) -> Any:
    """The customers' answers of every wave, the plan's exclusions applied."""
    from .data import study_responses

    return study_responses(folder, "customer", exclusions=plan.exclusions)


def _write_reports(folder: Path, plan: Any, result: RunResult, lang: str, pdf: bool) -> None:
    """Client report (no code; the report notebook if the plan has one), researcher report
    (every notebook, with code), and the client report as PDF."""
    from .reports import print_pdf, render_notebook, render_notebooks

    done = [n.output for n in result.notebooks if n.status == "ok" and n.output]
    if not done:
        return
    title = _study_title(folder).get(lang) or folder.name
    report = [n.output for n in result.notebooks
              if n.status == "ok" and n.output and "report" in n.name]
    client = result.output / f"client-report.{lang}.html"
    if report:
        result.client_report = render_notebook(report[0], client, with_code=False, title=title)
    else:
        result.client_report = render_notebooks(done, client, with_code=False, title=title)
    result.researcher_report = render_notebooks(
        done, result.output / f"researcher-report.{lang}.html", with_code=True, title=title)
    for nb in done:
        render_notebook(nb, nb.with_suffix(".html"), with_code=True)
    result.files += [result.client_report, result.researcher_report]
    if pdf:
        result.pdf = print_pdf(result.client_report, client.with_suffix(".pdf"))
        if result.pdf is None:
            result.notes.append("no PDF: headless Chromium is not installed "
                                "(apt-get install chromium)")
        else:
            result.files.append(result.pdf)


def _execute(name: str, source: Path, target: Path, parameters: dict[str, object],
             run_dir: Path) -> NotebookOutcome:
    """Run one notebook with papermill; the output notebook is kept also when it fails."""
    import os
    import time

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .findings import RUN_DIR_ENV

    started = time.perf_counter()
    previous = os.environ.get(RUN_DIR_ENV)
    os.environ[RUN_DIR_ENV] = str(run_dir)  # the kernel inherits it: finding() writes there
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters,
                                   cwd=str(source.parent), kernel_name="python3",
                                   progress_bar=False, log_output=False)
    except PapermillExecutionError as exc:
        first = next((ln.strip() for ln in str(exc.source).splitlines() if ln.strip()), "")
        return NotebookOutcome(name, "failed", time.perf_counter() - started, target,
                               f"cell {exc.exec_count or exc.cell_index + 1} ({first[:60]}) "
                               f"raised {exc.ename}: {str(exc.evalue).strip()[:300]}")
    except Exception as exc:  # a kernel that does not start, a notebook that cannot be read
        return NotebookOutcome(name, "failed", time.perf_counter() - started,
                               target if target.exists() else None,
                               f"{type(exc).__name__}: {str(exc).strip()[:300]}")
    finally:
        if previous is None:
            os.environ.pop(RUN_DIR_ENV, None)
        else:
            os.environ[RUN_DIR_ENV] = previous
    return NotebookOutcome(name, "ok", time.perf_counter() - started, target)


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
           problems: list[Problem], result: RunResult | None = None) -> str:
    """A bilingual overview page of the run: the reports, every notebook's outcome, every
    instrument with its files, and the problems."""
    esc = html.escape
    reports = ""
    if result is not None:
        report_links = [(p, label) for p, label in (
            (result.client_report, "Client report / Rapport voor de opdrachtgever"),
            (result.pdf, "PDF"),
            (result.researcher_report, "Researcher report (with code) / Onderzoeksrapport "
                                       "(met code)")) if p is not None]
        items = "".join(f'<li><a href="{esc(str(p.relative_to(out)))}">{esc(label)}</a></li>'
                        for p, label in report_links)
        books = "".join(
            f"<tr><td>{esc(n.name)}</td><td>{esc(n.status)}</td>"
            f"<td class=num>{n.seconds:.1f} s</td><td>{esc(n.error)}</td></tr>"
            for n in result.notebooks)
        notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
        reports = (f"<h2>Reports <span class=en>/ Rapporten</span></h2><ul>{items}</ul>"
                   f"<h2>Notebooks</h2><table>{books}</table>"
                   + (f"<h2>Notes <span class=en>/ Opmerkingen</span></h2><ul>{notes}</ul>"
                      if notes else ""))

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
{reports}
<h2>{both("instruments")}</h2>
<table><tr>{heads}</tr>{''.join(rows)}</table>
<h2>{both("problems")}</h2>
{"<ul>" + issues + "</ul>" if issues else "<p>" + both("no_problems") + "</p>"}
</body></html>
"""
