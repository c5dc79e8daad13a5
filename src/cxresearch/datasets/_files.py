"""Write the example studies' raw data files as researchers receive them.

Every file is a pure function of the study's preset and seed: no "now" anywhere (dates
come from the simulated calendar, XLSX archives get fixed timestamps), so regenerating
gives byte-identical files.

Formats written:

- **Dutch Excel CSV** (``dutch_csv``): ``;`` between fields, decimal comma, UTF-8 with
  BOM, CRLF line ends; single choices and Likert points as their Dutch *labels*; 0-10
  ratings and numbers as numbers; multiple choices and rankings as their codes separated
  by spaces (several Dutch labels hold a comma, so a label list could not be split
  back); dates ``dd-mm-yyyy``; timestamps ``dd-mm-yyyy hh:mm``; the id column is called
  ``Respondent ID``.
- **Code CSV** (``codes_csv``): ``,`` between fields, decimal point, UTF-8 without BOM,
  LF line ends; every answer as its code; dates ``yyyy-mm-dd``; timestamps
  ``yyyy-mm-dd hh:mm:ss``; booleans ``true``/``false``.
- **XLSX** (``codes_xlsx``): one sheet ``responses``, codes, numbers as numbers,
  timestamps and dates as Excel date cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .._optional import import_optional
from ..instrument.model import Instrument, Question
from ._paths import EXAMPLE_STUDIES, example_path
from ._simulate import SimulatedStudy
from ._spec import DatasetError

__all__ = ["FileSpec", "STUDY_FILES", "codes_csv", "codes_xlsx", "dutch_csv",
           "write_example_data"]

_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_FIXED_CORE_TIME = "2026-01-01T00:00:00Z"


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def _number(value: Any, decimal: str) -> str:
    if isinstance(value, float) and not float(value).is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", decimal)
    return str(int(value))


def _questions(survey: Instrument) -> dict[str, Question]:
    return {fid: q for q in survey.questions() for fid in q.field_ids()}


def _dutch_cell(value: Any, q: Question | None, column: str, survey: Instrument) -> str:
    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d-%m-%Y" if q is not None else "%d-%m-%Y %H:%M")
    if q is None or column == f"{q.id}_other":
        return _number(value, ",") if isinstance(value, (int, float)) else str(value)
    if q.type == "single_choice":
        if value == "other":
            return "Anders"
        choice = next(c for c in survey.choice_list(q).choices if c.value == value)
        return choice.label.get("nl") or choice.value
    if q.type in ("likert", "likert_matrix") and q.scale is not None:
        return q.scale.labels[int(value) - q.scale.start].get("nl") or str(value)
    if q.type in ("rating", "number"):
        return _number(value, ",")
    return str(value)


def _code_cell(value: Any, is_date: bool) -> str:
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if is_date else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value, ".")
    return str(value)


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Plain Python values per row (NA as None), columns in frame order."""
    cols = []
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == object:
            values = series.astype(object).tolist()
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            values = [None if pd.isna(v) else pd.Timestamp(v) for v in series]
        else:
            values = series.astype(object).tolist()
        cols.append([None if _missing(v) else v for v in values])
    return [list(r) for r in zip(*cols)] if cols else []


def dutch_csv(data: pd.DataFrame, survey: Instrument, path: Path) -> None:
    """Write ``data`` as a Dutch Excel CSV export (see the module notes)."""
    questions = _questions(survey)
    header = ["Respondent ID" if c == "respondent_id" else c for c in data.columns]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in _rows(data):
            writer.writerow([_dutch_cell(v, questions.get(c), c, survey)
                             for v, c in zip(row, data.columns)])


def _date_fields(survey: Instrument | None) -> set[str]:
    return {q.id for q in survey.questions() if q.type == "date"} if survey else set()


def codes_csv(data: pd.DataFrame, path: Path, survey: Instrument | None = None) -> None:
    """Write ``data`` as a CSV of codes (see the module notes); ``survey`` tells which
    columns are dates (written without a time)."""
    dates = [c in _date_fields(survey) for c in data.columns]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=",", lineterminator="\n")
        writer.writerow(list(data.columns))
        for row in _rows(data):
            writer.writerow([_code_cell(v, d) for v, d in zip(row, dates)])


def codes_xlsx(data: pd.DataFrame, path: Path, survey: Instrument | None = None) -> None:
    """Write ``data`` as an XLSX workbook of codes, byte-for-byte reproducible."""
    openpyxl = import_optional("openpyxl", "data", "Writing .xlsx example data")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "responses"
    sheet.append(list(data.columns))
    dates = [c in _date_fields(survey) for c in data.columns]
    for row in _rows(data):
        cells: list[Any] = []
        for value, is_date in zip(row, dates):
            if isinstance(value, pd.Timestamp):
                value = value.date() if is_date else value.to_pydatetime()
            cells.append(value)
        sheet.append(cells)
    fixed = dt.datetime(2026, 1, 1)
    book.properties.creator = "cxresearch.datasets"
    book.properties.created = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    _fix_zip(buffer.getvalue(), path)


