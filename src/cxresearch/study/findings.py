"""Findings: what a notebook concluded, with the evidence behind it, in an append-only log.

A notebook records a finding with one call::

    from cxresearch.study.findings import finding
    finding(stats.compare(customers, "sat_call", "wave"), hypothesis="h1_first_call",
            touchpoint="first_call", metric="touchpoint_satisfaction",
            quotes=["Q-c01-t0010"])

When the study runner executes the notebook it sets :data:`RUN_DIR_ENV` to the run's
folder, and every finding becomes one JSON line of ``<run dir>/findings.jsonl``; a
notebook run on its own keeps its findings in memory (:func:`findings_in_memory`) and
says so once. After a run, :func:`append_to_log` adds the run's findings to the study's
``findings-log.jsonl``, the record across runs that is only ever appended to.

One line of ``findings.jsonl`` (wrapped here; on disk it is one line)::

    {"format": "cxresearch-finding/1", "id": "F-20261123T101500Z-3f9c2a1b",
     "run_id": "20261123T101500Z", "time": "2026-11-23T10:16:02+00:00",
     "notebook": "04_did_it_make_a_difference.ipynb", "hypothesis": "h1_first_call",
     "statement": {"nl": "...", "en": "..."},
     "verdict": {"conclusion": "improvement", "text": {"nl": "...", "en": "..."}},
     "evidence": {"metric": "touchpoint_satisfaction", "outcome": "sat_call",
                  "touchpoint": "first_call", "test": "mean",
                  "estimate": 0.594, "ci_low": 0.473, "ci_high": 0.714, "level": 0.95,
                  "p_value": 1.2e-20, "n": 1155, "method": "Welch's t-test",
                  "sesoi": 0.3},
     "quotes": ["Q-c01-t0010"]}

``evidence.metric`` is what was measured (as the notebook names it; default the test),
``evidence.test`` the comparison :func:`~cxresearch.stats.compare` made
(``Verdict.metric``: ``nps``, ``mean``, ``proportion``, ``top_box``, ``ordinal``,
``did``, ``its``), as the study plan's hypotheses name their test. Numbers are in the
unit of that test (NPS points, scale points, a share for proportions); a missing number
is ``null``. Our own code: no
library keeps findings logs.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .._numbers import number
from ..errors import CxResearchError

if TYPE_CHECKING:
    import pandas as pd

    from ..journey.model import Journey

__all__ = ["FINDINGS_FILE", "FORMAT", "LOG_FILE", "RUN_DIR_ENV", "FindingsError",
           "append_to_log", "clear_findings_in_memory", "finding", "findings_in_memory",
           "findings_table", "read_findings", "run_id_of"]

RUN_DIR_ENV = "CXRESEARCH_RUN_DIR"
"""Environment variable the study runner sets, for every notebook it executes, to the
run's folder (``reports/<study>/<run>/``)."""

FINDINGS_FILE = "findings.jsonl"
"""A run's findings, one JSON object a line, in the run folder."""

LOG_FILE = "findings-log.jsonl"
"""The study's findings across runs, in the study folder; only ever appended to."""

FORMAT = "cxresearch-finding/1"
"""The ``format`` of every finding record."""

_LANGS = ("nl", "en")
_QUOTE_ID = re.compile(r"^Q-[A-Za-z0-9_.\-]+$")
_log = logging.getLogger(__name__)
_memory: list[dict[str, Any]] = []
_told_memory = False


class FindingsError(CxResearchError, ValueError):
    """A finding cannot be recorded, read or logged; the message says where and why."""


# -- words shared with the roadmap -------------------------------------------------------
_WORDS: dict[str, tuple[str, str]] = {  # (en, nl); conclusions come from the verdicts' words
    "not_judged_yet": ("not judged yet", "nog niet beoordeeld"),
    "quick_win": ("quick win", "quick win"),
    "long_term": ("long term", "lange termijn"),
    "planned": ("planned", "gepland"),
    "in_progress": ("in progress", "in uitvoering"),
    "done": ("done", "afgerond"),
}
_PERCENT = ("proportion", "top_box")
"""Metrics of :func:`~cxresearch.stats.compare` whose shares are shown in percentage
points."""


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise FindingsError(f"lang must be 'nl' or 'en'; got {lang!r}")
    return lang


