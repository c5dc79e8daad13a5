"""Read the sheets of an XLSForm workbook into rows: the layer under the importer.

Private helper of :mod:`cxresearch.instrument.xlsform_import`. :class:`_SheetReader` opens
the workbook (openpyxl for ``.xlsx``, xlrd for ``.xls``), turns each sheet into cell texts,
parses the header row (column aliases, ``label::Dutch (nl)`` languages, media columns) and
gives one :class:`_Row` per row; it also reads the settings row, the choice lists and the
nesting of groups and repeats on the survey sheet. Every problem names sheet, row and
column. Turning the rows into questions and blocks is left to the importer.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .._optional import import_optional
from ..errors import Code, InstrumentError, Problem, Severity
from .model import Choice, Text

__all__ = [
    "_MEDIA",
    "_NO",
    "_YES",
    "_List",
    "_Node",
    "_Row",
    "_SheetReader",
    "_language_code",
]

_MAX_BYTES = 50 * 1024 * 1024
_BEGIN = {"begin group": "group", "begin repeat": "repeat", "begin looped group": "repeat",
          "begin lgroup": "repeat"}
_END = {"end group": "group", "end repeat": "repeat", "end looped group": "repeat",
        "end lgroup": "repeat"}
_MEDIA = {"image", "big-image", "audio", "video"}
_TRANSLATED = {"label", "hint", "guidance_hint", "constraint_message", "required_message"}
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


def _trim(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    out = []
    for n, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((n, cells))
    return out


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


class _SheetReader:
    """The sheets, rows and problems of one XLSForm file; the importer builds on it."""

    def __init__(self, path: Path, language: str | None) -> None:
        self.path, self.file = path, str(path)
        self.language = language
        self.problems: list[Problem] = []
        self.bare = "en"
        self.langs: dict[str, None] = {}
        self.lists: dict[str, _List] = {}

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
    def tree(self, rows: list[_Row], allowed: str) -> _Node:
        root = _Node(_Row(0), "root")
        stack = [root]
        for r in rows:
            key = r.type.lower()
            control = key.replace("_", " ")
            if not key:
                if r.name or r.texts:
                    self.add(Code.XLSFORM_INVALID, "the row has no type", "survey", r.n,
                             qid=r.name, allowed=allowed, fix="fill in the type column")
                continue
            self.features(r, key)
            if control in _BEGIN:
                node = _Node(r, _BEGIN[control])
                stack[-1].children.append(node)
                stack.append(node)
                if node.kind == "repeat":
                    self.add(Code.XLSFORM_UNSUPPORTED, f"repeat groups ('{r.type}') are not "
                             "supported", "survey", r.n, r.col("type"), r.name, allowed=allowed,
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
