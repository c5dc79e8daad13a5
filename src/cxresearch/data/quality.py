"""Quality checks on responses: every problem flagged with its reason, nothing dropped.

:func:`quality_report` flags rows; :meth:`QualityReport.exclude` removes them only when
asked, for the checks named, and records the rule and the rows on the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..instrument.model import Question
from .responses import Responses

__all__ = ["CHECKS", "QualityReport", "quality_report"]

CHECKS: dict[str, str] = {
    "unreadable": "a value that is not a code, scale point, number or date of its question",
    "out_of_range": "a number outside the question's min and max",
    "missing_required": "a required question shown by skip logic but not answered",
    "not_asked": "an answer to a question that skip logic says was not shown",
    "duplicate_id": "a later submission of a respondent id already seen (in the same wave); "
                    "the first submission is not flagged, so excluding keeps it",
    "speeder": "completed much faster than usual",
    "straight_lining": "the same answer on every row of every matrix answered (at least twice "
                       "the minimum rows of a checked matrix in all)",
    "junk_text": "open text without content (no letters, one repeated character, key mashing)",
}
"""The checks, by name, with what each flags."""

FLAG_COLUMNS = ("row", "respondent_id", "check", "column", "detail")
_LETTER = re.compile(r"[^\W\d_]")
_REPEAT = re.compile(r"(.)\1{2,}")
_MASH = re.compile(r"^(asdf|qwer|zxcv|jkl|sdf|hjk|qwerty|azerty|xxx+|test|bla+|ghj)\w*$", re.I)


@dataclass
class QualityReport:
    """Flags per row and check; see :data:`CHECKS` for what each check means."""

    responses: Responses
    flags: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Per check: how many flags and how many distinct rows, with the description."""
        rows = []
        for check, what in CHECKS.items():
            part = self.flags[self.flags["check"] == check]
            rows.append({"check": check, "flags": len(part), "rows": part["row"].nunique(),
                         "share_of_rows": part["row"].nunique() / max(len(self.responses), 1),
                         "description": what})
        return pd.DataFrame(rows)

    def rows(self, checks: Iterable[str] | None = None) -> list[int]:
        """Row positions flagged by any of ``checks`` (all checks by default)."""
        wanted = list(checks) if checks is not None else list(CHECKS)
        unknown = [c for c in wanted if c not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check(s) {', '.join(unknown)}; allowed: "
                             f"{', '.join(CHECKS)}")
        return sorted(set(self.flags.loc[self.flags["check"].isin(wanted), "row"]))

    def exclude(self, checks: Iterable[str]) -> Responses:
        """A copy of the responses without the rows flagged by ``checks``; the rule and
        the removed respondent ids are appended to ``exclusions``."""
        wanted = list(checks)
        drop = self.rows(wanted)
        data = self.responses.data
        kept = data.drop(index=data.index[drop])
        ids = self.responses.id_column
        removed = list(data.iloc[drop][ids].astype(str)) if ids in data.columns else drop
        record = {"rule": "exclude rows flagged by quality checks", "checks": wanted,
                  "settings": dict(self.settings), "rows_removed": len(drop),
                  "removed": removed}
        return self.responses.with_data(kept, exclusions=[*self.responses.exclusions, record])

    def _repr_html_(self) -> str:
        return "<h4>Quality report</h4>" + self.summary().to_html(index=False)


def _is_junk(text: str) -> bool:
    """No letter at all, one character repeated, or keyboard mashing."""
    text = text.strip()
    return (not _LETTER.search(text)) or bool(_REPEAT.fullmatch(text)) \
        or bool(_MASH.fullmatch(text))


