"""The objects of qualitative work: transcripts and their segments, codes and codebooks,
and the coding of one coder.

A :class:`Transcript` keeps its text exactly as read (after decoding): segments point into
it by character offsets, so a quote can always be traced back to its source and position,
and the raw file is never altered. A :class:`Codebook` is a tree of :class:`Code`; a
:class:`Coding` is what one coder applied to one transcript version (its sha256), so a
coding made for another version of a transcript is recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Mapping, Sequence

from ..errors import CxResearchError

__all__ = ["CASE_ATTRIBUTES", "RESPONDENT_TYPES", "SEGMENT_KINDS", "CodedSegment", "Code",
           "Codebook", "Coding", "QualError", "Segment", "Text", "Transcript"]

Text = Mapping[str, str]
"""A text per language, e.g. ``{"nl": "Wachten", "en": "Waiting"}``."""

RESPONDENT_TYPES = ("customer", "employee")
"""Who was interviewed."""

CASE_ATTRIBUTES = ("respondent_type", "segment", "team", "wave", "language")
"""The case attributes every transcript may carry (others are allowed too)."""

SEGMENT_KINDS = ("turn", "sentence", "selection")
"""How a transcript is cut into segments: speaker turns, sentences within turns, or
selections made in another tool (read from a REFI-QDA project)."""


class QualError(CxResearchError):
    """Bad qualitative input: says where (file, line, segment or code) and how to fix it."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 where: str | None = None) -> None:
        place = ":".join(str(p) for p in (file, line) if p is not None)
        super().__init__(f"{place}: {message}" if place else message)
        self.file = file
        self.line = line
        self.where = where


@dataclass(frozen=True)
class Segment:
    """A stretch of a transcript: a speaker turn or a sentence.

    Attributes
    ----------
    id : str
        Stable id: ``<transcript id>:<kind letter><number>``, e.g. ``c01:t0007`` for the
        seventh turn (``s`` for sentences); the same file segmented the same way always
        gives the same ids.
    transcript : str
        Id of the transcript.
    start, end : int
        Character offsets in :attr:`Transcript.text` (``text[start:end]``).
    speaker : str or None
        Who speaks (as written in the transcript).
    kind : {"turn", "sentence"}
    time_start, time_end : float or None
        Seconds from the start of the recording (subtitle files, timestamped text).
    line : int or None
        Line of the source file where the segment starts (1-based; for ``.docx`` the
        paragraph number).
    """

    id: str
    transcript: str
    start: int
    end: int
    speaker: str | None = None
    kind: str = "turn"
    time_start: float | None = None
    time_end: float | None = None
    line: int | None = None


@dataclass(frozen=True)
class Transcript:
    """An interview transcript as read, with its segments and case attributes.

    Attributes
    ----------
    id : str
        The transcript id (default: the file name without suffix).
    text : str
        The text as read (decoded; never changed). Segments point into it.
    source : str
        The file it was read from.
    sha256 : str
        sha256 of the file's bytes: identifies this version of the transcript.
    format : str
        ``txt``, ``md``, ``docx``, ``vtt`` or ``srt``.
    attributes : dict
        Case attributes (:data:`CASE_ATTRIBUTES` and any others), e.g.
        ``{"respondent_type": "customer", "wave": "1"}``.
    segments : tuple of Segment
    """

    id: str
    text: str
    source: str
    sha256: str
    format: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    segments: tuple[Segment, ...] = ()

    @cached_property
    def _by_id(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments}

    def segment(self, sid: str) -> Segment:
        try:
            return self._by_id[sid]
        except KeyError:
            raise KeyError(f"no segment '{sid}' in transcript '{self.id}'") from None

    def quote(self, segment: Segment | str) -> str:
        """The raw words of ``segment`` (the text between its offsets, stripped): for
        reports use :func:`cxresearch.qual.transcripts.quote`, which scrubs personal data
        and subtitle markup."""
        s = self.segment(segment) if isinstance(segment, str) else segment
        return self.text[s.start:s.end].strip()


@dataclass(frozen=True)
class Code:
    """A code of the codebook.

    Attributes
    ----------
    id : str
        Stable id (letters, digits, ``_``), unique in the codebook.
    name : dict
        Name per language.
    parent : str or None
        Id of the parent code (``None`` at the top).
    definition, when_to_use, when_not, example : dict
        Texts per language that tell coders how to apply it.
    stage, touchpoint : str or None
        The journey stage or touchpoint the code is about.
    valence : int or None
        The emotion it carries, -2 (very negative) .. +2 (very positive).
    """

    id: str
    name: Text
    parent: str | None = None
    definition: Text = field(default_factory=dict)
    when_to_use: Text = field(default_factory=dict)
    when_not: Text = field(default_factory=dict)
    example: Text = field(default_factory=dict)
    stage: str | None = None
    touchpoint: str | None = None
    valence: int | None = None


@dataclass(frozen=True)
class Codebook:
    """A tree of codes, in order (parents before their children)."""

    codes: tuple[Code, ...]
    languages: tuple[str, ...] = ("nl", "en")
    source: str | None = None

    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def __contains__(self, cid: object) -> bool:
        return cid in self._by_id

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def code(self, cid: str) -> Code:
        try:
            return self._by_id[cid]
        except KeyError:
            raise KeyError(f"no code '{cid}' in the codebook") from None

    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def children(self, cid: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == cid]

    def path(self, cid: str, sep: str = " > ", lang: str | None = None) -> str:
        """The code's place in the tree, e.g. ``call > waiting``, by id or by name."""
        parts: list[str] = []
        seen: set[str] = set()
        current: str | None = cid
        while current is not None and current not in seen and current in self:
            seen.add(current)
            c = self.code(current)
            name = c.name.get(lang) or next(iter(c.name.values()), c.id) if lang else c.id
            parts.append(name)
            current = c.parent
        return sep.join(reversed(parts))

    def descendants(self, cid: str) -> list[str]:
        """``cid`` and every code below it (each once, even in a cyclic codebook)."""
        out, todo = [cid], [cid]
        while todo:
            for child in self.children(todo.pop(0)):
                if child.id not in out:
                    out.append(child.id)
                    todo.append(child.id)
        return out


@dataclass(frozen=True)
class CodedSegment:
    """One code applied to one segment, with the coder's memo."""

    segment: str
    code: str
    memo: str = ""


@dataclass(frozen=True)
class Coding:
    """What one coder applied to one version of one transcript.

    Attributes
    ----------
    coder : str
        The coder's name or initials.
    transcript : str
        The transcript id.
    transcript_sha256 : str
        The version coded: a coding is refused for a transcript whose file changed.
    applied : tuple of CodedSegment
    memo : str
        The coder's memo on the transcript as a whole.
    """

    coder: str
    transcript: str
    transcript_sha256: str
    applied: tuple[CodedSegment, ...] = ()
    memo: str = ""

    def codes_of(self, segment: str) -> list[str]:
        return [a.code for a in self.applied if a.segment == segment]

    def segments_with(self, code: str | Sequence[str]) -> list[str]:
        wanted = {code} if isinstance(code, str) else set(code)
        seen: dict[str, None] = {}
        for a in self.applied:
            if a.code in wanted:
                seen.setdefault(a.segment, None)
        return list(seen)
