"""Reading journey.yaml: the examples, the lanes, the links with instruments, and errors
that say where and how to fix."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest
from conftest import EXAMPLE, HEADER, ROOT

import cxresearch as cx
from cxresearch.cli import main
from cxresearch.errors import Code, InstrumentError, Problem, Severity
from cxresearch.journey import (
    CHANNELS, DEFAULT_STAGES, NEEDS, CustomerLane, EmployeeLane, Journey, Stage, Touchpoint,
    check_links, load_journey, validate_journey,
)

STUDIES = ["insurer-claims", "webshop-delivery", "recruitment-agency"]

GOOD = """\
id: j
title: {nl: Reis, en: Journey}
languages: [nl, en]
stages:
  - id: s
    name: {nl: Fase, en: Stage}
    touchpoints:
      - id: t
        name: {nl: Moment, en: Moment}
        channel: phone
        moment_of_truth: true
"""


@pytest.fixture
def write_journey(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML text to ``journey.yaml`` in tmp_path and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "journey.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InstrumentError) as exc:
        load_journey(path)
    return list(exc.value.problems)


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code.value == code]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def test_bundled_journey_loads() -> None:
    journey = load_journey(EXAMPLE / "journey.yaml")
    assert journey.id == "insurer-claims"
    assert journey.languages == ["nl", "en"]
    assert journey.audience == "customer"
    assert journey.stage_ids() == ["report", "call", "assessment", "settlement", "followup"]
    assert len(journey.touchpoints()) == 11
    assert [tp.id for tp in journey.touchpoints() if tp.moment_of_truth] == [
        "first_call", "decision", "payout"]
    assert journey.touchpoint("first_call").stage == "call"
    assert journey.touchpoint("first_call").channel == "phone"
    assert all(tp.channel in CHANNELS for tp in journey.touchpoints())
    call = journey.touchpoint("first_call")
    assert call.department == "claims"
    assert call.employee.role == {"nl": "Schadebehandelaar", "en": "Claims handler"}
    assert call.employee.needs["authority"]["en"] == \
        "To approve claims up to a set amount on the spot"
    assert "claims system" in call.employee.systems
    assert "first time right" in call.customer.thinks["en"]
    assert [tp.customer.valence for tp in journey.touchpoints()] == [
        -2, -1, -1, -1, 0, -1, 0, 1, 1, 0, 0]


def test_minimal_journey_loads(write_journey: Callable[[str], Path]) -> None:
    journey = load_journey(write_journey(GOOD))
    assert journey.title == {"nl": "Reis", "en": "Journey"}
    assert journey.touchpoint("t").moment_of_truth is True
    with pytest.raises(KeyError, match="no touchpoint 'x' in journey 'j'; known touchpoints: t"):
        journey.touchpoint("x")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n"],
                         ids=["empty", "blank-lines", "comments"])
def test_empty_file(write_journey: Callable[[str], Path], text: str) -> None:
    problem = only(problems_of(write_journey(text)), "CX100")
    assert problem.message == "the file is empty"
    assert problem.line == 1 and problem.fix


def test_file_that_is_not_a_mapping(write_journey: Callable[[str], Path]) -> None:
    problem = only(problems_of(write_journey("- a\n- b\n")), "CX110")
    assert "must be a mapping" in problem.message
    assert (problem.line, problem.column, problem.given) == (1, 1, "a list")


def test_unknown_keys_suggest_the_right_one(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD.replace("languages:", "languagse: [nl, en]\nlanguages:")
                         .replace("        channel:", "        chanel:"))
    with pytest.raises(InstrumentError, match="did you mean 'channel'") as exc:
        load_journey(path)
    problems = [p for p in exc.value.problems if p.code.value == "CX112"]
    assert [(p.line, p.column, p.fix) for p in problems] == [
        (3, 1, "did you mean 'languages'?"), (11, 9, "did you mean 'channel'?")]
    assert problems[1].question_id == "t"
    assert "allowed: channel, customer, department, description, employee, id, " \
        "moment_of_truth, name" in str(problems[1])


def test_unknown_key_without_a_close_match(write_journey: Callable[[str], Path]) -> None:
    problem = only(problems_of(write_journey(GOOD + "zzz: 1\n")), "CX112")
    assert problem.fix == "remove it, or check the spelling"


def test_duplicate_ids_name_both_lines(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD + """\
  - id: t
    name: {nl: Nog een, en: Another}
