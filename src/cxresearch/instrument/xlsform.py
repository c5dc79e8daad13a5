"""Export instruments to XLSForm, the spreadsheet format of ODK, KoboToolbox and SurveyCTO.

:func:`xlsform_sheets` builds the ``survey``, ``choices`` and ``settings`` sheets as plain
rows (no Excel library needed); :func:`write_xlsform` saves them as ``.xlsx`` with
openpyxl, and :func:`check_xlsform` proves a form converts with pyxform, the reference
converter (optionally with ODK Validate, which needs Java).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from .._atomic import atomic_write_bytes
from .._i18n import t as _t, ui_language, xlsform_language_label
from .._optional import import_optional
from ..errors import Code, InstrumentError, Problem
from .model import Instrument, Question, Scale, Text

__all__ = ["check_xlsform", "write_xlsform", "xlsform_sheets"]

Sheets = dict[str, list[dict[str, str]]]


def t(key: str, lang: str) -> str:
    """Interface words in ``lang``, or in English for languages we have no words for."""
    return _t(key, ui_language(lang))


def _num(x: float) -> str:
    """A number as XPath reads it: never in exponent form (ODK rejects ``1e-07``)."""
    if float(x).is_integer():
        return str(int(x))
    return format(Decimal(repr(float(x))), "f")


def _join(mine: Text, generated: Text) -> Text:
    """The author's constraint message followed by the one that explains our bounds."""
    if not mine:
        return generated
    return {lang: " ".join(x for x in (mine.get(lang, ""), generated.get(lang, "")) if x)
            for lang in set(mine) | set(generated)}


def _date_bounds(lang: str, low: str | None, high: str | None) -> str:
    def dmy(iso: str | None) -> str:
        return "-".join(reversed(iso.split("-"))) if iso else ""

    if low and high:
        return t("between", lang).format(low=dmy(low), high=dmy(high))
    if low:
        return t("date_from", lang).format(low=dmy(low))
    return t("date_until", lang).format(high=dmy(high))


def _and(*parts: str | None) -> str:
    kept = [p for p in parts if p]
    if len(kept) <= 1:
        return kept[0] if kept else ""
    return " and ".join(f"({p})" for p in kept)


def _canonical(source: str | None) -> str:
    if not source:
        return ""
    from .logic import parse, to_xlsform

    return to_xlsform(parse(source))


