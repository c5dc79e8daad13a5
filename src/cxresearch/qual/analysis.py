"""Analysing coded interviews: how often codes occur, which occur together, segments by
their codes, the touchpoints people speak negatively about, agreement between coders
and quote tables for reports.

* :func:`code_frequencies`: segments and cases (transcripts) per code, optionally per
  case attribute, with small groups suppressed.
* :func:`cooccurrence`: the code x code matrix of segments (or transcripts) where both
  codes occur (one sparse matrix product).
* :func:`retrieve`: segments with code A and B, A or B, A but not B.
* :func:`negative_mentions`: touchpoints ranked by negative mentions, beside the
  survey's touchpoint scores.
* :func:`agreement` and :func:`disagreements` (in :mod:`cxresearch.qual._agreement`):
  percent agreement, Cohen's kappa and Krippendorff's alpha per code, and the segments
  to discuss.
* :func:`quote_table`, :func:`write_quotes_html`, :func:`write_quotes_excel` (in
  :mod:`cxresearch.qual.quotes`): quotes with stable ids, scrubbed of personal data.

Every table is a tidy DataFrame (the co-occurrence matrix is a square one; ``.stack()``
makes it tidy). The codings are taken as given: frequencies count a segment once
however many coders gave it the code, while co-occurrence and retrieval look at each
coder's coding of a segment on its own, so codes two coders applied differently never
"occur together". A coding made for another version of a transcript
(its sha256 differs) is refused.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..stats._check import shown
from .model import Codebook, Coding, QualError, Transcript

__all__ = ["FREQUENCY_COLUMNS", "NEGATIVE_COLUMNS", "RETRIEVE_COLUMNS", "SCORE_COLUMNS",
           "UNITS", "agreement", "code_frequencies", "cooccurrence", "disagreements",
           "negative_mentions", "quote_table", "retrieve", "write_quotes_excel",
           "write_quotes_html"]

FREQUENCY_COLUMNS = ("code", "path", "depth", "segments", "cases", "n_cases",
                     "share_cases")
"""Columns of :func:`code_frequencies` (the ``by`` column follows ``depth``, and
``suppressed`` ends the table, when ``by`` is given)."""
RETRIEVE_COLUMNS = ("transcript", "segment_id", "coder", "codes", "speaker", "start",
                    "end", "quote")
"""Columns of :func:`retrieve` (the last four only when transcripts are given)."""
NEGATIVE_COLUMNS = ("rank", "touchpoint", "negative_segments", "negative_cases",
                    "n_cases", "share_cases", "mean_valence", "codes")
"""Columns of :func:`negative_mentions`."""
SCORE_COLUMNS = ("score_field", "score_n", "score", "score_low", "score_high",
                 "score_suppressed")
"""Columns :func:`negative_mentions` adds from :func:`cxresearch.stats.touchpoint_scores`."""
UNITS = ("segment", "transcript")
"""Units of :func:`cooccurrence`."""

# agreement and quotes build on the helpers below, so they are imported on first use
_LAZY = {"agreement": "._agreement", "disagreements": "._agreement",
         "quote_table": ".quotes", "write_quotes_html": ".quotes",
         "write_quotes_excel": ".quotes"}

if TYPE_CHECKING:  # pragma: no cover
    from ._agreement import agreement, disagreements
    from .quotes import quote_table, write_quotes_excel, write_quotes_html


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cxresearch.qual.analysis' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __package__), name)
    globals()[name] = value
    return value


# -- reading and checking the inputs (shared with _agreement and quotes) ----------------
def _listed(values: Iterable[Any], limit: int = 8) -> str:
    """Up to ``limit`` values as ``'a', 'b', ... (12 in all)``."""
    items = list(values)
    text = ", ".join(repr(v) for v in items[:limit])
    return text + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def _check_transcripts(transcripts: Any, argument: str = "transcripts"
                      ) -> dict[str, Transcript]:
    """Transcripts by id, from a list (or a dict) of :class:`Transcript`."""
    if isinstance(transcripts, Transcript):
        raise QualError(f"{argument} must be a list of transcripts, not one Transcript; "
                        f"pass [{transcripts.id!r} transcript] as a list")
    items = list(transcripts.values()) if isinstance(transcripts, Mapping) else transcripts
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise QualError(f"{argument} must be a list of Transcript objects (as the "
                        f"transcript reader returns them), not {shown(transcripts)}")
    out: dict[str, Transcript] = {}
    for i, t in enumerate(items):
        if not isinstance(t, Transcript):
            raise QualError(f"{argument} must hold Transcript objects "
                            f"(cxresearch.qual.Transcript); item {i} is "
                            f"{type(t).__name__}: {shown(t)}")
        if t.id in out:
            raise QualError(f"{argument}: two transcripts have the id {t.id!r} (from "
                            f"{out[t.id].source!r} and {t.source!r}); transcript ids must "
                            f"be unique: rename one file or give it another id")
        out[t.id] = t
    return out


def _check_codings(codings: Any, argument: str = "codings") -> list[Coding]:
    """A list of :class:`Coding`; a mapping coder -> codings (as ``all_codings`` gives)
    is flattened."""
    if isinstance(codings, Coding):
        return [codings]
    if isinstance(codings, Mapping):
        codings = [c for part in codings.values() for c in
                   ([part] if isinstance(part, Coding) else part)]
    if isinstance(codings, (str, bytes)) or not isinstance(codings, Iterable):
        raise QualError(f"{argument} must be a list of Coding objects (one per coder and "
                        f"transcript, as the coder-file reader returns them), not "
                        f"{shown(codings)}")
    out = list(codings)
    for i, c in enumerate(out):
        if not isinstance(c, Coding):
            raise QualError(f"{argument} must hold Coding objects (cxresearch.qual.Coding); "
                            f"item {i} is {type(c).__name__}: {shown(c)}")
    return out


def _check_codebook(codebook: Any, argument: str = "codebook") -> Codebook:
    if not isinstance(codebook, Codebook):
        raise QualError(f"{argument} must be a Codebook (cxresearch.qual.Codebook, as the "
                        f"codebook reader returns it), not {type(codebook).__name__}")
    return codebook


def _check_against(codings: Sequence[Coding], transcripts: Mapping[str, Transcript]) -> None:
    """Every coding is of a transcript given, of the same version, on its segments."""
    segment_ids: dict[str, set[str]] = {}
    for c in codings:
        where = f"coder {c.coder!r}, transcript {c.transcript!r}"
        t = transcripts.get(c.transcript)
        if t is None:
            raise QualError(f"coder {c.coder!r} coded transcript {c.transcript!r}, which is "
                            f"not among the transcripts given ({_listed(transcripts)}); "
                            f"pass that transcript too, or leave its coding out",
                            where=where)
        if c.transcript_sha256 != t.sha256:
            raise QualError(f"coder {c.coder!r} coded another version of transcript "
                            f"{t.id!r}: the coding is of sha256 {c.transcript_sha256[:12]}..., "
                            f"the file {t.source!r} now has {t.sha256[:12]}...; the "
                            f"transcript changed after it was coded: check the coding "
                            f"against the new text and update the coder file",
                            where=where)
        ids = segment_ids.get(t.id)
        if ids is None:
            ids = segment_ids[t.id] = {s.id for s in t.segments}
        missing = [a.segment for a in c.applied if a.segment not in ids]
        if missing:
            raise QualError(f"coder {c.coder!r} applied codes to segment {missing[0]!r}, "
                            f"which transcript {t.id!r} does not have ({len(missing)} such "
                            f"code(s)); was the transcript segmented another way (turns or "
                            f"sentences) than when it was coded?", where=where)


def _applied_frame(codings: Sequence[Coding]) -> pd.DataFrame:
    """One row per code applied: ``coder, transcript, segment, code``."""
    rows = [(c.coder, c.transcript, a.segment, a.code) for c in codings for a in c.applied]
    return pd.DataFrame(rows, columns=["coder", "transcript", "segment", "code"],
                        dtype=object)


def _check_known_codes(frame: pd.DataFrame, codebook: Codebook) -> None:
    """Every code applied is in the codebook."""
    unknown = ~frame["code"].isin(codebook.ids())
    if unknown.any():
        row = frame[unknown].iloc[0]
        n = int(frame.loc[unknown, "code"].nunique())
        raise QualError(f"coder {row['coder']!r} applied code {row['code']!r} to segment "
                        f"{row['segment']!r}, but the codebook has no such code ({n} "
                        f"unknown code(s) in all); codes are {_listed(codebook.ids())}: add "
                        f"it to the codebook or correct the coder file",
                        where=f"coder {row['coder']!r}, segment {row['segment']!r}")


def _coded_inputs(transcripts: Any, codings: Any, codebook: Any
                  ) -> tuple[dict[str, Transcript], Codebook, pd.DataFrame]:
    """The checked transcripts by id, the codebook, and the codes applied as a frame
    (:func:`_applied_frame`) once every coding fits the transcripts and the codebook."""
    cases = _check_transcripts(transcripts)
    coded = _check_codings(codings)
    book = _check_codebook(codebook)
    _check_against(coded, cases)
    frame = _applied_frame(coded)
    _check_known_codes(frame, book)
    return cases, book, frame


def _check_code_list(codes: Any, argument: str, codebook: Codebook | None = None
                    ) -> list[str]:
    """``codes`` as a list of code ids (one id may be given as a str)."""
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, Iterable) or isinstance(codes, (bytes, Mapping)):
        raise QualError(f"{argument} must be a list of code ids, not {shown(codes)}")
    out = list(dict.fromkeys(codes))
    bad = [c for c in out if not isinstance(c, str)]
    if bad:
        raise QualError(f"{argument} must hold code ids (text); got {shown(bad[0])}")
    if codebook is not None:
        unknown = [c for c in out if c not in codebook]
        if unknown:
            raise QualError(f"{argument}: {unknown[0]!r} is not a code of the codebook; "
                            f"codes are {_listed(codebook.ids())}")
    return out


def _check_min_group_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise QualError(f"min_group_size must be a whole number of at least 1 (the study's "
                        f"minimum group size, default 5); got {shown(value)}")
    return int(value)


def _lineage(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Each code with its ancestors: ``(code, parent, grandparent, ...)``."""
    parent = {c.id: c.parent for c in codebook}
    out: dict[str, tuple[str, ...]] = {}
    for cid in parent:
        chain: list[str] = []
        current: str | None = cid
        while current is not None and current in parent and current not in chain:
            chain.append(current)
            current = parent[current]
        out[cid] = tuple(chain)
    return out