""")
    problem = only(problems_of(path), "CX121")
    assert problem.message == "id 't' is used twice (first on line 8)"
    assert (problem.line, problem.column, problem.question_id) == (12, 5, "t")


def test_entries_without_id_are_not_duplicates(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD + """\
      - name: {nl: A, en: A}
      - name: {nl: B, en: B}
  - name: {nl: C, en: C}
""")
    problems = problems_of(path)
    assert "None" not in "\n".join(map(str, problems))
    assert [p.code.value for p in problems] == ["CX111"] * 3
    assert [(p.line, p.column) for p in problems] == [(12, 9), (13, 9), (14, 5)]
    assert problems[0].message == "a touchpoint has no 'id'"
    assert problems[2].message == "a stage has no 'id'"


def test_bad_channel(write_journey: Callable[[str], Path]) -> None:
    problem = only(problems_of(write_journey(GOOD.replace("channel: phone", "channel: phon"))),
                   "CX113")
    assert problem.message == "unknown channel of touchpoint 't'"
    assert (problem.line, problem.column, problem.given) == (10, 18, "'phon'")
    assert problem.allowed == ", ".join(CHANNELS)
    assert problem.fix == "did you mean 'phone'?"


@pytest.mark.parametrize("value, given", [("ja", "'ja'"), ("[1]", "a list"), ("", "empty"),
                                          ("{a: 1}", "a mapping")])
def test_moment_of_truth_must_be_boolean(write_journey: Callable[[str], Path], value: str,
                                         given: str) -> None:
    path = write_journey(GOOD.replace("moment_of_truth: true", f"moment_of_truth: {value}"))
    problem = only(problems_of(path), "CX110")
    assert problem.message == "'moment_of_truth' of touchpoint 't' must be true or false"
    assert problem.given == given
    assert "YScalar" not in str(problem)
    assert problem.line == 11 and problem.column is not None
    assert problem.allowed == "true, false"


@pytest.mark.parametrize("value", ["no", "false", "False"])
def test_moment_of_truth_false(write_journey: Callable[[str], Path], value: str) -> None:
    path = write_journey(GOOD.replace("moment_of_truth: true", f"moment_of_truth: {value}"))
    assert load_journey(path).touchpoint("t").moment_of_truth is False


def test_missing_translations(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD.replace("{nl: Fase, en: Stage}", "{nl: Fase}")
                         + "        customer: {en: Wants help}\n")
    problems = problems_of(path)
    assert [p.code.value for p in problems] == ["CX130", "CX130"]
    stage, lane = problems
    assert (stage.line, stage.column, stage.question_id) == (6, 11, "s")
    assert stage.message == "'name' of stage 's' has no text in en"
    assert stage.fix == "add en: ..."
    assert (lane.line, lane.question_id) == (12, "t")
    assert lane.message == "'customer' of touchpoint 't' has no text in nl"


def test_text_of_the_wrong_type(write_journey: Callable[[str], Path]) -> None:
    problem = only(problems_of(write_journey(GOOD.replace("{nl: Fase, en: Stage}",
                                                          "[Fase, Stage]"))), "CX110")
    assert problem.message == "'name' of stage 's' must be a text per language"
    assert (problem.line, problem.column, problem.given) == (6, 11, "a list")
    assert problem.fix == "write e.g. {nl: ..., en: ...}"


@pytest.mark.parametrize("value, given", [("en", "'en'"), ("{nl: x}", "a mapping"),
                                          ("[]", "a list"), ("", "empty"),
                                          ("[nl, [en]]", "a list")])
def test_languages_must_be_a_list_of_codes(write_journey: Callable[[str], Path], value: str,
                                           given: str) -> None:
    path = write_journey(GOOD.replace("languages: [nl, en]", f"languages: {value}"))
    problem = only(problems_of(path), "CX110")
    assert problem.message == "'languages' must be a list of language codes"
    assert problem.line == 3 and problem.column is not None
    assert problem.given == given
    assert problem.fix == "write languages: [nl, en]"


def test_languages_as_text_still_checks_translations(
        write_journey: Callable[[str], Path]) -> None:
    text = GOOD.replace("languages: [nl, en]", "languages: en").replace("en: Stage}", "}")
    problems = problems_of(write_journey(text))
    assert [p.code.value for p in problems] == ["CX110", "CX130"]
    assert problems[1].message == "'name' of stage 's' has no text in en"


def test_missing_languages_is_reported_and_checks_go_on(
        write_journey: Callable[[str], Path]) -> None:
    text = GOOD.replace("languages: [nl, en]\n", "").replace("channel: phone", "channel: fax")
    problems = problems_of(write_journey(text))
    assert sorted(p.code.value for p in problems) == ["CX111", "CX113"]
    missing = only(problems, "CX111")
    assert missing.message == "the journey has no 'languages'"
    assert (missing.line, missing.column) == (1, 1)
    assert "languages: [nl, en]" in (missing.fix or "")


def test_stages_missing_or_wrong(write_journey: Callable[[str], Path]) -> None:
    head = GOOD.split("stages:")[0]
    problem = only(problems_of(write_journey(head)), "CX111")
    assert problem.message == "the journey has no stages" and problem.line == 1
    problem = only(problems_of(write_journey(head + "stages: report\n")), "CX110")
    assert (problem.message, problem.line, problem.given) == ("'stages' must be a list", 4,
                                                              "'report'")


def test_every_problem_has_a_position(write_journey: Callable[[str], Path]) -> None:
    path = write_journey("""\
        id: [j]
        title: J
        languages: nl
        audience: {a: b}
        stages:
          - plain
          - id: s
            touchpoints: x
          - id: s2
            name: {nl: S}
            touchpoints:
              - plain
              - id: {x: y}
                name: T
                channel: [phone]
                moment_of_truth: 2
                customer: [a]
        """)
    problems = problems_of(path)
    assert len(problems) == 11, "\n".join(map(str, problems))
    assert all(p.line is not None and p.column is not None for p in problems), \
        "\n".join(map(str, problems))
    assert all("YScalar" not in str(p) and "YSeq" not in str(p) and "YMap" not in str(p)
               for p in problems)


# -- the examples and the template ------------------------------------------------------------

@pytest.mark.parametrize("study", STUDIES)
def test_example_journeys_are_complete_and_clean(study: str) -> None:
    folder = ROOT / "surveys" / study
    assert validate_journey(folder / "journey.yaml") == []
    journey = Journey.load(folder / "journey.yaml")
    instruments = [cx.load_instrument(p) for p in sorted((folder / "instruments").glob("*.yaml"))]
    assert check_links(journey, instruments) == []
    assert len(journey.moments_of_truth()) == 3
    for tp in journey.touchpoints():
        assert all(len(name) < 30 for name in tp.name.values()), tp.name
        assert tp.department, tp.id
        lane, staff = tp.customer, tp.employee
        for text in (lane.does, lane.thinks, lane.feels, staff.role, staff.does,
                     *lane.pain_points, *staff.processes, *staff.needs.values()):
            assert set(text) == {"nl", "en"} and all(t.strip() for t in text.values()), tp.id
        assert lane.valence is not None and -2 <= lane.valence <= 2
        assert lane.pain_points or lane.opportunities, tp.id
        assert staff.needs and set(staff.needs) <= set(NEEDS), tp.id
        assert staff.systems, tp.id


def test_the_scaffold_template_has_the_default_stages() -> None:
    path = ROOT / "src" / "cxresearch" / "study" / "templates" / "journey.yaml"
    assert validate_journey(path) == []
    journey = load_journey(path)
    assert [(s.id, s.name["nl"], s.name["en"]) for s in journey.stages] == list(DEFAULT_STAGES)
    assert all(stage.touchpoints for stage in journey.stages)
    assert [tp.id for tp in journey.moments_of_truth()] == ["first_search", "service_call"]


# -- the model ------------------------------------------------------------------------------

LANES = GOOD + """\
        department: claims
        description: {nl: Het eerste gesprek, en: The first call}
        customer:
          does: {nl: Belt, en: Calls}
          thinks: {nl: Lukt het?, en: Will it work?}
          feels: {nl: Gespannen, en: Tense}
          valence: -1
          pain_points:
            - {nl: Doorverbonden, en: Transferred}
          opportunities:
            - {nl: In één keer goed, en: First time right}
        employee:
          role: {nl: Schadebehandelaar, en: Claims handler}
          does: {nl: Regelt alles, en: Settles everything}
          needs:
            information: {nl: Polis, en: Policy}
            authority: {nl: Mandaat, en: Mandate}
          systems: [claims system, telephony]
          processes:
            - {nl: Schadebehandeling, en: Claims handling}
