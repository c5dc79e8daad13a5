"""Quote tables for reports: every quote with a stable id, its source and position, the
code it illustrates and the case it comes from, scrubbed of personal data, written as a
standalone HTML page or an Excel workbook (re-exported by :mod:`cxresearch.qual.analysis`).

A quote id is made of the transcript id and the segment's own part of its id
(``c01:t0007`` in transcript ``c01`` gives ``Q-c01-t0007``), never of a row number, so a
report that cites ``Q-c01-t0007`` still points at the same words after more interviews
are coded or the table is filtered or sorted.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .._optional import import_optional
from ..stats._check import shown
from .analysis import (_check_code_list, _check_min_group_size, _coded_inputs, _listed,
                       _touchpoint_of)
from .model import CASE_ATTRIBUTES, Codebook, Coding, QualError, Transcript

__all__ = ["FORMULA_STARTS", "QUOTE_COLUMNS", "quote_id", "quote_table",
           "write_quotes_excel", "write_quotes_html"]

QUOTE_COLUMNS = ("quote_id", "transcript", "segment_id", "source", "start", "end", "line",
                 "speaker", "code", "code_name", "code_path", "touchpoint", "coders",
                 "quote", "scrubbed")
"""Columns of :func:`quote_table`; the case attributes come between ``coders`` and
``quote``."""

FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters (after spaces, tabs and line breaks) that make a spreadsheet read a
cell as a formula (with their full-width forms); :func:`write_quotes_excel` puts an
apostrophe before such text."""

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Quotes", "Citaten"),
    "summary": ("{n} quotes from {k} interviews", "{n} citaten uit {k} interviews"),
    "scrubbed": ("Personal data (names, e-mail addresses, phone numbers, IBANs, "
                 "addresses, BSNs) are replaced by placeholders such as [NAME]; read "
                 "every quote before it leaves the research team.",
                 "Persoonsgegevens (namen, e-mailadressen, telefoonnummers, IBAN's, "
                 "adressen, BSN's) zijn vervangen door plaatshouders zoals [NAME]; lees "
                 "elk citaat voordat het buiten het onderzoeksteam komt."),
    "not_scrubbed": ("These quotes are NOT scrubbed of personal data: for the research "
                     "team only.", "Deze citaten zijn NIET geschoond van "
                     "persoonsgegevens: alleen voor het onderzoeksteam."),
    "hidden": ("Case attributes shared by fewer than {k} interviews are not shown.",
               "Kenmerken die minder dan {k} interviews delen, worden niet getoond."),
    "col_id": ("Quote", "Citaat"), "col_code": ("Code", "Code"),
    "col_quote": ("Words", "Woorden"), "col_speaker": ("Speaker", "Spreker"),
    "col_case": ("Case", "Casus"), "col_source": ("Source", "Bron"),
    "chars": ("characters {start}-{end}", "tekens {start}-{end}"),
    "line": ("line {line}", "regel {line}"),
}


def _w(key: str, lang: str, **values: Any) -> str:
    en, nl = _WORDS[key]
    return (nl if lang == "nl" else en).format(**values)


def quote_id(transcript: str, segment: str) -> str:
    """The stable id of a quote: ``Q-<transcript>-<segment>``.

    The segment's id loses its ``<transcript>:`` prefix; characters other than letters,
    digits, ``_``, ``.`` and ``-`` become ``_``.

    Examples
    --------
    >>> quote_id("c01", "c01:t0007")
    'Q-c01-t0007'
    """
    local = segment[len(transcript) + 1:] if segment.startswith(transcript + ":") \
        else segment
    return "Q-" + "-".join(re.sub(r"[^A-Za-z0-9_.\-]", "_", part)
                           for part in (transcript, local))


