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
import re
import unicodedata
from pathlib import Path

from ..errors import Code, InstrumentError, Problem, Severity
from ._xlsform_read import (_MEDIA, _NO, _YES, _List, _Node, _Row, _SheetReader,
                            _language_code)
from .model import (METADATA_FIELDS, Block, ChoiceList, Instrument, MatrixItem, Pos, Question,
                    Scale, Survey, Text)

__all__ = ["SUPPORTED_TYPES", "read_xlsform", "read_xlsform_with_warnings"]

SUPPORTED_TYPES: tuple[str, ...] = (
    "select_one", "select_multiple", "rank", "integer", "decimal", "text", "date", "note",
    "begin group", "end group", *METADATA_FIELDS)
"""The XLSForm types :func:`read_xlsform` reads."""

_ALLOWED = ", ".join(SUPPORTED_TYPES)
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
_QUESTION_KEYS = ("label", "hint", "guidance_hint", "required", "required_message", "relevant",
                  "constraint", "constraint_message", "appearance", "parameters")
_SURVEY_KEYS = {"type", "name", *_QUESTION_KEYS, "choice_filter", "calculation", "default",
                "read_only", "repeat_count", "trigger", *_MEDIA}
_CHOICE_KEYS = {"list_name", "name", "label", *_MEDIA}


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


class _Reader(_SheetReader):
    def __init__(self, path: Path, language: str | None, audience: str) -> None:
        super().__init__(path, language)
        self.audience = audience
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

    # -- questions -------------------------------------------------------------------------
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
        self.walk(self.tree(rows, _ALLOWED).children, None, [])
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
