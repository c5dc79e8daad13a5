"""Read a response file as text cells, keeping file rows for messages.

Every format comes back as a :class:`RawTable`: the header as written, and a DataFrame of
text cells (missing = NA) whose row ``i`` is file row ``first_row + i``. Typing by
question happens later, in :mod:`cxresearch.data._types`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._optional import import_optional
from ..errors import Code, DataError, Problem, Severity

__all__ = ["MAX_BYTES", "RawTable", "file_sha256", "read_raw", "sniff_csv"]

MAX_BYTES = 1_500_000_000
"""Files above this size are refused with advice, rather than read whole into memory."""


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MB blocks (any size, little memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class RawTable:
    frame: pd.DataFrame
    header: list[str]
    first_row: int = 2
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class CsvDialect:
    encoding: str
    delimiter: str
    decimal: str
    bom: bool


def sniff_csv(path: Path, sample_bytes: int = 1 << 20) -> CsvDialect:
    """Encoding (UTF-8, UTF-8 with BOM, UTF-16, Windows-1252), delimiter and decimal mark.

    Dutch Excel saves "CSV" with ``;`` between fields and ``,`` as decimal mark; that
    pairing is assumed whenever the delimiter is ``;``.
    """
    with open(path, "rb") as handle:
        head = handle.read(sample_bytes)
    if not head.strip():
        raise DataError.single(Code.DATA_EMPTY, "the file is empty", file=str(path),
                               fix="export the responses again; the file has no content")
    bom = False
    if head.startswith(codecs.BOM_UTF8):
        encoding, bom = "utf-8-sig", True
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, bom = "utf-16", True
    else:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            encoding = "utf-8" if exc.start > len(head) - 4 else "cp1252"  # cut mid-character
    text = head.decode(encoding, errors="ignore")
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    delimiter = ","
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ";,\t|"} if lines else {}
        if counts and max(counts.values()) > 0:
            delimiter = max(counts, key=lambda d: counts[d])
    return CsvDialect(encoding, delimiter, "," if delimiter == ";" else ".", bom)


def _ragged(path: Path, dialect: CsvDialect, width: int, limit: int = 5) -> list[Problem]:
    """Rows with more or fewer fields than the header (first ``limit`` of them)."""
    found: list[Problem] = []
    with open(path, encoding=dialect.encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=dialect.delimiter)
        for number, row in enumerate(reader, 1):
            if number == 1 or not row:
                continue
            if len(row) != width:
                found.append(Problem(
                    Code.DATA_RAGGED, f"row has {len(row)} fields, the header has {width}",
                    file=str(path), line=reader.line_num, column=min(len(row), width) + 1,
                    given=dialect.delimiter.join(row)[:80],
                    fix="check for an unquoted delimiter or line break inside a cell, or a "
                    "row cut short; re-export with quoted text"))
                if len(found) >= limit:
                    break
    return found


def _check_header(path: Path, header: list[str], sheet: str | None = None) -> None:
    seen: dict[str, int] = {}
    problems = []
    for i, name in enumerate(header, 1):
        key = name.strip()
        if key in seen:
            problems.append(Problem(
                Code.DATA_DUPLICATE_COLUMN, f"column '{key}' appears twice (columns "
                f"{seen[key]} and {i})", file=str(path), line=1, column=i, sheet=sheet,
                fix="rename or remove one of them; cxresearch does not guess which one counts"))
        else:
            seen[key] = i
    if problems:
        raise DataError(problems)


def csv_dialect(path: Path, delimiter: str | None = None, decimal: str | None = None,
                encoding: str | None = None) -> tuple[CsvDialect, list[str]]:
    """The dialect (detected, then overridden where given) and the checked header."""
    dialect = sniff_csv(path)
    if encoding:
        dialect = CsvDialect(encoding, dialect.delimiter, dialect.decimal, dialect.bom)
    if delimiter:
        dialect = CsvDialect(dialect.encoding, delimiter, "," if delimiter == ";" else ".",
                             dialect.bom)
    if decimal:
        dialect = CsvDialect(dialect.encoding, dialect.delimiter, decimal, dialect.bom)
    with open(path, encoding=dialect.encoding, errors="replace", newline="") as handle:
        header = next(csv.reader(handle, delimiter=dialect.delimiter), [])
    _check_header(path, header)
    return dialect, header


def csv_options(dialect: CsvDialect, header: list[str]) -> dict[str, Any]:
    """Arguments of ``pandas.read_csv`` that read every cell as text, as written."""
    return {"sep": dialect.delimiter, "encoding": dialect.encoding, "dtype": str,
            "keep_default_na": False, "na_values": [""], "header": 0,
            "names": [h.strip() for h in header], "engine": "c",
            "encoding_errors": "replace"}


def parser_error(path: Path, exc: Exception) -> DataError:
    """A pandas parser error as a DataError naming the line."""
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    line = int(m.group(2)) if m else None
    return DataError.single(Code.DATA_RAGGED, f"cannot split the file into columns: {exc}",
                            file=str(path), line=line,
                            fix="check for an unquoted delimiter or line break in a cell")


def encoding_warnings(path: Path, dialect: CsvDialect) -> list[Problem]:
    if dialect.encoding != "cp1252":
        return []
    return [Problem(Code.DATA_FORMAT, "file is not UTF-8; read as Windows-1252",
                    file=str(path), severity=Severity.WARNING,
                    fix="export as UTF-8 so every tool reads it the same way")]


def _read_csv(path: Path, delimiter: str | None, decimal: str | None,
              encoding: str | None) -> RawTable:
    dialect, header = csv_dialect(path, delimiter, decimal, encoding)
    size = path.stat().st_size
    if size < 64_000_000:  # exact ragged-row report; bigger files rely on the parser
        ragged = _ragged(path, dialect, len(header))
        if ragged:
            raise DataError(ragged)
    try:
        frame = pd.read_csv(path, **csv_options(dialect, header))
    except pd.errors.ParserError as exc:
        raise parser_error(path, exc) from None
    warnings = encoding_warnings(path, dialect)
    return RawTable(frame, [h.strip() for h in header], 2, dialect.encoding,
                    dialect.delimiter, dialect.decimal, warnings=warnings)


def _read_excel(path: Path, sheet: str | int | None) -> RawTable:
    import_optional("openpyxl", "data", "Reading .xlsx response files")
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=object,
                              header=None)
    except ValueError as exc:
        raise DataError.single(Code.DATA_FORMAT, f"cannot read the workbook: {exc}",
                               file=str(path), fix="give the sheet name with sheet=...")
    except Exception as exc:  # a corrupt or password-protected workbook
        raise DataError.single(Code.DATA_FORMAT, f"cannot open the workbook ({type(exc).__name__})",
                               file=str(path), fix="open it in Excel and save it again as .xlsx")
    if frame.empty:
        raise DataError.single(Code.DATA_EMPTY, "the sheet is empty", file=str(path))
    header = ["" if pd.isna(v) else str(v).strip() for v in frame.iloc[0]]
    _check_header(path, header, sheet=str(sheet) if sheet is not None else None)
    body = frame.iloc[1:].reset_index(drop=True)
    body.columns = header
    return RawTable(body.map(_cell_text), header, 2)


def _cell_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return pd.NA
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else pd.NA


def _read_sav(path: Path) -> RawTable:
    pyreadstat = import_optional("pyreadstat", "data", "Reading SPSS .sav files")
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises its own ReadstatError for broken files
        raise DataError.single(Code.DATA_FORMAT, f"cannot read the SPSS file: {exc}",
                               file=str(path), fix="save it again from SPSS or PSPP as .sav")
    header = list(frame.columns)
    return RawTable(frame.map(_cell_text), header, 2,
                    value_labels=dict(meta.variable_value_labels))


def _read_parquet(path: Path) -> RawTable:
    import_optional("pyarrow", "data", "Reading Parquet files")
    frame = pd.read_parquet(path)
    return RawTable(parquet_cells(frame), [str(c) for c in frame.columns], 2)


def parquet_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep native numbers and dates (typing accepts them); text stripped, "" missing."""
    typed = frame.copy()
    for col in typed.columns:
        if not (pd.api.types.is_numeric_dtype(typed[col].dtype)
                or pd.api.types.is_datetime64_any_dtype(typed[col].dtype)):
            text = typed[col].astype("string").str.strip()
            typed[col] = text.mask(text == "")
    return typed