def _word(key: str | None, lang: str) -> str:
    """A conclusion, kind or status in words, as the verdicts' plots name conclusions
    (``"clear_improvement"`` -> ``"duidelijke verbetering"``); ``""`` for ``None``.

    >>> _word("no_meaningful_change", "nl"), _word("in_progress", "en")
    ('geen verandering die ertoe doet', 'in progress')
    """
    if key is None:
        return ""
    if key in _WORDS:
        en, nl = _WORDS[key]
        return nl if lang == "nl" else en
    from ..stats._verdict_text import _TEXT, _t

    return _t(f"short_{key}", lang) if f"short_{key}" in _TEXT else key.replace("_", " ")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _digits(test: str | None) -> int:
    """Decimals as the verdicts show them: 2 for means, 1 for NPS and percentages."""
    return 2 if test in ("mean", "did", "its", "ordinal") else 1


def _estimate_text(estimate: Any, low: Any, high: Any, digits: int, lang: str) -> str:
    """``+0.59 (0.47 to 0.71)``; Dutch ``+0,59 (0,47 tot 0,71)``; a dash when missing.

    >>> _estimate_text(0.594, 0.473, 0.714, 2, "nl")
    '+0,59 (0,47 tot 0,71)'
    >>> _estimate_text(None, None, None, 1, "en")
    '–'
    """
    if _missing(estimate):
        return "–"
    text = number(estimate, lang, digits, sign=True)
    if not (_missing(low) or _missing(high)):
        word = "tot" if lang == "nl" else "to"
        text += f" ({number(low, lang, digits)} {word} {number(high, lang, digits)})"
    return text