def quote_table(transcripts: Iterable[Transcript], codings: Iterable[Coding],
                codebook: Codebook, *, codes: Iterable[str] | None = None,
                lang: str = "en", scrub: bool = True,
                min_group_size: int = 5) -> pd.DataFrame:
    """Coded quotes for a report: stable ids, source and offsets, code, case, scrubbed.

    Parameters
    ----------
    transcripts : list of Transcript
    codings : list of Coding
        The codes applied; a segment several coders gave a code is one row, with the
        coders named in ``coders``.
    codebook : Codebook
    codes : list of code ids, optional
        Branches to quote: each code and every code below it. Default every code.
    lang : str
        Language of the code names and paths (a language of the codebook).
    scrub : bool
        Replace personal data in the quote and the speaker with placeholders
        (:func:`cxresearch.data.scrub.scrub_text`). Only for the research team: False.
    min_group_size : int
        A case attribute value fewer transcripts share (of those given) is not shown
        (missing), so a quote cannot be traced to a small group (default 5).

    Returns
    -------
    DataFrame
        One row per quote and code, in transcript order (as given), then position, then
        codebook order; :data:`QUOTE_COLUMNS`: ``quote_id`` (:func:`quote_id`; the same
        for every code of one segment), ``transcript``, ``segment_id``, ``source`` (the
        file), ``start``/``end`` (character offsets in the transcript's text),
        ``line`` (of the source file), ``speaker``, ``code``, ``code_name``,
        ``code_path`` (names in ``lang``, ``Call > Waiting``), ``touchpoint`` (the
        code's or its nearest ancestor's), ``coders``, one column per case attribute,
        ``quote`` and ``scrubbed`` (True where scrubbing changed the quote or speaker).
        ``attrs``: ``lang``, ``scrubbed``, ``case_attributes``, ``min_group_size``,
        ``hidden_attribute_values``, ``n_transcripts``.

    Examples
    --------
    >>> from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, Segment, Transcript
    >>> t = Transcript("c01", "R: Bel me op 06-12345678.", "c01.txt", "ab12", "txt",
    ...                segments=(Segment("c01:t0001", "c01", 3, 25, speaker="R"),))
    >>> book = Codebook((Code("call", {"en": "Call", "nl": "Gesprek"}),))
    >>> coding = Coding("ann", "c01", "ab12", (CodedSegment("c01:t0001", "call"),))
    >>> quote_table([t], [coding], book, lang="nl")[["quote_id", "code_path", "quote"]]
          quote_id code_path               quote
    0  Q-c01-t0001   Gesprek  Bel me op [PHONE].
    """
    from ..data.scrub import scrub_text

    k = _check_min_group_size(min_group_size)
    if not isinstance(scrub, bool):
        raise QualError(f"scrub must be True or False, not {shown(scrub)}")
    cases, book, frame = _coded_inputs(transcripts, codings, codebook)
    languages = tuple(dict.fromkeys((*book.languages, "nl", "en")))
    if lang not in languages:
        raise QualError(f"lang must be one of {_listed(languages)}, not {shown(lang)}")
    if codes is not None:
        roots = _check_code_list(codes, "codes", book)
        wanted = {d for c in roots for d in book.descendants(c)}
        frame = frame[frame["code"].isin(wanted)]
    rank = {c: i for i, c in enumerate(book.ids())}
    where = _touchpoint_of(book)
    spans = {(t.id, s.id): (t, s) for t in cases.values() for s in t.segments}
    order = {tid: i for i, tid in enumerate(cases)}
    grouped = (frame.groupby(["transcript", "segment", "code"], sort=False)["coder"]
               .agg(lambda s: ", ".join(dict.fromkeys(s))).reset_index())
    found = [spans[(t, s)] for t, s in zip(grouped["transcript"], grouped["segment"])]
    grouped["_key"] = [(order[t.id], s.start, s.end, rank[c]) for (t, s), c in
                       zip(found, grouped["code"])]
    grouped["_found"] = found
    grouped = grouped.sort_values("_key", kind="mergesort").reset_index(drop=True)
    found = list(grouped["_found"])
    ids = [quote_id(t.id, s.id) for t, s in found]
    clash = _clashes(ids, [(t.id, s.id) for t, s in found])
    if clash:
        raise QualError(f"two segments get the quote id {sorted(clash)[0]!r}; give the "
                        f"transcripts ids that differ in letters or digits")
    words = [t.quote(s) for t, s in found]
    speakers = [s.speaker for _, s in found]
    if scrub:
        clean = [scrub_text(w) for w in words]
        clean_speakers = [scrub_text(p) if p else p for p in speakers]
        changed = [a != b or p != q for a, b, p, q in zip(words, clean, speakers,
                                                           clean_speakers)]
        words, speakers = clean, clean_speakers
    else:
        changed = [False] * len(words)
    attributes = _attribute_columns(cases)
    shown_values, n_hidden = _visible_values(cases, attributes, k)
    table = pd.DataFrame({
        "quote_id": ids, "transcript": [t.id for t, _ in found],
        "segment_id": [s.id for _, s in found], "source": [t.source for t, _ in found],
        "start": pd.array([s.start for _, s in found], dtype="int64"),
        "end": pd.array([s.end for _, s in found], dtype="int64"),
        "line": pd.array([s.line for _, s in found], dtype="Int64"),
        "speaker": speakers, "code": list(grouped["code"]),
        "code_name": [_name(book, c, lang) for c in grouped["code"]],
        "code_path": [book.path(c, lang=lang) for c in grouped["code"]],
        "touchpoint": [where[c] for c in grouped["code"]],
        "coders": list(grouped["coder"])}, columns=list(QUOTE_COLUMNS[:-2]))
    for name, column in attributes.items():
        table[column] = [shown_values[name].get(t.id) for t, _ in found]
    table["quote"] = words
    table["scrubbed"] = changed
    table.attrs.update({"lang": lang, "scrubbed": scrub,
                        "case_attributes": list(attributes.values()),
                        "min_group_size": k, "hidden_attribute_values": n_hidden,
                        "n_transcripts": len({t.id for t, _ in found})})
    return table


