"""Cleaned data: written atomically to ``data/clean/`` with a sidecar, and read back.

"Raw data is sacred" (DESIGN.md): raw files are read and hashed, never written; what is
derived from them goes next to them and can be regenerated. :func:`write_clean` writes
the typed answers of a :class:`~cxresearch.data.Responses` (after quality exclusions,
pseudonymisation and scrubbing) as Parquet (or CSV) plus a JSON sidecar that says what
they were made from; :func:`read_clean` reads the pair back into a ``Responses`` and
checks that the data are the ones the sidecar describes.

The sidecar (``<file>.json``, e.g. ``customers-wave1.parquet.json``) holds:

``format``, ``version``
    ``"cxresearch-clean"`` and 1.
``file``, ``file_format``, ``sha256``
    The data file's name, ``parquet`` or ``csv``, and its digest.
``rows``, ``columns``, ``index``
    Number of rows; per column its ``name``, ``dtype`` and, for categoricals,
    ``categories`` and ``ordered``; the index's ``name`` and ``dtype``.
``raw``
    The raw file's ``name``, ``path`` (relative to the sidecar) and ``sha256``.
``instrument``
    ``id``, ``version``, ``path`` (relative to the sidecar) and ``sha256``.
``study``, ``min_group_size``
    The study folder (relative to the sidecar) and its minimum group size.
``id_column``, ``meta_columns``, ``unmatched``
    As on the Responses.
``coercions``
    How many values could not be kept. The values are not written: they are raw
    answers and may hold personal data.
``exclusions``
    The exclusion rules applied. The respondent ids they removed are kept only when
    they are pseudonyms; else ``removed`` is ``null`` and ``removed_ids_omitted`` true.
``ids_pseudonymised``
    True when every id looks like a :func:`~cxresearch.data.pseudonymise` pseudonym
    (``r_`` and 16 hex digits), false when some do not, null without ids.
``cxresearch``, ``written_utc``
    The package version, and when the files were written (ISO 8601, UTC).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._atomic import atomic_write_bytes
from ..errors import Code, DataError
from ..instrument.model import Instrument
from ._raw import file_sha256
from .responses import Responses

__all__ = ["CLEAN_FORMATS", "SIDECAR_FORMAT", "read_clean", "sidecar_path", "write_clean"]

CLEAN_FORMATS: dict[str, str] = {"parquet": ".parquet", "csv": ".csv"}
"""Formats :func:`write_clean` writes, with their suffixes."""
SIDECAR_FORMAT = "cxresearch-clean"
"""The ``format`` of a sidecar; its ``version`` is 1."""
_VERSION = 1
_PSEUDONYM = re.compile(r"r_[0-9a-f]{16}")


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """The sidecar of a clean data file: its name with ``.json`` added."""
    path = Path(path)
    return path.with_name(path.name + ".json")


def _in_raw_folder(path: Path) -> bool:
    """True when ``path`` is (in) a folder ``raw`` whose parent is ``data``."""
    parts = [p.casefold() for p in path.parts]
    return any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:]))


def _default_folder(source: Path) -> Path | None:
    """``<study>/data/clean/<sub>`` for a raw file in ``<study>/data/raw/<sub>``."""
    folder = source.resolve().parent
    for up in [folder, *folder.parents]:
        if up.name.casefold() == "raw" and up.parent.name.casefold() == "data":
            return up.parent / "clean" / folder.relative_to(up)
    return None


def _relative(target: str | os.PathLike[str] | None, base: Path) -> str | None:
    if target is None:
        return None
    resolved = Path(target).resolve()
    try:
        return Path(os.path.relpath(resolved, base.resolve())).as_posix()
    except ValueError:  # another drive (Windows): keep it absolute
        return resolved.as_posix()


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _column_spec(name: str, series: pd.Series) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "dtype": str(series.dtype)}
    if isinstance(series.dtype, pd.CategoricalDtype):
        spec["dtype"] = "category"
        spec["categories"] = series.cat.categories.tolist()
        spec["ordered"] = bool(series.cat.ordered)
    return spec


def _ids_pseudonymised(responses: Responses) -> bool | None:
    if responses.id_column not in responses.data.columns:
        return None
    ids = responses.data[responses.id_column].dropna().astype(str)
    if ids.empty:
        return None
    return bool(ids.map(lambda v: _PSEUDONYM.fullmatch(v) is not None).all())


def _safe_exclusions(exclusions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Exclusion records without raw respondent ids (pseudonyms and row numbers stay)."""
    out = []
    for record in exclusions:
        record = dict(record)
        removed = record.get("removed")
        if isinstance(removed, (list, tuple)) and any(
                isinstance(v, str) and _PSEUDONYM.fullmatch(v) is None for v in removed):
            record["removed"] = None
            record["removed_ids_omitted"] = True
        out.append(record)
    return out