def _fix_zip(raw: bytes, path: Path) -> None:
    """Rewrite an XLSX archive with fixed entry times and document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + _FIXED_CORE_TIME.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content, compresslevel=6)
    path.write_bytes(out.getvalue())


# -- what each study ships ------------------------------------------------------------------

@dataclass(frozen=True)
class FileSpec:
    """One raw data file of an example study: its name, how to write it from a
    simulation, and how the README describes it."""

    name: str
    write: Callable[[SimulatedStudy, Path], None]
    describes: str


def _wave(sim: SimulatedStudy, index: int) -> pd.DataFrame:
    name = sim.spec.waves[index].name
    return sim.customers[sim.customers["wave"] == name].reset_index(drop=True)


def _employees(sim: SimulatedStudy, path: Path) -> None:
    if sim.employees is None:
        raise DatasetError(f"'{sim.name}' has no employee data to write")
    codes_csv(sim.employees, path, sim.employee_survey)


def _contacts(sim: SimulatedStudy, path: Path) -> None:
    if sim.contacts is None:
        raise DatasetError(f"'{sim.name}' has no contact log to write")
    codes_csv(sim.contacts, path)


STUDY_FILES: dict[str, tuple[FileSpec, ...]] = {
    "insurer-claims": (
        FileSpec("customers-wave1.csv",
                 lambda s, p: dutch_csv(_wave(s, 0), s.customer_survey, p),
                 "customer survey, wave 1 (before the improvement): Dutch Excel CSV export"),
        FileSpec("customers-wave2.csv",
                 lambda s, p: dutch_csv(_wave(s, 1), s.customer_survey, p),
                 "customer survey, wave 2 (after the improvement): Dutch Excel CSV export"),
        FileSpec("employees.csv", _employees, "employee survey: CSV of codes"),
        FileSpec("contacts.csv", _contacts, "contact log of the claims desks: CSV"),
    ),
    "webshop-delivery": (
        FileSpec("customers.xlsx", lambda s, p: codes_xlsx(s.customers, p, s.customer_survey),
                 "customer survey, both waves in one sheet: XLSX of codes"),
        FileSpec("employees.csv", _employees, "employee survey: CSV of codes"),
        FileSpec("contacts.csv", _contacts, "contact log of customer service: CSV"),
    ),
    "recruitment-agency": (
        FileSpec("employers.csv", lambda s, p: codes_csv(s.customers, p, s.customer_survey),
                 "employer (client) survey, both waves: CSV of codes"),
        FileSpec("employees.csv", _employees, "recruiter (employee) survey: CSV of codes"),
    ),
}
"""The raw files each example study ships in ``data/raw``."""


def write_example_data(study: str, folder: str | Path | None = None, *,
                       seed: int | None = None) -> list[Path]:
    """(Re)write the raw data files of an example study, and their README.

    Parameters
    ----------
    study : str
        One of ``"insurer-claims"``, ``"webshop-delivery"``, ``"recruitment-agency"``.
    folder : str or Path, optional
        Where to write; default ``surveys/<study>/data/raw`` in the source tree.
    seed : int, optional
        Default: the preset's seed (the one the shipped files were made with).

    Returns
    -------
    list of Path
        The files written, README last.

    Notes
    -----
    The files depend only on the preset and the seed, so writing them again gives
    byte-identical files (the test suite checks this). The expected values of the truth
    are not needed for the files and are not computed here.
    """
    from ._presets import example_study
    from ._readme import raw_readme

    if study not in EXAMPLE_STUDIES:
        raise DatasetError(f"`study` must be one of {', '.join(map(repr, EXAMPLE_STUDIES))}; "
                           f"got {study!r}")
    target = Path(folder) if folder is not None else example_path(study, "data", "raw")
    target.mkdir(parents=True, exist_ok=True)
    sim = example_study(study, seed=seed, truth_n=0)
    written = []
    for spec in STUDY_FILES[study]:
        path = target / spec.name
        spec.write(sim, path)
        written.append(path)
    readme = target / "README.md"
    readme.write_text(raw_readme(sim, STUDY_FILES[study]), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


def file_names(study: str) -> Sequence[str]:
    """The names of the raw files ``study`` ships (README excluded)."""
    return [f.name for f in STUDY_FILES[study]]
