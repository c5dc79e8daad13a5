"""``iter_responses``: read a response file of any size in parts, in bounded memory.

:func:`~cxresearch.data.read_responses` reads a file whole and refuses files above
:data:`~cxresearch.data._raw.MAX_BYTES`. ``iter_responses`` reads CSV and Parquet files of
any size part by part: each part is a :class:`~cxresearch.data.Responses` of at most
``chunk_rows`` rows, typed exactly as ``read_responses`` would type it, with row numbers
(and the row index) counted from the start of the file. Memory stays proportional to
``chunk_rows``, not to the file.

Checks that need every row at once are the caller's to combine: duplicate respondent
ids across parts, and a speeder threshold from the median duration of the whole file
(pass ``speeder_seconds`` to :func:`~cxresearch.data.quality_report` for one threshold
in every part).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pandas as pd

from .._optional import import_optional
from ..errors import Code, DataError
from ..instrument.model import Instrument
from ._raw import (RawTable, check_file, csv_dialect, csv_options, encoding_warnings,
                   file_sha256, parquet_cells, parser_error)
from .responses import Responses

__all__ = ["iter_responses"]

_CSV = (".csv", ".tsv", ".txt")


def iter_responses(path: str | Path, survey: Instrument | str | Path, *,
                   chunk_rows: int = 250_000, delimiter: str | None = None,
                   decimal: str | None = None,
                   encoding: str | None = None) -> Iterator[Responses]:
    """Read ``path`` as typed answers to ``survey``, ``chunk_rows`` rows at a time.

    Parameters
    ----------
    path : path
        A CSV (``.csv``, ``.tsv``, ``.txt``; dialect detected as by ``read_responses``)
        or Parquet file, of any size.
    survey : Instrument or path
        The instrument the answers belong to.
    chunk_rows : int
        Rows per part (default 250,000: about 0.5 GB of memory for 40 questions).
    delimiter, decimal, encoding
        Override what is detected (CSV only).

    Yields
    ------
    Responses
        One part of the file. Its ``sha256`` is that of the whole raw file, its row
        index and the rows in ``coercions`` count from the start of the file.

    Raises
    ------
    DataError
        As ``read_responses`` (including the purpose-of-processing check): empty file, header only, duplicated columns, rows that
        cannot be split (naming the file line), no answer columns; and for a format that
        cannot be read in parts (``.xlsx``, ``.sav``: read those with
        ``read_responses``).

    Examples
    --------
    >>> from cxresearch.datasets import example_path
    >>> from cxresearch.data import iter_responses
    >>> study = example_path("insurer-claims")
    >>> parts = iter_responses(study / "data/raw/customers-wave1.csv",
    ...                        study / "instruments/customer-survey.yaml", chunk_rows=100)
    >>> [len(part) for part in parts][:3]
    [100, 100, 100]
    """
    from ..instrument import load_instrument
    from .read import _build, apply_study

    if not isinstance(chunk_rows, int) or isinstance(chunk_rows, bool) or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a positive whole number, not {chunk_rows!r}")
    inst = survey if isinstance(survey, Instrument) else load_instrument(survey)
    path = Path(path)
    check_file(path)
    suffix = path.suffix.lower()
    if suffix not in _CSV + (".parquet",):
        raise DataError.single(
            Code.DATA_FORMAT, f"'{suffix or 'no suffix'}' files cannot be read in parts",
            file=str(path), allowed=", ".join(_CSV + (".parquet",)),
            fix="read it whole with read_responses, or export it as CSV or Parquet")
    sha256 = file_sha256(path)
    parts = _csv_parts(path, chunk_rows, delimiter, decimal, encoding) if suffix in _CSV \
        else _parquet_parts(path, chunk_rows)
    rows = 0
    for raw in parts:
        rows += len(raw.frame)
        part = _build(raw, inst, str(path), sha256)
        apply_study(part, path)  # the purpose check, and the study's settings
        yield part
    if rows == 0:
        raise DataError.single(Code.DATA_HEADER_ONLY, "the file has a header but no responses",
                               file=str(path), fix="check that the export included the "
                               "responses (filters, date range, completed only)")


def _csv_parts(path: Path, chunk_rows: int, delimiter: str | None, decimal: str | None,
               encoding: str | None) -> Iterator[RawTable]:
    dialect, header = csv_dialect(path, delimiter, decimal, encoding)
    names = [h.strip() for h in header]
    warnings = encoding_warnings(path, dialect)
    start = 0
    try:
        with pd.read_csv(path, chunksize=chunk_rows, **csv_options(dialect, header)) as reader:
            for frame in reader:
                frame.index = pd.RangeIndex(start, start + len(frame))
                yield RawTable(frame, names, 2 + start, dialect.encoding, dialect.delimiter,
                               dialect.decimal, warnings=warnings if start == 0 else [])
                start += len(frame)
    except pd.errors.ParserError as exc:
        raise parser_error(path, exc) from None


def _parquet_parts(path: Path, chunk_rows: int) -> Iterator[RawTable]:
    pq = import_optional("pyarrow.parquet", "data", "Reading Parquet files")
    handle = pq.ParquetFile(path)
    names = [str(n) for n in handle.schema_arrow.names]
    start = 0
    for batch in handle.iter_batches(batch_size=chunk_rows):
        frame = parquet_cells(batch.to_pandas())
        frame.index = pd.RangeIndex(start, start + len(frame))
        yield RawTable(frame, names, 2 + start)
        start += len(frame)
