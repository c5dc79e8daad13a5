"""Reading XLSForms into instruments: real forms from pyxform, and small forms written inline.

The real forms (``tests/data/real-forms``, from pyxform's test suite, BSD licence) either
come in whole or fail with every unsupported feature named by sheet, row and column; the
expected rows below were found by reading each sheet cell by cell.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path
from typing import Any, Sequence

import pytest

from cxresearch.errors import Code, InstrumentError, Severity
from cxresearch.instrument import xlsform_import as xi
from cxresearch.instrument.model import Instrument, Pos
from cxresearch.instrument.xlsform_import import read_xlsform, read_xlsform_with_warnings

openpyxl = pytest.importorskip("openpyxl")

REAL_FORMS = Path(__file__).resolve().parent / "data" / "real-forms"

Rows = Sequence[Sequence[Any]]


def md(text: str) -> list[list[str | None]]:
    """A markdown table (as in pyxform's tests) as rows; empty cells become None."""
    rows = []
    for line in textwrap.dedent(text).strip().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append([c or None for c in cells])
    return rows


def write_form(tmp_path: Path, survey: Rows | str, choices: Rows | str | None = None,
               settings: Rows | str | None = None, name: str = "form.xlsx") -> Path:
    """Write an XLSForm with openpyxl; each sheet is given as rows, the header first."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            sheet = book.create_sheet(title)
            for row in md(rows) if isinstance(rows, str) else rows:
                sheet.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def problems(exc: pytest.ExceptionInfo[InstrumentError]) -> set[tuple[str | None, int | None,
                                                                        str]]:
    return {(p.sheet, p.line, p.message) for p in exc.value.problems}


YES_NO = """
| list_name | name | label |
| yes_no    | yes  | Yes   |
| yes_no    | no   | No    |
"""


# -- the real forms ---------------------------------------------------------------------

UNSUPPORTED: dict[str, list[tuple[str, int, str, str]]] = {
    # file: [(sheet, row, cell, feature named in the message)]
    "tutorial.xls": [("survey", 2, "B2", "repeat groups ('begin repeat')")],
    "choice_filter_test.xlsx": [("survey", 3, "D3", "choice_filter (cascading selects)"),
                                ("survey", 4, "D4", "choice_filter (cascading selects)")],
    "table-list.xls": [("choices", 23, "D23", "media (column 'image') in list 'happy_sad'"),
                       ("choices", 24, "D24", "media (column 'image') in list 'happy_sad'")],
    "widgets.xls": [
        ("survey", 6, "A6", "question type 'time'"), ("survey", 9, "A9", "question type 'trigger'"),
        ("survey", 11, "A11", "question type 'geopoint'"),
        ("survey", 12, "A12", "question type 'barcode'"),
        ("survey", 13, "A13", "question type 'image'"),
        ("survey", 14, "A14", "question type 'audio'"),
        ("survey", 15, "A15", "question type 'video'"),
        ("survey", 17, "A17", "question type 'geopoint'"),
        ("survey", 18, "A18", "question type 'dateTime'"),
        ("choices", 20, "D20", "media (column 'image') in list 'a_b'"),
        ("choices", 21, "D21", "media (column 'image') in list 'a_b'"),
        ("choices", 23, "D23", "media (column 'image') in list 'happy_sad'"),
        ("choices", 24, "D24", "media (column 'image') in list 'happy_sad'")],
    "xlsform_spec_test.xlsx": [
        ("survey", 9, "S9", "media (column 'image')"),
        ("survey", 9, "T9", "media (column 'audio')"),
        ("survey", 9, "U9", "media (column 'image::english')"),
        ("survey", 9, "V9", "media (column 'media::audio::chinese')"),
        ("survey", 9, "W9", "media (column 'media::video')"),
        ("survey", 10, "S10", "media (column 'image')"),
        ("survey", 15, "A15", "repeat groups ('begin repeat')"),
        ("survey", 30, "A30", "question type 'acknowledge'"),
        ("survey", 32, "A32", "question type 'time'"),
        ("survey", 33, "A33", "question type 'datetime'"),
        ("survey", 34, "A34", "question type 'geopoint'"),
        ("survey", 35, "A35", "question type 'barcode'"),
        ("survey", 36, "A36", "question type 'image'"),
        ("survey", 37, "A37", "question type 'audio'"),
        ("survey", 38, "A38", "question type 'video'"),
        ("survey", 40, "A40", "calculate fields"),
        ("choices", 4, "D4", "media (column 'image') in list 'a_b'"),
        ("choices", 5, "D5", "media (column 'image') in list 'a_b'")],
    "UCL_Biomass_Plot_Form.xlsx": [
        *[("survey", r, f"A{r}", "selects from a file or external list ('select_one_from_file')")
          for r in (16, 17, 18, 20, 35, 57, 73, 81)],
        *[("survey", r, f"L{r}", "choice_filter (cascading selects)") for r in (17, 18, 20)],
        ("survey", 22, "A22", "question type 'geopoint'"),
        *[("survey", r, f"A{r}", "question type 'image'") for r in (23, 46, 65)],
        *[("survey", r, f"A{r}", "calculate fields") for r in (26, 27, 33, 39, 44)],
        *[("survey", r, f"A{r}", "repeat groups ('begin repeat')") for r in (32, 43, 56, 72, 80)],
        ("survey", 49, "G49", "a conditional 'required' (an expression)")],
}
IMPORTED = {"yes_or_no_question.xlsx", "specify_other.xlsx", "group.xlsx"}


def test_every_real_form_is_covered() -> None:
    on_disk = {p.name for p in REAL_FORMS.glob("*.xls*")}
    assert on_disk == IMPORTED | set(UNSUPPORTED)


@functools.lru_cache(maxsize=None)
def attempt(name: str) -> tuple[xi._Reader, InstrumentError]:
    """Read a real form that fails, once per test session (the spec form takes ~1 s)."""
    reader = xi._Reader(REAL_FORMS / name, None, "customer")  # what read_xlsform runs
    with pytest.raises(InstrumentError) as exc:
        reader.run()
    return reader, exc.value


def test_read_xlsform_raises_for_a_real_form() -> None:
    with pytest.raises(InstrumentError, match=r"sheet 'survey', row 2, column 2 \[member\]: "
                       r"error CX190: repeat groups \('begin repeat'\) are not supported"):
        read_xlsform(REAL_FORMS / "tutorial.xls")


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_real_form_fails_naming_sheet_row_and_feature(name: str) -> None:
    error = attempt(name)[1]
    expected = UNSUPPORTED[name]
    found = [(p.sheet, p.line, p.message) for p in error.problems]
    assert len(found) == len(expected)
    assert all(p.code == Code.XLSFORM_UNSUPPORTED for p in error.problems)
    assert all(p.severity == Severity.ERROR and p.fix for p in error.problems)
    for sheet, row, cell, feature in expected:
        assert any(s == sheet and r == row and m.startswith(feature) and f"(cell {cell})" in m
                   and "not supported" in m for s, r, m in found), (sheet, row, feature)
    text = str(error)
    count = f"{len(expected)} problem{'s' if len(expected) > 1 else ''}"
    assert text.startswith(f"{count} found in {REAL_FORMS / name}")
    for sheet, row, _, feature in expected:
        assert f"sheet '{sheet}', row {row}" in text and feature in text


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_real_form_comes_in_and_validates(name: str) -> None:
    from cxresearch.instrument.validate import validate_instrument

    inst = read_xlsform(REAL_FORMS / name)
    assert inst.kind == "survey" and inst.source == str(REAL_FORMS / name)
    assert inst.languages == ["en"] and inst.version == "1" and inst.purpose == {}
    errors = [p for p in validate_instrument(inst) if p.severity == Severity.ERROR]
    assert errors == []


def test_yes_or_no_question() -> None:
    inst = read_xlsform(REAL_FORMS / "yes_or_no_question.xlsx")
    assert inst.id == "yes-or-no-question" and inst.title == {"en": "yes-or-no-question"}
    assert [b.id for b in inst.blocks] == ["main"]
    q = inst.question("good_day")
    assert (q.type, q.choices, q.other) == ("single_choice", "yes_or_no", False)
    assert q.label == {"en": "have you had a good day today?"}
    assert inst.choice_lists["yes_or_no"].values() == ["yes", "no"]
    assert inst.choice_lists["yes_or_no"].choices[0].label == {"en": "yes"}


def test_specify_other() -> None:
    inst = read_xlsform(REAL_FORMS / "specify_other.xlsx")
    q = inst.question("sex")
    assert (q.type, q.choices, q.other) == ("single_choice", "sexes", True)
    assert inst.field_ids() == ["sex", "sex_other"]
    assert inst.choice_lists["sexes"].values() == ["male", "female"]


def test_group_form() -> None:
    inst, warnings = read_xlsform_with_warnings(REAL_FORMS / "group.xlsx")
    assert [(b.id, b.title, [q.id for q in b.questions]) for b in inst.blocks] == [
        ("section_1", {"en": "group"}, ["family_name"]),
        ("father", {"en": "Father"}, ["phone_number", "age"])]
    assert [q.type for q in inst.questions()] == ["text", "text", "number"]
    assert inst.question("age").decimals is False
    assert [(w.line, w.column) for w in warnings] == [(4, 1)]
    assert "'phone number' was read as a text question" in warnings[0].message


def test_old_xls_forms_give_numbers_as_written() -> None:
    reader = attempt("widgets.xls")[0]
    assert [c.value for c in reader.lists["list2"].choices] == [str(i) for i in range(1, 9)]
    my_select1 = next(q for b in reader.blocks for q in b.questions if q.id == "my_select1")
    assert (my_select1.type, my_select1.choices) == ("single_choice", "list2")
    string = next(q for b in reader.blocks for q in b.questions if q.id == "my_string")
    assert (string.type, string.hint) == ("text", {"en": "can be short or very long"})
    assert any(p.line == 8 and p.given == "8" and "default" in p.message
               for p in reader.problems)  # a float 8.0 in the .xls file


def test_real_form_details_behind_the_errors() -> None:
    """What the spec-test form would give: languages, old spellings, metadata."""
    reader = attempt("xlsform_spec_test.xlsx")[0]
    assert list(reader.langs) == ["en", "zh"]
    assert reader.metadata == ["start", "end", "today", "deviceid", "phonenumber"]
    everything = next(b for b in reader.blocks if b.id == "everything")
    assert everything.relevant == "not(selected(${skip_to_end}, 'yes'))"
    address = next(q for q in everything.questions if q.id == "address")
    assert address.label == {"en": "Enter an address", "zh": "您好"}
    number = next(q for q in everything.questions if q.id == "number_label")
    assert number.label["en"] == "1"  # a number cell, read as Excel shows it
    group_test = next(b for b in reader.blocks if b.id == "group_test")
    required = group_test.questions[0]
    assert required.required and required.required_message == {"en": "Custom required message."}


# -- languages ----------------------------------------------------------------------------

def test_language_names_map_to_codes(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type | name | label::Dutch (nl) | label::English | hint:Français | hint::Español |
        | text | q1   | Vraag             | Question       | Indice        | Pista         |
        """, settings="| default_language |\n| English |")
    inst = read_xlsform(path)
    assert inst.languages == ["en", "nl", "fr", "es"]
    assert inst.default_language == "en"
    q = inst.question("q1")
    assert q.label == {"nl": "Vraag", "en": "Question"}
    assert q.hint == {"fr": "Indice", "es": "Pista"}
    assert inst.title == dict.fromkeys(inst.languages, "form")


