"""The simulator with known truth: determinism, types, skip logic, rates, effects, files."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from cxresearch.datasets import (
    CUSTOMER_META, EMPLOYEE_META, EXAMPLE_STUDIES, PII_EMAILS, PII_PHONES, DatasetError,
    QualityRates, SimulatedStudy, example_path, example_study, simulate_study,
    write_example_data,
)
from cxresearch.datasets._files import STUDY_FILES
from cxresearch.datasets._presets import PRESETS
from cxresearch.instrument.logic import evaluate, parse
from cxresearch.instrument.model import Instrument

SMALL: dict[str, Any] = {"n_customers": 120, "n_employees": 40, "truth_n": 0}
TODAY = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def insurer() -> SimulatedStudy:
    return simulate_study("insurer-claims", seed=7, **SMALL)


@pytest.fixture(scope="module", params=EXAMPLE_STUDIES)
def small(request: pytest.FixtureRequest) -> SimulatedStudy:
    return example_study(request.param, seed=11, **SMALL)


@pytest.fixture(scope="module")
def large_insurer() -> SimulatedStudy:
    """About 20,000 customer rows: rates and effects can be checked closely."""
    return simulate_study("insurer-claims", seed=3, n_customers=10_000, n_employees=600,
                          truth_n=0)


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


# -- determinism --------------------------------------------------------------------------

def test_same_seed_gives_identical_data() -> None:
    a = simulate_study("insurer-claims", seed=5, **SMALL)
    b = simulate_study("insurer-claims", seed=5, **SMALL)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert a.employees is not None and b.employees is not None
    pd.testing.assert_frame_equal(a.employees, b.employees)
    assert a.contacts is not None and b.contacts is not None
    pd.testing.assert_frame_equal(a.contacts, b.contacts)
    assert a.panel.equals(b.panel)
    pd.testing.assert_frame_equal(a.truth.flags, b.truth.flags)


def test_another_seed_gives_other_data() -> None:
    a = simulate_study("insurer-claims", seed=5, **SMALL)
    b = simulate_study("insurer-claims", seed=6, **SMALL)
    assert not a.customers["respondent_id"].equals(b.customers["respondent_id"])


def test_the_customer_sample_does_not_depend_on_the_employee_count() -> None:
    a = simulate_study("insurer-claims", seed=5, n_customers=60, n_employees=10, truth_n=0)
    b = simulate_study("insurer-claims", seed=5, n_customers=60, n_employees=30, truth_n=0)
    pd.testing.assert_frame_equal(a.customers, b.customers)


# -- shapes and dtypes ----------------------------------------------------------------------

def _check_types(frame: pd.DataFrame, survey: Instrument) -> None:
    for q in survey.questions():
        for fid in q.field_ids():
            col = frame[fid]
            if fid == f"{q.id}_other" or q.type in ("text", "multiple_choice", "ranking"):
                assert isinstance(col.dtype, pd.StringDtype), fid
            elif q.type == "single_choice":
                assert isinstance(col.dtype, pd.CategoricalDtype) and not col.cat.ordered, fid
                values = survey.choice_list(q).values() + (["other"] if q.other else [])
                assert list(col.cat.categories) == values, fid
            elif q.type in ("likert", "likert_matrix", "rating"):
                assert isinstance(col.dtype, pd.CategoricalDtype) and col.cat.ordered, fid
                expected = list(range(11)) if q.type == "rating" else q.scale.values()  # type: ignore[union-attr]
                assert list(col.cat.categories) == expected, fid
            elif q.type == "number":
                assert str(col.dtype) == ("Float64" if q.decimals else "Int64"), fid
            elif q.type == "date":
                assert pd.api.types.is_datetime64_any_dtype(col.dtype), fid


def test_columns_and_dtypes_follow_the_instruments(small: SimulatedStudy) -> None:
    customers = small.customers
    assert list(customers.columns) == [*CUSTOMER_META, *small.customer_survey.field_ids()]
    _check_types(customers, small.customer_survey)
    assert set(customers["wave"].unique()) == {"before", "after"}
    assert str(customers["duration_s"].dtype) == "Float64"
    assert pd.api.types.is_datetime64_any_dtype(customers["start"].dtype)
    assert (customers["end"] >= customers["start"]).all()
    assert small.employees is not None and small.employee_survey is not None
    staff = small.employees
    fields = small.employee_survey.field_ids()
    assert list(staff.columns)[:len(EMPLOYEE_META)] == list(EMPLOYEE_META)
    assert [c for c in staff.columns if c in fields] == fields
    assert "team" in staff.columns
    _check_types(staff, small.employee_survey)


def test_panel_answers_both_waves(small: SimulatedStudy) -> None:
    data = small.customers
    before = set(data.loc[data["wave"] == "before", "respondent_id"])
    after = set(data.loc[data["wave"] == "after", "respondent_id"])
    assert set(small.panel) == before & after
    assert len(small.panel) == round(small.spec.panel_share * small.spec.n_customers)


# -- skip logic, required, constraints -----------------------------------------------------

def _relevant(expr: str | None, row: dict[str, object]) -> bool:
    return True if not expr else bool(evaluate(parse(expr), row, today=TODAY))


def test_skip_logic_and_required_are_respected(small: SimulatedStudy) -> None:
    for frame, survey in ((small.customers, small.customer_survey),
                          (small.employees, small.employee_survey)):
        assert frame is not None and survey is not None
        asked_required = 0
        for row in _records(frame):
            for block in survey.blocks:
                block_on = _relevant(block.relevant, row)
                for q in block.questions:
                    if q.type == "note":
                        continue
                    asked = block_on and _relevant(q.relevant, row)
                    answers = [row[f] for f in q.field_ids() if f != f"{q.id}_other"]
                    if not asked:
                        assert all(a is None for a in answers), (q.id, row["respondent_id"])
                    elif q.required:
                        asked_required += 1
                        assert all(a is not None for a in answers), (q.id, row["respondent_id"])
        assert asked_required > 0


def test_constraints_and_bounds_hold(small: SimulatedStudy) -> None:
    for frame, survey in ((small.customers, small.customer_survey),
                          (small.employees, small.employee_survey)):
        assert frame is not None and survey is not None
        rows = _records(frame)
        for q in survey.questions():
            values = frame[q.id] if q.id in frame else None
            if q.constraint:
                tree = parse(q.constraint)
                for row in rows:
                    if row[q.id] is not None:
                        assert evaluate(tree, row, current=row[q.id], today=TODAY), q.id
            if q.type == "number" and values is not None:
                x = values.astype("float64").dropna()
                assert x.between(q.min_value or 0, q.max_value or np.inf).all(), q.id
            if q.type == "date" and values is not None:
                x = values.dropna()
                if q.min_date:
                    assert (x >= pd.Timestamp(q.min_date)).all(), q.id
                assert (x.dt.normalize() <= frame.loc[x.index, "start"].dt.normalize()).all()
            if q.type == "multiple_choice" and values is not None:
                counts = values.dropna().str.split().str.len()
                if q.max_selected:
                    assert (counts <= q.max_selected).all(), q.id


# -- data quality ----------------------------------------------------------------------------

def test_quality_rates_are_near_the_set_values(large_insurer: SimulatedStudy) -> None:
    q = large_insurer.spec.quality
    flags = large_insurer.truth.flags
    originals = flags[~flags["duplicate"]]
    assert abs(originals["speeder"].mean() - q.speeders) < 0.006
    assert abs(originals["straightliner"].mean() - q.straightliners) < 0.005
    assert abs(flags["duplicate"].mean() - q.duplicates) < 0.003
    realised = large_insurer.truth.realised
    assert abs(realised["optional_dropped"] / realised["optional_answers"] - q.missing) < 0.004
    durations = large_insurer.customers["duration_s"].astype(float)
    speeder = flags["speeder"].to_numpy()
    assert durations[speeder].median() < 0.4 * durations[~speeder].median()


def test_speeders_answer_more_at_random(large_insurer: SimulatedStudy) -> None:
    data, flags = large_insurer.customers, large_insurer.truth.flags
    sat = data["sat_report"].astype(float)
    effort = data["effort_report"].astype(float)
    both = sat.notna() & effort.notna()
    fast = flags["speeder"].to_numpy() & both.to_numpy()
    calm = ~flags["speeder"].to_numpy() & both.to_numpy()
    # satisfaction and effort of the same moment go together, except for speeders
    assert np.corrcoef(sat[calm], effort[calm])[0, 1] < -0.3
    assert abs(np.corrcoef(sat[fast], effort[fast])[0, 1]) < \
        abs(np.corrcoef(sat[calm], effort[calm])[0, 1]) / 2


def test_straightliners_give_one_answer_per_matrix(insurer: SimulatedStudy) -> None:
    flags = insurer.truth.flags
    rows = [f"exp_{k}" for k in ("one_contact", "told_once", "next_step", "promises",
                                  "as_person")]
    chosen = flags["straightliner"] & ~flags["speeder"]
    matrix = insurer.customers.loc[chosen.to_numpy(), rows].astype(float)
    assert len(matrix) > 0
    assert (matrix.nunique(axis=1) == 1).all()


def test_duplicates_repeat_a_submission_later(insurer: SimulatedStudy) -> None:
    data = insurer.customers
    dup = insurer.truth.flags["duplicate"].to_numpy()
    fields = insurer.customer_survey.field_ids()
    for _, copy in data[dup].iterrows():
        first = data[(data["respondent_id"] == copy["respondent_id"])
                     & (data["wave"] == copy["wave"]) & ~dup].iloc[0]
        assert copy["start"] > first["start"]
        assert [_plain(v) for v in copy[fields]] == [_plain(v) for v in first[fields]]


def test_personal_data_in_open_answers_is_fake(insurer: SimulatedStudy) -> None:
    data = insurer.customers
    texts = [data[q.id] for q in insurer.customer_survey.questions() if q.type == "text"]
    joined = pd.concat(texts).dropna().astype(str)
    emails = set(re.findall(r"[\w.]+@[\w.]+\w", " ".join(joined)))
    assert emails and emails <= set(PII_EMAILS)
    assert all(e.endswith(("@example.nl", "@example.com", "@example.org")) for e in emails)
    has_phone = joined.map(lambda t: any(p in t for p in PII_PHONES))
    assert has_phone.any()
    marked = insurer.truth.flags["has_pii"].to_numpy()
    flagged_text = pd.concat([t[marked] for t in texts]).dropna().astype(str)
    assert flagged_text.map(lambda t: "@example." in t or any(p in t for p in PII_PHONES)).any()


def test_quality_problems_can_be_switched_off() -> None:
    clean = simulate_study("insurer-claims", seed=2, n_customers=150, n_employees=5,
                           truth_n=0, quality=QualityRates(0, 0, 0, 0, 0, 0))
    flags = clean.truth.flags
    assert not flags[["speeder", "straightliner", "duplicate", "has_pii"]].any().any()
    assert clean.truth.realised["optional_dropped"] == 0
    assert len(clean.customers) == 300


# -- known effects ---------------------------------------------------------------------------

def _wave_diff(data: pd.DataFrame, field: str) -> float:
    means = data.groupby("wave", observed=True)[field].agg(lambda s: s.astype(float).mean())
    return float(means["after"] - means["before"])


def test_wave_effect_is_recovered(large_insurer: SimulatedStudy) -> None:
    data = large_insurer.customers
    affected = _wave_diff(data, "sat_call")  # first_call: +0.6 on the latent scale
    unaffected = _wave_diff(data, "sat_report")
    assert 0.45 < affected < 0.75
    assert abs(unaffected) < 0.06
    assert _wave_diff(data, "effort_call") < -0.45  # effort is reversed


def test_effects_argument_moves_the_named_touchpoint() -> None:
    sim = simulate_study("insurer-claims", seed=4, n_customers=3000, n_employees=5,
                         truth_n=0, effects={"report_claim": 1.0})
    assert _wave_diff(sim.customers, "sat_report") > 0.5
    assert abs(_wave_diff(sim.customers, "sat_call")) < 0.12
    assert sim.truth.effects == {"report_claim": 1.0}


def test_truth_states_the_effects_and_their_expectations() -> None:
    sim = example_study("insurer-claims", n_customers=50, n_employees=10, truth_n=4000)
    truth = sim.truth
    assert truth.effects == {"first_call": 0.6, "payout": 0.4}
    assert truth.peak_end == {"peak": 0.4, "end": 0.4, "mean": 0.2}
    fx = truth.wave_effects.set_index("field")
    assert 0.45 < fx.loc["sat_call", "difference"] < 0.75
    assert abs(fx.loc["sat_report", "difference"]) < 0.06
    assert truth.nps["after"] > truth.nps["before"]
    assert truth.observed_slope > 0
    assert set(truth.to_frame().columns) == {"quantity", "value"}
    assert "<table>" in truth._repr_html_()


def _team_relation(sim: SimulatedStudy) -> float:
    """Customer minus employee ordering of desk_north vs desk_south at the first call."""
    assert sim.employees is not None
    staff = sim.employees
    items = [f"enable_call_{k}" for k in ("information", "tools", "authority", "training")]
    enable = staff[items].apply(lambda s: s.astype(float)).mean(axis=1).groupby(
        staff["team"].astype(str)).mean()
    sat = sim.customers["sat_call"].astype(float).groupby(
        sim.customers["team"].astype(str)).mean()
    return float(np.sign(enable["desk_north"] - enable["desk_south"])
                 * (sat["desk_north"] - sat["desk_south"]))


def test_enablement_relation_has_the_set_sign() -> None:
    positive = simulate_study("insurer-claims", seed=8, n_customers=2500, n_employees=300,
                              truth_n=0)
    assert _team_relation(positive) > 0.1
    spec = PRESETS["insurer-claims"]
    import dataclasses

    negative = simulate_study("insurer-claims", seed=8, n_customers=2500, n_employees=300,
                              truth_n=0, spec=dataclasses.replace(spec, enablement_slope=-0.5))
    assert _team_relation(negative) < -0.1


def test_webshop_card_raises_nps_among_failed_installations() -> None:
    sim = example_study("webshop-delivery", n_customers=50, n_employees=10, truth_n=3000)
    extras = sim.truth.extras
    assert extras["card_effect_nps_failed"] > 15
    assert extras["nps_failed"] < extras["nps_not_failed"]
    tps = sim.truth.touchpoints.set_index("touchpoint")
    assert tps["enablement_mean"].idxmin() == "installation"
    assert tps["customer_mean"].idxmin() == "installation"


def test_recruitment_satisfaction_falls_with_days_to_shortlist() -> None:
    sim = example_study("recruitment-agency", n_customers=50, n_employees=10, truth_n=3000)
    extras = sim.truth.extras
    assert extras["cost_per_day_open_eur"] == 350.0
    assert extras["slope_overall_sat_per_day"] < 0
    assert extras["mean_days_to_shortlist[after]"] < extras["mean_days_to_shortlist[before]"]


# -- contact log -----------------------------------------------------------------------------

def test_contact_log_peaks_on_monday_mornings_and_is_quiet_at_weekends(
        large_insurer: SimulatedStudy) -> None:
    log = large_insurer.contacts
    assert log is not None
    assert list(log.columns)[:3] == ["contact_id", "timestamp", "channel"]
    day = log["timestamp"].dt.day_of_week.value_counts()
    assert day[0] > day[2] > day[6]
    assert day[0] > 2 * day[5]
    hours = log["timestamp"].dt.hour.value_counts()
    assert 9 <= hours.idxmax() <= 14
    assert hours.get(3, 0) < hours.max() / 10
    assert log["timestamp"].is_monotonic_increasing
    phone = log[log["channel"] == "phone"]
    assert (phone["timestamp"].dt.day_of_week < 5).all()


def test_first_contact_resolution_follows_enablement() -> None:
    sim = simulate_study("insurer-claims", seed=9, n_customers=20, n_employees=5, truth_n=0,
                         spec=_longer_log())
    log = sim.contacts
    assert log is not None
    fcr = log[~log["repeat_contact"]].groupby("team", observed=True)[
        "resolved_first_contact"].mean()
    assert fcr["desk_north"] > fcr["desk_south"] + 0.08
    assert log["repeat_contact"].any()
    assert log["resolved_first_contact"].dtype == bool


def _longer_log():  # type: ignore[no-untyped-def]
    import dataclasses

    spec = PRESETS["insurer-claims"]
    assert spec.contacts is not None
    return dataclasses.replace(spec, contacts=dataclasses.replace(spec.contacts, weeks=16))


# -- errors ------------------------------------------------------------------------------------

def test_unknown_touchpoint_in_effects_names_the_known_ones() -> None:
    with pytest.raises(DatasetError, match=r"unknown touchpoint\(s\) first_cal;.*first_call"):
        simulate_study("insurer-claims", seed=1, effects={"first_cal": 0.5}, **SMALL)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_customers": 0}, r"`n_customers` must be a whole number of at least 1; got 0"),
    ({"panel_share": 1.5}, r"`panel_share` must be a share between 0 and 1; got 1.5"),
    ({"truth_n": 50}, r"`truth_n` must be 0 \(no expectations\) or at least 100; got 50"),
])
def test_bad_arguments_say_what_is_allowed(kwargs: dict[str, object], message: str) -> None:
    options = {**SMALL, **kwargs}
    with pytest.raises(DatasetError, match=message):
        simulate_study("insurer-claims", seed=1, **options)  # type: ignore[arg-type]


def test_unknown_example_names_the_examples() -> None:
    with pytest.raises(DatasetError, match=r"must be one of 'insurer-claims'"):
        example_path("insurance")
    with pytest.raises(DatasetError, match=r"must be one of"):
        example_study("insurance")


def test_simulate_from_objects() -> None:
    from cxresearch import load_instrument

    survey = load_instrument(example_path("insurer-claims", "instruments",
                                          "customer-survey.yaml"))
    sim = simulate_study({"customer": survey, "name": "mini"}, seed=1, n_customers=30,
                         truth_n=0)
    assert sim.employees is None and sim.contacts is None
    assert len(sim.customers) >= 60
    assert sim.responses().survey is survey


# -- shipped files -----------------------------------------------------------------------------

@pytest.mark.parametrize("study", EXAMPLE_STUDIES)
def test_shipped_files_regenerate_byte_identically(study: str, tmp_path: Path) -> None:
    shipped = ROOT / "surveys" / study / "data" / "raw"
    written = write_example_data(study, tmp_path)
    assert [p.name for p in written] == [f.name for f in STUDY_FILES[study]] + ["README.md"]
    for path in written:
        original = shipped / path.name
        assert original.exists(), f"{original} is missing: run write_example_data('{study}')"
        assert original.stat().st_size < 1_000_000, original
        assert _content(path) == _content(original), (
            f"{original} differs from what write_example_data('{study}') writes now; "
            "regenerate it if the change to the simulator was meant")


def _content(path: Path) -> object:
    """The file's bytes; for a workbook, each member's XML in canonical form. openpyxl
    serialises the same cells differently with and without lxml installed (attribute
    order, self-closing tags), so a workbook is compared by what it holds."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {name: ET.canonicalize(z.read(name).decode("utf-8"), strip_text=True)
                if name.endswith((".xml", ".rels")) else z.read(name)
                for name in sorted(z.namelist())}


def test_dutch_export_is_what_dutch_excel_writes() -> None:
    path = example_path("insurer-claims", "data", "raw", "customers-wave1.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.columns[0] == "Respondent ID"
    assert frame["start"].str.fullmatch(r"\d{2}-\d{2}-2026 \d{2}:\d{2}").all()
    assert frame["duration_s"].str.contains(",").any()
    assert {"Ja", "Nee"} >= set(frame["had_call"])
    assert "Tevreden" in set(frame["sat_report"])
    assert frame["burglary_date"].str.fullmatch(r"\d{2}-\d{2}-20\d{2}").all()
