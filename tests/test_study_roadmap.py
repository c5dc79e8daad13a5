"""The roadmap: reading with located errors, judging against the simulated truths, writing
the verdicts back without touching anything else."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import cxresearch as cx
from cxresearch.data import Responses, quality_report, read_responses
from cxresearch.journey import load_journey
from cxresearch.study.findings import RUN_DIR_ENV
from cxresearch.study.roadmap import (NOT_JUDGED, ActionVerdict, Roadmap, RoadmapError,
                                      judge_roadmap, load_roadmap, roadmap_table,
                                      write_verdicts)

SURVEYS = Path(__file__).resolve().parents[1] / "surveys"
EXCLUDE = ["speeder", "straight_lining", "duplicate_id"]


def _study(name: str, target: Path) -> Path:
    """The files of an example study that a roadmap needs (no data), in ``target``."""
    folder = target / name
    folder.mkdir(parents=True)
    for part in ("study.yaml", "journey.yaml", "roadmap.yaml"):
        shutil.copy(SURVEYS / name / part, folder / part)
    shutil.copytree(SURVEYS / name / "instruments", folder / "instruments")
    return folder


def _clean(responses: Responses) -> Responses:
    return quality_report(responses).exclude(EXCLUDE)


@pytest.fixture(scope="module")
def webshop() -> Responses:
    folder = SURVEYS / "webshop-delivery"
    survey = cx.load_instrument(folder / "instruments" / "customer-survey.yaml")
    return _clean(read_responses(folder / "data" / "raw" / "customers.xlsx", survey))


@pytest.fixture(scope="module")
def insurer() -> Responses:
    folder = SURVEYS / "insurer-claims"
    survey = cx.load_instrument(folder / "instruments" / "customer-survey.yaml")
    raw = folder / "data" / "raw"
    return _clean(Responses.concat([read_responses(raw / "customers-wave1.csv", survey),
                                    read_responses(raw / "customers-wave2.csv", survey)]))


@pytest.fixture(scope="module")
def recruitment() -> Responses:
    folder = SURVEYS / "recruitment-agency"
    survey = cx.load_instrument(folder / "instruments" / "customer-survey.yaml")
    return _clean(read_responses(folder / "data" / "raw" / "employers.csv", survey))


@pytest.fixture(autouse=True)
def no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUN_DIR_ENV, raising=False)


def _by_id(verdicts: list[ActionVerdict]) -> dict[str, ActionVerdict]:
    return {v.action: v for v in verdicts}


def _covers(v: ActionVerdict, value: float) -> bool:
    assert v.ci_low is not None and v.ci_high is not None
    return v.ci_low <= value <= v.ci_high


# -- the example roadmaps -------------------------------------------------------------------
@pytest.mark.parametrize("study", ["webshop-delivery", "insurer-claims", "recruitment-agency"])
def test_the_example_roadmaps_load_cleanly(study: str) -> None:
    roadmap = load_roadmap(SURVEYS / study)
    assert roadmap.problems == ()
    assert len(roadmap) == 7
    assert {a.kind for a in roadmap} == {"quick_win", "long_term"}
    assert {a.status for a in roadmap} == {"planned", "in_progress", "done"}
    assert all(a.title.get("nl") and a.title.get("en") for a in roadmap)


def test_an_action_reads_into_its_parts() -> None:
    roadmap = load_roadmap(SURVEYS / "insurer-claims")
    action = roadmap.action("file_on_one_screen")
    assert (action.touchpoint, action.kind, action.status) == ("first_call", "long_term",
                                                               "done")
    assert (action.metric, action.outcome, action.success) == ("first_time_right",
                                                               "call_settled", ("all",))
    assert (action.expected_effect.size, action.expected_effect.direction) == (10.0,
                                                                               "increase")
    assert action.origin is not None
    assert action.origin.quotes == ("Q-c01-t0010", "Q-c03-t0008")
    assert action.origin.text["en"].startswith("Customers had to tell their story again")
    assert action.verdict is None and action.line is not None
    card = load_roadmap(SURVEYS / "webshop-delivery").action("apology_card")
    assert card.among == "${installation_failed} = 'yes'"
    with pytest.raises(KeyError, match=r"no action 'nope' in .*its actions: settle_in_call"):
        roadmap.action("nope")


def test_the_starter_roadmap_of_a_new_study_loads(tmp_path: Path) -> None:
    folder = cx.study.new_study(tmp_path / "fresh")
    assert len(load_roadmap(folder)) == 0


# -- judging against the simulated truths (surveys/*/README.md) -----------------------------
def test_the_webshop_roadmap_is_judged_as_the_data_were_made(webshop: Responses) -> None:
    verdicts = _by_id(judge_roadmap(load_roadmap(SURVEYS / "webshop-delivery"), webshop))
    # The 30-minute window: sat_delivery_notice 3.57 -> 4.06 (+0.49), expected +0.5: an
    # improvement whose interval holds the truth and the expected effect.
    window = verdicts["delivery_window"]
    assert window.conclusion == "improvement" and _covers(window, 0.49)
    assert window.ci_low is not None and window.ci_low > 0
    # The card became standard (15% -> 75% of failed installations): NPS among failed
    # installations -29.4 -> -6.8 as simulated (+22.6). About 70 failed installations a
    # wave cannot tell that from no change: inconclusive, with the truth inside.
    card = verdicts["apology_card"]
    assert card.conclusion == "inconclusive" and card.estimate is not None
    assert card.estimate > 0 and _covers(card, 22.6) and _covers(card, 0)
    assert card.n is not None and card.n < 200  # only the failed installations
    # The daily list of failed installations: done, but nothing else changed in the data
    # (unaffected touchpoints move by less than 0.02): no change that matters (±0.3).
    listed = verdicts["failed_install_list"]
    assert listed.conclusion == "no_meaningful_change" and _covers(listed, 0.0)
    for name in ("late_message", "installation_checklist", "van_parts", "fit_check"):
        assert verdicts[name].conclusion == NOT_JUDGED and not verdicts[name].judged
        assert verdicts[name].estimate is None
    assert verdicts["van_parts"].text("en") == (
        "Not judged yet: the action is planned; it is judged once its status is 'done'.")
    assert verdicts["late_message"].text("nl").startswith(
        "Nog niet beoordeeld: de actie is in uitvoering")


def test_the_insurer_roadmap_is_judged_as_the_data_were_made(insurer: Responses) -> None:
    # The waves are 'before' and 'after' (sorted they would come the wrong way round).
    verdicts = _by_id(judge_roadmap(load_roadmap(SURVEYS / "insurer-claims"), insurer,
                                    run_id="wave-2", lang="nl"))
    # Authority to settle in the call: sat_call 3.27 -> 3.88 (+0.61), expected +0.5.
    call = verdicts["settle_in_call"]
    assert call.conclusion == "improvement" and _covers(call, 0.61)
    # The file on one screen: first calls that settled everything 30% -> 48% (+18
    # percentage points), expected +10: judged in percentage points.
    screen = verdicts["file_on_one_screen"]
    assert screen.verdict is not None and screen.verdict.metric == "proportion"
    assert screen.conclusion == "improvement" and _covers(screen, 18.0)
    assert screen.verdict.sesoi == pytest.approx(0.10)
    # Same-day payout: sat_payout 4.03 -> 4.37 (+0.34), expected +0.3.
    payout = verdicts["same_day_payout"]
    assert payout.conclusion == "improvement" and _covers(payout, 0.34)
    # Reporting before the police report: done, but report_claim did not change
    # (sat_report 4.14 -> 4.15).
    report = verdicts["report_before_police"]
    assert report.conclusion == "no_meaningful_change" and _covers(report, 0.01)
    assert {v.conclusion for k, v in verdicts.items() if k in (
        "receipts_as_photos", "checkin_for_everyone", "decision_updates")} == {NOT_JUDGED}
    assert all(v.run_id == "wave-2" and v.lang == "nl" for v in verdicts.values())
    assert str(call).startswith("settle_in_call: verbetering. ")


def test_the_recruitment_roadmap_is_judged_as_the_data_were_made(
        recruitment: Responses) -> None:
    verdicts = _by_id(judge_roadmap(load_roadmap(SURVEYS / "recruitment-agency"),
                                    recruitment))
    # Weekly updates: sat_search_updates 3.16 -> 3.69 (+0.53), expected +0.4.
    updates = verdicts["weekly_update"]
    assert updates.conclusion == "improvement" and _covers(updates, 0.53)
    # The sourcing pool cuts days to shortlist by 25% (17.8 -> 13.4 days, -4.4); expected
    # 3 days fewer, and fewer is better: a clear improvement although the number fell.
    pool = verdicts["sourcing_pool"]
    assert pool.conclusion == "clear_improvement" and _covers(pool, -4.4)
    assert pool.estimate is not None and pool.estimate < 0
    # The check-in calls: done, no true effect, and about 100 answers a wave: the interval
    # holds both no change and a change of 0.3, so the data cannot tell.
    checkin = verdicts["checkin_reminders"]
    assert checkin.conclusion == "inconclusive" and _covers(checkin, 0.0)


def test_an_action_the_data_cannot_judge_says_why(webshop: Responses) -> None:
    roadmap = load_roadmap(SURVEYS / "webshop-delivery")
    done = Roadmap(roadmap.path, tuple(
        a if a.id != "van_parts" else type(a)(**{**a.__dict__, "status": "done"})
        for a in roadmap.actions))
    verdicts = _by_id(judge_roadmap(done, webshop))
    assert verdicts["van_parts"].conclusion == NOT_JUDGED  # an employee field
    assert verdicts["van_parts"].text("en") == (
        "Not judged: none of the data given has answers to 'enable_installation_tools'.")
    no_wave = webshop.with_data(webshop.data.drop(columns="wave"))
    alone = _by_id(judge_roadmap(done, no_wave))["delivery_window"]
    assert alone.text("nl") == ("Niet beoordeeld: de data met 'sat_delivery_notice' hebben "
                                "geen kolom 'wave' die voor en na onderscheidt.")
    wrong = _by_id(judge_roadmap(done, webshop, before="wave1", after="wave2"))
    assert wrong["delivery_window"].conclusion == NOT_JUDGED
    assert "before='wave1' is not a value of group 'wave'" in wrong["delivery_window"].text()


def test_plain_data_frames_can_be_judged(webshop: Responses) -> None:
    frame = pd.DataFrame(webshop.data)
    verdicts = _by_id(judge_roadmap(load_roadmap(SURVEYS / "webshop-delivery"),
                                    [frame.iloc[:0][["wave"]], frame]))
    assert verdicts["delivery_window"].conclusion == "improvement"
    with pytest.raises(RoadmapError, match=r"responses must be Responses or a DataFrame"):
        judge_roadmap(load_roadmap(SURVEYS / "webshop-delivery"), "customers.xlsx")


def test_the_run_id_comes_from_the_run_folder(webshop: Responses, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "reports" / "20261201T090000Z-en"
    run.mkdir(parents=True)
    monkeypatch.setenv(RUN_DIR_ENV, str(run))
    verdicts = judge_roadmap(load_roadmap(SURVEYS / "webshop-delivery"), webshop)
    assert {v.run_id for v in verdicts} == {"20261201T090000Z-en"}


# -- writing the verdicts back ---------------------------------------------------------------
def _without_verdicts(data: dict[str, Any]) -> str:
    """The roadmap's data without the verdicts, keys in order (as JSON)."""
    actions = [{k: v for k, v in a.items() if k != "verdict"} for a in data["actions"]]
    return json.dumps({**data, "actions": actions})