@pytest.mark.parametrize(("header", "code"), [
    ("Português (pt-BR)", "pt-BR"), ("pt_BR", "pt-BR"), ("Nederlands", "nl"), ("Français", "fr"),
    ("Spanish", "es"), ("Kiswahili", "sw"), ("chinese", "zh"), ("de", "de"), ("default", "en"),
])
def test_header_languages(tmp_path: Path, header: str, code: str) -> None:
    path = write_form(tmp_path, f"| type | name | label::{header} |\n| text | q1 | Q1 |")
    assert read_xlsform(path).question("q1").label == {code: "Q1"}


@pytest.mark.parametrize(("language", "settings", "expected"), [
    (None, None, "en"),
    ("nl", None, "nl"),
    ("Nederlands", "| default_language |\n| English (en) |", "nl"),
    (None, "| default_language |\n| Dutch (nl) |", "nl"),
])
def test_a_column_without_language(tmp_path: Path, language: str | None, settings: str | None,
                                   expected: str) -> None:
    path = write_form(tmp_path, "| type | name | label |\n| text | q1 | Q1 |", settings=settings)
    inst = read_xlsform(path, language=language)
    assert inst.languages == [expected]
    assert inst.question("q1").label == {expected: "Q1"}


def test_unknown_language_name_is_invalid(tmp_path: Path) -> None:
    path = write_form(tmp_path, "| type | name | label::Klingon |\n| text | q1 | nuqneH |")
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    (p,) = exc.value.problems
    assert (p.code, p.sheet, p.line, p.column) == (Code.XLSFORM_INVALID, "survey", 1, 3)
    assert "'Klingon'" in p.message and "(cell C1)" in p.message
    assert "label::Klingon (xx)" in (p.fix or "")


