"""Editing journey.yaml step by step (cxresearch.journey.edit): the layer under the designer."""

from __future__ import annotations

import copy
import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml
from conftest import EXAMPLE, ROOT

from cxresearch._draft import draft_path
from cxresearch.journey import (
    CHANNELS, DEFAULT_STAGES, NEEDS, Journey, Stage, loads_journey, validate_journey,
)
from cxresearch.journey._read import _CUSTOMER_KEYS, _EMPLOYEE_KEYS
from cxresearch.journey.edit import ConflictError, DraftError, JourneyDraft

SMALL = """\
id: j
title: {nl: Reis, en: Journey}
languages: [nl, en]
stages:
  - id: call
    name: {nl: Bellen, en: Call}
    touchpoints:
      - id: first_call
        name: {nl: Eerste gesprek, en: First call}
        channel: phone
        moment_of_truth: true
      - id: callback
        name: {nl: Terugbellen, en: Callback}
  - id: payout
    name: {nl: Uitbetaling, en: Payout}
    touchpoints:
      - id: payment
        name: {nl: Betaling, en: Payment}
        channel: online
"""


@pytest.fixture
def small(tmp_path: Path) -> JourneyDraft:
    """A small journey opened from a file, with no edits yet."""
    path = tmp_path / "journey.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return JourneyDraft.open(path)


@pytest.fixture
def close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def refused(draft: JourneyDraft, edit: Callable[[], Any], match: str) -> DraftError:
    """``edit`` raises DraftError matching ``match`` and changes nothing at all."""
    before = copy.deepcopy(draft.data)
    undo = draft.can_undo
    with pytest.raises(DraftError, match=match) as info:
        edit()
    assert draft.data == before
    assert draft.can_undo == undo
    return info.value


def without_positions(stages: list[Stage]) -> list[Stage]:
    return [dataclasses.replace(s, line=None, column=None, touchpoints=[
        dataclasses.replace(tp, line=None, column=None) for tp in s.touchpoints])
        for s in stages]


# -- new and open ---------------------------------------------------------------------------
def test_new_starts_from_the_default_stages_as_the_scaffold_writes_them() -> None:
    draft = JourneyDraft.new("my-study", {"nl": "Klantreis", "en": "Customer journey"})
    assert draft.stages() == [sid for sid, _, _ in DEFAULT_STAGES]
    assert draft.touchpoints() == []
    scaffold = Journey.load(ROOT / "src/cxresearch/study/templates/journey.yaml")
    journey = draft.to_journey()
    assert [(s.id, s.name) for s in journey.stages] == [(s.id, s.name) for s in scaffold.stages]
    assert (journey.id, journey.title, journey.languages, journey.audience) == (
        "my-study", {"nl": "Klantreis", "en": "Customer journey"}, ["nl", "en"], "customer")
    # stages without touchpoints are warnings: reported, and saving is allowed
    assert [(p.code.value, p.question_id) for p in draft.problems()] == [
        ("CX300", sid) for sid, _, _ in DEFAULT_STAGES]
    assert draft.stage("use") == {"id": "use", "name": {"nl": "Gebruik", "en": "Use"},
                                  "touchpoints": []}