"""


def test_structured_lanes_load(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(LANES)
    assert validate_journey(path) == []
    tp = load_journey(path).touchpoint("t")
    assert tp.department == "claims"
    assert tp.description == {"nl": "Het eerste gesprek", "en": "The first call"}
    assert tp.customer == CustomerLane(
        does={"nl": "Belt", "en": "Calls"}, thinks={"nl": "Lukt het?", "en": "Will it work?"},
        feels={"nl": "Gespannen", "en": "Tense"},
        pain_points=[{"nl": "Doorverbonden", "en": "Transferred"}],
        opportunities=[{"nl": "In één keer goed", "en": "First time right"}], valence=-1)
    assert tp.employee == EmployeeLane(
        role={"nl": "Schadebehandelaar", "en": "Claims handler"},
        does={"nl": "Regelt alles", "en": "Settles everything"},
        needs={"information": {"nl": "Polis", "en": "Policy"},
               "authority": {"nl": "Mandaat", "en": "Mandate"}},
        systems=["claims system", "telephony"],
        processes=[{"nl": "Schadebehandeling", "en": "Claims handling"}])


def test_serving_team(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(LANES.replace("          role: {nl: Schadebehandelaar",
                                       "          team: desk_north\n"
                                       "          role: {nl: Schadebehandelaar"))
    assert validate_journey(path) == []
    journey = load_journey(path)
    assert journey.touchpoint("t").employee.team == "desk_north"
    assert journey.serving_teams() == {"t": "desk_north"}
    assert load_journey(write_journey(LANES)).serving_teams() == {}


@pytest.mark.parametrize("value, given", [("[desk_north]", "a list"),
                                          ("'desk north'", "'desk north'")])
def test_serving_team_must_be_one_code(write_journey: Callable[[str], Path], value: str,
                                       given: str) -> None:
    problems = journey_problems(write_journey, "          role: {nl: Schadebehandelaar",
                                f"          team: {value}\n"
                                "          role: {nl: Schadebehandelaar")
    assert [p.code.value for p in problems] == ["CX110"]
    p = problems[0]
    assert p.message == "'team' of the employee lane of touchpoint 't' must be one team " \
        "code, as the employee survey's team question codes it"
    line = LANES.splitlines().index("          role: {nl: Schadebehandelaar, en: Claims handler}")
    assert (p.question_id, p.given, p.line, p.column) == ("t", given, line + 1, 17)
    assert "team: field_experts" in (p.fix or "")


def test_plain_lanes_still_load_as_does(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD + "        customer: {nl: Wil hulp, en: Wants help}\n"
                         "        employee:\n          nl: Heeft het dossier nodig\n"
                         "          en: Needs the file\n")
    assert validate_journey(path) == []
    tp = load_journey(path).touchpoint("t")
    assert tp.customer == CustomerLane(does={"nl": "Wil hulp", "en": "Wants help"})
    assert tp.employee == EmployeeLane(does={"nl": "Heeft het dossier nodig",
                                             "en": "Needs the file"})


@pytest.mark.parametrize("value", ["", "~"])
def test_lanes_and_valence_may_be_left_empty(write_journey: Callable[[str], Path],
                                             value: str) -> None:
    path = write_journey(LANES.replace("valence: -1", f"valence: {value}"))
    assert load_journey(path).touchpoint("t").customer.valence is None
    bare = load_journey(write_journey(GOOD)).touchpoint("t")
    assert bare.customer == CustomerLane() and bare.employee == EmployeeLane()
    assert Touchpoint("x", {}, "s").customer == CustomerLane()


def test_journey_helpers(write_journey: Callable[[str], Path]) -> None:
    journey = Journey.load(write_journey(LANES + """\
  - id: s2
    name: {nl: Fase 2, en: Stage 2}
    touchpoints:
      - id: v
        name: {nl: Bezoek, en: Visit}
        moment_of_truth: true
        department: field
