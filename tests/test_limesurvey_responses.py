"""read_responses on LimeSurvey's own response export of our LimeSurvey structure.

What a LimeSurvey response export looks like, and where that was established
-----------------------------------------------------------------------------
Sources: LimeSurvey/LimeSurvey on GitHub, ``application/helpers/admin/export/``
(``Writer.php``, ``CsvWriter.php``, ``SurveyObj.php``, ``SurveyDao.php``,
``FormattingOptions.php``), ``application/helpers/common_helper.php``
(``createFieldMap``, ``createTimingsFieldMap``), ``application/helpers/viewHelper.php``
(``getFieldCode``), the export form ``application/views/admin/export/exportresult_panels/``
(``_format.php``, ``_headings.php``, ``_responses.php``) and its controller
(``application/controllers/admin/export.php``, ``exportresults``); the manual page
"Export responses" (https://manual.limesurvey.org/Export_responses) describes the same form.

* **Columns**, in field-map order: ``id``, ``submitdate``, ``lastpage``, ``startlanguage``,
  ``seed``, then ``token`` (non-anonymous surveys with participants), ``startdate`` and
  ``datestamp`` (date-stamped surveys), ``ipaddr``, ``refurl`` (when switched on); then the
  answer fields question by question; then, when timings are saved, ``interviewtime``
  (total seconds), one ``groupTime<gid>`` per group and one ``<code>Time`` per question.
  Token attributes (``firstname``, ``email``, ...) come last when chosen.
* **Headings** ("Export questions as", form default *Full question text*):
  *Question code* gives ``code`` and ``code[aid]`` (``viewHelper::getFieldCode`` with
  separator ``[ ]``); with *Use ExpressionScript code* the separator is ``_``
  (``code_SQ001``); meta and timing fields have no code and keep their field name
  (``id``, ``submitdate``, ``interviewtime``, ...). *Full question text* gives the
  question text with `` [subquestion text]`` appended (``Response ID``, ``Date submitted``,
  ``Last page``, ``Start language``, ``Seed``, ``Date started``, ``Date last action``,
  ``Total time`` for the meta fields), *Abbreviated* cuts that to N characters, and
  *Question code & question text* joins both with a separator (default ``". "``).
  read_responses matches question-code headings (both separators); the others carry no
  code and are not read.
* **aid per type** (``createFieldMap``): list (``L``/``!``) ``code`` plus ``code[other]``
  when "other" is on; list with comment (``O``) ``code`` and ``code[comment]``; multiple
  choice (``M``) one ``code[SQ]`` per subquestion plus ``code[other]``; arrays (``F``,
  ``A``, ``B``, ...) ``code[SQ]``; ranking (``R``) ``code[1]`` ... ``code[n]``, n = number
  of answer options (or ``max_subquestions``); other single-field types (``N``, ``S``,
  ``T``, ``D``, ``5``, ``Y``, ``X``) just ``code``. A text display (``X``) has an always
  empty column.
* **Values**, "Export responses as" *Answer codes* (``short``) or *Full answers*
  (``long``, the form default); ``SurveyObj::getShortAnswer`` / ``getFullAnswer``:
  list: the answer code, ``-oth-`` for "other" / the answer text, ``Other`` (translated
  to the export language) for ``-oth-``; ``code[other]`` / ``code[comment]`` hold the
  respondent's text in both. Multiple choice: ``Y`` when ticked, empty when not, NULL
  when not shown / ``Yes``, ``No`` (empty or ``N``) and ``N/A`` (NULL), translated;
  "Convert Y to" / "Convert N to" (defaults ``1`` and ``2``) replace ``Y`` and
  ``N``/empty in the answer-code export. Array: the answer code / its text. Ranking:
  ``code[i]`` holds the answer code ranked i-th / its text. 5-point choice (``5``):
  ``1``..``5`` in both. Numbers: stored as DECIMAL(30,10), trailing zeros and point
  cut (``3``, ``2.5``; full answers also turn ``.5`` into ``0.5`` and round integer-only
  questions). Dates: the stored datetime ``yyyy-mm-dd HH:MM:SS`` in both. Meta dates
  are ``yyyy-mm-dd HH:MM:SS``; ``submitdate`` is empty for incomplete responses.
  Answer texts come from the export language, with HTML stripped and entities decoded
  when "Strip HTML code" is on (the default).
* **CSV** (``CsvWriter``): UTF-8 with BOM, separator comma (form default), semicolon or
  tab, every value enclosed in ``"`` with ``"`` doubled, NULL written as nothing,
  line breaks inside values as ``\\n``, records ending ``\\r\\n``; a file written to disk
  gets one more ``\\r\\n`` at the end. Numbers keep the decimal point whatever the
  separator.

The converter below writes such a file from simulated answers, taking codes and texts
from our own structure export (:func:`to_limesurvey`) and :func:`limesurvey_codes`.
The built-in words of a Dutch full-answer export (``Anders``, ``Ja``, ``Nee``,
``N.v.t.``) are LimeSurvey's usual translations, not checked against its ``nl.po``.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import read_responses
from cxresearch.datasets import EXAMPLE_STUDIES, SimulatedStudy, example_study
from cxresearch.errors import DataError
from cxresearch.instrument.limesurvey import limesurvey_codes, to_limesurvey

WORDS = {  # gT('Other'), gT('Yes'), gT('No'), gT('N/A') in the export language
    "en": {"other": "Other", "yes": "Yes", "no": "No", "na": "N/A"},
    "nl": {"other": "Anders", "yes": "Ja", "no": "Nee", "na": "N.v.t."},
}


# -- the converter: our data -> LimeSurvey's response export ---------------------------

@dataclass
class _LsQuestion:
    code: str
    letter: str
    other: bool
    gid: str
    subs: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[str, str]] = field(default_factory=list)


def _flatten(text: str) -> str:
    """What "Strip HTML code" makes of a stored text (``flattenText``)."""
    text = re.sub(r"<[^>]*>", "", text).replace("&nbsp;", " ")
    return re.sub(r"\r\n|\n|\r", " ", html.unescape(text)).strip()


def _structure(inst: cx.Instrument, lang: str) -> tuple[list[str], list[_LsQuestion]]:
    """Groups and questions (with subquestions and answers) of our structure export."""
    groups: list[str] = []
    questions: list[_LsQuestion] = []
    for row in csv.DictReader(io.StringIO(to_limesurvey(inst)), delimiter="\t"):
        if row["language"] != lang:
            continue
        if row["class"] == "G":
            groups.append(row["id"])
        elif row["class"] == "Q":
            questions.append(_LsQuestion(row["name"], row["type/scale"], row["other"] == "Y",
                                         groups[-1]))
        elif row["class"] == "SQ":
            questions[-1].subs.append((row["name"], _flatten(row["text"])))
        elif row["class"] == "A":
            questions[-1].answers.append((row["name"], _flatten(row["text"])))
    return groups, questions


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _number(v: Any) -> str:
    text = f"{float(v):.10f}"  # DECIMAL(30,10), then trailing zeros cut as LimeSurvey does
    return text.rstrip("0").rstrip(".")


def limesurvey_export(inst: cx.Instrument, data: pd.DataFrame, *, answers: str = "short",
                      lang: str | None = None, sep: str = ",", em_codes: bool = False,
                      timings: bool = True, convert_yn: tuple[str, str] | None = None,
                      trailing_line: bool = True) -> bytes:
    """``data`` (our typed answers) as LimeSurvey's CSV export with question-code headings."""
    lang = lang or inst.language
    words = WORDS[lang]
    codes = limesurvey_codes(inst)
    groups, questions = _structure(inst, lang)
    long = answers == "long"

    def head(code: str, aid: str | int | None = None) -> str:
        if aid is None:
            return code
        return f"{code}_{aid}" if em_codes else f"{code}[{aid}]"

    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    for lq in questions:
        if lq.letter == "M":
            header += [head(lq.code, sq) for sq, _ in lq.subs]
        elif lq.letter == "F":
            header += [head(lq.code, sq) for sq, _ in lq.subs]
        elif lq.letter == "R":
            header += [head(lq.code, i) for i in range(1, len(lq.answers) + 1)]
        else:
            header.append(lq.code)
        if lq.other:
            header.append(head(lq.code, "other"))
    if timings:
        header += ["interviewtime"] + [f"groupTime{g}" for g in groups]
        header += [f"{lq.code}Time" for lq in questions]

    def when(v: Any) -> str | None:
        return None if _missing(v) else pd.Timestamp(v).strftime("%Y-%m-%d %H:%M:%S")

    records: list[list[str | None]] = []
    for i, (_, row) in enumerate(data.reset_index(drop=True).iterrows()):
        out: list[str | None] = [str(i + 1), when(row["end"]), str(len(groups)),
                                 str(row["language"]), str(1000 + 7 * i), when(row["start"]),
                                 when(row["end"])]
        for lq in questions:
            qid = codes.question_ids[lq.code]
            q = inst.question(qid)
            text_of = dict(lq.answers)
            if lq.letter == "X":
                out.append(None)
            elif lq.letter == "L":
                v = row[qid]
                if _missing(v):
                    out.append(None)
                elif q.other and v == "other":
                    out.append(words["other"] if long else "-oth-")
                else:
                    code = codes.answers[(qid, str(v))]
                    out.append(text_of[code] if long else code)
            elif lq.letter == "M":
                v = row[qid]
                chosen = None if _missing(v) else set(str(v).split())
                for sq, _ in lq.subs:
                    on = chosen is not None and codes.subquestion_values[(qid, sq)] in chosen
                    if long:
                        out.append(words["na"] if chosen is None else
                                   words["yes"] if on else words["no"])
                    elif convert_yn and chosen is not None:
                        out.append(convert_yn[0] if on else convert_yn[1])
                    else:
                        out.append(None if chosen is None else "Y" if on else "")
            elif lq.letter == "F":
                for sq, _ in lq.subs:
                    v = row[codes.item_ids[(lq.code, sq)]]
                    item = None if _missing(v) else codes.answers[(qid, str(int(v)))]
                    out.append(None if item is None else text_of[item] if long else item)
            elif lq.letter == "R":
                v = row[qid]
                ranked = [] if _missing(v) else str(v).split()
                for k in range(len(lq.answers)):
                    rank = codes.answers[(qid, ranked[k])] if k < len(ranked) else None
                    out.append(None if rank is None else text_of[rank] if long else rank)
            elif lq.letter == "N":
                out.append(None if _missing(row[qid]) else _number(row[qid]))
            elif lq.letter == "D":
                out.append(when(row[qid]))
            else:  # S, T
                out.append(None if _missing(row[qid]) else str(row[qid]))
            if lq.other:
                v = row[f"{qid}_other"]
                out.append(None if _missing(v) else str(v))
        if timings:
            duration = row["duration_s"]
            out.append(None if _missing(duration) else str(float(duration)))
            out += [f"{3.5 + g:.2f}" for g in range(len(groups))]
            out += ["1.25"] * len(questions)
        records.append(out)

    def cell(v: str | None) -> str:
        if v is None:
            return ""
        return '"' + re.sub(r"\r\n|\r", "\n", v).replace('"', '""') + '"'

    lines = [sep.join(cell(h) for h in header)]
    lines += [sep.join(cell(v) for v in rec) for rec in records]
    body = "\r\n".join(lines) + "\r\n" + ("\r\n" if trailing_line else "")
    return b"\xef\xbb\xbf" + body.encode("utf-8")


