"""cxresearch.qual.analysis: frequencies, co-occurrence, retrieval, negative mentions,
agreement between coders, quote tables and their HTML and Excel files.

The model objects are built inline (the readers are tested elsewhere). Expected numbers
are worked out by hand in the comments; agreement is also checked against Krippendorff
(2011)'s worked example and against the ``krippendorff`` package on random data.
"""

from __future__ import annotations

import html.parser
import itertools
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cxresearch import viz  # noqa: E402
from cxresearch.qual.analysis import (agreement, code_frequencies, cooccurrence,  # noqa: E402
                                      disagreements, negative_mentions, quote_table,
                                      retrieve, write_quotes_excel, write_quotes_html)
from cxresearch.qual.model import (Code, Codebook, CodedSegment, Coding,  # noqa: E402
                                   QualError, Segment, Transcript)
from cxresearch.qual.quotes import quote_id  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INSURER = ROOT / "surveys" / "insurer-claims"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


# -- building the objects ---------------------------------------------------------------
def transcript(tid: str, n: int = 3, *, words: Sequence[str] | None = None,
               speakers: Sequence[str] | None = None,
               attributes: Mapping[str, str] | None = None) -> Transcript:
    """A transcript of ``n`` turns ``"<speaker>: <words>"``, one per line; segment i is
    ``<tid>:t000i`` and spans the words only."""
    words = list(words) if words is not None else [f"Turn {i} of {tid}." for i in
                                                   range(1, n + 1)]
    speakers = list(speakers) if speakers is not None else ["R"] * len(words)
    text, segments = "", []
    for i, (who, said) in enumerate(zip(speakers, words), 1):
        start = len(text) + len(who) + 2
        text += f"{who}: {said}\n"
        segments.append(Segment(f"{tid}:t{i:04d}", tid, start, start + len(said),
                                speaker=who, line=i))
    return Transcript(tid, text, f"transcripts/{tid}.txt", f"sha-{tid}", "txt",
                      dict(attributes or {}), tuple(segments))


def coding(coder: str, tid: str, applied: Mapping[int, Sequence[str]]) -> Coding:
    return Coding(coder, tid, f"sha-{tid}",
                  tuple(CodedSegment(f"{tid}:t{i:04d}", c) for i, codes in applied.items()
                        for c in codes))


BOOK = Codebook((
    Code("call", {"en": "Phone call", "nl": "Telefoongesprek"}, touchpoint="first_call"),
    Code("waiting", {"en": "Waiting", "nl": "Wachten"}, parent="call", valence=-2),
    Code("kind_staff", {"en": "Kind staff", "nl": "Vriendelijk"}, parent="call",
         valence=2),
    Code("transfer", {"en": "Transferred", "nl": "Doorverbonden"}, parent="call",
         valence=-1),
    Code("documents", {"en": "Documents", "nl": "Documenten"}, touchpoint="documents"),
    Code("confusing", {"en": "Confusing form", "nl": "Verwarrend"}, parent="documents",
         valence=-1),
    Code("payout", {"en": "Payout", "nl": "Uitbetaling"}, touchpoint="payout"),
    Code("mood", {"en": "Mood", "nl": "Stemming"}, valence=-1),
))

# Three interviews of three turns; c03 was not coded at all.
SMALL = [transcript("c01"), transcript("c02"), transcript("c03")]
SMALL_CODINGS = [
    coding("ann", "c01", {1: ["waiting"], 2: ["waiting", "kind_staff"]}),
    coding("ann", "c02", {1: ["call"], 2: ["confusing"]}),
    coding("bob", "c01", {1: ["waiting"], 3: ["transfer"]}),
]


def column(table: pd.DataFrame, name: str, by: str = "code") -> dict[str, object]:
    return dict(zip(table[by], table[name]))


# -- code frequencies -------------------------------------------------------------------
def test_frequencies_without_roll_up() -> None:
    table = code_frequencies(SMALL, SMALL_CODINGS, BOOK, roll_up=False)
    assert list(table["code"]) == BOOK.ids()  # every code, codebook order
    # waiting: c01:t1 (ann and bob: once) and c01:t2 -> 2 segments, 1 case
    assert column(table, "segments") == {"call": 1, "waiting": 2, "kind_staff": 1,
                                         "transfer": 1, "documents": 0, "confusing": 1,
                                         "payout": 0, "mood": 0}
    assert column(table, "cases") == {"call": 1, "waiting": 1, "kind_staff": 1,
                                      "transfer": 1, "documents": 0, "confusing": 1,
                                      "payout": 0, "mood": 0}
    assert set(table["n_cases"]) == {3}  # c03 counts as a case, coded or not
    assert column(table, "share_cases")["waiting"] == pytest.approx(1 / 3)
    assert column(table, "path")["confusing"] == "documents > confusing"
    assert column(table, "depth") == {"call": 0, "waiting": 1, "kind_staff": 1,
                                      "transfer": 1, "documents": 0, "confusing": 1,
                                      "payout": 0, "mood": 0}
    assert "suppressed" not in table.columns