"""))
    assert [tp.id for tp in journey.moments_of_truth()] == ["t", "v"]
    assert journey.stage_of("v").id == "s2" and isinstance(journey.stage("s"), Stage)
    assert journey.departments() == ["claims", "field"]
    assert journey.label("v", "en") == "Visit"
    assert journey.label(journey.stage("s2"), "nl") == "Fase 2"
    assert journey.label("v") == "Bezoek"  # the journey's first language
    assert journey.label({"nl": "Brief", "en": " "}, "en") == "Brief"  # one that has it
    assert journey.label({"fr": "Appel"}, "en") == "Appel"
    assert journey.label("overall", "nl") == "overall"  # an unknown id stays as it is
    with pytest.raises(KeyError, match="no stage 'x' in journey 'j'; known stages: s, s2"):
        journey.stage("x")
    with pytest.raises(KeyError, match="no touchpoint 'x'"):
        journey.stage_of("x")


# -- problems in the lanes ------------------------------------------------------------------

def journey_problems(write_journey: Callable[[str], Path], old: str, new: str) -> list[Problem]:
    text = LANES.replace(old, new)
    assert text != LANES
    return validate_journey(write_journey(text))


@pytest.mark.parametrize("value, given", [("3", "'3'"), ("-3", "'-3'"), ("1.5", "'1.5'"),
                                          ("high", "'high'"), ("[1]", "a list")])
def test_valence_must_be_minus_two_to_two(write_journey: Callable[[str], Path], value: str,
                                          given: str) -> None:
    problems = journey_problems(write_journey, "valence: -1", f"valence: {value}")
    problem = only(problems, "CX301")
    assert problem.code is Code.JOURNEY_BAD_VALENCE
    assert problem.message == "the valence of touchpoint 't' must be a whole number from -2 " \
        "to +2"
    assert (Path(problem.file or "").name, problem.line, problem.column) == (
        "journey.yaml", 18, 20)
    assert (problem.question_id, problem.given) == ("t", given)
    assert problem.allowed == "-2, -1, 0, +1, +2"
    assert "0 neutral" in (problem.fix or "")
    with pytest.raises(InstrumentError, match="CX301"):
        load_journey(Path(problem.file or ""))


def test_unknown_need_suggests_the_right_one(write_journey: Callable[[str], Path]) -> None:
    problem = only(journey_problems(write_journey, "information:", "informaton:"), "CX302")
    assert problem.message == "unknown need 'informaton' in the employee lane of touchpoint 't'"
    assert (problem.line, problem.column, problem.question_id) == (27, 13, "t")
    assert problem.allowed == "information, tools, authority, training"
    assert problem.fix == "did you mean 'information'?"
    problem = only(journey_problems(write_journey, "information:", "coffee:"), "CX302")
    assert "use one of the four kinds of need" in (problem.fix or "")


def test_unknown_key_in_a_lane(write_journey: Callable[[str], Path]) -> None:
    problem = only(journey_problems(write_journey, "thinks:", "thinkz:"), "CX112")
    assert problem.message == "unknown field 'thinkz' in the customer lane of touchpoint 't'"
    assert (problem.line, problem.column, problem.fix) == (16, 11, "did you mean 'thinks'?")
    assert problem.allowed == "does, feels, opportunities, pain_points, thinks, valence"
    problem = only(journey_problems(write_journey, "systems:", "sytems:"), "CX112")
    assert (problem.line, problem.fix) == (29, "did you mean 'systems'?")


def test_a_lane_is_text_or_fields_not_both(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD + "        customer: {nl: Belt, en: Calls, valence: 1}\n")
    problems = validate_journey(path)
    assert [p.code.value for p in problems] == ["CX112", "CX112"]
    assert problems[0].message == "unknown field 'nl' in the customer lane of touchpoint 't'"
    assert "a lane is either one text per language or a mapping" in (problems[0].fix or "")


def test_a_comma_in_a_flow_text_is_caught(write_journey: Callable[[str], Path]) -> None:
    problem = only(journey_problems(write_journey, "does: {nl: Belt, en: Calls}",
                                    "does: {nl: Belt, soms boos, en: Calls}"), "CX113")
    assert problem.message == "'does' of the customer lane of touchpoint 't' has 'soms boos' " \
        "where a language code belongs"
    assert (problem.line, problem.given) == (15, "soms boos")
    assert "a comma ends the text: put the text in quotes" in (problem.fix or "")


def test_missing_translation_in_a_list_entry(write_journey: Callable[[str], Path]) -> None:
    problem = only(journey_problems(write_journey, "{nl: Doorverbonden, en: Transferred}",
                                    "{nl: Doorverbonden}"), "CX130")
    assert problem.message == "'pain_points' of the customer lane of touchpoint 't' has no " \
        "text in en"
    assert (problem.line, problem.column, problem.fix) == (20, 15, "add en: ...")


@pytest.mark.parametrize("old, new, message", [
    ("systems: [claims system, telephony]", "systems: claims system",
     "'systems' of the employee lane of touchpoint 't' must be a list of system names"),
    ("systems: [claims system, telephony]", "systems: [claims system, {a: b}]",
     "'systems' of the employee lane of touchpoint 't' must be a list of system names"),
    ("pain_points:\n            - {nl: Doorverbonden, en: Transferred}",
     "pain_points: {nl: Doorverbonden, en: Transferred}",
     "'pain_points' of the customer lane of touchpoint 't' must be a list of texts"),
    ("needs:\n", "needs: [information]\n          xneeds:\n",
     "'needs' of the employee lane of touchpoint 't' must be a mapping of information, tools, "
     "authority, training"),
    ("department: claims", "department: [claims]", "'department' of touchpoint 't' must be text"),
    ("        customer:\n", "        customer: [a]\n        xcustomer:\n",
     "'customer' of touchpoint 't' must be a mapping with does, thinks, feels, valence, "
     "pain_points, opportunities"),
], ids=["systems-text", "systems-entry", "pain-points-text", "needs-list", "department-list",
        "lane-list"])
def test_lane_fields_of_the_wrong_shape(write_journey: Callable[[str], Path], old: str, new: str,
                                        message: str) -> None:
    problems = [p for p in journey_problems(write_journey, old, new) if p.code.value == "CX110"]
    assert [p.message for p in problems] == [message]
    assert problems[0].line is not None and problems[0].given is not None


def test_text_in_an_undeclared_language_is_a_warning(
        write_journey: Callable[[str], Path]) -> None:
    path = write_journey(LANES.replace("{nl: Gespannen, en: Tense}",
                                       "{nl: Gespannen, en: Tense, de: Angespannt}"))
    problem = only(validate_journey(path), "CX131")
    assert problem.severity is Severity.WARNING
    assert problem.message == "'feels' of the customer lane of touchpoint 't' has a text in " \
        "de, which is not one of the journey's languages"
    assert (problem.line, problem.allowed) == (17, "nl, en")
    assert load_journey(path).touchpoint("t").customer.feels["de"] == "Angespannt"


def test_a_stage_without_touchpoints_is_a_warning(write_journey: Callable[[str], Path]) -> None:
    path = write_journey(GOOD + "  - id: empty\n    name: {nl: Leeg, en: Empty}\n"
                         "  - id: none\n    name: {nl: Geen, en: None}\n    touchpoints: []\n")
    problems = validate_journey(path)
    assert [(p.code.value, p.severity, p.question_id, p.line) for p in problems] == [
        ("CX300", Severity.WARNING, "empty", 12), ("CX300", Severity.WARNING, "none", 16)]
    assert problems[0].message == "stage 'empty' has no touchpoints"
    assert load_journey(path).stage_ids() == ["s", "empty", "none"]


def test_validate_journey_never_raises(write_journey: Callable[[str], Path]) -> None:
    assert [p.code.value for p in validate_journey(write_journey(""))] == ["CX100"]
    assert [p.code.value for p in validate_journey(write_journey("a: [\n"))] == ["CX103"]
    problems = validate_journey(write_journey(GOOD.split("stages:")[0] + "zzz: 1\n"))
    assert [p.code.value for p in problems] == ["CX111", "CX112"]  # errors, by line
    missing = validate_journey(Path(write_journey("").parent / "nope.yaml"))
    assert [p.code.value for p in missing] == ["CX101"]


# -- links with the instruments, both ways ------------------------------------------------------

STUDY_JOURNEY = """\
id: j
title: {nl: Reis, en: Journey}
languages: [nl, en]
stages:
  - id: use
    name: {nl: Gebruik, en: Use}
    touchpoints:
      - id: call
        name: {nl: Gesprek, en: Call}
        moment_of_truth: true
      - id: letter
        name: {nl: Brief, en: Letter}
      - id: visit
        name: {nl: Bezoek, en: Visit}
        moment_of_truth: true