def check_file(path: Path) -> int:
    """The size of ``path``; an error naming it when it is missing, a folder or empty."""
    if not path.exists():
        raise DataError.single(Code.DATA_FORMAT, "file not found", file=str(path),
                               fix=f"check the path (relative to {Path.cwd()})")
    if path.is_dir():
        raise DataError.single(Code.DATA_FORMAT, "this is a folder, not a response file",
                               file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise DataError.single(Code.DATA_EMPTY, "the file is empty", file=str(path),
                               fix="export the responses again; the file has no content")
    return size


def read_raw(path: Path, *, sheet: str | int | None = None, delimiter: str | None = None,
             decimal: str | None = None, encoding: str | None = None) -> RawTable:
    """Read ``path`` by its suffix into a :class:`RawTable`."""
    size = check_file(path)
    if size > MAX_BYTES:
        raise DataError.single(
            Code.DATA_TOO_LARGE, f"the file is {size / 1e9:.1f} GB; reading it whole would "
            f"need several times that in memory", file=str(path),
            fix="convert it to Parquet (about ten times smaller), or split it by rows "
            "and read the parts one by one")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        raw = _read_csv(path, delimiter or ("\t" if suffix == ".tsv" else None), decimal,
                        encoding)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        raw = _read_excel(path, sheet)
    elif suffix == ".sav":
        raw = _read_sav(path)
    elif suffix == ".parquet":
        raw = _read_parquet(path)
    else:
        raise DataError.single(Code.DATA_FORMAT, f"cannot read '{suffix or 'no suffix'}' files",
                               file=str(path), allowed=".csv, .tsv, .txt, .xlsx, .xls, .sav, "
                               ".parquet", fix="export the responses in one of these formats")
    if raw.frame.empty:
        raise DataError.single(Code.DATA_HEADER_ONLY,
                               f"the file has a header ({len(raw.header)} columns) but no "
                               "responses", file=str(path),
                               fix="check that the export included the responses (filters, "
                               "date range, completed only)")
    return raw