def test_frequencies_roll_children_up_to_parents() -> None:
    table = code_frequencies(SMALL, SMALL_CODINGS, BOOK)
    # call: c02:t1 (itself), c01:t1 and c01:t2 (waiting), c01:t3 (transfer) = 4
    # segments in 2 cases; documents: c02:t2 (confusing)
    assert column(table, "segments")["call"] == 4
    assert column(table, "cases")["call"] == 2
    assert column(table, "segments")["documents"] == 1
    assert column(table, "segments")["waiting"] == 2  # children keep their own counts
    assert table.attrs["roll_up"] is True


def test_frequencies_by_attribute_suppress_small_groups_and_cells() -> None:
    # Teams a (6 interviews), b (6) and c (2); 14 in all; minimum group size 5.
    teams = {"a": 6, "b": 6, "c": 2}
    mentions = {  # code: interviews per team mentioning it
        "waiting": {"a": 5, "b": 2, "c": 1},      # total 8
        "kind_staff": {"a": 6, "b": 6, "c": 0},   # total 12
        "transfer": {"a": 3, "b": 0, "c": 2},     # total 5
        "payout": {"a": 1, "b": 0, "c": 0},       # total 1
    }
    ts, cs = [], []
    for team, n in teams.items():
        for i in range(n):
            tid = f"{team}{i:02d}"
            ts.append(transcript(tid, 2, attributes={"team": team}))
            applied: dict[int, list[str]] = {}
            for code, per_team in mentions.items():
                if i < per_team[team]:
                    applied.setdefault(1, []).append(code)
            if team == "a" and i == 0:
                applied[2] = ["waiting"]  # a second segment: a has 6 waiting segments
            cs.append(coding("ann", tid, applied))
    table = code_frequencies(ts, cs, BOOK, by="team", roll_up=False)
    assert list(table.columns) == ["code", "path", "depth", "team", "segments", "cases",
                                   "n_cases", "share_cases", "suppressed"]
    rows = table.set_index(["code", "team"])

    def shown(code: str) -> dict[str, object]:
        return {t: (None if pd.isna(v) else int(v))
                for t, v in rows.loc[code, "cases"].items()}

    # Group sizes: c (2) is too small; a's size would then follow from 14 - 6 - 6, so
    # the first of the equal groups a and b loses its size too (complementary).
    assert rows.loc["waiting", "n_cases"].isna().to_dict() == {"a": True, "b": False,
                                                               "c": True, "Total": False}
    assert int(rows.loc[("waiting", "Total"), "n_cases"]) == 14
    # waiting: b (2) hidden, c hidden as a group; two hidden in the line, so a (5) and
    # the total (8) stay.
    assert shown("waiting") == {"a": 5, "b": None, "c": None, "Total": 8}
    assert int(rows.loc[("waiting", "a"), "segments"]) == 6
    assert pd.isna(rows.loc[("waiting", "a"), "share_cases"])  # a's size is hidden
    # kind_staff: only c hidden, so a (the smaller of the equal 6 and 6, first) goes
    # too, else c = 12 - 6 - 6.
    assert shown("kind_staff") == {"a": None, "b": 6, "c": None, "Total": 12}
    assert float(rows.loc[("kind_staff", "b"), "share_cases"]) == 1.0  # 6 / 6
    # transfer: a (3) hidden and c hidden; b's zero and the total 5 stay.
    assert shown("transfer") == {"a": None, "b": 0, "c": None, "Total": 5}
    # payout: a total of 1 is itself small: nothing shows, not even zeros.
    assert shown("payout") == {"a": None, "b": None, "c": None, "Total": None}
    assert rows.loc["payout", "segments"].isna().all()
    assert rows.loc["payout", "suppressed"].all()
    assert not rows.loc[("waiting", "a"), "suppressed"]
    # no team value shows a group smaller than 5 anywhere
    visible = table[~table["suppressed"] & (table["team"] != "Total")]
    assert set(visible["team"]) <= {"a", "b"}
    assert ((visible["cases"] == 0) | (visible["cases"] >= 5)).all()
    # the ungrouped table is not grouped by a case attribute: nothing is hidden
    plain = code_frequencies(ts, cs, BOOK, roll_up=False)
    assert column(plain, "cases")["payout"] == 1


def test_frequencies_by_attribute_missing_and_everything_shown() -> None:
    ts = [transcript(f"w{i}", 1, attributes={"wave": "1"}) for i in range(5)] + \
        [transcript(f"x{i}", 1) for i in range(5)]  # five without a wave
    cs = [coding("ann", t.id, {1: ["waiting"]}) for t in ts]
    table = code_frequencies(ts, cs, BOOK, by="wave")
    waiting = table[table["code"] == "waiting"]
    assert waiting["wave"].isna().tolist() == [False, True, False]  # no wave: missing
    assert waiting["wave"].dropna().tolist() == ["1", "Total"]
    assert waiting["cases"].tolist() == [5, 5, 10]
    assert waiting["n_cases"].tolist() == [5, 5, 10]
    assert not waiting["suppressed"].any()


