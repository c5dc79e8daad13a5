"""Privacy by default: pseudonymous ids, no direct identifiers, no small groups.

The three safeguards of DESIGN.md ("Privacy by default"), written here because no
well-kept library does them for survey data in this shape:

* :func:`pseudonymise` replaces respondent ids by a keyed hash (HMAC-SHA256). The key
  is kept outside the study folder, so the data alone cannot be linked back to people
  (pseudonymisation in the sense of GDPR art. 4(5): the "additional information" is the
  key, kept separately). :func:`new_key` makes a key; :func:`default_key_path` says
  where it lives.
* :func:`mask_identifiers` drops direct identifiers (names, e-mail, phone, address).
* :func:`suppress_small_cells` hides every group smaller than the study's minimum group
  size in a table of counts, also where it could be recovered by subtracting shown cells
  from a shown total; :func:`small_cell_mask` gives the same decision as a mask.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Hashable, Iterable, Sequence, overload

import numpy as np
import pandas as pd

from ..errors import CxResearchError
from .responses import Responses

__all__ = [
    "ENV_KEY",
    "ENV_KEY_FILE",
    "MARGIN_LABELS",
    "PrivacyError",
    "default_key_path",
    "mask_identifiers",
    "new_key",
    "pseudonymise",
    "small_cell_mask",
    "suppress_small_cells",
]

ENV_KEY = "CXRESEARCH_KEY"
"""Environment variable holding the pseudonymisation key itself (hex or text)."""
ENV_KEY_FILE = "CXRESEARCH_KEY_FILE"
"""Environment variable holding the path of a key file."""
MARGIN_LABELS: frozenset[str] = frozenset({"total", "totaal", "all"})
"""Labels (compared case-insensitively) that mark a margin: a row, column or group that
is the total of the others, as ``pandas.crosstab(margins=True)`` makes ("All")."""

_MIN_KEY_BYTES = 16
_DIGEST_CHARS = 16  # hex characters kept from the HMAC: 64 bits
_KEY_HOWTO = ("Make one with the command `cxresearch key new`, or in Python: "
              "`from cxresearch.data.privacy import new_key; new_key()`.")


class PrivacyError(CxResearchError, ValueError):
    """A privacy safeguard could not be applied (missing or misplaced key, bad input)."""


# --------------------------------------------------------------------------- keys


def default_key_path() -> Path:
    """Where the pseudonymisation key lives unless told otherwise.

    ``$XDG_CONFIG_HOME/cxresearch/pseudonymisation.key`` when ``XDG_CONFIG_HOME`` is set
    to an absolute path (XDG Base Directory spec), else
    ``~/.config/cxresearch/pseudonymisation.key``: in the user's home, never in a study.
    """
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "cxresearch" / "pseudonymisation.key"


def _check_location(path: Path, study: str | os.PathLike[str] | None) -> None:
    """Refuse a key file inside ``study`` or inside any folder holding a ``study.yaml``."""
    resolved = path.expanduser().resolve()
    folders = [Path(study).expanduser().resolve()] if study is not None else []
    folders += [f for f in resolved.parents if (f / "study.yaml").is_file()]
    for folder in folders:
        if resolved.is_relative_to(folder):
            raise PrivacyError(
                f"The pseudonymisation key {resolved} lies inside the study folder {folder}. "
                "A key stored with the data travels with it (copies, archives, git), and "
                "anyone who holds both can link the pseudonyms back to respondent ids. "
                f"Move it out of the study, e.g. to {default_key_path()} (the default place), "
                f"or point ${ENV_KEY_FILE} at a file outside the study folder.")


def _key_bytes(material: bytes | str, source: str) -> bytes:
    """Key material as bytes: hex text is decoded, other text is taken as UTF-8."""
    text: str | None = material if isinstance(material, str) else None
    if not isinstance(material, str):
        raw, how = bytes(material), "bytes"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass  # a binary key is taken as it is
    if text is not None:
        text = text.strip()
        if text and len(text) % 2 == 0 and re.fullmatch(r"[0-9a-fA-F]+", text):
            raw, how = bytes.fromhex(text), "read as hex"
        else:
            raw, how = text.encode("utf-8"), "read as text"
    if len(raw) < _MIN_KEY_BYTES:
        raise PrivacyError(
            f"The pseudonymisation key from {source} is {len(raw)} bytes long ({how}); at "
            f"least {_MIN_KEY_BYTES} bytes are needed. Respondent ids are often short "
            "numbers, so with a short key one can try every key and id and undo the "
            f"pseudonymisation. {_KEY_HOWTO}")
    return raw


def _read_key_file(path: Path, source: str, study: str | os.PathLike[str] | None) -> bytes:
    path = path.expanduser()
    _check_location(path, study)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise PrivacyError(f"The key file {path} (from {source}) does not exist. Correct the "
                           f"path, or make a key there with new_key({str(path)!r}).") from None
    except OSError as exc:
        raise PrivacyError(f"The key file {path} (from {source}) cannot be read: "
                           f"{exc.strerror or exc}. Check that it is a readable file.") from None
    return _key_bytes(content, f"{source} ({path})")


def _resolve_key(key: bytes | str | None, key_file: str | os.PathLike[str] | None,
                 study: str | os.PathLike[str] | None) -> bytes:
    if key is not None:
        if not isinstance(key, (bytes, bytearray, str)):
            raise PrivacyError(f"The key argument must be bytes or str; given: "
                               f"{type(key).__name__}. {_KEY_HOWTO}")
        return _key_bytes(key, "the key argument")
    if key_file is not None:
        return _read_key_file(Path(key_file), "the key_file argument", study)
    if os.environ.get(ENV_KEY, "").strip():
        return _key_bytes(os.environ[ENV_KEY], f"${ENV_KEY}")
    if os.environ.get(ENV_KEY_FILE, "").strip():
        return _read_key_file(Path(os.environ[ENV_KEY_FILE].strip()), f"${ENV_KEY_FILE}", study)
    default = default_key_path()
    if default.exists():
        return _read_key_file(default, "the default key file", study)
    raise PrivacyError(
        "No pseudonymisation key was found. Looked at, in order: the key argument (not "
        f"given), the key_file argument (not given), ${ENV_KEY} (not set), ${ENV_KEY_FILE} "
        f"(not set), the default file {default} (does not exist). {_KEY_HOWTO} Keep the "
        "key outside the study folder and keep it safe: the same key is needed to give "
        "later waves the same pseudonyms.")


def new_key(path: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
    """Write a new random pseudonymisation key and return its path.

    The key is 32 random bytes (:func:`secrets.token_bytes`) written as 64 hex
    characters and a newline, readable by the owner only (mode 0600); missing folders
    are made (mode 0700).

    Parameters
    ----------
    path : path-like, optional
        Where to write it; default :func:`default_key_path`. Never inside a study folder.
    force : bool
        Overwrite an existing key. Pseudonyms made with the old key then no longer match
        new ones, so earlier waves cannot be linked to later ones.

    Returns
    -------
    pathlib.Path
        The key file.
    """
    target = (Path(path) if path is not None else default_key_path()).expanduser()
    _check_location(target, None)
    if target.exists() and not force:
        raise PrivacyError(
            f"A pseudonymisation key already exists at {target}; it was not overwritten. "
            "A new key gives every respondent a new pseudonym, so data pseudonymised "
            "before could no longer be linked. To replace it anyway: new_key(force=True) "
            "or `cxresearch key new --force`.")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = (secrets.token_bytes(32).hex() + "\n").encode("ascii")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)  # 0600
    try:  # written beside, then renamed: a reader sees the old key or the new, never half
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    os.chmod(target, 0o600)
    return target


# --------------------------------------------------------------------------- pseudonyms


def _id_text(value: object) -> str | None:
    """The text that is hashed for one id, or None when the id is missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if float(value).is_integer():  # 123.0 (an integer column with gaps) -> "123"
            value = int(value)
    text = str(value).strip()
    return text or None


