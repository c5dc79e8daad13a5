"""``read_responses``: from the file a researcher receives to typed answers.

Columns are matched to the instrument's answer fields: by id (any case), by the last
part of a KoboToolbox/ODK group path (``claim/nps``), by LimeSurvey question codes
(``satCall``, ``matrix[SQ001]``, ``channel[phone]``), and meta columns (respondent id,
start, end, duration, wave, team, language) by their usual names. Multiple-choice
answers spread over one 0/1 (or Y) column per choice are joined back into one field.
A LimeSurvey export (question-code headings, answer codes or full answers) is read as
LimeSurvey writes it: answer codes become values (``-oth-`` becomes ``other``, and a
multiple-choice ``code[other]`` text ticks ``other``), ranking columns ``code[1]``,
``code[2]``, ... are joined in rank order, and its bookkeeping columns (``lastpage``,
``seed``, ``datestamp``, timings ``groupTime12`` and ``satCallTime``) are left out.
Columns that match nothing are listed in ``Responses.unmatched`` with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Code, DataError, Problem, Severity
from ..instrument._limesurvey_logic import OTHER_ANSWER_CODE
from ..instrument.model import Instrument, Question
from ._raw import RawTable, file_sha256, read_raw
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
        that could not be kept (``coercions``), the study folder (``study``) and its
        minimum group size (``min_group_size``). The raw file is never written.

    Raises
    ------
    DataError
        Empty file, header only, ragged rows, duplicated columns, no answer columns,
        SPSS value labels that match no choice; each names file, row and column.
        Personal data without a stated purpose of processing (CX210), and an
        unreadable ``study.yaml`` or a bad ``min_group_size`` in it, naming file and
        line.

    Notes
    -----
    **The study.** The study folder is the nearest folder holding a ``study.yaml``,
    walking up from the data file (``<study>/data/raw/f.csv`` finds
    ``<study>/study.yaml``), else walking up from the instrument's file. Its
    ``min_group_size`` (default 5) is kept on the result. Without a ``study.yaml`` the
    instrument's own ``purpose`` and ``min_group_size`` count.

    **Personal data.** Pseudonymous survey answers are personal data under the GDPR
    (recital 26; art. 4(5)): whoever holds the key or the fielding platform can link
    them to a person. So the data hold personal data when any of these is in the file:

    - a respondent id column (even an id that will be pseudonymised);
    - an answer to a question marked ``personal: direct`` or ``personal: indirect``;
    - an answer to an open question (``type: text``), where people write names, phone
      numbers and e-mail addresses.

    Only columns present in the file count, so a file of closed answers without ids
    (an anonymous export) needs no purpose.

    **Purpose of processing.** Data holding personal data may only be read when the
    purpose of processing is stated (GDPR art. 5(1)(b), and art. 30: the register of
    processing states the purpose): ``purpose:`` in ``study.yaml``, as text or as text
    per language, none of them empty. When a ``study.yaml`` is found, its ``purpose``
    is the one that counts (the study is what the register describes); when none is
    found, the instrument's ``purpose`` counts. Otherwise a :class:`DataError` with
    code CX210 names the file and says what to add.
    """
    from ..instrument import load_instrument

    inst = survey if isinstance(survey, Instrument) else load_instrument(survey)
    path = Path(path)
    raw = read_raw(path, sheet=sheet, delimiter=delimiter, decimal=decimal, encoding=encoding)
    responses = _build(raw, inst, str(path), file_sha256(path))
    apply_study(responses, path)
    return responses