@pytest.mark.parametrize("kwargs, message", [
    ({"by": "region"}, "no transcript has this case attribute"),
    ({"by": "team", "min_group_size": 0}, "min_group_size must be a whole number"),
    ({"by": ["team"]}, "by must name one case attribute"),
])
def test_frequencies_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    ts = [transcript("c01", attributes={"team": "a"})]
    with pytest.raises(QualError, match=message):
        code_frequencies(ts, [], BOOK, **kwargs)  # type: ignore[arg-type]


def test_codings_must_match_transcripts_and_codebook() -> None:
    changed = Coding("ann", "c01", "sha-old", (CodedSegment("c01:t0001", "waiting"),))
    with pytest.raises(QualError, match="coded another version of transcript 'c01'"):
        code_frequencies(SMALL, [changed], BOOK)
    with pytest.raises(QualError, match="does not have"):
        code_frequencies(SMALL, [coding("ann", "c01", {9: ["waiting"]})], BOOK)
    with pytest.raises(QualError, match="'c09', which is not among the transcripts"):
        code_frequencies(SMALL, [coding("ann", "c09", {1: ["waiting"]})], BOOK)
    with pytest.raises(QualError, match="code 'queue' .* the codebook has no such code"):
        code_frequencies(SMALL, [coding("ann", "c01", {1: ["queue"]})], BOOK)
    with pytest.raises(QualError, match="two transcripts have the id 'c01'"):
        code_frequencies([SMALL[0], SMALL[0]], [], BOOK)


# -- co-occurrence ----------------------------------------------------------------------
def test_cooccurrence_by_segment_and_by_transcript() -> None:
    # units (coder, segment): ann c01:t1 {waiting}, ann c01:t2 {waiting, kind_staff},
    # ann c02:t1 {call}, ann c02:t2 {confusing}, bob c01:t1 {waiting},
    # bob c01:t3 {transfer}
    m = cooccurrence(SMALL_CODINGS, BOOK)
    assert list(m.index) == BOOK.ids() and list(m.columns) == BOOK.ids()
    assert np.diag(m).tolist() == [1, 3, 1, 1, 0, 1, 0, 0]
    assert m.loc["waiting", "kind_staff"] == m.loc["kind_staff", "waiting"] == 1
    assert m.loc["waiting", "transfer"] == 0  # different coders: never together
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.attrs["n_units"] == 6 and m.attrs["unit"] == "segment"
    # units (coder, transcript): ann c01 {waiting, kind_staff}, ann c02 {call,
    # confusing}, bob c01 {waiting, transfer}
    t = cooccurrence(SMALL_CODINGS, BOOK, unit="transcript")
    assert t.loc["waiting", "waiting"] == 2
    assert t.loc["call", "confusing"] == 1 and t.loc["waiting", "transfer"] == 1
    assert t.loc["kind_staff", "transfer"] == 0
    # without a codebook: the codes applied, sorted
    assert list(cooccurrence(SMALL_CODINGS).index) == ["call", "confusing", "kind_staff",
                                                       "transfer", "waiting"]
    tidy = m.stack().rename("units").reset_index()
    assert list(tidy.columns) == ["code", "co_code", "units"] and len(tidy) == 64


def test_cooccurrence_matches_counting_pairs_by_hand() -> None:
    rng = np.random.default_rng(3)
    codes = [f"k{i}" for i in range(7)]
    codings = []
    for coder, t in itertools.product(["ann", "bob"], range(20)):
        tid = f"r{t:02d}"
        applied = {s: list(rng.choice(codes, size=rng.integers(1, 4)))
                   for s in range(1, 16) if rng.random() < 0.6}
        codings.append(coding(coder, tid, applied))
    expected = pd.DataFrame(0, index=codes, columns=codes)
    for c in codings:  # the slow way: every pair of every unit
        for seg in {a.segment for a in c.applied}:
            present = set(c.codes_of(seg))
            for a, b in itertools.product(present, present):
                expected.loc[a, b] += 1
    got = cooccurrence(codings)
    assert (got.to_numpy() == expected.to_numpy()).all()


def test_cooccurrence_arguments() -> None:
    with pytest.raises(QualError, match="unit must be one of 'segment', 'transcript'"):
        cooccurrence(SMALL_CODINGS, unit="turn")
    with pytest.raises(QualError, match="the codebook has no such code"):
        cooccurrence([coding("ann", "c01", {1: ["queue"]})], BOOK)
    empty = cooccurrence([], BOOK)
    assert empty.shape == (8, 8) and int(empty.to_numpy().sum()) == 0