def _junk(text: pd.Series) -> pd.Series:
    """Junk open answers, judged once per distinct answer."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    verdict = np.array([_is_junk(str(u)) for u in uniques] + [False], dtype=bool)
    return pd.Series(verdict[np.where(codes < 0, len(verdict) - 1, codes)], index=text.index)


def _values(series: pd.Series) -> pd.Series:
    return series.astype("string") if series.dtype == "category" else series


def _relevant(responses: Responses, q: Question, block_relevant: str | None) -> pd.Series:
    from ..instrument.logic import evaluate_frame, parse

    frame = responses.data
    mask = pd.Series(True, index=frame.index)
    for source in (block_relevant, q.relevant):
        if source:
            try:
                mask &= evaluate_frame(parse(source), frame)
            except KeyError:  # the question it depends on is not in this file
                return pd.Series(False, index=frame.index)
    return mask


def quality_report(responses: Responses, *, speeder_fraction: float = 1 / 3,
                   speeder_seconds: float | None = None,
                   straight_line_rows: int = 3) -> QualityReport:
    """Flag quality problems in ``responses``; nothing is removed.

    Parameters
    ----------
    responses : Responses
        From :func:`cxresearch.data.read_responses`.
    speeder_fraction : float
        A respondent is a speeder below this fraction of the median duration (default
        one third, a common rule in survey practice).
    speeder_seconds : float, optional
        A fixed threshold in seconds instead of the fraction.
    straight_line_rows : int
        Matrices with at least this many rows are checked for straight-lining.

    Returns
    -------
    QualityReport
        ``flags`` has one row per (row, check, column): see :data:`FLAG_COLUMNS`.
    """
    data = responses.data
    ids = data[responses.id_column].astype("string") if responses.id_column in data.columns \
        else pd.Series(pd.NA, index=data.index, dtype="string")
    position = pd.Series(np.arange(len(data)), index=data.index)
    parts: list[pd.DataFrame] = []

    def flag(mask: pd.Series, check: str, column: str | None, detail: Any) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            # text of the flagged cells only: converting whole columns is the slow part
            detail_values = detail[mask].astype(str) if isinstance(detail, pd.Series) else detail
            parts.append(pd.DataFrame({"row": position[mask].to_numpy(),
                                       "respondent_id": ids[mask].to_numpy(),
                                       "check": check, "column": column,
                                       "detail": np.asarray(detail_values, dtype=object)
                                       if isinstance(detail_values, pd.Series)
                                       else detail_values}))

    coercions = responses.coercions
    if len(coercions):
        # file row r (header = row 1) is index label r - 2, also for a file read in parts;
        # rows already excluded are gone and have nothing left to flag
        labels = coercions["row"].astype("int64").to_numpy() - 2
        if "position" in coercions:  # stacked responses (Responses.concat): the row label
            labels = coercions["position"].astype("int64").to_numpy()
        if pd.api.types.is_integer_dtype(data.index):
            at = data.index.get_indexer(labels)
        else:
            at = np.where((labels >= 0) & (labels < len(data)), labels, -1)
        kept = at >= 0
        parts.append(pd.DataFrame({
            "row": at[kept], "respondent_id": ids.to_numpy()[at[kept]],
            "check": "unreadable", "column": coercions["column"].to_numpy()[kept],
            "detail": [f"{reason}: {value!r}" for reason, value in
                       zip(coercions["reason"].to_numpy()[kept],
                           coercions["value"].to_numpy()[kept])]}))
    survey = responses.survey
    matrices: list[tuple[pd.Series, pd.Series, int]] = []
    for block in survey.blocks:
        for q in block.questions:
            cols = [f for f in q.field_ids() if f in data.columns and not f.endswith("_other")]
            if not cols:
                continue
            shown = _relevant(responses, q, block.relevant)
            for col in cols:
                answered = data[col].notna()
                if q.required:
                    flag(shown & ~answered, "missing_required", col, "no answer")
                flag(~shown & answered, "not_asked", col, data[col])
            if q.type == "number":
                values = data[q.id].astype("Float64")
                low = values < q.min_value if q.min_value is not None else False
                high = values > q.max_value if q.max_value is not None else False
                flag(pd.Series(low | high, index=data.index), "out_of_range", q.id, values)
            if q.type == "likert_matrix" and len(cols) >= straight_line_rows:
                block_values = data[cols].apply(lambda s: s.astype("Float64"))
                answered_all = block_values.notna().all(axis=1)
                uniform = answered_all & (block_values.nunique(axis=1) == 1)
                matrices.append((answered_all, uniform, len(cols)))
            if q.type == "text":
                text = data[q.id]
                flag(_junk(text), "junk_text", q.id, text)
    if matrices:  # one uniform short matrix is an honest answer; all of them is not
        answered_rows = sum(n * a.astype(int) for a, _, n in matrices)
        non_uniform = sum((a & ~u).astype(int) for a, u, _ in matrices)
        any_answered = sum(a.astype(int) for a, _, _ in matrices) > 0
        lined = any_answered & (non_uniform == 0) & (answered_rows >= 2 * straight_line_rows)
        flag(lined, "straight_lining", None, answered_rows)
    if responses.id_column in data.columns:
        key = [responses.id_column] + (["wave"] if "wave" in data.columns else [])
        # a panel answers once per wave; the first submission is the answer, later ones
        # are the copies (excluding them must not lose the respondent)
        dup = ids.notna() & data[key].duplicated(keep="first")
        nth = data.groupby(key, sort=False, dropna=False).cumcount() + 1
        flag(dup, "duplicate_id", responses.id_column,
             ids.astype(str) + " (submission " + nth.astype(str) + ")")
    settings: dict[str, Any] = {"speeder_fraction": speeder_fraction,
                                "speeder_seconds": speeder_seconds,
                                "straight_line_rows": straight_line_rows}
    if "duration_s" in data.columns:
        duration = data["duration_s"].astype("Float64")
        threshold = speeder_seconds if speeder_seconds is not None \
            else float(duration.median()) * speeder_fraction
        settings["speeder_threshold_s"] = threshold
        flag(duration < threshold, "speeder", "duration_s", duration.round(0))
    flags = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in FLAG_COLUMNS})
    return QualityReport(responses, flags.sort_values(["row", "check"], ignore_index=True),
                         settings)
