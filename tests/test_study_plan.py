"""The study plan as code: study.yaml read and checked, locked, and every later change
listed as a deviation in Dutch and English."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT

from cxresearch import __version__, stats
from cxresearch.data._study import read_study_settings
from cxresearch.errors import Code
from cxresearch.study import new_study
from cxresearch.study import plan as study_plan
from cxresearch.study.plan import (
    DEVIATION_KINDS, LOCK_FILE, Deviation, PlanError, load_plan, lock_plan, plan_status,
)

NOTEBOOKS = {
    "insurer-claims": ["02_prepare_responses.ipynb", "03_journey_map.ipynb",
                       "04_did_it_make_a_difference.ipynb", "05_interviews.ipynb",
                       "06_report.ipynb"],
    "webshop-delivery": ["02_prepare_responses.ipynb", "03_peak_end.ipynb",
                         "04_did_it_make_a_difference.ipynb", "06_report.ipynb"],
    "recruitment-agency": ["02_prepare_responses.ipynb",
                           "04_did_it_make_a_difference.ipynb", "06_report.ipynb"],
}
RAW_WAVES = {  # where the data's `wave` column is, per example study
    "insurer-claims": ["customers-wave1.csv", "customers-wave2.csv"],
    "webshop-delivery": ["customers.xlsx"],
    "recruitment-agency": ["employers.csv"],
}

# A plan for a study made by `cxresearch new` (its starter journey and instruments):
# effort_call is asked at touchpoint service_call, nps at the end.
BASE = """\
id: demo
title: {nl: Demo, en: Demo}
goal: {nl: Nagaan of het helpt., en: Find out whether it helps.}
purpose: {nl: Alleen om de dienst te verbeteren., en: Only to improve the service.}
design:
  waves: [before, after]
hypotheses:
  - id: h1
    text: {nl: Minder moeite, en: Less effort}
    touchpoint: service_call
    metric: touchpoint_effort
    outcome: effort_call
    predictor: wave
    direction: decrease
    test: mean
    sesoi: 0.3
  - id: h2
    text: {nl: Hogere NPS, en: Higher NPS}
    metric: nps
    outcome: nps
    predictor: wave
    direction: increase
    test: nps
    sesoi: 5
sample_size:
  - hypothesis: h1
    metric: mean
    sd: 1.1
    n_planned: 300
