"""Reading YAML instruments: structure, item bank, positions, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

import cxresearch as cx
from cxresearch.errors import InstrumentError, Severity

BLOCK = """\
blocks:
  - id: b1
    title: {nl: Blok, en: Block}
    questions:
"""


def codes(exc: pytest.ExceptionInfo[InstrumentError]) -> list[str]:
    return exc.value.codes


def test_minimal_instrument_loads(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - id: q1
        type: text
        label: {nl: Naam van uw huisdier, en: Your pet's name}
""")
    survey = cx.load_instrument(path)
    assert isinstance(survey, cx.Survey)
    assert survey.field_ids() == ["q1"]
    assert survey.question("q1").label["en"] == "Your pet's name"
    assert len(survey.sha256 or "") == 64


def test_item_bank_fills_subject_and_ids(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - use: nps
      - use: enablement
        id: en_call
        subject: {nl: het telefoongesprek, en: the phone call}
      - use: touchpoint_effort
        id: effort_call
        subject: {nl: het telefoongesprek, en: the phone call}
        required: true
""")
    s = cx.load_instrument(path)
    nps = s.question("nps")
    assert (nps.type, nps.metric, nps.item, nps.required) == ("rating", "nps", "nps", True)
    assert "ons" in nps.label["nl"] and "us" in nps.label["en"]
    assert s.question("en_call").items[0].id == "en_call_information"
    assert "het telefoongesprek" in s.question("en_call").label["nl"]
    effort = s.question("effort_call")
    assert effort.required and effort.scale is not None and effort.scale.points == 5
    assert "{subject}" not in effort.label["en"]


def test_item_needing_a_subject_says_so(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + "      - use: touchpoint_satisfaction\n        id: sat\n")
    with pytest.raises(InstrumentError, match="needs a 'subject'") as exc:
        cx.load_instrument(path)
    assert "CX111" in codes(exc)


def test_yaml_round_trip_gives_equal_instrument(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("""\
choice_lists:
  yn:
    - {value: "yes", label: {nl: Ja, en: "Yes"}}
    - {value: no, label: {nl: Nee, en: "No"}}
""" + BLOCK + """\
      - use: nps
      - id: again
        type: single_choice
        choices: yn
        other: true
        label: {nl: Weer?, en: Again?}
        relevant: ${nps} >= 7
      - id: age
        type: number
        min: 16
        max: 120
        label: {nl: Leeftijd, en: Age}
        constraint: . != 99
      - id: when
        type: date
        min: "2020-01-01"
        label: {nl: Wanneer?, en: When?}
""")
    s = cx.load_instrument(path)
    again = cx.loads_instrument(cx.dump_instrument(s))
    assert again == s
    # 'no' stays the text 'no', not YAML 1.1's False
    assert s.choice_lists["yn"].values() == ["yes", "no"]


@pytest.mark.parametrize(
    ("body", "code", "line", "message"),
    [
        (BLOCK + "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n"
         "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n",
         "CX121", 15, "id 'q1' is used twice"),
        (BLOCK + "      - id: q1\n        type: txt\n        label: {nl: A, en: B}\n",
         "CX113", 13, "unknown value"),
        (BLOCK + "      - id: q1\n        type: text\n        label: {nl: Alleen Nederlands}\n",
         "CX130", 14, "no en text"),
        (BLOCK + "      - id: q1\n        type: single_choice\n        choices: kleuren\n"
         "        label: {nl: A, en: B}\n", "CX140", 14, "choice list 'kleuren'"),
        ("choice_lists:\n  leeg: []\n" + BLOCK + "      - id: q1\n        type: single_choice\n"
         "        choices: leeg\n        label: {nl: A, en: B}\n", "CX141", 9, "has no choices"),
        (BLOCK + "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n"
         "        relevant: ${q2} = 'x'\n"
         "      - id: q2\n        type: text\n        label: {nl: A, en: B}\n",
         "CX162", 15, "refers to 'q2', which comes later"),
        (BLOCK + "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n"
         "        relevant: ${nope} = 'x'\n", "CX161", 15, "no question"),
        (BLOCK + "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n"
         "      - id: q2\n        type: text\n        label: {nl: A, en: B}\n"
         "        relevant: selectd(${q1}, 'x')\n", "CX163", 18, "unknown function 'selectd'"),
        (BLOCK + "      - id: q1\n        type: likert\n        label: {nl: A, en: B}\n"
         "        scale: {points: 5, labels: [{nl: a, en: a}, {nl: b, en: b}]}\n",
         "CX150", 15, "5 points but 2 labels"),
        (BLOCK + "      - id: q1\n        type: number\n        label: {nl: A, en: B}\n"
         "        min: 10\n        max: 1\n", "CX151", 15, "min 10 above max 1"),
        (BLOCK + "      - id: 1q\n        type: text\n        label: {nl: A, en: B}\n",
         "CX120", 12, "is not valid"),
        (BLOCK + "      - id: q1\n        type: text\n        lable: {nl: A, en: B}\n",
         "CX112", 14, "unknown field 'lable'"),
    ],
    ids=["duplicate-id", "unknown-type", "missing-translation", "unknown-list", "empty-list",
         "later-question", "unknown-question", "unknown-function", "bad-scale", "bad-bounds",
         "bad-id", "typo-field"],
)
def test_bad_input_names_code_line_and_question(write_yaml: Callable[..., Path], body: str,
                                                code: str, line: int, message: str) -> None:
    path = write_yaml(body)
    with pytest.raises(InstrumentError, match=message) as exc:
        cx.load_instrument(path)
    problem = next(p for p in exc.value.problems if p.code.value == code)
    assert problem.file == str(path)
    assert problem.line == line
    assert problem.fix or problem.allowed


def test_every_problem_is_reported_not_just_the_first(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - id: q1
        type: text
        label: {nl: A}
      - id: q1
        type: rating
        label: {nl: A, en: B}
        relevant: ${q9} > 3
      - id: q3
        type: single_choice
        choices: nergens
        label: {nl: A, en: B}
""")
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(path)
    assert {"CX130", "CX121", "CX161", "CX140"} <= set(exc.value.codes)