"""
CUSTOMER_BLOCKS = """\
blocks:
  - id: b_call
    title: {nl: Gesprek, en: Call}
    touchpoint: call
    questions:
      - id: q1
        type: text
        label: {nl: Hoe ging het?, en: How was it?}
"""
TYPO_BLOCK = """\
  - id: b_typo
    title: {nl: X, en: X}
    touchpoint: cal
    stage: usage
    questions:
      - id: q2
        type: text
        label: {nl: A, en: B}
"""
EMPLOYEE_BLOCKS = """\
blocks:
  - id: b_visit
    title: {nl: Bezoek, en: Visit}
    touchpoint: visit
    questions:
      - id: e1
        type: text
        label: {nl: Wat had u nodig?, en: What did you need?}
  - id: b_letter
    title: {nl: Brief, en: Letter}
    touchpoint: letter
    questions:
      - id: e2
        type: note
        label: {nl: Alleen een toelichting, en: Only a note}
"""


def write_study(root: Path, customer: str, journey_ref: str | None) -> Path:
    """A journey in root/j/ and two instruments in root/instruments/."""
    (root / "j").mkdir(parents=True)
    (root / "instruments").mkdir()
    journey = root / "j" / "journey.yaml"
    journey.write_text(STUDY_JOURNEY, encoding="utf-8")
    ref = f"journey: {journey_ref}\n" if journey_ref else ""
    (root / "instruments" / "customer.yaml").write_text(HEADER + ref + customer,
                                                        encoding="utf-8")
    staff = HEADER.replace("id: mini", "id: mini-staff").replace("audience: customer",
                                                                 "audience: employee")
    (root / "instruments" / "employee.yaml").write_text(staff + ref + EMPLOYEE_BLOCKS,
                                                        encoding="utf-8")
    return journey


def test_links_both_ways(tmp_path: Path) -> None:
    path = write_study(tmp_path, CUSTOMER_BLOCKS + TYPO_BLOCK, journey_ref=None)
    journey = load_journey(path)
    customer = cx.load_instrument(tmp_path / "instruments" / "customer.yaml")
    employee = cx.load_instrument(tmp_path / "instruments" / "employee.yaml")
    problems = check_links(journey, [customer, employee])
    where = [(p.code.value, p.severity.value, p.file, p.line, p.question_id) for p in problems]
    survey = str(tmp_path / "instruments" / "customer.yaml")
    assert where == [
        ("CX171", "error", survey, 19, "b_typo"),
        ("CX170", "error", survey, 18, "b_typo"),
        ("CX303", "warning", str(path), 11, "letter"),
        ("CX304", "warning", str(path), 13, "visit"),
    ]
    stage, touchpoint, unmeasured, unasked = problems
    assert touchpoint.message == "block 'b_typo' names touchpoint 'cal', which is not in " \
        "journey 'j'"
    assert (touchpoint.fix, touchpoint.allowed) == ("did you mean 'call'?", "call, letter, visit")
    assert stage.message == "block 'b_typo' names stage 'usage', which is not in journey 'j'"
    assert unmeasured.message == "touchpoint 'letter' is not measured: no instrument has a " \
        "block about it"  # a note is not a question
    assert unmeasured.column == 9 and "touchpoint: letter" in (unmeasured.fix or "")
    assert unasked.message == "moment of truth 'visit' has no customer question: only " \
        "employee instruments ask about it"
    # without instruments nothing is measured; moments of truth say so
    assert [p.message.split(":")[0] for p in check_links(journey, [])] == [
        "moment of truth 'call' is not measured", "touchpoint 'letter' is not measured",
        "moment of truth 'visit' is not measured"]


def test_serving_team_not_offered_by_the_employee_survey(tmp_path: Path) -> None:
    path = write_study(tmp_path, CUSTOMER_BLOCKS, journey_ref=None)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        name: {nl: Gesprek, en: Call}\n",
        "        name: {nl: Gesprek, en: Call}\n        employee:\n          team: desk_nort\n"),
        encoding="utf-8")
    staff = tmp_path / "instruments" / "employee.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + """\
  - id: b_about
    title: {nl: Over u, en: About you}
    questions:
      - id: team
        type: single_choice
        label: {nl: Team?, en: Team?}
        choices:
          - {value: desk_north, label: {nl: Noord, en: North}}
          - {value: desk_south, label: {nl: Zuid, en: South}}