def _clean_number(value: Any) -> float | None:
    """A float for JSON, ``None`` for missing or NaN (JSON has no NaN)."""
    if value is None:
        return None
    result = float(value)
    return None if math.isnan(result) or math.isinf(result) else result


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _texts(value: Any, argument: str) -> dict[str, str]:
    """A text in nl and en, checked (``{"nl": ..., "en": ...}``)."""
    if not isinstance(value, Mapping):
        raise FindingsError(f"{argument} must be a text in Dutch and English, "
                            f"{{'nl': ..., 'en': ...}}; got {type(value).__name__} "
                            f"{value!r:.60}")
    missing = [lang for lang in _LANGS
               if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise FindingsError(f"{argument} has no text in {', '.join(missing)}; give both: "
                            f"{{'nl': ..., 'en': ...}}")
    return {lang: str(value[lang]) for lang in _LANGS}


# -- the run folder ----------------------------------------------------------------------
def run_id_of(run_dir: str | Path) -> str:
    """The run's id: ``run_id`` of ``<run dir>/run.json`` when it has one, else the
    folder's name.

    Raises
    ------
    FindingsError
        ``run.json`` exists but is not a JSON object.
    """
    folder = Path(run_dir)
    record = folder / "run.json"
    if record.is_file():
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FindingsError(f"{record}: cannot be read as JSON ({exc}); the run id "
                                "comes from its 'run_id'. Repair or remove the file") from None
        if not isinstance(data, dict):
            raise FindingsError(f"{record}: must hold a JSON object with 'run_id'; got "
                                f"{type(data).__name__}")
        run_id = data.get("run_id")
        if isinstance(run_id, str) and run_id.strip():
            return run_id
    return folder.resolve().name


def _run_dir() -> Path | None:
    value = os.environ.get(RUN_DIR_ENV, "").strip()
    return Path(value) if value else None


def _append_lines(path: Path, lines: Sequence[str]) -> None:
    """Append whole lines to ``path`` in one write, flushed and fsynced.

    Earlier lines are never rewritten. When the file ends in a partial line (a crash
    mid-write), a line break is written first so that the new lines stay whole; the
    partial line is then skipped by :func:`read_findings`.
    """
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(fd).st_size
        if size:
            with open(path, "rb") as handle:
                handle.seek(size - 1)
                if handle.read(1) != b"\n":
                    data = b"\n" + data
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


# -- recording ---------------------------------------------------------------------------
def _outcome_of(verdict: Any) -> str:
    """The compared column: the verdict's label is ``"<question label> (<column>)"``
    when the question was known, else the column itself."""
    label = str(getattr(verdict, "label", "") or "")
    match = re.search(r"\(([A-Za-z_][A-Za-z0-9_]*)\)$", label)
    return match.group(1) if match else label


def finding(verdict: Any, *, statement: Mapping[str, str] | None = None,
            hypothesis: str | None = None, touchpoint: str | None = None,
            metric: str | None = None, quotes: Iterable[str] = (),
            notebook: str | None = None, outcome: str | None = None) -> dict[str, Any]:
    """Record a finding: what was concluded, from which verdict, about what.

    Parameters
    ----------
    verdict : Verdict
        From :func:`cxresearch.stats.compare`: its conclusion, sentences, estimate,
        interval, p-value, n and method are the evidence.
    statement : {"nl": str, "en": str}, optional
        The finding in plain words, for the report. Default: the verdict's own
        sentences (:meth:`Verdict.verdict`) in Dutch and English.
    hypothesis : str, optional
        The id of the study plan's hypothesis this finding answers.
    touchpoint : str, optional
        The journey touchpoint it is about.
    metric : str, optional
        The metric it is about (``touchpoint_satisfaction``, ``nps``, ...). Default: the
        test the verdict made (``mean``, ``nps``, ``proportion``, ...), which is always
        kept as ``evidence.test``.
    quotes : list of str
        Ids of the interview quotes that go with it (``"Q-c01-t0010"``, see
        :func:`cxresearch.qual.quotes.quote_id`).
    notebook : str, optional
        The notebook that made it.
    outcome : str, optional
        The compared answer field. Default: read from the verdict's label
        (``"... (sat_call)"``), else the label itself.

    Returns
    -------
    dict
        The record (see the module docstring), also when it was only kept in memory.

    Notes
    -----
    When :data:`RUN_DIR_ENV` names a folder (the study runner sets it), the record is
    appended as one JSON line to ``<run dir>/findings.jsonl`` (one write, flushed and
    fsynced; earlier lines are never rewritten), with the run id of :func:`run_id_of`.
    Without it (a notebook run on its own) the record is kept in memory only
    (:func:`findings_in_memory`), and the first such finding says so in the log
    (``logging``, level WARNING).
    """
    for name in ("estimate", "ci_low", "ci_high", "n", "method", "conclusion"):
        if not hasattr(verdict, name):
            raise FindingsError(f"verdict must be a Verdict from cxresearch.stats.compare; "
                                f"got {type(verdict).__name__} (no '{name}')")
    if statement is None:
        statement = {lang: verdict.verdict(lang) for lang in _LANGS}
    text = _texts(statement, "statement")
    quote_ids = [quotes] if isinstance(quotes, str) else list(quotes)
    for qid in quote_ids:
        if not isinstance(qid, str) or not _QUOTE_ID.match(qid):
            raise FindingsError(f"quotes: {qid!r} is not a quote id; quote ids look like "
                                "'Q-c01-t0010' (Q-<transcript>-<segment>, see "
                                "cxresearch.qual.quotes.quote_id)")
    for name, value in (("hypothesis", hypothesis), ("touchpoint", touchpoint),
                        ("metric", metric), ("notebook", notebook), ("outcome", outcome)):
        if value is not None and not isinstance(value, str):
            raise FindingsError(f"{name} must be text (an id); got {type(value).__name__} "
                                f"{value!r:.60}")
    run_dir = _run_dir()
    run_id = run_id_of(run_dir) if run_dir is not None else None
    test = str(getattr(verdict, "metric", "") or "") or None
    record: dict[str, Any] = {
        "format": FORMAT,
        "id": f"F-{run_id or 'memory'}-{uuid.uuid4().hex[:8]}",
        "run_id": run_id,
        "time": _now(),
        "notebook": notebook,
        "hypothesis": hypothesis,
        "statement": text,
        "verdict": {"conclusion": str(verdict.conclusion),
                    "text": {lang: verdict.verdict(lang) for lang in _LANGS}},
        "evidence": {
            "metric": metric if metric is not None else test,
            "outcome": outcome if outcome is not None else _outcome_of(verdict),
            "touchpoint": touchpoint,
            "test": test,
            "estimate": _clean_number(verdict.estimate),
            "ci_low": _clean_number(verdict.ci_low),
            "ci_high": _clean_number(verdict.ci_high),
            "level": _clean_number(getattr(verdict, "level", None)),
            "p_value": _clean_number(verdict.p_value),
            "n": int(verdict.n),
            "method": str(verdict.method),
            "sesoi": _clean_number(getattr(verdict, "sesoi", None)),
        },
        "quotes": quote_ids,
    }
    line = json.dumps(record, ensure_ascii=False, allow_nan=False)
    global _told_memory
    if run_dir is not None:
        _append_lines(run_dir / FINDINGS_FILE, [line])
    elif not _told_memory:
        _told_memory = True
        _log.warning("finding kept in memory only: %s is not set (this notebook is not run "
                     "by 'cxresearch run'); findings_in_memory() lists them", RUN_DIR_ENV)
    _memory.append(record)
    return record


def findings_in_memory() -> list[dict[str, Any]]:
    """The findings recorded in this process, oldest first (a copy of the list)."""
    return list(_memory)


def clear_findings_in_memory() -> None:
    """Forget the findings kept in memory (a notebook started over)."""
    global _told_memory
    _memory.clear()
    _told_memory = False


# -- reading and logging -------------------------------------------------------------------
def read_findings(path: str | Path) -> list[dict[str, Any]]:
    """The findings of a ``findings.jsonl`` (or the study's ``findings-log.jsonl``).

    Parameters
    ----------
    path : path
        The file (a run's ``findings.jsonl`` or a study's ``findings-log.jsonl``); a
        folder is read as its ``findings.jsonl``. A file that does not exist holds no
        findings.

    Returns
    -------
    list of dict
        The records, in file order.

    Raises
    ------
    FindingsError
        A complete line that is not a JSON object (file and line named).

    Notes
    -----
    A line cut off by a crash mid-write (the last line without its line break, or a
    line that starts a JSON object and stops before its end) is skipped, and a
    WARNING in the log says which.
    """
    target = Path(path)
    if target.is_dir():
        target = target / FINDINGS_FILE
    if not target.is_file():
        return []
    data = target.read_bytes()
    records: list[dict[str, Any]] = []
    lines = data.split(b"\n")
    last_complete = data.endswith(b"\n")
    for number_, raw in enumerate(lines, start=1):
        is_last = number_ == len(lines)
        if is_last and last_complete:
            break  # the empty piece after the final line break
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            cut = is_last or (text.startswith("{") and not text.endswith("}"))
            if cut:
                _log.warning("%s:%d: skipped an incomplete line (cut off mid-write, e.g. "
                             "by a crash): %.60s", target, number_, text)
                continue
            raise FindingsError(f"{target}:{number_}: not a JSON line ({exc.msg} at "
                                f"column {exc.colno}); every line must be one finding "
                                "written by cxresearch.study.findings.finding") from None
        if not isinstance(record, dict):
            raise FindingsError(f"{target}:{number_}: a finding must be a JSON object; got "
                                f"{type(record).__name__}")
        records.append(record)
    return records


def append_to_log(study: str | Path, run_dir: str | Path) -> Path:
    """Append a run's findings to the study's ``findings-log.jsonl``.

    Parameters
    ----------
    study : path
        The study folder (the one holding ``study.yaml``).
    run_dir : path
        The run's folder, holding ``findings.jsonl``.

    Returns
    -------
    Path
        The log. Each record is written as in the run, with ``logged`` (when it was
        appended) added; earlier lines are never rewritten.

    Raises
    ------
    FindingsError
        The study folder does not exist, or the log already holds findings of this run
        (nothing is written then).
    """
    folder = Path(study)
    if not folder.is_dir():
        raise FindingsError(f"'{folder}' is not a study folder; give the folder that holds "
                            "study.yaml (nothing was written)")
    run_id = run_id_of(run_dir)
    log = folder / LOG_FILE
    for earlier in read_findings(log):
        if earlier.get("run_id") == run_id:
            raise FindingsError(
                f"{log}: run '{run_id}' was appended already (at {earlier.get('logged')}); "
                "a run goes into the log once (nothing was written). Rerun the study for a "
                "new run id")
    findings = read_findings(Path(run_dir) / FINDINGS_FILE)
    if not findings:
        _log.warning("%s: run '%s' recorded no findings; nothing appended to %s",
                     run_dir, run_id, log)
        return log
    logged = _now()
    lines = []
    for record in findings:
        entry = dict(record)
        entry["run_id"] = run_id
        entry["logged"] = logged
        lines.append(json.dumps(entry, ensure_ascii=False, allow_nan=False))
    _append_lines(log, lines)
    return log


# -- for reports ----------------------------------------------------------------------------
_TABLE_HEADINGS = {
    "en": {"statement": "finding", "conclusion": "conclusion", "estimate":
           "estimate (interval)", "n": "n", "touchpoint": "touchpoint"},
    "nl": {"statement": "bevinding", "conclusion": "conclusie", "estimate":
           "schatting (interval)", "n": "n", "touchpoint": "contactmoment"},
}


def findings_table(findings: Sequence[Mapping[str, Any]] | str | Path, lang: str = "en",
                   *, journey: Journey | None = None) -> pd.DataFrame:
    """The findings as a table for a report, in ``lang``.

    Parameters
    ----------
    findings : list of dict, or path
        Records from :func:`finding` or :func:`read_findings`, or a file to read.
    lang : {"en", "nl"}
        The language of the statements, conclusions and numbers.
    journey : Journey, optional
        Names the touchpoints (else their ids are shown).

    Returns
    -------
    DataFrame
        One row per finding: ``statement``, ``conclusion`` (in words),
        ``estimate`` (with its interval: ``+0.59 (0.47 to 0.71)``; percentage points for
        shares), ``n`` and ``touchpoint``. ``attrs["headings"]`` holds the column
        headings in ``lang``.
    """
    import pandas as pd

    _check_lang(lang)
    records = read_findings(findings) if isinstance(findings, (str, Path)) else findings
    rows = []
    for record in records:
        evidence = record.get("evidence") or {}
        scale = 100.0 if evidence.get("test") in _PERCENT else 1.0

        def shown(key: str) -> float | None:
            value = evidence.get(key)
            return None if value is None or _missing(value) else float(value) * scale

        touchpoint = evidence.get("touchpoint")
        if touchpoint and journey is not None and touchpoint in journey.touchpoint_ids():
            touchpoint = journey.label(touchpoint, lang)
        statement = record.get("statement") or {}
        rows.append({
            "statement": statement.get(lang) or next(iter(statement.values()), ""),
            "conclusion": _word((record.get("verdict") or {}).get("conclusion"),
                                           lang),
            "estimate": _estimate_text(shown("estimate"), shown("ci_low"), shown("ci_high"),
                                       _digits(evidence.get("test")), lang),
            "n": evidence.get("n"),
            "touchpoint": touchpoint,
        })
    table = pd.DataFrame(rows, columns=list(_TABLE_HEADINGS["en"]))
    table["n"] = table["n"].astype("Int64")
    table.attrs["headings"] = dict(_TABLE_HEADINGS[lang])
    return table