# -- retrieval --------------------------------------------------------------------------
def test_retrieve_and_or_not() -> None:
    both = retrieve(SMALL_CODINGS, all_of=["waiting", "kind_staff"])
    assert both[["segment_id", "coder"]].values.tolist() == [["c01:t0002", "ann"]]
    assert both["codes"].tolist() == ["waiting; kind_staff"]
    either = retrieve(SMALL_CODINGS, any_of=["kind_staff", "transfer"])
    assert sorted(map(tuple, either[["segment_id", "coder"]].values.tolist())) == \
        [("c01:t0002", "ann"), ("c01:t0003", "bob")]
    only = retrieve(SMALL_CODINGS, all_of="waiting", none_of="kind_staff")
    assert sorted(map(tuple, only[["segment_id", "coder"]].values.tolist())) == \
        [("c01:t0001", "ann"), ("c01:t0001", "bob")]
    assert list(only.columns) == ["transcript", "segment_id", "coder", "codes"]
    branch = retrieve(SMALL_CODINGS, any_of=BOOK.descendants("documents"))
    assert branch["segment_id"].tolist() == ["c02:t0002"]
    assert retrieve(SMALL_CODINGS, all_of=["payout"]).empty


def test_retrieve_with_quotes() -> None:
    table = retrieve(SMALL_CODINGS, any_of=["waiting"], transcripts=SMALL)
    # ordered by transcript and position, then coder
    assert table[["segment_id", "coder"]].values.tolist() == [
        ["c01:t0001", "ann"], ["c01:t0001", "bob"], ["c01:t0002", "ann"]]
    assert table["quote"].tolist() == ["Turn 1 of c01.", "Turn 1 of c01.",
                                       "Turn 2 of c01."]
    first = SMALL[0].segments[0]
    assert (table.loc[0, "start"], table.loc[0, "end"]) == (first.start, first.end)
    assert SMALL[0].text[first.start:first.end] == "Turn 1 of c01."
    assert table.loc[0, "speaker"] == "R"


@pytest.mark.parametrize("kwargs, message", [
    ({}, "retrieve needs at least one code"),
    ({"all_of": ["waiting"], "none_of": ["waiting"]}, "both wanted .* and excluded"),
    ({"any_of": [1]}, "any_of must hold code ids"),
])
def test_retrieve_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QualError, match=message):
        retrieve(SMALL_CODINGS, **kwargs)  # type: ignore[arg-type]


# -- negative mentions ------------------------------------------------------------------
def test_negative_mentions_ranked() -> None:
    table = negative_mentions(SMALL, SMALL_CODINGS, BOOK)
    # first_call: waiting (-2) on c01:t1 and c01:t2, transfer (-1) on c01:t3: 3
    # segments, 1 case, mean valence (-2 - 2 - 1) / 3; documents: confusing (-1) on
    # c02:t2; payout: no negative code; mood (-1) has no touchpoint: left out
    assert table["touchpoint"].tolist() == ["first_call", "documents", "payout"]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["negative_segments"].tolist() == [3, 1, 0]
    assert table["negative_cases"].tolist() == [1, 1, 0]
    assert table["share_cases"].tolist() == pytest.approx([1 / 3, 1 / 3, 0])
    assert table.loc[0, "mean_valence"] == pytest.approx(-5 / 3)
    assert pd.isna(table.loc[2, "mean_valence"])
    assert table["codes"].tolist() == ["waiting; transfer", "confusing", ""]
    # a tie (1 segment, 1 case at both first_call and documents) shares rank 1
    ties = negative_mentions(SMALL, [coding("ann", "c01", {1: ["waiting"],
                                                            2: ["confusing"]})], BOOK)
    assert ties["rank"].tolist() == [1, 1, 3]
    assert ties["touchpoint"].tolist() == ["first_call", "documents", "payout"]


def test_negative_mentions_beside_survey_scores() -> None:
    from cxresearch import stats
    from cxresearch.data import read_responses

    survey = read_responses(INSURER / "data/raw/customers-wave1.csv",
                            INSURER / "instruments/customer-survey.yaml")
    table = negative_mentions(SMALL, SMALL_CODINGS, BOOK, survey=survey)
    scores = stats.touchpoint_scores(survey).set_index("touchpoint")
    first = table.set_index("touchpoint").loc["first_call"]
    assert first["score"] == pytest.approx(scores.loc["first_call", "estimate"])
    assert first["score_n"] == scores.loc["first_call", "n"]
    assert first["score_field"] == "sat_call"
    # touchpoints only the survey scores come last, with no counts (no code links there)
    assert table["touchpoint"].tolist()[:3] == ["first_call", "documents", "payout"]
    only = table.set_index("touchpoint").loc["renewal"]
    assert pd.isna(only["negative_segments"]) and pd.isna(only["rank"])
    assert set(table["touchpoint"]) == set(scores.index) | {"first_call", "documents",
                                                            "payout"}
    with pytest.raises(QualError, match="survey must be Responses"):
        negative_mentions(SMALL, SMALL_CODINGS, BOOK, survey=survey.data)


# -- agreement --------------------------------------------------------------------------
FLAT = Codebook((Code("waiting", {"en": "Waiting"}), Code("kind", {"en": "Kind"}),
                 Code("unused", {"en": "Unused"})))
# One interview of 10 segments. waiting: ann on 1-4, bob on 1-3 and 5; kind: both on 6;
# segments 7-10 nobody coded.
TEN = [transcript("e01", 10)]
TWO = {"ann": [coding("ann", "e01", {1: ["waiting"], 2: ["waiting"], 3: ["waiting"],
                                     4: ["waiting"], 6: ["kind"]})],
       "bob": [coding("bob", "e01", {1: ["waiting"], 2: ["waiting"], 3: ["waiting"],
                                     5: ["waiting"], 6: ["kind"]})]}


