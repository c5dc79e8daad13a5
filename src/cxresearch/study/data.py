"""A study's responses, found from the study itself: every raw file whose columns are the
answer fields of one of its surveys belongs to that survey, whatever the file is called
and however the waves are split over the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

__all__ = ["raw_files_of", "study_responses", "study_survey"]

_SUFFIXES = (".csv", ".xlsx", ".sav", ".parquet")


def study_survey(folder: str | Path, audience: str = "customer") -> Any:
    """The study's survey for ``audience`` (``customer`` or ``employee``), or None."""
    from ..instrument import load_instrument

    for path in sorted((Path(folder) / "instruments").glob("*.yaml")):
        inst = load_instrument(path)
        if inst.kind == "survey" and inst.audience == audience:
            return inst
    return None


def _columns(path: Path) -> list[str]:
    import pandas as pd

    try:
        if path.suffix == ".csv":
            return list(pd.read_csv(path, nrows=0, sep=None, engine="python").columns)
        if path.suffix == ".xlsx":
            return list(pd.read_excel(path, nrows=0).columns)
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if path.suffix == ".sav":
            import pyreadstat

            return list(pyreadstat.read_sav(str(path), metadataonly=True)[1].column_names)
    except Exception:  # not a table this survey could have written
        return []
    return []


def raw_files_of(folder: str | Path, survey: Any, *, share: float = 0.5) -> list[Path]:
    """The files in ``data/raw`` holding at least ``share`` of the survey's answer fields."""
    fields = set(survey.field_ids())
    found = []
    for path in sorted((Path(folder) / "data" / "raw").iterdir()):
        if path.suffix.lower() not in _SUFFIXES or path.name.startswith("."):
            continue
        columns = set(_columns(path))
        if fields and len(fields & columns) >= share * len(fields):
            found.append(path)
    return found


def study_responses(folder: str | Path, audience: str = "customer", *,
                    exclusions: Sequence[str] = ()) -> Any:
    """Every wave of the study's ``audience`` survey as one Responses (None when the study
    has no such survey or data), with the rows flagged by ``exclusions`` (quality checks)
    left out and recorded."""
    from ..data import Responses, quality_report, read_responses

    survey = study_survey(folder, audience)
    if survey is None:
        return None
    files = raw_files_of(folder, survey)
    if not files:
        return None
    parts = [read_responses(f, survey) for f in files]
    data = Responses.concat(parts) if len(parts) > 1 else parts[0]
    return quality_report(data).exclude(list(exclusions)) if exclusions else data
