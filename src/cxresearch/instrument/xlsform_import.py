"""Read an XLSForm (KoboToolbox, ODK, SurveyCTO) into a cxresearch instrument.

The sheets are read cell by cell (openpyxl for ``.xlsx``, xlrd for ``.xls``), not through
pyxform, so that every problem can name the sheet, the row and the column. Whatever the
cxresearch format cannot hold is reported, every occurrence at once, as
``CX190`` (:attr:`~cxresearch.errors.Code.XLSFORM_UNSUPPORTED`); a broken form (no
``survey`` sheet, an unknown choice list, an unclosed group, a file that is no
spreadsheet) as ``CX191`` (:attr:`~cxresearch.errors.Code.XLSFORM_INVALID`).

Notes
-----
How XLSForm maps to the model:

- ``select_one L`` -> ``single_choice`` (``or_other`` / ``or specify other`` -> ``other``),
  ``select_multiple L`` -> ``multiple_choice``, ``rank L`` -> ``ranking``; ``integer`` and
  ``decimal`` -> ``number``; ``text`` (appearance ``multiline`` -> ``length: long``),
  ``date``, ``note``. Old spellings (``select one from L``, ``string``, ``int``) work too.
- A ``select_one`` whose list is exactly ``0`` .. ``10`` is a ``rating``; its anchors are
  the labels of 0 and 10 (a leading ``"0 - "`` is dropped). A rating gets no ``Scale``:
  the YAML format has no ``scale`` key for ratings.
- A ``select_one`` with appearance ``likert`` whose list is 2 to 11 consecutive whole
  numbers is a ``likert`` question with a :class:`Scale` named after the list (also put
  in ``Instrument.scales``). Without ``likert`` it stays a ``single_choice``.
- A group with appearance ``table-list`` (or ``field-list`` with 2+ rows) whose rows are
  all plain ``select_one`` of one list of 2 to 11 consecutive whole numbers, with the same
  ``required`` and no own relevance, constraint or hint, becomes one ``likert_matrix``
  named after the group, standing where the group stood. Any other such group is an
  ordinary block of ``single_choice`` questions.
- Each group is a block (name -> id, label -> title, relevant -> relevant, hint or a first
  note named ``<group>__intro`` -> intro). Nested groups are flattened: the inner block's
  relevance is ``(outer) and (inner)``; outer questions after an inner group go into a
  block ``<outer>_2``. Questions outside groups go into ``main`` when the form has no other
  blocks, else into ``section_1``, ``section_2``, ...
- ``select_one L_or_other`` followed by a text question ``<id>_other`` shown when
  ``other`` is chosen (how cxresearch exports ``other: true``) reads back as ``other``.
- Metadata types (``start``, ``end``, ``today``, ``deviceid``, ``username``,
  ``phonenumber``, ``audit``) go to ``Instrument.metadata``. ``phone number`` is read as a
  text question (with a warning: its digits-only check is dropped).
- Header languages: ``label::Dutch (nl)``, ``label::Nederlands``, ``label:English`` and
  ``label::en`` all work. A column without language is in ``language``, else in the
  settings' ``default_language``, else English. An unknown language name is CX191.
- Each group is titled by its label; a group without one takes its name (warning).
  Blocks outside groups are titled with the form title (settings ``form_title``).
- Unsupported (CX190, one problem per cell): repeats, ``calculate`` and ``calculation``,
  ``trigger``, ``choice_filter``, selects from files, a ``required`` expression, media
  columns (``image``, ``audio``, ``video``, ``media::*``; in ``choices`` only for lists that
  a question uses), and every type outside :data:`SUPPORTED_TYPES` (geopoint, time, ...).
- Dropped without harm, as warnings: ``default``, ``read_only``, unknown columns, sheets
  and settings, appearances and parameters cxresearch does not use, unused choice lists.
- Not changed: question names (the validator reports names it does not accept),
  relevance and constraint texts, labels with ``${...}`` references. Always a survey:
  XLSForm cannot say "interview guide"; ``min``/``max`` stay written as constraints.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .._optional import import_optional
from ..errors import Code, InstrumentError, Problem, Severity
from .model import (METADATA_FIELDS, Block, Choice, ChoiceList, Instrument, MatrixItem, Pos,
                    Question, Scale, Survey, Text)

__all__ = ["SUPPORTED_TYPES", "read_xlsform", "read_xlsform_with_warnings"]

SUPPORTED_TYPES: tuple[str, ...] = (
    "select_one", "select_multiple", "rank", "integer", "decimal", "text", "date", "note",
    "begin group", "end group", *METADATA_FIELDS)
"""The XLSForm types :func:`read_xlsform` reads."""

_ALLOWED = ", ".join(SUPPORTED_TYPES)
_MAX_BYTES = 50 * 1024 * 1024
_SIMPLE: dict[str, str] = {alias: canon for canon, aliases in {
    "text": ("text", "string", "q string", "add text prompt"),
    "integer": ("integer", "int", "q int", "add integer prompt"),
    "decimal": ("decimal", "q decimal", "add decimal prompt"),
    "date": ("date", "q date", "add date prompt"),
    "note": ("note", "q note", "add note prompt"),
    "phone number": ("phone number",),
    "start": ("start", "start time", "get start time"),
    "end": ("end", "end time", "get end time"),
    "today": ("today", "get today"),
    "deviceid": ("deviceid", "device id", "get device id", "imei", "uri:deviceid"),
    "username": ("username", "uri:username"),
    "phonenumber": ("phonenumber", "get phone number", "uri:phonenumber"),
    "audit": ("audit",),
}.items() for alias in aliases}
_SELECTS: tuple[tuple[str, str], ...] = (
    ("add select one prompt using", "single_choice"),
    ("add select multiple prompt using", "multiple_choice"),
    ("select all that apply from", "multiple_choice"), ("select all that apply", "multiple_choice"),
    ("select multiple from", "multiple_choice"), ("select multiple using", "multiple_choice"),
    ("select one from", "single_choice"), ("select one using", "single_choice"),
    ("select_multiple", "multiple_choice"), ("select_one", "single_choice"),
    ("select one", "single_choice"), ("rank", "ranking"))
_FROM_FILE = re.compile(r"^(select_(one|multiple)_from_file|select (one|multiple) from file|"
                        r"select_one_external|select one external)\b")
_KNOWN_TYPES = {
    "time", "datetime", "date time", "geopoint", "geotrace", "geoshape", "gps", "location",
    "barcode", "image", "photo", "audio", "video", "file", "calculate", "hidden", "range",
    "acknowledge", "trigger", "xml-external", "csv-external", "background-audio",
    "background-geopoint", "start-geopoint", "osm", "email", "simserial", "subscriberid",
    "uri:email", "uri:simserial", "uri:subscriberid", "sim id", "subscriber id"}
_BEGIN = {"begin group": "group", "begin repeat": "repeat", "begin looped group": "repeat",
          "begin lgroup": "repeat"}
_END = {"end group": "group", "end repeat": "repeat", "end looped group": "repeat",
        "end lgroup": "repeat"}
_MEDIA = {"image", "big-image", "audio", "video"}
_TRANSLATED = {"label", "hint", "guidance_hint", "constraint_message", "required_message"}
_QUESTION_KEYS = ("label", "hint", "guidance_hint", "required", "required_message", "relevant",
                  "constraint", "constraint_message", "appearance", "parameters")
_SURVEY_KEYS = {"type", "name", *_QUESTION_KEYS, "choice_filter", "calculation", "default",
                "read_only", "repeat_count", "trigger", *_MEDIA}
_CHOICE_KEYS = {"list_name", "name", "label", *_MEDIA}
_SHEETS = {"survey", "choices", "settings", "entities"}
_SETTINGS_KEYS = {"form_title", "form_id", "version", "default_language"}
_HEADER_ALIASES = {
    "list name": "list_name", "caption": "label", "value": "name", "relevance": "relevant",
    "readonly": "read_only", "constraint-msg": "constraint_message",
    "constraining_message": "constraint_message", "jr:constraintmsg": "constraint_message",
    "requiredmsg": "required_message", "jr:requiredmsg": "required_message",
    "calculate": "calculation", "jr:count": "repeat_count", "count": "repeat_count",
    "set_form_title": "form_title", "set_form_id": "form_id"}
_YES = {"yes", "true", "true()", "1", "y"}
_NO = {"", "no", "false", "false()", "0", "n"}
_LANGUAGE_NAMES: dict[str, str] = {name: code for code, names in {
    "en": "english engels anglais ingles englisch", "nl": "dutch nederlands flemish vlaams "
    "hollands neerlandais niederlandisch", "fr": "french francais frans franzosisch",
    "de": "german deutsch duits allemand aleman", "es": "spanish espanol castellano spaans",
    "pt": "portuguese portugues portugees", "it": "italian italiano", "pl": "polish polski",
    "tr": "turkish turkce", "ar": "arabic", "sw": "swahili kiswahili", "zh": "chinese mandarin",
    "ru": "russian", "uk": "ukrainian", "ro": "romanian", "hu": "hungarian", "cs": "czech",
    "el": "greek", "da": "danish dansk", "sv": "swedish svenska", "no": "norwegian norsk",
    "fi": "finnish suomi", "ja": "japanese", "ko": "korean", "hi": "hindi", "bn": "bengali "
    "bangla", "ur": "urdu", "fa": "persian farsi", "he": "hebrew", "id": "indonesian",
    "ms": "malay", "vi": "vietnamese", "th": "thai", "tl": "tagalog", "am": "amharic",
    "ha": "hausa", "yo": "yoruba", "ig": "igbo", "zu": "zulu", "af": "afrikaans", "so": "somali",
    "ne": "nepali", "rw": "kinyarwanda", "lg": "luganda", "ti": "tigrinya", "om": "oromo",
    "km": "khmer", "my": "burmese", "ps": "pashto", "ku": "kurdish", "ta": "tamil",
    "ca": "catalan catala", "fy": "frisian frysk fries", "ht": "haitian",
}.items() for name in names.split()} | {"haitian creole": "ht", "bahasa indonesia": "id"}


def _fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).casefold().split())


def _language_code(name: str) -> str | None:
    """The ISO 639 code for a header language such as ``English (en)`` or ``Nederlands``."""
    code = r"([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?"
    m = re.search(rf"\(\s*{code}\s*\)\s*$", name)
    if m is None and _fold(name) in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[_fold(name)]
    m = m or re.fullmatch(code, name.strip())
    if m is None:
        return None
    return m.group(1).lower() + (f"-{m.group(2)}" if m.group(2) else "")


def _letter(n: int) -> str:
    text = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        text = chr(65 + rest) + text
    return text


def _cell_text(value: object) -> str:
    """Cell text as XLSForm means it: ``1.0`` -> ``'1'``, TRUE -> ``'TRUE'``, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def _int_run(values: list[str]) -> tuple[int, int] | None:
    """``(start, points)`` when ``values`` are consecutive whole numbers, ascending."""
    if not values or any(not re.fullmatch(r"-?(0|[1-9][0-9]*)", v) for v in values):
        return None
    start = int(values[0])
    ok = [int(v) for v in values] == list(range(start, start + len(values)))
    return (start, len(values)) if ok else None


