"""Reading interview transcripts (``.txt``, ``.md``, ``.docx``, ``.vtt``, ``.srt``) into
speaker turns or sentences that point into the text as read.

The file is read once, hashed (sha256 of its bytes) and never written. The decoded text
is kept as it is: every :class:`~cxresearch.qual.model.Segment` holds character offsets
into :attr:`Transcript.text <cxresearch.qual.model.Transcript.text>`, so
``transcript.text[s.start:s.end]`` is exactly the words of the turn or sentence.

Format rules
------------
* **Encoding.** UTF-8 (with or without a byte-order mark) and UTF-16 with a BOM are read
  as they are; the BOM is not part of the text. Anything else raises :class:`QualError`
  with the byte offset and line of the first undecodable byte; pass ``encoding=`` (for
  files saved by older Windows programs, ``encoding="cp1252"``), which is then used as
  it is. ``.docx`` files are XML and ignore ``encoding``.
* **Text, Markdown and Word.** A line that starts with a speaker label starts a turn:
  ``Interviewer: ...``, ``R: ...``, ``Speaker 2: ...``, in Markdown ``**Klant:** ...`` or
  ``**Klant**: ...``. A timestamp may stand before the label, between label and colon, or
  right after the colon: ``[00:01:23] R: ...``, ``00:01:23 R: ...``, ``R (01:23): ...``,
  ``R: [01:23] ...`` (bracketed ``mm:ss``, minutes may pass 59, or ``h:mm:ss``;
  unbracketed only ``h:mm:ss``; a fraction after ``.`` or ``,``). A label is one to four
  words of at most 40 characters, followed by a colon and a space. So that
  ``Kortom: ...`` inside an answer does not become a speaker, a plain label counts only
  when it starts two or more lines of the file, is a role
  (interviewer, respondent, klant, medewerker, ...), is a letter with an optional number
  (``R``, ``P2``), is bold in Markdown, or has a timestamp. A line without a label
  continues the turn before it (blank lines included); text before the first label is a
  turn with ``speaker=None``. In Markdown, headings (``# ...``) and rules (``---``) end
  the turn before them and belong to no segment.
* **Word.** ``Transcript.text`` is the body's paragraphs joined with ``"\\n"`` (a line
  break inside a paragraph stays ``"\\n"``, a tab ``"\\t"``); ``Segment.line`` is the
  paragraph number (1-based). Tables, headers, footers, footnotes and comments are not
  read (a document with text only in tables raises :class:`QualError`).
* **Subtitles.** Each cue is one turn with the cue's times; its speaker comes from a
  ``<v Name>`` tag (vtt) or a leading ``Name:``, and a cue without one keeps the speaker
  of the cue before it (subtitle files name the speaker when it changes). A cue in
  which a second voice starts a line is two turns with the same times. Consecutive cues
  of one speaker are *not* merged: a segment is one stretch of the text, and the text
  between two cues holds their numbers and times. Cue markup (``<i>``, ``</v>``) stays
  in the text; :func:`quote` removes it.
* **Times.** Subtitle turns carry the cue's start and end. In timestamped text a turn
  starts at its timestamp and ends where the next timestamped turn starts (``None`` for
  the last one). Sentences carry the times of their turn.
* **Sentences.** ``segment="sentence"`` cuts every turn with :func:`sentence_spans`, a
  small rule-based splitter of our own that keeps offsets and knows Dutch and English
  abbreviations. Sentence ids are numbered through the transcript (``c01:s0001``).

We parse ``.vtt`` and ``.srt`` ourselves: ``webvtt-py`` and ``srt`` return each cue's text
detached from the file (lines re-joined, line endings normalised, no offsets and no line
numbers), and a segment has to point into the text as read.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import hashlib
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Mapping

from .._optional import import_optional
from .model import RESPONDENT_TYPES, SEGMENT_KINDS, QualError, Segment, Transcript

__all__ = ["SUPPORTED_SUFFIXES", "quote", "read_transcript", "read_transcripts",
           "sentence_spans"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")
"""The transcript files :func:`read_transcript` reads."""

_ROLES = frozenset("""interviewer interviewee respondent respondente moderator
    facilitator researcher onderzoeker interviewster gespreksleider deelnemer participant
    klant customer client cliënt medewerker employee behandelaar handler agent spreker
    speaker vraag antwoord question answer""".split())
_TS = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TSTOKEN = (rf"(?:\[[ \t]*{_TS}[ \t]*\]|\([ \t]*{_TS}[ \t]*\)"
            r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)")  # bare: only h:mm:ss
_LABEL = r"[^\W_][\w'’.&/()-]*(?:[ \t][\w'’.&/()-]+){0,3}"
_SPEAKER = re.compile(
    rf"[ \t]*(?:(?P<ts1>{_TSTOKEN})[ \t]*(?:[-–—][ \t]*)?)?"
    rf"(?:\*\*(?P<bold>{_LABEL})(?:[ \t]*(?P<tsb>{_TSTOKEN}))?[ \t]*"
    rf"(?::\*\*|\*\*(?:[ \t]*(?P<tsc>{_TSTOKEN}))?[ \t]*:)"
    rf"|(?P<label>{_LABEL})(?:[ \t]*(?P<ts2>{_TSTOKEN}))?[ \t]*:)"
    rf"(?=[ \t\r]|$)[ \t]*(?:(?P<ts3>{_TSTOKEN})(?=[ \t\r]|$))?")
_TS_PARTS = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?")
_MD_SKIP = re.compile(r" {0,3}(?:#{1,6}(?:[ \t\r]|$)|(?:[-*_][ \t]*){3,}\r?$)")
_CUE_TIME = re.compile(r"[ \t]*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})[ \t]+-->[ \t]+"
                       r"((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:[ \t\r].*)?$")
_VOICE = re.compile(r"[ \t]*<v(?:\.[\w.-]+)*[ \t]+([^>]*?)[ \t]*>[ \t]*")
_CUE_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")

# Sentence splitting: a candidate end is a run of . ! ? … (closing quotes or brackets may
# follow) before white space, or a blank line.
_END = re.compile(r"([.!?…]+)[\"'”’»)\]]*(?=\s)|\n[ \t\r]*\n")
_WORD_BEFORE = re.compile(r"[\w.'’-]*$")
_NEVER_ENDS = frozenset("""e.g i.e cf vs viz a.k.a approx dept fig no nos nr nrs mr mrs ms
    dr prof st sr jr rev gen capt o.a bijv bv d.w.z m.a.w m.b.t t.a.v i.p.v n.a.v v.w.b
    m.i ca evt incl excl mevr mw dhr hr ir ing drs ds blz pag tel zgn ong resp vgl t.o.v
    a.d.h.v i.v.m i.s.m""".split())
_NEXT = re.compile(r"\s*(?:['’][stn]\s|[\"'‘“„«(\[]*[^\W_])")
"""What may start a sentence: a letter or digit (after quotes or brackets), or 's / 't."""


def read_transcript(path: str | Path, *, id: str | None = None,  # noqa: A002 - the model's name
                    attributes: Mapping[str, str] | None = None, segment: str = "turn",
                    encoding: str | None = None) -> Transcript:
    """Read one transcript file into speaker turns or sentences.

    Parameters
    ----------
    path : str or Path
        A ``.txt``, ``.md``, ``.docx``, ``.vtt`` or ``.srt`` file (see the module's format
        rules).
    id : str, optional
        The transcript id (default: the file name without suffix); segment ids are
        ``<id>:t0001`` (turns) or ``<id>:s0001`` (sentences).
    attributes : mapping, optional
        Case attributes, e.g. ``{"respondent_type": "customer", "wave": "1"}``.
    segment : {"turn", "sentence"}
        Cut into speaker turns, or into the sentences of each turn.
    encoding : str, optional
        Decode with this codec instead of detecting UTF-8/UTF-16 (e.g. ``"cp1252"``).

    Returns
    -------
    Transcript
        ``text`` as decoded, ``sha256`` of the file's bytes, and segments whose offsets
        point into ``text``.

    Raises
    ------
    QualError
        An unsupported suffix, an unreadable, undecodable or empty file, a malformed
        subtitle file, an invalid id, segment or respondent type.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c01.txt"
    >>> _ = path.write_text("[00:00:05] Interviewer: Hoe ging het?\\n"
    ...                     "[00:00:09] Klant: Goed, bijv. de app. Het duurde 3.5 dag.\\n",
    ...                     encoding="utf-8")
    >>> t = read_transcript(path)
    >>> [(s.id, s.speaker, s.time_start, t.text[s.start:s.end]) for s in t.segments]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('c01:t0001', 'Interviewer', 5.0, 'Hoe ging het?'),
     ('c01:t0002', 'Klant', 9.0, 'Goed, bijv. de app. Het duurde 3.5 dag.')]
    >>> [t.quote(s) for s in read_transcript(path, segment="sentence").segments]
    ['Hoe ging het?', 'Goed, bijv. de app.', 'Het duurde 3.5 dag.']
    """
    _check_segment(segment)
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise QualError(f"'{suffix or path.name}' files cannot be read as transcripts; "
                        f"supported: {', '.join(SUPPORTED_SUFFIXES)}", file=name,
                        where="suffix")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QualError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    tid = path.stem if id is None else id
    if not tid or ":" in tid or tid != tid.strip():
        raise QualError(f"the transcript id {tid!r} is empty, has a ':' or spaces around "
                        "it; pass id= with letters, digits, '-' or '_'", file=name,
                        where="id")
    attrs = {str(k): str(v) for k, v in (attributes or {}).items()}
    _check_respondent_type(attrs.get("respondent_type"), file=name)
    if suffix == ".docx":
        text, paragraphs = _read_docx(data, name)
    else:
        text, paragraphs = _decode(data, name, encoding), None
    if not text.strip():
        raise QualError("the transcript is empty (or only white space)", file=name)
    lines = [0]  # offsets where each line starts
    pos = text.find("\n")
    while pos >= 0:
        lines.append(pos + 1)
        pos = text.find("\n", pos + 1)
    if suffix in (".vtt", ".srt"):
        turns = _cue_turns(text, lines, name, suffix)
    else:
        turns = _text_turns(text, lines, name, markdown=suffix == ".md")
    if not turns:
        raise QualError("no words found outside headings and rules", file=name)
    segments = _segments(tid, text, turns, paragraphs or lines, segment)
    return Transcript(id=tid, text=text, source=name, sha256=hashlib.sha256(data).hexdigest(),
                      format=suffix[1:], attributes=attrs, segments=segments)


def read_transcripts(folder: str | Path, *, cases: str | Path | None = "cases.csv",
                     segment: str = "turn") -> list[Transcript]:
    """Read every transcript file in ``folder`` (sorted by name), with case attributes.

    Parameters
    ----------
    folder : str or Path
        A folder of ``.txt``, ``.md``, ``.docx``, ``.vtt`` and ``.srt`` files (not its
        subfolders; hidden files and Word's ``~$`` lock files are passed over). Each
        file's id is its name without suffix.
    cases : str, Path or None
        A CSV file (relative to ``folder`` unless absolute; ``,`` or ``;`` separated):
        column ``transcript`` holds the id, the other columns are case attributes
        (``respondent_type``, ``segment``, ``team``, ``wave``, ``language``, any others;
        names are lower-cased, values stripped, empty cells left out). Without the
        default ``cases.csv`` every transcript has empty attributes; ``None`` skips it.
        A transcript without a row is read with empty attributes.
    segment : {"turn", "sentence"}

    Raises
    ------
    QualError
        No transcripts, two files with one id (``c01.txt`` and ``c01.docx``), and in
        ``cases``: no ``transcript`` column, a duplicate column or id, a row naming no
        transcript in the folder, a row of the wrong length, an unknown
        ``respondent_type`` (with file and line); and what :func:`read_transcript`
        raises.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "e01.txt").write_text("I: Hoe lang werk je hier?\\nR: Twee jaar.\\n")
    >>> _ = (folder / "cases.csv").write_text("transcript;respondent_type;team\\n"
    ...                                       "e01;employee;desk_south\\n")
    >>> [(t.id, dict(t.attributes), len(t.segments)) for t in read_transcripts(folder)]
    [('e01', {'respondent_type': 'employee', 'team': 'desk_south'}, 2)]
    """
    _check_segment(segment)
    folder = Path(folder)
    if not folder.is_dir():
        raise QualError("not a folder (read_transcript reads one file)", file=str(folder))
    cases_path = None if cases is None else (
        Path(cases) if Path(cases).is_absolute() else folder / cases)
    files: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if (p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith((".", "~$"))
                and p != cases_path and p.is_file()):
            if p.stem in files:
                raise QualError(f"two files have the id '{p.stem}': {files[p.stem].name} and "
                                f"{p.name}; rename or remove one", file=str(p), where=p.stem)
            files[p.stem] = p
    if not files:
        raise QualError("no transcripts in the folder (looked for "
                        f"{', '.join(SUPPORTED_SUFFIXES)})", file=str(folder))
    attributes: dict[str, dict[str, str]] = {}
    if cases_path is not None:
        if cases_path.is_file():
            attributes = _read_cases(cases_path, files)
        elif str(cases) != "cases.csv":
            raise QualError("the cases file does not exist (pass cases=None to read without "
                            "case attributes)", file=str(cases_path), where="cases")
    return [read_transcript(p, id=tid, attributes=attributes.get(tid), segment=segment)
            for tid, p in files.items()]


def quote(transcript: Transcript, segment: Segment | str, *, scrub: bool = True) -> str:
    """The words of a segment, on one line, for a report; personal data scrubbed.

    Parameters
    ----------
    transcript : Transcript
    segment : Segment or str
        A segment of ``transcript``, or its id.
    scrub : bool
        Replace personal data by placeholders with
        :func:`cxresearch.data.scrub.scrub_text` (names, phone numbers, e-mail
        addresses, ...). Scrubbed text still needs a human read before it leaves the
        research team.

    Returns
    -------
    str
        ``transcript.text[segment.start:segment.end]`` with white space (line breaks
        included) collapsed to single spaces; for subtitles without cue markup
        (``<i>``, ``</v>``, ``{\\an8}``), and for ``.vtt`` with entities decoded
        (``&amp;`` is ``&``). The transcript is not changed.

    Examples
    --------
    >>> t = Transcript("c01", "R: Bel me op 06-12345678,\\n  liefst vandaag.", "c01.txt",
    ...                "0" * 64, "txt", segments=(Segment("c01:t0001", "c01", 3, 43, "R"),))
    >>> quote(t, "c01:t0001")
    'Bel me op [PHONE], liefst vandaag.'
    >>> quote(t, "c01:t0001", scrub=False)
    'Bel me op 06-12345678, liefst vandaag.'
    """
    if isinstance(segment, str):
        sid = segment
        try:
            segment = transcript.segment(sid)
        except KeyError:
            raise QualError(f"no segment '{sid}' in transcript '{transcript.id}'",
                            file=transcript.source, where=sid) from None
    elif segment.transcript != transcript.id:
        raise QualError(f"segment '{segment.id}' belongs to transcript '{segment.transcript}'"
                        f", not '{transcript.id}'", file=transcript.source, where=segment.id)
    words = transcript.text[segment.start:segment.end]
    if transcript.format in ("vtt", "srt"):
        words = _CUE_MARKUP.sub("", words)
    if transcript.format == "vtt":
        words = html.unescape(words)
    words = " ".join(words.split())
    if scrub:
        from ..data.scrub import scrub_text

        words = scrub_text(words)
    return words


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into sentences: ``(start, end)`` offsets into ``text``,
    white space around each sentence left out.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets go with
    it) before white space and a capital or a digit (or a quote or bracket before one),
    and at a blank line. Not an end: a lower-case word next (``Ik weet het niet...
    misschien``), a period after a title or a leading abbreviation (``Mr.``, ``Dr.``,
    ``e.g.``, ``i.e.``, ``bijv.``, ``o.a.``, ``d.w.z.``, ``m.b.t.``, ``mevr.``, ``nr.``,
    ...), after an initial (``J. de Vries``), and a period inside a number (``3.5``,
    ``1.000``). ``etc.``, ``enz.`` and ``z.s.m.`` end a sentence when a capital follows.

    Examples
    --------
    >>> text = "Dat was o.a. de app. Mr. Smith belde, e.g. twice... Het kostte 3.5 uur!"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Dat was o.a. de app.', 'Mr. Smith belde, e.g. twice...', 'Het kostte 3.5 uur!']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _END.finditer(text, start, end):
        punct = m.group(1)
        if punct is not None:
            nxt = _NEXT.match(text, m.end(), end)
            if nxt is None or not (nxt.group()[-1].isupper() or nxt.group()[-1].isdigit()
                                   or nxt.group()[-1].isspace()):
                continue
            if punct == "." and _is_abbreviation(text, m.start(1)):
                continue
        _add_span(text, cur, m.end() if punct is not None else m.start(), spans)
        cur = m.end()
    _add_span(text, cur, end, spans)
    return spans


# -- decoding ---------------------------------------------------------------------------

def _decode(data: bytes, name: str, encoding: str | None, *,
            fix: str = 'pass encoding="cp1252" (files saved by older Windows programs, '
                       'such as Word\'s "Plain Text" or Notepad\'s "ANSI"), or save the file '
                       'as UTF-8') -> str:
    """Decode as ``encoding``, or UTF-8 (BOM or not) or UTF-16 with a BOM."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise QualError(f"unknown encoding {encoding!r}; use a codec name such as "
                            "'utf-8', 'cp1252', 'latin-1' or 'utf-16'", file=name,
                            where="encoding") from None
        return _strict(data, 0, encoding, name, f"is not valid {encoding}",
                       "pass the encoding the file was saved in")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, 0, "utf-16", name, "is not valid UTF-16",
                       "save the file as UTF-8")
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        raise QualError(f"NUL byte at offset {at} (line {line}): the file looks like UTF-16 "
                        "without a byte-order mark\n    fix: pass encoding=\"utf-16-le\" (or "
                        "\"utf-16-be\"), or save the file as UTF-8", file=name, line=line,
                        where="encoding")
    skip = 3 if data.startswith(codecs.BOM_UTF8) else 0
    return _strict(data, skip, "utf-8", name,
                   "is not valid UTF-8 (and the file has no UTF-16 byte-order mark)", fix)