def test_agreement_by_hand_with_uncoded_segments_absent() -> None:
    table = agreement(TWO, TEN, FLAT, n_boot=200).set_index("code")
    assert list(table.index) == ["waiting", "kind", "(overall)"]  # unused: not applied
    w = table.loc["waiting"]
    # 10 units: both 3, ann only 1, bob only 1, neither 5.
    # p_o = 8/10; p_e = .4 * .4 + .6 * .6 = .52; kappa = (.8 - .52) / .48 = 7/12
    assert w["percent_agreement"] == pytest.approx(0.8)
    assert w["kappa"] == pytest.approx(7 / 12)
    assert w["kappa_low"] < w["kappa"] < w["kappa_high"]
    # alpha: 20 values, 8 present and 12 absent, 2 disagreeing units give 4 off-diagonal
    # coincidences: 1 - (20 - 1) * 4 / (2 * 8 * 12) = 29/48
    assert w["alpha"] == pytest.approx(29 / 48)
    assert w["alpha_low"] <= w["alpha"] <= w["alpha_high"]
    assert (w["n_segments"], w["n_uncoded"], w["n_present"], w["alpha_n"]) == (10, 4, 5, 10)
    assert w["uncoded_included"] and w["unit"] == "segment" and w["coders"] == "ann, bob"
    k = table.loc["kind"]  # both on 6, absent elsewhere: perfect
    assert (k["percent_agreement"], k["kappa"], k["alpha"]) == (1.0, 1.0, 1.0)
    o = table.loc["(overall)"]
    # 20 segment x code units: both 4, ann only 1, bob only 1, neither 14.
    # p_o = .9; p_e = .25^2 + .75^2 = .625; kappa = .275 / .375 = 11/15;
    # alpha = 1 - 39 * 4 / (2 * 10 * 30) = 0.74
    assert o["unit"] == "segment x code"
    assert o["percent_agreement"] == pytest.approx(0.9)
    assert o["kappa"] == pytest.approx(11 / 15)
    assert o["alpha"] == pytest.approx(0.74)
    assert np.isnan(o["alpha_low"]) and "no interval" in o["note"]
    assert o["n_segments"] == 10 and o["n_present"] == 6


def test_agreement_with_uncoded_segments_left_out() -> None:
    table = agreement(TWO, TEN, FLAT, include_uncoded=False, n_boot=0).set_index("code")
    w = table.loc["waiting"]
    # 6 units: both 3, ann only 1, bob only 1, neither 1 (segment 6).
    # p_o = 4/6; p_e = (4/6)^2 + (2/6)^2 = 5/9; kappa = (2/3 - 5/9) / (4/9) = 1/4
    # alpha: 12 values, 8 present, 4 absent: 1 - 11 * 4 / (2 * 8 * 4) = 0.3125
    assert w["n_segments"] == 6 and w["n_uncoded"] == 4 and not w["uncoded_included"]
    assert w["percent_agreement"] == pytest.approx(4 / 6)
    assert w["kappa"] == pytest.approx(0.25)
    assert w["alpha"] == pytest.approx(0.3125)
    assert table.attrs["include_uncoded"] is False


def test_agreement_cohen_kappa_matches_formula_on_random_codes() -> None:
    rng = np.random.default_rng(11)
    ts = [transcript(f"r{i}", 40) for i in range(3)]
    truth = {(t.id, s): rng.random() < 0.3 for t in ts for s in range(1, 41)}
    by = {}
    for coder in ("ann", "bob"):
        by[coder] = [coding(coder, t.id, {s: ["waiting"] for s in range(1, 41)
                                          if truth[(t.id, s)] != (rng.random() < 0.15)})
                     for t in ts]
    table = agreement(by, ts, FLAT, codes=["waiting"], n_boot=0)
    a = np.array([[any(x.segment == f"{t.id}:t{s:04d}" for x in c.applied)
                   for c in by[who] for t in [next(t for t in ts if t.id == c.transcript)]
                   for s in range(1, 41)] for who in ("ann", "bob")], dtype=float)
    p_o = (a[0] == a[1]).mean()
    p_e = a[0].mean() * a[1].mean() + (1 - a[0].mean()) * (1 - a[1].mean())
    assert table.loc[0, "kappa"] == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)
    assert table.loc[0, "percent_agreement"] == pytest.approx(p_o)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example:
# 4 observers x 12 units (blanks missing), as in tests/test_stats_agreement.py. Each
# unit becomes an interview of one segment; an observer who gave value v applied code
# "v<v>", one who left the unit blank did not code that interview (missing, not absent).
K2011 = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
         "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
         "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
         "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
K_BOOK = Codebook(tuple(Code(f"v{v}", {"en": str(v)}) for v in range(1, 6)))
K_UNITS = [transcript(f"u{i + 1:02d}", 1) for i in range(12)]
K_CODINGS = {who: [coding(who, f"u{i + 1:02d}", {1: [f"v{v}"]})
                   for i, v in enumerate(values) if v is not None]
             for who, values in K2011.items()}


