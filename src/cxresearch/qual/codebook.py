"""The codebook in YAML (``<study>/codebook.yaml``), a starter codebook from the interview
guide and the journey, and changes to the codebook that the coded segments follow.

A codebook file holds the codebook's ``languages`` and its ``codes``, each a mapping with
``id`` and ``name`` (per language), optionally ``definition``, ``when_to_use``,
``when_not`` and ``example`` (texts per language), ``stage`` and ``touchpoint`` (ids of
the journey) and ``valence`` (-2 .. +2). Codes are nested under their parent with
``codes:``, or written flat with ``parent:``; the file may also be just the list of codes.

Every problem is reported at once, each with the file, the line, the code id and a
stable code (``QL1xx``, listed in :class:`ProblemCode`), in one :class:`QualProblemsError`.

The changes (:func:`rename_code`, :func:`merge_codes`, :func:`split_code`,
:func:`move_code`, :func:`delete_code`) never mutate: they return a new
:class:`~cxresearch.qual.model.Codebook` and new codings.
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, NoReturn, Sequence

import yaml

from .._yaml import YMap, YScalar, YSeq, parse_yaml, read_source
from ..errors import InstrumentError
from .model import Code, Codebook, CodedSegment, Coding, QualError, Text

if TYPE_CHECKING:  # pragma: no cover
    from ..journey.model import Journey

__all__ = ["FORMAT", "ProblemCode", "QualProblem", "QualProblemsError", "VALENCE_RANGE",
           "code_tree", "delete_code", "dump_codebook", "load_codebook", "loads_codebook",
           "merge_codes", "move_code", "rename_code", "save_codebook", "split_code",
           "starter_codebook", "validate_codebook"]

FORMAT = "cxresearch-codebook/1"
"""The ``format:`` line :func:`save_codebook` writes (not required when reading)."""

VALENCE_RANGE = (-2, 2)
"""Lowest and highest :attr:`Code.valence`, as in the journey's customer lane."""

ID_PATTERN = re.compile(r"[A-Za-z0-9_]+")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_TOP_KEYS = ("format", "languages", "codes")
_TEXT_KEYS = ("definition", "when_to_use", "when_not", "example")
_CODE_KEYS = ("id", "name", "parent", *_TEXT_KEYS, "stage", "touchpoint", "valence", "codes")


class ProblemCode(str, enum.Enum):
    """Stable codes of problems in codebooks (``QL1xx``) and coder files (``QL2xx``).

    Never renumber; add new codes at the end of their group.
    """

    EMPTY_FILE = "QL100"
    UNREADABLE_FILE = "QL101"  # not found, a folder, not text
    YAML_SYNTAX = "QL103"  # invalid YAML, a key given twice
    WRONG_TYPE = "QL110"
    MISSING_FIELD = "QL111"
    UNKNOWN_FIELD = "QL112"  # with a did-you-mean
    INVALID_ID = "QL120"
    DUPLICATE_ID = "QL121"
    UNKNOWN_PARENT = "QL122"
    CYCLE = "QL123"  # a code is its own ancestor
    CONFLICTING_PARENT = "QL124"  # nested under one code, 'parent:' names another
    MISSING_NAME = "QL130"  # no name in one of the codebook's languages
    NOT_A_LANGUAGE = "QL131"  # a key of a text that is not a language code
    BAD_VALENCE = "QL140"
    UNKNOWN_STAGE = "QL150"
    UNKNOWN_TOUCHPOINT = "QL151"  # or a touchpoint of another stage
    UNKNOWN_CODE = "QL160"  # a code the codebook does not have (did-you-mean)
    CODE_IN_USE = "QL161"  # delete refused while codings use the code
    ID_TAKEN = "QL162"
    BAD_CHANGE = "QL163"  # a change that cannot be made as asked
    # coder files (coding/<coder>.yaml) and coding
    UNKNOWN_SEGMENT = "QL201"
    TRANSCRIPT_CHANGED = "QL202"  # the coding was made for another version (sha256)
    OVERLAPPING_SEGMENTS = "QL203"
    TRANSCRIPT_MISSING = "QL204"
    DUPLICATE_TRANSCRIPT = "QL205"  # one transcript twice in a coder file
    CODER_MISMATCH = "QL206"  # file name, 'coder:' and the codings disagree
    WRONG_TRANSCRIPT = "QL207"  # a coding used with another transcript
    DUPLICATE_APPLICATION = "QL208"  # the same code on the same segment twice


