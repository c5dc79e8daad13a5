"""Interviews: transcripts, codebook, coding, agreement between coders, and quotes tied to
the journey, so a pain point in the survey comes with the customer's own words.

* :mod:`~cxresearch.qual.model`: transcripts, segments, codes, codebooks, codings.
* :mod:`~cxresearch.qual.transcripts`: reading text, Markdown, ``.docx``, ``.vtt`` and
  ``.srt`` files into segments (the raw file is never altered).
* :mod:`~cxresearch.qual.codebook` and :mod:`~cxresearch.qual.coding`: the codebook in
  YAML, a starter codebook from the interview guide and the journey, coder files.
* :mod:`~cxresearch.qual.analysis`: frequencies, co-occurrence, retrieval, agreement,
  quote tables.
* :mod:`~cxresearch.qual.refi`: REFI-QDA exchange (``.qdpx``, ``.qdc``) with NVivo,
  ATLAS.ti, MAXQDA and QualCoder; :mod:`~cxresearch.qual.exchange` does it for a study
  folder (``cxresearch qual export`` / ``import``).

The readers and analyses are imported from their modules, e.g.
``from cxresearch.qual.transcripts import read_transcripts``; the commonest are also here.
"""

from __future__ import annotations

from .model import (CASE_ATTRIBUTES, RESPONDENT_TYPES, SEGMENT_KINDS, Code, Codebook,
                    CodedSegment, Coding, QualError, Segment, Transcript)

__all__ = ["CASE_ATTRIBUTES", "RESPONDENT_TYPES", "SEGMENT_KINDS", "Code", "Codebook",
           "CodedSegment", "Coding", "QualError", "Segment", "Transcript", "all_codings",
           "load_codebook", "read_transcripts"]


def __getattr__(name: str) -> object:
    """The readers, imported on first use (``import cxresearch.qual`` stays light)."""
    import importlib

    where = {"read_transcripts": ".transcripts", "load_codebook": ".codebook",
             "all_codings": ".coding"}.get(name)
    if where is None:
        raise AttributeError(f"module 'cxresearch.qual' has no attribute '{name}'")
    return getattr(importlib.import_module(where, __name__), name)