class _Builder:
    def __init__(self, inst: Instrument, languages: Sequence[str]) -> None:
        self.inst = inst
        self.langs = list(languages)
        self.cols = {lang: xlsform_language_label(lang) for lang in self.langs}
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []
        self.lists_done: set[str] = set()
        self.scale_lists: dict[tuple[Any, ...], str] = {}
        self.other_lists: dict[str, str] = {}

    def put_text(self, row: dict[str, str], column: str, text: Text) -> None:
        for lang in self.langs:
            words = text.get(lang) or text.get(self.inst.language) or ""
            if words:
                row[f"{column}::{self.cols[lang]}"] = words

    def add_list(self, name: str, entries: list[tuple[str, Text]]) -> str:
        if name not in self.lists_done:
            self.lists_done.add(name)
            for value, label in entries:
                row = {"list_name": name, "name": value}
                self.put_text(row, "label", label)
                self.choices.append(row)
        return name

    def scale_list(self, scale: Scale, fallback: str) -> str:
        key = (scale.start, tuple(tuple(sorted(lab.items())) for lab in scale.labels))
        if key not in self.scale_lists:
            name = self.unique_list(scale.name or fallback)
            self.scale_lists[key] = self.add_list(
                name, [(str(v), lab) for v, lab in zip(scale.values(), scale.labels)])
        return self.scale_lists[key]

    def rating_list(self, q: Question) -> str:
        low, high = q.anchors.get("low", {}), q.anchors.get("high", {})
        labels: list[Text] = []
        for v in range(11):
            anchor = low if v == 0 else high if v == 10 else {}
            labels.append({lang: f"{v} - {anchor[lang]}" if anchor.get(lang) else str(v)
                           for lang in self.langs})
        return self.scale_list(Scale(11, labels, name="rating_0_10", start=0), f"{q.id}_0_10")

    def unique_list(self, base: str) -> str:
        """A list name not yet used by the instrument or this export."""
        name = base
        while name in self.lists_done or name in self.inst.choice_lists:
            name += "_x"
        return name

    def guidance(self, q: Question) -> Text:
        """The interviewer's note and probes of ``q`` as one text per language."""
        guidance = dict(q.interviewer_note)
        for lang in self.langs:
            bullets = "; ".join(p.get(lang, "") for p in q.probes if p.get(lang))
            if bullets:
                note = guidance.get(lang, "")
                guidance[lang] = (note + " " if note else "") + f"{t('probes', lang)}: {bullets}"
        return guidance

    def put_guidance(self, row: dict[str, str], q: Question) -> None:
        """Interviewer text: visible hint in an interview guide, guidance hint in a survey.

        ODK Collect hides guidance hints unless the device setting shows them; in an
        interview guide the interviewer is the one who reads the form, so it goes in the hint.
        """
        guidance = self.guidance(q)
        if self.inst.kind == "interview_guide":
            hint = {lang: " ".join(x for x in (q.hint.get(lang, ""), guidance.get(lang, ""))
                                   if x) for lang in self.langs}
            self.put_text(row, "hint", hint)
        else:
            self.put_text(row, "guidance_hint", guidance)

    def base_row(self, q: Question, qtype: str, name: str | None = None) -> dict[str, str]:
        row = {"type": qtype, "name": name or q.id}
        self.put_text(row, "label", q.label)
        self.put_text(row, "hint", q.hint)
        self.put_guidance(row, q)
        if q.relevant:
            row["relevant"] = _canonical(q.relevant)
        if q.required and q.type != "note":
            row["required"] = "yes"
            self.put_text(row, "required_message", q.required_message)
        return row

    def question(self, q: Question) -> None:
        constraint = _canonical(q.constraint)
        message: Text = dict(q.constraint_message)
        extra: dict[str, str] = {}
        if q.type in ("single_choice", "multiple_choice", "ranking"):
            cl = self.inst.choice_lists[q.choices or ""]
            entries = [(c.value, c.label) for c in cl.choices]
            list_name = cl.name
            if q.other:
                list_name = self.other_lists.get(cl.name) or self.unique_list(f"{cl.name}_or_other")
                self.other_lists[cl.name] = list_name
                entries.append(("other", {lang: t("other", lang) for lang in self.langs}))
            self.add_list(list_name, entries)
            keyword = {"single_choice": "select_one", "multiple_choice": "select_multiple",
                       "ranking": "rank"}[q.type]
            qtype = f"{keyword} {list_name}"
            if q.randomize:
                extra["parameters"] = "randomize=true"
            if q.min_selected is not None or q.max_selected is not None:
                lo, hi = q.min_selected, q.max_selected
                constraint = _and(constraint,
                                  f"count-selected(.) >= {lo}" if lo else None,
                                  f"count-selected(.) <= {hi}" if hi is not None else None)
                message = _join(message, {lang: t("count_message", lang).format(
                    lo=lo if lo is not None else 0, hi=hi if hi is not None else len(entries))
                    for lang in self.langs})
        elif q.type == "likert" and q.scale is not None:
            qtype = f"select_one {self.scale_list(q.scale, q.id + '_scale')}"
            extra["appearance"] = "likert"
        elif q.type == "rating":
            qtype = f"select_one {self.rating_list(q)}"
            extra["appearance"] = "likert"
        elif q.type == "number":
            qtype = "decimal" if q.decimals else "integer"
            low, high = q.min_value, q.max_value
            if low is not None or high is not None:
                constraint = _and(constraint, f". >= {_num(low)}" if low is not None else None,
                                  f". <= {_num(high)}" if high is not None else None)
                message = _join(message, {lang: t("bounds_message", lang).format(
                    lo=_num(low) if low is not None else "-",
                    hi=_num(high) if high is not None else "-") for lang in self.langs})
        elif q.type == "text":
            qtype = "text"
            if q.length == "long":
                extra["appearance"] = "multiline"
            if q.max_length:
                constraint = _and(constraint, f"string-length(.) <= {q.max_length}")
                message = _join(message, {lang: t("length_message", lang).format(n=q.max_length)
                                          for lang in self.langs})
        elif q.type == "date":
            qtype = "date"
            constraint = _and(constraint,
                              f". >= date('{q.min_date}')" if q.min_date else None,
                              f". <= date('{q.max_date}')" if q.max_date else None)
            if q.min_date or q.max_date:
                message = _join(message, {lang: _date_bounds(lang, q.min_date, q.max_date)
                                          for lang in self.langs})
        elif q.type == "note":
            qtype = "note"
        elif q.type == "likert_matrix" and q.scale is not None:
            self.matrix(q)
            return
        else:  # pragma: no cover - validation rejects other types first
            raise InstrumentError.single(Code.EXPORT_UNSUPPORTED,
                                         f"type '{q.type}' cannot be exported", question_id=q.id)
        row = self.base_row(q, qtype)
        row.update(extra)
        if q.unit:  # XLSForm has no unit column: show it with the hint
            hint = {lang: " ".join(x for x in (q.hint.get(lang, ""), f"({q.unit.get(lang, '')})")
                                   if x.strip("() ")) for lang in self.langs}
            self.put_text(row, "hint", hint)
        if constraint:
            row["constraint"] = constraint
            self.put_text(row, "constraint_message", message)
        self.survey.append(row)
        if q.other:
            other = {"type": "text", "name": f"{q.id}_other",
                     "relevant": f"selected(${{{q.id}}}, 'other')"}
            self.put_text(other, "label", {lang: t("other_namely", lang) for lang in self.langs})
            if q.required:
                other["required"] = "yes"
            self.survey.append(other)

    def matrix(self, q: Question) -> None:
        """A Likert matrix as a table-list group: one select_one row per item."""
        if q.scale is None:  # pragma: no cover - validation requires a scale
            return
        list_name = self.scale_list(q.scale, q.id + "_scale")
        group = {"type": "begin_group", "name": q.id, "appearance": "table-list"}
        self.put_text(group, "label", q.label)
        self.put_text(group, "hint", q.hint)
        if q.relevant:
            group["relevant"] = _canonical(q.relevant)
        self.survey.append(group)
        constraint = _canonical(q.constraint)
        for i, item in enumerate(q.items):
            row = {"type": f"select_one {list_name}", "name": item.id}
            self.put_text(row, "label", item.label)
            if i == 0:  # the interviewer's note once, on the first row
                self.put_guidance(row, q)
            if constraint:  # '.' is each row's own answer
                row["constraint"] = constraint
                self.put_text(row, "constraint_message", q.constraint_message)
            if q.required:
                row["required"] = "yes"
                self.put_text(row, "required_message", q.required_message)
            self.survey.append(row)
        self.survey.append({"type": "end_group", "name": q.id})

    def build(self) -> Sheets:
        inst = self.inst
        for meta in inst.metadata:
            self.survey.append({"type": meta, "name": meta})
        for block in inst.blocks:
            group = {"type": "begin_group", "name": block.id}
            self.put_text(group, "label", block.title)
            if block.relevant:
                group["relevant"] = _canonical(block.relevant)
            self.survey.append(group)
            if block.intro:
                intro = {"type": "note", "name": f"{block.id}__intro"}
                self.put_text(intro, "label", block.intro)
                self.survey.append(intro)
            for q in block.questions:
                self.question(q)
            self.survey.append({"type": "end_group", "name": block.id})
        settings = {
            "form_title": inst.title.get(inst.language) or inst.id,
            "form_id": inst.id,
            "version": inst.version,
            "default_language": self.cols.get(inst.language, self.cols[self.langs[0]]),
        }
        return {"survey": self.survey, "choices": self.choices, "settings": [settings]}