def _touchpoint_of(codebook: Codebook) -> dict[str, str | None]:
    """Each code's touchpoint: its own, else that of its nearest ancestor that has one."""
    own = {c.id: c.touchpoint for c in codebook}
    return {cid: next((own[a] for a in chain if own[a]), None)
            for cid, chain in _lineage(codebook).items()}


def _rolled_up(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``frame`` with each code also counted under every ancestor (``code`` replaced)."""
    chains = _lineage(codebook)
    out = frame.assign(code=frame["code"].map(chains)).explode("code")
    return out.reset_index(drop=True)


def _joined(codes: Iterable[str], order: Mapping[str, int]) -> str:
    """Distinct codes in codebook order, joined by ``"; "``."""
    return "; ".join(sorted(set(codes), key=lambda c: (order.get(c, len(order)), c)))


# -- code frequencies -------------------------------------------------------------------
def code_frequencies(transcripts: Iterable[Transcript], codings: Iterable[Coding],
                     codebook: Codebook, *, by: str | None = None, roll_up: bool = True,
                     min_group_size: int = 5) -> pd.DataFrame:
    """Segments and cases (transcripts) per code, optionally per case attribute.

    Parameters
    ----------
    transcripts : list of Transcript
        The cases: every transcript counts in ``n_cases``, coded or not.
    codings : list of Coding
        The codes applied, by any number of coders; a segment several coders gave a code
        counts once.
    codebook : Codebook
        Every code gets a row, in codebook order (zeros included).
    by : str, optional
        A case attribute (``respondent_type``, ``team``, ``wave``, ...): one row per code
        and attribute value, plus a ``Total`` row per code. Transcripts without the
        attribute form a group of their own (shown as missing).
    roll_up : bool
        Count a segment coded with a child code under its parent (and the parent's
        ancestors) too. With False each code counts only where it was applied itself.
    min_group_size : int
        With ``by``: a group of fewer cases shows nothing, nor does a count of 1 to
        ``min_group_size - 1`` cases, also where it could be recovered by subtraction
        (see Notes). Default 5 (as the study's default).

    Returns
    -------
    DataFrame
        :data:`FREQUENCY_COLUMNS`: ``code``, ``path`` (ids from the top, ``call >
        waiting``), ``depth`` (0 at the top), [the ``by`` column,] ``segments`` (segments
        coded), ``cases`` (transcripts with at least one such segment), ``n_cases``
        (transcripts in the group), ``share_cases`` (cases / n_cases) [, ``suppressed``:
        the row's counts are hidden]. ``n_cases`` and ``share_cases`` are also missing
        for a group whose size is hidden so that a smaller group's size cannot be
        recovered from the total. ``attrs`` holds ``roll_up``, ``n_cases``,
        ``min_group_size`` and ``by``.

    Notes
    -----
    Suppression follows :func:`cxresearch.data.suppress_small_cells`: first the group
    sizes, with the total number of transcripts as their margin (a group smaller than
    ``min_group_size`` shows nothing; when that leaves one size recoverable, a second
    group's size is hidden too), then, per code, the cases per group with the code's
    ``Total`` as margin: a count of 1 to
    ``min_group_size - 1`` is hidden, a code whose total is that small shows nothing per
    group (not even zeros), and while a code's row has exactly one hidden group a second
    one is hidden, so no count follows from the total by subtraction. Segments and
    shares of a hidden cell are hidden with it. Counts rolled up to a parent are not
    sums of the children's (a segment can carry two of them), so they form no line of
    subtraction; a parent with a single child can still equal it, and is then hidden
    with it.

    Examples
    --------
    >>> from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, Segment, Transcript
    >>> t = Transcript("c01", "I waited long. Nice staff.", "c01.txt", "ab12", "txt",
    ...                segments=(Segment("c01:s0001", "c01", 0, 14),
    ...                          Segment("c01:s0002", "c01", 15, 26)))
    >>> book = Codebook((Code("call", {"en": "Call"}),
    ...                  Code("waiting", {"en": "Waiting"}, parent="call")))
    >>> coding = Coding("ann", "c01", "ab12", (CodedSegment("c01:s0001", "waiting"),))
    >>> code_frequencies([t], [coding], book)[["path", "segments", "cases"]]
                 path  segments  cases
    0            call         1      1
    1  call > waiting         1      1
    """
    from ..data.privacy import small_cell_mask

    k = _check_min_group_size(min_group_size)
    cases, book, frame = _coded_inputs(transcripts, codings, codebook)
    if roll_up:
        frame = _rolled_up(frame, book)
    frame = frame[["transcript", "segment", "code"]].drop_duplicates()
    ids = book.ids()
    chains = _lineage(book)
    base = pd.DataFrame({"code": ids, "path": [book.path(c) for c in ids],
                         "depth": [len(chains[c]) - 1 for c in ids]})
    n_all = len(cases)
    attrs = {"roll_up": bool(roll_up), "n_cases": n_all, "min_group_size": k, "by": by}
    if by is None:
        segments = frame.groupby("code").size().reindex(ids, fill_value=0).to_numpy()
        mentioned = frame.drop_duplicates(["transcript", "code"]).groupby("code").size()
        n_mentioned = mentioned.reindex(ids, fill_value=0).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            share = n_mentioned / n_all if n_all else np.full(len(ids), np.nan)
        out = base.assign(segments=segments.astype("int64"),
                          cases=n_mentioned.astype("int64"), n_cases=n_all,
                          share_cases=share)
        out.attrs.update(attrs)
        return out

    from ..data.privacy import MARGIN_LABELS

    if not isinstance(by, str):
        raise QualError(f"by must name one case attribute (e.g. 'team'), not {shown(by)}")
    known = sorted({a for t in cases.values() for a in t.attributes})
    if by not in known:
        raise QualError(f"by={by!r}: no transcript has this case attribute; the "
                        f"transcripts have {_listed(known) or 'no attributes'}")
    if by in FREQUENCY_COLUMNS or by == "suppressed":
        raise QualError(f"by={by!r} is also a column of the table; rename the attribute")
    missing = "\x00missing"  # a group label no attribute value can have
    group_of = {tid: (str(t.attributes[by]) if t.attributes.get(by) is not None
                      else missing) for tid, t in cases.items()}
    margin = [g for g in set(group_of.values()) if g.strip().casefold() in MARGIN_LABELS]
    if margin:
        raise QualError(f"by={by!r}: the value {margin[0]!r} reads as a total (Total, "
                        f"Totaal, All) in the suppressed table; rename that group")
    labels = sorted(set(group_of.values()) - {missing}) + \
        ([missing] if missing in group_of.values() else [])
    sizes = pd.Series(Counter(group_of.values())).reindex(labels).astype("int64")
    small = sizes.to_numpy() < k  # shows nothing
    size_hidden = np.append(small_cell_mask(sizes, k, total=n_all).to_numpy(dtype=bool),
                            False)  # its size (and shares) hidden; the Total's shown
    frame = frame.assign(group=frame["transcript"].map(group_of))
    seg_counts = _crosstab(frame, labels, ids)
    case_counts = _crosstab(frame.drop_duplicates(["transcript", "code"]), labels, ids)
    seg_counts["Total"] = seg_counts.sum(axis=1)
    case_counts["Total"] = case_counts.sum(axis=1)
    masked = case_counts.astype("float64")
    masked.loc[:, [g for g, s in zip(labels, small) if s]] = np.nan
    hidden = np.asarray(small_cell_mask(masked, k), dtype=bool).ravel()
    columns = [*labels, "Total"]
    size_values = np.append(sizes.to_numpy(dtype="float64"), n_all)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = case_counts.to_numpy(dtype="float64") / size_values
    no_size = np.tile(size_hidden, len(ids))
    out = pd.DataFrame({
        "code": np.repeat(ids, len(columns)),
        "path": np.repeat(base["path"].to_numpy(), len(columns)),
        "depth": np.repeat(base["depth"].to_numpy(), len(columns)),
        by: [None if g == missing else g for g in columns] * len(ids),
        "segments": pd.array(seg_counts.to_numpy().ravel(), dtype="Int64"),
        "cases": pd.array(case_counts.to_numpy().ravel(), dtype="Int64"),
        "n_cases": pd.array(np.tile(size_values, len(ids)).astype("int64"), dtype="Int64"),
        "share_cases": share.ravel()})
    out["segments"] = out["segments"].mask(hidden)
    out["cases"] = out["cases"].mask(hidden)
    out["n_cases"] = out["n_cases"].mask(no_size)
    out["share_cases"] = out["share_cases"].mask(hidden | no_size)
    out["suppressed"] = hidden
    out.attrs.update(attrs)
    return out


def _crosstab(frame: pd.DataFrame, labels: list[str], ids: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(0, index=ids, columns=labels, dtype="int64")
    counts = frame.groupby(["code", "group"]).size().unstack("group", fill_value=0)
    return counts.reindex(index=ids, columns=labels, fill_value=0).astype("int64")


# -- co-occurrence ----------------------------------------------------------------------
def cooccurrence(codings: Iterable[Coding], codebook: Codebook | None = None, *,
                 unit: str = "segment") -> pd.DataFrame:
    """How often two codes occur in the same segment (or transcript): a code x code matrix.

    Parameters
    ----------
    codings : list of Coding
        The codes applied. Each coder's coding of a segment is one unit: a segment two
        coders coded counts twice, and a code one coder applied never co-occurs with a
        code only the other applied.
    codebook : Codebook, optional
        Gives the rows and columns (every code, in codebook order, zeros included) and
        refuses codes it does not have. Without it: the codes applied, sorted.
    unit : {"segment", "transcript"}
        Both codes in the same segment, or anywhere in the same transcript.

    Returns
    -------
    DataFrame
        Square and symmetric: index (named ``code``) and columns (named ``co_code``) the
        codes; cell (a, b) the number of units with both a and b, the diagonal the units
        with a. ``matrix.stack().rename("units").reset_index()`` makes it tidy.
        ``attrs``: ``unit``, ``n_units`` (units with any code), ``n_applied``.

    Notes
    -----
    With :math:`X` the units x codes 0/1 matrix (scipy sparse), the result is
    :math:`X^\\top X`: one sparse product, so 100,000 coded segments take well under a
    second (``benchmarks/bench_qual_analysis.py``).

    Examples
    --------
    >>> from cxresearch.qual.model import CodedSegment, Coding
    >>> c = Coding("ann", "c01", "ab12", (CodedSegment("c01:t0001", "wait"),
    ...            CodedSegment("c01:t0001", "angry"), CodedSegment("c01:t0002", "wait")))
    >>> cooccurrence([c])  # doctest: +NORMALIZE_WHITESPACE
    co_code  angry  wait
    code
    angry        1     1
    wait         1     2
    """
    from scipy import sparse

    coded = _check_codings(codings)
    if unit not in UNITS:
        raise QualError(f"unit must be one of {_listed(UNITS)}, not {shown(unit)}")
    book = _check_codebook(codebook) if codebook is not None else None
    frame = _applied_frame(coded)
    if book is not None:
        _check_known_codes(frame, book)
        codes = book.ids()
    else:
        codes = sorted(set(frame["code"]))
    keys = ["coder", "transcript", "segment"] if unit == "segment" else ["coder",
                                                                          "transcript"]
    if len(frame):
        rows = frame.groupby(keys, sort=False).ngroup().to_numpy()
        n_units = int(rows.max()) + 1
    else:
        rows, n_units = np.zeros(0, dtype=np.int64), 0
    cols = pd.Index(codes).get_indexer(frame["code"]).astype(np.int64)
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                  shape=(n_units, len(codes)))
    incidence.data[:] = 1  # a code applied twice to one unit counts once
    counts = np.asarray((incidence.T @ incidence).toarray(), dtype=np.int64)
    out = pd.DataFrame(counts, index=pd.Index(codes, name="code"),
                       columns=pd.Index(codes, name="co_code"))
    out.attrs.update({"unit": unit, "n_units": n_units, "n_applied": len(frame)})
    return out


# -- retrieval --------------------------------------------------------------------------
def retrieve(codings: Iterable[Coding], *, all_of: str | Sequence[str] = (),
             any_of: str | Sequence[str] = (), none_of: str | Sequence[str] = (),
             transcripts: Iterable[Transcript] | None = None) -> pd.DataFrame:
    """Segments by their codes: all of some (AND), any of others (OR), none of a third set
    (NOT).

    Parameters
    ----------
    codings : list of Coding
        The codes applied; each coder's coding of a segment is judged on its own.
    all_of, any_of, none_of : code id or list of code ids
        A segment qualifies when it has every code of ``all_of``, at least one of
        ``any_of`` (when given) and none of ``none_of``. Codes match exactly; for a
        branch pass ``codebook.descendants("call")`` as ``any_of`` or ``none_of``.
    transcripts : list of Transcript, optional
        Adds the speaker, the character offsets and the quote (as spoken: not scrubbed;
        use :func:`quote_table` for reports).

    Returns
    -------
    DataFrame
        One row per segment and coder, :data:`RETRIEVE_COLUMNS`: ``transcript``,
        ``segment_id``, ``coder``, ``codes`` (every code the coder gave the segment,
        joined by ``"; "``) and, with transcripts, ``speaker``, ``start``, ``end``,
        ``quote``. Ordered by transcript (as given) and position. Only coded segments
        can qualify (``none_of`` alone gives the coded segments without those codes).

    Examples
    --------
    >>> from cxresearch.qual.model import CodedSegment, Coding
    >>> c = Coding("ann", "c01", "ab12", (CodedSegment("c01:t0001", "wait"),
    ...            CodedSegment("c01:t0001", "angry"), CodedSegment("c01:t0002", "wait")))
    >>> retrieve([c], all_of="wait", none_of="angry")[["segment_id", "codes"]]
      segment_id codes
    0  c01:t0002  wait
    """
    coded = _check_codings(codings)
    need = _check_code_list(all_of, "all_of")
    some = _check_code_list(any_of, "any_of")
    avoid = _check_code_list(none_of, "none_of")
    if not (need or some or avoid):
        raise QualError("retrieve needs at least one code: pass all_of=[...] (every one), "
                        "any_of=[...] (at least one) or none_of=[...] (none of them)")
    both = set(need + some) & set(avoid)
    if both:
        raise QualError(f"code {sorted(both)[0]!r} is both wanted (all_of/any_of) and "
                        f"excluded (none_of), so no segment can qualify")
    cases = _check_transcripts(transcripts) if transcripts is not None else None
    if cases is not None:
        _check_against(coded, cases)
    frame = _applied_frame(coded)
    keys = ["coder", "transcript", "segment"]
    units = frame.groupby(keys, sort=False).ngroup().to_numpy() if len(frame) else \
        np.zeros(0, dtype=np.int64)
    n_units = int(units.max()) + 1 if len(units) else 0
    wanted = list(dict.fromkeys(need + some + avoid))
    col = pd.Index(wanted).get_indexer(frame["code"]).astype(np.int64)
    has = np.zeros((n_units, len(wanted)), dtype=bool)
    has[units[col >= 0], col[col >= 0]] = True
    index = {c: i for i, c in enumerate(wanted)}
    keep = np.ones(n_units, dtype=bool)
    if need:
        keep &= has[:, [index[c] for c in need]].all(axis=1)
    if some:
        keep &= has[:, [index[c] for c in some]].any(axis=1)
    if avoid:
        keep &= ~has[:, [index[c] for c in avoid]].any(axis=1)
    chosen = frame[keep[units]] if n_units else frame
    table = (chosen.groupby(keys, sort=False)["code"]
             .agg(lambda s: "; ".join(dict.fromkeys(s))).reset_index()
             .rename(columns={"segment": "segment_id", "code": "codes"}))
    table = table[["transcript", "segment_id", "coder", "codes"]]
    if cases is None:
        return table.reset_index(drop=True)
    spans = {(t.id, s.id): (s, t) for t in cases.values() for s in t.segments}
    order = {tid: i for i, tid in enumerate(cases)}
    found = [spans[(t, s)] for t, s in zip(table["transcript"], table["segment_id"])]
    table["speaker"] = [s.speaker for s, _ in found]
    table["start"] = pd.array([s.start for s, _ in found], dtype="int64")
    table["end"] = pd.array([s.end for s, _ in found], dtype="int64")
    table["quote"] = [t.quote(s) for s, t in found]
    table["_order"] = table["transcript"].map(order)
    table = table.sort_values(["_order", "start", "coder"], kind="mergesort")
    return table.drop(columns="_order").reset_index(drop=True)


# -- negative mentions per touchpoint ---------------------------------------------------
def negative_mentions(transcripts: Iterable[Transcript], codings: Iterable[Coding],
                      codebook: Codebook, *, survey: Any = None,
                      item: str = "touchpoint_satisfaction") -> pd.DataFrame:
    """Touchpoints ranked by negative mentions, beside the survey's scores of them.

    Parameters
    ----------
    transcripts : list of Transcript
        The cases (every one counts in ``n_cases``).
    codings : list of Coding
        The codes applied; a segment several coders coded counts once.
    codebook : Codebook
        A code is a negative mention of a touchpoint when its ``valence`` is below 0 and
        it is linked to the touchpoint, itself or through the nearest ancestor that is
        (a code under a touchpoint's branch).
    survey : Responses, optional
        Customer (or employee) answers: adds the touchpoint's mean score from
        :func:`cxresearch.stats.touchpoint_scores` (its minimum group size applies:
        small groups have no score).
    item : str
        The item scored per touchpoint (default ``"touchpoint_satisfaction"``).

    Returns
    -------
    DataFrame
        One row per touchpoint a code links to (zeros included), then touchpoints only
        the survey scores (counts missing: no code links to them). Columns
        :data:`NEGATIVE_COLUMNS`: ``rank`` (1 = most negative segments; ties by cases
        share a rank), ``touchpoint``, ``negative_segments``, ``negative_cases``,
        ``n_cases``, ``share_cases``, ``mean_valence`` (mean valence of the negative
        codes applied), ``codes`` (the negative codes applied there); with a survey also
        :data:`SCORE_COLUMNS`: ``score_field``, ``score_n``, ``score``, ``score_low``,
        ``score_high`` (Student t interval), ``score_suppressed``.

    Examples
    --------
    >>> from cxresearch.qual import model as m
    >>> text = "R: Nobody picked up. R: Kind staff."
    >>> turns = (m.Segment("e01:t0001", "e01", 3, 20), m.Segment("e01:t0002", "e01", 24, 35))
    >>> t = m.Transcript("e01", text, "e01.txt", "9f", "txt", segments=turns)
    >>> book = m.Codebook((m.Code("call", {"en": "Call"}, touchpoint="first_call"),
    ...                    m.Code("no_answer", {"en": "No answer"}, "call", valence=-2),
    ...                    m.Code("kind", {"en": "Kind"}, "call", valence=2)))
    >>> ann = m.Coding("ann", "e01", "9f", (m.CodedSegment("e01:t0001", "no_answer"),
    ...                                     m.CodedSegment("e01:t0002", "kind")))
    >>> negative_mentions([t], [ann], book)[["touchpoint", "negative_cases", "codes"]]
       touchpoint  negative_cases      codes
    0  first_call               1  no_answer
    """
    cases, book, frame = _coded_inputs(transcripts, codings, codebook)
    where = _touchpoint_of(book)
    valence = {c.id: c.valence for c in book}
    order = {c.id: i for i, c in enumerate(book)}
    touchpoints = list(dict.fromkeys(tp for tp in where.values() if tp))
    negative = [c for c in book.ids() if where[c] and (valence[c] or 0) < 0]
    hits = frame[frame["code"].isin(negative)][["transcript", "segment", "code"]]
    hits = hits.drop_duplicates().assign(touchpoint=lambda f: f["code"].map(where),
                                         valence=lambda f: f["code"].map(valence))
    n_all = len(cases)
    segments = hits.drop_duplicates(["transcript", "segment", "touchpoint"]) \
        .groupby("touchpoint").size()
    mentioned = hits.drop_duplicates(["transcript", "touchpoint"]).groupby("touchpoint") \
        .size()
    mean_valence = hits.groupby("touchpoint")["valence"].mean()
    codes = hits.groupby("touchpoint")["code"].agg(lambda s: _joined(s, order))
    table = pd.DataFrame({"touchpoint": touchpoints})
    table["negative_segments"] = pd.array(segments.reindex(touchpoints, fill_value=0),
                                          dtype="Int64")
    table["negative_cases"] = pd.array(mentioned.reindex(touchpoints, fill_value=0),
                                       dtype="Int64")
    table["n_cases"] = n_all
    table["share_cases"] = table["negative_cases"].astype("float64") / n_all \
        if n_all else np.nan
    table["mean_valence"] = mean_valence.reindex(touchpoints).to_numpy(dtype="float64")
    table["codes"] = codes.reindex(touchpoints).fillna("").to_numpy(dtype=object)
    if survey is not None:
        table = _with_scores(table, survey, item, n_all)
    table = table.sort_values(["negative_segments", "negative_cases"], ascending=False,
                              na_position="last", kind="mergesort").reset_index(drop=True)
    ranks: list[Any] = []
    previous, rank = None, 0
    for i, pair in enumerate(zip(table["negative_segments"], table["negative_cases"])):
        if pd.isna(pair[0]):  # only the survey scores it: no rank
            ranks.append(pd.NA)
            continue
        if pair != previous:  # ties (same segments and cases) share a rank
            previous, rank = pair, i + 1
        ranks.append(rank)
    table.insert(0, "rank", pd.array(ranks, dtype="Int64"))
    table.attrs.update({"n_cases": n_all, "item": item if survey is not None else None,
                        "negative_codes": negative})
    return table


def _with_scores(table: pd.DataFrame, survey: Any, item: str, n_all: int) -> pd.DataFrame:
    from ..stats import touchpoint_scores

    if not (hasattr(survey, "survey") and isinstance(getattr(survey, "data", None),
                                                     pd.DataFrame)):
        raise QualError(f"survey must be Responses (cxresearch.data.read_responses), whose "
                        f"survey links questions to touchpoints; got "
                        f"{type(survey).__name__}")
    scores = touchpoint_scores(survey, item)
    scores = scores.rename(columns={"field": "score_field", "n": "score_n",
                                    "estimate": "score", "ci_low": "score_low",
                                    "ci_high": "score_high",
                                    "suppressed": "score_suppressed"})
    scores = scores[["touchpoint", *SCORE_COLUMNS]]
    out = table.merge(scores, on="touchpoint", how="outer", sort=False)
    only_survey = ~out["touchpoint"].isin(table["touchpoint"])
    out.loc[only_survey, "n_cases"] = n_all
    out["score_n"] = out["score_n"].astype("Int64")
    out["score_suppressed"] = out["score_suppressed"].astype("boolean")
    out["codes"] = out["codes"].fillna("")
    # keep the order: touchpoints of the codebook first, then the survey's
    rank = {tp: i for i, tp in enumerate([*table["touchpoint"], *scores["touchpoint"]])}
    out = out.sort_values("touchpoint", key=lambda s: s.map(rank), kind="mergesort")
    return out.reset_index(drop=True)