def _fail(code: Code, message: str, path: Path | str | None, fix: str,
          **where: Any) -> DataError:
    return DataError.single(code, message, file=str(path) if path is not None else None,
                            fix=fix, **where)


def write_clean(responses: Responses, folder: str | os.PathLike[str] | None = None, *,
                name: str | None = None, format: str = "parquet") -> Path:
    """Write cleaned answers and their sidecar, each atomically.

    Parameters
    ----------
    responses : Responses
        The answers, typically after quality exclusions, :func:`pseudonymise` and
        :func:`scrub_series`. Not changed.
    folder : path-like, optional
        Where to write. Default: for a raw file in ``<study>/data/raw/`` (or a folder
        below it), ``<study>/data/clean/`` (the same folder below it); otherwise it must
        be given. Never a ``data/raw`` folder.
    name : str, optional
        File name without suffix; default the raw file's name without suffix (else
        ``responses``).
    format : {"parquet", "csv"}
        Parquet keeps every dtype (needs ``pip install "cxresearch[data]"``). CSV is
        plain UTF-8 text with ``,`` between fields, a decimal point, ISO dates and the
        index as first column; :func:`read_clean` restores the dtypes from the sidecar.

    Returns
    -------
    pathlib.Path
        The data file; the sidecar is :func:`sidecar_path` of it (see the module
        docstring for its keys).

    Raises
    ------
    DataError
        CX213 when there is no folder to write to, the folder is (in) a ``data/raw``
        folder, or the file would replace the raw file; CX211 for an unknown format.

    Notes
    -----
    Each file is written to a temporary file beside the target and renamed, so a
    reader sees the old file or the new one, never half. The data file is written
    first and the sidecar last, and the sidecar records the data file's sha256, so
    :func:`read_clean` detects a data file that does not belong to its sidecar.
    """
    if format not in CLEAN_FORMATS:
        raise _fail(Code.DATA_FORMAT, f"write_clean cannot write format {format!r}", None,
                    "pass format='parquet' (keeps every dtype) or format='csv'",
                    given=repr(format), allowed=", ".join(CLEAN_FORMATS))
    source = Path(responses.source) if responses.source else None
    raw = source if source is not None and source.is_file() else None
    if folder is None:
        target_folder = _default_folder(raw) if raw is not None else None
        if target_folder is None:
            raise _fail(Code.DATA_WRITE, "write_clean needs a folder: the raw file "
                        f"{responses.source or '(none: data made in memory)'} is not (or no "
                        "longer) in a study's data/raw/ folder", responses.source,
                        "pass folder=, e.g. the study's data/clean/ folder")
    else:
        target_folder = Path(folder)
    stem = name if name is not None else (source.stem if source is not None else "responses")
    suffix = CLEAN_FORMATS[format]
    if stem.casefold().endswith(suffix):
        stem = stem[: -len(suffix)]
    if not stem or stem.startswith(".") or any(sep in stem for sep in "/\\"):
        raise _fail(Code.DATA_WRITE, f"write_clean: name {stem!r} is not a plain file name",
                    None, "give a name without folders and without a leading dot, e.g. "
                    "name='customers-wave1'", given=repr(name))
    target = target_folder / (stem + suffix)
    side = sidecar_path(target)
    if _in_raw_folder(target_folder.resolve()):
        raise _fail(Code.DATA_WRITE, f"write_clean refuses to write into {target_folder}: "
                    "data/raw holds the data as received, which are never written (raw "
                    "data is sacred)", target, "write to the study's data/clean/ folder "
                    "(the default for a raw file in data/raw/)")
    if raw is not None and raw.resolve() in (target.resolve(), side.resolve()):
        raise _fail(Code.DATA_WRITE, f"write_clean refuses to replace the raw file {raw}",
                    target, "give another name= or folder=")

    data = responses.data
    if format == "parquet":
        from .._optional import import_optional

        import_optional("pyarrow", "data", "Writing Parquet files")
        buffer = io.BytesIO()
        data.to_parquet(buffer, engine="pyarrow")
        content = buffer.getvalue()
    else:
        content = data.to_csv(index=True, lineterminator="\n").encode("utf-8")
    folder_path = target.parent
    inst = responses.survey
    from .. import __version__

    sidecar: dict[str, Any] = {
        "format": SIDECAR_FORMAT,
        "version": _VERSION,
        "file": target.name,
        "file_format": format,
        "sha256": hashlib.sha256(content).hexdigest(),
        "rows": len(data),
        "columns": [_column_spec(str(c), data[c]) for c in data.columns],
        "index": {"name": data.index.name, "dtype": str(data.index.dtype)},
        "raw": {"name": source.name if source is not None else None,
                "path": _relative(raw, folder_path), "sha256": responses.sha256},
        "instrument": {"id": inst.id, "version": inst.version,
                       "path": _relative(inst.source, folder_path), "sha256": inst.sha256},
        "study": _relative(responses.study, folder_path),
        "min_group_size": responses.min_group_size,
        "id_column": responses.id_column,
        "meta_columns": list(responses.meta_columns),
        "unmatched": list(responses.unmatched),
        "coercions": len(responses.coercions),
        "exclusions": _safe_exclusions(responses.exclusions),
        "ids_pseudonymised": _ids_pseudonymised(responses),
        "cxresearch": __version__,
        "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    text = json.dumps(sidecar, indent=2, ensure_ascii=False, default=_json_value) + "\n"
    atomic_write_bytes(target, content)
    atomic_write_bytes(side, text.encode("utf-8"))
    return target


def _read_sidecar(path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """(data file, sidecar, sidecar content) for a data file or a sidecar path."""
    side = path if path.suffix.casefold() == ".json" else sidecar_path(path)
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(Code.DATA_FORMAT, "no sidecar: read_clean reads only files written by "
                    f"write_clean, which writes {side.name} beside the data", side,
                    "write the clean data with write_clean, or read the file with "
                    "read_responses") from None
    except json.JSONDecodeError as exc:
        raise _fail(Code.DATA_FORMAT, f"the sidecar is not valid JSON: {exc.msg}", side,
                    "write the clean data again with write_clean", line=exc.lineno,
                    column=exc.colno) from None
    if not isinstance(meta, dict) or meta.get("format") != SIDECAR_FORMAT:
        raise _fail(Code.DATA_FORMAT, f"this JSON file is not a {SIDECAR_FORMAT} sidecar",
                    side, "give the clean data file written by write_clean")
    if not isinstance(meta.get("version"), int) or meta["version"] > _VERSION:
        raise _fail(Code.DATA_FORMAT, f"sidecar version {meta.get('version')!r} is newer "
                    "than this cxresearch reads", side, "update cxresearch",
                    allowed=str(_VERSION))
    data_path = side.parent / str(meta.get("file"))
    if path.suffix.casefold() != ".json" and data_path.resolve() != path.resolve():
        raise _fail(Code.DATA_CLEAN_MISMATCH, f"the sidecar describes {meta.get('file')}, "
                    f"not {path.name}", side, "write the clean data again with write_clean")
    return data_path, side, meta


def _restore(values: pd.Series, spec: dict[str, Any]) -> pd.Series:
    """``values`` (as read from Parquet or CSV text) with the dtype ``spec`` records."""
    dtype = str(spec["dtype"])
    if dtype == "category":
        categories = list(spec.get("categories") or [])
        target = pd.CategoricalDtype(categories, ordered=bool(spec.get("ordered")))
        if isinstance(values.dtype, pd.CategoricalDtype) and values.dtype == target:
            return values
        numeric = bool(categories) and all(isinstance(c, (int, float))
                                           and not isinstance(c, bool) for c in categories)
        if numeric:
            values = pd.to_numeric(values.astype(object))
        return values.astype(target)
    if str(values.dtype) == dtype:
        return values
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values).astype(dtype)
    if dtype in ("boolean", "bool"):
        mapped = values.map({"True": True, "False": False, True: True, False: False})
        return mapped.astype(dtype)
    if dtype in ("object", "str"):
        return values
    if dtype[:3].lower() in ("int", "flo", "uin"):
        return pd.to_numeric(values.astype(object)).astype(dtype)
    return values.astype(dtype)


def read_clean(path: str | os.PathLike[str],
               survey: Instrument | str | os.PathLike[str] | None = None) -> Responses:
    """Read clean data written by :func:`write_clean`, checked against its sidecar.

    Parameters
    ----------
    path : path-like
        The data file (``.parquet`` or ``.csv``) or its sidecar (``.json``).
    survey : Instrument or path, optional
        The instrument. Default: the file the sidecar records (its path is relative to
        the sidecar, so a copied study folder still finds it).

    Returns
    -------
    Responses
        The data with the dtypes they were written with, the raw file's path and sha256
        as ``source`` and ``sha256`` (so results still name what they were computed
        from), the exclusions, study and ``min_group_size`` recorded. ``coercions`` is
        empty: only their number is in the sidecar.

    Raises
    ------
    DataError
        CX211 when the sidecar or data file is missing or unreadable, or no instrument
        is found; CX214 when the data file does not match its sidecar (sha256, rows,
        columns, dtypes, values outside the recorded categories) or the instrument is
        another one than recorded.
    """
    data_path, side, meta = _read_sidecar(Path(path))
    if not data_path.is_file():
        raise _fail(Code.DATA_FORMAT, f"the data file {data_path.name} named by the sidecar "
                    "is missing", data_path, "write the clean data again with write_clean")
    fix = "write the clean data again with write_clean from the raw data"
    if file_sha256(data_path) != meta.get("sha256"):
        raise _fail(Code.DATA_CLEAN_MISMATCH, "the data file changed after write_clean wrote "
                    f"it: its sha256 differs from the one in {side.name}", data_path, fix)
    specs: list[dict[str, Any]] = list(meta.get("columns") or [])
    if meta.get("file_format") == "csv":
        frame = pd.read_csv(data_path, dtype=str, keep_default_na=False, na_values=[""],
                            index_col=0, encoding="utf-8")
    else:
        from .._optional import import_optional

        import_optional("pyarrow", "data", "Reading Parquet files")
        frame = pd.read_parquet(data_path, engine="pyarrow")
    names = [str(s["name"]) for s in specs]
    if len(frame) != meta.get("rows") or [str(c) for c in frame.columns] != names:
        raise _fail(Code.DATA_CLEAN_MISMATCH, f"the data have {len(frame)} rows and columns "
                    f"{', '.join(map(str, frame.columns[:8]))}; the sidecar records "
                    f"{meta.get('rows')} rows and {', '.join(names[:8])}", data_path, fix)
    for spec in specs:
        column = str(spec["name"])
        before = int(frame[column].notna().sum())
        try:
            restored = _restore(frame[column], spec)
        except (TypeError, ValueError) as exc:
            raise _fail(Code.DATA_CLEAN_MISMATCH, f"column '{column}' cannot be read as "
                        f"{spec['dtype']}: {exc}", data_path, fix) from None
        if int(restored.notna().sum()) != before:
            raise _fail(Code.DATA_CLEAN_MISMATCH, f"column '{column}' holds values outside "
                        "the categories its sidecar records", data_path, fix)
        frame[column] = restored
    index = meta.get("index") or {}
    if str(frame.index.dtype) != index.get("dtype") and str(index.get("dtype")).startswith("int"):
        frame.index = frame.index.astype(str(index["dtype"]))
    frame.index.name = index.get("name")

    recorded = meta.get("instrument") or {}
    if survey is None:
        if not recorded.get("path"):
            raise _fail(Code.DATA_FORMAT, "the sidecar records no instrument file", side,
                        "pass the instrument: read_clean(path, survey=...)")
        survey = side.parent / str(recorded["path"])
        if not Path(survey).is_file():
            raise _fail(Code.DATA_FORMAT, f"the instrument {survey} the sidecar records is "
                        "missing", side, "pass the instrument: read_clean(path, survey=...)")
    if isinstance(survey, Instrument):
        inst = survey
    else:
        from ..instrument import load_instrument

        inst = load_instrument(Path(survey))
    if recorded.get("id") is not None and inst.id != recorded["id"]:
        raise _fail(Code.DATA_CLEAN_MISMATCH, f"the data answer instrument "
                    f"'{recorded['id']}', not '{inst.id}'", side,
                    "pass the instrument the data were read with", given=inst.id,
                    allowed=str(recorded["id"]))
    raw = meta.get("raw") or {}
    raw_path = raw.get("path")
    study = meta.get("study")
    return Responses(
        frame, inst,
        source=str((side.parent / raw_path).resolve()) if raw_path else raw.get("name"),
        sha256=raw.get("sha256"), id_column=str(meta.get("id_column", "respondent_id")),
        meta_columns=list(meta.get("meta_columns") or []),
        unmatched=list(meta.get("unmatched") or []),
        exclusions=list(meta.get("exclusions") or []),
        min_group_size=int(meta.get("min_group_size", 5)),
        study=str((side.parent / study).resolve()) if study else None)