def test_verdicts_are_written_next_to_their_actions_and_nothing_else_changes(
        webshop: Responses, tmp_path: Path) -> None:
    folder = _study("webshop-delivery", tmp_path)
    path = folder / "roadmap.yaml"
    text_before = path.read_text(encoding="utf-8")
    data_before = yaml.safe_load(text_before)
    verdicts = judge_roadmap(load_roadmap(folder), webshop, run_id="first")
    assert write_verdicts(folder, verdicts) == path
    text_after = path.read_text(encoding="utf-8")
    data_after = yaml.safe_load(text_after)
    assert _without_verdicts(data_after) == _without_verdicts(data_before)
    judged = {v.action: v for v in verdicts if v.judged}
    assert set(judged) == {"apology_card", "failed_install_list", "delivery_window"}
    for action in data_after["actions"]:
        if action["id"] not in judged:
            assert "verdict" not in action
            continue
        v = judged[action["id"]]
        assert list(action)[-1] == "verdict"
        stored = action["verdict"]
        assert list(stored) == ["run_id", "date", "conclusion", "estimate", "interval", "n",
                                "method", "text"]
        assert stored["run_id"] == "first" and stored["conclusion"] == v.conclusion
        assert stored["estimate"] == pytest.approx(v.estimate, abs=1e-4)
        assert stored["interval"] == pytest.approx([v.ci_low, v.ci_high], abs=1e-4)
        assert stored["n"] == v.n and stored["text"] == {"nl": v.text("nl"), "en": v.text("en")}
        assert isinstance(stored["date"], str)
    # every line of the file is still there, comments included, in the same order
    old_lines = text_before.splitlines()
    new_lines = iter(text_after.splitlines())
    assert all(any(line == new for new in new_lines) for line in old_lines)
    assert text_after.startswith(text_before.split("actions:")[0])
    # the stored verdicts are read back
    reloaded = load_roadmap(folder)
    assert reloaded.action("delivery_window").verdict == data_after["actions"][3]["verdict"]