# -- the studies ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def studies() -> dict[str, SimulatedStudy]:
    return {name: example_study(name, seed=5, n_customers=120, n_employees=40, truth_n=0)
            for name in EXAMPLE_STUDIES}


CASES = [(study, who) for study in EXAMPLE_STUDIES for who in ("customer", "employee")]


def _case(studies: dict[str, SimulatedStudy], study: str,
          who: str) -> tuple[cx.Instrument, pd.DataFrame]:
    sim = studies[study]
    inst = sim.customer_survey if who == "customer" else sim.employee_survey
    assert inst is not None
    return inst, _representable(inst, sim.customers if who == "customer" else sim.employees)


def _representable(inst: cx.Instrument, data: pd.DataFrame) -> pd.DataFrame:
    """The answers as LimeSurvey can hold them. Its multiple choice stores "other" only as
    the text of ``code[other]`` (no tick of its own), so "other" ticked with no text given,
    which the simulator makes now and then, cannot be exported: it is dropped here."""
    data = data.reset_index(drop=True).copy()
    for q in inst.questions():
        if q.type == "multiple_choice" and q.other:
            no_text = data[f"{q.id}_other"].isna()
            kept = data[q.id].map(lambda v: v if _missing(v) else
                                  " ".join(t for t in str(v).split() if t != "other") or pd.NA)
            data[q.id] = data[q.id].where(~no_text, kept.astype("string"))
    return data