# -- structure ----------------------------------------------------------------------------

def test_groups_become_blocks_and_nested_groups_are_flattened(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type        | name  | label   | relevant      |
        | text        | a     | A       |               |
        | begin group | outer | Outer   | ${a} != ''    |
        | integer     | b     | B       |               |
        | begin_group | inner | Inner   | ${b} > 1      |
        | decimal     | c     | C       |               |
        | end_group   |       |         |               |
        | date        | d     | D       |               |
        | end group   |       |         |               |
        | note        | e     | E       |               |
        """)
    inst = read_xlsform(path)
    assert [(b.id, b.title, b.relevant, [q.id for q in b.questions]) for b in inst.blocks] == [
        ("section_1", {"en": "form"}, None, ["a"]),
        ("outer", {"en": "Outer"}, "${a} != ''", ["b"]),
        ("inner", {"en": "Inner"}, "(${a} != '') and (${b} > 1)", ["c"]),
        ("outer_2", {"en": "Outer"}, "${a} != ''", ["d"]),
        ("section_2", {"en": "form"}, None, ["e"])]
    assert [q.type for q in inst.questions()] == ["text", "number", "number", "date", "note"]
    assert inst.question("c").decimals is True
    assert inst.blocks[1].pos is not None and inst.blocks[1].pos.line == 3


def test_form_without_groups_is_one_block_main(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type | name | label | appearance | required | relevant | constraint |
        | text | why  | Why?  | multiline  | yes      |          | string-length(.) < 10 |
        | rank top | top | Top |          | TRUE     | ${why} != '' | |
        """, choices="| list_name | name | label |\n| top | x | X |\n| top | y | Y |")
    path = path.rename(tmp_path / "Klant Survey 2024.xlsx")
    inst = read_xlsform(path)
    assert inst.id == "klant-survey-2024" and [b.id for b in inst.blocks] == ["main"]
    why, top = inst.questions()
    assert (why.length, why.required, why.constraint) == ("long", True, "string-length(.) < 10")
    assert (top.type, top.required, top.relevant) == ("ranking", True, "${why} != ''")
    assert why.pos == Pos(2, 1) and why.position("constraint") == Pos(2, 7)