def test_a_second_write_replaces_the_verdict(webshop: Responses, tmp_path: Path) -> None:
    folder = _study("webshop-delivery", tmp_path)
    roadmap = load_roadmap(folder)
    write_verdicts(folder, judge_roadmap(roadmap, webshop, run_id="first"))
    once = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    write_verdicts(folder, judge_roadmap(load_roadmap(folder), webshop, run_id="second"))
    twice = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    assert twice.count("verdict:") == once.count("verdict:") == 3
    assert twice == once.replace("run_id: first", "run_id: second")
    stored = yaml.safe_load(twice)["actions"][0]["verdict"]
    assert stored["run_id"] == "second"


def test_not_judged_actions_keep_their_earlier_verdict(webshop: Responses,
                                                       tmp_path: Path) -> None:
    folder = _study("webshop-delivery", tmp_path)
    write_verdicts(folder, judge_roadmap(load_roadmap(folder), webshop, run_id="first"))
    once = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    no_wave = webshop.with_data(webshop.data.drop(columns="wave"))
    later = judge_roadmap(load_roadmap(folder), no_wave, run_id="second")
    assert not any(v.judged for v in later)
    write_verdicts(folder, later)
    assert (folder / "roadmap.yaml").read_text(encoding="utf-8") == once
    table = roadmap_table(load_roadmap(folder), later, "en")
    row = table.set_index("id").loc["delivery_window"]
    assert row["conclusion"] == "improvement" and row["run_id"] == "first"


