"""Coding transcripts, and the coder files that keep it (``<study>/coding/<coder>.yaml``).

Each coder has one file, named after the coder, holding that coder's codings of any
number of transcripts; each coding names its transcript and the sha256 of the transcript
file it was made for, so a coding of another version is recognised (``QL202``) rather
than silently pointing at other words. Several coders each keep their own file, so they
never write the same file.

:func:`code` and :func:`uncode` return a new :class:`~cxresearch.qual.model.Coding`
(never mutating); :func:`save_coder_file` writes atomically. Problems are raised as
:class:`~cxresearch.qual.codebook.QualProblemsError` with stable codes (``QL2xx``, see
:class:`~cxresearch.qual.codebook.ProblemCode`), file and line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .._yaml import YMap, YScalar, YSeq
from .codebook import (ProblemCode, QualProblem, QualProblemsError, _closest, _dump, _parse,
                       _raise, _read_text)
from .model import Codebook, CodedSegment, Coding, Transcript

__all__ = ["CODER_PATTERN", "FORMAT", "all_codings", "check_coding", "check_segmentation",
           "code", "dump_coder_file", "load_coder_file", "new_coding", "save_coder_file",
           "set_memo", "uncode"]

FORMAT = "cxresearch-coding/1"
"""The ``format:`` line :func:`save_coder_file` writes (not required when reading)."""

CODER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A coder's name or initials (it names the coder file): letters, digits, ``_ . -``."""

_SHA = re.compile(r"[0-9a-f]{64}")
_TOP_KEYS = ("format", "coder", "codings")
_CODING_KEYS = ("transcript", "sha256", "memo", "applied")
_APPLIED_KEYS = ("segment", "code", "memo")

Transcripts = Mapping[str, Transcript] | Iterable[Transcript]
"""Transcripts by id, or a sequence of them."""


def _by_id(transcripts: Transcripts | None) -> dict[str, Transcript] | None:
    if transcripts is None:
        return None
    if isinstance(transcripts, Mapping):
        return dict(transcripts)
    return {t.id: t for t in transcripts}


def _ids(segment_ids: str | Iterable[str]) -> list[str]:
    return [segment_ids] if isinstance(segment_ids, str) else list(segment_ids)


def _check_coder(coder: str, file: str | None = None) -> None:
    if not isinstance(coder, str) or not CODER_PATTERN.fullmatch(coder):
        _raise(ProblemCode.WRONG_TYPE, f"{coder!r} is not a coder's name: it names the coder "
               "file, so it has letters, digits, _, . and - only", file=file,
               fix="use initials or a short name, e.g. 'anna' or 'AB'")


# -- checks against the transcript and the codebook --------------------------------------
def _segmentation(transcript: Transcript) -> list[str]:
    """What is wrong with how ``transcript`` is cut into segments (in words)."""
    wrong: list[str] = []
    seen: set[str] = set()
    for s in transcript.segments:
        if s.id in seen:
            wrong.append(f"segment id '{s.id}' is used twice")
        seen.add(s.id)
        if not 0 <= s.start <= s.end <= len(transcript.text):
            wrong.append(f"segment '{s.id}' (characters {s.start}-{s.end}) lies outside the "
                         f"text of {len(transcript.text)} characters")
    reach = None
    for s in sorted(transcript.segments, key=lambda s: (s.start, s.end)):
        if reach is not None and s.start < reach.end:
            wrong.append(f"segments '{reach.id}' (characters {reach.start}-{reach.end}) and "
                         f"'{s.id}' (characters {s.start}-{s.end}) overlap")
        if reach is None or s.end > reach.end:
            reach = s
    return wrong


def check_segmentation(transcript: Transcript) -> None:
    """Raise ``QL203`` when segments of ``transcript`` overlap (by character range), lie
    outside its text or share an id: a quote must belong to one segment only."""
    wrong = _segmentation(transcript)
    if wrong:
        _raise(ProblemCode.OVERLAPPING_SEGMENTS, f"in transcript '{transcript.id}' "
               + "; ".join(wrong), file=transcript.source, where=transcript.id,
               fix="segment the transcript again in one way (turns, or sentences), so "
               "that every character belongs to one segment")