def _strict(data: bytes, skip: int, encoding: str, name: str, what: str, fix: str) -> str:
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data[skip:at].decode(encoding, errors="replace").count("\n") + 1
        raise QualError(f"byte 0x{data[at]:02x} at offset {at} (line {line}) {what}\n"
                        f"    fix: {fix}", file=name, line=line, where="encoding") from None


def _read_docx(data: bytes, name: str) -> tuple[str, list[int]]:
    """The body's paragraphs joined with newlines, and the offset where each starts."""
    docx = import_optional("docx", "qual", "Reading .docx transcripts")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:  # lxml's too
        raise QualError(f"cannot be read as a Word .docx file ({exc}); is it an old .doc or "
                        "a renamed file?\n    fix: open it in Word and save it as .docx",
                        file=name) from None
    paragraphs = [p.text for p in document.paragraphs]
    if not any(p.strip() for p in paragraphs) and document.tables:
        raise QualError("the document has no text outside tables, and tables are not read"
                        "\n    fix: convert the table to text (Word: Table Layout > Convert "
                        "to Text, separated by tabs) and save", file=name)
    starts, pos = [], 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + 1
    return "\n".join(paragraphs), starts


# -- turns ------------------------------------------------------------------------------

_Turn = tuple[int, int, "str | None", "float | None", "float | None"]
"""start, end, speaker, time_start, time_end."""