def _and(parts: list[str]) -> str | None:
    if len(parts) <= 1:
        return parts[0] if parts else None
    return " and ".join(f"({p})" for p in parts)


@dataclass
class _Sheet:
    title: str
    rows: list[tuple[int, list[str]]]  # (1-based row number, cell texts); empty rows left out


@dataclass
class _Col:
    index: int
    raw: str
    base: str
    lang: str | None = None


@dataclass
class _Row:
    n: int
    cells: dict[str, tuple[str, int]] = field(default_factory=dict)  # base -> (text, column)
    texts: dict[str, Text] = field(default_factory=dict)
    media: list[tuple[str, int]] = field(default_factory=list)  # (header, column)

    def get(self, base: str) -> str:
        return self.cells.get(base, ("", 0))[0]

    def col(self, base: str) -> int:
        return self.cells.get(base, ("", 1))[1]

    @property
    def type(self) -> str:
        return " ".join(self.get("type").split())

    @property
    def name(self) -> str:
        return self.get("name")


@dataclass
class _List:
    name: str
    choices: list[Choice]
    row: int
    media: list[tuple[int, str, int]] = field(default_factory=list)  # (row, header, column)


@dataclass
class _Node:
    row: _Row
    kind: str  # "question", "group" or "repeat"
    children: list["_Node"] = field(default_factory=list)


