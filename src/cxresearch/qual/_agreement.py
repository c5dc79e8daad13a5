"""Agreement between coders of the same transcripts, code by code, and the segments they
disagree on (re-exported by :mod:`cxresearch.qual.analysis`).

The unit is the **segment**: for each code, each coder either applied it to a segment
(present) or did not (absent). Every segment of a compared transcript is a unit, also
the ones no coder coded at all (absent for every code; ``include_uncoded=False`` leaves
them out). A coder who did not code a transcript is *missing* on its segments, not
absent: percent agreement and Cohen's kappa use the transcripts every coder coded,
Krippendorff's alpha also uses those that at least two coders coded.

The coefficients themselves are :func:`cxresearch.stats.cohen_kappa` and
:func:`cxresearch.stats.krippendorff_alpha`; this module builds their input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from ..stats._check import shown
from .analysis import (_applied_frame, _check_against, _check_code_list, _check_codebook,
                       _check_codings, _check_known_codes, _check_transcripts, _joined,
                       _listed, _rolled_up)
from .model import Codebook, Coding, QualError, Segment, Transcript

__all__ = ["AGREEMENT_COLUMNS", "DISAGREEMENT_COLUMNS", "OVERALL", "agreement",
           "disagreements"]

AGREEMENT_COLUMNS = ("code", "path", "unit", "coders", "n_coders", "n_segments",
                     "n_uncoded", "uncoded_included", "n_present", "percent_agreement",
                     "kappa", "kappa_low", "kappa_high", "alpha", "alpha_low",
                     "alpha_high", "alpha_n", "note")
"""Columns of :func:`agreement`."""
DISAGREEMENT_COLUMNS = ("transcript", "segment_id", "speaker", "start", "end", "disputed",
                        "quote")
"""Columns of :func:`disagreements`; a ``codes_<coder>`` column per coder comes before
``quote``."""
OVERALL = "(overall)"
"""The ``code`` of the pooled row of :func:`agreement`."""


@dataclass(frozen=True)
class _Design:
    """Who coded what, as arrays: ``present[coder, unit, code]``, ``seen[coder, unit]``."""

    coders: list[str]
    units: list[tuple[Transcript, Segment]]
    codes: list[str]
    present: np.ndarray
    seen: np.ndarray
    coded_any: np.ndarray
    raw: pd.DataFrame
    n_uncoded: int
    """Segments of the transcripts every coder coded that no coder coded (before any
    were left out)."""


def _by_coder(codings_by_coder: Any) -> dict[str, list[Coding]]:
    if isinstance(codings_by_coder, Mapping):
        out: dict[str, list[Coding]] = {}
        for coder, codings in codings_by_coder.items():
            items = _check_codings(codings, f"codings_by_coder[{coder!r}]")
            wrong = [c for c in items if c.coder != coder]
            if wrong:
                raise QualError(f"codings_by_coder[{coder!r}] holds a coding by "
                                f"{wrong[0].coder!r} (of transcript "
                                f"{wrong[0].transcript!r}); each coder's codings go under "
                                f"that coder's name")
            out[str(coder)] = items
        return out
    grouped: dict[str, list[Coding]] = {}
    for c in _check_codings(codings_by_coder, "codings_by_coder"):
        grouped.setdefault(c.coder, []).append(c)
    return grouped


def _design(codings_by_coder: Any, transcripts: Any, codebook: Any, codes: Any,
            roll_up: bool, include_uncoded: bool) -> _Design:
    cases = _check_transcripts(transcripts)
    book = _check_codebook(codebook)
    by_coder = _by_coder(codings_by_coder)
    coders = list(by_coder)
    if len(coders) < 2:
        raise QualError(f"agreement needs the codings of at least 2 coders; got "
                        f"{len(coders)} ({_listed(coders)}). Pass {{coder: [Coding, ...]}} "
                        f"or a list of Coding objects by several coders")
    everything = [c for items in by_coder.values() for c in items]
    _check_against(everything, cases)
    coded_by: dict[str, set[str]] = {}
    for c in everything:
        who = coded_by.setdefault(c.transcript, set())
        if c.coder in who:
            raise QualError(f"coder {c.coder!r} has two codings of transcript "
                            f"{c.transcript!r}; merge them into one coder file",
                            where=f"coder {c.coder!r}, transcript {c.transcript!r}")
        who.add(c.coder)
    compared = [t for tid, t in cases.items() if len(coded_by.get(tid, ())) >= 2]
    if not compared:
        raise QualError("no transcript was coded by two or more coders, so there is no "
                        "agreement to measure; have at least two coders code the same "
                        "transcripts")
    raw = _applied_frame(everything)
    _check_known_codes(raw, book)
    units = [(t, s) for t in compared for s in t.segments]
    unit_of = {(t.id, s.id): i for i, (t, s) in enumerate(units)}
    raw = raw.assign(unit=[unit_of.get(k, -1) for k in zip(raw["transcript"],
                                                            raw["segment"])])
    raw = raw[raw["unit"] >= 0]
    frame = _rolled_up(raw, book) if roll_up else raw
    if codes is None:
        used = set(frame["code"])
        chosen = [c for c in book.ids() if c in used]
        if not chosen:
            raise QualError("no coder applied a code to the transcripts compared; "
                            "nothing to measure agreement on")
    else:
        chosen = _check_code_list(codes, "codes", book)
        if not chosen:
            raise QualError("codes is empty: name the codes to compare, or leave codes "
                            "out for every code applied")
    coder_index = {c: i for i, c in enumerate(coders)}
    code_index = {c: i for i, c in enumerate(chosen)}
    present = np.zeros((len(coders), len(units), len(chosen)), dtype=bool)
    hit = frame[frame["code"].isin(code_index)]
    present[hit["coder"].map(coder_index).to_numpy(dtype=np.int64),
            hit["unit"].to_numpy(dtype=np.int64),
            hit["code"].map(code_index).to_numpy(dtype=np.int64)] = True
    seen = np.array([[coder in coded_by[t.id] for t, _ in units] for coder in coders])
    coded_any = np.zeros(len(units), dtype=bool)
    coded_any[raw["unit"].to_numpy(dtype=np.int64)] = True
    n_uncoded = int((seen.all(axis=0) & ~coded_any).sum())
    if not include_uncoded:
        keep = np.flatnonzero(coded_any)
        units = [units[i] for i in keep]
        present, seen = present[:, keep], seen[:, keep]
        coded_any = coded_any[keep]
        raw = raw.assign(unit=np.searchsorted(keep, raw["unit"].to_numpy()))
    return _Design(coders, units, chosen, present, seen, coded_any, raw, n_uncoded)


def agreement(codings_by_coder: Mapping[str, Iterable[Coding]] | Iterable[Coding],
              transcripts: Iterable[Transcript], codebook: Codebook, *,
              codes: Iterable[str] | None = None, include_uncoded: bool = True,
              roll_up: bool = False, level: float = 0.95, n_boot: int = 1000,
              seed: int = 0) -> pd.DataFrame:
    """Agreement between coders per code and overall: percent agreement, Cohen's kappa
    and Krippendorff's alpha, with the segment as unit.

    Parameters
    ----------
    codings_by_coder : dict of coder to list of Coding, or list of Coding
        Each coder's codings (at least 2 coders). A coder's coding of a transcript with
        no code applied still counts: the coder read it and found every code absent.
    transcripts : list of Transcript
        Their segments are the units.
    codebook : Codebook
    codes : list of code ids, optional
        The codes to compare; default every code applied to a compared transcript.
    include_uncoded : bool
        Segments no coder coded (with any code) are absent for every code when True
        (default); False leaves them out. Either way ``n_uncoded`` says how many there
        were.
    roll_up : bool
        Compare at the level of branches: a coder who applied a child code also applied
        its parent (and the parent's ancestors).
    level : float
        Confidence level of the intervals.
    n_boot : int
        Bootstrap resamples of segments for alpha's interval (0: none).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per code, then the row ``code == "(overall)"`` pooled over every segment
        x code; columns :data:`AGREEMENT_COLUMNS`: ``path``, ``unit`` (``"segment"``,
        ``"segment x code"`` overall), ``coders``, ``n_coders``, ``n_segments``
        (segments of the transcripts every coder coded: the units of percent agreement
        and kappa), ``n_uncoded`` (of those, how many no coder coded),
        ``uncoded_included``, ``n_present`` (segments where at least one coder applied
        the code; overall: any of the codes), ``percent_agreement`` (share of segments
        where all coders agree, 0-1), ``kappa`` with ``kappa_low``/``kappa_high``
        (Cohen's kappa, exactly two coders; Wald interval), ``alpha`` with
        ``alpha_low``/``alpha_high`` (Krippendorff's alpha, nominal, any number of
        coders, missing coders allowed; percentile bootstrap over segments), ``alpha_n``
        (segments alpha used: those of transcripts at least two coders coded) and
        ``note`` (why a value is missing). ``attrs`` names the transcripts compared.

    Notes
    -----
    For code :math:`j`, coder :math:`c` and segment :math:`u`, :math:`x_{cuj} = 1` when
    :math:`c` applied :math:`j` to :math:`u`, 0 when :math:`c` coded the transcript but
    not :math:`j` on :math:`u`, missing when :math:`c` did not code the transcript.
    Percent agreement is the share of units where every coder's :math:`x` is the same;
    kappa is :func:`cxresearch.stats.cohen_kappa` of the two coders' :math:`x`, alpha is
    :func:`cxresearch.stats.krippendorff_alpha` (nominal) of the units x coders table.
    Checked against hand computations and the ``krippendorff`` package
    (``tests/test_qual_analysis.py``). The overall row pools every (segment, code) pair
    into one table; its pairs are not independent (codes of one segment go together),
    so it has no interval. Absent-absent pairs dominate percent agreement when codes
    are rare: read kappa and alpha, which correct for chance.

    Examples
    --------
    >>> from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, Segment, Transcript
    >>> segs = tuple(Segment(f"c01:t{i}", "c01", i, i + 1) for i in range(4))
    >>> t = Transcript("c01", "abcd", "c01.txt", "ab12", "txt", segments=segs)
    >>> book = Codebook((Code("wait", {"en": "Waiting"}),))
    >>> ann = Coding("ann", "c01", "ab12", (CodedSegment("c01:t0", "wait"),
    ...                                      CodedSegment("c01:t1", "wait")))
    >>> bob = Coding("bob", "c01", "ab12", (CodedSegment("c01:t0", "wait"),))
    >>> table = agreement([ann, bob], [t], book, n_boot=0)
    >>> table[["code", "n_segments", "percent_agreement", "kappa"]].round(3)
            code  n_segments  percent_agreement  kappa
    0       wait           4               0.75    0.5
    1  (overall)           4               0.75    0.5
    """
    from ..stats._check import check_level
    from ..stats._coding import check_n_boot

    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    if not isinstance(include_uncoded, bool):
        raise QualError(f"include_uncoded must be True or False, not "
                        f"{shown(include_uncoded)}")
    design = _design(codings_by_coder, transcripts, codebook, codes, roll_up,
                     include_uncoded)
    book = _check_codebook(codebook)
    complete = np.asarray(design.seen.all(axis=0), dtype=bool)
    base = {"coders": ", ".join(design.coders), "n_coders": len(design.coders),
            "n_segments": int(complete.sum()), "n_uncoded": design.n_uncoded,
            "uncoded_included": include_uncoded}
    rows = []
    for j, code in enumerate(design.codes):
        rows.append({"code": code, "path": book.path(code), "unit": "segment", **base,
                     **_coefficients(design.present[:, :, j], design.seen, level,
                                     n_boot, seed)})
    # pooled: unit u and code j become the unit u * n_codes + j
    n_codes = len(design.codes)
    overall = _coefficients(design.present.reshape(len(design.coders), -1),
                            np.repeat(design.seen, n_codes, axis=1), level, 0, seed)
    overall["n_present"] = int(design.present[:, complete].any(axis=(0, 2)).sum())
    overall["alpha_n"] = int((design.seen.sum(axis=0) >= 2).sum())
    note = ("pooled over every segment x code; no interval (the codes of one segment "
            "are not independent)")
    overall["note"] = "; ".join(p for p in (note, overall["note"]) if p)
    rows.append({"code": OVERALL, "path": OVERALL, "unit": "segment x code", **base,
                 **overall})
    table = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    for column in ("n_coders", "n_segments", "n_uncoded", "n_present", "alpha_n"):
        table[column] = table[column].astype("int64")
    compared = list(dict.fromkeys(t.id for t, _ in design.units))
    fully = list(dict.fromkeys(t.id for (t, _), ok in zip(design.units, complete) if ok))
    table.attrs.update({
        "unit": "segment", "coders": design.coders, "transcripts": compared,
        "transcripts_all_coders": fully, "include_uncoded": include_uncoded,
        "roll_up": bool(roll_up), "level": level, "n_boot": n_boot, "seed": seed,
        "method": ("Cohen's kappa (cxresearch.stats.cohen_kappa, Wald interval) and "
                   "Krippendorff's alpha, nominal (cxresearch.stats.krippendorff_alpha, "
                   "percentile bootstrap over segments) of each code's presence per "
                   "segment")})
    return table


def _coefficients(present: np.ndarray, seen: np.ndarray, level: float, n_boot: int,
                  seed: int) -> dict[str, Any]:
    """Percent agreement, kappa and alpha of a coders x units table of presence, where
    ``seen`` says which coder coded which unit."""
    from ..stats import cohen_kappa, krippendorff_alpha

    x = present.astype("float64")
    complete = seen.all(axis=0)
    full = x[:, complete]
    notes: list[str] = []
    out: dict[str, Any] = {"n_present": int((full > 0).any(axis=0).sum()),
                           "percent_agreement": math.nan, "kappa": math.nan,
                           "kappa_low": math.nan, "kappa_high": math.nan,
                           "alpha": math.nan, "alpha_low": math.nan,
                           "alpha_high": math.nan}
    if full.shape[1]:
        out["percent_agreement"] = float((full.min(axis=0) == full.max(axis=0)).mean())
    else:
        notes.append("no transcript was coded by every coder: no percent agreement or "
                     "kappa")
    undefined = False
    if x.shape[0] != 2:
        notes.append("Cohen's kappa needs exactly two coders (alpha takes any number)")
    elif full.shape[1]:
        with np.errstate(invalid="ignore"):  # statsmodels' variance can round below 0
            kappa = cohen_kappa(full[0], full[1], categories=[0.0, 1.0], level=level)
        out.update(kappa=kappa.estimate, kappa_low=kappa.ci_low, kappa_high=kappa.ci_high)
        undefined = "note" in kappa.extra
    usable = seen.sum(axis=0) >= 2
    out["alpha_n"] = int(usable.sum())
    if usable.any():
        table = pd.DataFrame(np.where(seen, x, np.nan)[:, usable].T)
        alpha = krippendorff_alpha(table, "nominal", categories=[0.0, 1.0],
                                   conf_level=level, n_boot=n_boot, seed=seed)
        out.update(alpha=alpha.estimate, alpha_low=alpha.ci_low, alpha_high=alpha.ci_high)
        undefined = undefined or "note" in alpha.extra
    if undefined:
        notes.append("every coder gave every segment the same (all absent or all "
                     "present), so chance agreement is perfect and kappa and alpha are "
                     "0/0")
    out["note"] = "; ".join(notes)
    return out


def disagreements(codings_by_coder: Mapping[str, Iterable[Coding]] | Iterable[Coding],
                  transcripts: Iterable[Transcript], codebook: Codebook, *,
                  codes: Iterable[str] | None = None,
                  roll_up: bool = False) -> pd.DataFrame:
    """The segments coders disagree on, with each coder's codes and the quote, to discuss.

    Parameters
    ----------
    codings_by_coder, transcripts, codebook, codes, roll_up
        As :func:`agreement`.

    Returns
    -------
    DataFrame
        One row per segment where the coders who coded its transcript (at least two)
        differ on one of the codes, in transcript order: :data:`DISAGREEMENT_COLUMNS`
        with ``disputed`` (the codes some but not all of them applied, ``"; "``-joined
        in codebook order), a column ``codes_<coder>`` per coder with every code that
        coder applied to the segment (missing when the coder did not code the
        transcript), and ``quote`` (the words, as spoken: this table is for the coders,
        not for a report).

    Examples
    --------
    >>> from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, Segment, Transcript
    >>> segs = tuple(Segment(f"c01:t{i}", "c01", 2 * i, 2 * i + 2) for i in range(2))
    >>> t = Transcript("c01", "ohno", "c01.txt", "ab12", "txt", segments=segs)
    >>> book = Codebook((Code("wait", {"en": "Waiting"}),))
    >>> ann = Coding("ann", "c01", "ab12", (CodedSegment("c01:t0", "wait"),
    ...                                      CodedSegment("c01:t1", "wait")))
    >>> bob = Coding("bob", "c01", "ab12", (CodedSegment("c01:t0", "wait"),))
    >>> disagreements([ann, bob], [t], book)[["segment_id", "codes_ann", "codes_bob", "quote"]]
      segment_id codes_ann codes_bob quote
    0     c01:t1      wait              no
    """
    design = _design(codings_by_coder, transcripts, codebook, codes, roll_up, True)
    book = _check_codebook(codebook)
    order = {c: i for i, c in enumerate(book.ids())}
    x = np.where(design.seen[:, :, None], design.present, np.nan)
    ones = np.nansum(x, axis=0)
    n_seen = design.seen.sum(axis=0)[:, None]
    split = (ones > 0) & (ones < n_seen) & (n_seen >= 2)
    rows = np.flatnonzero(split.any(axis=1))
    raw = design.raw[design.raw["unit"].isin(rows)]
    applied = raw.groupby(["unit", "coder"])["code"].agg(lambda s: _joined(s, order))
    table = pd.DataFrame({
        "transcript": [design.units[u][0].id for u in rows],
        "segment_id": [design.units[u][1].id for u in rows],
        "speaker": [design.units[u][1].speaker for u in rows],
        "start": pd.array([design.units[u][1].start for u in rows], dtype="int64"),
        "end": pd.array([design.units[u][1].end for u in rows], dtype="int64"),
        "disputed": ["; ".join(design.codes[j] for j in np.flatnonzero(split[u]))
                     for u in rows]})
    for i, coder in enumerate(design.coders):
        table[f"codes_{coder}"] = [applied.get((u, coder), "") if design.seen[i, u]
                                   else None for u in rows]
    table["quote"] = [design.units[u][0].quote(design.units[u][1]) for u in rows]
    table.attrs.update({"coders": design.coders, "codes": design.codes,
                        "roll_up": bool(roll_up)})
    return table
