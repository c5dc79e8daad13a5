"""Responses: answers to an instrument, typed by question, with where they came from.

A :class:`Responses` holds one row per respondent. Its columns are the instrument's
answer fields (``Instrument.field_ids()``) with the dtype each question implies, plus
meta columns (respondent id, start, end, duration, wave, team, ...). It keeps the
instrument beside the data, the raw file's sha256, what could not be read as the
question demands (``coercions``), and which exclusions were applied.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..instrument.model import Instrument

__all__ = ["COERCION_COLUMNS", "META_COLUMNS", "Responses"]

META_COLUMNS: tuple[str, ...] = ("respondent_id", "start", "end", "duration_s", "wave",
                                 "team", "language", "submitted")
"""Known meta columns: kept (and typed) when a file has them."""

COERCION_COLUMNS: tuple[str, ...] = ("row", "column", "value", "reason")
"""Columns of :attr:`Responses.coercions`: the file row (1-based, header = row 1), the
column, the raw value and why it could not be kept (e.g. ``unknown code``)."""


def _empty_coercions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COERCION_COLUMNS})


@dataclass
class Responses:
    """Answers to ``survey``: one row per respondent, one column per answer field.

    Attributes
    ----------
    data : pandas.DataFrame
        Typed answers. Choice questions are categoricals of choice values; Likert items,
        matrix rows and 0-10 ratings are *ordered* categoricals of their integer codes;
        numbers are ``Float64`` (``Int64`` for whole numbers); dates are
        ``datetime64``; text, multiple choice (space-separated values, as XLSForm stores
        them) and ranking (values in ranked order) are ``string``.
    survey : Instrument
        The instrument the answers belong to.
    source : str or None
        The raw file read.
    sha256 : str or None
        Digest of the raw file, so a result can name exactly what it was computed from.
    id_column : str
        The respondent id column.
    meta_columns : list of str
        Columns that are not answers (ids, timestamps, wave, team, ...).
    unmatched : list of str
        Columns of the file that matched no question or meta column (not kept).
    coercions : pandas.DataFrame
        Values that could not be kept as their question demands (set to missing), with
        file row, column, value and reason; see :data:`COERCION_COLUMNS`.
    exclusions : list of dict
        Exclusion rules applied so far, each with the rule and the rows it removed.
    min_group_size : int
        The study's minimum group size (``study.yaml``, else the instrument; default 5):
        no table or chart may show a smaller group.
    study : str or None
        The study folder (the one holding ``study.yaml``), when one was found.
    """

    data: pd.DataFrame
    survey: Instrument
    source: str | None = None
    sha256: str | None = None
    id_column: str = "respondent_id"
    meta_columns: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    coercions: pd.DataFrame = field(default_factory=_empty_coercions)
    exclusions: list[dict[str, Any]] = field(default_factory=list)
    min_group_size: int = 5
    study: str | None = None

    def __len__(self) -> int:
        return len(self.data)

    @property
    def answer_columns(self) -> list[str]:
        """The answer fields present in :attr:`data`, in instrument order."""
        return [f for f in self.survey.field_ids() if f in self.data.columns]

    def with_data(self, data: pd.DataFrame, **changes: Any) -> "Responses":
        """A copy with new data (and any other attribute changed)."""
        return dataclasses.replace(self, data=data, **changes)

    @classmethod
    def concat(cls, parts: "list[Responses]") -> "Responses":
        """Stack responses to the same instrument (e.g. two waves) into one.

        Columns missing from a part are missing for its rows; row numbers of
        ``coercions`` keep pointing into each part's own file (``source`` names all of
        them, joined with `` + ``); ``sha256`` is that of the only file, or None for
        several (each part keeps its own). Exclusions are kept, per part. The study
        settings must agree.

        Raises
        ------
        ValueError
            No parts, parts answering different instruments (id or version), or
            different minimum group sizes.
        """
        parts = list(parts)
        if not parts:
            raise ValueError("concat needs at least one Responses")
        first = parts[0]
        for other in parts[1:]:
            if (other.survey.id, other.survey.version) != (first.survey.id, first.survey.version):
                raise ValueError(
                    f"cannot stack answers to '{other.survey.id}' version "
                    f"{other.survey.version} under '{first.survey.id}' version "
                    f"{first.survey.version}: compare them, don't stack them")
            if other.min_group_size != first.min_group_size:
                raise ValueError(f"the parts have different minimum group sizes "
                                 f"({first.min_group_size} and {other.min_group_size})")
        data = pd.concat([p.data for p in parts], ignore_index=True)
        pieces, offset = [], 0
        for p in parts:  # "position": the row label in the stacked data (for quality)
            rows = p.coercions["position"].to_numpy() if "position" in p.coercions else \
                p.coercions["row"].astype("int64").to_numpy() - 2
            at = p.data.index.get_indexer(rows)
            pieces.append(p.coercions.assign(source=p.source,
                                             position=[a + offset if a >= 0 else -1
                                                       for a in at]))
            offset += len(p.data)
        coercions = pd.concat(pieces, ignore_index=True)
        sources = [p.source or "memory" for p in parts]
        return cls(data, first.survey, " + ".join(sources),
                   first.sha256 if len(parts) == 1 else None, first.id_column,
                   list(dict.fromkeys(c for p in parts for c in p.meta_columns)),
                   list(dict.fromkeys(c for p in parts for c in p.unmatched)), coercions,
                   [dict(e, source=p.source) for p in parts for e in p.exclusions],
                   first.min_group_size, first.study)

    def __repr__(self) -> str:
        return (f"<Responses {len(self.data)} rows x {len(self.answer_columns)} answer fields "
                f"of '{self.survey.id}' from {self.source or 'memory'}>")