def test_new_in_one_language_and_with_own_stages() -> None:
    draft = JourneyDraft.new("j", "Journey", languages=["en"])
    assert draft.stage("use")["name"] == {"en": "Use"}
    own = JourneyDraft.new("j", "Reis", languages=["nl"], stages=[("intake", "Intake")])
    assert own.stages() == ["intake"] and own.data["title"] == {"nl": "Reis"}
    assert JourneyDraft.new("j", "Reis", languages=["nl"], stages=()).stages() == []
    some = JourneyDraft.new("j", "Journey", languages=["en"], stages=DEFAULT_STAGES[3:])
    assert some.stages() == ["evaluation", "retention"]
    assert some.stage("retention")["name"] == {"en": "Retention"}
    with pytest.raises(DraftError, match=r"a stage is an \(id, name\) pair, e.g. \('intake', "):
        JourneyDraft.new("j", "Journey", languages=["en"], stages=["intake"])  # type: ignore


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"id": "my study"}, r"journey id 'my study' is not valid: use a letter"),
    ({"languages": []}, r"languages must be distinct language codes, e.g. \['nl', 'en'\]"),
    ({"languages": ["nl", "nl"]}, r"distinct language codes.*got \['nl', 'nl'\]"),
    ({"languages": ["Dutch"]}, r"got \['Dutch'\]"),
    ({"title": "Reis"}, r"the title of the journey: give the text per language, e.g. "
                        r"\{'nl': '...', 'en': '...'\}"),
    ({"title": {"de": "Reise"}}, r"has a text in 'de', which is not one of the journey's "
                                 r"languages \(nl, en\)"),
    ({"stages": [("a", {"nl": "A", "en": "A"}), ("a", {"nl": "B", "en": "B"})]},
     r"id 'a' is already used by a stage"),
    ({"stages": [("a-b", {"nl": "A", "en": "A"})]}, r"'a-b' is not a valid id.*e.g. 'a_b'"),
])
def test_new_refuses_bad_requests(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {"id": "j", "title": {"nl": "Reis", "en": "Journey"}, **kwargs}
    with pytest.raises(DraftError, match=match):
        JourneyDraft.new(args.pop("id"), args.pop("title"), **args)


def test_new_does_not_overwrite_a_file(small: JourneyDraft) -> None:
    assert small.path is not None
    with pytest.raises(DraftError, match=r"already exists: open it with JourneyDraft.open"):
        JourneyDraft.new("j", {"nl": "Reis", "en": "Journey"}, path=small.path)


def test_round_trip_of_the_bundled_journey(tmp_path: Path) -> None:
    source = tmp_path / "insurer-claims" / "journey.yaml"
    source.parent.mkdir()
    shutil.copy(EXAMPLE / "journey.yaml", source)
    out = JourneyDraft.open(source).save(tmp_path / "out" / "journey.yaml")
    before, after = Journey.load(source), Journey.load(out)
    assert without_positions(after.stages) == without_positions(before.stages)
    assert (after.id, after.title, after.languages, after.audience, after.description) == (
        before.id, before.title, before.languages, before.audience, before.description)
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == \
        "# Written by cxresearch; the format is described in docs/journey-format.md"
    assert "# The burglary-claim journey" not in text  # comments are not kept
    assert validate_journey(out) == []


def test_a_journey_from_scratch_saved_reloaded_and_drawn(tmp_path: Path,
                                                         close_figures: None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from cxresearch import viz

    path = tmp_path / "journey.yaml"
    draft = JourneyDraft.new("webshop", {"nl": "Klantreis", "en": "Customer journey"},
                             path=path)
    draft.add_touchpoint("use", "service_call", {"nl": "Gesprek met de klantenservice",
                                                 "en": "Call to customer service"},
                         channel="phone", department="customer_service")
    draft.set_moment_of_truth("service_call", True)
    draft.set_customer("service_call", "feels", {"nl": "Gespannen", "en": "Tense"})
    draft.set_customer("service_call", "valence", -1)
    draft.set_customer("service_call", "pain_points", [
        {"nl": "Moet het verhaal opnieuw vertellen.", "en": "Has to tell the story again."}])
    draft.set_employee("service_call", "role", {"nl": "Medewerker", "en": "Agent"})
    draft.set_need("service_call", "authority", {"nl": "Mandaat", "en": "A mandate"})
    draft.set_employee("service_call", "systems", ["CRM", "telephony"])
    assert draft.save() == path and not draft_path(path).exists()

    journey = Journey.load(path)
    tp = journey.touchpoint("service_call")
    assert journey.stage_of("service_call").id == "use" and tp.moment_of_truth
    assert (tp.channel, tp.department, tp.customer.valence) == ("phone", "customer_service", -1)
    assert tp.customer.pain_points[0]["en"] == "Has to tell the story again."
    assert tp.employee.needs == {"authority": {"nl": "Mandaat", "en": "A mandate"}}
    assert tp.employee.systems == ["CRM", "telephony"]
    fig = viz.journey_map(journey, lang="nl")
    labels = [a.get_text().replace("\n", " ") for a in fig.findobj()
              if (getattr(a, "get_gid", lambda: None)() or "") == "touchpoint_label"]
    assert labels == ["Gesprek met de klantenservice"]


def test_opening_keeps_texts_as_the_reader_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(SMALL.replace("{nl: Terugbellen, en: Callback}", "{nl: Nee, en: No}")
                    .replace("{nl: Betaling, en: Payment}", "{nl: '1.10', en: 12:30}")
                    .replace("moment_of_truth: true", "moment_of_truth: yes"),
                    encoding="utf-8")
    draft = JourneyDraft.open(path)
    assert draft.touchpoint("callback")["name"] == {"nl": "Nee", "en": "No"}
    assert draft.touchpoint("payment")["name"] == {"nl": "1.10", "en": "12:30"}
    assert draft.touchpoint("first_call")["moment_of_truth"] is True
    draft.save(tmp_path / "again.yaml")
    again = Journey.load(tmp_path / "again.yaml")
    assert again.touchpoint("callback").name["en"] == "No"
    assert again.touchpoint("payment").name == {"nl": "1.10", "en": "12:30"}


@pytest.mark.parametrize(("text", "match"), [
    ("id: [a\n", r"cannot open .*journey.yaml: .*:2:1: error CX103: invalid YAML"),
    ("- a\n", r"a journey file holds a mapping .*this one holds a list"),
    ("", r"this one holds nothing"),
])
def test_open_refuses_what_is_not_a_journey(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DraftError, match=match):
        JourneyDraft.open(path)
    with pytest.raises(DraftError, match="file not found"):
        JourneyDraft.open(tmp_path / "missing.yaml")


# -- queries --------------------------------------------------------------------------------
def test_queries(small: JourneyDraft) -> None:
    assert small.stages() == ["call", "payout"]
    assert small.touchpoints() == ["first_call", "callback", "payment"]
    assert small.touchpoints("payout") == ["payment"]
    assert small.stage_of("payment") == "payout"
    tp = small.touchpoint("first_call")
    assert tp["channel"] == "phone" and tp["moment_of_truth"] is True
    tp["channel"] = "email"  # a copy: the document does not change
    assert small.touchpoint("first_call")["channel"] == "phone"
    assert small.to_journey().touchpoint("callback").name["en"] == "Callback"
    with pytest.raises(DraftError, match=r"no touchpoint 'frist_call' in the journey; did you "
                       r"mean 'first_call'\?; its touchpoints: first_call, callback, payment"):
        small.touchpoint("frist_call")
    with pytest.raises(DraftError, match=r"no stage 'payment' in the journey \(that is a "
                       r"touchpoint\); its stages: call, payout"):
        small.touchpoints("payment")
    with pytest.raises(DraftError, match=r"no touchpoint 'call' in the journey \(that is a "
                       r"stage\)"):
        small.stage_of("call")


# -- stages and touchpoints ------------------------------------------------------------------
def test_stages_add_rename_move_delete(small: JourneyDraft) -> None:
    small.add_stage("report", {"nl": "Melden", "en": "Report"}, position=0)
    assert small.stages() == ["report", "call", "payout"]
    small.set_stage_name("report", {"nl": "Schade melden", "en": "Report the damage"})
    assert small.stage("report")["name"]["nl"] == "Schade melden"
    small.rename_stage("report", {"nl": "Melden", "en": "Report"})
    small.move_stage("report", 2)
    assert small.stages() == ["call", "payout", "report"]
    small.move_stage("report", -1)
    assert small.stages() == ["call", "report", "payout"]
    small.delete_stage("report")
    assert small.stages() == ["call", "payout"]
    small.delete_stage("payout", with_touchpoints=True)
    assert small.stages() == ["call"] and small.touchpoints() == ["first_call", "callback"]


def test_touchpoints_add_move_delete(small: JourneyDraft) -> None:
    small.add_touchpoint("call", "transfer", {"nl": "Doorverbinden", "en": "Transfer"},
                         channel="phone", position=1)
    assert small.touchpoints("call") == ["first_call", "transfer", "callback"]
    assert small.touchpoint("transfer") == {"id": "transfer", "name": {
        "nl": "Doorverbinden", "en": "Transfer"}, "channel": "phone", "moment_of_truth": False}
    small.move_touchpoint("transfer", 1)
    assert small.touchpoints("call") == ["first_call", "callback", "transfer"]
    small.move_touchpoint_to("transfer", "payout", position=0)
    assert small.touchpoints("payout") == ["transfer", "payment"]
    assert small.stage_of("transfer") == "payout"
    small.move_touchpoint_to("transfer", "payout")
    assert small.touchpoints("payout") == ["payment", "transfer"]
    small.change_id("transfer", "handover")
    small.change_id("payout", "settlement")
    assert small.touchpoints("settlement") == ["payment", "handover"]
    small.delete_touchpoint("handover")
    assert small.touchpoints() == ["first_call", "callback", "payment"]


def test_undo_and_redo_of_a_delete(small: JourneyDraft) -> None:
    original = copy.deepcopy(small.data)
    small.delete_stage("call", with_touchpoints=True)
    small.delete_touchpoint("payment")
    assert small.touchpoints() == []
    assert small.undo() and small.touchpoints() == ["payment"]
    assert small.undo() and small.data == original and not small.can_undo
    assert small.redo() and small.stages() == ["payout"]
    assert small.redo() and small.touchpoints() == [] and not small.can_redo


@pytest.mark.parametrize(("edit", "match"), [
    (lambda d: d.add_stage("first_call", {"nl": "X", "en": "X"}),
     r"id 'first_call' is already used by a touchpoint of stage 'call'; stages and touchpoints "
     r"share one id space: pick another id, e.g. 'first_call_2'"),
    (lambda d: d.add_touchpoint("payout", "call", {"nl": "X", "en": "X"}),
     r"id 'call' is already used by a stage"),
    (lambda d: d.add_touchpoint("payout", "first call", {"nl": "X", "en": "X"}),
     r"'first call' is not a valid id: use a letter or _, then letters, digits or _ \(at most "
     r"64\); no spaces, dots or dashes, e.g. 'first_call'"),
    (lambda d: d.add_stage("2nd", {"nl": "X", "en": "X"}), r"'2nd' is not a valid id"),
    (lambda d: d.change_id("callback", "payment"), r"id 'payment' is already used"),
    (lambda d: d.add_touchpoint("nowhere", "x", {"nl": "X", "en": "X"}),
     r"no stage 'nowhere' in the journey; its stages: call, payout"),
    (lambda d: d.add_touchpoint("call", "x", {"nl": "X", "en": "X"}, position=5),
     r"position 5 for touchpoint 'x' is outside the list; give 0 \(first\) to 2 \(last\)"),
    (lambda d: d.add_touchpoint("call", "x", {"nl": "X", "en": "X"}, channel="fone"),
     r"unknown channel 'fone' for touchpoint 'x'; allowed: online, phone, email, chat, app, "
     r"letter, visit, in_person, other; did you mean 'phone'\?"),
    (lambda d: d.set_field("payment", "channel", "pigeon"),
     "allowed: " + re.escape(", ".join(CHANNELS))),
    (lambda d: d.set_field("payment", "chanel", "phone"),
     r"unknown field 'chanel' of touchpoint 'payment'; allowed: name, channel, department, "
     r"moment_of_truth, description; did you mean 'channel'\?"),
    (lambda d: d.set_field("payment", "moment_of_truth", "yes"),
     r"the moment_of_truth of touchpoint 'payment' must be True or False; got 'yes'"),
    (lambda d: d.set_moment_of_truth("payment", 1), r"must be True or False; got 1"),
    (lambda d: d.set_field("payment", "name", "Betaling"),
     r"give the text per language, e.g. \{'nl': '...', 'en': '...'\}"),
    (lambda d: d.set_field("payment", "name", {"nl": "Betaling", "fr": "Paiement"}),
     r"the name of touchpoint 'payment' has a text in 'fr', which is not one of the journey's "
     r"languages \(nl, en\); correct the language code, or add the language first"),
    (lambda d: d.move_stage("call", -1),
     r"stage 'call' is number 1 of 2: it can move by 0 to \+1, not by -1"),
    (lambda d: d.move_touchpoint("callback", 1),
     r"touchpoint 'callback' is number 2 of 2: it can move by -1 to \+0, not by \+1; to move it "
     r"to another stage use move_touchpoint_to\('callback', stage\)"),
    (lambda d: d.move_touchpoint("callback", 0.5), r"must be a whole number"),
    (lambda d: d.move_touchpoint_to("callback", "nowhere"), r"no stage 'nowhere'"),
    (lambda d: d.delete_stage("call"),
     r"stage 'call' still has 2 touchpoint\(s\) \(first_call, callback\); move them to another "
     r"stage first \(move_touchpoint_to\), or delete them with it: "
     r"delete_stage\('call', with_touchpoints=True\)"),
    (lambda d: d.delete_touchpoint("call"), r"no touchpoint 'call' in the journey \(that is a "
                                            r"stage\)"),
    (lambda d: d.set_customer("payment", "valence", 3),
     r"'valence' of the customer lane of touchpoint 'payment' must be a whole number from -2 to "
     r"\+2; got 3; allowed: -2, -1, 0, \+1, \+2 \(None: not known yet\)"),
    (lambda d: d.set_customer("payment", "valence", -3), r"from -2 to \+2; got -3"),
    (lambda d: d.set_customer("payment", "valence", 1.5), r"got 1.5"),
    (lambda d: d.set_customer("payment", "valence", True), r"got True"),
    (lambda d: d.set_customer("payment", "mood", "x"),
     r"unknown field 'mood' of the customer lane of touchpoint 'payment'; allowed: does, "
     r"thinks, feels, valence, pain_points, opportunities"),
    (lambda d: d.set_customer("payment", "pain_points", {"nl": "Traag", "en": "Slow"}),
     r"'pain_points' of the customer lane of touchpoint 'payment' must be a list of texts"),
    (lambda d: d.set_employee("payment", "needs", {"money": {"nl": "Geld", "en": "Money"}}),
     r"unknown kind of need 'money' for touchpoint 'payment'; allowed: information, tools, "
     r"authority, training"),
    (lambda d: d.set_need("payment", "tool", {"nl": "Een systeem", "en": "A system"}),
     r"unknown kind of need 'tool'.*did you mean 'tools'\?"),
    (lambda d: d.set_employee("payment", "team", "field experts"),
     r"'team' of the employee lane of touchpoint 'payment' must be one team code"),
    (lambda d: d.set_employee("payment", "systems", "CRM"), r"must be a list of system names"),
    (lambda d: d.set_employee("payment", "rol", {"nl": "X", "en": "X"}),
     r"unknown field 'rol' of the employee lane.*did you mean 'role'\?"),
    (lambda d: d.set_text(("payment", "customer", "mood"), "nl", "x"), r"no text at"),
    (lambda d: d.set_text(("payment", "customer", "pain_points", 2), "nl", "x"),
     r"there is no entry 2 in 'pain_points' of touchpoint 'payment': give 0 to 0"),
    (lambda d: d.set_text(("payment", "name"), "de", "Zahlung"), r"has a text in 'de'"),
    (lambda d: d.set_languages(["nl", "english"]), r"languages must be distinct language codes"),
])
def test_bad_requests_say_what_to_do_and_change_nothing(
        small: JourneyDraft, edit: Callable[[JourneyDraft], None], match: str) -> None:
    refused(small, lambda: edit(small), match)
    assert small.path is not None and not draft_path(small.path).exists()


def test_errors_name_the_id(small: JourneyDraft) -> None:
    error = refused(small, lambda: small.set_customer("payment", "valence", 5), "valence")
    assert error.where == "payment"
    error = refused(small, lambda: small.add_stage("call", {"nl": "X", "en": "X"}), "used")
    assert error.where == "call"


# -- lanes and texts ---------------------------------------------------------------------------
def test_lanes_keep_the_order_of_the_format_and_empty_values_remove_fields(
        small: JourneyDraft) -> None:
    small.set_customer("payment", "valence", 1)
    small.set_customer("payment", "does", {"nl": "Controleert de rekening.",
                                           "en": "Checks the bank account."})
    small.set_employee("payment", "team", "finance")
    small.set_employee("payment", "role", {"nl": "Betaalmedewerker", "en": "Payments clerk"})
    small.set_field("payment", "description", {"nl": "Het geld", "en": "The money"})
    tp = small.touchpoint("payment")
    assert list(tp) == ["id", "name", "channel", "description", "customer", "employee"]
    assert list(tp["customer"]) == ["does", "valence"]
    assert list(tp["employee"]) == ["role", "team"]
    small.set_customer("payment", "valence", 0)
    assert small.touchpoint("payment")["customer"]["valence"] == 0
    small.set_customer("payment", "valence", None)
    small.set_customer("payment", "does", {"nl": "", "en": " "})
    small.set_employee("payment", "team", "")
    small.set_employee("payment", "role", None)
    small.set_field("payment", "channel", None)
    small.set_field("payment", "description", None)
    assert small.touchpoint("payment") == {"id": "payment",
                                           "name": {"nl": "Betaling", "en": "Payment"}}


def test_ids_follow_the_rule_of_question_ids() -> None:
    from cxresearch.instrument.validate import ID_PATTERN as QUESTION_IDS
    from cxresearch.journey.edit import ID_PATTERN

    assert ID_PATTERN.pattern == QUESTION_IDS.pattern


def test_lane_keys_are_those_of_the_format() -> None:
    from cxresearch.journey.edit import _LANES

    assert tuple(_LANES["customer"][0]) == _CUSTOMER_KEYS
    assert set(_LANES["employee"][0]) == set(_EMPLOYEE_KEYS)


def test_set_text_per_language_in_lanes_lists_and_needs(small: JourneyDraft) -> None:
    small.set_text(("payment", "customer", "thinks"), "nl", "Komt het geld?")
    small.set_text(("payment", "customer", "pain_points", 0), "nl", "Duurt lang.")
    small.set_text(("payment", "customer", "pain_points", 0), "en", "Takes long.")
    small.set_text(("payment", "employee", "needs", "tools"), "en", "A payment run")
    small.set_text(("payment", "employee", "processes", 0), "en", "Payment run")
    small.set_text(("payout", "description"), "en", "Getting the money")
    small.set_text(("title",), "en", "The journey")
    tp = small.touchpoint("payment")
    assert tp["customer"] == {"thinks": {"nl": "Komt het geld?"},
                              "pain_points": [{"nl": "Duurt lang.", "en": "Takes long."}]}
    assert tp["employee"] == {"needs": {"tools": {"en": "A payment run"}},
                              "processes": [{"en": "Payment run"}]}
    assert small.stage("payout")["description"] == {"en": "Getting the money"}
    assert small.data["title"] == {"nl": "Reis", "en": "The journey"}
    # missing translations are allowed while editing, and reported
    assert {(p.code.value, p.question_id) for p in small.problems_for("payment")} == {
        ("CX130", "payment")}
    # emptying every language removes entries, needs and lanes
    small.set_text(("payment", "customer", "pain_points", 0), "nl", "")
    small.set_text(("payment", "customer", "pain_points", 0), "en", "")
    small.set_text(("payment", "customer", "thinks"), "nl", "")
    small.set_text(("payment", "employee", "needs", "tools"), "en", "")
    small.set_text(("payment", "employee", "processes", 0), "en", "")
    assert "customer" not in small.touchpoint("payment")
    assert "employee" not in small.touchpoint("payment")


def test_a_plain_lane_of_an_older_file_becomes_its_does(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(SMALL.replace("        channel: online\n", "        channel: online\n"
                                  "        customer: {nl: Wil geld., en: Wants money.}\n"),
                    encoding="utf-8")
    draft = JourneyDraft.open(path)
    draft.set_customer("payment", "valence", 2)
    assert draft.touchpoint("payment")["customer"] == {
        "does": {"nl": "Wil geld.", "en": "Wants money."}, "valence": 2}


def test_languages_and_title(small: JourneyDraft) -> None:
    small.set_title({"nl": "Klantreis", "en": "Customer journey"})
    small.set_languages(["nl", "en", "de"])
    codes = {p.code.value for p in small.problems()}
    assert codes == {"CX130"}  # every text now misses its German
    small.set_languages(["en"])
    assert {p.code.value for p in small.problems()} == {"CX131"}  # Dutch texts: warnings
    small.set_title("Journey")  # one language: a plain text will do
    assert small.data["title"] == {"en": "Journey"}


# -- problems and saving -----------------------------------------------------------------------
def test_problems_are_those_of_the_saved_file(small: JourneyDraft) -> None:
    small.set_text(("callback", "name"), "en", "")
    (problem,) = small.problems()
    assert (problem.code.value, problem.question_id) == ("CX130", "callback")
    assert small.problems_for("callback") == [problem] and small.problems_for("payment") == []
    text = small.to_yaml()
    assert loads_journey(text, str(small.path))[1] == [problem]
    assert text.splitlines()[problem.line - 1].strip() == "nl: Terugbellen"  # its name
    assert small.touchpoint("callback")["name"] == {"nl": "Terugbellen"}
    with pytest.raises(DraftError, match=r"the journey has 1 error\(s\) to fix first:\n.*"
                       r"CX130: 'name' of touchpoint 'callback' has no text in en") as info:
        small.to_journey()
    assert info.value.problems == [problem]
    assert small.path is not None
    with pytest.raises(DraftError, match=r"not saved: 1 error\(s\).*has no text in en"):
        small.save()
    assert small.path.read_text(encoding="utf-8") == SMALL
    small.set_text(("callback", "name"), "en", "Callback")
    small.save()
    assert Journey.load(small.path).touchpoint("callback").name["en"] == "Callback"


def test_a_journey_without_stages_is_reported_and_not_saved(tmp_path: Path) -> None:
    draft = JourneyDraft.new("j", {"nl": "Reis", "en": "Journey"}, stages=(),
                             path=tmp_path / "journey.yaml")
    assert [(p.code.value, p.message) for p in draft.problems()] == [
        ("CX111", "the journey has no stages")]
    with pytest.raises(DraftError, match="not saved"):
        draft.save()
    assert not (tmp_path / "journey.yaml").exists()
    draft.add_stage("intake", {"nl": "Intake", "en": "Intake"})
    draft.add_touchpoint("intake", "form", {"nl": "Formulier", "en": "Form"})
    assert draft.problems() == []
    draft.save()
    assert Journey.load(tmp_path / "journey.yaml").touchpoint_ids() == ["form"]


def test_autosave_and_recovery_after_a_crash(small: JourneyDraft) -> None:
    path = small.path
    assert path is not None
    small.set_customer("payment", "valence", 1)
    draft = draft_path(path)
    assert yaml.safe_load(draft.read_text(encoding="utf-8"))["stages"][1]["touchpoints"][0][
        "customer"] == {"valence": 1}
    assert path.read_text(encoding="utf-8") == SMALL  # the file itself is untouched
    del small  # the kernel dies
    again = JourneyDraft.open(path)
    assert again.recovered_draft == draft
    assert "customer" not in again.touchpoint("payment")
    again.restore_draft()
    assert again.touchpoint("payment")["customer"] == {"valence": 1} and again.can_undo
    again.save()
    assert not draft.exists() and JourneyDraft.open(path).recovered_draft is None
    assert Journey.load(path).touchpoint("payment").customer.valence == 1


def test_a_new_journey_is_recovered_too(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    title = {"nl": "Reis", "en": "Journey"}
    draft = JourneyDraft.new("j", title, stages=(), path=path)
    draft.add_stage("intake", {"nl": "Intake", "en": "Intake"})
    del draft  # the kernel dies before the first save
    again = JourneyDraft.new("j", title, stages=(), path=path)
    assert again.recovered_draft == draft_path(path)
    again.restore_draft()
    assert again.stages() == ["intake"]


def test_discarding_the_draft(small: JourneyDraft) -> None:
    assert small.path is not None
    small.delete_touchpoint("payment")
    again = JourneyDraft.open(small.path)
    again.discard_draft()
    assert not draft_path(small.path).exists() and again.touchpoints()[-1] == "payment"


def test_save_refuses_a_file_changed_on_disk(small: JourneyDraft) -> None:
    assert small.path is not None
    small.set_field("payment", "channel", "app")
    other = SMALL.replace("Betaling", "Uitbetaling op de rekening")
    small.path.write_text(other, encoding="utf-8")  # someone else saved meanwhile
    with pytest.raises(ConflictError, match="changed on disk since it was opened"):
        small.save()
    assert small.path.read_text(encoding="utf-8") == other
    small.save(force=True)
    assert Journey.load(small.path).touchpoint("payment").channel == "app"


def test_needs_keep_their_order(small: JourneyDraft) -> None:
    for kind in reversed(NEEDS):
        small.set_need("payment", kind, {"nl": kind, "en": kind})
    assert list(small.touchpoint("payment")["employee"]["needs"]) == list(NEEDS)
    small.set_need("payment", "tools", None)
    assert "tools" not in small.touchpoint("payment")["employee"]["needs"]