def _minimal(tmp_path: Path, actions: str) -> Path:
    """A webshop study whose roadmap holds ``actions`` (YAML, dedented)."""
    folder = _study("webshop-delivery", tmp_path)
    (folder / "roadmap.yaml").write_text(textwrap.dedent(actions), encoding="utf-8")
    return folder


_NOTICE = """\
id: delivery_window
title: {nl: Tijdvak van 30 minuten, en: 30-minute window}
touchpoint: delivery_notice
owner: team planning
kind: quick_win
metric: touchpoint_satisfaction
outcome: sat_delivery_notice
status: done
expected_effect: {size: 0.5, direction: increase}"""


def _item(action: str, indent: int = 2) -> str:
    """``action`` (unindented YAML) as an item of a list indented by ``indent``."""
    pad = " " * indent
    return pad + "- " + textwrap.indent(action, pad + "  ").lstrip() + "\n"


def test_a_verdict_written_first_or_between_keys_is_replaced_in_place(
        webshop: Responses, tmp_path: Path) -> None:
    fit = """\
id: fit_check  # another comment
verdict:
  run_id: old
  conclusion: decline
title:
  nl: Pashulp
  en: Fit checker
touchpoint: product_page
owner: webshop team
kind: long_term
metric: touchpoint_effort
outcome: effort_product_page
status: done
expected_effect: {size: 0.3, direction: decrease}"""
    first = "verdict: {run_id: old, conclusion: decline}\n" + _NOTICE + \
        "\n# a comment inside the action that stays"
    folder = _minimal(tmp_path, "# a comment that stays\nactions:\n" + _item(first) +
                      _item(fit))
    text = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    before = yaml.safe_load(text)
    write_verdicts(folder, judge_roadmap(load_roadmap(folder), webshop, run_id="new"))
    after_text = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    after = yaml.safe_load(after_text)
    assert _without_verdicts(after) == _without_verdicts(before)
    assert [list(a)[:2] for a in after["actions"]] == [["verdict", "id"], ["id", "verdict"]]
    assert [a["verdict"]["run_id"] for a in after["actions"]] == ["new", "new"]
    fit = after["actions"][1]["verdict"]
    assert fit["conclusion"] == "no_meaningful_change"  # effort on the product page: no change
    for comment in ("# a comment that stays", "# a comment inside the action that stays",
                    "- id: fit_check  # another comment"):
        assert comment in after_text
    assert "old" not in after_text