def test_agreement_on_krippendorff_2011_with_missing_coders() -> None:
    table = agreement(K_CODINGS, K_UNITS, K_BOOK, n_boot=0).set_index("code")
    v1 = table.loc["v1"]
    # "is it a 1?": u1 [1 1 . 1], u6 [1 0 0 0], u8 [1 1 0 1], u11 [. . 1 1], u10
    # [. 0 0 0], the rest all 0; u12 has one observer and drops out. 40 values, 9
    # present, 31 absent; u6 and u8 each add 2 * 1 * 3 / 3 = 2 off-diagonal
    # coincidences: alpha = 1 - 39 * 4 / (2 * 9 * 31) = 67/93
    assert v1["alpha"] == pytest.approx(67 / 93, abs=1e-12)
    assert v1["alpha_n"] == 11
    # percent agreement on the units all 4 coded (u2-u9): all but u6 and u8 agree
    assert v1["n_segments"] == 8 and v1["percent_agreement"] == pytest.approx(6 / 8)
    assert np.isnan(v1["kappa"]) and "exactly two coders" in v1["note"]
    assert table.attrs["transcripts_all_coders"] == [f"u{i:02d}" for i in range(2, 10)]
    assert "u12" not in table.attrs["transcripts"]


def test_agreement_matches_krippendorff_package_on_random_data() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(2024)
    coders, codes = ["a", "b", "c", "d"], [f"k{i}" for i in range(6)]
    book = Codebook(tuple(Code(c, {"en": c}) for c in codes))
    ts = [transcript(f"r{i}", 25) for i in range(6)]
    rate = dict(zip(codes, [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]))
    truth = {(t.id, s, c): rng.random() < rate[c] for t in ts for s in range(1, 26)
             for c in codes}
    coverage = {(who, t.id): rng.random() < 0.75 for who in coders for t in ts}
    coverage[("a", "r0")] = coverage[("b", "r0")] = True  # every one by 2 or more
    by: dict[str, list[Coding]] = {who: [] for who in coders}
    for who, t in itertools.product(coders, ts):
        if coverage[(who, t.id)]:
            by[who].append(coding(who, t.id, {
                s: [c for c in codes if truth[(t.id, s, c)] != (rng.random() < 0.2)]
                for s in range(1, 26)}))
    table = agreement(by, ts, book, n_boot=0).set_index("code")
    for code in codes:  # the package's own reading of the same coding
        data = np.full((len(coders), 6 * 25), np.nan)
        for i, who in enumerate(coders):
            for c in by[who]:
                t = int(c.transcript[1:])
                data[i, t * 25:(t + 1) * 25] = 0
                for a in c.applied:
                    if a.code == code:
                        data[i, t * 25 + int(a.segment.split(":t")[1]) - 1] = 1
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert table.loc[code, "alpha"] == pytest.approx(expected, abs=1e-9)


def test_agreement_undefined_and_errors() -> None:
    table = agreement(TWO, TEN, FLAT, codes=["unused"], n_boot=0)
    first = table.iloc[0]
    # nobody applied it: chance agreement is perfect and kappa and alpha are 0/0
    assert first["percent_agreement"] == 1.0 and np.isnan(first["kappa"])
    assert np.isnan(first["alpha"]) and "0/0" in first["note"]
    with pytest.raises(QualError, match="at least 2 coders"):
        agreement({"ann": TWO["ann"]}, TEN, FLAT)
    with pytest.raises(QualError, match="two codings of transcript 'e01'"):
        agreement({"ann": TWO["ann"] * 2, "bob": TWO["bob"]}, TEN, FLAT)
    with pytest.raises(QualError, match=r"codings_by_coder\['ann'\] holds a coding by 'bob'"):
        agreement({"ann": TWO["bob"], "bob": TWO["bob"]}, TEN, FLAT)
    with pytest.raises(QualError, match="no transcript was coded by two or more coders"):
        agreement({"ann": TWO["ann"], "bob": [coding("bob", "e02", {})]},
                  TEN + [transcript("e02")], FLAT)
    with pytest.raises(QualError, match="'queue' is not a code of the codebook"):
        agreement(TWO, TEN, FLAT, codes=["queue"])


def test_agreement_takes_a_flat_list_and_rolls_up() -> None:
    flat = [c for items in TWO.values() for c in items]
    assert agreement(flat, TEN, FLAT, n_boot=0).equals(agreement(TWO, TEN, FLAT, n_boot=0))
    # ann: waiting on 1; bob: transfer on 1. Exact codes disagree; as "call" they agree.
    by = {"ann": [coding("ann", "c01", {1: ["waiting"]})],
          "bob": [coding("bob", "c01", {1: ["transfer"]})]}
    exact = agreement(by, SMALL, BOOK, n_boot=0).set_index("code")
    assert exact.loc["waiting", "percent_agreement"] == pytest.approx(2 / 3)
    up = agreement(by, SMALL, BOOK, codes=["call"], roll_up=True, n_boot=0)
    assert up.loc[0, "percent_agreement"] == 1.0 and up.loc[0, "n_present"] == 1