def _tokens(v: Any) -> list[str]:
    return [] if _missing(v) else str(v).split()


def assert_same_answers(r: Any, inst: cx.Instrument, data: pd.DataFrame) -> None:
    """Every answer field of ``r`` equals ``data``, field by field and row by row."""
    assert len(r.data) == len(data)
    owner = {fid: q for q in inst.questions() for fid in q.field_ids()}
    for fid in inst.field_ids():
        q = owner[fid]
        got, want = r.data[fid].reset_index(drop=True), data[fid].reset_index(drop=True)
        if fid == f"{q.id}_other" or q.type == "text":
            a = got.astype("string").fillna("<NA>").tolist()
            b = want.astype("string").str.strip().replace("", pd.NA).fillna("<NA>").tolist()
        elif q.type == "multiple_choice":
            a = [sorted(_tokens(v)) for v in got]
            b = [sorted(_tokens(v)) for v in want]
        elif q.type == "ranking":
            a, b = [_tokens(v) for v in got], [_tokens(v) for v in want]
        elif q.type == "number":
            a = [None if _missing(v) else float(v) for v in got]
            b = [None if _missing(v) else float(v) for v in want]
        elif q.type == "date":
            assert str(got.dtype).startswith("datetime64"), fid
            a = [None if _missing(v) else pd.Timestamp(v).date() for v in got]
            b = [None if _missing(v) else pd.Timestamp(v).date() for v in want]
        else:  # single choice, likert, rating, matrix item: categorical of the values
            assert isinstance(got.dtype, pd.CategoricalDtype), fid
            if q.type in ("likert", "likert_matrix", "rating"):
                assert got.cat.ordered, fid
            a = got.astype("string").fillna("<NA>").tolist()
            b = want.astype("string").fillna("<NA>").tolist()
        bad = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        assert not bad, f"{fid}: row {bad[0]}: read {a[bad[0]]!r}, wrote {b[bad[0]]!r}"


