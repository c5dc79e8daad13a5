"""Exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder through the REFI-QDA standard.

Two formats (REFI-QDA 1.5, www.qdasoftware.org; the schemas are ``Codebook.xsd``,
namespace ``urn:QDA-XML:codebook:1.0``, and ``Project-mrt2019.xsd``, namespace
``urn:QDA-XML:project:1.0``; copies with their provenance are in
``tests/data/qual/refi/schema``):

* the Codebook Exchange, ``.qdc``: one XML file, ``CodeBook/Codes/Code`` nested;
* the Project Exchange, ``.qdpx``: a zip with ``project.qde`` (XML) and the sources'
  files under ``sources/``.

What maps to what
-----------------
Code
    ``Code`` with ``guid``, ``name`` (in ``lang``), ``isCodable="true"``, ``color`` if
    given; children nested inside it. Definition, when to use, when not to use, example,
    the names in other languages, stage, touchpoint and valence go into its
    ``Description`` (below).
Transcript
    ``TextSource`` with ``plainTextPath="internal://<guid>.txt"``, the text in UTF-8 (no
    byte-order mark) in ``sources/<guid>.txt``; our id, source file, format and sha256 in
    its ``Description``.
Transcript.attributes
    one ``Variable`` (``Text``) per attribute; one named ``Case`` per transcript with a
    ``VariableValue`` for each and a ``SourceRef``.
Coding.coder
    a ``User`` (``name``), the ``creatingUser`` of the coder's selections and codings.
CodedSegment
    a ``PlainTextSelection`` over the segment's characters (``name`` is the segment id)
    with one ``Coding``/``CodeRef``; its memo in the selection's ``Description``.
Coding.memo
    a ``Note`` (``PlainTextContent``, ``creatingUser``) with a ``NoteRef`` from the
    ``TextSource``.

Reading another tool's project, a code's id is made from its name (``Wachten op
contact`` gives ``wachten_op_contact``), a transcript's from the source's name, and a
selection that is none of our segments becomes a segment of kind :data:`SELECTION_KIND`.
The memo of a coding is the selection's ``Description`` and the notes referred to by the
selection or the coding; a note on a source is its user's memo on the transcript.
Variables of another type than ``Text`` are read as their text. Everything else (sources
other than text, graphic and media selections, uncoded selections, sets, links, graphs,
colours, categories, memos on codes, cases and the project, notes on nothing) is skipped
with a warning that says what and where.

Every GUID is a uuid5 of our ids (code, transcript, coder, segment), so writing the same
objects twice gives the same bytes, and a round trip does not churn.

Positions
---------
``startPosition`` and ``endPosition`` count characters (Unicode code points, the indices
of a Python ``str``), not bytes, from 0 at the start of the plain text, ``endPosition``
exclusive: ``text[start:end]``, as QualCoder reads and writes them. A byte-order mark at
the start of a source file is not counted. A line break ``\\r\\n`` counts as two
characters, except in projects from ATLAS.ti, which counts it as one (QualCoder's
importer documents this); those positions are converted.

The code's Description
----------------------
REFI-QDA has one name and one ``Description`` per code and its schema allows no
extensions, so the rest goes into the Description, readable in every tool::

    Definition: The caller waits before reaching an agent.

    When to use: Any mention of waiting on the phone.

    When not to use: Waiting for a callback.

    Example: "Ik hing twintig minuten in de wacht."

    [nl]

    Name: Wachten aan de telefoon

    Definition: De beller wacht voordat hij een medewerker spreekt.

    [cxresearch] {"id": "call_waiting", "lang": "en", "languages": ["nl", "en"], "stage": "call", "valence": -1}

Blocks are separated by one blank line. The first blocks hold the texts in the language
of the code's ``name`` (``lang``); each other language follows under a line ``[xx]``,
with its name. The last line carries what only cxresearch reads (as JSON). A line of a
text that would read as a label, a ``[xx]`` line or the ``[cxresearch]`` line, or that
starts with a backslash, is written with a backslash in front. Reading a Description
without that last line (a code made in another tool), the labels are still recognised and
text before the first label is the definition, in ``lang``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping, Sequence

from .._atomic import atomic_write_bytes
from .model import Code, Codebook, CodedSegment, Coding, QualError, Segment, Transcript

__all__ = ["CODEBOOK_NS", "PROJECT_NS", "SELECTION_KIND", "QdpxProject", "read_qdc",
           "read_qdpx", "write_qdc", "write_qdpx"]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SELECTION_KIND = "selection"
""":attr:`Segment.kind` of a selection made in another tool that is none of our segments;
its id is ``<transcript id>:x<number>``, numbered in the order of the text."""

_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cxresearch:qual:refi-qda")
_LABELS = {"definition": "Definition", "when_to_use": "When to use",
           "when_not": "When not to use", "example": "Example"}
_FIELDS = {label: key for key, label in _LABELS.items()} | {"Name": "name"}
_STARTER = re.compile(r"^(Name|Definition|When to use|When not to use|Example):(?: |$)")
_HEADER = re.compile(r"^\[([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\]$")
_META = "[cxresearch] "
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_CODE_ID = re.compile(r"^[A-Za-z0-9_]+$")
_SEGMENT_KINDS = {"t": "turn", "s": "sentence", "x": SELECTION_KIND}
_OTHER_SOURCES = {"PictureSource": "picture", "PDFSource": "PDF", "AudioSource": "audio",
                  "VideoSource": "video"}
_PROJECT_PARTS = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links",
                  "Sets", "Graphs", "Description", "NoteRef"}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
               "DateTimeValue")


@dataclass(frozen=True)
class QdpxProject:
    """What :func:`read_qdpx` read: transcripts, codebook and codings, and a warning for
    everything in the file that they cannot hold."""

    transcripts: tuple[Transcript, ...]
    codebook: Codebook
    codings: tuple[Coding, ...]
    warnings: tuple[str, ...] = ()
    name: str = ""
    origin: str = ""


# --------------------------------------------------------------------------- writing

def write_qdc(codebook: Codebook, path: str | Path, *, lang: str = "en",
              colors: Mapping[str, str] | None = None) -> Path:
    """Write ``codebook`` as a REFI-QDA Codebook Exchange file (``.qdc``), atomically.

    Parameters
    ----------
    codebook : Codebook
        At least one code (the schema requires one).
    path : str or Path
    lang : str
        The language of the codes' names in the file (a code without a name in ``lang``
        is named in the first of the codebook's languages that it has).
    colors : mapping, optional
        Code id to ``#RRGGBB``.

    Returns
    -------
    Path
        The file written.
    """
    if not len(codebook):
        raise QualError("the codebook has no codes; a .qdc needs at least one "
                        "(REFI-QDA Codebook.xsd)", file=str(path))
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": _origin()})
    _write_codes(ET.SubElement(root, "Codes"), codebook, lang, colors or {})
    return atomic_write_bytes(path, _xml_bytes(root))


def write_qdpx(path: str | Path, *, transcripts: Sequence[Transcript], codebook: Codebook,
               codings: Sequence[Coding], project_name: str, lang: str = "en",
               colors: Mapping[str, str] | None = None) -> Path:
    """Write transcripts, codebook and codings as a REFI-QDA project (``.qdpx``), atomically.

    Each transcript becomes a text source, each coded segment a ``PlainTextSelection`` of
    the segment's characters with the code and the coder, each coder a user, the case
    attributes cases and variables, the coders' memos notes (see the module's
    documentation). A coding must be for a transcript given here, in the version given
    (its ``transcript_sha256``), with segments of that transcript and codes of the
    codebook, each code at most once per segment.

    Returns
    -------
    Path
        The file written.
    """
    by_id: dict[str, Transcript] = {}
    for t in transcripts:
        if t.id in by_id:
            raise QualError(f"transcript '{t.id}' is given twice", where=t.id)
        by_id[t.id] = t
    _check_text(project_name, "the project name")
    per_transcript = _check_codings(codings, by_id, codebook)
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": project_name,
                                  "origin": _origin()})
    coders = list(dict.fromkeys(c.coder for c in codings))
    if coders:
        users = ET.SubElement(root, "Users")
        for coder in coders:
            _sub(users, "User", {"guid": _guid("user", coder), "name": coder})
    if len(codebook):
        _write_codes(ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes"), codebook,
                     lang, colors or {})
    names = list(dict.fromkeys(k for t in transcripts for k in t.attributes))
    if names:
        variables = ET.SubElement(root, "Variables")
        for name in names:
            _sub(variables, "Variable", {"guid": _guid("variable", name), "name": name,
                                         "typeOfVariable": "Text"})
        cases = ET.SubElement(root, "Cases")
        for t in transcripts:
            if t.attributes:
                case = _sub(cases, "Case", {"guid": _guid("case", t.id), "name": t.id})
                for name, value in t.attributes.items():
                    vv = ET.SubElement(case, "VariableValue")
                    _sub(vv, "VariableRef", {"targetGUID": _guid("variable", name)})
                    _sub(vv, "TextValue", text=value, where=f"attribute {name} of {t.id}")
                _sub(case, "SourceRef", {"targetGUID": _guid("source", t.id)})
    files: list[tuple[str, bytes]] = []
    notes: list[tuple[Coding, str]] = []
    if transcripts:
        sources = ET.SubElement(root, "Sources")
        for t in transcripts:
            files.append(_write_source(sources, t, per_transcript.get(t.id, []), notes))
    if notes:
        notes_el = ET.SubElement(root, "Notes")
        for coding, guid in notes:
            about = f"{coding.coder} on {coding.transcript}"
            note = _sub(notes_el, "Note", {"guid": guid, "name": f"Memo of {about}",
                                           "creatingUser": _guid("user", coding.coder)})
            _sub(note, "PlainTextContent", text=coding.memo, where=f"memo of {about}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("project.qde", _xml_bytes(root)), *files]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return atomic_write_bytes(path, buffer.getvalue())


def _check_codings(codings: Sequence[Coding], transcripts: Mapping[str, Transcript],
                   codebook: Codebook) -> dict[str, list[Coding]]:
    out: dict[str, list[Coding]] = {}
    seen: set[tuple[str, str]] = set()
    for c in codings:
        where = f"coding of {c.coder} on {c.transcript}"
        t = transcripts.get(c.transcript)
        if t is None:
            raise QualError(f"{where}: no transcript '{c.transcript}' is given; pass it in "
                            "transcripts", where=where)
        if c.transcript_sha256 != t.sha256:
            raise QualError(f"{where}: made for another version of the transcript "
                            f"(sha256 {c.transcript_sha256[:12]}…, the file has "
                            f"{t.sha256[:12]}…); recode the changed transcript", where=where)
        if (c.coder, c.transcript) in seen:
            raise QualError(f"{where}: the coder has two codings of this transcript; merge "
                            "them", where=where)
        seen.add((c.coder, c.transcript))
        _check_text(c.coder, "a coder's name")
        segments = {s.id for s in t.segments}
        done: set[tuple[str, str]] = set()
        for a in c.applied:
            if a.segment not in segments:
                raise QualError(f"{where}: no segment '{a.segment}' in transcript "
                                f"'{t.id}'", where=where)
            if a.code not in codebook:
                raise QualError(f"{where}: code '{a.code}' (segment {a.segment}) is not in "
                                "the codebook", where=where)
            if (a.segment, a.code) in done:
                raise QualError(f"{where}: code '{a.code}' is applied twice to segment "
                                f"{a.segment}", where=where)
            done.add((a.segment, a.code))
        out.setdefault(t.id, []).append(c)
    return out


def _write_source(sources: ET.Element, t: Transcript, codings: list[Coding],
                  notes: list[tuple[Coding, str]]) -> tuple[str, bytes]:
    guid = _guid("source", t.id)
    try:
        data = t.text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise QualError(f"transcript '{t.id}' has a character that UTF-8 cannot hold "
                        f"(position {err.start})", where=t.id) from None
    source = _sub(sources, "TextSource", {"guid": guid, "name": t.id,
                                          "plainTextPath": f"internal://{guid}.txt"})
    meta = {"format": t.format, "id": t.id, "sha256": t.sha256, "source": t.source,
            "text_sha256": hashlib.sha256(data).hexdigest()}
    _sub(source, "Description", text=_META + _json(meta), where=f"transcript {t.id}")
    segments = {s.id: s for s in t.segments}
    for coding, a in ((c, a) for c in codings for a in c.applied):
        s = segments[a.segment]
        user = _guid("user", coding.coder)
        sel = _sub(source, "PlainTextSelection", {
            "guid": _guid("selection", t.id, coding.coder, a.segment, a.code),
            "name": a.segment, "startPosition": str(s.start), "endPosition": str(s.end),
            "creatingUser": user})
        if a.memo:
            _sub(sel, "Description", text=a.memo, where=f"memo on {a.segment}")
        code_el = _sub(sel, "Coding", {"guid": _guid("coding", t.id, coding.coder, a.segment,
                                                     a.code), "creatingUser": user})
        _sub(code_el, "CodeRef", {"targetGUID": _guid("code", a.code)})
    for coding in codings:
        if coding.memo:
            note_guid = _guid("note", t.id, coding.coder)
            _sub(source, "NoteRef", {"targetGUID": note_guid})
            notes.append((coding, note_guid))
    return f"sources/{guid}.txt", data


def _write_codes(codes_el: ET.Element, codebook: Codebook, lang: str,
                 colors: Mapping[str, str]) -> None:
    children: dict[str | None, list[Code]] = {}
    ids: set[str] = set()
    for c in codebook:
        if c.id in ids:
            raise QualError(f"code '{c.id}' is in the codebook twice", where=c.id)
        ids.add(c.id)
        children.setdefault(c.parent, []).append(c)
    for c in codebook:
        if c.parent is not None and c.parent not in ids:
            raise QualError(f"code '{c.id}' has parent '{c.parent}', which is not in the "
                            "codebook", where=c.id)
    for cid, color in colors.items():
        if cid not in ids:
            raise QualError(f"colors: no code '{cid}' in the codebook", where=cid)
        if not _RGB.match(color):
            raise QualError(f"colors: '{color}' for code '{cid}' is not #RRGGBB", where=cid)
    written: set[str] = set()

    def add(parent: ET.Element, code: Code) -> None:
        written.add(code.id)
        main = _main_language(code, lang, codebook.languages)
        name = code.name[main] if main else code.id
        el = _sub(parent, "Code", {"guid": _guid("code", code.id), "name": name,
                                   "isCodable": "true", "color": colors.get(code.id)},
                  where=f"code {code.id}")
        _sub(el, "Description", text=_describe(code, main, codebook.languages),
             where=f"code {code.id}")
        for child in children.get(code.id, []):
            add(el, child)

    for top in children.get(None, []):
        add(codes_el, top)
    if len(written) < len(ids):
        stuck = sorted(ids - written)
        raise QualError(f"codes {', '.join(stuck)} are their own ancestors (a cycle of "
                        "parents)", where=stuck[0])


def _main_language(code: Code, lang: str, languages: Sequence[str]) -> str | None:
    for candidate in (lang, *languages, *sorted(code.name)):
        if candidate in code.name:
            return candidate
    return None


def _describe(code: Code, main: str | None, languages: Sequence[str]) -> str:
    """The code's Description (see the module's documentation)."""
    texts = {key: getattr(code, key) for key in _LABELS}
    used = {lg for t in (code.name, *texts.values()) for lg in t}
    blocks = [_block(_LABELS[k], t[main]) for k, t in texts.items() if main in t]
    for lg in [*dict.fromkeys(x for x in (*languages, *sorted(used)) if x in used)]:
        if lg == main:
            continue
        section = [_block("Name", code.name[lg])] if lg in code.name else []
        section += [_block(_LABELS[k], t[lg]) for k, t in texts.items() if lg in t]
        if section:
            blocks += [f"[{lg}]", *section]
    meta: dict[str, object] = {"id": code.id, "lang": main, "languages": list(languages)}
    meta |= {k: v for k in ("stage", "touchpoint", "valence")
             if (v := getattr(code, k)) is not None}
    return "\n\n".join([*blocks, _META + _json(meta)])


def _block(label: str, value: str) -> str:
    first, *rest = value.split("\n")
    lines = [f"{label}: {first}" if first else f"{label}:"]
    for line in rest:
        escape = (_STARTER.match(line) or _HEADER.match(line) or line.startswith("\\")
                  or line.startswith("[cxresearch]"))
        lines.append("\\" + line if escape else line)
    return "\n".join(lines)


def _sub(parent: ET.Element, tag: str, attrib: Mapping[str, str | None] | None = None,
         text: str | None = None, where: str | None = None) -> ET.Element:
    values = {k: v for k, v in (attrib or {}).items() if v is not None}
    for value in (*values.values(), text):
        if value is not None:
            _check_text(value, where or f"{tag} {values.get('name', '')}".strip())
    el = ET.SubElement(parent, tag, values)
    el.text = text
    return el


def _check_text(value: str, where: str) -> None:
    bad = _NOT_XML.search(value)
    if bad:
        raise QualError(f"{where}: character U+{ord(bad.group()):04X} at position "
                        f"{bad.start()} cannot be written in XML; remove it", where=where)


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _guid(kind: str, *parts: str) -> str:
    return str(uuid.uuid5(_GUIDS, "\x1f".join((kind, *parts)))).upper()


def _json(value: Mapping[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _origin() -> str:
    from .. import __version__

    return f"cxresearch {__version__}"


# --------------------------------------------------------------------------- reading

def read_qdc(path: str | Path, *, lang: str = "en") -> tuple[Codebook, list[str]]:
    """Read a REFI-QDA Codebook Exchange file (``.qdc``) from any tool.

    Parameters
    ----------
    path : str or Path
    lang : str
        The language of names and descriptions written by another tool (codes written by
        cxresearch say their language themselves).

    Returns
    -------
    (Codebook, list of str)
        The codebook, parents before children, and one warning for each thing the
        codebook cannot hold (code sets, colours, codes that are not codable).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QualError(f"cannot read the codebook: {err.strerror}", file=str(path)) from None
    root = _parse_xml(data, str(path))
    if _local(root.tag) != "CodeBook":
        raise QualError(f"the root element is <{_local(root.tag)}>, not <CodeBook>: not a "
                        "REFI-QDA codebook (.qdc)", file=str(path))
    warnings = _namespace_warning(root, CODEBOOK_NS)
    reader = _CodeReader(lang, warnings)
    for codes in _kids(root, "Codes"):
        reader.read(codes)
    for s in _kids(root, "Sets"):
        for st in _kids(s, "Set"):
            members = [reader.name_of(m.get("guid")) for m in _kids(st, "MemberCode")]
            warnings.append(f"code set '{st.get('name')}' ({', '.join(members)}) not read: "
                            "the codebook has no sets")
    return reader.codebook(str(path)), reader.finish()


