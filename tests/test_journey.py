"""Reading journey.yaml: the bundled example, and errors that say where and how to fix."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest
from conftest import EXAMPLE

from cxresearch.errors import InstrumentError, Problem
from cxresearch.journey import load_journey
from cxresearch.journey.model import CHANNELS

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
    assert all(set(tp.customer) == set(tp.employee) == {"nl", "en"}
               for tp in journey.touchpoints())


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
    assert "allowed: channel, customer, description" in str(problems[1])


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