def test_an_action_in_flow_style_is_written_from_the_data(webshop: Responses,
                                                          tmp_path: Path) -> None:
    flow = "{" + ", ".join(line.strip() for line in _NOTICE.splitlines()) + "}"
    folder = _minimal(tmp_path, f"# heading comment\nactions:\n  - {flow}\n")
    before = yaml.safe_load((folder / "roadmap.yaml").read_text(encoding="utf-8"))
    write_verdicts(folder, judge_roadmap(load_roadmap(folder), webshop, run_id="r"))
    text = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    after = yaml.safe_load(text)
    assert text.startswith("# heading comment\n")
    assert _without_verdicts(after) == _without_verdicts(before)
    assert after["actions"][0]["verdict"]["conclusion"] == "improvement"


def test_a_verdict_for_an_action_no_longer_in_the_file_writes_nothing(
        webshop: Responses, tmp_path: Path) -> None:
    folder = _study("webshop-delivery", tmp_path)
    verdicts = judge_roadmap(load_roadmap(folder), webshop)
    (folder / "roadmap.yaml").write_text("actions: []\n", encoding="utf-8")
    with pytest.raises(RoadmapError, match=r"action 'apology_card' is not in the roadmap "
                                           r"\(nothing was written\)"):
        write_verdicts(folder, verdicts)
    assert (folder / "roadmap.yaml").read_text(encoding="utf-8") == "actions: []\n"


# -- the client report ------------------------------------------------------------------------
def test_the_roadmap_table_for_the_client(insurer: Responses) -> None:
    roadmap = load_roadmap(SURVEYS / "insurer-claims")
    verdicts = judge_roadmap(roadmap, insurer, run_id="wave-2")
    journey = load_journey(SURVEYS / "insurer-claims" / "journey.yaml")
    nl = roadmap_table(roadmap, verdicts, "nl", journey=journey).set_index("id")
    en = roadmap_table(roadmap, verdicts, "en").set_index("id")
    assert list(en.index) == [a.id for a in roadmap]
    assert list(en.columns) == ["action", "touchpoint", "kind", "owner", "status",
                                "expected", "conclusion", "estimate", "n", "verdict",
                                "origin", "run_id"]
    call = verdicts[0]
    assert en.loc["settle_in_call", "conclusion"] == "improvement"
    assert nl.loc["settle_in_call", "conclusion"] == "verbetering"
    assert nl.loc["settle_in_call", "touchpoint"] == journey.label("first_call", "nl")
    assert nl.loc["settle_in_call", "expected"] == "+0,5"
    assert en.loc["receipts_as_photos", "expected"] == "-0.4"
    assert en.loc["file_on_one_screen", "expected"] == "+10"
    assert en.loc["file_on_one_screen", "estimate"].startswith("+15.")  # percentage points
    assert en.loc["settle_in_call", "estimate"] == (
        f"+{call.estimate:.2f} ({call.ci_low:.2f} to {call.ci_high:.2f})")
    assert en.loc["settle_in_call", "n"] == call.n
    assert en.loc["settle_in_call", "verdict"] == call.text("en")
    assert nl.loc["decision_updates", "conclusion"] == "nog niet beoordeeld"
    assert nl.loc["decision_updates", "status"] == "gepland"
    assert pd.isna(nl.loc["decision_updates", "n"])
    assert en.loc["settle_in_call", "origin"].startswith("Customers wanted one call")
    assert en.loc["report_before_police", "origin"] == "Q-c01-t0008"
    assert nl.loc["same_day_payout", "kind"] == "lange termijn"
    assert nl.attrs["headings"]["action"] == "actie"
    plain = roadmap_table(roadmap, None, "en")
    assert (plain["conclusion"] == "").all()  # nothing judged, nothing stored