@overload
def pseudonymise(data: Responses, column: str | None = ..., *, key: bytes | str | None = ...,
                 key_file: str | os.PathLike[str] | None = ...,
                 study: str | os.PathLike[str] | None = ..., prefix: str = ...) -> Responses: ...
@overload
def pseudonymise(data: pd.DataFrame, column: str | None = ..., *,
                 key: bytes | str | None = ..., key_file: str | os.PathLike[str] | None = ...,
                 study: str | os.PathLike[str] | None = ..., prefix: str = ...) -> pd.DataFrame: ...
def pseudonymise(data: Responses | pd.DataFrame, column: str | None = None, *,
                 key: bytes | str | None = None, key_file: str | os.PathLike[str] | None = None,
                 study: str | os.PathLike[str] | None = None,
                 prefix: str = "r_") -> Responses | pd.DataFrame:
    """Replace respondent ids by keyed pseudonyms.

    Parameters
    ----------
    data : Responses or pandas.DataFrame
        The answers. Not changed: a new object is returned.
    column : str, optional
        The id column; default ``data.id_column`` for :class:`Responses`, else
        ``"respondent_id"``.
    key : bytes or str, optional
        The key itself. Don't write a key into a notebook: notebooks live in the study.
    key_file : path-like, optional
        A file holding the key (as :func:`new_key` writes it).
    study : path-like, optional
        The study folder; a key file inside it is refused.
    prefix : str
        Put before the hex digits, so a pseudonym is never mistaken for a number.

    Returns
    -------
    Responses or pandas.DataFrame
        Same kind as ``data``, with the id column replaced (dtype ``string``; missing ids
        stay missing). For Responses, id values in ``coercions`` are replaced too.

    Raises
    ------
    PrivacyError
        No key found, key inside a study folder, key shorter than 16 bytes, the column is
        missing, the ids already are pseudonyms, or two ids got the same pseudonym.

    Notes
    -----
    The key is the first found of: ``key``; ``key_file``; ``$CXRESEARCH_KEY`` (hex or
    text); the file named by ``$CXRESEARCH_KEY_FILE``; :func:`default_key_path`. Key
    material is stripped of surrounding white space; an even number of hex digits is
    decoded as hex, other text is taken as UTF-8, so a key file and its contents
    passed as ``key`` give the same pseudonyms. A key file in a folder that holds a
    ``study.yaml`` (or any of its parents does) is refused.

    Each id is made text (``str``, surrounding white space removed; a float that is a
    whole number is written as an integer, so ``123.0`` and ``123`` agree; empty text is
    missing), and

    .. math:: \\mathrm{pseudonym} = \\mathrm{prefix} + \\mathrm{hex}(
              \\mathrm{HMAC\\text{-}SHA256}(K, \\mathrm{utf8}(id)))_{1..16}

    (HMAC: RFC 2104; SHA-256: FIPS 180-4; computed with Python's :mod:`hmac`). The same
    key gives the same pseudonym in every wave and file, so panels link; another key
    gives unrelated pseudonyms. Keeping 16 hex digits (64 bits), the chance that two of
    ``n`` distinct ids share a pseudonym is about :math:`n^2 / 2^{65}`: 2.7e-12 for
    10 000 ids, 2.7e-8 for a million. A collision in the data is detected and raised.

    Examples
    --------
    >>> df = pd.DataFrame({"respondent_id": [101, 102, None]})
    >>> pseudonymise(df, key="k" * 16)["respondent_id"].tolist()  # doctest: +ELLIPSIS
    ['r_...', 'r_...', <NA>]
    """
    if isinstance(data, Responses):
        frame, col = data.data, column or data.id_column
    elif isinstance(data, pd.DataFrame):
        frame, col = data, column or "respondent_id"
    else:
        raise PrivacyError(f"pseudonymise: data must be a Responses or a pandas DataFrame; "
                           f"given: {type(data).__name__}.")
    if col not in frame.columns:
        raise PrivacyError(f"pseudonymise: there is no id column '{col}'; the columns are "
                           f"{', '.join(map(str, frame.columns))}. Pass column='...'.")
    secret = _resolve_key(key, key_file, study)
    texts = [_id_text(v) for v in frame[col].tolist()]
    present = [t for t in texts if t is not None]
    shape = re.compile(re.escape(prefix) + f"[0-9a-f]{{{_DIGEST_CHARS}}}")
    if prefix and present and all(shape.fullmatch(t) for t in present):
        raise PrivacyError(
            f"pseudonymise: every id in column '{col}' already looks like a pseudonym "
            f"('{prefix}' and {_DIGEST_CHARS} hex digits). Pseudonymising twice gives ids "
            "that no longer match other waves; pseudonymise the raw ids once.")

    made: dict[str, str] = {}
    owner: dict[str, tuple[str, Hashable]] = {}

    def one(text: str | None, label: Hashable) -> str | None:
        if text is None:
            return None
        if text not in made:
            digest = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
            made[text] = pseud = prefix + digest[:_DIGEST_CHARS]
            if pseud in owner:
                bits = 4 * _DIGEST_CHARS
                chance = -math.expm1(-len(present) ** 2 / 2 ** (bits + 1))
                raise PrivacyError(
                    f"pseudonymise: two different ids in column '{col}' (rows "
                    f"{owner[pseud][1]!r} and {label!r}) got the same pseudonym {pseud}. "
                    f"With {bits} bits this happens by chance with probability about "
                    f"{chance:.1e} for {len(present)} ids. Make a new key with "
                    "new_key(force=True) and pseudonymise every wave again with it.")
            owner[pseud] = (text, label)
        return made[text]

    values = [one(t, label) for t, label in zip(texts, frame.index)]
    out = frame.copy()
    out[col] = pd.array(values, dtype="string")
    if not isinstance(data, Responses):
        return out
    coercions = data.coercions
    if {"column", "value"} <= set(coercions.columns) and (coercions["column"] == col).any():
        coercions = coercions.copy()
        rows = coercions["column"] == col
        coercions["value"] = coercions["value"].astype(object)
        coercions.loc[rows, "value"] = [one(_id_text(v), "coercions")
                                        for v in coercions.loc[rows, "value"]]
    return data.with_data(out, coercions=coercions)