def _changed(coding: Coding, transcript: Transcript, file: str | None,
             line: int | None) -> QualProblem:
    old, new = coding.transcript_sha256[:12], transcript.sha256[:12]
    made = f"coder file {file}" if file else f"the coding of {coding.coder}"
    return QualProblem(
        ProblemCode.TRANSCRIPT_CHANGED,
        f"{made} was made for transcript '{coding.transcript}' version {old} (sha256), but "
        f"{transcript.source} is now version {new}: the file changed after it was coded, so "
        "its segments may point at other words", file, line, coding.transcript,
        f"re-code the transcript (new_coding('{coding.coder}', transcript)), or re-import the "
        f"old version of {transcript.source} (the one whose sha256 starts with {old}, e.g. "
        "from git) and code on from there")


def _against(coding: Coding, transcript: Transcript, file: str | None = None,
             line: int | None = None, lines: Sequence[int | None] = ()) -> list[QualProblem]:
    """The problems of ``coding`` with ``transcript``: another transcript, another version,
    a broken segmentation, segments the transcript does not have."""
    if transcript.id != coding.transcript:
        return [QualProblem(ProblemCode.WRONG_TRANSCRIPT, f"the coding is of transcript "
                            f"'{coding.transcript}', not of '{transcript.id}'", file, line,
                            coding.transcript, "give the transcript the coding was made for")]
    if transcript.sha256 != coding.transcript_sha256:
        return [_changed(coding, transcript, file, line)]
    wrong = _segmentation(transcript)
    if wrong:
        return [QualProblem(ProblemCode.OVERLAPPING_SEGMENTS, f"in transcript "
                            f"'{transcript.id}' ({transcript.source}) " + "; ".join(wrong),
                            file, line, transcript.id,
                            "segment the transcript again in one way (turns, or sentences), "
                            "so that every character belongs to one segment")]
    known = [s.id for s in transcript.segments]
    problems = []
    for i, a in enumerate(coding.applied):
        if a.segment not in known:
            problems.append(QualProblem(
                ProblemCode.UNKNOWN_SEGMENT, f"there is no segment '{a.segment}' in transcript "
                f"'{transcript.id}' ({transcript.source})", file,
                lines[i] if i < len(lines) else line, a.segment,
                f"its segments are {known[0]} .. {known[-1]}; check the id, and that the "
                "transcript was segmented the same way (turns or sentences) as when coded"
                if known else "the transcript has no segments"))
    return problems


def _unknown_codes(coding: Coding, codebook: Codebook, file: str | None = None,
                   lines: Sequence[int | None] = ()) -> list[QualProblem]:
    return [QualProblem(ProblemCode.UNKNOWN_CODE, f"there is no code '{a.code}' in the "
                        "codebook" + (f" ({codebook.source})" if codebook.source else ""),
                        file, lines[i] if i < len(lines) else None, a.code,
                        _closest(a.code, codebook.ids()) or
                        "add the code to the codebook, or correct the id")
            for i, a in enumerate(coding.applied) if a.code not in codebook]


def check_coding(coding: Coding, *, codebook: Codebook | None = None,
                 transcript: Transcript | None = None) -> None:
    """Raise :class:`~cxresearch.qual.codebook.QualProblemsError` when ``coding`` does not
    fit ``transcript`` (another transcript ``QL207``, another version ``QL202``, a broken
    segmentation ``QL203``, unknown segments ``QL201``) or ``codebook`` (``QL160``)."""
    problems = _against(coding, transcript) if transcript is not None else []
    if codebook is not None:
        problems += _unknown_codes(coding, codebook)
    if problems:
        raise QualProblemsError(problems)


# -- coding ------------------------------------------------------------------------------
def new_coding(coder: str, transcript: Transcript) -> Coding:
    """An empty coding of ``transcript`` (this version: its sha256) by ``coder``.

    >>> from cxresearch.qual.model import Segment
    >>> t = Transcript("c01", "I: Hello.", "c01.txt", "ab" * 32, "txt",
    ...                segments=(Segment("c01:t0001", "c01", 0, 9, "I"),))
    >>> coding = code(new_coding("anna", t), "c01:t0001", "greeting", transcript=t)
    >>> coding.codes_of("c01:t0001"), coding.transcript_sha256[:6]
    (['greeting'], 'ababab')
    """
    _check_coder(coder)
    return Coding(coder, transcript.id, transcript.sha256)