def assert_meta(r: Any, data: pd.DataFrame, *, timings: bool = True) -> None:
    assert r.data["respondent_id"].tolist() == [str(i) for i in range(1, len(data) + 1)]
    assert r.data["language"].tolist() == data["language"].astype(str).tolist()
    assert str(r.data["end"].dtype).startswith("datetime64")
    assert (r.data["end"] == data["end"].dt.floor("s")).all()
    assert (r.data["start"] == data["start"].dt.floor("s")).all()
    assert {"respondent_id", "start", "end", "duration_s", "language"} <= set(r.meta_columns)
    if timings:  # interviewtime, not end - start
        assert (r.data["duration_s"] - data["duration_s"]).abs().max() < 1e-9


# -- round trips ------------------------------------------------------------------------

@pytest.mark.parametrize(("study", "who"), CASES, ids=[f"{s}/{w}" for s, w in CASES])
@pytest.mark.parametrize("answers", ["short", "long"])
def test_limesurvey_export_round_trips(studies: dict[str, SimulatedStudy], study: str, who: str,
                                       answers: str, tmp_path: Any) -> None:
    inst, data = _case(studies, study, who)
    path = tmp_path / f"results-survey123456-{answers}.csv"
    path.write_bytes(limesurvey_export(inst, data, answers=answers))
    r = read_responses(path, inst)
    assert r.unmatched == [], r.unmatched  # id, lastpage, seed, datestamp, *Time: bookkeeping
    assert r.coercions.empty, r.coercions.head(10).to_string()
    assert r.answer_columns == inst.field_ids()
    assert_same_answers(r, inst, data)
    assert_meta(r, data)


@pytest.mark.parametrize("variant", ["semicolon", "tab", "expression-codes", "convert-y-n",
                                     "long-en", "no-timings"])