@overload
def mask_identifiers(responses: Responses,
                     columns: str | Iterable[str] | None = ...) -> Responses: ...
@overload
def mask_identifiers(responses: pd.DataFrame,
                     columns: str | Iterable[str] | None = ...) -> pd.DataFrame: ...
def mask_identifiers(responses: Responses | pd.DataFrame,
                     columns: str | Iterable[str] | None = None) -> Responses | pd.DataFrame:
    """Drop direct identifiers (names, e-mail, phone, address) from the data.

    Parameters
    ----------
    responses : Responses or pandas.DataFrame
        The answers. Not changed: a new object is returned.
    columns : str or iterable of str, optional
        Further columns to drop, e.g. ``["email"]``. Each must exist.

    Returns
    -------
    Responses or pandas.DataFrame
        Without the dropped columns. For Responses, the answer fields of every question
        marked ``personal: direct`` in the instrument are dropped too (those present),
        ``meta_columns`` forgets dropped names, and coerced values of dropped columns in
        ``coercions`` are blanked. What was dropped is the difference between the old and
        new ``data.columns``.

    Notes
    -----
    Direct identifiers identify a person on their own and are rarely needed for
    analysis; pseudonymise the respondent id with :func:`pseudonymise` instead of
    dropping it, which is refused here. Indirect identifiers (``personal: indirect``,
    e.g. age band and team) are kept: they are guarded by :func:`suppress_small_cells`.
    """
    frame = responses.data if isinstance(responses, Responses) else responses
    asked = [columns] if isinstance(columns, str) else list(columns or [])
    unknown = [c for c in asked if c not in frame.columns]
    if unknown:
        raise PrivacyError(f"mask_identifiers: no column {', '.join(map(repr, unknown))} in the "
                           f"data; the columns are {', '.join(map(str, frame.columns))}.")
    drop = list(dict.fromkeys(asked))
    if not isinstance(responses, Responses):
        return frame.drop(columns=drop)
    for q in responses.survey.questions():
        if getattr(q, "personal", None) == "direct":
            drop += [f for f in q.field_ids() if f in frame.columns and f not in drop]
    if responses.id_column in drop:
        raise PrivacyError(f"mask_identifiers: '{responses.id_column}' is the respondent id "
                           "column; pseudonymise it with pseudonymise() instead of dropping it.")
    coercions = responses.coercions
    if {"column", "value"} <= set(coercions.columns) and coercions["column"].isin(drop).any():
        coercions = coercions.copy()
        coercions["value"] = coercions["value"].astype(object)
        coercions.loc[coercions["column"].isin(drop), "value"] = None
    return responses.with_data(frame.drop(columns=drop), coercions=coercions,
                               meta_columns=[c for c in responses.meta_columns if c not in drop])