def code(coding: Coding, segment_ids: str | Iterable[str], code: str, *, memo: str = "",
         codebook: Codebook | None = None, transcript: Transcript | None = None) -> Coding:
    """``coding`` with ``code`` applied to the segments ``segment_ids``.

    Parameters
    ----------
    coding : Coding
    segment_ids : str or iterable of str
        One segment id or several.
    code : str
        The code id; with ``codebook``, it must be one of its codes (``QL160``, with a
        did-you-mean).
    memo : str
        The coder's memo on each of these coded segments; an empty memo keeps the memo a
        segment already has for this code (use :func:`set_memo` to change or clear it).
    codebook : Codebook, optional
    transcript : Transcript, optional
        When given: the coding's transcript (``QL207`` otherwise), of the version coded
        (``QL202``), with sound segments (``QL203``) that include ``segment_ids``
        (``QL201``). The coded segments are then kept in the transcript's order.

    Returns
    -------
    Coding
        A new coding; a segment that has the code already keeps one.
    """
    added = tuple(CodedSegment(sid, code, memo) for sid in _ids(segment_ids))
    check_coding(dataclasses.replace(coding, applied=added), codebook=codebook,
                 transcript=transcript)
    applied = list(coding.applied)
    where = {(a.segment, a.code): i for i, a in enumerate(applied)}
    for a in added:
        if (a.segment, a.code) in where:
            if memo:
                applied[where[(a.segment, a.code)]] = a
        else:
            where[(a.segment, a.code)] = len(applied)
            applied.append(a)
    if transcript is not None:
        order = {s.id: i for i, s in enumerate(transcript.segments)}
        applied.sort(key=lambda a: order.get(a.segment, len(order)))
    return dataclasses.replace(coding, applied=tuple(applied))


def uncode(coding: Coding, segment_ids: str | Iterable[str], code: str | None = None
           ) -> Coding:
    """``coding`` without ``code`` on the segments ``segment_ids`` (``code=None``: without
    any code on them). Removing a code a segment does not have changes nothing."""
    ids = set(_ids(segment_ids))
    return dataclasses.replace(coding, applied=tuple(
        a for a in coding.applied if not (a.segment in ids and code in (None, a.code))))


def set_memo(coding: Coding, segment_id: str, memo: str, *, code: str | None = None
             ) -> Coding:
    """``coding`` with the memo of segment ``segment_id`` set to ``memo`` (``""`` clears
    it), on each of its codes or on ``code`` only. A memo belongs to a coded segment: a
    segment without codes is refused (``QL201``)."""
    if not any(a.segment == segment_id and code in (None, a.code) for a in coding.applied):
        _raise(ProblemCode.UNKNOWN_SEGMENT, f"segment '{segment_id}' has no code"
               + (f" '{code}'" if code else "") + " in this coding", where=segment_id,
               fix="code the segment first; a memo belongs to a coded segment (the "
               "transcript as a whole has Coding.memo)")
    return dataclasses.replace(coding, applied=tuple(
        dataclasses.replace(a, memo=memo) if a.segment == segment_id and code in (None, a.code)
        else a for a in coding.applied))