def test_settings_give_id_title_and_version(tmp_path: Path) -> None:
    path = write_form(tmp_path, "| type | name | label |\n| text | q1 | Q1 |", settings="""
        | form_title      | form_id     | version    | style |
        | Klanttevreden   | 2024 My Form! | 2024051301 | pages |
        """)
    inst, warnings = read_xlsform_with_warnings(path)
    assert (inst.id, inst.title, inst.version) == ("form-2024-my-form", {"en": "Klanttevreden"},
                                                   "2024051301")
    assert [(w.sheet, w.line, w.column) for w in warnings] == [("settings", 2, 4)]
    assert "setting 'style'" in warnings[0].message


def test_or_other(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type                                    | name | label |
        | select_one colours or_other             | c1   | C1    |
        | select one from colours or specify other | c2  | C2    |
        | select_multiple colours                 | c3   | C3    |
        """, choices="| list_name | name | label |\n| colours | red | Red |\n| colours | b | B |")
    inst = read_xlsform(path)
    assert [(q.type, q.choices, q.other) for q in inst.questions()] == [
        ("single_choice", "colours", True), ("single_choice", "colours", True),
        ("multiple_choice", "colours", False)]
    assert inst.field_ids() == ["c1", "c1_other", "c2", "c2_other", "c3"]


def test_rating_likert_and_matrix_detection(tmp_path: Path) -> None:
    choices = [["list_name", "name", "label::English (en)", "label::Dutch (nl)"]]
    choices += [["nps", str(v), "0 - Not at all likely" if v == 0 else "10 - Extremely likely"
                 if v == 10 else str(v), "0 - Zeer onwaarschijnlijk" if v == 0 else str(v)]
                for v in range(11)]
    choices += [["agree", str(v), f"A{v}", f"E{v}"] for v in range(1, 6)]
    choices += [["yes_no", "yes", "Yes", "Ja"], ["yes_no", "no", "No", "Nee"]]
    path = write_form(tmp_path, """
        | type             | name | label::English (en) | appearance | required |
        | select_one nps   | nps  | Recommend?          |            | yes      |
        | select_one agree | sat  | Satisfied?          | likert     |          |
        | select_one agree | sat2 | Satisfied?          |            |          |
        | begin group      | mx   | Statements          | table-list |          |
        | select_one agree | mx_a | A                   |            | yes      |
        | select_one agree | mx_b | B                   |            | yes      |
        | end group        |      |                     |            |          |
        | begin group      | yn   | Yes or no           | table-list |          |
        | select_one yes_no | yn_a | A                  |            |          |
        | select_one yes_no | yn_b | B                  |            |          |
        | end group        |      |                     |            |          |
        """, choices=choices)
    inst = read_xlsform(path)
    assert [b.id for b in inst.blocks] == ["section_1", "yn"]
    nps = inst.question("nps")
    assert (nps.type, nps.scale, nps.required) == ("rating", None, True)
    assert nps.anchors == {"low": {"en": "Not at all likely", "nl": "Zeer onwaarschijnlijk"},
                           "high": {"en": "Extremely likely"}}
    sat = inst.question("sat")
    assert sat.type == "likert" and sat.scale is not None
    assert (sat.scale.name, sat.scale.points, sat.scale.start) == ("agree", 5, 1)
    assert sat.scale.labels[0] == {"en": "A1", "nl": "E1"}
    assert inst.scales == {"agree": sat.scale}
    assert inst.question("sat2").type == "single_choice"
    mx = inst.question("mx")
    assert (mx.type, mx.label, mx.required, mx.scale) == ("likert_matrix", {"en": "Statements"},
                                                          True, sat.scale)
    assert [(i.id, i.label) for i in mx.items] == [("mx_a", {"en": "A"}), ("mx_b", {"en": "B"})]
    assert [q.type for q in inst.blocks[1].questions] == ["single_choice", "single_choice"]
    assert set(inst.choice_lists) == {"agree", "yes_no"}  # nps is a rating: no list needed


def test_metadata_and_randomize(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type                | name      | label | parameters             |
        | start               | start     |       |                        |
        | end                 | end       |       |                        |
        | today               | day       |       |                        |
        | deviceid            | deviceid  |       |                        |
        | select_multiple l   | q1        | Q1    | randomize=true seed=3  |
        | select_one l        | q2        | Q2    |                        |
        """, choices="| list_name | name | label |\n| l | a | A |\n| l | b | B |")
    inst, warnings = read_xlsform_with_warnings(path)
    assert inst.metadata == ["start", "end", "today", "deviceid"]
    assert [(q.id, q.randomize) for q in inst.questions()] == [("q1", True), ("q2", False)]
    assert {(w.line, w.column) for w in warnings} == {(4, 2), (6, 4)}
    messages = " | ".join(w.message for w in warnings)
    assert "metadata 'today' is named 'day'" in messages and "parameters 'seed=3'" in messages