# --------------------------------------------------------------------------- small cells

_Key = tuple[Hashable, ...]


def _is_margin(label: object) -> bool:
    if isinstance(label, tuple):
        return any(_is_margin(part) for part in label)
    return isinstance(label, str) and label.strip().casefold() in MARGIN_LABELS


def _counts(values: pd.DataFrame, keys: Sequence[_Key], what: str,
            dims: Sequence[str]) -> np.ndarray:
    """Validated counts as floats (NaN = not shown already), flattened row by row."""
    for name, dtype in values.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise PrivacyError(f"suppress_small_cells: {what} must hold counts (whole numbers "
                               f"≥ 0); column '{name}' has dtype {dtype}. Pass a table of "
                               "counts, or name the count column of a tidy table with count=.")
    arr = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan).ravel()
    bad = np.flatnonzero(~np.isnan(arr) & ((arr < 0) | ~np.isfinite(arr) | (arr % 1 != 0)))
    if bad.size:
        i = int(bad[0])
        raise PrivacyError(
            "suppress_small_cells: counts must be whole numbers ≥ 0; the cell "
            f"{', '.join(f'{d} {v!r}' for d, v in zip(dims, keys[i]))} of {what} is "
            f"{arr[i]:g}. Suppress a table of counts (e.g. pandas.crosstab), then hide "
            "percentages or means made from it with small_cell_mask().")
    return arr