def _clashes(ids: list[str], keys: list[tuple[str, str]]) -> set[str]:
    """Quote ids that two different segments share."""
    owner: dict[str, tuple[str, str]] = {}
    out: set[str] = set()
    for q, key in zip(ids, keys):
        if owner.setdefault(q, key) != key:
            out.add(q)
    return out


def _name(book: Codebook, cid: str, lang: str) -> str:
    name = book.code(cid).name
    return name.get(lang) or next(iter(name.values()), cid)


def _attribute_columns(cases: dict[str, Transcript]) -> dict[str, str]:
    """Case attribute to its column (``case_<name>`` where a name is taken)."""
    names = {a for t in cases.values() for a in t.attributes}
    ordered = [a for a in CASE_ATTRIBUTES if a in names] + \
        sorted(names - set(CASE_ATTRIBUTES))
    return {a: (f"case_{a}" if a in QUOTE_COLUMNS else a) for a in ordered}


def _visible_values(cases: dict[str, Transcript], attributes: dict[str, str], k: int
                    ) -> tuple[dict[str, dict[str, str | None]], int]:
    """Per attribute, each transcript's value, or None where fewer than ``k`` share it."""
    out: dict[str, dict[str, str | None]] = {}
    hidden = 0
    for name in attributes:
        values = {tid: t.attributes.get(name) for tid, t in cases.items()}
        counts = Counter(v for v in values.values() if v is not None)
        small = {v for v, n in counts.items() if n < k}
        hidden += len(small)
        out[name] = {tid: (None if v is None or v in small else str(v))
                     for tid, v in values.items()}
    return out, hidden