def test_logic_error_points_at_the_column(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - use: nps
      - id: why
        type: text
        label: {nl: Waarom?, en: Why?}
        relevant: ${nps} <== 6
""")
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(path)
    p = exc.value.problems[0]
    assert p.code.value == "CX160" and p.line == 16 and p.question_id == "why"
    assert p.column is not None and p.column > 19  # inside the expression, not at the key


def test_selected_value_must_exist(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("""\
choice_lists:
  kanaal:
    - {value: phone, label: {nl: Telefoon, en: Phone}}
    - {value: web, label: {nl: Website, en: Website}}
""" + BLOCK + """\
      - id: ch
        type: multiple_choice
        choices: kanaal
        label: {nl: Kanaal, en: Channel}
      - id: why
        type: text
        label: {nl: Waarom?, en: Why?}
        relevant: selected(${ch}, 'phon')
""")
    with pytest.raises(InstrumentError, match="did you mean 'phone'") as exc:
        cx.load_instrument(path)
    assert exc.value.codes == ["CX164"]


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "CX100", "the file is empty"),
        ("# only a comment\n", "CX100", "the file is empty"),
        ("kind: survey\nid: [unclosed\n", "CX103", "invalid YAML"),
        ("- just\n- a list\n", "CX110", "must be a mapping"),
        ("kind: survey\nkind: guide\n", "CX114", "given twice"),
        ("kind: survey\n\tid: x\n", "CX103", "tab"),
    ],
)
def test_broken_files_give_clear_errors(tmp_path: Path, text: str, code: str,
                                        message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=message) as exc:
        cx.load_instrument(path)
    assert code in exc.value.codes


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="file not found"):
        cx.load_instrument(tmp_path / "nope.yaml")
    other = tmp_path / "form.csv"
    other.write_text("a,b\n")
    with pytest.raises(InstrumentError, match="cannot read '.csv'"):
        cx.load_instrument(other)


def test_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    from conftest import HEADER

    text = HEADER + BLOCK + ("      - id: q1\n        type: text\n"
                             "        label: {nl: Wat vond u van de café-service?, "
                             "en: What did you think of the café service?}\n")
    path = tmp_path / "cp1252.yaml"
    path.write_bytes(text.encode("cp1252"))
    inst, problems = cx.check_file(path)
    assert inst is not None and "café" in inst.question("q1").label["nl"]
    assert [p.code.value for p in problems] == ["CX102"]
    assert problems[0].severity == Severity.WARNING and "UTF-8" in (problems[0].fix or "")


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InstrumentError, match="expands to more than"):
        cx.load_instrument(path)


def test_large_instrument_loads(tmp_path: Path) -> None:
    from conftest import HEADER

    parts = [HEADER, BLOCK]
    n = 0
    while sum(map(len, parts)) < 10_000_000:
        parts.append("".join(
            f"      - id: q{n + i}\n        type: text\n        label: "
            f"{{nl: 'Vraag {n + i} {'x' * 200}', en: 'Question {n + i} {'y' * 200}'}}\n"
            for i in range(1000)))
        n += 1000
    path = tmp_path / "big.yaml"
    path.write_text("".join(parts))
    survey = cx.load_instrument(path)
    assert len(survey.field_ids()) == n


def test_scale_alias_does_not_rename_the_shared_scale(write_yaml: Callable[..., Path]) -> None:
    aliased = write_yaml("scales:\n  myagree: agree5\n" + BLOCK +
                         "      - id: q1\n        type: likert\n        scale: myagree\n"
                         "        label: {nl: A, en: B}\n", name="a.yaml")
    plain = write_yaml(BLOCK + "      - id: q1\n        type: likert\n        scale: agree5\n"
                       "        label: {nl: A, en: B}\n", name="b.yaml")
    assert cx.load_instrument(aliased).question("q1").scale.name == "myagree"  # type: ignore[union-attr]
    second = cx.load_instrument(plain)
    assert second.question("q1").scale.name == "agree5"  # type: ignore[union-attr]
    assert cx.loads_instrument(cx.dump_instrument(second)) == second


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("choice_lists:\n  two:\n    - {value: a, label: {nl: a, en: a}}\n"
         "    - {value: b, label: {nl: b, en: b}}\n" + BLOCK +
         "      - id: q1\n        type: multiple_choice\n        choices: two\n"
         "        min_selected: 5\n        label: {nl: A, en: B}\n",
         "CX151", "asks for 5 to 2 answers, but has 2 choices"),
        ("metadata: [start, start]\n" + BLOCK +
         "      - id: q1\n        type: text\n        label: {nl: A, en: B}\n",
         "CX121", "listed twice"),
        (BLOCK + "      - id: q1\n        type: date\n        min: '2026-02-30'\n"
         "        label: {nl: A, en: B}\n", "CX113", "must be a date"),
        (BLOCK + "      - id: q1\n        type: number\n        min: .nan\n"
         "        label: {nl: A, en: B}\n", "CX110", "must be a number"),
        (BLOCK + "      - id: q1\n        type: number\n        max: .inf\n"
         "        label: {nl: A, en: B}\n", "CX110", "must be a number"),
    ],
    ids=["too-many-selected", "duplicate-metadata", "impossible-date", "nan-bound", "inf-bound"],
)
def test_impossible_values_are_refused(write_yaml: Callable[..., Path], body: str, code: str,
                                       message: str) -> None:
    with pytest.raises(InstrumentError, match=message) as exc:
        cx.load_instrument(write_yaml(body))
    assert code in exc.value.codes


def test_block_touchpoints_are_checked_against_the_journey(tmp_path: Path) -> None:
    from conftest import HEADER

    (tmp_path / "journey.yaml").write_text(
        "id: j\ntitle: {nl: Reis, en: Journey}\nlanguages: [nl, en]\nstages:\n"
        "  - id: use\n    name: {nl: Gebruik, en: Use}\n    touchpoints:\n"
        "      - id: call\n        name: {nl: gesprek, en: call}\n", encoding="utf-8")
    (tmp_path / "instruments").mkdir()
    path = tmp_path / "instruments" / "s.yaml"
    path.write_text(HEADER + "blocks:\n  - id: b\n    title: {nl: B, en: B}\n"
                    "    touchpoint: cal\n    stage: usage\n    questions:\n"
                    "      - id: q\n        type: text\n        label: {nl: A, en: B}\n",
                    encoding="utf-8")
    with pytest.raises(InstrumentError, match="did you mean 'call'") as exc:
        cx.load_instrument(path)
    assert set(exc.value.codes) == {"CX170", "CX171"}
    touchpoint = next(p for p in exc.value.problems if p.code.value == "CX170")
    assert (touchpoint.line, touchpoint.question_id) == (11, "b")


def test_journey_typos_are_reported(tmp_path: Path) -> None:
    from cxresearch.journey import load_journey

    path = tmp_path / "journey.yaml"
    path.write_text("id: j\ntitle: {en: J}\nlanguages: [en]\nstages:\n  - id: s\n"
                    "    name: {en: S}\n    touchpoints:\n      - id: t\n        name: {en: T}\n"
                    "        chanel: phone\n        moment_of_truth: ja\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="did you mean 'channel'") as exc:
        load_journey(path)
    assert set(exc.value.codes) == {"CX112", "CX110"}


@pytest.mark.parametrize("encode", [
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),
], ids=["crlf", "utf8-bom", "utf16"])
def test_line_endings_and_byte_order_marks(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    from conftest import HEADER

    text = HEADER + BLOCK + "      - id: q1\n        type: text\n        label: {nl: Één, en: One}\n"
    path = tmp_path / "x.yaml"
    path.write_bytes(encode(text))
    inst, problems = cx.check_file(path)
    assert inst is not None and inst.question("q1").label["nl"] == "Één"
    assert all(p.severity == Severity.WARNING for p in problems)


def test_huge_whole_number_is_refused_cleanly(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("min_group_size: " + "9" * 5000 + "\n" + BLOCK +
                      "      - {id: q1, type: text, label: {nl: A, en: B}}\n")
    with pytest.raises(InstrumentError, match="whole number of at most 18 digits") as exc:
        cx.load_instrument(path)
    assert len(str(exc.value)) < 2000


def test_texts_with_control_characters_or_unknown_answers_are_refused(
        write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - id: q1
        type: text
        label: {nl: "A\\x01", en: "Cost in ${currency}"}
""")
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(path)
    messages = " ".join(p.message for p in exc.value.problems)
    assert "control character U+0001" in messages and "'${currency}'" in messages