def _plan(keys: Sequence[_Key], counts: np.ndarray, min_group_size: int,
          total: int | None) -> np.ndarray:
    """Which cells to hide: the primary and complementary suppression of the docstring."""
    n = len(keys)
    k = len(keys[0]) if n else 0
    suppressed = np.isnan(counts) | ((counts > 0) & (counts < min_group_size))
    margin = np.array([[_is_margin(key[d]) for d in range(k)] for key in keys],
                      dtype=bool).reshape(n, k)
    lines: list[tuple[np.ndarray, np.ndarray]] = []  # (cells, which of them is a total)
    for d in range(k):
        groups: dict[_Key, list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault(key[:d] + key[d + 1:], []).append(i)
        for members in groups.values():
            idx = np.array(members, dtype=int)
            if margin[idx, d].any():
                lines.append((idx, margin[idx, d]))
                tot = counts[idx][margin[idx, d]]
                if ((tot > 0) & (tot < min_group_size)).any():
                    suppressed[idx] = True  # a small group shows nothing, not even zeros
    if total is not None:
        idx = np.flatnonzero(~margin.any(axis=1))
        lines.append((idx, np.zeros(idx.size, dtype=bool)))
        if 0 < total < min_group_size:
            suppressed[idx] = True
    changed = True
    while changed:  # ends: every pass hides at least one more cell, or stops
        changed = False
        for idx, is_total in lines:
            line = suppressed[idx]
            if line.sum() != 1:
                continue
            free = np.flatnonzero(~line)
            if free.size == 0:
                continue
            pick = min(free, key=lambda j: (counts[idx[j]] == 0, bool(is_total[j]),
                                            counts[idx[j]], j))
            suppressed[idx[pick]] = True
            changed = True
    return suppressed


def _check_args(min_group_size: object, total: object) -> None:
    if (isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer))
            or min_group_size < 1):
        raise PrivacyError("suppress_small_cells: min_group_size must be a whole number ≥ 1 "
                           "(the study's minimum group size, default 5); given: "
                           f"{min_group_size!r}.")
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, np.integer))
                              or total < 0):
        raise PrivacyError("suppress_small_cells: total must be None or a whole number ≥ 0 "
                           f"(the shown total count); given: {total!r}.")


