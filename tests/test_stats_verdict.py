"""compare() and its verdicts: the rules, the words, and the example study's true effects.

The true effects come from the simulator that made the example data
(``cxresearch.datasets.example_study("insurer-claims").truth``; also stated in
surveys/insurer-claims/README.md): first call +0.61 on sat_call, reporting unchanged
(+0.01), share of first calls settling everything 30 % -> 48 %, NPS -7.0 -> +3.9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import Responses, quality_report, read_responses
from cxresearch.stats import StatsInputError, Verdict, adjust, compare, compare_all, verdict_table
from cxresearch.stats._verdict import CONCLUSIONS, conclude

STUDY = ROOT / "surveys" / "insurer-claims"


@pytest.fixture(scope="module")
def waves() -> Responses:
    survey = cx.load_instrument(STUDY / "instruments" / "customer-survey.yaml")
    both = Responses.concat([read_responses(STUDY / "data/raw/customers-wave1.csv", survey),
                             read_responses(STUDY / "data/raw/customers-wave2.csv", survey)])
    return quality_report(both).exclude(["speeder", "straight_lining", "duplicate_id"])


@pytest.fixture(scope="module")
def truth() -> object:
    from cxresearch.datasets import example_study

    return example_study("insurer-claims").truth


@pytest.mark.parametrize(("low", "high", "sesoi", "better", "expected"), [
    (6, 14, 5, True, "clear_improvement"),
    (1, 9, 5, True, "improvement"),
    (1, 4, 5, True, "small_improvement"),
    (-2, 3, 5, True, "no_meaningful_change"),
    (-2, 9, 5, True, "inconclusive"),
    (-4, -1, 5, True, "small_decline"),
    (-9, -1, 5, True, "decline"),
    (-14, -6, 5, True, "clear_decline"),
    (1, 4, None, True, "improvement"),
    (-2, 3, None, True, "inconclusive"),
    (-0.5, -0.1, None, False, "improvement"),  # lower is better
    (5, 8, 5, True, "clear_improvement"),  # lower bound exactly at the SESOI
])
def test_conclusions(low: float, high: float, sesoi: float | None, better: bool,
                     expected: str) -> None:
    assert expected in CONCLUSIONS
    assert conclude(low, high, sesoi, better) == expected


def test_first_call_improvement_is_recovered(waves: Responses, truth: object) -> None:
    v = compare(waves, "sat_call", "wave", before="before", after="after")
    true = float(truth.wave_effects.set_index("field").loc["sat_call", "difference"])  # type: ignore[attr-defined]
    assert v.ci_low < true < v.ci_high
    assert v.conclusion == "clear_improvement"
    assert v.sesoi == 0.3  # study.yaml: smallest_effects: sat_call: 0.3 (before 'mean: 0.2')
    assert "Welch" in v.method and "difference in means" in v.rule


def test_unchanged_touchpoint_is_no_meaningful_change(waves: Responses) -> None:
    v = compare(waves, "sat_report", "wave", before="before", after="after")
    assert v.conclusion == "no_meaningful_change" and v.sesoi == 0.2
    assert "±0.20" in v.verdict("en") and "±0,20" in v.verdict("nl")


def test_nps_uses_the_item_bank_metric(waves: Responses, truth: object) -> None:
    v = compare(waves, "nps", "wave", before="before", after="after")
    assert v.metric == "nps" and v.sesoi == 5
    true = truth.nps["after"] - truth.nps["before"]  # type: ignore[attr-defined]
    assert v.ci_low < true < v.ci_high
    assert v.groups is not None and v.groups[0][0] == "before"


def test_success_turns_a_choice_into_a_proportion(waves: Responses) -> None:
    v = compare(waves, "call_settled", "wave", before="before", after="after", success="all")
    assert v.metric == "proportion" and v.sesoi == 0.05
    assert v.ci_low < 0.48 - 0.30 < v.ci_high  # README: 30 % -> 48 %
    assert "percentage points" in v.verdict("en") and "procentpunten" in v.verdict("nl")
    with pytest.raises(StatsInputError, match="success="):
        compare(waves, "call_settled", "wave", before="before", after="after")
    with pytest.raises(StatsInputError, match="no answer to 'call_settled' is that"):
        compare(waves, "call_settled", "wave", before="before", after="after",
                success="everything")


def test_verdict_words_in_both_languages(waves: Responses) -> None:
    v = compare(waves, "sat_call", "wave", before="before", after="after")
    en, nl = v.verdict("en"), v.verdict("nl")
    assert f"{v.estimate:.2f}" in en and f"{v.estimate:.2f}".replace(".", ",") in nl
    assert "This is an improvement" in en and "Dit is een verbetering" in nl
    assert "answered in both groups" in en and "antwoordden in beide groepen" in nl
    assert str(v) == en and "<b>" in v._repr_html_()
    with pytest.raises(StatsInputError, match="lang must be one of"):
        v.verdict("de")


def test_to_frame_has_the_protocol_columns(waves: Responses) -> None:
    row = compare(waves, "sat_call", "wave", before="before", after="after").to_frame()
    for column in ("estimate", "ci_low", "ci_high", "p_value", "n", "method", "definition",
                   "conclusion", "sesoi", "verdict_en", "verdict_nl", "effect_estimate"):
        assert column in row.columns
    assert len(row) == 1


def test_complete_panel_is_compared_paired() -> None:
    rng = np.random.default_rng(7)
    before = rng.integers(1, 6, 80)
    after = np.clip(before + rng.integers(0, 2, 80), 1, 5)
    ids = [f"p{i}" for i in range(80)]
    data = pd.DataFrame({"id": ids * 2, "wave": ["1"] * 80 + ["2"] * 80,
                         "sat": np.concatenate([before, after])})
    v = compare(data, "sat", "wave", id="id", sesoi=0.2)
    assert "paired" in v.rule and "paired" in v.method.lower()
    # same numbers as a paired t-test in scipy (R: t.test(after, before, paired = TRUE))
    from scipy import stats as st

    t = st.ttest_rel(after, before)
    assert v.p_value == pytest.approx(t.pvalue, rel=1e-9)
    independent = compare(data, "sat", "wave", paired=False, sesoi=0.2)
    assert "Welch" in independent.method


def test_compare_all_adjusts_for_the_family(waves: Responses) -> None:
    outcomes = ["sat_call", "sat_payout", "sat_report", "sat_decision"]
    verdicts = compare_all(waves, outcomes, "wave", before="before", after="after")
    raw = [v.p_value for v in verdicts]
    assert [v.p_adjusted for v in verdicts] == pytest.approx(list(adjust(raw, method="holm")))
    assert all("one of 4 comparisons" in v.verdict("en") for v in verdicts)
    table = verdict_table(verdicts)
    assert list(table["label"].str.contains("sat_call")) == [True, False, False, False]


def test_did_and_its_are_picked_by_their_arguments() -> None:
    did_data = pd.read_csv(ROOT / "tests/data/stats/did_teams.csv")
    v = compare(did_data, "score", "wave", after="after", treated=("group", "new"),
                cluster="team")
    assert v.metric == "did" and v.groups is None
    assert "parallel trends" in v.verdict("en")
    series = pd.read_csv(ROOT / "tests/data/stats/its_monthly.csv")
    w = compare(series, "csat", time="month", intervention="2023-07-01")
    assert w.metric == "its" and "per maand" in w.verdict("nl")
    # 48 months: shorter than 120 periods, so AR(1) errors, and the verdict says so
    assert w.result.extra["errors"] == "ar1"
    assert "de fouten zijn gemodelleerd als AR(1), met een autocorrelatie van 0," in \
        w.verdict("nl")
    assert "a short series (48 periods): the errors are modelled as AR(1)" in w.verdict("en")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"outcome": "nope", "group": "wave"}, "outcome='nope' is not a column"),
    ({"outcome": "sat", "group": "team"}, "exactly two values"),
    ({"outcome": "sat", "group": "wave", "before": "1", "after": "9"}, "after='9' is not a value"),
    ({"outcome": "text", "group": "wave"}, "must hold numbers"),
    ({"outcome": "sat", "group": "wave", "sesoi": -1}, "sesoi must be a number of 0 or more"),
    ({"outcome": "sat", "group": "wave", "metric": "median"}, "metric must be one of"),
    ({"outcome": "sat", "group": None}, "group is required"),
    ({"outcome": "sat", "group": "wave", "paired": True}, "paired=True needs"),
    ({"outcome": "sat", "group": "wave", "level": 95}, "level must be a number between 0 and 1"),
])
def test_bad_input_says_what_and_where(kwargs: dict[str, object], message: str) -> None:
    data = pd.DataFrame({"wave": ["1", "2"] * 10, "team": list("abc") * 6 + ["a", "b"],
                         "sat": [1, 2, 3, 4, 5] * 4, "text": ["x"] * 20})
    with pytest.raises(StatsInputError, match=message):
        compare(data, **kwargs)  # type: ignore[arg-type]


def test_too_few_answers_in_a_group() -> None:
    data = pd.DataFrame({"wave": ["1"] * 10 + ["2"], "sat": [3.0] * 10 + [4.0]})
    with pytest.raises(StatsInputError, match="group '2' of 'wave' has 1 answer"):
        compare(data, "sat", "wave")


def test_small_groups_get_a_caveat() -> None:
    data = pd.DataFrame({"wave": ["a"] * 12 + ["b"] * 12, "sat": [3, 4, 2, 5] * 3 + [4, 5, 3, 5] * 3})
    v = compare(data, "sat", "wave")
    assert "small groups (n = 12 and 12)" in v.verdict("en")
    assert "kleine groepen" in v.verdict("nl")
    assert isinstance(v, Verdict) and v.sesoi is None
    assert "does not say whether it matters" in v.verdict("en") or v.conclusion == "inconclusive"


def test_forest_plot_draws_every_verdict(waves: Responses, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cxresearch.viz import forest_plot

    verdicts = compare_all(waves, ["sat_call", "sat_payout", "sat_report"], "wave",
                           before="before", after="after")
    ax = forest_plot(verdicts, lang="nl")
    labels = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    shown = [labels[y] for y in sorted(labels, reverse=True)]
    assert shown[0].startswith("Hoe tevreden bent u over het telefoongesprek")  # sat_call
    assert [s.rstrip(" …") for s in shown] == [v.label_in("nl")[:len(s.rstrip(" …"))]
                                                for s, v in zip(shown, verdicts)]
    assert "punten op de schaal" in ax.get_xlabel()
    ax.figure.savefig(tmp_path / "forest.png")
    plt.close(ax.figure)
    mixed = verdicts + [compare(waves, "nps", "wave", before="before", after="after")]
    ax = forest_plot(mixed)  # different units: relative to each smallest effect
    assert "smallest change that matters" in ax.get_xlabel()
    plt.close(ax.figure)
    with pytest.raises(StatsInputError, match="have none"):
        forest_plot(mixed + [compare(waves, "sat_call", "wave", before="before",
                                     after="after", sesoi=0)])
