"""Changes to a codebook that the coded segments follow.

:func:`rename_code`, :func:`merge_codes`, :func:`split_code`, :func:`move_code` and
:func:`delete_code` never mutate: they return a new
:class:`~cxresearch.qual.model.Codebook` (refused with a
:class:`~cxresearch.qual.codebook.QualProblemsError` when it would have problems) and new
codings. :mod:`cxresearch.qual.codebook` re-exports them.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping, Sequence

from .codebook import (ProblemCode, QualProblemsError, _check, _closest, _raise,
                       _tree_sorted, _unknown_code)
from .model import Code, Codebook, CodedSegment, Coding

__all__ = ["delete_code", "merge_codes", "move_code", "rename_code", "split_code"]


def _need(codebook: Codebook, cid: str) -> Code:
    if cid not in codebook:
        _unknown_code(codebook, cid)
    return codebook.code(cid)


def _result(codebook: Codebook, codes: Sequence[Code]) -> Codebook:
    """A new codebook of ``codes`` in tree order, refused when it has problems."""
    problems = _check(codes, codebook.languages)
    if problems:
        raise QualProblemsError(problems)
    return dataclasses.replace(codebook, codes=_tree_sorted(codes))


def _recode(codings: Sequence[Coding], change: Mapping[str, str]) -> list[Coding]:
    """``codings`` with each code in ``change`` replaced; a segment that gets a code it
    already has keeps one, with the distinct memos of both joined by a new line."""
    out = []
    for coding in codings:
        kept: dict[tuple[str, str], CodedSegment] = {}
        for a in coding.applied:
            a = dataclasses.replace(a, code=change.get(a.code, a.code))
            key = (a.segment, a.code)
            if key in kept:
                memos = [m for m in (kept[key].memo, a.memo) if m]
                a = dataclasses.replace(a, memo="\n".join(dict.fromkeys(memos)))
            kept[key] = a
        out.append(dataclasses.replace(coding, applied=tuple(kept.values())))
    return out


def rename_code(codebook: Codebook, codings: Sequence[Coding], old: str, new: str, *,
                name: Mapping[str, str] | None = None) -> tuple[Codebook, list[Coding]]:
    """Give code ``old`` the id ``new`` (and, optionally, a new ``name`` per language).

    Returns the new codebook (children point at ``new``) and the codings with every
    segment coded ``old`` now coded ``new``. Refused when ``new`` is taken (``QL162``).

    >>> book = Codebook((Code("wait", {"en": "Waiting"}),), languages=("en",))
    >>> coding = Coding("ab", "c01", "0" * 64, (CodedSegment("c01:t0001", "wait"),))
    >>> book, (coding,) = rename_code(book, [coding], "wait", "waiting")
    >>> book.ids(), coding.codes_of("c01:t0001")
    (['waiting'], ['waiting'])
    """
    code = _need(codebook, old)
    if new != old and new in codebook:
        _raise(ProblemCode.ID_TAKEN, f"cannot rename '{old}' to '{new}': the codebook has a "
               f"code '{new}' already", where=old,
               fix=f"choose another id, or merge_codes(..., ['{old}'], into='{new}')")
    renamed = dataclasses.replace(code, id=new, name=dict(name) if name else code.name)
    codes = [renamed if c.id == old else
             dataclasses.replace(c, parent=new) if c.parent == old else c for c in codebook]
    return _result(codebook, codes), _recode(codings, {old: new})


def merge_codes(codebook: Codebook, codings: Sequence[Coding], sources: Sequence[str] | str,
                into: str) -> tuple[Codebook, list[Coding]]:
    """Merge the codes ``sources`` into code ``into``.

    The sources leave the codebook; their children move under ``into`` (``into`` itself,
    if it was below a source, moves up to the nearest ancestor that stays). Every segment
    coded with a source is coded ``into``; a segment that had both keeps one, with the
    distinct memos joined by a new line.
    """
    gone = [sources] if isinstance(sources, str) else list(dict.fromkeys(sources))
    target = _need(codebook, into)
    for cid in gone:
        _need(codebook, cid)
    if into in gone:
        _raise(ProblemCode.BAD_CHANGE, f"cannot merge '{into}' into itself", where=into,
               fix="leave it out of the sources")

    def kept_ancestor(parent: str | None) -> str | None:
        while parent in gone:
            parent = codebook.code(parent).parent
        return parent

    codes = []
    for c in codebook:
        if c.id in gone:
            continue
        if c.id == into:
            c = dataclasses.replace(c, parent=kept_ancestor(target.parent))
        elif c.parent in gone:
            below_c = into in codebook.descendants(c.id)
            c = dataclasses.replace(c, parent=kept_ancestor(c.parent) if below_c else into)
        codes.append(c)
    return _result(codebook, codes), _recode(codings, {cid: into for cid in gone})


def split_code(codebook: Codebook, codings: Sequence[Coding], code: str,
               new_codes: Sequence[Code], assign: Mapping[str, str]
               ) -> tuple[Codebook, list[Coding]]:
    """Split code ``code``: add ``new_codes`` and move the segments in ``assign`` to them.

    Parameters
    ----------
    new_codes : sequence of Code
        The codes to add, each with the ``parent`` it should have: ``code`` (to split into
        sub-codes) or ``code``'s parent (to split into siblings). They come right after
        ``code`` and its children.
    assign : mapping of str to str
        Segment id -> id of one of ``new_codes``. In every coding, the segment's ``code``
        is replaced by that new code (with its memo).

    Notes
    -----
    Segments not in ``assign`` keep ``code``, which stays in the codebook: delete it
    afterwards (:func:`delete_code`) when every segment has been assigned. A segment in
    ``assign`` that no coding codes with ``code`` is refused (``QL201``): it is a typo or
    a segment of another code.
    """
    _need(codebook, code)
    new_ids = [c.id for c in new_codes]
    for sid, cid in assign.items():
        if cid not in new_ids:
            _raise(ProblemCode.BAD_CHANGE, f"segment '{sid}' is assigned to '{cid}', which is "
                   f"not one of the new codes ({', '.join(new_ids)})", where=sid,
                   fix=_closest(cid, new_ids) or "assign each segment to one of the new codes")
        if not any(sid in c.segments_with(code) for c in codings):
            _raise(ProblemCode.UNKNOWN_SEGMENT, f"segment '{sid}' is not coded '{code}' in "
                   "any of the codings", where=sid,
                   fix="assign only segments that have the code being split")
    taken = [c for c in new_codes if c.id in codebook]
    if taken:
        _raise(ProblemCode.ID_TAKEN, f"the codebook has a code '{taken[0].id}' already",
               where=taken[0].id, fix="give the new code another id")
    last = codebook.descendants(code)
    position = max(codebook.ids().index(cid) for cid in last) + 1
    codes = [*codebook.codes[:position], *new_codes, *codebook.codes[position:]]
    new_book = _result(codebook, codes)
    out = []
    for coding in codings:
        applied: dict[tuple[str, str], CodedSegment] = {}
        for a in coding.applied:
            if a.code == code and a.segment in assign:
                a = dataclasses.replace(a, code=assign[a.segment])
            applied.setdefault((a.segment, a.code), a)
        out.append(dataclasses.replace(coding, applied=tuple(applied.values())))
    return new_book, out


def move_code(codebook: Codebook, code: str, new_parent: str | None) -> Codebook:
    """Move ``code`` (with its children) under ``new_parent`` (``None``: to the top), as
    its last child. Refused under itself or one of its own children (``QL123``)."""
    _need(codebook, code)
    if new_parent is not None:
        _need(codebook, new_parent)
        if new_parent in codebook.descendants(code):
            _raise(ProblemCode.CYCLE, f"cannot move '{code}' under '{new_parent}', which is "
                   f"{'the code itself' if new_parent == code else 'below it'}", where=code,
                   fix="choose a parent outside the code's own branch")
    subtree = set(codebook.descendants(code))
    rest = [c for c in codebook if c.id not in subtree]
    branch = [dataclasses.replace(c, parent=new_parent) if c.id == code else c
              for c in codebook if c.id in subtree]
    return _result(codebook, [*rest, *branch])


def delete_code(codebook: Codebook, codings: Sequence[Coding], code: str, *,
                force: bool = False) -> tuple[Codebook, list[Coding]]:
    """Remove ``code``; its children move up to its parent.

    Refused (``QL161``) while a coding applies the code, unless ``force``: then those
    coded segments are removed from the codings as well.
    """
    gone = _need(codebook, code)
    users = [(c.coder, c.transcript, len(c.segments_with(code))) for c in codings
             if c.segments_with(code)]
    if users and not force:
        said = ", ".join(f"{coder} in {tid} ({n} segment{'s' if n > 1 else ''})"
                         for coder, tid, n in users)
        _raise(ProblemCode.CODE_IN_USE, f"code '{code}' is still used: {said}", where=code,
               fix="merge it into another code (merge_codes), or delete with force=True to "
               "remove its coded segments too")
    codes = [dataclasses.replace(c, parent=gone.parent) if c.parent == code else c
             for c in codebook if c.id != code]
    return _result(codebook, codes), [
        dataclasses.replace(c, applied=tuple(a for a in c.applied if a.code != code))
        for c in codings]