class _CodeReader:
    """Reads nested ``Code`` elements (of a .qdc or a project) into codes, in order."""

    def __init__(self, lang: str, warnings: list[str]) -> None:
        self.lang = lang
        self.warnings = warnings
        self.codes: list[Code] = []
        self.guids: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.languages: list[str] = []
        self.taken: set[str] = set()
        self.colours: list[str] = []

    def read(self, codes_el: ET.Element) -> None:
        for el in _kids(codes_el, "Code"):
            self._code(el, None)

    def name_of(self, guid: str | None) -> str:
        return self.names.get(_norm(guid), f"unknown code {guid}")

    def _code(self, el: ET.Element, parent: str | None) -> None:
        name = el.get("name") or ""
        description = _child_text(el, "Description") or ""
        meta, sections = _parse_description(description)
        cid = meta.get("id") if meta else None
        if not isinstance(cid, str) or not _CODE_ID.match(cid) or cid in self.taken:
            if meta:
                self.warnings.append(f"code '{name}': its id {cid!r} is taken or not an id "
                                     "(a copied code?); given a new id")
            cid = _slug(name, self.taken, "code")
        self.taken.add(cid)
        guid = _norm(el.get("guid"))
        if guid in self.guids:
            raise QualError(f"codes '{self.names[guid]}' and '{name}' have the same guid "
                            f"{el.get('guid')}", where=name)
        self.guids[guid], self.names[guid] = cid, name
        main = meta.get("lang") if meta else self.lang
        main = main if isinstance(main, str) else None
        languages = meta.get("languages") if meta else [self.lang]
        for lg in languages if isinstance(languages, list) else []:
            if isinstance(lg, str) and lg not in self.languages:
                self.languages.append(lg)
        names: dict[str, str] = {main: name} if main else {}
        texts: dict[str, dict[str, str]] = {k: {} for k in _LABELS}
        for lg, fields in sections.items():
            lg = lg or main or self.lang
            if lg not in self.languages:
                self.languages.append(lg)
            for key, value in fields.items():
                if key != "name":
                    texts[key][lg] = value
                elif lg != main:
                    names[lg] = value
                else:
                    self.warnings.append(f"code '{name}': 'Name:' in its description is "
                                         "not read; the code's name is")
        if el.get("isCodable", "true").strip() in ("false", "0"):
            self.warnings.append(f"code '{name}' is not codable (a category) in the file; "
                                 "read as an ordinary code")
        if el.get("color"):
            self.colours.append(name)
        for _ in _kids(el, "NoteRef"):
            self.warnings.append(f"code '{name}': a note (memo) on the code not read")
        valence = meta.get("valence") if meta else None
        if valence is not None and (type(valence) is not int or not -2 <= valence <= 2):
            self.warnings.append(f"code '{name}': valence {valence!r} is not -2 .. 2; "
                                 "not read")
            valence = None
        stage, touchpoint = (meta.get(k) if meta else None for k in ("stage", "touchpoint"))
        self.codes.append(Code(
            id=cid, name=names, parent=parent, **texts,
            stage=stage if isinstance(stage, str) else None,
            touchpoint=touchpoint if isinstance(touchpoint, str) else None,
            valence=valence))
        for child in _kids(el, "Code"):
            self._code(child, cid)

    def codebook(self, source: str | None) -> Codebook:
        return Codebook(tuple(self.codes), tuple(self.languages or [self.lang]), source)

    def finish(self) -> list[str]:
        if self.colours:
            shown = ", ".join(f"'{n}'" for n in self.colours[:5])
            more = f" and {len(self.colours) - 5} more" if len(self.colours) > 5 else ""
            self.warnings.append(f"colours of {_n(len(self.colours), 'code')} ({shown}{more})"
                                 " not kept: the codebook has no colours")
        return self.warnings