# -- coder files -------------------------------------------------------------------------
class _Reader:
    """Turns the YAML nodes of a coder file into codings, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[QualProblem] = []
        self.codings: list[tuple[Coding, int, list[int | None]]] = []

    def problem(self, code: ProblemCode, message: str, node: Any, where: str | None = None,
                fix: str | None = None, key: str | None = None) -> None:
        line = getattr(node, "line", None)
        if isinstance(node, YMap) and key in node.key_pos:
            line = node.key_pos[key][0]
        self.problems.append(QualProblem(code, message, self.name, line, where, fix))

    def keys(self, node: YMap, allowed: Sequence[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.problem(ProblemCode.UNKNOWN_FIELD, f"unknown key '{key}' in {what}", node,
                             fix=_closest(key, allowed) or
                             f"remove it; the keys are {', '.join(allowed)}", key=key)

    def word(self, node: YMap, key: str, what: str, required: bool = True) -> str | None:
        value = node.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            if required:
                self.problem(ProblemCode.MISSING_FIELD, f"{what} has no '{key}'", node,
                             fix=f"add '{key}: ...'")
            return None
        if isinstance(value, YScalar) and value.raw.strip():
            return value.raw.strip() if key != "memo" else value.raw
        self.problem(ProblemCode.WRONG_TYPE, f"'{key}' of {what} must be text", value)
        return None

    def root(self, root: Any, coder: str) -> None:
        if not isinstance(root, YMap):
            self.problem(ProblemCode.WRONG_TYPE, "a coder file is a mapping with 'coder' and "
                         "'codings'", root, fix="start the file with 'coder: ...' and "
                         "'codings:'")
            return
        self.keys(root, _TOP_KEYS, "the coder file")
        said = self.word(root, "coder", "the coder file", required=False)
        if said is not None and said != coder:
            self.problem(ProblemCode.CODER_MISMATCH, f"the file is named after coder "
                         f"'{coder}' but says 'coder: {said}'", root, key="coder",
                         fix=f"each coder has one file, coding/<coder>.yaml: rename the file "
                         f"to {said}.yaml, or correct 'coder:'")
        items = root.get("codings")
        if items is None or (isinstance(items, YScalar) and items.is_null):
            return
        if not isinstance(items, YSeq):
            self.problem(ProblemCode.WRONG_TYPE, "'codings' must be a list, one entry per "
                         "transcript", items, fix="write each as '- transcript: ...' with "
                         "'sha256:' and 'applied:' under it")
            return
        first: dict[str, int] = {}
        for node in items:
            if not isinstance(node, YMap):
                self.problem(ProblemCode.WRONG_TYPE, "each coding must be a mapping with "
                             "'transcript', 'sha256' and 'applied'", node)
                continue
            coding = self.coding(node, coder)
            if coding is None:
                continue
            tid = coding[0].transcript
            if tid in first:
                self.problem(ProblemCode.DUPLICATE_TRANSCRIPT, f"transcript '{tid}' is coded "
                             f"twice in this file (first on line {first[tid]})", node,
                             where=tid, fix="merge the two entries into one")
                continue
            first[tid] = node.line
            self.codings.append(coding)

    def coding(self, node: YMap, coder: str) -> tuple[Coding, int, list[int | None]] | None:
        what = f"the coding on line {node.line}"
        self.keys(node, _CODING_KEYS, what)
        tid = self.word(node, "transcript", what)
        sha = self.word(node, "sha256", what)
        if sha is not None and not _SHA.fullmatch(sha):
            self.problem(ProblemCode.WRONG_TYPE, f"'sha256' of {what} must be 64 hexadecimal "
                         f"digits (given: {sha[:20]})", node, key="sha256", where=tid,
                         fix="copy the transcript's sha256 (Transcript.sha256); do not edit it")
            sha = None
        memo = self.word(node, "memo", what, required=False) or ""
        applied: list[CodedSegment] = []
        lines: list[int | None] = []
        seen: dict[tuple[str, str], int] = {}
        entries = node.get("applied")
        if entries is not None and not isinstance(entries, YSeq) and not (
                isinstance(entries, YScalar) and entries.is_null):
            self.problem(ProblemCode.WRONG_TYPE, f"'applied' of {what} must be a list",
                         entries, fix="write each as '- {segment: ..., code: ...}'")
        for entry in entries if isinstance(entries, YSeq) else []:
            if not isinstance(entry, YMap):
                self.problem(ProblemCode.WRONG_TYPE, "each coded segment must be a mapping "
                             "with 'segment' and 'code'", entry,
                             fix="write '- {segment: c01:t0003, code: waiting}'")
                continue
            at = f"the coded segment on line {entry.line}"
            self.keys(entry, _APPLIED_KEYS, at)
            sid, cid = self.word(entry, "segment", at), self.word(entry, "code", at)
            if sid is None or cid is None:
                continue
            if (sid, cid) in seen:
                self.problem(ProblemCode.DUPLICATE_APPLICATION, f"segment '{sid}' is coded "
                             f"'{cid}' twice (first on line {seen[(sid, cid)]})", entry,
                             where=sid, fix="remove one of them")
                continue
            seen[(sid, cid)] = entry.line
            applied.append(CodedSegment(sid, cid, self.word(entry, "memo", at, False) or ""))
            lines.append(entry.line)
        if tid is None or sha is None:
            return None
        return Coding(coder, tid, sha, tuple(applied), memo), node.line, lines


def load_coder_file(path: str | Path, *, codebook: Codebook | None = None,
                    transcripts: Transcripts | None = None) -> list[Coding]:
    """Read one coder's file (``<study>/coding/<coder>.yaml``).

    Parameters
    ----------
    path : str or Path
        The file; its name (without ``.yaml``) is the coder's.
    codebook : Codebook, optional
        When given, every code must be in it (``QL160``, with a did-you-mean).
    transcripts : mapping or sequence of Transcript, optional
        When given, every coded transcript must be there (``QL204``), of the version
        coded (``QL202``: both sha256s' first 12 characters, the transcript file and the
        fix), with sound segments (``QL203``) that include every coded segment
        (``QL201``).

    Returns
    -------
    list of Coding
        In the order of the file. :func:`save_coder_file` of them writes the same codings.

    Raises
    ------
    QualProblemsError
        Listing every problem, each with file, line and a stable code.
    """
    text, name = _read_text(path)
    coder = Path(name).stem
    _check_coder(coder, name)
    root = _parse(text, name)
    reader = _Reader(name)
    if root is None:
        return []
    reader.root(root, coder)
    problems = reader.problems
    found = _by_id(transcripts)
    for coding, line, lines in reader.codings:
        if codebook is not None:
            problems += _unknown_codes(coding, codebook, name, lines)
        if found is None:
            continue
        if coding.transcript not in found:
            problems.append(QualProblem(
                ProblemCode.TRANSCRIPT_MISSING, f"the file codes transcript "
                f"'{coding.transcript}', which is not among the transcripts given ("
                + (", ".join(sorted(found)) or "none") + ")", name, line, coding.transcript,
                _closest(coding.transcript, found) or "read that transcript too; if the "
                "interview was withdrawn, remove its coding from the file"))
        else:
            problems += _against(coding, found[coding.transcript], name, line, lines)
    if problems:
        raise QualProblemsError(sorted(problems, key=lambda p: p.line or 0))
    return [coding for coding, _, _ in reader.codings]


def dump_coder_file(codings: Sequence[Coding]) -> str:
    """The YAML text :func:`save_coder_file` writes (one line per coded segment without a
    memo)."""
    from .codebook import _Flow

    def applied(a: CodedSegment) -> dict[str, str]:
        out = {"segment": a.segment, "code": a.code}
        return {**out, "memo": a.memo} if a.memo else _Flow(out)

    coder = codings[0].coder if codings else None
    entries = []
    for c in codings:
        entry: dict[str, Any] = {"transcript": c.transcript, "sha256": c.transcript_sha256}
        if c.memo:
            entry["memo"] = c.memo
        entry["applied"] = [applied(a) for a in c.applied]
        entries.append(entry)
    return _dump({"format": FORMAT, "coder": coder, "codings": entries})


def save_coder_file(codings: Sequence[Coding], path: str | Path) -> Path:
    """Write one coder's codings to ``path`` (``<study>/coding/<coder>.yaml``) atomically.

    Refused (nothing written) when the codings are of several coders or of another coder
    than the file is named after (``QL206``), or code one transcript twice (``QL205``).
    """
    from .._atomic import atomic_write_text

    target = Path(path)
    coder = target.stem
    _check_coder(coder, str(path))
    others = sorted({c.coder for c in codings} - {coder})
    if others:
        _raise(ProblemCode.CODER_MISMATCH, f"the codings of {', '.join(others)} cannot go into "
               f"the file of coder '{coder}'", file=str(path),
               fix="each coder has one file: save each coder's codings to "
               "coding/<coder>.yaml")
    seen: set[str] = set()
    for c in codings:
        if c.transcript in seen:
            _raise(ProblemCode.DUPLICATE_TRANSCRIPT, f"transcript '{c.transcript}' is coded "
                   "twice", file=str(path), where=c.transcript,
                   fix="keep one coding per transcript (code() adds to an existing one)")
        seen.add(c.transcript)
    text = dump_coder_file(codings) if codings else _dump(
        {"format": FORMAT, "coder": coder, "codings": []})
    return atomic_write_text(target, text)


def all_codings(study_folder: str | Path, *, codebook: Codebook | None = None,
                transcripts: Transcripts | None = None) -> dict[str, list[Coding]]:
    """Every coder's codings in a study: ``coding/*.yaml``, by coder (file name order).

    ``codebook`` and ``transcripts`` are checked as in :func:`load_coder_file`; the
    problems of all files are raised together. A study without a ``coding/`` folder has
    no codings yet (``{}``).
    """
    folder = Path(study_folder) / "coding"
    out: dict[str, list[Coding]] = {}
    problems: list[QualProblem] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path.name.startswith("."):
            continue
        try:
            out[path.stem] = load_coder_file(path, codebook=codebook, transcripts=transcripts)
        except QualProblemsError as exc:
            problems += exc.problems
    if problems:
        raise QualProblemsError(problems)
    return out