def read_xlsform(path: str | Path, *, language: str | None = None,
                 audience: str = "customer") -> Instrument:
    """Read an XLSForm (``.xlsx`` or ``.xls``) into an instrument.

    Parameters
    ----------
    path : str or Path
        The XLSForm file, e.g. a form downloaded from KoboToolbox.
    language : str, optional
        Language of columns written without one (``label`` rather than ``label::English
        (en)``): a code (``"nl"``) or a name (``"Dutch"``). Default: the settings'
        ``default_language``, else English.
    audience : {"customer", "employee"}
        Who answers the survey; XLSForm has no place for it.

    Returns
    -------
    Instrument
        A :class:`~cxresearch.instrument.model.Survey`; its ``purpose`` is empty (XLSForm
        has none), so validation asks for it. Warnings are dropped; use
        :func:`read_xlsform_with_warnings` to see them.

    Raises
    ------
    InstrumentError
        With every problem at once: CX190 for each feature cxresearch cannot hold (repeats,
        calculations, geopoints, cascading selects, media, ...), CX191 for a broken form
        or file (also when it is missing, empty, damaged or password-protected). Each names
        the sheet, row and column, what is allowed and how to go on. Only errors are
        listed; nothing is validated beyond the sheets (see ``validate_instrument``).

    Notes
    -----
    The mapping of types, groups and languages is described in the module docstring.

    Examples
    --------
    >>> survey = read_xlsform("tests/data/real-forms/specify_other.xlsx")  # doctest: +SKIP
    >>> survey.question("sex").other  # doctest: +SKIP
    True
    """
    return read_xlsform_with_warnings(path, language=language, audience=audience)[0]


def read_xlsform_with_warnings(path: str | Path, *, language: str | None = None,
                               audience: str = "customer") -> tuple[Instrument, list[Problem]]:
    """As :func:`read_xlsform`, and also the warnings: what was dropped or guessed.

    Returns
    -------
    tuple of (Instrument, list of Problem)
        The instrument and the warnings (severity ``warning``, mostly CX190), each with
        sheet, row and column: ignored columns, appearances, defaults, unused lists.
    """
    return _Reader(Path(path), language, audience).run()


