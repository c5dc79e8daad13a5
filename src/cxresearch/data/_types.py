"""Turn text cells into the dtype each question implies, recording what could not be kept.

Labels (in any language of the instrument) become codes; Likert items, matrix rows and
0-10 ratings become ordered categoricals of their integer codes; numbers accept a decimal
comma; dates accept ISO (2026-11-23) and day-first forms (23-11-2026, 23/11/2026).
Nothing is dropped silently: a value that cannot be kept becomes missing and is listed
with its file row, column and reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import Code, Problem, Severity
from ..instrument.model import Instrument, Question

__all__ = ["OTHER_WORDS", "Typer"]

OTHER_WORDS = ("other", "anders", "overig", "anders, namelijk", "other, namely")
"""How an export may write the "other" choice (compared case-folded)."""

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%y")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S",
                     "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                     "%Y-%m-%dT%H:%M:%S")
_THOUSANDS_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_POINT_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_LEADING_NUMBER = re.compile(r"^\s*(-?\d+)(?:\s*[-–:.)]|\s*$)")


def _cell_str(value: Any) -> str:
    """A cell as text: whole floats from typed files lose their ``.0`` (3.0 -> "3")."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass
class Typer:
    """Types the columns of one file for one instrument."""

    survey: Instrument
    source: str | None
    first_row: int = 2
    decimal: str = "."
    coercions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    # -- bookkeeping -------------------------------------------------------------------
    def _coerce(self, raw: pd.Series, bad: pd.Series, column: str, reason: str) -> None:
        """Record the cells of ``raw`` where ``bad`` is true (raw not missing)."""
        mask = bad & raw.notna()
        if not mask.any():
            return
        rows = np.flatnonzero(mask.to_numpy()) + self.first_row
        values = raw[mask].astype(str).to_numpy()
        self.coercions.extend({"row": int(r), "column": column, "value": v, "reason": reason}
                              for r, v in zip(rows, values))

    def _lookup(self, raw: pd.Series, table: Callable[[str], Any], column: str,
                reason: str) -> pd.Series:
        """Map each distinct cell through ``table`` (few distinct values: fast).

        The column is factorised as it is (text, or numbers from a typed file), so a
        million cells cost one pass plus one ``table`` call per distinct value.
        """
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        mapped = np.array([table(_cell_str(u)) for u in uniques] + [None], dtype=object)
        out = pd.Series(mapped[np.where(codes < 0, len(mapped) - 1, codes)], index=raw.index)
        self._coerce(raw, out.isna(), column, reason)
        return out

    def _categorical(self, raw: pd.Series, table: Callable[[str], Any],
                     categories: list[Any], column: str, reason: str, *,
                     ordered: bool = False) -> pd.Series:
        """Like :meth:`_lookup`, straight to a categorical (no per-cell objects)."""
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        position = {c: i for i, c in enumerate(categories)}
        mapped = [table(_cell_str(u)) for u in uniques]
        table_codes = np.array([position.get(v, -1) if v is not None else -1 for v in mapped]
                               + [-1], dtype=np.int64)
        cat_codes = table_codes[np.where(codes < 0, len(table_codes) - 1, codes)]
        self._coerce(raw, pd.Series((cat_codes < 0) & (codes >= 0), index=raw.index),
                     column, reason)
        return pd.Series(pd.Categorical.from_codes(cat_codes, categories=categories,
                                                   ordered=ordered),
                         index=raw.index, name=column)

    # -- dictionaries of what a question accepts ---------------------------------------
    def choice_table(self, q: Question) -> dict[str, str]:
        table: dict[str, str] = {}
        if q.choices in self.survey.choice_lists:
            for c in self.survey.choice_lists[q.choices or ""].choices:
                table[_norm(c.value)] = c.value
                for words in c.label.values():
                    table.setdefault(_norm(words), c.value)
        if q.other:
            for words in OTHER_WORDS:
                table.setdefault(words, "other")
        return table

    def scale_values(self, q: Question) -> tuple[list[int], dict[str, int]]:
        if q.type == "rating":
            values = list(range(11))
            labels: dict[str, int] = {}
            for side, v in (("low", 0), ("high", 10)):
                for words in q.anchors.get(side, {}).values():
                    labels[_norm(words)] = v
            return values, labels
        scale = q.scale
        if scale is None:
            return [], {}
        labels = {}
        for v, lab in zip(scale.values(), scale.labels):
            for words in lab.values():
                labels.setdefault(_norm(words), v)
        return scale.values(), labels

    # -- one column per kind -----------------------------------------------------------
    def choice(self, raw: pd.Series, q: Question, column: str) -> pd.Series:
        table = self.choice_table(q)
        categories = [c.value for c in self.survey.choice_list(q).choices] \
            if q.choices in self.survey.choice_lists else []
        if q.other:
            categories.append("other")
        return self._categorical(raw, lambda s: table.get(_norm(s)), categories, column,
                                 "unknown code")

    def multiple(self, raw: pd.Series, q: Question, column: str) -> pd.Series:
        table = self.choice_table(q)

        def convert(cell: str) -> str | None:
            tokens = cell.split()
            if tokens and all(_norm(t) in table for t in tokens):
                return " ".join(table[_norm(t)] for t in tokens)
            parts = [p for p in re.split(r"[;|,\n]", cell) if p.strip()]
            if parts and all(_norm(p) in table for p in parts):
                return " ".join(table[_norm(p)] for p in parts)
            return None

        return self._lookup(raw, convert, column, "unknown code").astype("string")

    def scale(self, raw: pd.Series, q: Question, column: str) -> pd.Series:
        values, labels = self.scale_values(q)
        allowed = set(values)

        def convert(cell: str) -> int | None:
            text = cell.strip()
            number: int | None = None
            try:
                as_float = float(text.replace(",", "."))
                number = int(as_float) if as_float.is_integer() else None
            except ValueError:
                m = _LEADING_NUMBER.match(text)
                if m:
                    number = int(m.group(1))
                else:
                    number = labels.get(_norm(text))
            return number if number in allowed else None

        return self._categorical(raw, convert, values, column,
                                 "out of range or unknown scale point", ordered=True)

    def number(self, raw: pd.Series, q: Question, column: str) -> pd.Series:
        if pd.api.types.is_numeric_dtype(raw.dtype):
            numbers = pd.to_numeric(raw, errors="coerce")
        elif not (plain := pd.to_numeric(raw, errors="coerce")).isna().ne(raw.isna()).any() \
                and self.decimal == ".":
            numbers = plain  # the common case: every cell is a plain number already
        else:
            text = raw.astype("string").str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
            if self.decimal == ",":
                thousands = text.str.fullmatch(_THOUSANDS_COMMA_DECIMAL.pattern).fillna(False)
                text = text.where(~thousands, text.str.replace(".", "", regex=False))
                text = text.str.replace(",", ".", regex=False)
            else:
                thousands = text.str.fullmatch(_THOUSANDS_POINT_DECIMAL.pattern).fillna(False)
                text = text.where(~thousands, text.str.replace(",", "", regex=False))
                text = text.str.replace(",", ".", regex=False)
            numbers = pd.to_numeric(text, errors="coerce")
            self._coerce(raw, numbers.isna(), column, "not a number")
        numbers = numbers.astype("Float64")
        if not q.decimals:
            fractional = numbers.notna() & (numbers != numbers.round())
            self._coerce(raw, fractional.fillna(False).astype(bool), column, "not a whole number")
            numbers = numbers.mask(fractional.fillna(False).astype(bool))
            return numbers.round().astype("Int64").rename(column)
        return numbers.rename(column)

    def dates(self, raw: pd.Series, column: str, *, with_time: bool = False) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(raw.dtype):
            return raw.rename(column)
        text = raw.astype("string").str.strip()
        result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        todo = text.notna()
        used: list[str] = []
        formats = (_DATETIME_FORMATS + _DATE_FORMATS) if with_time else _DATE_FORMATS
        for fmt in formats:
            if not todo.any():
                break
            part = pd.to_datetime(text[todo], format=fmt, errors="coerce")
            hit = part.notna()
            if hit.any():
                used.append(fmt)
                result[part[hit].index] = part[hit]
                todo[part[hit].index] = False
        if todo.any():  # ISO with time zone (KoboToolbox), or with seconds fractions
            part = pd.to_datetime(text[todo], format="ISO8601", errors="coerce", utc=True)
            hit = part.notna()
            if hit.any():
                used.append("ISO 8601")
                result[part[hit].index] = part[hit].dt.tz_convert(None).dt.tz_localize(None)
                todo[part[hit].index] = False
        self._coerce(text, todo, column, "not a date")
        if len(used) > 1 and not with_time:
            shown = ", ".join(f.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")
                              .replace("%y", "yy") for f in used)
            self.warnings.append(Problem(
                Code.DATA_BAD_DATE, f"column '{column}' writes dates in {len(used)} ways "
                f"({shown}); all were read, day before month", file=self.source,
                question_id=column, severity=Severity.WARNING,
                fix="check that no date was meant month-first"))
        if not with_time:
            result = result.dt.normalize()
        return result.rename(column)

    def text(self, raw: pd.Series, column: str) -> pd.Series:
        out = raw.astype("string").str.strip()
        return out.mask(out == "").rename(column)

    def answer(self, raw: pd.Series, q: Question, column: str) -> pd.Series:
        """Type the column ``column`` (a field of question ``q``)."""
        if column == f"{q.id}_other":
            return self.text(raw, column)
        if q.type == "single_choice":
            return self.choice(raw, q, column)
        if q.type in ("multiple_choice", "ranking"):
            return self.multiple(raw, q, column)
        if q.type in ("likert", "likert_matrix", "rating"):
            return self.scale(raw, q, column)
        if q.type == "number":
            return self.number(raw, q, column)
        if q.type == "date":
            return self.dates(raw, column)
        return self.text(raw, column)