def _seconds(token: str, name: str, line: int) -> float:
    a, b, c, frac = _TS_PARTS.findall(token)[0]  # the token matched _TSTOKEN
    h, mi, s = (int(a), int(b), int(c)) if c else (0, int(a), int(b))
    if s > 59 or (c and mi > 59):  # mm:ss may count minutes past 59
        raise QualError(f"timestamp {token.strip()} has more than 59 seconds (or minutes, "
                        "in h:mm:ss)", file=name, line=line)
    return h * 3600 + mi * 60 + s + (int(frac) / 10 ** len(frac) if frac else 0.0)


def _accepted(label: str, explicit: bool, counts: Mapping[str, int]) -> bool:
    return (explicit or counts.get(label, 0) >= 2 or label.casefold() in _ROLES
            or (len(label) <= 3 and label[0].isupper()
                and (len(label) == 1 or label[1:].isdigit())))


def _label_counts(matches: list[re.Match[str] | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in matches:
        if m is not None and m.group("label"):
            counts[m.group("label")] = counts.get(m.group("label"), 0) + 1
    return counts


def _speaker_of(m: re.Match[str] | None, counts: Mapping[str, int]
                ) -> tuple[str, str | None] | None:
    """``(speaker, timestamp token)`` when the match is an accepted speaker label."""
    if m is None:
        return None
    ts = (m.group("ts1") or m.group("tsb") or m.group("tsc") or m.group("ts2")
          or m.group("ts3"))
    label = m.group("bold") or m.group("label")
    if (not label or len(label) > 40
            or not _accepted(label, m.group("bold") is not None or ts is not None, counts)):
        return None
    return label.strip(), ts


class _Turns:
    """Collects turns line by line: :meth:`begin` a turn, add the :meth:`words` of each
    line, :meth:`close` it (a turn without words is dropped)."""

    def __init__(self) -> None:
        self.out: list[_Turn] = []
        self.open = False
        self.start = self.end = -1
        self.speaker: str | None = None
        self.times: tuple[float | None, float | None] = (None, None)

    def begin(self, speaker: str | None, t0: float | None, t1: float | None) -> None:
        self.close()
        self.open, self.speaker, self.times = True, speaker, (t0, t1)

    def words(self, offset: int, ln: str, body: int) -> None:
        """The words of line ``ln`` (starting at ``offset`` in the text) from ``body``."""
        rest = ln[body:]
        lead = len(rest) - len(rest.lstrip())
        if lead == len(rest):
            return
        if self.start == -1:
            self.start = offset + body + lead
        self.end = offset + len(ln.rstrip())

    def close(self) -> None:
        if self.open and self.start != -1:
            self.out.append((self.start, self.end, self.speaker, *self.times))
        self.open, self.start = False, -1


def _text_turns(text: str, lines: list[int], name: str, *, markdown: bool) -> list[_Turn]:
    """Speaker turns of plain text, Markdown or Word paragraphs."""
    raw = text.split("\n")
    matches = [_SPEAKER.match(ln) if ":" in ln else None for ln in raw]
    counts = _label_counts(matches)
    turns = _Turns()
    for i, ln in enumerate(raw):
        if markdown and _MD_SKIP.match(ln):
            turns.close()
            continue
        m = matches[i]
        speaker = _speaker_of(m, counts)
        if m is not None and speaker is not None:
            label, ts = speaker
            turns.begin(label, _seconds(ts, name, i + 1) if ts else None, None)
            turns.words(lines[i], ln, m.end())
            continue
        if not turns.open:
            if not ln.strip():
                continue
            turns.begin(None, None, None)
        turns.words(lines[i], ln, 0)
    turns.close()
    out = turns.out
    for k in range(len(out) - 1):  # a timestamped turn ends where the next one starts
        if out[k][3] is not None and out[k + 1][3] is not None:
            out[k] = out[k][:4] + (out[k + 1][3],)
    return out


def _cue_turns(text: str, lines: list[int], name: str, suffix: str) -> list[_Turn]:
    """Turns of a subtitle file: one per cue (more when a cue changes voice)."""
    raw = text.split("\n")
    if suffix == ".vtt" and not raw[0].startswith("WEBVTT"):
        raise QualError("a .vtt file starts with the line WEBVTT\n    fix: add it, or save "
                        "the file as .srt if it is SubRip", file=name, line=1)
    cues: list[tuple[float, float, list[int]]] = []  # start, end, payload lines
    payload: list[int] | None = None
    for i, ln in enumerate(raw):
        m = _CUE_TIME.match(ln) if "-->" in ln else None
        if m is not None:
            if payload and raw[payload[-1]].strip().isdigit():
                payload.pop()  # the next cue's number, without a blank line before it
            t0, t1 = (_cue_seconds(g, name, i + 1) for g in m.groups())
            if t1 < t0:
                raise QualError(f"the cue ends ({m.group(2)}) before it starts "
                                f"({m.group(1)})", file=name, line=i + 1)
            payload = []
            cues.append((t0, t1, payload))
        elif payload is not None:
            if ln.strip():
                payload.append(i)
            else:
                payload = None
    if not cues:
        raise QualError("no cue found (a cue starts with a line like "
                        "'00:00:01.000 --> 00:00:04.000')", file=name)
    matches = {i: _SPEAKER.match(raw[i]) for *_, p in cues for i in p if ":" in raw[i]}
    counts = _label_counts(list(matches.values()))
    turns = _Turns()
    for t0, t1, payload_lines in cues:
        for i in payload_lines:
            ln = raw[i]
            voice = _VOICE.match(ln) if suffix == ".vtt" else None
            m = matches.get(i)
            found = _speaker_of(m, counts) if voice is None else None
            if voice is not None:
                turns.begin(voice.group(1), t0, t1)
                turns.words(lines[i], ln, voice.end())
            elif m is not None and found is not None:
                turns.begin(found[0], t0, t1)
                turns.words(lines[i], ln, m.end())
            else:
                if not turns.open:  # a cue without a speaker keeps the one before it
                    turns.begin(turns.speaker, t0, t1)
                turns.words(lines[i], ln, 0)
        turns.close()
    return turns.out


def _cue_seconds(stamp: str, name: str, line: int) -> float:
    parts = stamp.replace(",", ".").split(":")
    h = int(parts[0]) if len(parts) == 3 else 0
    mi, s = int(parts[-2]), float(parts[-1])
    if mi > 59 or s >= 60:
        raise QualError(f"cue time {stamp} has more than 59 minutes or seconds", file=name,
                        line=line)
    return h * 3600 + mi * 60 + s


def _segments(tid: str, text: str, turns: list[_Turn], units: list[int],
              kind: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for start, end, speaker, t0, t1 in turns:
        spans = [(start, end)] if kind == "turn" else sentence_spans(text, start, end)
        for a, b in spans:
            out.append(Segment(f"{tid}:{kind[0]}{len(out) + 1:04d}", tid, a, b, speaker, kind,
                               t0, t1, bisect.bisect_right(units, a)))
    return tuple(out)


# -- sentences --------------------------------------------------------------------------

def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    token = word.group().lstrip(".'’-") if word else ""
    if not token:
        return False
    if len(token) == 1 and token.isupper():
        return True  # an initial: J. de Vries
    return token.casefold() in _NEVER_ENDS


def _add_span(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    piece = text[a:b]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((a + lead, a + lead + len(stripped)))


_READ_KINDS = tuple(k for k in SEGMENT_KINDS if k != "selection")  # made by other tools


def _check_segment(segment: object) -> None:
    if segment not in _READ_KINDS:
        raise QualError(f"segment must be one of {', '.join(map(repr, _READ_KINDS))}, not "
                        f"{segment!r}", where="segment")


# -- cases ------------------------------------------------------------------------------

def _check_respondent_type(value: str | None, *, file: str, line: int | None = None) -> None:
    if value is not None and value not in RESPONDENT_TYPES:
        raise QualError(f"unknown respondent_type {value!r}; allowed: "
                        f"{', '.join(RESPONDENT_TYPES)}", file=file, line=line,
                        where="respondent_type")


def _read_cases(path: Path, files: Mapping[str, Path]) -> dict[str, dict[str, str]]:
    """Case attributes per transcript id, from a CSV file."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QualError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    text = _decode(data, name, None, fix="save the file as UTF-8 (in Excel: 'CSV UTF-8')")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    out: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    line = 1
    for row in reader:
        row_line, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            _check_header(header, name, row_line)
            continue
        cells = [cell.strip() for cell in row]
        if len(cells) < len(header) or any(cells[len(header):]):
            raise QualError(f"the row has {len(cells)} cells, the header {len(header)}",
                            file=name, line=row_line)
        values = dict(zip(header, cells))
        tid = values.pop("transcript")
        if not tid:
            raise QualError("the row has no transcript id", file=name, line=row_line)
        if tid in seen:
            raise QualError(f"transcript '{tid}' has a row already (line {seen[tid]})",
                            file=name, line=row_line, where=tid)
        if tid not in files:
            raise QualError(f"no transcript '{tid}' in the folder (a .txt, .md, .docx, .vtt "
                            f"or .srt file named {tid}); found: {', '.join(files)}",
                            file=name, line=row_line, where=tid)
        seen[tid] = row_line
        attrs = {k: v for k, v in values.items() if v}
        if "respondent_type" in attrs:
            attrs["respondent_type"] = attrs["respondent_type"].lower()
        _check_respondent_type(attrs.get("respondent_type"), file=name, line=row_line)
        out[tid] = attrs
    if header is None:
        raise QualError("the cases file is empty; its first line names the columns, "
                        "starting with 'transcript'", file=name)
    return out


def _check_header(header: list[str], name: str, line: int) -> None:
    if "transcript" not in header:
        raise QualError(f"no column 'transcript' (the transcript id); found: "
                        f"{', '.join(header)}", file=name, line=line)
    for k, col in enumerate(header):
        if not col:
            raise QualError(f"column {k + 1} has no name", file=name, line=line)
        if col in header[:k]:
            raise QualError(f"column '{col}' appears twice", file=name, line=line)