def _parse_description(text: str) -> tuple[dict[str, object] | None,
                                           dict[str | None, dict[str, str]]]:
    """(our metadata or None, fields per language; None for the code's own language)."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    meta: dict[str, object] | None = None
    if lines and lines[-1].startswith(_META):
        try:
            parsed = json.loads(lines[-1][len(_META):])
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            meta = parsed
            lines.pop()
    ours = meta is not None
    blocks: list[tuple[str | None, str, list[str]]] = [(None, "preamble", [])]
    for line in lines:
        header, starter = _HEADER.match(line), _STARTER.match(line)
        if header:
            blocks.append((header.group(1), "preamble", []))
        elif starter:
            value = line[len(starter.group(1)) + 1:]
            blocks.append((blocks[-1][0], _FIELDS[starter.group(1)], [value[1:] if
                                                                      value.startswith(" ")
                                                                      else value]))
        else:
            blocks[-1][2].append(line[1:] if ours and line.startswith("\\") else line)
    sections: dict[str | None, dict[str, str]] = {}
    for lg, key, body in blocks:
        value = "\n".join(body)
        if ours:
            value = value[:-1] if value.endswith("\n") else value
        else:
            value = value.strip()
        fields = sections.setdefault(lg, {})
        if key == "preamble":
            if value.strip():
                fields["definition"] = "\n\n".join(filter(None, (value,
                                                                 fields.get("definition"))))
        elif key == "definition" and "definition" in fields:
            fields["definition"] += "\n\n" + value
        else:
            fields[key] = value
    return meta, {lg: f for lg, f in sections.items() if f}


def read_qdpx(path: str | Path, *, lang: str = "en",
              transcripts: Sequence[Transcript] | None = None) -> QdpxProject:
    """Read a REFI-QDA project (``.qdpx``) from NVivo, ATLAS.ti, MAXQDA, QualCoder or us.

    Parameters
    ----------
    path : str or Path
    lang : str
        The language of code names and descriptions written by another tool.
    transcripts : sequence of Transcript, optional
        Our transcripts. A text source with the same text as one of them (matched by our
        id, else by text) is read as that transcript, with its segments, sha256 and
        attributes, and a selection with exactly a segment's characters is a coding of
        that segment.

    Returns
    -------
    QdpxProject
        A selection that is none of our segments becomes a segment of its own (kind
        :data:`SELECTION_KIND`). Everything the model cannot hold (sources other than
        text, graphic selections, sets, links, graphs, notes not on a source or a
        coding, ...) is skipped with a warning that says what and where.

    Raises
    ------
    QualError
        The file is not a zip, has no ``project.qde``, a member outside the archive
        (``..`` or an absolute path), XML that does not parse (with the line), or a
        coding of a code that the codebook does not have.
    """
    path = Path(path)
    zf, members = _open_zip(path)
    with zf:
        try:
            root = _parse_xml(zf.read("project.qde"), f"{path}!project.qde")
            if _local(root.tag) != "Project":
                raise QualError(f"the root element is <{_local(root.tag)}>, not <Project>",
                                file=f"{path}!project.qde")
            return _ProjectReader(path, zf, members, root, lang, transcripts or ()).read()
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise QualError(f"the archive is damaged: {err}", file=str(path)) from None


class _ProjectReader:
    def __init__(self, path: Path, zf: zipfile.ZipFile, members: Mapping[str, str],
                 root: ET.Element, lang: str, ours: Sequence[Transcript]) -> None:
        self.path, self.zf, self.members, self.root = path, zf, members, root
        self.origin = root.get("origin") or ""
        self.atlas = "atlas" in self.origin.lower()
        self.warnings = _namespace_warning(root, PROJECT_NS)
        self.codes = _CodeReader(lang, self.warnings)
        self.ours = list(ours)
        self.users: dict[str, str] = {}
        self.variables: dict[str, tuple[str, str]] = {}
        self.case_values: dict[str, list[tuple[str, str, str]]] = {}
        self.notes: dict[str, ET.Element] = {}
        self.used_notes: set[str] = set()
        self.taken: set[str] = set()
        self.case_names: dict[str, str] = {}
        self.read_sources: set[str] = set()
        self.no_user: set[str] = set()

    def read(self) -> QdpxProject:
        top = {_local(el.tag): el for el in self.root}
        for tag in top.keys() - _PROJECT_PARTS:
            self.warnings.append(f"<{tag}> in the project not read: not part of REFI-QDA 1.0")
        for user in _kids(top.get("Users"), "User"):
            self.users[_norm(user.get("guid"))] = (user.get("name") or user.get("id")
                                                   or str(user.get("guid")))
        for codes in _kids(top.get("CodeBook"), "Codes"):
            self.codes.read(codes)
        for var in _kids(top.get("Variables"), "Variable"):
            self._variable(var)
        for case in _kids(top.get("Cases"), "Case"):
            self._case(case)
        for note in _kids(top.get("Notes"), "Note"):
            self.notes[_norm(note.get("guid"))] = note
        transcripts: list[Transcript] = []
        codings: list[Coding] = []
        for source in _kids(top.get("Sources"), None):
            kind = _local(source.tag)
            if kind == "TextSource":
                got = self._text_source(source)
                if got:
                    transcripts.append(got[0])
                    codings += got[1]
            else:
                self._other_source(source, kind)
        for guid, values in self.case_values.items():
            if guid not in self.read_sources:
                for origin in dict.fromkeys(o for _k, _v, o in values):
                    self.warnings.append(f"{origin}: its variables for source {guid} not "
                                         "read: no text source was read with that guid")
        for link in _kids(top.get("Links"), "Link"):
            ends = " and ".join(self.codes.names.get(_norm(link.get(k)), str(link.get(k)))
                                for k in ("originGUID", "targetGUID"))
            self.warnings.append(f"link '{link.get('name') or link.get('guid')}' between "
                                 f"{ends} not read: links are not kept")
        for s in _kids(top.get("Sets"), "Set"):
            n = sum(1 for m in s if _local(m.tag).startswith("Member"))
            self.warnings.append(f"set '{s.get('name')}' ({_n(n, 'member')}) not read: sets "
                                 "are not kept")
        for graph in _kids(top.get("Graphs"), "Graph"):
            self.warnings.append(f"graph '{graph.get('name') or graph.get('guid')}' not "
                                 "read: graphs are not kept")
        if (_child_text(self.root, "Description") or "").strip():
            self.warnings.append(f"the project's description"
                                 f"{_quote(_child_text(self.root, 'Description'))} not read: "
                                 "a project memo is not kept")
        for guid, note in self.notes.items():
            if guid not in self.used_notes:
                self.warnings.append(f"note '{note.get('name') or note.get('guid')}'"
                                     f"{_quote(self._note_text(note))} not read: it is not a "
                                     "memo on a text source or a coding")
        return QdpxProject(tuple(transcripts), self.codes.codebook(f"{self.path}!project.qde"),
                           tuple(codings), tuple(self.codes.finish()),
                           self.root.get("name") or "", self.origin)

    def _variable(self, var: ET.Element) -> None:
        name, kind = var.get("name") or str(var.get("guid")), var.get("typeOfVariable") or ""
        if kind not in ("Text", "Boolean", "Integer", "Float", "Date", "DateTime"):
            self.warnings.append(f"variable '{name}' of type '{kind}' not read: not a "
                                 "REFI-QDA variable type")
            return
        if kind != "Text":
            self.warnings.append(f"variable '{name}' is {kind}; its values are read as text "
                                 "(case attributes are text)")
        if (_child_text(var, "Description") or "").strip():
            self.warnings.append(f"variable '{name}': its description"
                                 f"{_quote(_child_text(var, 'Description'))} not read")
        self.variables[_norm(var.get("guid"))] = (name, kind)

    def _values(self, owner: ET.Element, where: str) -> list[tuple[str, str]]:
        out = []
        for vv in _kids(owner, "VariableValue"):
            ref = next(iter(_kids(vv, "VariableRef")), None)
            var = self.variables.get(_norm(ref.get("targetGUID") if ref is not None else None))
            if var is None:
                self.warnings.append(f"{where}: a value of an unknown or unread variable "
                                     "not read")
                continue
            value = next((el.text or "" for el in vv if _local(el.tag) in _VALUE_TAGS), "")
            out.append((var[0], value if var[1] == "Text" else value.strip()))
        return out

    def _case(self, case: ET.Element) -> None:
        name = case.get("name")
        where = f"case '{name}'" if name else f"case {case.get('guid')}"
        values = self._values(case, where)
        refs = [_norm(r.get("targetGUID")) for r in _kids(case, "SourceRef")]
        if not refs:
            self.warnings.append(f"{where}: not linked to a source; its variables not read")
        for r in refs:
            self.case_values.setdefault(r, []).extend((k, v, where) for k, v in values)
        for tag, what in (("CodeRef", "codes"), ("SelectionRef", "selections")):
            if _kids(case, tag):
                self.warnings.append(f"{where}: its links to {what} not read: a case is the "
                                     "transcript's attributes")
        if (_child_text(case, "Description") or "").strip():
            self.warnings.append(f"{where}: its description (memo"
                                 f"{_quote(_child_text(case, 'Description'))}) not read")
        for r in refs:
            if name:
                self.case_names.setdefault(r, name)

    def _other_source(self, source: ET.Element, kind: str) -> None:
        name = source.get("name") or source.get("path") or source.get("guid")
        what = _OTHER_SOURCES.get(kind, kind)
        selections = [el for el in source.iter() if _local(el.tag).endswith("Selection")]
        n = sum(len(_kids(s, "Coding")) for s in selections)
        self.warnings.append(f"{what} source '{name}' not read: only text sources are "
                             f"({_n(len(selections), 'selection')}, {_n(n, 'coding')})")
        for sel in selections:
            if _local(sel.tag) in ("PictureSelection", "PDFSelection"):
                box = ",".join(sel.get(k) or "?" for k in ("firstX", "firstY", "secondX",
                                                           "secondY"))
                codes = [self.codes.name_of(_code_ref(c)) for c in _kids(sel, "Coding")]
                self.warnings.append(f"graphic selection ({box}) in {what} source '{name}' "
                                     f"coded {', '.join(codes) or 'with nothing'}: not read")

    def _text_source(self, source: ET.Element) -> tuple[Transcript, list[Coding]] | None:
        name = source.get("name") or str(source.get("guid"))
        where = f"text source '{name}'"
        selections = _kids(source, "PlainTextSelection")
        lost = (f" ({_n(len(selections), 'selection')}, "
                f"{_n(sum(len(_kids(s, 'Coding')) for s in selections), 'coding')})")
        raw, member = self._plain_text(source, where, lost)
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise QualError(f"{where}: the plain text is not UTF-8 (byte {err.start}); "
                            "REFI-QDA plain text is UTF-8", file=f"{self.path}!{member}",
                            where=name) from None
        text = text[1:] if text.startswith("\ufeff") else text
        meta, _sections = _parse_description(_child_text(source, "Description") or "")
        if meta is None and (_child_text(source, "Description") or "").strip():
            self.warnings.append(f"{where}: its description (memo"
                                 f"{_quote(_child_text(source, 'Description'))}) not read")
        ours_meta = meta is not None and meta.get("text_sha256") == hashlib.sha256(
            text.encode("utf-8")).hexdigest()
        if meta is not None and not ours_meta:
            self.warnings.append(f"{where}: the text changed after cxresearch wrote it; read "
                                 "as a new version")
        tid = meta.get("id") if meta and ours_meta else None
        base = self._match(text, tid if isinstance(tid, str) else None, name, where)
        if base is None:
            tid = tid if isinstance(tid, str) and tid not in self.taken else _slug(
                re.sub(r"\.(txt|docx?|rtf|odt|md|html?|pdf)$", "", name, flags=re.I),
                self.taken, "source")
            sha = (str(meta.get("sha256")) if meta and ours_meta
                   else hashlib.sha256(raw).hexdigest())
            base = Transcript(
                id=tid, text=text, sha256=sha,
                source=str(meta.get("source")) if meta and ours_meta else f"{self.path}!{member}",
                format=str(meta.get("format")) if meta and ours_meta else "txt")
            if not ours_meta:
                self._text_warnings(text, where)
        self.taken.add(base.id)
        self.read_sources.add(_norm(source.get("guid")))
        attributes = self._attributes(source, base, where)
        convert = _atlas_converter(text) if self.atlas else None
        segments, codings = self._selections(source, base, text, convert, where,
                                             named=ours_meta and not base.segments)
        transcript = dataclasses.replace(base, attributes=attributes,
                                         segments=tuple(segments))
        return transcript, codings

    def _plain_text(self, source: ET.Element, where: str,
                    lost: str = "") -> tuple[bytes | None, str]:
        content = next(iter(_kids(source, "PlainTextContent")), None)
        if content is not None:
            return (content.text or "").encode("utf-8"), "project.qde"
        ref = source.get("plainTextPath") or ""
        if not ref.startswith("internal://"):
            self.warnings.append(f"{where} not read{lost}: its plain text is "
                                 f"{ref or 'missing'}, not inside the project")
            return None, ""
        inner = _safe_member(ref[len("internal://"):], self.path)
        member = self.members.get(inner.lower())
        if member is None:
            self.warnings.append(f"{where} not read{lost}: sources/{inner} is not in the "
                                 "project")
            return None, ""
        return self.zf.read(member), member

    def _text_warnings(self, text: str, where: str) -> None:
        if "\r\n" in text and not self.atlas:
            self.warnings.append(f"{where}: has Windows line breaks; positions read counting "
                                 "\\r\\n as two characters: check that quotes line up")
        if any(ord(ch) > 0xFFFF for ch in text):
            self.warnings.append(f"{where}: has characters beyond U+FFFF (emoji); positions "
                                 "read as code points, a tool counting UTF-16 units differs "
                                 "after them")

    def _match(self, text: str, tid: str | None, name: str, where: str) -> Transcript | None:
        free = {t.id: t for t in self.ours if t.id not in self.taken}
        stem = re.sub(r"\.[A-Za-z]{2,4}$", "", name)
        wanted = next((free[k] for k in (tid, name, stem) if k in free), None)
        if wanted is not None and wanted.text == text:
            return wanted
        if wanted is not None:
            self.warnings.append(f"{where}: its text differs from transcript '{wanted.id}'; "
                                 "read as another version")
        return next((t for t in free.values() if t.text == text), None)

    def _attributes(self, source: ET.Element, base: Transcript, where: str) -> dict[str, str]:
        found: dict[str, str] = {}
        values = [(k, v, where) for k, v in self._values(source, where)]
        values += self.case_values.get(_norm(source.get("guid")), [])
        for key, value, origin in values:
            if key in found and found[key] != value:
                self.warnings.append(f"{where}: {key} is '{found[key]}' and, from {origin}, "
                                     f"'{value}'; the first kept")
            found.setdefault(key, value)
        case_name = self.case_names.get(_norm(source.get("guid")))
        if case_name and case_name != base.id:
            self.warnings.append(f"{where}: the name of its case '{case_name}' not kept (the "
                                 f"transcript is '{base.id}')")
        if not base.attributes:
            return found
        for key, value in found.items():
            if key not in base.attributes:
                self.warnings.append(f"{where}: {key} '{value}' not kept: transcript "
                                     f"'{base.id}' has no such attribute")
            elif base.attributes[key] != value:
                self.warnings.append(f"{where}: {key} is '{value}' in the project, "
                                     f"'{base.attributes[key]}' in transcript '{base.id}'; "
                                     "the transcript's kept")
        return dict(base.attributes)

    def _selections(self, source: ET.Element, base: Transcript, text: str,
                    convert: Callable[[int], int] | None, where: str,
                    named: bool) -> tuple[list[Segment], list[Coding]]:
        """Segments and codings; ``named``: selection names are our segment ids."""
        found = self._found(source, text, convert, where)
        segments = list(base.segments)
        known = {s.id: (s.start, s.end) for s in segments}
        by_range: dict[tuple[int, int], str] = {}
        for s in segments:
            by_range.setdefault((s.start, s.end), s.id)
        ids: list[str | None] = []
        for rng, label, *_ in found:
            m = re.fullmatch(re.escape(base.id) + r":([tsx])\d+", label)
            if known.get(label) == rng:
                ids.append(label)
            elif m and named and label not in known:
                ids.append(label)
                known[label] = rng
                by_range.setdefault(rng, label)
                segments.append(self._segment(label, base.id, rng, _SEGMENT_KINDS[m[1]], text))
            else:
                ids.append(by_range.get(rng))
        number = 0
        for rng in sorted({f[0] for f, sid in zip(found, ids) if sid is None}):
            number += 1
            while f"{base.id}:x{number:04d}" in known:
                number += 1
            known[f"{base.id}:x{number:04d}"] = rng
            by_range[rng] = f"{base.id}:x{number:04d}"
            segments.append(self._segment(by_range[rng], base.id, rng, SELECTION_KIND, text))
        applied: dict[str, list[CodedSegment]] = {}
        for (rng, _label, coder, code, memo), sid in zip(found, ids):
            applied.setdefault(coder, []).append(CodedSegment(sid or by_range[rng], code, memo))
        memos: dict[str, list[str]] = {}
        for ref in _kids(source, "NoteRef"):
            note = self.notes.get(_norm(ref.get("targetGUID")))
            if note is None:
                self.warnings.append(f"{where}: refers to a note that is not in the project")
                continue
            self.used_notes.add(_norm(ref.get("targetGUID")))
            user = self.users.get(_norm(note.get("creatingUser") or note.get("modifyingUser")))
            if user is None:
                self.warnings.append(f"{where}: note '{note.get('name')}' has no known user; "
                                     "kept as the memo of coder 'unknown'")
            memos.setdefault(user or "unknown", []).append(self._note_text(note))
        new = sorted(segments[len(base.segments):], key=lambda s: (s.start, s.end, s.id))
        return [*base.segments, *new], [
            Coding(coder, base.id, base.sha256, tuple(applied.get(coder, [])),
                   "\n\n".join(memos.get(coder, [])))
            for coder in dict.fromkeys([*applied, *memos])]

    def _found(self, source: ET.Element, text: str, convert: Callable[[int], int] | None,
               where: str) -> list[tuple[tuple[int, int], str, str, str, str]]:
        """Each coding of the source: (range, selection name, coder, code id, memo)."""
        found = []
        items: list[tuple[ET.Element, ET.Element | None]] = [
            *((sel, sel) for sel in _kids(source, "PlainTextSelection")),
            *((coding, None) for coding in _kids(source, "Coding"))]  # the whole source
        for el, sel in items:
            start, end, codings, label = 0, len(text), [el], "the whole text"
            if sel is not None:
                try:
                    start, end = int(el.get("startPosition", "")), int(el.get("endPosition", ""))
                except ValueError:
                    self.warnings.append(f"{where}: a selection without valid positions not "
                                         "read")
                    continue
                if convert:
                    start, end = convert(start), convert(end)
                codings, label = _kids(el, "Coding"), f"characters {start}-{end}"
            if not 0 <= start <= end <= len(text):
                self.warnings.append(f"{where}: selection of {label} is outside the text "
                                     f"({len(text)} characters); not read")
                continue
            memo = [] if sel is None else [_child_text(el, "Description") or "",
                                           *self._note_texts(el)]
            memo = [m for m in memo if m.strip()]
            if not codings:
                self.warnings.append(f"{where}: an uncoded selection of {label} (an "
                                     f"annotation{_quote(' '.join(memo).strip())}) not read")
            for coding in codings:
                cguid = _code_ref(coding)
                if _norm(cguid) not in self.codes.guids:
                    raise QualError(f"{where}: a coding of {label} refers to code {cguid}, "
                                    "which is not in the codebook",
                                    file=f"{self.path}!project.qde", where=str(cguid))
                text_memo = "\n\n".join(filter(None, [*memo, *self._note_texts(coding)]))
                found.append(((start, end), (sel.get("name") or "") if sel is not None else "",
                              self._coder(coding, sel, where),
                              self.codes.guids[_norm(cguid)], text_memo))
        return found

    @staticmethod
    def _segment(sid: str, tid: str, rng: tuple[int, int], kind: str, text: str) -> Segment:
        return Segment(sid, tid, *rng, kind=kind, line=text.count("\n", 0, rng[0]) + 1)

    def _coder(self, coding: ET.Element, sel: ET.Element | None, where: str) -> str:
        for el in (coding, sel):
            if el is None:
                continue
            for attr in ("creatingUser", "modifyingUser"):
                guid = el.get(attr)
                if guid:
                    if _norm(guid) in self.users:
                        return self.users[_norm(guid)]
                    self.warnings.append(f"{where}: user {guid} is not in the project's "
                                         "users; its guid is the coder")
                    self.users[_norm(guid)] = guid
                    return guid
        if where not in self.no_user:
            self.no_user.add(where)
            self.warnings.append(f"{where}: codings without a user; kept as coder 'unknown'")
        return "unknown"

    def _note_texts(self, el: ET.Element) -> list[str]:
        out = []
        for ref in _kids(el, "NoteRef"):
            guid = _norm(ref.get("targetGUID"))
            if guid in self.notes:
                self.used_notes.add(guid)
                out.append(self._note_text(self.notes[guid]))
        return out

    def _note_text(self, note: ET.Element) -> str:
        content = _child_text(note, "PlainTextContent")
        if content is not None:
            return content
        raw, _member = self._plain_text(note, f"note '{note.get('name')}'")
        return raw.decode("utf-8", "replace").lstrip("\ufeff") if raw else ""


# --------------------------------------------------------------------------- helpers

def _open_zip(path: Path) -> tuple[zipfile.ZipFile, dict[str, str]]:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise QualError("no such file", file=str(path)) from None
    except (zipfile.BadZipFile, OSError):
        raise QualError("not a REFI-QDA project (.qdpx): the file is not a zip archive",
                        file=str(path)) from None
    names = zf.namelist()
    try:
        for name in names:
            _safe_member(name, path)
    except QualError:
        zf.close()
        raise
    if "project.qde" not in names:
        other = [n for n in names if n.lower().endswith(".qde")]
        zf.close()
        hint = f" (it has {', '.join(other)})" if other else ""
        raise QualError(f"no project.qde in the archive{hint}; a REFI-QDA project keeps its "
                        "XML in project.qde at the top", file=str(path))
    members = {}
    for name in names:
        folder, _, rest = name.replace("\\", "/").partition("/")
        if folder.lower() == "sources" and rest:
            members[rest.lower()] = name
    return zf, members


def _safe_member(name: str, path: Path) -> str:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts):
        raise QualError(f"refused: the archive member '{name}' points outside the project "
                        "(an absolute path or '..')", file=str(path))
    return name


def _parse_xml(data: bytes, file: str) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise QualError("the XML declares a DTD or entities, which REFI-QDA files never do; "
                        "refused", file=file)
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise QualError(f"the XML does not parse: {err}", file=file,
                        line=err.position[0]) from None


def _namespace_warning(root: ET.Element, expected: str) -> list[str]:
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if ns == expected:
        return []
    return [f"namespace '{ns}' is not {expected}; read as REFI-QDA 1.0"]


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _kids(el: ET.Element | None, name: str | None) -> list[ET.Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and (name is None or _local(c.tag) == name)]


def _child_text(el: ET.Element, name: str) -> str | None:
    child = next(iter(_kids(el, name)), None)
    return None if child is None else (child.text or "")


def _code_ref(coding: ET.Element) -> str | None:
    ref = next(iter(_kids(coding, "CodeRef")), None)
    return None if ref is None else ref.get("targetGUID")


def _quote(text: str | None, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return f" '{text[:width]}…'" if len(text) > width else (f" '{text}'" if text else "")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _norm(guid: str | None) -> str:
    return (guid or "").strip().strip("{}").lower()


def _slug(name: str, taken: set[str], fallback: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_").lower() or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _atlas_converter(text: str) -> Callable[[int], int] | None:
    """ATLAS.ti counts ``\\r\\n`` as one character: map its positions to ours."""
    breaks = [m.start() - k for k, m in enumerate(re.finditer("\r\n", text))]
    if not breaks:
        return None
    return lambda p: p + bisect_left(breaks, p)