def test_disagreements_to_discuss() -> None:
    table = disagreements(TWO, TEN, FLAT)
    # waiting: segment 4 (ann only) and 5 (bob only)
    assert table["segment_id"].tolist() == ["e01:t0004", "e01:t0005"]
    assert table["disputed"].tolist() == ["waiting", "waiting"]
    assert table["codes_ann"].tolist() == ["waiting", ""]
    assert table["codes_bob"].tolist() == ["", "waiting"]
    assert table["quote"].tolist() == ["Turn 4 of e01.", "Turn 5 of e01."]
    assert list(table.columns) == ["transcript", "segment_id", "speaker", "start", "end",
                                   "disputed", "codes_ann", "codes_bob", "quote"]
    k = disagreements(K_CODINGS, K_UNITS, K_BOOK)
    # every unit where the observers present differ: u2, u6, u8 (u12: one observer)
    assert k["transcript"].tolist() == ["u02", "u06", "u08"]
    assert k["disputed"].tolist() == ["v2; v3", "v1; v2; v3; v4", "v1; v2"]
    assert k.set_index("transcript").loc["u02", "codes_C"] == "v3"
    assert k["codes_A"].notna().all()
    assert disagreements(K_CODINGS, K_UNITS, K_BOOK, codes=["v5"]).empty


# -- quotes -----------------------------------------------------------------------------
def quoted() -> tuple[list[Transcript], list[Coding]]:
    ts = [transcript("c01", words=["Ik wachtte een uur.", "Bel me op 06-12345678.",
                                   "Het formulier was onduidelijk."],
                     speakers=["Jan de Vries", "R", "R"],
                     attributes={"respondent_type": "customer", "team": "north"})]
    ts += [transcript(f"c{i:02d}", 1, attributes={"respondent_type": "customer",
                                                 "team": "south"}) for i in range(2, 7)]
    cs = [coding("ann", "c01", {1: ["waiting"], 2: ["call"], 3: ["confusing"]}),
          coding("bob", "c01", {1: ["waiting", "kind_staff"]}),
          coding("ann", "c04", {1: ["payout"]})]
    return ts, cs


def test_quote_table_ids_sources_and_scrubbing() -> None:
    ts, cs = quoted()
    table = quote_table(ts, cs, BOOK, lang="nl")
    assert table["quote_id"].tolist() == ["Q-c01-t0001", "Q-c01-t0001", "Q-c01-t0002",
                                          "Q-c01-t0003", "Q-c04-t0001"]
    assert table["code"].tolist() == ["waiting", "kind_staff", "call", "confusing",
                                      "payout"]
    assert table["code_path"].tolist()[0] == "Telefoongesprek > Wachten"
    assert table["code_name"].tolist()[3] == "Verwarrend"
    assert table["touchpoint"].tolist() == ["first_call", "first_call", "first_call",
                                            "documents", "payout"]
    assert table["coders"].tolist()[0] == "ann, bob"
    row = table.iloc[2]
    segment = ts[0].segments[1]
    assert (row["source"], row["start"], row["end"], row["line"]) == \
        ("transcripts/c01.txt", segment.start, segment.end, 2)
    assert row["quote"] == "Bel me op [PHONE]." and row["scrubbed"]
    assert table.iloc[0]["speaker"] == "[NAME]"  # the speaker's name is scrubbed too
    assert not table.iloc[3]["scrubbed"]
    # the team "north" is one interview: not shown; "south" (5) is
    assert pd.isna(table.iloc[0]["team"]) and table.iloc[4]["team"] == "south"
    assert table.iloc[0]["respondent_type"] == "customer"
    assert table.attrs["hidden_attribute_values"] == 1
    raw = quote_table(ts, cs, BOOK, scrub=False, min_group_size=1)
    assert raw.iloc[2]["quote"] == "Bel me op 06-12345678."
    assert raw.iloc[0]["speaker"] == "Jan de Vries" and raw.iloc[0]["team"] == "north"
    assert not raw["scrubbed"].any()


def test_quote_ids_are_stable() -> None:
    ts, cs = quoted()
    full = quote_table(ts, cs, BOOK)
    ids = dict(zip(full["segment_id"], full["quote_id"]))
    # other order of the inputs, a filter on codes, more interviews coded: same ids
    shuffled = quote_table(ts[::-1], cs[::-1], BOOK, codes=["documents", "payout"])
    assert shuffled["code"].tolist() == ["payout", "confusing"]  # documents' branch too
    assert all(ids[s] == q for s, q in zip(shuffled["segment_id"], shuffled["quote_id"]))
    more = quote_table(ts + [transcript("a01")], [coding("ann", "a01", {3: ["call"]})] + cs,
                       BOOK)
    assert more["quote_id"].tolist()[-1] == "Q-a01-t0003"  # transcripts in given order
    assert all(ids[s] == q for s, q in zip(more["segment_id"][:-1], more["quote_id"][:-1]))
    assert quote_id("c01", "c01:t0007") == "Q-c01-t0007"
    assert quote_id("int 3", "int 3:s0002") == "Q-int_3-s0002"
    assert quote_id("c01", "other") == "Q-c01-other"