def _tidy_groups(table: pd.DataFrame, count: str,
                 groups: str | Sequence[str] | None) -> list[str]:
    if count not in table.columns:
        raise PrivacyError(f"suppress_small_cells: no count column '{count}'; the columns are "
                           f"{', '.join(map(str, table.columns))}. Pass count='<column of n>'.")
    if any(_is_margin(label) for label in table.index):
        raise PrivacyError("suppress_small_cells: the index of a tidy table holds a margin "
                           "(Total/Totaal/All); move the groups into columns with "
                           "table.reset_index() and name them with groups=.")
    if groups is not None:
        chosen = [groups] if isinstance(groups, str) else list(groups)
        missing = [g for g in chosen if g not in table.columns or g == count]
        if missing:
            raise PrivacyError(f"suppress_small_cells: groups {missing} are not group columns; "
                               f"the columns are {', '.join(map(str, table.columns))}.")
        return chosen
    chosen = [c for c in table.columns
              if c != count and not pd.api.types.is_float_dtype(table[c].dtype)]
    if len(chosen) > 1 and any(table[c].map(_is_margin).any() for c in chosen):
        raise PrivacyError(f"suppress_small_cells: the table has margin rows, and the group "
                           f"columns cannot be told apart from value columns among {chosen}. "
                           "Pass groups=[...] with the columns that define the groups.")
    return chosen


def _decide(table: pd.DataFrame | pd.Series, min_group_size: int, count: str | None,
            total: int | None, groups: str | Sequence[str] | None,
            ) -> tuple[np.ndarray, list[str] | None]:
    _check_args(min_group_size, total)
    gcols: list[str] | None = None
    if isinstance(table, pd.Series):
        keys: list[_Key] = [(label,) for label in table.index]
        counts = _counts(table.to_frame(), keys, "the Series", ["index"])
    elif isinstance(table, pd.DataFrame) and count is None:
        keys = [(r, c) for r in table.index for c in table.columns]
        counts = _counts(table, keys, "the table", ["row", "column"])
    elif isinstance(table, pd.DataFrame) and count is not None:
        gcols = _tidy_groups(table, count, groups)
        keys = list(table[gcols].itertuples(index=False, name=None))
        if len(set(keys)) < len(keys) and any(_is_margin(k) for k in keys):
            raise PrivacyError(f"suppress_small_cells: the groups {gcols} do not identify the "
                               "rows (some combination occurs twice); pass groups= with every "
                               "column that defines a group.")
        counts = _counts(table[[count]], keys, f"column '{count}'", gcols)
    else:
        raise PrivacyError("suppress_small_cells: table must be a pandas DataFrame or Series "
                           f"of counts; given: {type(table).__name__}.")
    if total is not None:
        inner = sum(v for key, v in zip(keys, counts) if not _is_margin(key) and v == v)
        if total < inner:
            raise PrivacyError(f"suppress_small_cells: total={total} is smaller than the sum "
                               f"of the counts ({inner:g}); pass the total the table is part of.")
    return _plan(keys, counts, int(min_group_size), total), gcols


def _blank(column: pd.Series, hide: np.ndarray) -> pd.Series:
    if pd.api.types.is_bool_dtype(column.dtype):
        column = column.astype("boolean")
    elif pd.api.types.is_integer_dtype(column.dtype):
        column = column.astype("Int64")
    return column.mask(hide)


