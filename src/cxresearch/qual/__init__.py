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
  ATLAS.ti, MAXQDA and QualCoder.
"""

from __future__ import annotations

from .model import (CASE_ATTRIBUTES, RESPONDENT_TYPES, SEGMENT_KINDS, Code, Codebook,
                    CodedSegment, Coding, QualError, Segment, Transcript)

__all__ = ["CASE_ATTRIBUTES", "RESPONDENT_TYPES", "SEGMENT_KINDS", "Code", "Codebook",
           "CodedSegment", "Coding", "QualError", "Segment", "Transcript"]