def test_a_subject_needs_every_language(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + "      - use: touchpoint_satisfaction\n        id: sat\n"
                      "        subject: {nl: het gesprek}\n")
    with pytest.raises(InstrumentError, match="subject of question 'sat' has no en text"):
        cx.load_instrument(path)


def test_choice_problems_point_at_the_choice(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("""\
choice_lists:
  kanaal:
    - {value: phone, label: {nl: Telefoon, en: Phone}}
    - {value: web, label: {nl: Website, en: Website}}
    - {value: phone, label: {nl: Nog eens, en: Again}}
""" + BLOCK + "      - {id: q1, type: single_choice, choices: kanaal, label: {nl: A, en: B}}\n")
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(path)
    assert [(p.code.value, p.line) for p in exc.value.problems] == [("CX142", 12)]


def test_logic_written_over_several_lines_names_the_line_not_a_wrong_column(
        write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BLOCK + """\
      - use: nps
      - id: why
        type: text
        label: {nl: Waarom?, en: Why?}
        relevant: >
          ${nps} <= 6 and
          ${nope} = 1
""")
    with pytest.raises(InstrumentError) as exc:
        cx.load_instrument(path)
    p = exc.value.problems[0]
    assert (p.code.value, p.line, p.column) == ("CX161", 17, None)


def test_top_level_problems_have_a_line(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("default_language: fr\n" + BLOCK +
                      "      - {id: q1, type: text, label: {nl: A, en: B}}\n")
    with pytest.raises(InstrumentError, match="'default_language' is not one of") as exc:
        cx.load_instrument(path)
    assert exc.value.problems[0].line == 8


def test_deep_nesting_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 300 + "]" * 300 + "\n")
    with pytest.raises(InstrumentError, match="nested more than 200 levels"):
        cx.load_instrument(path)
