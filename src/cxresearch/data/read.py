"""``read_responses``: from the file a researcher receives to typed answers.

Columns are matched to the instrument's answer fields: by id (any case), by the last
part of a KoboToolbox/ODK group path (``claim/nps``), by LimeSurvey question codes
(``satCall``, ``matrix[SQ001]``, ``channel[phone]``), and meta columns (respondent id,
start, end, duration, wave, team, language) by their usual names. Multiple-choice
answers spread over one 0/1 (or Y) column per choice are joined back into one field.
Columns that match nothing are listed in ``Responses.unmatched`` with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Code, DataError, Problem, Severity
from ..instrument.model import Instrument, Question
from ._raw import RawTable, read_raw
from ._types import OTHER_WORDS, Typer
from .responses import COERCION_COLUMNS, Responses

__all__ = ["read_responses"]

_META = {
    "respondent_id": ("respondent_id", "respondent id", "respondentid", "respondent", "id",
                      "_uuid", "responseid", "response_id", "meta/instanceid", "_id"),
    "start": ("start", "startdate", "start date", "starttijd", "started"),
    "end": ("end", "submitdate", "enddate", "end date", "eindtijd", "_submission_time",
            "completed"),
    "duration_s": ("duration_s", "duration", "duration (in seconds)", "interviewtime",
                   "duur", "duur (s)"),
    "wave": ("wave", "meting", "golf"),
    "team": ("team",),
    "language": ("language", "startlanguage", "taal"),
}
_IGNORED = {"lastpage", "seed", "datestamp", "refurl", "ipaddr", "_index", "_status",
            "_validation_status", "_notes", "_tags", "_submitted_by", "__version__",
            "_version_", "_attachments", "_geolocation", "formhub/uuid", "meta/deprecatedid"}
_TRUE = {"1", "1.0", "y", "yes", "true", "ja", "waar"}


def _field_index(survey: Instrument) -> dict[str, tuple[str, Question]]:
    index: dict[str, tuple[str, Question]] = {}
    for q in survey.questions():
        for fid in q.field_ids():
            index[fid.casefold()] = (fid, q)
    return index


def _limesurvey(survey: Instrument) -> Any:
    try:
        from ..instrument.limesurvey import limesurvey_codes

        return limesurvey_codes(survey)
    except Exception:  # an instrument LimeSurvey cannot hold has no codes to match
        return None


def read_responses(path: str | Path, survey: Instrument | str | Path, *,
                   sheet: str | int | None = None, delimiter: str | None = None,
                   decimal: str | None = None, encoding: str | None = None) -> Responses:
    """Read a response file as typed answers to ``survey``.

    Parameters
    ----------
    path : path
        CSV (delimiter, decimal comma, encoding and BOM detected), XLSX, SPSS ``.sav``,
        Parquet, or an export of our XLSForm (KoboToolbox/ODK) or LimeSurvey structure.
    survey : Instrument or path
        The instrument (or its file) the answers belong to.
    sheet, delimiter, decimal, encoding
        Override what is detected.

    Returns
    -------
    Responses
        Typed answers, with the raw file's sha256, unmatched columns and the values
        that could not be kept (``coercions``). The raw file is never written.

    Raises
    ------
    DataError
        Empty file, header only, ragged rows, duplicated columns, no answer columns,
        SPSS value labels that match no choice; each names file, row and column.
    """
    import hashlib

    from ..instrument import load_instrument

    inst = survey if isinstance(survey, Instrument) else load_instrument(survey)
    path = Path(path)
    raw = read_raw(path, sheet=sheet, delimiter=delimiter, decimal=decimal, encoding=encoding)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return _build(raw, inst, str(path), digest.hexdigest())


def _build(raw: RawTable, inst: Instrument, source: str, sha256: str | None) -> Responses:
    fields = _field_index(inst)
    ls = _limesurvey(inst)
    columns: dict[str, pd.Series] = {}
    dummies: dict[str, dict[str, pd.Series]] = {}
    unmatched: list[str] = []
    meta: dict[str, str] = {}
    frame = raw.frame
    warnings: list[Problem] = list(raw.warnings)
    frame = _apply_value_labels(raw, inst, fields, source)
    via_codes: set[str] = set()  # columns found by their LimeSurvey code
    for name in raw.header:
        key = name.strip().casefold()
        target = fields.get(key)
        if target is None and "/" in key:  # KoboToolbox group path, or a choice dummy
            parts = key.split("/")
            if parts[-1] in fields:
                target = fields[parts[-1]]
            elif len(parts) >= 2 and parts[-2] in fields and \
                    fields[parts[-2]][1].type == "multiple_choice":
                fid, q = fields[parts[-2]]
                dummies.setdefault(fid, {})[name.split("/")[-1]] = frame[name]
                continue
        if target is None and ls is not None:
            m = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)(?:\[([^\]]+)\]|_([A-Za-z0-9]+))?", name.strip())
            if m and m.group(1) in ls.question_ids:
                qid, sub = ls.question_ids[m.group(1)], m.group(2) or m.group(3)
                q = inst.question(qid)
                via_codes.add(name)
                if sub is None:
                    target = (qid, q)
                elif sub.casefold() == "other":
                    target = (f"{qid}_other", q)
                elif q.type == "likert_matrix" and (m.group(1), sub) in ls.item_ids:
                    iid = ls.item_ids[(m.group(1), sub)]
                    target = (iid, q)
                elif q.type == "multiple_choice" and (qid, sub) in ls.subquestion_values:
                    dummies.setdefault(qid, {})[ls.subquestion_values[(qid, sub)]] = frame[name]
                    continue
        if target is not None:
            fid, q = target
            series = frame[name]
            if name in via_codes and q.type in ("single_choice", "likert", "likert_matrix",
                                                 "rating") and fid != f"{q.id}_other":
                series = series.map(lambda v, qid=q.id: ls.answer_values.get((qid, v), v)
                                    if isinstance(v, str) else v)
            columns[fid] = series
            continue
        meta_name = next((m for m, names in _META.items() if key in names and m not in meta),
                         None)
        if meta_name is not None:
            meta[meta_name] = name
        elif any(key in names for names in _META.values()):
            continue  # a second name for a meta column already found (e.g. _submission_time)
        elif key not in _IGNORED and key:
            unmatched.append(name)
    for fid, choice_columns in dummies.items():
        if fid in columns:
            continue
        joined = pd.Series("", index=frame.index, dtype="string")
        for value, cells in choice_columns.items():  # one 0/1 column per choice
            on = cells.astype("string").str.strip().str.casefold().isin(_TRUE)
            joined = joined + on.map({True: value + " ", False: ""}).astype("string")
        joined = joined.str.strip()
        columns[fid] = joined.mask(joined == "")
    if not columns:
        raise DataError.single(
            Code.DATA_NO_ANSWERS, f"no column matches a question of '{inst.id}'",
            file=source, line=1, given=", ".join(raw.header[:12]),
            allowed=", ".join(inst.field_ids()[:12]),
            fix="check that this file holds answers to this instrument; column names must be "
            "question ids (or their KoboToolbox paths or LimeSurvey codes)")
    if unmatched:
        warnings.append(Problem(Code.DATA_UNMATCHED_COLUMN,
                                f"{len(unmatched)} column(s) match no question and were not "
                                f"kept: {', '.join(unmatched[:10])}", file=source, line=1,
                                severity=Severity.WARNING,
                                fix="rename them to question ids if they are answers"))
    typer = Typer(inst, source, raw.first_row, raw.decimal)
    data: dict[str, pd.Series] = {}
    meta_cols: list[str] = []
    for name in ("respondent_id", "wave", "team", "language"):
        if name in meta:
            data[name] = typer.text(frame[meta[name]], name)
            meta_cols.append(name)
    for name in ("start", "end"):
        if name in meta:
            data[name] = typer.dates(frame[meta[name]], name, with_time=True)
            meta_cols.append(name)
    if "duration_s" in meta:
        text = frame[meta["duration_s"]].astype("string").str.replace(",", ".", regex=False)
        data["duration_s"] = pd.to_numeric(text, errors="coerce").astype("Float64")
        meta_cols.append("duration_s")
    elif "start" in data and "end" in data:
        data["duration_s"] = ((data["end"] - data["start"]).dt.total_seconds()).astype("Float64")
        meta_cols.append("duration_s")
    owner = {fid: q for fid, q in fields.values()}
    for fid in inst.field_ids():
        if fid in columns:
            data[fid] = typer.answer(columns[fid], owner[fid], fid)
    typed = pd.DataFrame(data, index=frame.index)
    coercions = pd.DataFrame(typer.coercions, columns=list(COERCION_COLUMNS))
    responses = Responses(typed, inst, source, sha256, "respondent_id", meta_cols, unmatched,
                          coercions)
    responses.warnings = warnings + typer.warnings  # type: ignore[attr-defined]
    return responses


def _apply_value_labels(raw: RawTable, inst: Instrument,
                        fields: dict[str, tuple[str, Question]], source: str) -> pd.DataFrame:
    """SPSS codes of choice questions -> their value labels (matched to choices later)."""
    if not raw.value_labels:
        return raw.frame
    frame = raw.frame.copy()
    problems: list[Problem] = []
    for name, labels in raw.value_labels.items():
        target = fields.get(str(name).casefold())
        if target is None or target[1].type != "single_choice":
            continue
        fid, q = target
        known: set[str] = set()
        for c in inst.choice_list(q).choices:
            known.add(c.value.casefold())
            known.update(w.casefold().strip() for w in c.label.values())
        if q.other:
            known.update(OTHER_WORDS)
        bad = [f"{code:g}={label!r}" if isinstance(code, float) else f"{code}={label!r}"
               for code, label in labels.items() if str(label).casefold().strip() not in known]
        if bad:
            problems.append(Problem(
                Code.DATA_LABELS_MISMATCH, f"SPSS value labels of '{name}' match no choice of "
                f"list '{q.choices}': {', '.join(bad[:5])}", file=source, question_id=fid,
                allowed=", ".join(c.value for c in inst.choice_list(q).choices),
                fix="relabel the values in SPSS, or add the choices to the instrument"))
            continue
        mapping = {(str(int(k)) if isinstance(k, float) and k.is_integer() else str(k)): v
                   for k, v in labels.items()}
        frame[name] = frame[name].map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
    if problems:
        raise DataError(problems)
    return frame