exclusions: [speeder]
seed: 7
notebooks: [02_prepare_responses.ipynb]
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth occurrence of needle in text."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """A notebooks folder holding every notebook the example plans name."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    for name in {n for names in NOTEBOOKS.values() for n in names}:
        (folder / name).write_text("{}", encoding="utf-8")
    return folder


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A study from `cxresearch new` with the BASE plan."""
    folder = new_study(tmp_path / "demo")
    (folder / "study.yaml").write_text(BASE, encoding="utf-8")
    return folder


def write(study: Path, text: str) -> str:
    (study / "study.yaml").write_text(text, encoding="utf-8")
    return text


def edit(study: Path, old: str, new: str) -> str:
    text = (study / "study.yaml").read_text(encoding="utf-8")
    assert old in text, old
    return write(study, text.replace(old, new, 1))


def problems_of(study: Path, notebooks: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(PlanError) as exc:
        load_plan(study, notebooks_dir=notebooks)
    assert all(p.file == str(study / "study.yaml") for p in exc.value.problems)
    return [(p.code.value, p.line, str(p)) for p in exc.value.problems]


# -- the example plans ------------------------------------------------------------------
@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_example_plans_load(name: str, notebooks: Path) -> None:
    plan = load_plan(ROOT / "surveys" / name, notebooks_dir=notebooks)
    assert plan.id == name and plan.source == ROOT / "surveys" / name / "study.yaml"
    assert plan.notebooks == tuple(NOTEBOOKS[name])
    assert plan.exclusions == ("speeder", "straight_lining", "duplicate_id")
    assert plan.design.waves == ["before", "after"] and plan.design.panel
    assert plan.languages == ("nl", "en") and plan.min_group_size == 5
    assert isinstance(plan.seed, int) and plan.hypotheses and plan.sample_size
    for h in plan.hypotheses:
        assert set(h.text) == {"nl", "en"} and h.direction in study_plan.DIRECTIONS
    assert plan.purpose["nl"] and plan.purpose["en"]
    json.dumps(plan.to_dict())  # the canonical copy is plain JSON


@pytest.mark.parametrize("name", list(RAW_WAVES))
def test_example_waves_are_the_waves_in_the_data(name: str, notebooks: Path) -> None:
    plan = load_plan(ROOT / "surveys" / name, notebooks_dir=notebooks)
    seen: list[str] = []
    for file in RAW_WAVES[name]:
        path = ROOT / "surveys" / name / "data" / "raw" / file
        frame = pd.read_excel(path) if file.endswith(".xlsx") else \
            pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
        seen += [w for w in frame[plan.design.wave_column].drop_duplicates() if w not in seen]
    assert sorted(seen) == sorted(plan.design.waves)
    # the insurer's waves are one per file, in the order fielded
    if name == "insurer-claims":
        assert seen == plan.design.waves


def test_insurer_hypotheses_take_their_sesoi_from_smallest_effects(notebooks: Path) -> None:
    plan = load_plan(ROOT / "surveys" / "insurer-claims", notebooks_dir=notebooks)
    effects = read_study_settings(plan.source).smallest_effects  # what compare() uses
    got = {h.id: (h.outcome, h.test, h.sesoi, h.sesoi_from, h.contrast) for h in plan.hypotheses}
    assert got == {
        "h1_first_call_sat": ("sat_call", "mean", 0.3, "smallest_effects: sat_call",
                              ("before", "after")),
        "h2_nps": ("nps", "nps", 5.0, "smallest_effects: nps", ("before", "after")),
        "h3_call_settled": ("call_settled", "proportion", 0.05,
                            "smallest_effects: proportion", ("before", "after")),
        "h4_report_unchanged": ("sat_report", "mean", 0.2, "smallest_effects: mean",
                                ("before", "after")),
    }
    for h in plan.hypotheses:
        assert h.sesoi == effects.get(h.outcome, effects.get(h.test))
    assert plan.hypothesis("h3_call_settled").success == ("all",)
    assert plan.hypothesis("h1_first_call_sat").touchpoint == "first_call"
    with pytest.raises(KeyError, match="known: h1_first_call_sat"):
        plan.hypothesis("h9")


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_sample_sizes_are_computed_by_stats_sample_size(name: str, notebooks: Path) -> None:
    plan = load_plan(ROOT / "surveys" / name, notebooks_dir=notebooks)
    for r in plan.sample_size:
        h = plan.hypothesis(r.hypothesis)
        assert r.sesoi == h.sesoi
        kwargs: dict[str, Any] = {
            "sd": r.sd, "p": r.p, "shares": r.shares, "power": r.power, "alpha": r.alpha,
            "design": r.design, "ratio": r.ratio, "correlation": r.correlation}
        expected = stats.sample_size(r.metric, r.sesoi, **kwargs)
        assert r.n_needed == expected.estimate and r.method == expected.method
        assert r.enough == (r.n_planned >= r.n_needed)
        assert r.mde_planned == pytest.approx(
            stats.mde(r.metric, r.n_planned, **kwargs).estimate, abs=1e-4)
        assert set(r.note) == {"nl", "en"}


def test_insurer_sample_sizes_say_nps_needs_far_more(notebooks: Path) -> None:
    plan = load_plan(ROOT / "surveys" / "insurer-claims", notebooks_dir=notebooks)
    sizes = {r.hypothesis: (r.n_needed, r.n_planned, r.enough) for r in plan.sample_size}
    # R: power.t.test(delta = 0.3, sd = 1.1, power = 0.8) gives n = 212.0 per group
    assert sizes["h1_first_call_sat"] == (213, 580, True)
    assert sizes["h2_nps"][1:] == (700, False) and sizes["h2_nps"][0] > 4000
    assert sizes["h3_call_settled"][2] is False
    assert sizes["h4_report_unchanged"][2] is True


def test_shipped_plans_name_the_notebooks_folder_when_a_notebook_is_missing(
        tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PlanError) as exc:
        load_plan(ROOT / "surveys" / "recruitment-agency", notebooks_dir=empty)
    found = [p for p in exc.value.problems if p.code == Code.UNREADABLE_FILE]
    assert [p.given for p in found] == NOTEBOOKS["recruitment-agency"]
    assert all(str(empty) in p.message and p.line for p in found)


# -- the starter plan -------------------------------------------------------------------
@pytest.mark.parametrize("language", ["nl", "en"])
def test_scaffold_writes_a_plan_that_loads(tmp_path: Path, language: str) -> None:
    folder = new_study(tmp_path / "Études 2026", language=language)
    plan = load_plan(folder)
    assert plan.id == "etudes-2026" and plan.hypotheses == () and plan.notebooks == ()
    assert plan.design.waves == ["before", "after"]
    assert plan.exclusions == ("speeder", "straight_lining", "duplicate_id")


def test_scaffold_example_hypothesis_loads_when_uncommented(tmp_path: Path) -> None:
    folder = new_study(tmp_path / "study")
    text = (folder / "study.yaml").read_text(encoding="utf-8")
    for key in ("hypotheses", "sample_size"):
        block = re.search(rf"((?:^#   .*\n)+){key}: \[\]\n", text, re.M)
        assert block is not None, key
        example = re.sub(r"^# ", "", block.group(1), flags=re.M)
        text = text.replace(block.group(0), f"{key}:\n{example}")
    write(folder, text)
    plan = load_plan(folder)
    assert plan.hypothesis("h1_call_effort").contrast == ("before", "after")
    assert plan.sample_size[0].n_needed == stats.sample_size("mean", 0.3, sd=1.1).estimate


# -- bad input --------------------------------------------------------------------------
def test_a_study_folder_without_study_yaml(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no study plan") as exc:
        load_plan(tmp_path)
    p = exc.value.problems[0]
    assert p.code == Code.UNREADABLE_FILE and p.file == str(tmp_path / "study.yaml")
    assert "cxresearch new" in (p.fix or "")
    with pytest.raises(PlanError, match="does not exist"):
        plan_status(tmp_path / "nowhere")


@pytest.mark.parametrize(("old", "new", "code", "needle", "message"), [
    ("title: {nl: Demo, en: Demo}", "title: {nl: Demo, en: Demo", "CX103", "goal:",
     "invalid YAML"),
    ("seed: 7", "seed: 7\nseed: 8", "CX114", "seed: 8", "key 'seed' is given twice"),
    ("    sesoi: 5", "\tsesoi: 5", "CX103", "\tsesoi", "a tab is used for indentation"),
])
def test_yaml_errors_are_located_by_line(study: Path, notebooks: Path, old: str, new: str,
                                         code: str, needle: str, message: str) -> None:
    text = edit(study, old, new)
    found = problems_of(study, notebooks)
    assert (found[0][0], found[0][1]) == (code, line_of(text, needle))
    assert message in found[0][2]


def test_a_plan_that_is_not_a_mapping(study: Path, notebooks: Path) -> None:
    write(study, "- id: demo\n")
    assert problems_of(study, notebooks)[0][:2] == ("CX110", 1)


@pytest.mark.parametrize(("old", "new", "code", "needle", "message"), [
    ("metric: nps", "metric: npss", "CX113", "metric: npss",
     "'metric' names 'npss', which is not an item-bank metric.*did you mean 'nps'"),
    ("  - id: h2", "  - id: h1", "CX121", "  - id: h1\n    text: {nl: Hogere",
     "hypothesis id 'h1' is used twice \\(first on line 8\\)"),
    ("exclusions: [speeder]", "exclusions: [speeders]", "CX113", "speeders",
     "must be the name of a quality check.*allowed: .*straight_lining.*did you mean "
     "'speeder'"),
    ("exclusions: [speeder]", "exclusions: [speeder, speeder]", "CX121", "speeder]",
     "exclusion 'speeder' is listed twice"),
    ("    test: mean\n", "    test: mean\n    contrast: [before, later]\n", "CX113",
     "contrast:", "'contrast' names 'later', a wave missing from the design"),
    ("waves: [before, after]", "waves: [before]", "CX111", "predictor: wave",
     "compares waves \\('wave'\\), but the design has only before"),
    ("waves: [before, after]", "waves: []", "CX111", "waves: []", "the design lists no waves"),
    ("design:\n  waves: [before, after]\n", "", "CX111", "id: demo",
     "the study plan has no 'design'"),
    ("waves: [before, after]", "waves: [before]\n  panel: true", "CX113", "panel:",
     "a panel needs at least two waves"),
    ("    sesoi: 0.3", "    sesio: 0.3", "CX112", "sesio:",
     "unknown key 'sesio' in hypothesis 'h1'.*did you mean 'sesoi'"),
    ("hypotheses:", "hypothesis: []\nhypotheses:", "CX112", "hypothesis: []",
     "did you mean 'hypotheses'"),
    ("outcome: effort_call", "outcome: effort_cal", "CX113", "outcome: effort_cal",
     "not an answer field of the study's instruments.*did you mean 'effort_call'"),
    ("    predictor: wave\n    direction: decrease", "    predictor: wafe\n"
     "    direction: decrease", "CX113", "predictor: wafe", "'predictor' names 'wafe'"),
    ("touchpoint: service_call", "touchpoint: service_cal", "CX170",
     "touchpoint: service_cal", "not in the journey.*did you mean 'service_call'"),
    ("direction: decrease", "direction: down", "CX113", "direction: down",
     "allowed: increase, decrease, no_change"),
    ("test: mean", "test: t-test", "CX113", "test: t-test",
     "allowed: auto, nps, mean, proportion, top_box, ordinal"),
    ("    direction: increase\n    test: nps\n    sesoi: 5",
     "    direction: no_change\n    test: nps", "CX111", "direction: no_change",
     "a hypothesis of no change needs a smallest effect that matters"),
    ("text: {nl: Minder moeite, en: Less effort}", "text: {nl: Minder moeite}", "CX130",
     "text: {nl: Minder", "'text' of hypothesis 'h1' has no text in en"),
    ("    test: mean\n", "    test: mean\n    among: ${nps} <=\n", "CX160", "among:",
     "'among' is not a valid expression"),
    ("    test: mean\n", "    test: mean\n    among: ${npz} <= 6\n", "CX161", "among:",
     "refers to 'npz', which is not an answer field"),
    ("  - hypothesis: h1", "  - hypothesis: h7", "CX113", "hypothesis: h7",
     "sample size for 'h7', which is not a hypothesis of the plan"),
    ("    sd: 1.1\n", "", "CX113", "- hypothesis: h1",
     "the sample size cannot be computed: metric='mean' needs sd="),
    ("    metric: mean\n    sd: 1.1", "    metric: proportion\n    p: 0.3", "CX113",
     "metric: proportion", "planned for metric 'proportion', but the hypothesis' test is"),
    ("    n_planned: 300", "    n_planned: lots", "CX113", "n_planned: lots",
     "whole number of 2 or more"),
    ("    sd: 1.1", "    sd: 1.1\n    p: 0.3", "CX113", "- hypothesis: h1",
     "p applies to metric='proportion', not metric='mean'"),
    ("seed: 7\n", "", "CX111", "id: demo", "the study plan has no 'seed'"),
    ("seed: 7", "seed: -7", "CX113", "seed: -7", "whole number of 0 or more"),
    ("id: demo", "id: Demo Study", "CX120", "id: Demo", "the study 'id' must be lowercase"),
    ("purpose: {nl: Alleen om de dienst te verbeteren., en: Only to improve the service.}\n",
     "", "CX111", "id: demo", "the purpose of processing: there is no `purpose:`"),
    ("notebooks: [02_prepare_responses.ipynb]", "notebooks: [02_prepare.ipynb]", "CX101",
     "notebooks:", "notebook '02_prepare.ipynb' does not exist in .*did you mean "
     "'02_prepare_responses.ipynb'"),
    ("notebooks: [02_prepare_responses.ipynb]", "notebooks: [nb/06_report.ipynb]", "CX113",
     "notebooks:", "the file name of a notebook"),
])
def test_bad_plans_are_reported_with_line_and_fix(study: Path, notebooks: Path, old: str,
                                                  new: str, code: str, needle: str,
                                                  message: str) -> None:
    text = edit(study, old, new)
    found = problems_of(study, notebooks)
    matching = [(c, line) for c, line, m in found if re.search(message, m, re.S)]
    assert matching, "\n".join(m for _, _, m in found)
    assert matching[0] == (code, line_of(text, needle))


def test_every_problem_is_reported_at_once(study: Path, notebooks: Path) -> None:
    edit(study, "metric: nps", "metric: npss")
    edit(study, "exclusions: [speeder]", "exclusions: [speeders]")
    edit(study, "direction: decrease", "direction: down")
    assert len(problems_of(study, notebooks)) == 3


def test_a_contrast_must_be_choices_of_its_question(tmp_path: Path, notebooks: Path) -> None:
    folder = tmp_path / "webshop"
    shutil.copytree(ROOT / "surveys" / "webshop-delivery", folder,
                    ignore=shutil.ignore_patterns("data", "transcripts"))
    text = edit(folder, "contrast: ['no', 'yes']", "contrast: ['no', 'maybe']")
    found = problems_of(folder, notebooks)
    where = line_of(text, "contrast: ['no', 'maybe']")
    assert [(c, line) for c, line, _ in found] == [("CX113", where)]
    assert "not one of the choices of 'got_apology_card'" in found[0][2]


def test_a_broken_instrument_is_named_instead_of_every_field(study: Path,
                                                           notebooks: Path) -> None:
    (study / "instruments" / "customer-survey.yaml").write_text("kind: survey\n",
                                                                encoding="utf-8")
    found = problems_of(study, notebooks)
    assert len(found) == 1 and "instrument 'customer-survey.yaml' has problems" in found[0][2]
    assert "cxresearch survey validate" in found[0][2]


def test_notebooks_are_looked_for_above_the_study_then_above_the_package(
        tmp_path: Path) -> None:
    folder = new_study(tmp_path / "studies" / "demo")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "02_prepare_responses.ipynb").write_text("{}", encoding="utf-8")
    write(folder, BASE)
    assert load_plan(folder).notebooks == ("02_prepare_responses.ipynb",)
    shutil.rmtree(tmp_path / "notebooks")
    edit(folder, "02_prepare_responses.ipynb", "zz_no_such_notebook.ipynb")
    with pytest.raises(PlanError, match=re.escape(str(ROOT / "notebooks"))):
        load_plan(folder)  # no notebooks/ above the study: the repository's is used


# -- locking ----------------------------------------------------------------------------
def test_lock_records_hash_copy_time_and_tool(study: Path, notebooks: Path) -> None:
    lock = lock_plan(study, notebooks_dir=notebooks, by="A. Onderzoeker")
    assert lock == study / LOCK_FILE
    record = json.loads(lock.read_text(encoding="utf-8"))
    plan = load_plan(study, notebooks_dir=notebooks)
    assert record["plan_sha256"] == plan.sha256 and len(plan.sha256) == 64
    assert plan.sha256 == hashlib.sha256((study / "study.yaml").read_bytes()).hexdigest()
    assert record["plan"] == json.loads(json.dumps(plan.to_dict()))
    assert record["plan"]["hypotheses"][0]["sesoi"] == 0.3
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["locked_at"])
    assert datetime.strptime(record["locked_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert record["locked_by"] == {"user": "A. Onderzoeker", "tool": "cxresearch",
                                   "version": __version__}
    assert record["history"] == [] and record["study"] == "demo"
    assert not list(study.glob(".study.lock.json.*"))  # written atomically, no leftovers


def test_lock_refuses_a_second_lock_unless_forced(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    first = json.loads((study / LOCK_FILE).read_text(encoding="utf-8"))
    with pytest.raises(PlanError, match="already locked") as exc:
        lock_plan(study, notebooks_dir=notebooks)
    assert exc.value.problems[0].file == str(study / LOCK_FILE)
    assert "force=True" in (exc.value.problems[0].fix or "")
    edit(study, "seed: 7", "seed: 8")
    lock_plan(study, notebooks_dir=notebooks, force=True)
    second = json.loads((study / LOCK_FILE).read_text(encoding="utf-8"))
    assert second["history"] == [{k: v for k, v in first.items() if k != "history"}]
    assert second["plan"]["seed"] == 8
    status = plan_status(study, notebooks_dir=notebooks)
    assert status.earlier_locks == (first["locked_at"],) and not status.edited_after_lock
    assert [d.kind for d in status.deviations] == ["plan_edited"]  # between the two locks
    assert "between the first lock on" in status.deviations[0].message["en"]
    assert "the random seed" in status.deviations[0].message["en"]
    assert "It was first locked on" in status.describe("en")


def test_lock_refuses_an_invalid_plan(study: Path, notebooks: Path) -> None:
    edit(study, "metric: nps", "metric: npss")
    with pytest.raises(PlanError, match="npss"):
        lock_plan(study, notebooks_dir=notebooks)
    assert not (study / LOCK_FILE).exists()


def test_a_damaged_lock_is_reported_with_its_line(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    (study / LOCK_FILE).write_text('{\n  "plan_sha256": "abc",\n  oops\n}\n', encoding="utf-8")
    with pytest.raises(PlanError, match="not valid JSON") as exc:
        plan_status(study, notebooks_dir=notebooks)
    assert exc.value.problems[0].line == 3
    (study / LOCK_FILE).write_text('{"plan_sha256": "abc"}', encoding="utf-8")
    with pytest.raises(PlanError, match="needs plan_sha256, locked_at, plan"):
        plan_status(study, notebooks_dir=notebooks)


# -- status and deviations --------------------------------------------------------------
def test_a_study_without_lock_says_the_plan_was_not_fixed(study: Path,
                                                         notebooks: Path) -> None:
    status = plan_status(study, notebooks_dir=notebooks)
    assert (status.locked, status.locked_at, status.locked_sha256) == (False, None, None)
    assert not status.edited_after_lock
    assert status.plan_sha256 == load_plan(study, notebooks_dir=notebooks).sha256
    assert [(d.kind, d.hypothesis) for d in status.deviations] == [("not_locked", None)]
    message = status.deviations[0].message
    assert "not locked" in message["en"] and "exploratory" in message["en"]
    assert "niet vastgelegd" in message["nl"] and "verkennend" in message["nl"]
    assert status.describe("nl") == message["nl"]


def test_an_untouched_lock_has_no_deviations(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    status = plan_status(study, notebooks_dir=notebooks)
    assert status.locked and status.deviations == () and not status.edited_after_lock
    assert status.plan_sha256 == status.locked_sha256
    assert status.describe("en").endswith("It has not been changed since.")
    assert status.describe("nl").endswith("Het is sindsdien niet gewijzigd.")


def test_a_comment_edited_after_the_lock(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "seed: 7", "seed: 7  # fixed before the data")
    status = plan_status(study, notebooks_dir=notebooks)
    assert status.edited_after_lock and status.plan_sha256 != status.locked_sha256
    assert [d.kind for d in status.deviations] == ["plan_edited"]
    assert "only its comments or layout" in status.deviations[0].message["en"]
    assert "alleen de toelichting of opmaak" in status.deviations[0].message["nl"]


def test_a_plan_edited_after_the_lock_lists_what_changed(study: Path,
                                                        notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "waves: [before, after]", "waves: [before, after]\n  panel: true")
    edit(study, "seed: 7", "seed: 11")
    edit(study, "    sesoi: 0.3", "    sesoi: 0.2")
    edit(study, "direction: decrease", "direction: no_change")
    status = plan_status(study, notebooks_dir=notebooks)
    assert status.edited_after_lock
    kinds = [(d.kind, d.hypothesis) for d in status.deviations]
    assert kinds == [("plan_edited", None), ("hypothesis_changed", "h1")]
    edited, changed = status.deviations
    assert edited.message["en"].startswith("The plan was changed after the lock on ")
    # the sample size follows the new sesoi of h1
    assert edited.message["en"].endswith(": the design (waves, groups, panel); the "
                                         "sample-size rationale; the random seed.")
    assert "de opzet (metingen, groepen, panel); de onderbouwing van de steekproefomvang; "\
        "de seed voor toevalsgetallen" in edited.message["nl"]
    assert "the smallest effect that matters from 0.3 to 0.2" in changed.message["en"]
    assert "the expected direction from a decrease to no change" in changed.message["en"]
    assert "het kleinste effect dat ertoe doet van 0,3 naar 0,2" in changed.message["nl"]
    assert "de verwachte richting van een daling naar geen verandering" in \
        changed.message["nl"]
    assert status.describe("en").count("after the lock on") == 2


def test_a_hypothesis_added_after_the_lock(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "sample_size:", "  - id: h3\n    text: {nl: Zoeken, en: Search}\n"
         "    metric: touchpoint_satisfaction\n    outcome: sat_search\n"
         "    predictor: wave\n    direction: increase\nsample_size:")
    status = plan_status(study, notebooks_dir=notebooks)
    assert [(d.kind, d.hypothesis) for d in status.deviations] == [("hypothesis_added", "h3")]
    message = status.deviations[0].message
    assert "Hypothesis h3 was added after the lock on" in message["en"]
    assert "not part of the plan fixed before the data" in message["en"]
    assert "Hypothese h3 is toegevoegd na de vastlegging op" in message["nl"]


def test_a_hypothesis_removed_or_its_test_and_outcome_changed(study: Path,
                                                              notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    text = (study / "study.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - id: h2"), text.index("sample_size:")
    write(study, text[:start] + text[end:])
    edit(study, "test: mean", "test: ordinal")
    edit(study, "outcome: effort_call", "outcome: sat_search")
    status = plan_status(study, notebooks_dir=notebooks)
    assert [(d.kind, d.hypothesis) for d in status.deviations] == [
        ("hypothesis_changed", "h1"), ("hypothesis_removed", "h2")]
    changed, removed = status.deviations
    assert "the outcome from 'effort_call' to 'sat_search'" in changed.message["en"]
    assert "the planned test from a comparison of means to a rank-based comparison" in \
        changed.message["en"]
    assert "its result should still be reported" in removed.message["en"]
    assert "Hypothese h2 is verwijderd" in removed.message["nl"]


def test_changed_exclusions(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "exclusions: [speeder]", "exclusions: [duplicate_id, straight_lining]")
    status = plan_status(study, notebooks_dir=notebooks)
    assert [(d.kind, d.hypothesis) for d in status.deviations] == [("exclusions_changed", None)]
    message, day = status.deviations[0].message, str(status.locked_at)[:10]
    assert message["en"] == (
        f"The exclusion rules were changed after the lock on {day}: "
        "added duplicate_id, straight_lining; dropped speeder (planned: speeder).")
    assert "toegevoegd: duplicate_id, straight_lining; vervallen: speeder" in message["nl"]


def test_a_smallest_effect_changed_through_smallest_effects(tmp_path: Path,
                                                            notebooks: Path) -> None:
    folder = tmp_path / "insurer"
    shutil.copytree(ROOT / "surveys" / "insurer-claims", folder,
                    ignore=shutil.ignore_patterns("data", "transcripts", "coding",
                                                  "study.lock.json"))  # lock anew here
    lock_plan(folder, notebooks_dir=notebooks)
    edit(folder, "  sat_call: 0.3", "  sat_call: 0.5")
    status = plan_status(folder, notebooks_dir=notebooks)
    kinds = [(d.kind, d.hypothesis) for d in status.deviations]
    assert ("hypothesis_changed", "h1_first_call_sat") in kinds
    assert ("plan_edited", None) in kinds  # smallest_effects and the sample size it plans
    changed = next(d for d in status.deviations if d.kind == "hypothesis_changed")
    assert "from 0.3 to 0.5" in changed.message["en"]


def test_status_of_a_plan_that_no_longer_loads_raises(study: Path, notebooks: Path) -> None:
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "exclusions: [speeder]", "exclusions: [fast]")
    with pytest.raises(PlanError, match="quality check"):
        plan_status(study, notebooks_dir=notebooks)


def test_test_deviations(study: Path, notebooks: Path) -> None:
    plan = load_plan(study, notebooks_dir=notebooks)
    edit(study, "test: nps", "test: auto")
    auto = load_plan(study, notebooks_dir=notebooks)
    assert study_plan.test_deviations(plan, {"h1": "mean", "h2": "nps"}) == []
    assert study_plan.test_deviations(auto, {"h2": "proportion"}) == []  # auto takes any
    found = study_plan.test_deviations(plan, {"h1": "ordinal", "h2": "nps", "h9": "did"})
    assert [(d.kind, d.hypothesis) for d in found] == [("test_changed", "h1"),
                                                      ("hypothesis_added", "h9")]
    assert found[0].message == {
        "en": "Hypothesis h1 was planned with a comparison of means but analysed with a "
              "rank-based comparison.",
        "nl": "Hypothese h1 was gepland met een vergelijking van gemiddelden maar is "
              "geanalyseerd met een rangordevergelijking."}
    assert "exploratory" in found[1].message["en"] and "verkennend" in found[1].message["nl"]
    with pytest.raises(Exception, match="must be the name of a compare metric"):
        study_plan.test_deviations(plan, {"h1": None})  # type: ignore[dict-item]


def test_test_deviations_is_not_collected_by_pytest() -> None:
    assert study_plan.test_deviations.__test__ is False  # type: ignore[attr-defined]


def test_every_deviation_kind_is_documented_and_bilingual(study: Path,
                                                         notebooks: Path) -> None:
    docs = (ROOT / "docs" / "study-format.md").read_text(encoding="utf-8")
    assert all(f"`{kind}`" in docs for kind in DEVIATION_KINDS)
    for key in study_plan._TOP_KEYS + study_plan._HYPOTHESIS_KEYS + \
            study_plan._DESIGN_KEYS + study_plan._SAMPLE_KEYS:
        assert f"`{key}`" in docs, key
    seen: list[Deviation] = list(plan_status(study, notebooks_dir=notebooks).deviations)
    lock_plan(study, notebooks_dir=notebooks)
    edit(study, "seed: 7", "seed: 9")
    edit(study, "exclusions: [speeder]", "exclusions: []")
    seen += plan_status(study, notebooks_dir=notebooks).deviations
    seen += study_plan.test_deviations(load_plan(study, notebooks_dir=notebooks),
                                       {"h1": "ordinal"})
    for d in seen:
        assert d.kind in DEVIATION_KINDS and set(d.message) == {"nl", "en"}
        assert all(text.strip() for text in d.message.values())