def apply_study(responses: Responses, path: Path) -> None:
    """Check the purpose of processing and take the study's settings (minimum group
    size, study folder) for responses read from ``path``; see :func:`read_responses`."""
    from ._study import find_study_file, read_study_settings, require_purpose

    inst = responses.survey
    study_file = find_study_file(path.parent, inst.source)
    settings = read_study_settings(study_file) if study_file is not None else None
    require_purpose(responses, settings)
    if settings is not None:
        responses.study = str(settings.folder)
        responses.min_group_size = settings.min_group_size
    else:
        responses.min_group_size = inst.min_group_size


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
    ranks: dict[str, dict[int, pd.Series]] = {}  # LimeSurvey ranking: question -> rank -> cells
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
        if ls is not None and (target is None or ls.question_ids.get(name.strip()) == target[0]):
            m = _LS_COLUMN.fullmatch(name.strip())
            code, sub = (m.group(1), m.group(2) or m.group(3)) if m else ("", None)
            if code in ls.question_ids:
                qid = ls.question_ids[code]
                q = inst.question(qid)
                via_codes.add(name)
                if sub is None:
                    target = (qid, q)
                elif sub.casefold() == "other":
                    target = (f"{qid}_other", q)
                    if q.type == "multiple_choice":  # "other" is ticked by giving its text
                        given = frame[name].astype("string").str.strip().fillna("") != ""
                        dummies.setdefault(qid, {})["other"] = given.map({True: "1", False: ""})
                elif q.type == "likert_matrix" and (code, sub) in ls.item_ids:
                    iid = ls.item_ids[(code, sub)]
                    target = (iid, q)
                elif q.type == "multiple_choice" and (qid, sub) in ls.subquestion_values:
                    dummies.setdefault(qid, {})[ls.subquestion_values[(qid, sub)]] = frame[name]
                    continue
                elif q.type == "ranking" and sub.isdigit():  # code[1], code[2]: ranked answers
                    ranks.setdefault(qid, {})[int(sub)] = frame[name]
                    continue
            elif m and sub is None and (re.fullmatch(r"groupTime[0-9]+", code) or (
                    code.endswith("Time") and code[:-4] in ls.question_ids)):
                continue  # LimeSurvey timings: seconds per page (group) and per question
        if target is not None:
            fid, q = target
            series = frame[name]
            if name in via_codes and q.type in ("single_choice", "likert", "likert_matrix",
                                                 "rating") and fid != f"{q.id}_other":
                series = series.map(lambda v, q=q: _ls_value(ls, q, v))
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
    for qid, by_rank in ranks.items():
        if qid not in columns:
            columns[qid] = _ls_ranking(ls, inst, inst.question(qid), by_rank, frame.index)
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
            "question ids (or their KoboToolbox paths or LimeSurvey codes: in LimeSurvey's "
            "Export results choose Headings > Export questions as 'Question code')")
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


_LS_COLUMN = re.compile(r"([A-Za-z][A-Za-z0-9]*)(?:\[([^\]]+)\]|_([A-Za-z0-9]+))?")
"""A LimeSurvey heading: ``code``, ``code[aid]`` or (ExpressionScript style) ``code_aid``."""


def _ls_value(ls: Any, q: Question, cell: Any) -> Any:
    """A LimeSurvey answer code of ``q`` -> our value; anything else is left as it is."""
    if not isinstance(cell, str):
        return cell
    text = cell.strip()
    if text == OTHER_ANSWER_CODE and q.other:
        return "other"
    return ls.answer_values.get((q.id, text), cell)


def _ls_ranking(ls: Any, inst: Instrument, q: Question, by_rank: dict[int, pd.Series],
                index: pd.Index) -> pd.Series:
    """LimeSurvey's ``code[1]``, ``code[2]``, ... (answer codes, or answer texts in a
    "full answers" export) -> the choice values in ranked order, space separated."""
    table: dict[str, str] = {}
    if q.choices in inst.choice_lists:
        for c in inst.choice_list(q).choices:
            table[" ".join(c.value.split()).casefold()] = c.value
            for words in c.label.values():
                table.setdefault(" ".join(words.split()).casefold(), c.value)

    def value(cell: Any) -> Any:
        if not isinstance(cell, str) or not cell.strip():
            return pd.NA
        text = cell.strip()
        if (q.id, text) in ls.answer_values:
            return ls.answer_values[(q.id, text)]
        return table.get(" ".join(text.split()).casefold(), text)  # unknown: kept, reported later

    joined = pd.Series("", index=index, dtype="string")
    for rank in sorted(by_rank):
        cells = by_rank[rank].map(value).astype("string")
        joined = joined + (cells + " ").fillna("")
    joined = joined.str.strip()
    return joined.mask(joined == "")