# -- bad input --------------------------------------------------------------------------------
def _problems(tmp_path: Path, action: str) -> list[str]:
    folder = _minimal(tmp_path, "actions:\n" + _item(action))
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(folder)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("change, expected", [
    (("touchpoint: delivery_notice", "touchpoint: delivery_notise"),
     ":4:17 [delivery_window]: error CX170: touchpoint 'delivery_notise' of action "
     "'delivery_window' is not in the journey (given: delivery_notise)"),
    (("outcome: sat_delivery_notice", "outcome: sat_delivery_notise"),
     ":8:14 [delivery_window]: error CX113: outcome 'sat_delivery_notise' of action "
     "'delivery_window' is not an answer field of the study's surveys"),
    (("metric: touchpoint_satisfaction", "metric: nps"),
     "error CX113: metric 'nps' of action 'delivery_window' does not match its outcome "
     "(given: nps)\n    allowed: touchpoint_satisfaction\n    fix: 'sat_delivery_notice' "
     "feeds the metric 'touchpoint_satisfaction': write 'metric: touchpoint_satisfaction'"),
    (("status: done", "status: finished"),
     ":9:13 [delivery_window]: error CX113: 'status' of action 'delivery_window' is not "
     "allowed (given: finished)\n    allowed: planned, in_progress, done"),
    (("kind: quick_win", "kind: quick"),
     "error CX113: 'kind' of action 'delivery_window' is not allowed (given: quick)\n"
     "    allowed: quick_win, long_term\n    fix: did you mean 'quick_win'?"),
    (("outcome: sat_delivery_notice", "field: sat_delivery_notice"),
     "error CX112: 'field' of action 'delivery_window' is now called 'outcome'\n"
     "    fix: rename 'field:' to 'outcome:'"),
    (("size: 0.5", "size: -0.5"),
     "error CX113: 'size' of 'expected_effect' of action 'delivery_window' must be more "
     "than 0"),
    (("size: 0.5", "size: '0,5'"),
     "error CX110: 'size' of 'expected_effect' of action 'delivery_window' must be a "
     "number (given: '0,5')\n    fix: write e.g. 'size: 0.3' (a decimal point, not a comma)"),
    (("direction: increase", "direction: up"),
     "error CX113: 'direction' of 'expected_effect' of action 'delivery_window' is not "
     "allowed (given: up)\n    allowed: increase, decrease"),
    (("status: done", "status: done\namong: ${installation_failed} = = 'yes'"),
     "error CX160: 'among' of action 'delivery_window' cannot be read"),
    (("status: done", "status: done\namong: ${instalation_failed} = 'yes'"),
     "error CX161: 'among' of action 'delivery_window' names 'instalation_failed', which "
     "is not a field of webshop-delivery-customer (given: instalation_failed)\n"
     "    fix: did you mean 'installation_failed'?"),
    (("status: done", "status: done\norigin: {quotes: [c01-t0010]}"),
     "error CX113: 'c01-t0010' in 'origin' of action 'delivery_window' is not a quote id"),
    (("status: done", "status: done\nowner_name: x"),
     "error CX112: unknown field 'owner_name' in action 'delivery_window'"),
])
def test_bad_input_is_named_with_file_line_and_fix(tmp_path: Path,
                                                   change: tuple[str, str],
                                                   expected: str) -> None:
    problems = _problems(tmp_path, _NOTICE.replace(*change))
    assert any(expected in p for p in problems), "\n".join(problems)
    assert all("roadmap.yaml" in p for p in problems)


def test_every_problem_is_named_at_once(tmp_path: Path) -> None:
    second = _NOTICE.replace("touchpoint: delivery_notice", "touchpoint: nowhere") \
        .replace("status: done", "status: later")
    folder = _minimal(tmp_path, "actions:\n" + _item(_NOTICE) + _item(second))
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(folder)
    codes = caught.value.codes
    assert sorted(codes) == ["CX113", "CX121", "CX170"], caught.value
    assert "id 'delivery_window' is used twice (first on line 2)" in str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("- just a list\n", "error CX110: roadmap.yaml must be a mapping with 'actions'"),
    ("title: x\n", "error CX111: the roadmap has no 'actions'"),
    ("actions:\n  - id: a\n", "error CX111: action 'a' has no 'title'"),
    ("actions:\n  - id: a\n    expected_effect: 0.5\n",
     "error CX110: 'expected_effect' of action 'a' must be a mapping (given: '0.5')\n"
     "    fix: write 'expected_effect: {size: 0.3, direction: increase}'"),
    ("actions: [\n", "error CX103: invalid YAML"),
])
def test_a_roadmap_of_the_wrong_shape_says_what_it_needs(tmp_path: Path, text: str,
                                                         expected: str) -> None:
    folder = _minimal(tmp_path, text)
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(folder)
    assert expected in str(caught.value)


def test_without_journey_and_surveys_the_checks_say_what_they_skipped(
        tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text("actions:\n" + _item(_NOTICE.replace("delivery_notice", "anywhere")),
                    encoding="utf-8")
    roadmap = load_roadmap(path)
    assert roadmap.action("delivery_window").touchpoint == "anywhere"
    assert [p.code.value for p in roadmap.problems] == ["CX172", "CX113"]
    assert all(p.severity.value == "warning" for p in roadmap.problems)