def test_float_cells_become_whole_numbers(tmp_path: Path) -> None:
    path = write_form(tmp_path, [["type", "name", "label"],
                                 ["select_one 7", "q1", 12.0],
                                 ["integer", 2024.0, True]],
                      choices=[["list_name", "name", "label"], [7.0, 1.0, 1.5], [7.0, 2.0, 2.0]])
    inst = read_xlsform(path)
    assert inst.choice_lists["7"].values() == ["1", "2"]
    assert [c.label for c in inst.choice_lists["7"].choices] == [{"en": "1.5"}, {"en": "2"}]
    assert [(q.id, q.label) for q in inst.questions()] == [("q1", {"en": "12"}),
                                                          ("2024", {"en": "TRUE"})]


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    path = write_form(tmp_path, [["type", "name", "label"], ["text", "q1", "Q1"], [],
                                 [None, None, None], ["geopoint", "where", "Where?"]])
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    assert problems(exc) == {("survey", 5, "question type 'geopoint' is not supported (cell A5)")}


def test_warnings_for_what_is_dropped(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type      | name | label | default | read_only | notes | appearance |
        | integer   | n    | N     | 3       | yes       | mine  | thousands-sep |
        | note      | hi   | Hi    |         | no        |       |            |
        """, choices="| list_name | name | label |\n| unused | a | A |")
    inst, warnings = read_xlsform_with_warnings(path)
    assert [q.id for q in inst.questions()] == ["n", "hi"]
    assert all(w.severity == Severity.WARNING and w.file == str(path) for w in warnings)
    assert {(w.sheet, w.line, w.column) for w in warnings} == {
        ("survey", 1, 6), ("survey", 2, 4), ("survey", 2, 5), ("survey", 2, 7),
        ("choices", 2, None)}
    assert inst.choice_lists == {}


# -- errors -------------------------------------------------------------------------------

def test_every_unsupported_row_is_reported_at_once(tmp_path: Path) -> None:
    path = write_form(tmp_path, """
        | type         | name  | label | calculation | choice_filter | image   | required |
        | geopoint     | here  | Here  |             |               |         |          |
        | calculate    | two   |       | 1 + 1       |               |         |          |
        | begin repeat | kids  | Kids  |             |               |         |          |
        | select_one l | pick  | Pick  |             | cf = 1        |         |          |
        | end repeat   |       |       |             |               |         |          |
        | note         | photo | Photo |             |               | cat.jpg |          |
        | text         | why   | Why?  |             |               |         | ${a} = 1 |
        | range        | r     | R     |             |               |         |          |
        """, choices="| list_name | name | label | cf |\n| l | a | A | 1 |")
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    assert [(p.line, p.column, p.question_id) for p in exc.value.problems] == [
        (2, 1, "here"), (3, 1, "two"), (4, 1, "kids"), (5, 5, "pick"), (7, 6, "photo"),
        (8, 7, "why"), (9, 1, "r")]
    assert all(p.code == Code.XLSFORM_UNSUPPORTED and p.file == str(path)
               and p.sheet == "survey" for p in exc.value.problems)
    messages = [p.message for p in exc.value.problems]
    for feature in ("question type 'geopoint'", "calculate fields", "repeat groups",
                    "choice_filter", "media (column 'image')", "a conditional 'required'",
                    "question type 'range'"):
        assert any(m.startswith(feature) for m in messages), feature
    assert exc.value.codes == ["CX190"] * 7
    assert "select_one" in (exc.value.problems[0].allowed or "")


@pytest.mark.parametrize(("survey", "row", "message"), [
    ("| type | name | label |\n| begin group | g | G |\n| text | a | A |", 2,
     "the group 'g' is never closed (cell A2)"),
    ("| type | name | label |\n| text | a | A |\n| end group | | |", 3,
     "'end group' without a matching 'begin group' (cell A3)"),
    ("| type | name | label |\n| begin repeat | r | R |\n| end group | | |", 3,
     "'end group' closes the repeat 'r' begun in row 2 (cell A3)"),
    ("| type | name | label |\n| select_one nope | a | A |", 2,
     "'select_one nope' uses the choice list 'nope', which the choices sheet does not have"),
    ("| type | name | label |\n| intger | a | A |", 2, "unknown question type 'intger' (cell A2)"),
    ("| type | name | label |\n| rank | a | A |", 2, "'rank' needs the name of a choice list"),
    ("| type | name | label |\n| text | | A |", 2, "the question has no name"),
    ("| type | label |\n| text | A |", 1, "the survey sheet has no column 'name'"),
    ("| type | name | label |", 1, "the survey sheet has no rows below its header"),
])
def test_invalid_forms(tmp_path: Path, survey: str, row: int, message: str) -> None:
    path = write_form(tmp_path, survey, choices=YES_NO)
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    invalid = [p for p in exc.value.problems if p.code == Code.XLSFORM_INVALID]
    assert [(p.sheet, p.line) for p in invalid] == [("survey", row)]
    assert invalid[0].message.startswith(message) and invalid[0].fix


def test_unknown_list_names_the_lists_there_are(tmp_path: Path) -> None:
    path = write_form(tmp_path, "| type | name | label |\n| select_one yesno | a | A |",
                      choices=YES_NO)
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    (p,) = exc.value.problems
    assert (p.given, p.allowed, p.question_id, p.column) == ("yesno", "yes_no", "a", 1)


def _ole_encrypted() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode(
        "utf-16-le")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"type,name,label\ntext,q1,Q1\n", "the file is not an Excel workbook"),
    (b"PK\x03\x04 not really a zip", "the workbook is damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "the workbook is damaged"),
    (_ole_encrypted(), "the workbook is password-protected"),
])
def test_files_that_are_no_xlsform(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(path)
    (p,) = exc.value.problems
    assert (p.code, p.file) == (Code.XLSFORM_INVALID, str(path))
    assert p.message.startswith(message) and p.fix


def test_missing_file_and_missing_survey_sheet(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="cannot read the file"):
        read_xlsform(tmp_path / "nope.xlsx")
    book = openpyxl.Workbook()
    book.active.title = "Vragen"
    book.save(tmp_path / "sheets.xlsx")
    with pytest.raises(InstrumentError) as exc:
        read_xlsform(tmp_path / "sheets.xlsx")
    (p,) = exc.value.problems
    assert "no sheet named 'survey'" in p.message and p.given == "Vragen"


# -- the way back -------------------------------------------------------------------------

def test_exports_of_the_bundled_study_read_back(tmp_path: Path) -> None:
    """Blocks, ids, types, lists, scales, matrices and ``other`` survive export and import."""
    import cxresearch as cx
    from cxresearch.instrument.xlsform import write_xlsform

    def shape(inst: Instrument) -> list[Any]:
        return [(b.id, b.title, b.relevant, b.intro,
                 [(q.id, q.type, q.label, q.choices, q.other, q.randomize, q.relevant,
                   q.required, q.anchors, q.scale and (q.scale.points, q.scale.start,
                                                       q.scale.labels),
                   [(i.id, i.label) for i in q.items]) for q in b.questions])
                for b in inst.blocks]

    source = Path(__file__).resolve().parents[1] / "surveys" / "insurer-claims" / "instruments"
    for path in sorted(source.glob("*survey.yaml")):
        inst = cx.load_instrument(path)
        back = read_xlsform(write_xlsform(inst, tmp_path / f"{path.stem}.xlsx"),
                            audience=inst.audience)
        assert shape(back) == shape(inst)
        assert (back.languages, back.default_language, back.metadata, back.id) == (
            inst.languages, inst.default_language, inst.metadata, inst.id)
        assert {n: cl.choices for n, cl in back.choice_lists.items()} == {
            n: cl.choices for n, cl in inst.choice_lists.items()
            if any(q.choices == n for q in inst.questions())}