def xlsform_sheets(inst: Instrument, languages: Sequence[str] | None = None) -> Sheets:
    """The XLSForm sheets of ``inst`` as lists of rows (column name -> cell text).

    Language columns are written as ``label::Dutch (nl)``; number bounds, text length
    and the number of answers of a multiple-choice question become constraints with a
    message in every language; ``other: true`` adds an ``other`` choice and a
    ``<id>_other`` text question shown when it is chosen.
    """
    langs = list(languages or inst.languages)
    unknown = [lang for lang in langs if lang not in inst.languages]
    if unknown:
        raise InstrumentError.single(
            Code.INVALID_VALUE, f"language {', '.join(unknown)} is not in the instrument",
            file=inst.source, allowed=", ".join(inst.languages))
    if inst.language in langs:  # the default language first
        langs.remove(inst.language)
        langs.insert(0, inst.language)
    return _Builder(inst, langs).build()


def _columns(rows: list[dict[str, str]], first: Sequence[str]) -> list[str]:
    cols = [c for c in first if any(c in r for r in rows)]
    for r in rows:
        for c in r:
            if c not in cols:
                cols.append(c)
    return cols


def xlsform_bytes(sheets: Sheets) -> bytes:
    """An ``.xlsx`` file of ``sheets`` (needs openpyxl, from the ``xlsform`` extra)."""
    openpyxl = import_optional("openpyxl", "xlsform", "Writing XLSForm files")
    styles = import_optional("openpyxl.styles", "xlsform", "Writing XLSForm files")
    book = openpyxl.Workbook()
    book.remove(book.active)
    order = {"survey": ["type", "name"], "choices": ["list_name", "name"],
             "settings": ["form_title", "form_id", "version", "default_language"]}
    for sheet_name, rows in sheets.items():
        sheet = book.create_sheet(sheet_name)
        cols = _columns(rows, order.get(sheet_name, []))
        sheet.append(cols)
        for cell in sheet[1]:
            cell.font = styles.Font(bold=True)
        for r in rows:
            sheet.append([r.get(c, "") for c in cols])
        sheet.freeze_panes = "A2"
        for i, col in enumerate(cols, 1):
            width = max([len(col)] + [len(str(r.get(col, ""))) for r in rows[:200]])
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(60, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsform(inst: Instrument, path: str | Path, languages: Sequence[str] | None = None,
                  *, check: bool = False, odk_validate: bool = False) -> Path:
    """Write ``inst`` as an XLSForm ``.xlsx`` file, atomically.

    With ``check``, pyxform converts the form first (and ODK Validate too with
    ``odk_validate``); a form that fails is not written.
    """
    sheets = xlsform_sheets(inst, languages)
    if check or odk_validate:
        check_xlsform(sheets)
    data = xlsform_bytes(sheets)
    if odk_validate:
        with tempfile.TemporaryDirectory() as tmp:
            trial = Path(tmp) / f"{inst.id}.xlsx"
            trial.write_bytes(data)
            check_xlsform(trial, odk_validate=True)
    return atomic_write_bytes(path, data)


def check_xlsform(form: str | Path | Sheets, *, odk_validate: bool = False) -> list[str]:
    """Convert ``form`` with pyxform (and ODK Validate if asked); return pyxform's warnings.

    Raises :class:`InstrumentError` (code CX191) with pyxform's message when the form
    does not convert. ODK Validate needs Java; without it, a clear error says so.
    """
    x2x = import_optional("pyxform.xls2xform", "xlsform", "Checking XLSForms with pyxform")
    errors = import_optional("pyxform.errors", "xlsform", "Checking XLSForms with pyxform")
    if odk_validate and shutil.which("java") is None:
        raise InstrumentError.single(Code.XLSFORM_INVALID, "ODK Validate needs Java, which is "
                                     "not installed", fix="install a Java runtime, or check "
                                     "without ODK Validate")
    odk = import_optional("pyxform.validators.odk_validate", "xlsform", "ODK Validate")
    warnings: list[str] = []
    source: Any = str(form) if isinstance(form, Path) else form
    try:
        x2x.convert(source, warnings=warnings, validate=odk_validate)
    except (errors.PyXFormError, odk.ODKValidateError) as exc:
        name = str(form) if isinstance(form, (str, Path)) else None
        which = "ODK Validate" if isinstance(exc, odk.ODKValidateError) else "pyxform"
        raise InstrumentError([Problem(Code.XLSFORM_INVALID, f"{which} rejects the form: {exc}",
                                       file=name, fix="if this form was exported by cxresearch, "
                                       "please report it: exports should always convert")]) from exc
    return warnings