def test_quote_table_arguments() -> None:
    ts, cs = quoted()
    with pytest.raises(QualError, match="lang must be one of"):
        quote_table(ts, cs, BOOK, lang="de")
    with pytest.raises(QualError, match="'queue' is not a code"):
        quote_table(ts, cs, BOOK, codes=["queue"])
    assert quote_table(ts, [], BOOK).empty


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs


def test_quotes_html_escapes_everything(tmp_path: Path) -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    ts = [transcript("c01", words=[evil, "Fine."], speakers=["<b>R</b>", "R"],
                     attributes={"team": '"><img src=x onerror=alert(1)>'})]
    cs = [coding("ann", "c01", {1: ["waiting"], 2: ["payout"]})]
    table = quote_table(ts, cs, BOOK, scrub=False, min_group_size=1)
    path = write_quotes_html(table, tmp_path / "quotes.html", lang="nl")
    page = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "p",
                           "table", "thead", "tbody", "tr", "th", "td"}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "&lt;b&gt;R&lt;/b&gt;" in page and "&quot;&gt;&lt;img src=x" in page
    assert not [a for a in parser.attributes if a[0] in ("src", "href", "onerror")]
    assert 'id="Q-c01-t0001"' in page and "<th>Spreker</th>" in page
    assert "NIET geschoond" in page  # scrub=False says so on the page
    assert "default-src 'none'" in page  # offline: nothing loads from elsewhere
    assert [p.name for p in tmp_path.iterdir()] == ["quotes.html"]  # no temporary left
    with pytest.raises(QualError, match="no column 'quote_id'"):
        write_quotes_html(table.drop(columns="quote_id"), tmp_path / "x.html", lang="en")


def test_quotes_excel_neutralises_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    nasty = ['=HYPERLINK("http://evil.example","click")', "+31 6 1234", "-2+3",
             "@SUM(A1:A2)", " \t=1+1", "\n=cmd|' /C calc'!A0", "\uff1d1+1",
             "plain words", "bell\x07inside"]
    ts = [transcript("c01", words=nasty, speakers=["=speaker"] * len(nasty),
                     attributes={"team": "-north", "=attr": "x"})]
    cs = [coding("ann", "c01", {i + 1: ["waiting"] for i in range(len(nasty))})]
    table = quote_table(ts, cs, BOOK, scrub=False, min_group_size=1)
    path = write_quotes_excel(table, tmp_path / "quotes.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    starts = ("=", "+", "-", "@", "\uff1d")
    assert not [t for t in texts if t.lstrip(" \t\r\n").startswith(starts)]
    header = [c.value for c in sheet[1]]
    assert "'=attr" in header and "quote" in header
    quotes = [sheet.cell(row=r, column=header.index("quote") + 1).value
              for r in range(2, sheet.max_row + 1)]
    assert quotes[:4] == ["'" + q for q in nasty[:4]]
    assert quotes[7] == "plain words" and quotes[8] == "bell\ufffdinside"
    start = sheet.cell(row=2, column=header.index("start") + 1).value
    assert isinstance(start, int)  # numbers stay numbers


def test_quote_files_are_written_atomically(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import cxresearch._atomic as atomic

    ts, cs = quoted()
    table = quote_table(ts, cs, BOOK)
    target = tmp_path / "quotes.xlsx"
    target.write_bytes(b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_quotes_excel(table, target)
    with pytest.raises(OSError, match="disk full"):
        write_quotes_html(table, tmp_path / "quotes.html", lang="en")
    assert target.read_bytes() == b"old"  # the old file is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quotes.xlsx"]


# -- the heatmap ------------------------------------------------------------------------
def test_cooccurrence_heatmap_labels_in_language(tmp_path: Path) -> None:
    m = cooccurrence(SMALL_CODINGS, BOOK)
    fig = viz.cooccurrence_heatmap(m, lang="nl", codebook=BOOK)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert rows[0] == "Wachten (3)" and cols[0] == "Telefoongesprek (1)"
    assert len(rows) == len(cols) == 7  # the lower triangle of 8 codes
    assert fig._suptitle.get_text() == "Codes die samen voorkomen"
    assert "6 gecodeerde fragmenten" in ax.get_title(loc="left")
    assert viz.save_figure(fig, tmp_path / "heat.png").stat().st_size > 0
    plain = viz.cooccurrence_heatmap(m, lang="en")
    assert plain.axes[0].get_yticklabels()[0].get_text() == "waiting (3)"
    from cxresearch.stats import StatsInputError
    with pytest.raises(StatsInputError, match="same codes, in the same order"):
        viz.cooccurrence_heatmap(m.iloc[:, ::-1], lang="en")
    with pytest.raises(StatsInputError, match="lang"):
        viz.cooccurrence_heatmap(m, lang="de")