""", encoding="utf-8")
    journey = load_journey(path)
    instruments = [cx.load_instrument(tmp_path / "instruments" / name)
                   for name in ("customer.yaml", "employee.yaml")]
    found = [p for p in check_links(journey, instruments) if p.code.value == "CX305"]
    assert len(found) == 1
    p = found[0]
    assert (p.severity.value, p.file, p.question_id) == ("warning", str(path), "call")
    assert p.message == "touchpoint 'call' is served by team 'desk_nort', which the " \
        "employee survey's team question does not offer"
    assert (p.allowed, p.fix) == ("desk_north, desk_south", "did you mean 'desk_north'?")
    # without a team question in any employee survey there is nothing to check against
    assert not [p for p in check_links(journey, instruments[:1]) if p.code.value == "CX305"]


def test_instrument_validation_reports_the_same_link_errors(tmp_path: Path) -> None:
    path = write_study(tmp_path, CUSTOMER_BLOCKS + TYPO_BLOCK, journey_ref="../j/journey.yaml")
    survey = tmp_path / "instruments" / "customer.yaml"
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(survey)
    from_instrument = [p for p in exc.value.problems if p.code.value in ("CX170", "CX171")]
    # the same survey without its 'journey:' line loads, and check_links finds the same
    text = survey.read_text(encoding="utf-8").replace("journey: ../j/journey.yaml\n", "")
    alone = survey.with_name("alone.yaml")
    alone.write_text(text, encoding="utf-8")
    from_links = [p for p in check_links(load_journey(path), [cx.load_instrument(alone)])
                  if p.severity is Severity.ERROR]

    def what(problems: list[Problem]) -> list[tuple[str, str, str | None, str | None]]:
        return sorted((p.code.value, p.message, p.fix, p.allowed) for p in problems)

    assert len(from_instrument) == 2 and what(from_instrument) == what(from_links)


def test_cli_reports_journey_problems_for_a_study_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "study"
    write_study(study, CUSTOMER_BLOCKS, journey_ref="../j/journey.yaml")
    (study / "j" / "journey.yaml").rename(study / "journey.yaml")
    for name in ("customer.yaml", "employee.yaml"):
        inst = study / "instruments" / name
        inst.write_text(inst.read_text(encoding="utf-8").replace("../j/journey.yaml",
                                                                 "../journey.yaml"))
    assert main(["survey", "validate", str(study)]) == 0
    out, err = capsys.readouterr()
    assert f"ok   {study / 'journey.yaml'}: journey 'j', 1 stages, 3 touchpoints, 2 moments " \
        "of truth, languages nl, en, 2 warning(s)" in out
    assert f"{study / 'journey.yaml'}:11:9 [letter]: warning CX303" in err
    assert f"{study / 'journey.yaml'}:13:9 [visit]: warning CX304" in err
    # a journey given on its own is checked without links
    assert main(["survey", "validate", str(study / "journey.yaml")]) == 0
    out, err = capsys.readouterr()
    assert out.count("ok ") == 1 and err == ""
    # an error in the journey fails the run, and is listed once per instrument, not again
    (study / "journey.yaml").write_text(STUDY_JOURNEY.replace("id: visit", "id: call"),
                                        encoding="utf-8")
    assert main(["survey", "validate", str(study)]) == 1
    out, err = capsys.readouterr()
    assert f"FAIL {study / 'journey.yaml'}: 1 error(s), 0 warning(s)" in out
    assert err.count("error CX121") == 2