# -- writing ----------------------------------------------------------------------------
_NEEDED = ("quote_id", "code_path", "quote", "speaker", "source", "start", "end")

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2a36;
margin:2rem auto;max-width:72rem;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}p.meta{color:#5b6775;margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.92rem}
th,td{border-bottom:1px solid #d5dbe1;padding:.45rem .5rem;text-align:left;
vertical-align:top}th{background:#f4f6f8}td.id{white-space:nowrap;font-family:monospace}
td.quote{max-width:34rem}td.src{color:#5b6775;font-size:.85rem}
@media print{body{margin:0;max-width:none}tr{break-inside:avoid}}
"""


def _check_table(table: Any, where: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise QualError(f"{where}: table must be the DataFrame of quote_table(...), not "
                        f"{type(table).__name__}")
    missing = [c for c in _NEEDED if c not in table.columns]
    if missing:
        raise QualError(f"{where}: table has no column {missing[0]!r}; pass the table of "
                        f"quote_table(...) (columns {_listed(_NEEDED)})")
    return table


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def write_quotes_html(table: pd.DataFrame, path: str | os.PathLike[str], *,
                      lang: str) -> Path:
    """Write a quote table as a standalone HTML page (offline, every text escaped).

    Parameters
    ----------
    table : DataFrame
        From :func:`quote_table` (rows in the order to show).
    path : str or Path
        The file to write, atomically (readers never see half a page).
    lang : {"nl", "en"}
        Language of the page's own words (headings, notes).

    Returns
    -------
    Path
        The file written. The page loads nothing from elsewhere (inline CSS, a content
        security policy that forbids scripts) and each row has its quote id as anchor,
        so ``quotes.html#Q-c01-t0007`` links to one quote.
    """
    from .._atomic import atomic_write_text

    if lang not in ("nl", "en"):
        raise QualError(f"lang must be 'nl' or 'en', not {shown(lang)}")
    table = _check_table(table, "write_quotes_html")
    esc = html.escape
    attributes = [c for c in table.attrs.get("case_attributes", []) if c in table.columns]
    k = table.attrs.get("min_group_size")
    notes = [_w("scrubbed" if table.attrs.get("scrubbed", True) else "not_scrubbed",
                lang)]
    if k and table.attrs.get("hidden_attribute_values"):
        notes.append(_w("hidden", lang, k=k))
    n_cases = table["transcript"].nunique() if "transcript" in table.columns else 0
    head = "".join(f"<th>{esc(_w(key, lang))}</th>" for key in
                   ("col_id", "col_code", "col_quote", "col_speaker", "col_case",
                    "col_source"))
    rows = []
    for row in table.to_dict("records"):
        case = "; ".join(f"{name}: {_text(row[name])}" for name in attributes
                         if _text(row[name]))
        where = _w("chars", lang, start=_text(row["start"]), end=_text(row["end"]))
        if _text(row.get("line")):
            where += ", " + _w("line", lang, line=_text(row["line"]))
        source = f"{_text(row['source'])}, {where}"
        qid = _text(row["quote_id"])
        rows.append(f'<tr id="{esc(qid)}"><td class="id">{esc(qid)}</td>'
                    f"<td>{esc(_text(row['code_path']))}</td>"
                    f'<td class="quote">{esc(_text(row["quote"]))}</td>'
                    f"<td>{esc(_text(row['speaker']))}</td><td>{esc(case)}</td>"
                    f'<td class="src">{esc(source)}</td></tr>')
    title = _w("title", lang)
    summary = _w("summary", lang, n=table["quote_id"].nunique(), k=n_cases)
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="cxresearch">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n<p class=\"meta\">{esc(summary)}</p>\n"
        + "".join(f'<p class="meta">{esc(n)}</p>\n' for n in notes)
        + f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
        + "\n</tbody>\n</table>\n</body>\n</html>\n")
    return atomic_write_text(path, page)


def _cell(value: Any) -> Any:
    """A value as a spreadsheet may hold it: numbers as numbers, text made harmless."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars
    if isinstance(value, (bool, int, float)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    if text.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def write_quotes_excel(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a quote table as an Excel workbook, every formula-like text neutralised.

    Parameters
    ----------
    table : DataFrame
        From :func:`quote_table`.
    path : str or Path
        The ``.xlsx`` file to write, atomically.

    Returns
    -------
    Path
        The file written: a sheet ``quotes`` (a header row, then one row per row of
        ``table``). A text that starts with ``=``, ``+``, ``-`` or ``@`` (also after
        spaces, tabs or line breaks, and their full-width forms; see
        :data:`FORMULA_STARTS`) gets an apostrophe in front and is stored as text, so
        no spreadsheet runs it as a formula (CSV/formula injection, OWASP). Characters
        a workbook cannot hold (control characters) become U+FFFD.
    """
    from .._atomic import atomic_write_bytes

    openpyxl = import_optional("openpyxl", "data", "Writing quotes to Excel")
    styles = import_optional("openpyxl.styles", "data", "Writing quotes to Excel")
    table = _check_table(table, "write_quotes_excel")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "quotes"
    sheet.append([_cell(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = styles.Font(bold=True)
    for row in table.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # never a formula, whatever slipped through
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for i, column in enumerate(table.columns, 1):
        width = max([len(str(column))] + [len(_text(v)) for v in table[column][:200]])
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = \
            min(80, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())