def test_limesurvey_export_options(studies: dict[str, SimulatedStudy], variant: str,
                                   tmp_path: Any) -> None:
    inst, data = _case(studies, "insurer-claims", "customer")
    variants: dict[str, dict[str, Any]] = {
        "semicolon": {"sep": ";"},
        "tab": {"sep": "\t", "trailing_line": False},
        "expression-codes": {"em_codes": True},
        "convert-y-n": {"convert_yn": ("1", "2")},
        "long-en": {"answers": "long", "lang": "en"},
        "no-timings": {"timings": False},
    }
    options = variants[variant]
    path = tmp_path / "results-survey123456.csv"
    path.write_bytes(limesurvey_export(inst, data, **options))
    r = read_responses(path, inst)
    assert r.unmatched == [] and r.coercions.empty, (r.unmatched, r.coercions.head())
    assert_same_answers(r, inst, data)
    assert_meta(r, data, timings=options.get("timings", True))


def test_what_the_export_holds_is_what_limesurvey_writes(
        studies: dict[str, SimulatedStudy]) -> None:
    """A few cells of the converter checked by hand against the format described above."""
    inst, data = _case(studies, "insurer-claims", "customer")
    text = limesurvey_export(inst, data.head(40)).decode("utf-8")
    assert text.startswith("\ufeff") and text.endswith("\r\n\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    header = rows[0]
    assert header[:7] == ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
                          "datestamp"]
    assert {"reportChannel", "reportChannel[other]", "stolenItems[computer]",
            "stolenItems[other]", "experience[expOneContact]", "priorities[1]",
            "priorities[5]", "interviewtime", "satCallTime", "groupTime1"} <= set(header)
    cells = [dict(zip(header, row)) for row in rows[1:] if row]
    assert {c["stolenItems[computer]"] for c in cells} <= {"Y", ""}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00", c["burglaryDate"])
               for c in cells if c["burglaryDate"])
    assert {c["priorities[1]"] for c in cells} <= {"speed", "A2", "A3", "A4", "A5", ""}


# -- what goes wrong is said -------------------------------------------------------------

def test_unknown_answer_code_is_kept_aside_with_row_and_column(studies: dict[str, SimulatedStudy],
                                                               tmp_path: Any) -> None:
    inst, data = _case(studies, "insurer-claims", "customer")
    text = limesurvey_export(inst, data.head(6)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    rows[3][header.index("hadCall")] = "A9"                      # file row 4
    rows[5][header.index("experience[expPromises]")] = "A7"      # file row 6
    rows[2][header.index("priorities[2]")] = "A8"                # file row 3
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(r for r in rows if r)
    path = tmp_path / "results.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    r = read_responses(path, inst)
    got = {(c.row, c.column): (c.value, c.reason) for c in r.coercions.itertuples()}
    assert got[(4, "had_call")] == ("A9", "unknown code")
    assert got[(6, "exp_promises")][0] == "A7"
    assert got[(3, "priorities")][1] == "unknown code"
    assert len(got) == 3
    assert pd.isna(r.data.loc[2, "had_call"]) and pd.isna(r.data.loc[4, "exp_promises"])
    assert r.unmatched == []


def test_other_timing_and_token_columns(studies: dict[str, SimulatedStudy], tmp_path: Any) -> None:
    """A participant token is no answer: it is left out and named, like any unknown column."""
    inst, data = _case(studies, "insurer-claims", "customer")
    text = limesurvey_export(inst, data.head(5)).decode("utf-8-sig")
    lines = text.split("\r\n")
    lines = ['"token",' + lines[0]] + [f'"tok{i}",' + ln if ln else ln
                                       for i, ln in enumerate(lines[1:])]
    path = tmp_path / "results.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8-sig")
    r = read_responses(path, inst)
    assert r.unmatched == ["token"]
    assert "token" not in r.data.columns


def test_full_question_text_headings_get_a_clear_error(tmp_path: Any) -> None:
    """The form's default headings carry no codes: the error says which heading to choose."""
    inst = cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")
    path = tmp_path / "results.csv"
    path.write_text('"Response ID","Date submitted","Last page","Start language",'
                    '"Hoe heeft u de schade bij ons gemeld?"\r\n"1","2026-01-02 10:00:00",'
                    '"5","nl","Telefonisch"\r\n', encoding="utf-8-sig")
    with pytest.raises(DataError, match="no column matches") as exc:
        read_responses(path, inst)
    assert "Question code" in (exc.value.problems[0].fix or "")