def suppress_small_cells(table: pd.DataFrame | pd.Series, min_group_size: int = 5, *,
                         count: str | None = None, total: int | None = None,
                         groups: str | Sequence[str] | None = None,
                         ) -> pd.DataFrame | pd.Series:
    """Hide every group smaller than the minimum group size, also from subtraction.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Counts in one of three forms: a crosstab (index = groups, columns = categories;
        every cell a count), a Series of counts, or a tidy table with one row per group,
        its count in column ``count`` and other value columns (means, percentages).
        Rows, columns or groups labelled Total, Totaal or All (any case; see
        :data:`MARGIN_LABELS`) are margins, i.e. totals of the others.
    min_group_size : int
        The study's minimum group size (``Instrument.min_group_size``, default 5).
    count : str, optional
        The count column of a tidy table. Leave out for a crosstab or Series.
    total : int, optional
        A total shown elsewhere (e.g. "n = 212" in the title) of which the non-margin
        cells are parts; it makes them one more line for complementary suppression.
    groups : str or list of str, optional
        The group columns of a tidy table; default every column except ``count`` that
        is not a float column (asked for when that is ambiguous and margins exist).

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A new object of the same form. Hidden counts are ``<NA>`` (counts become
        ``Int64``); in a tidy table the count and every value column of a hidden row are
        missing, the group columns stay.

    Notes
    -----
    *Primary suppression*: a cell with :math:`0 < n < m` (``m = min_group_size``) is
    hidden, margins included. Zeros are shown: a zero is no person, and "nobody in this
    group chose X" is needed to read a table; except in a line whose total is itself
    small (:math:`0 < N < m`): that group must not be shown at all, so its zeros are
    hidden too (they would tell what all of its few members answered). Counts already
    missing count as hidden.

    *Complementary (secondary) suppression*: a *line* is a row or column that has a
    margin (the cells along one group dimension with the others fixed, margin included),
    plus the non-margin cells when ``total`` is given. In a line, one hidden cell is
    recovered by subtraction, :math:`n_j = N - \\sum_{i \\ne j} n_i`. So while some line
    has exactly one hidden cell, its smallest non-zero shown cell (margin last, zeros
    last of all) is hidden too; this repeats until every line has no hidden cell or at
    least two. It ends because every pass hides a new cell.

    This is the classic heuristic for complementary suppression (Hundepool et al. 2012,
    *Statistical Disclosure Control*, Wiley, §4.4). It blocks recovery from one line;
    it does not compute the feasibility intervals left when several lines are combined
    (as tau-ARGUS or R's sdcTable do), so use those for official statistics. Subtotals
    inside a MultiIndex are not recognised: give such tables in tidy form, one group
    column per level. Percentages and means must be made from the counts and hidden
    with :func:`small_cell_mask`.

    Examples
    --------
    Without margins only the small cell goes; with them, subtraction must be blocked:

    >>> t = pd.DataFrame({"yes": [3, 20], "no": [10, 30]}, index=["a", "b"])
    >>> suppress_small_cells(t)
        yes  no
    a  <NA>  10
    b    20  30
    >>> t.loc["a", "Total"], t.loc["b", "Total"] = 13, 50
    >>> t.loc["Total"] = [23, 40, 63]
    >>> suppress_small_cells(t)
            yes    no  Total
    a      <NA>  <NA>     13
    b      <NA>  <NA>     50
    Total    23    40     63
    """
    hide, gcols = _decide(table, min_group_size, count, total, groups)
    if isinstance(table, pd.Series):
        return _blank(table.astype("Float64").astype("Int64"), hide)
    if count is None:
        out = table.astype("Float64").astype("Int64")
        return out.mask(hide.reshape(table.shape))
    out = table.copy()
    out[count] = table[count].astype("Float64").astype("Int64")
    for column in out.columns:
        if column not in (gcols or []):
            out[column] = _blank(out[column], hide)
    return out


def small_cell_mask(table: pd.DataFrame | pd.Series, min_group_size: int = 5, *,
                    count: str | None = None, total: int | None = None,
                    groups: str | Sequence[str] | None = None) -> pd.DataFrame | pd.Series:
    """What :func:`suppress_small_cells` hides, as booleans (True = hidden).

    Same arguments. For a crosstab the mask is a DataFrame shaped like ``table``; for a
    Series or a tidy table (``count=`` given) it is a Series with one value per row.
    Use it to hide derived tables, e.g. ``percentages.mask(small_cell_mask(counts))``.

    Examples
    --------
    >>> small_cell_mask(pd.Series([2, 9, 12], index=["a", "b", "c"]), total=23).tolist()
    [True, True, False]
    """
    hide, _ = _decide(table, min_group_size, count, total, groups)
    if isinstance(table, pd.DataFrame) and count is None:
        return pd.DataFrame(hide.reshape(table.shape), index=table.index, columns=table.columns)
    return pd.Series(hide, index=table.index, name="suppressed")