class _Reader:
    def __init__(self, path: Path, language: str | None, audience: str) -> None:
        self.path, self.file, self.audience = path, str(path), audience
        self.language = language
        self.problems: list[Problem] = []
        self.bare = "en"
        self.langs: dict[str, None] = {}
        self.lists: dict[str, _List] = {}
        self.used: dict[str, int] = {}
        self.referenced: set[str] = set()
        self.scales: dict[str, Scale] = {}
        self.metadata: list[str] = []
        self.blocks: list[Block] = []
        self.auto: list[Block] = []
        self.sink: Block | None = None
        self.sink_owner: _Node | None = None
        self.parts: dict[int, int] = {}
        self.intros: dict[int, Text] = {}

    # -- problems ----------------------------------------------------------------------
    def add(self, code: Code, message: str, sheet: str | None, row: int | None = None,
            col: int | None = None, qid: str | None = None, *, warn: bool = False,
            **extra: str | None) -> None:
        if row is not None and col is not None:
            message += f" (cell {_letter(col)}{row})"
        self.problems.append(Problem(
            code, message, file=self.file, sheet=sheet, line=row, column=col,
            question_id=qid or None, severity=Severity.WARNING if warn else Severity.ERROR,
            **extra))

    def fail(self, message: str, **extra: str | None) -> InstrumentError:
        return InstrumentError([Problem(Code.XLSFORM_INVALID, message, file=self.file,
                                        **extra)])  # type: ignore[arg-type]

    # -- reading the workbook --------------------------------------------------------------
    def load(self) -> dict[str, _Sheet]:
        fix = "save the form from Excel, LibreOffice or KoboToolbox as .xlsx and try again"
        try:
            if self.path.stat().st_size > _MAX_BYTES:
                raise InstrumentError.single(Code.TOO_LARGE, "the file is over 50 MB",
                                             file=self.file, fix="an XLSForm is far smaller; "
                                             "check that this is the right file")
            data = self.path.read_bytes()
        except OSError as exc:
            raise self.fail(f"cannot read the file: {exc.strerror or exc}",
                            fix="check the path and that the file is readable") from exc
        if not data:
            raise self.fail("the file is empty", fix=fix)
        if data.startswith(b"PK\x03\x04"):
            return self.load_xlsx(data, fix)
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise self.fail("the workbook is password-protected", fix="open it in Excel, "
                                "remove the password (File > Info > Protect Workbook) and save")
            return self.load_xls(data, fix)
        raise self.fail("the file is not an Excel workbook (.xlsx or .xls)",
                        given=repr(data[:16]), fix=fix)

    def load_xlsx(self, data: bytes, fix: str) -> dict[str, _Sheet]:
        openpyxl = import_optional("openpyxl", "xlsform", "Reading XLSForms")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets: dict[str, _Sheet] = {}
            for ws in book.worksheets:
                if ws.title.strip().lower() not in _SHEETS:  # not read: saves time
                    sheets.setdefault(ws.title.strip().lower(), _Sheet(ws.title, []))
                    continue
                ws.reset_dimensions()  # stored sizes can claim a million rows of nothing
                rows = []
                for n, values in enumerate(ws.iter_rows(values_only=True), 1):
                    if values and any(v is not None for v in values):
                        rows.append((n, [_cell_text(v) for v in values]))
                    if len(rows) == 2 and ws.title.strip().lower() == "settings":
                        break  # settings are one header row and one row of values
                sheets.setdefault(ws.title.strip().lower(), _Sheet(ws.title, _trim(rows)))
            book.close()
        except Exception as exc:  # noqa: BLE001 - a damaged zip raises many kinds of error
            raise self.fail(f"the workbook is damaged and cannot be read: {exc}", fix=fix) from exc
        return sheets

    def load_xls(self, data: bytes, fix: str) -> dict[str, _Sheet]:
        xlrd = import_optional("xlrd", "xlsform", "Reading XLSForms")
        try:
            book = xlrd.open_workbook(file_contents=data)
            sheets: dict[str, _Sheet] = {}
            for sh in book.sheets():
                rows = []
                for r in range(sh.nrows if sh.name.strip().lower() in _SHEETS else 0):
                    cells = []
                    for c in sh.row(r):
                        if c.ctype == xlrd.XL_CELL_BOOLEAN:
                            cells.append("TRUE" if c.value else "FALSE")
                        elif c.ctype == xlrd.XL_CELL_DATE:
                            cells.append(str(xlrd.xldate_as_datetime(c.value, book.datemode)))
                        else:
                            cells.append("" if c.ctype == xlrd.XL_CELL_ERROR
                                         else _cell_text(c.value))
                    rows.append((r + 1, cells))
                sheets.setdefault(sh.name.strip().lower(), _Sheet(sh.name, _trim(rows)))
        except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds of error
            what = "password-protected" if "encrypted" in str(exc).lower() else "damaged"
            raise self.fail(f"the workbook is {what} and cannot be read: {exc}", fix=fix) from exc
        return sheets

    # -- headers and rows ------------------------------------------------------------------
    def header(self, sheet: str, n: int, cells: list[str], known: set[str]) -> list[_Col]:
        cols = []
        for i, raw in enumerate(cells, 1):
            if not raw:
                continue
            text = re.sub(r"^(bind|control|body|media)::?", "", raw.strip(), flags=re.I)
            base, lang = text.lower(), None
            if base not in _HEADER_ALIASES and ":" in text:
                base, lang = (text.split("::", 1) if "::" in text else text.split(":", 1))
                base = base.strip().lower()
            base = _HEADER_ALIASES.get(base, base)
            if base not in known or (lang is not None and base not in _TRANSLATED | _MEDIA):
                self.add(Code.XLSFORM_UNSUPPORTED, f"column '{raw}' is not used and was "
                         "ignored", sheet, n, i, warn=True)
                continue
            code = self.bare
            if lang is not None and base in _TRANSLATED and lang.strip().lower() != "default":
                found = _language_code(lang)
                if found is None:
                    self.add(Code.XLSFORM_INVALID, f"the language '{lang.strip()}' of column "
                             f"'{raw}' has no known ISO 639 code", sheet, n, i, given=lang,
                             fix=f"write the code in brackets, e.g. '{base}::{lang.strip()} "
                             "(xx)' with xx the ISO 639-1 code")
                    continue
                code = found
            cols.append(_Col(i, raw, base, code if base in _TRANSLATED else None))
        # a column with its language written wins over a bare one for the same language
        return sorted(cols, key=lambda c: ":" not in c.raw)

    def row(self, n: int, cells: list[str], cols: list[_Col]) -> _Row:
        row = _Row(n)
        for col in cols:
            value = cells[col.index - 1] if col.index <= len(cells) else ""
            if not value:
                continue
            if col.base in _MEDIA:
                row.media.append((col.raw, col.index))
            elif col.lang is not None:
                row.texts.setdefault(col.base, {}).setdefault(col.lang, value)
                row.cells.setdefault(col.base, ("", col.index))
                self.langs.setdefault(col.lang)
            else:
                row.cells.setdefault(col.base, (value, col.index))
        return row

    def table(self, sheet: _Sheet, name: str, known: set[str],
              need: tuple[str, ...]) -> list[_Row]:
        if not sheet.rows:
            if name == "survey":
                self.add(Code.XLSFORM_INVALID, "the survey sheet is empty", name,
                         fix="put the column names (type, name, label) in row 1 and one "
                         "question per row below")
            return []
        (hn, head), *rest = sheet.rows
        cols = self.header(name, hn, head, known)
        missing = [k for k in need if k not in {c.base for c in cols}]
        if missing:
            self.add(Code.XLSFORM_INVALID, f"the {name} sheet has no column "
                     f"{' or '.join(repr(m) for m in missing)}", name, hn,
                     given=", ".join(h for h in head if h), allowed=", ".join(need),
                     fix=f"the first row of the {name} sheet must name its columns, "
                     f"including {', '.join(need)}")
            return []
        if name == "survey" and not rest:
            self.add(Code.XLSFORM_INVALID, "the survey sheet has no rows below its header",
                     name, hn, fix="add one question per row")
        return [r for n, cells in rest if (r := self.row(n, cells, cols)).cells or r.media]

    # -- settings and choices --------------------------------------------------------------
    def settings(self, sheet: _Sheet | None) -> dict[str, str]:
        if sheet is None or not sheet.rows:
            return {}
        (hn, head), *rest = sheet.rows
        n, values = rest[0] if rest else (hn + 1, [])
        out: dict[str, str] = {}
        for i, raw in enumerate(head, 1):
            key = _HEADER_ALIASES.get(raw.lower(), raw.lower())
            value = values[i - 1] if i <= len(values) else ""
            if key in _SETTINGS_KEYS and value:
                out[key] = value
            elif raw and value:
                self.add(Code.XLSFORM_UNSUPPORTED, f"setting '{raw}' is not used and was "
                         "ignored", "settings", n, i, warn=True, given=value)
        if "default_language" in out and _language_code(out["default_language"]) is None:
            self.add(Code.XLSFORM_UNSUPPORTED, f"default_language '{out['default_language']}'"
                     " has no known ISO 639 code and was ignored", "settings", n, warn=True,
                     fix="write it as e.g. 'Dutch (nl)'")
        return out

    def choices(self, rows: list[_Row]) -> None:
        for r in rows:
            lname, value = r.get("list_name"), r.name
            if not lname or not value:
                what = "list_name" if not lname else "name"
                self.add(Code.XLSFORM_INVALID, f"a choice without {what}", "choices", r.n,
                         r.col(what) if what in r.cells else None,
                         fix="give every choice row a list_name and a name, or delete it")
                continue
            lst = self.lists.setdefault(lname, _List(lname, [], r.n))
            lst.choices.append(Choice(value, dict(r.texts.get("label", {}))))
            lst.media += [(r.n, header, col) for header, col in r.media]

    # -- the survey sheet ------------------------------------------------------------------
    def tree(self, rows: list[_Row]) -> _Node:
        root = _Node(_Row(0), "root")
        stack = [root]
        for r in rows:
            key = r.type.lower()
            control = key.replace("_", " ")
            if not key:
                if r.name or r.texts:
                    self.add(Code.XLSFORM_INVALID, "the row has no type", "survey", r.n,
                             qid=r.name, allowed=_ALLOWED, fix="fill in the type column")
                continue
            self.features(r, key)
            if control in _BEGIN:
                node = _Node(r, _BEGIN[control])
                stack[-1].children.append(node)
                stack.append(node)
                if node.kind == "repeat":
                    self.add(Code.XLSFORM_UNSUPPORTED, f"repeat groups ('{r.type}') are not "
                             "supported", "survey", r.n, r.col("type"), r.name, allowed=_ALLOWED,
                             fix="ask the questions once (remove 'begin repeat' and 'end repeat')"
                             " or write each repetition as its own questions, then import again")
                elif not r.name:
                    self.add(Code.XLSFORM_INVALID, "the group has no name", "survey", r.n,
                             fix="fill in the name column of the 'begin group' row")
            elif control in _END:
                want, top = _END[control], stack[-1]
                if top is root:
                    self.add(Code.XLSFORM_INVALID, f"'{r.type}' without a matching "
                             f"'begin {want}'", "survey", r.n, r.col("type"),
                             fix=f"remove the row or add a 'begin {want}' row above it")
                    continue
                if top.kind != want:
                    self.add(Code.XLSFORM_INVALID, f"'{r.type}' closes the {top.kind} "
                             f"'{top.row.name}' begun in row {top.row.n}", "survey", r.n,
                             r.col("type"), fix=f"end the {top.kind} with 'end {top.kind}'")
                stack.pop()
            else:
                stack[-1].children.append(_Node(r, "question"))
        for node in stack[1:]:
            self.add(Code.XLSFORM_INVALID, f"the {node.kind} '{node.row.name}' is never closed",
                     "survey", node.row.n, node.row.col("type"), node.row.name,
                     fix=f"add an 'end {node.kind}' row after its last question")
        return root

    def features(self, r: _Row, key: str) -> None:
        """Columns that carry a feature of their own, whatever the row's type."""
        def unsupported(base: str, what: str, fix: str) -> None:
            if r.get(base):
                self.add(Code.XLSFORM_UNSUPPORTED, what, "survey", r.n, r.col(base), r.name,
                         given=r.get(base), fix=fix + ", then import again")

        unsupported("choice_filter", "choice_filter (cascading selects) is not supported",
                    "remove the choice_filter (show the whole list, or ask one question per "
                    "filter value)")
        unsupported("trigger", "'trigger' (recalculation) is not supported", "remove it")
        if key != "calculate":
            unsupported("calculation", "a calculation on a question is not supported",
                        "remove the calculation and compute the value in the analysis")
        for header, col in r.media:
            self.add(Code.XLSFORM_UNSUPPORTED, f"media (column '{header}') are not supported",
                     "survey", r.n, col, r.name, allowed="text only",
                     fix="remove the media file names (describe the picture in the label), "
                     "then import again")
        for base, what in (("default", "the default answer"), ("read_only", "read_only"),
                           ("repeat_count", "repeat_count")):
            if r.get(base) and not (base == "repeat_count" and _BEGIN.get(key) == "repeat") \
                    and not (base == "read_only" and r.get(base).lower() in _NO):
                self.add(Code.XLSFORM_UNSUPPORTED, f"{what} is not supported and was dropped",
                         "survey", r.n, r.col(base), r.name, warn=True, given=r.get(base))

    def unused(self, r: _Row, what: str, keep: tuple[str, ...]) -> None:
        for base in _QUESTION_KEYS:
            if base not in keep and base in r.cells and \
                    not (base == "required" and r.get(base).lower() in _NO):
                self.add(Code.XLSFORM_UNSUPPORTED, f"'{base}' on a {what} is not used and was "
                         "ignored", "survey", r.n, r.col(base), r.name, warn=True)

    def tokens(self, r: _Row, used: set[str], what: str) -> None:
        left = [t for t in r.get("appearance").split() if t not in used]
        if left:
            self.add(Code.XLSFORM_UNSUPPORTED, f"appearance '{' '.join(left)}' is not used and "
                     "was ignored", "survey", r.n, r.col("appearance"), r.name, warn=True,
                     fix=f"cxresearch lays out each {what} itself in every export")

    def required(self, r: _Row) -> bool:
        text = r.get("required").strip().lower()
        if text in _YES or text in _NO:
            return text in _YES
        self.add(Code.XLSFORM_UNSUPPORTED, "a conditional 'required' (an expression) is not "
                 "supported", "survey", r.n, r.col("required"), r.name, given=r.get("required"),
                 allowed="yes, no", fix="write yes or no (the condition can often go into "
                 "'relevant'), then import again")
        return False

    def question(self, r: _Row) -> Question | None:
        raw, key = r.type, r.type.lower()
        sel = _select(raw)
        if _FROM_FILE.match(key) or key in _KNOWN_TYPES:
            what = ("calculate fields are not supported" if key == "calculate" else
                    f"selects from a file or external list ('{raw.split()[0]}') are not "
                    "supported" if _FROM_FILE.match(key) else
                    f"question type '{raw}' is not supported")
            self.add(Code.XLSFORM_UNSUPPORTED, what, "survey", r.n, r.col("type"), r.name,
                     allowed=_ALLOWED, given=raw, fix="remove the row or replace it with a "
                     "supported type (e.g. text), then import again")
            return None
        canon = _SIMPLE.get(key)
        if sel is None and canon is None:
            near = difflib.get_close_matches(key, [*SUPPORTED_TYPES, *_SIMPLE], n=1)
            bare = key in dict(_SELECTS)
            self.add(Code.XLSFORM_INVALID, f"'{raw}' needs the name of a choice list" if bare
                     else f"unknown question type '{raw}'", "survey", r.n, r.col("type"),
                     r.name, allowed=_ALLOWED, given=raw, fix=f"write '{raw} <list_name>'" if
                     bare else f"did you mean '{near[0]}'?" if near else "use an allowed type")
            return None
        if canon in METADATA_FIELDS:
            if canon not in self.metadata:
                self.metadata.append(canon)
            if r.name and r.name != canon:
                self.add(Code.XLSFORM_UNSUPPORTED, f"metadata '{canon}' is named '{r.name}' in "
                         f"the form; cxresearch calls it '{canon}'", "survey", r.n,
                         r.col("name"), r.name, warn=True,
                         fix=f"write ${{{canon}}} wherever the form refers to ${{{r.name}}}")
            return None
        if not r.name:
            self.add(Code.XLSFORM_INVALID, "the question has no name", "survey", r.n,
                     fix="fill in the name column: a short id such as 'sat_call'")
            return None
        where = {b: Pos(r.n, c) for b, (_, c) in r.cells.items()}
        where["choices"] = where["scale"] = where["anchors"] = where["type"]
        q = Question(id=r.name, type="text", label=r.texts.get("label", {}),
                     hint=r.texts.get("hint", {}), interviewer_note=r.texts.get("guidance_hint",
                     {}), relevant=r.get("relevant") or None, pos=Pos(r.n, 1), where=where)
        if canon == "note":
            q.type = "note"
            self.unused(r, "note", ("label", "hint", "guidance_hint", "relevant"))
            return q
        q.required, q.required_message = self.required(r), r.texts.get("required_message", {})
        q.constraint = r.get("constraint") or None
        q.constraint_message = r.texts.get("constraint_message", {})
        used_looks: set[str] = set()
        params = [p for p in re.split(r"[\s,;]+", r.get("parameters")) if p]
        if canon in ("text", "phone number"):
            q.length = "long" if "multiline" in r.get("appearance").split() else "short"
            used_looks.add("multiline")
            if canon == "phone number":
                self.add(Code.XLSFORM_UNSUPPORTED, "type 'phone number' was read as a text "
                         "question; its digits-only check was dropped", "survey", r.n,
                         r.col("type"), r.name, warn=True,
                         fix="add constraint regex(., '^[0-9]*$') if you need it")
        elif canon in ("integer", "decimal"):
            q.type, q.decimals = "number", canon == "decimal"
        elif canon == "date":
            q.type = "date"
        elif sel is not None:
            if not self.select(q, r, sel, used_looks):
                return None
            if q.type in ("single_choice", "multiple_choice", "ranking"):
                q.randomize = any(p.lower() in ("randomize=true", "randomize=yes") for p in params)
                params = [p for p in params if not p.lower().startswith("randomize=")]
        self.tokens(r, used_looks, "question")
        if params:
            self.add(Code.XLSFORM_UNSUPPORTED, f"parameters '{' '.join(params)}' are not used "
                     "and were ignored", "survey", r.n, r.col("parameters"), r.name, warn=True)
        return q

    def select(self, q: Question, r: _Row, sel: tuple[str, str, bool], looks: set[str]) -> bool:
        qtype, lname, other = sel
        lst = self.lists.get(lname)
        if lst is None:
            self.add(Code.XLSFORM_INVALID, f"'{r.type}' uses the choice list '{lname}', which "
                     "the choices sheet does not have", "survey", r.n, r.col("type"), r.name,
                     allowed=", ".join(self.lists) or "(no choices sheet)", given=lname,
                     fix="add the list to the choices sheet, or correct its name in 'type'")
            return False
        self.referenced.add(lname)
        values = [c.value for c in lst.choices]
        run = _int_run(values) if qtype == "single_choice" and not other else None
        likert = "likert" in r.get("appearance").split()
        if run == (0, 11):
            q.type = "rating"
            looks.add("likert")
            for side, v in (("low", 0), ("high", 10)):
                text = {lang: re.sub(rf"^\s*{v}\s*[-\u2013:.]\s*", "", words).strip()
                        for lang, words in lst.choices[v].label.items()}
                text = {lang: w for lang, w in text.items() if w and w != str(v)}
                if text:
                    q.anchors[side] = text
        elif run is not None and likert and 2 <= run[1] <= 11:
            q.type, q.scale = "likert", self.scale(lst, run)
            looks.add("likert")
        else:
            q.type, q.choices, q.other = qtype, lname, other
            self.used[lname] = self.used.get(lname, 0) + 1
        return True

    def scale(self, lst: _List, run: tuple[int, int]) -> Scale:
        if lst.name not in self.scales:
            self.scales[lst.name] = Scale(run[1], [dict(c.label) for c in lst.choices],
                                          name=lst.name, start=run[0])
        return self.scales[lst.name]

    def matrix(self, g: _Node) -> Question | None:
        looks, kids = g.row.get("appearance").split(), g.children
        if not ("table-list" in looks or ("field-list" in looks and len(kids) >= 2)) or \
                not kids or any(k.kind != "question" for k in kids):
            return None
        sels = [_select(k.row.type) for k in kids]
        names = {s[1] for s in sels if s is not None}
        if any(s is None or s[0] != "single_choice" or s[2] for s in sels) or len(names) != 1:
            return None
        lst = self.lists.get(names.pop())
        run = _int_run([c.value for c in lst.choices]) if lst else None
        if lst is None or run is None or not 2 <= run[1] <= 11:
            return None
        own = ("relevant", "constraint", "choice_filter", "calculation", "default", "parameters",
               "trigger", "hint", "guidance_hint", "constraint_message")
        required = {k.row.get("required").strip().lower() for k in kids}
        messages = [k.row.texts.get("required_message", {}) for k in kids]
        if any(b in k.row.cells for k in kids for b in own) or \
                any(set(k.row.get("appearance").split()) - {"likert"} for k in kids) or \
                len(required) != 1 or not required <= _YES | _NO or \
                any(m != messages[0] for m in messages):
            return None
        self.referenced.add(lst.name)
        self.unused(g.row, "likert_matrix group", ("label", "hint", "relevant", "appearance"))
        self.tokens(g.row, {"table-list", "field-list"}, "matrix")
        return Question(
            id=g.row.name, type="likert_matrix", label=g.row.texts.get("label", {}),
            hint=g.row.texts.get("hint", {}), required=required.pop() in _YES,
            required_message=messages[0], relevant=g.row.get("relevant") or None,
            scale=self.scale(lst, run), pos=Pos(g.row.n, 1),
            items=[MatrixItem(k.row.name, k.row.texts.get("label", {}), Pos(k.row.n, 1))
                   for k in kids],
            where={"scale": Pos(kids[0].row.n, kids[0].row.col("type")),
                   **{b: Pos(g.row.n, c) for b, (_, c) in g.row.cells.items()}})

    def absorb_other(self, q: Question, nxt: _Node) -> bool:
        """``select_one L_or_other`` + text ``<id>_other``: cxresearch's own ``other``."""
        r, lname = nxt.row, q.choices or ""
        rel = re.sub(r"\s+", "", r.get("relevant")).replace('"', "'")
        if q.type not in ("single_choice", "multiple_choice") or q.other or \
                not lname.endswith("_or_other") or nxt.kind != "question" or \
                r.name != f"{q.id}_other" or _SIMPLE.get(r.type.lower()) != "text" or \
                rel not in (f"selected(${{{q.id}}},'other')", f"${{{q.id}}}='other'"):
            return False
        kept = [c for c in self.lists[lname].choices if c.value != "other"]
        base = self.lists.get(lname[:-9])
        if len(kept) == len(self.lists[lname].choices) or \
                (base is not None and base.choices != kept):
            return False
        self.lists.setdefault(lname[:-9], _List(lname[:-9], kept, self.lists[lname].row))
        self.used[lname] -= 1
        self.used[lname[:-9]] = self.used.get(lname[:-9], 0) + 1
        q.choices, q.other = lname[:-9], True
        return True

    # -- blocks ----------------------------------------------------------------------------
    def walk(self, nodes: list[_Node], owner: _Node | None, rels: list[str]) -> None:
        if owner is not None and len(nodes) > 1 and nodes[0].kind == "question" and \
                nodes[0].row.name == f"{owner.row.name}__intro" and \
                _SIMPLE.get(nodes[0].row.type.lower()) == "note":
            self.intros[id(owner)] = nodes[0].row.texts.get("label", {})
            nodes = nodes[1:]
        i = 0
        while i < len(nodes):
            n = nodes[i]
            i += 1
            if n.kind == "question":
                q = self.question(n.row)
                if q is None:
                    continue
                if i < len(nodes) and self.absorb_other(q, nodes[i]):
                    i += 1
                self.emit(q, owner, rels)
            elif n.kind == "group" and (m := self.matrix(n)) is not None:
                self.emit(m, owner, rels)
            else:
                if n.kind == "group":
                    self.unused(n.row, "group", ("label", "hint", "relevant", "appearance"))
                    self.tokens(n.row, {"table-list", "field-list"}, "block")
                    if n.row.texts.get("hint"):
                        self.intros.setdefault(id(n), n.row.texts["hint"])
                rel = n.row.get("relevant")
                self.walk(n.children, n, rels + [rel] if rel else rels)

    def emit(self, q: Question, owner: _Node | None, rels: list[str]) -> None:
        if self.sink is None or self.sink_owner is not owner:
            if owner is None:
                block = Block(id="", title={})
                self.auto.append(block)
            else:
                r = owner.row
                part = self.parts[id(owner)] = self.parts.get(id(owner), 0) + 1
                if part == 1 and not r.texts.get("label"):
                    self.add(Code.XLSFORM_UNSUPPORTED, f"group '{r.name}' has no label; its name"
                             " is used as the block title", "survey", r.n, r.col("name"),
                             r.name, warn=True, fix="give the group a label in every language")
                block = Block(id=r.name if part == 1 else f"{r.name}_{part}",
                              title=r.texts.get("label") or dict.fromkeys(self.langs or
                                                                         [self.bare], r.name),
                              relevant=_and(rels),
                              intro=self.intros.get(id(owner), {}) if part == 1 else {},
                              pos=Pos(r.n, 1),
                              where={b: Pos(r.n, c) for b, (_, c) in r.cells.items()})
            self.blocks.append(block)
            self.sink, self.sink_owner = block, owner
        self.sink.questions.append(q)

    def run(self) -> tuple[Instrument, list[Problem]]:
        sheets = self.load()
        if "survey" not in sheets:
            raise self.fail("the workbook has no sheet named 'survey'", allowed="survey, "
                            "choices, settings", given=", ".join(s.title for s in sheets.values()),
                            fix="rename the sheet with the questions to 'survey'")
        settings = self.settings(sheets.get("settings"))
        bare = self.language or settings.get("default_language")
        code = _language_code(bare) if bare else "en"
        if code is None and self.language:
            raise InstrumentError.single(Code.INVALID_VALUE, f"language {self.language!r} has "
                                         "no known ISO 639 code", file=self.file,
                                         given=self.language, allowed="e.g. nl, en, Dutch",
                                         fix="pass an ISO 639-1 code, e.g. language='nl'")
        self.bare = code or "en"
        rows = self.table(sheets["survey"], "survey", _SURVEY_KEYS, ("type", "name"))
        if "choices" in sheets:
            self.choices(self.table(sheets["choices"], "choices", _CHOICE_KEYS,
                                    ("list_name", "name")))
        for key, sheet in sheets.items():
            if key == "entities" and len(sheet.rows) > 1:
                self.add(Code.XLSFORM_UNSUPPORTED, "entities (an 'entities' sheet) are not "
                         "supported", sheet.title, fix="remove the sheet, then import again")
            elif key not in ("survey", "choices", "settings", "entities"):
                self.add(Code.XLSFORM_UNSUPPORTED, f"sheet '{sheet.title}' is not used and "
                         "was ignored", sheet.title, warn=True)
        self.walk(self.tree(rows).children, None, [])
        for lname, lst in self.lists.items():
            if lname not in self.referenced and not self.used.get(lname):
                self.add(Code.XLSFORM_UNSUPPORTED, f"choice list '{lname}' is not used by any "
                         "question and was left out", "choices", lst.row, qid=lname, warn=True)
            elif lname in self.referenced:
                for n, header, col in lst.media:
                    self.add(Code.XLSFORM_UNSUPPORTED, f"media (column '{header}') in list "
                             f"'{lname}' are not supported", "choices", n, col, lname,
                             fix="remove the media file names and give each choice a text "
                             "label, then import again")
        errors = [p for p in self.problems if p.severity == Severity.ERROR]
        if errors:
            raise InstrumentError(errors)
        return self.build(settings), list(self.problems)

    def build(self, settings: dict[str, str]) -> Instrument:
        taken = {b.id for b in self.blocks} | {f for b in self.blocks for q in b.questions
                                               for f in [q.id, *q.field_ids()]}
        langs = list(self.langs) or [self.bare]
        title = settings.get("form_title") or _form_id(settings.get("form_id") or self.path.stem)
        k = 0
        for block in self.auto:  # questions outside groups: titled with the form's title
            block.title = dict.fromkeys(langs, title)
            if len(self.blocks) == 1:
                block.id = "main" if "main" not in taken else "section_1"
                break
            k += 1
            while f"section_{k}" in taken:
                k += 1
            block.id = f"section_{k}"
        default = _language_code(settings.get("default_language", "")) or None
        if default in langs:
            langs.remove(default)
            langs.insert(0, default)
        else:
            default = None
        form_id = _form_id(settings.get("form_id") or self.path.stem)
        lists = {n: ChoiceList(n, self.lists[n].choices) for n, c in self.used.items() if c > 0}
        return Survey(
            id=form_id, title={lang: title for lang in langs},
            version=settings.get("version") or "1", audience=self.audience, languages=langs,
            blocks=self.blocks, default_language=default, choice_lists=lists,
            scales=dict(self.scales), metadata=self.metadata, source=self.file)


def _select(raw: str) -> tuple[str, str, bool] | None:
    """``(question type, list name, other)`` for a select type, else None."""
    low = raw.lower()
    for prefix, qtype in _SELECTS:
        if low.startswith(prefix + " ") and not _FROM_FILE.match(low):
            rest = raw[len(prefix) + 1:]
            other = re.search(r"\s+(or_other|or specify other)$", rest, flags=re.I)
            name = rest[:other.start()] if other else rest
            if name and " " not in name:
                return qtype, name, other is not None
    return None


def _form_id(raw: str) -> str:
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "form"
    return (text if text[0].isalpha() else f"form-{text}")[:100].rstrip("-")


def _trim(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    out = []
    for n, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((n, cells))
    return out