@dataclass(frozen=True)
class QualProblem:
    """One problem in a codebook or coder file: where, what, and how to fix it."""

    code: ProblemCode
    message: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    fix: str | None = None

    def text(self) -> str:
        """The problem without its place: ``QL121 ...; fix: ...``."""
        what = f" [{self.where}]" if self.where else ""
        fix = f"; fix: {self.fix}" if self.fix else ""
        return f"{self.code.value}{what} {self.message}{fix}"

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        return f"{place}: {self.text()}" if place else self.text()


class QualProblemsError(QualError):
    """Every problem found in one go; ``file``, ``line`` and ``where`` are the first's.

    Attributes
    ----------
    problems : tuple of QualProblem
        In the order found (by line within a file).
    codes : list of str
        Their stable codes, e.g. ``["QL121"]``.
    """

    def __init__(self, problems: Iterable[QualProblem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:  # pragma: no cover - never raised empty
            raise ValueError("QualProblemsError needs at least one problem")
        first, rest = self.problems[0], self.problems[1:]
        text = first.text()
        if rest:
            text += f"\n  and {len(rest)} more problem{'s' if len(rest) > 1 else ''}:\n" + \
                "\n".join(f"  {p}" for p in rest)
        super().__init__(text, file=first.file, line=first.line, where=first.where)

    @property
    def codes(self) -> list[str]:
        return [p.code.value for p in self.problems]


def _raise(code: ProblemCode, message: str, **where: Any) -> NoReturn:
    raise QualProblemsError([QualProblem(code, message, **where)])


def _closest(word: str, options: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _unknown_code(codebook: Codebook, cid: str, what: str = "the codebook") -> NoReturn:
    _raise(ProblemCode.UNKNOWN_CODE, f"there is no code '{cid}' in {what}", where=cid,
           fix=_closest(cid, codebook.ids()) or "check the id; the codebook's ids are: "
           + ", ".join(codebook.ids()[:12]) + (" ..." if len(codebook) > 12 else ""))


# -- the tree ----------------------------------------------------------------------------
def code_tree(codebook: Codebook | Sequence[Code]) -> list[tuple[Code, int]]:
    """The codes in tree order (each parent, then its children in codebook order), with
    their depth (0 at the top). Codes whose parent is missing come last, at depth 0.

    >>> book = Codebook((Code("a", {"en": "A"}), Code("b", {"en": "B"}),
    ...                  Code("a1", {"en": "A1"}, parent="a")), languages=("en",))
    >>> [(c.id, depth) for c, depth in code_tree(book)]
    [('a', 0), ('a1', 1), ('b', 0)]
    """
    codes = list(codebook)
    kids: dict[str | None, list[Code]] = {}
    for c in codes:
        kids.setdefault(c.parent, []).append(c)
    out: list[tuple[Code, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for c in kids.get(parent, []):
            if c.id not in seen:
                seen.add(c.id)
                out.append((c, depth))
                walk(c.id, depth + 1)

    walk(None, 0)
    out += [(c, 0) for c in codes if c.id not in seen]
    return out


def _tree_sorted(codes: Sequence[Code]) -> tuple[Code, ...]:
    return tuple(c for c, _ in code_tree(codes))


# -- checks ------------------------------------------------------------------------------
def _check(codes: Sequence[Code], languages: Sequence[str], *, file: str | None = None,
           lines: Sequence[int | None] = (), journey: Journey | None = None
           ) -> list[QualProblem]:
    """The problems of a list of codes (ids, parents, cycles, valence, names, journey);
    ``lines[i]`` is where ``codes[i]`` is written."""
    problems: list[QualProblem] = []
    at = dict(enumerate(lines))

    def add(code: ProblemCode, message: str, i: int, fix: str | None = None) -> None:
        problems.append(QualProblem(code, message, file=file, line=at.get(i),
                                    where=codes[i].id or None, fix=fix))

    first: dict[str, int] = {}
    for i, c in enumerate(codes):
        if not c.id:
            add(ProblemCode.MISSING_FIELD, "a code has no 'id'", i,
                "add 'id: ...' (letters, digits and _)")
        elif not ID_PATTERN.fullmatch(c.id):
            add(ProblemCode.INVALID_ID, f"'{c.id}' is not a code id", i,
                "an id has letters, digits and _ only, e.g. first_call_waiting")
        if c.id in first:
            other = at.get(first[c.id])
            add(ProblemCode.DUPLICATE_ID, f"the code id '{c.id}' is used twice"
                + (f" (first on line {other})" if other else ""), i,
                "give every code its own id")
        first.setdefault(c.id, i)
        missing = [lang for lang in languages if not (c.name.get(lang) or "").strip()]
        if missing:
            add(ProblemCode.MISSING_NAME, f"code '{c.id}' has no name in "
                f"{', '.join(missing)}", i,
                "add " + ", ".join(f"{m}: ..." for m in missing) + " under 'name:'")
        if c.valence is not None and not (isinstance(c.valence, int) and
                                          VALENCE_RANGE[0] <= c.valence <= VALENCE_RANGE[1]):
            add(ProblemCode.BAD_VALENCE, f"the valence of code '{c.id}' is {c.valence!r}; it "
                "must be a whole number from -2 to +2", i,
                "write -2 very negative, -1 negative, 0 neutral, +1 positive or +2 very "
                "positive, or leave 'valence' out")
    for i, c in enumerate(codes):
        if c.parent is not None and c.parent not in first:
            add(ProblemCode.UNKNOWN_PARENT, f"the parent '{c.parent}' of code '{c.id}' is "
                "not a code of the codebook", i,
                _closest(c.parent, first) or "add that code, or correct 'parent:'")
    reported: set[str] = set()
    for i, c in enumerate(codes):
        path, current = [c.id], c.parent
        while current is not None and current in first and current not in path:
            path.append(current)
            current = codes[first[current]].parent
        if current == c.id and not reported & set(path):
            reported.update(path)
            add(ProblemCode.CYCLE, "the codes " + " > ".join([*reversed(path), c.id])
                + " are each other's ancestors", i,
                "give one of them another parent (or none: a code at the top)")
    if journey is not None:
        problems += _check_journey(codes, journey, file, at)
    return problems


def _check_journey(codes: Sequence[Code], journey: Journey, file: str | None,
                   lines: Mapping[int, int | None]) -> list[QualProblem]:
    problems = []
    stages, tps = journey.stage_ids(), journey.touchpoint_ids()
    for i, c in enumerate(codes):
        line = lines.get(i)
        if c.stage is not None and c.stage not in stages:
            problems.append(QualProblem(
                ProblemCode.UNKNOWN_STAGE, f"code '{c.id}' names stage '{c.stage}', which the "
                f"journey '{journey.id}' does not have", file, line, c.id,
                _closest(c.stage, stages) or f"use one of: {', '.join(stages)}"))
        if c.touchpoint is not None and c.touchpoint not in tps:
            problems.append(QualProblem(
                ProblemCode.UNKNOWN_TOUCHPOINT, f"code '{c.id}' names touchpoint "
                f"'{c.touchpoint}', which the journey '{journey.id}' does not have", file,
                line, c.id, _closest(c.touchpoint, tps) or f"use one of: {', '.join(tps)}"))
        elif c.touchpoint is not None and c.stage in stages and \
                journey.stage_of(c.touchpoint).id != c.stage:
            owner = journey.stage_of(c.touchpoint).id
            problems.append(QualProblem(
                ProblemCode.UNKNOWN_TOUCHPOINT, f"code '{c.id}' names touchpoint "
                f"'{c.touchpoint}' of stage '{owner}', but stage '{c.stage}'", file, line,
                c.id, f"write 'stage: {owner}', or leave 'stage' out"))
    return problems


def _journey(journey: Journey | str | Path | None) -> Journey | None:
    if journey is None or not isinstance(journey, (str, Path)):
        return journey
    from ..journey import Journey

    return Journey.load(journey)


def validate_codebook(codebook: Codebook, *, journey: Journey | str | Path | None = None
                      ) -> list[QualProblem]:
    """Every problem of ``codebook`` (empty when it is sound); never raises on content.

    Checks what :func:`load_codebook` checks on the codes themselves: ids, duplicates,
    unknown parents, cycles, valence, a name in every language, and with ``journey`` the
    stage and touchpoint of every code.
    """
    return _check(codebook.codes, codebook.languages, file=codebook.source,
                  journey=_journey(journey))


# -- reading -----------------------------------------------------------------------------
class _Reader:
    """Turns the YAML nodes of a codebook file into codes, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[QualProblem] = []
        self.languages: tuple[str, ...] = ("nl", "en")
        self.lines: list[int | None] = []  # where each of self.codes is written
        self.codes: list[Code] = []

    def problem(self, code: ProblemCode, message: str, node: Any, *, where: str | None = None,
                fix: str | None = None, key: str | None = None) -> None:
        line = getattr(node, "line", None)
        if isinstance(node, YMap) and key is not None and key in node.key_pos:
            line = node.key_pos[key][0]
        self.problems.append(QualProblem(code, message, self.name, line, where, fix))

    def check_keys(self, node: Any, allowed: Sequence[str], what: str,
                   where: str | None) -> None:
        for key in node:
            if key not in allowed:
                self.problem(ProblemCode.UNKNOWN_FIELD, f"unknown key '{key}' in {what}", node,
                             key=key, where=where, fix=_closest(key, allowed) or
                             f"remove it; the keys are {', '.join(allowed)}")

    def root(self, root: Any) -> None:
        if isinstance(root, YSeq):
            self.walk(root, None)
            return
        if not isinstance(root, YMap):
            self.problem(ProblemCode.WRONG_TYPE, "a codebook is a list of codes, or a "
                         "mapping with 'languages' and 'codes'", root,
                         fix="start the file with 'languages: [nl, en]' and 'codes:'")
            return
        self.check_keys(root, _TOP_KEYS, "the codebook", None)
        langs = root.get("languages")
        if langs is not None:
            values = [x.raw for x in langs if isinstance(x, YScalar) and _LANG.match(x.raw)] \
                if isinstance(langs, YSeq) else []
            if not values or not isinstance(langs, YSeq) or len(values) != len(langs):
                self.problem(ProblemCode.WRONG_TYPE, "'languages' must be a list of language "
                             "codes", langs, fix="write 'languages: [nl, en]'")
            self.languages = tuple(values) or self.languages
        codes = root.get("codes")
        if codes is None:
            self.problem(ProblemCode.MISSING_FIELD, "the codebook has no 'codes'", root,
                         fix="add 'codes:' with the codes below it ('- id: ...')")
        elif not isinstance(codes, YSeq):
            self.problem(ProblemCode.WRONG_TYPE, "'codes' must be a list of codes", codes,
                         fix="write each code on a line starting with '- id: ...'")
        else:
            self.walk(codes, None)

    def walk(self, seq: Any, parent: str | None) -> None:
        for node in seq:
            if not isinstance(node, YMap):
                self.problem(ProblemCode.WRONG_TYPE, "each code must be a mapping with 'id' "
                             "and 'name'", node, fix="write the code as '- id: ...' with "
                             "'name: {nl: ..., en: ...}' indented under it")
                continue
            code = self.code(node, parent)
            kids = node.get("codes")
            if kids is None:
                continue
            if not isinstance(kids, YSeq):
                self.problem(ProblemCode.WRONG_TYPE, f"'codes' of code '{code.id}' must be a "
                             "list of codes", kids, where=code.id)
            else:
                self.walk(kids, code.id)

    def code(self, node: Any, parent: str | None) -> Code:
        cid = self.word(node, "id", "a code") or ""
        what = f"code '{cid}'" if cid else f"the code on line {node.line}"
        self.check_keys(node, _CODE_KEYS, what, cid or None)
        own_parent = self.word(node, "parent", what)
        if parent is not None and own_parent is not None and own_parent != parent:
            self.problem(ProblemCode.CONFLICTING_PARENT, f"{what} is nested under '{parent}' "
                         f"but says 'parent: {own_parent}'", node, key="parent", where=cid,
                         fix="remove 'parent:', or move the code under its parent")
        self.lines.append(node.key_pos.get("id", (node.line, 0))[0])
        texts = {key: self.text(node, key, what, cid) for key in ("name", *_TEXT_KEYS)}
        code = Code(cid, texts["name"], parent=parent if parent is not None else own_parent,
                    definition=texts["definition"], when_to_use=texts["when_to_use"],
                    when_not=texts["when_not"], example=texts["example"],
                    stage=self.word(node, "stage", what), valence=self.valence(node, what, cid),
                    touchpoint=self.word(node, "touchpoint", what))
        self.codes.append(code)
        return code

    def word(self, node: Any, key: str, what: str) -> str | None:
        value = node.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            return None
        if isinstance(value, YScalar) and value.raw.strip():
            return value.raw.strip()
        self.problem(ProblemCode.WRONG_TYPE, f"'{key}' of {what} must be one word (an id)",
                     value, fix=f"write e.g. '{key}: first_call'")
        return None

    def valence(self, node: Any, what: str, cid: str) -> int | None:
        value = node.get("valence")
        if value is None or (isinstance(value, YScalar) and value.is_null):
            return None
        if isinstance(value, YScalar) and _INTEGER.match(value.raw.strip()):
            number = int(value.raw)
            if VALENCE_RANGE[0] <= number <= VALENCE_RANGE[1]:
                return number
        self.problem(ProblemCode.BAD_VALENCE, f"the valence of {what} must be a whole number "
                     f"from -2 to +2 (given: {getattr(value, 'raw', 'a list or mapping')})",
                     value, where=cid or None,
                     fix="write -2 very negative, -1 negative, 0 neutral, +1 positive or +2 "
                     "very positive, or leave 'valence' out")
        return None

    def text(self, node: Any, key: str, what: str, cid: str) -> dict[str, str]:
        value = node.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            return {}
        example = "{" + ", ".join(f"{lang}: ..." for lang in self.languages) + "}"
        if isinstance(value, YScalar):
            if len(self.languages) == 1:
                return {self.languages[0]: value.raw}
            self.problem(ProblemCode.WRONG_TYPE, f"'{key}' of {what} must be a text per "
                         "language", value, where=cid or None, fix=f"write '{key}: {example}'")
            return {}
        if not isinstance(value, YMap):
            self.problem(ProblemCode.WRONG_TYPE, f"'{key}' of {what} must be a text per "
                         "language, not a list", value, where=cid or None,
                         fix=f"write '{key}: {example}'")
            return {}
        out: dict[str, str] = {}
        for lang, text in value.items():
            if not _LANG.match(lang):
                self.problem(ProblemCode.NOT_A_LANGUAGE, f"'{key}' of {what} has '{lang}' "
                             "where a language code belongs", value, key=lang,
                             where=cid or None, fix="in '{nl: ..., en: ...}' a comma ends "
                             "the text: put the text in quotes, or write each language on a "
                             "line of its own")
            elif not isinstance(text, YScalar):
                self.problem(ProblemCode.WRONG_TYPE, f"the {lang} text of '{key}' of {what} "
                             "must be plain text", text, where=cid or None)
            elif not text.is_null:
                out[lang] = text.raw
        return out


def _parse(text: str, name: str) -> Any:
    """Position-keeping YAML nodes of ``text``, with YAML problems as QL103."""
    try:
        return parse_yaml(text, name)
    except InstrumentError as exc:
        raise QualProblemsError(QualProblem(ProblemCode.YAML_SYNTAX, p.message, name, p.line,
                                            fix=p.fix) for p in exc.problems) from None


def _read_text(path: str | Path) -> tuple[str, str]:
    """The decoded text of ``path`` and its name; unreadable files as QL101."""
    try:
        src = read_source(path)
    except InstrumentError as exc:
        p = exc.problems[0]
        _raise(ProblemCode.UNREADABLE_FILE, p.message, file=str(path), line=p.line, fix=p.fix)
    return src.text, src.name


def loads_codebook(text: str, name: str = "codebook.yaml", *,
                   journey: Journey | str | Path | None = None) -> Codebook:
    """Read a codebook from the text of a codebook file, as :func:`load_codebook` reads
    the file ``name``.

    >>> book = loads_codebook('''
    ... languages: [nl, en]
    ... codes:
    ...   - id: call
    ...     name: {nl: Het gesprek, en: The call}
    ...     codes:
    ...       - id: waiting
    ...         name: {nl: Wachten, en: Waiting}
    ...         valence: -1
    ... ''')
    >>> book.path("waiting"), book.code("waiting").valence
    ('call > waiting', -1)
    >>> try:
    ...     loads_codebook("[{id: a, name: {nl: A}}]")
    ... except QualProblemsError as exc:
    ...     print(exc)
    codebook.yaml:1: QL130 [a] code 'a' has no name in en; fix: add en: ... under 'name:'
    """
    root = _parse(text, name)
    if root is None:
        _raise(ProblemCode.EMPTY_FILE, "the codebook file is empty", file=name, line=1,
               fix="write 'languages: [nl, en]' and 'codes:', or start from "
               "starter_codebook(guide, journey)")
    reader = _Reader(name)
    reader.root(root)
    problems = reader.problems + _check(reader.codes, reader.languages, file=name,
                                        lines=reader.lines, journey=_journey(journey))
    if problems:
        raise QualProblemsError(sorted(problems, key=lambda p: p.line or 0))
    codes = tuple(reader.codes)
    index = {c.id: i for i, c in enumerate(codes)}
    if any(c.parent is not None and index[c.parent] > i for i, c in enumerate(codes)):
        codes = _tree_sorted(codes)  # parents before their children, as the model wants
    return Codebook(codes, reader.languages, source=name)


def load_codebook(path: str | Path, *, journey: Journey | str | Path | None = None
                  ) -> Codebook:
    """Read ``codebook.yaml`` into a :class:`~cxresearch.qual.model.Codebook`.

    Parameters
    ----------
    path : str or Path
        The codebook file (by convention ``<study>/codebook.yaml``).
    journey : Journey or path, optional
        When given, every code's ``stage`` and ``touchpoint`` must be in it (and a
        touchpoint of the stage named).

    Returns
    -------
    Codebook
        The codes in the order of the file (nested codes after their parent); a flat
        file whose children come before their parent is put in tree order.
        ``source`` is the path.

    Raises
    ------
    QualProblemsError
        Listing every problem, each with file, line, code id and a stable code: ``QL121``
        a duplicate id, ``QL122`` an unknown parent, ``QL123`` a cycle, ``QL140`` a valence
        out of range, ``QL130`` a name missing in a language, ``QL112`` an unknown key
        (with a did-you-mean), ``QL150``/``QL151`` an unknown stage or touchpoint; see
        :class:`ProblemCode`.
    """
    text, name = _read_text(path)
    return loads_codebook(text, name, journey=journey)


# -- writing -----------------------------------------------------------------------------
class _Flow(dict[str, Any]):
    """A mapping written on one line (``{nl: ..., en: ...}``)."""


class _FlowList(list[str]):
    """A list written on one line (``[nl, en]``)."""


class _Dumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that writes :class:`_Flow` and :class:`_FlowList` on one line."""


_Dumper.add_representer(str, lambda d, data: d.represent_scalar(
    "tag:yaml.org,2002:str", data, style="|" if "\n" in data else None))
_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


def _dump(data: Any) -> str:
    """``data`` as block-style YAML, keys in the order given, text not escaped."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                          width=88, default_flow_style=False)
    return text


def _text_out(text: Text) -> dict[str, str]:
    """A text per language, on one line when it is short."""
    value = dict(text)
    short = sum(len(k) + len(v) + 4 for k, v in value.items()) < 64 and \
        not any("\n" in v for v in value.values())
    return _Flow(value) if short else value


def dump_codebook(codebook: Codebook) -> str:
    """The YAML text :func:`save_codebook` writes: nested by ``codes:`` when the codes are
    in tree order, else flat with ``parent:`` (so that reading it back gives the same
    codebook)."""
    nested = [c for c, _ in code_tree(codebook)] == list(codebook.codes)

    def entry(c: Code) -> dict[str, Any]:
        out: dict[str, Any] = {"id": c.id, "name": _text_out(c.name)}
        if not nested and c.parent is not None:
            out["parent"] = c.parent
        for key in ("stage", "touchpoint", "valence"):
            if getattr(c, key) is not None:
                out[key] = getattr(c, key)
        for key in _TEXT_KEYS:
            if getattr(c, key):
                out[key] = _text_out(getattr(c, key))
        if nested and codebook.children(c.id):
            out["codes"] = [entry(k) for k in codebook.children(c.id)]
        return out

    tops = codebook.children(None) if nested else list(codebook.codes)
    return _dump({"format": FORMAT, "languages": _FlowList(codebook.languages),
                  "codes": [entry(c) for c in tops]})


def save_codebook(codebook: Codebook, path: str | Path) -> Path:
    """Write ``codebook`` to ``path`` atomically (a reader sees the old file or the new).

    Refused (:class:`QualProblemsError`, nothing written) when the codebook has problems
    (:func:`validate_codebook`). :func:`load_codebook` of the file gives an equal codebook
    (with ``source`` the path).
    """
    from .._atomic import atomic_write_text

    problems = _check(codebook.codes, codebook.languages, file=str(path))
    if problems:
        raise QualProblemsError(problems)
    return atomic_write_text(path, dump_codebook(codebook))


# -- re-exported from their own modules, imported on first use (they import from here)
_MOVED = {"starter_codebook": ".starter", "rename_code": "._changes",
          "merge_codes": "._changes", "split_code": "._changes", "move_code": "._changes",
          "delete_code": "._changes"}

if TYPE_CHECKING:  # pragma: no cover
    from ._changes import delete_code, merge_codes, move_code, rename_code, split_code
    from .starter import starter_codebook


def __getattr__(name: str) -> object:
    """:func:`starter_codebook` and the changes, from :mod:`.starter` and :mod:`._changes`."""
    import importlib

    where = _MOVED.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __package__), name)
    globals()[name] = value
    return value
