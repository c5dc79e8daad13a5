"""Tests of the LimeSurvey TSV export (cxresearch.instrument.limesurvey)."""

from __future__ import annotations

import copy
import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch.errors import Code, InstrumentError
from cxresearch.instrument.limesurvey import (
    ATTRIBUTE_COLUMNS,
    BASE_COLUMNS,
    COLUMNS,
    OTHER_ANSWER_CODE,
    LimeSurveyCodes,
    limesurvey_codes,
    to_limesurvey,
    write_limesurvey,
)
from cxresearch.instrument.model import (
    Block, Choice, ChoiceList, InterviewGuide, MatrixItem, Question, Scale, Survey,
)

# Header row of a real LimeSurvey export (LimeSurvey 3.x, survey with en and nl), copied
# from the R package limonaid: inst/extdata/export-of-en-and-nl-survey-with-one-question-
# as-tsv.txt (https://gitlab.com/r-packages/limonaid). Only the column list is copied.
LIMESURVEY_EXPORT_HEADER = (
    "id related_id class type/scale name relevance text help language validation mandatory "
    "other default same_default allowed_filetypes alphasort answer_width answer_width_bycolumn "
    "array_filter array_filter_exclude array_filter_style assessment_value category_separator "
    "choice_input_columns choice_title code_filter commented_checkbox commented_checkbox_auto "
    "cssclass date_format date_max date_min display_columns display_rows display_type "
    "dropdown_dates dropdown_dates_minute_step dropdown_dates_month_style dropdown_prefix "
    "dropdown_prepostfix dropdown_separators dropdown_size dualscale_headerA dualscale_headerB "
    "em_validation_q em_validation_q_tip em_validation_sq em_validation_sq_tip equals_num_value "
    "equation exclude_all_others exclude_all_others_auto hidden hide_tip input_boxes input_size "
    "label_input_columns location_city location_country location_defaultcoordinates "
    "location_mapheight location_mapservice location_mapwidth location_mapzoom "
    "location_nodefaultfromip location_postal location_state max_answers max_filesize "
    "max_num_of_files max_num_value max_num_value_n max_subquestions maximum_chars min_answers "
    "min_num_of_files min_num_value min_num_value_n multiflexible_checkbox multiflexible_max "
    "multiflexible_min multiflexible_step num_value_int_only numbers_only "
    "other_comment_mandatory other_numbers_only other_replace_text page_break parent_order "
    "prefix printable_help public_statistics question_template random_group random_order "
    "rank_title repeat_headings reverse samechoiceheight samelistheight scale_export "
    "show_comment show_grand_total show_title show_totals showpopups slider_accuracy "
    "slider_custom_handle slider_default slider_default_set slider_handle slider_layout "
    "slider_max slider_middlestart slider_min slider_orientation slider_rating slider_reset "
    "slider_reversed slider_separator slider_showminmax statistics_graphtype "
    "statistics_showgraph statistics_showmap suffix text_input_columns text_input_width "
    "time_limit time_limit_action time_limit_countdown_message time_limit_disable_next "
    "time_limit_disable_prev time_limit_message time_limit_message_delay "
    "time_limit_message_style time_limit_timer_style time_limit_warning time_limit_warning_2 "
    "time_limit_warning_2_display_time time_limit_warning_2_message time_limit_warning_2_style "
    "time_limit_warning_display_time time_limit_warning_message time_limit_warning_style "
    "use_dropdown value_range_allows_missing"
).split()

QUESTION_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,19}")  # Question.php: ^[a-z,A-Z][[:alnum:]]*$, max 20
SUBQUESTION_CODE = re.compile(r"[A-Za-z0-9]{1,20}")
ANSWER_CODE = re.compile(r"[A-Za-z0-9]{1,5}")  # Answer.php: code length 1..5
RESERVED = {"lang", "sid", "savedid", "token", "qid", "gid", "sgq", "self", "that", "this"}


def T(en: str, nl: str | None = None) -> dict[str, str]:
    return {"en": en, "nl": nl if nl is not None else f"{en} (nl)"}


@pytest.fixture
def survey() -> Survey:
    channels = ChoiceList("channels", [
        Choice("phone", T("Phone", "Telefoon")),
        Choice("e-mail", T("Email", "E-mail")),
        Choice("chat_bot", T("<script>alert('x')</script> & more")),
    ])
    sat = Scale(5, [T(f"point {i}") for i in range(1, 6)], name="sat5")
    blocks = [
        Block("intro", T("Welcome", "Welkom"), intro=T("Line one\nline two"), questions=[
            Question("welcome", "note", T("Thanks for joining")),
            Question("channel", "single_choice", T("Which channel?", "Welk kanaal?"),
                     choices="channels", other=True, randomize=True, required=True,
                     hint=T("Pick one")),
            Question("channels_used", "multiple_choice", T("Which channels?"),
                     choices="channels", other=True, min_selected=1,
                     constraint="count-selected(.) <= 2"),
            Question("nps", "rating", T("Recommend?"), required=True,
                     anchors={"low": T("Not at all"), "high": T("Extremely")}),
        ]),
        Block("detail", T("Details"), relevant="${nps} <= 6", questions=[
            Question("overall", "likert", T("Overall?"), scale=sat),
            Question("sat_grid", "likert_matrix", T("Rate"), scale=sat, items=[
                MatrixItem("sat_speed", T("Speed")), MatrixItem("sat_staff", T("Staff"))]),
            Question("age", "number", T("Age?"), min_value=16, max_value=99,
                     unit=T("years", "jaar"), relevant="${channel} = 'e-mail'"),
            Question("spend", "number", T("Spend?"), decimals=True,
                     constraint=". > 0 and . != 13", constraint_message=T("Not 13", "Geen 13")),
            Question("why", "text", T("Why?"), length="long",
                     relevant="selected(${channels_used}, 'phone') and ${sat_speed} >= 4",
                     constraint="string-length(.) <= 500"),
            Question("postcode", "text", T("Postcode?"), constraint="regex(., '^[0-9]{4}/?$')"),
            Question("rank_it", "ranking", T("Rank"), choices="channels", randomize=True),
            Question("visit", "date", T("When?"), min_date="2024-01-01", max_date="2024-12-31"),
        ]),
    ]
    return Survey("cx", T("Survey", "Enquête"), "1.0", "customer", ["nl", "en"], blocks,
                  description=T("About"), choice_lists={"channels": channels},
                  scales={"sat5": sat})


def parse(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def rows_of(survey: Survey, cls: str, lang: str = "nl", **kw: object) -> list[dict[str, str]]:
    return [r for r in parse(to_limesurvey(survey, **kw))[1]  # type: ignore[arg-type]
            if r["class"] == cls and r["language"] == lang]


def question_row(survey: Survey, code: str, lang: str = "nl") -> dict[str, str]:
    return next(r for r in rows_of(survey, "Q", lang) if r["name"] == code)


def one_question(q: Question, *others: Question) -> Survey:
    lists = {"yn": ChoiceList("yn", [Choice("yes", T("Yes")), Choice("no way", T("No"))])}
    return Survey("s", T("S"), "1", "customer", ["en"],
                  [Block("b", T("B"), [*others, q])], choice_lists=lists)


# ------------------------------------------------------------------ structure


def test_header_matches_limesurvey(survey: Survey) -> None:
    header, _ = parse(to_limesurvey(survey))
    assert tuple(header) == COLUMNS
    assert BASE_COLUMNS == tuple(LIMESURVEY_EXPORT_HEADER[:14])
    # every attribute we write is a real LimeSurvey attribute (answer_order is LS 5+)
    assert set(ATTRIBUTE_COLUMNS) - {"answer_order"} <= set(LIMESURVEY_EXPORT_HEADER)
    assert list(ATTRIBUTE_COLUMNS) == sorted(ATTRIBUTE_COLUMNS)


def test_row_order_and_languages(survey: Survey) -> None:
    _, rows = parse(to_limesurvey(survey))
    classes = [r["class"] for r in rows]
    n_s, n_sl = classes.count("S"), classes.count("SL")
    assert classes[:n_s] == ["S"] * n_s
    assert classes[n_s:n_s + n_sl] == ["SL"] * n_sl
    settings_ = {r["name"]: r["text"] for r in rows if r["class"] == "S"}
    assert settings_["language"] == "nl" and settings_["additional_languages"] == "en"
    assert [r["language"] for r in rows[n_s:n_s + n_sl]] == ["nl"] * (n_sl // 2) + ["en"] * (n_sl // 2)
    body = rows[n_s + n_sl:]
    nl, en = [r for r in body if r["language"] == "nl"], [r for r in body if r["language"] == "en"]
    assert body == nl + en  # the whole base language first, then the translation
    # one row per language for every group, question, subquestion and answer
    assert [(r["class"], r["id"], r["name"]) for r in nl if r["class"] != "G"] == [
        (r["class"], r["id"], r["name"]) for r in en if r["class"] != "G"]
    assert [(r["id"], r["type/scale"]) for r in nl if r["class"] == "G"] == [("1", "1"), ("2", "2")]
    assert [r["name"] for r in nl if r["class"] == "G"] == ["Welkom", "Details (nl)"]
    assert [r["name"] for r in en if r["class"] == "G"] == ["Welcome", "Details"]
    assert question_row(survey, "channel", "en")["text"] == "Which channel?"
    assert question_row(survey, "channel", "nl")["text"] == "Welk kanaal?"
    # question and subquestion ids are unique and shared by the translations
    ids = [r["id"] for r in nl if r["class"] in ("Q", "SQ")]
    assert len(ids) == len(set(ids))
    # SQ and A rows follow their question; A ids are the question id
    current_q = None
    for r in nl:
        if r["class"] == "Q":
            current_q = r["id"]
        elif r["class"] == "A":
            assert r["id"] == current_q


def test_type_letters_flags_and_attributes(survey: Survey) -> None:
    q = {r["name"]: r for r in rows_of(survey, "Q")}
    assert {code: r["type/scale"] for code, r in q.items()} == {
        "welcome": "X", "channel": "L", "channelsUsed": "M", "nps": "L", "overall": "L",
        "satGrid": "F", "age": "N", "spend": "N", "why": "T", "postcode": "S",
        "rankIt": "R", "visit": "D"}
    assert q["channel"]["mandatory"] == "Y" and q["channel"]["other"] == "Y"
    assert q["age"]["mandatory"] == "N" and q["age"]["other"] == "N"
    assert q["channel"]["random_order"] == "1" and q["channel"]["answer_order"] == "random"
    assert q["rankIt"]["random_order"] == "1"
    assert q["channelsUsed"]["other"] == "Y"
    assert (q["channelsUsed"]["min_answers"], q["channelsUsed"]["max_answers"]) == ("1", "2")
    assert (q["age"]["min_num_value_n"], q["age"]["max_num_value_n"]) == ("16", "99")
    assert q["age"]["num_value_int_only"] == "1" and q["spend"]["num_value_int_only"] == ""
    assert q["why"]["maximum_chars"] == "500"
    assert (q["visit"]["date_min"], q["visit"]["date_max"]) == ("2024-01-01", "2024-12-31")
    assert q["channel"]["help"] == "Pick one (nl)"
    # language-independent attributes only on the base-language row, as LimeSurvey exports
    en = question_row(survey, "age", "en")
    assert en["min_num_value_n"] == "" and en["suffix"] == "years"
    assert q["age"]["suffix"] == "jaar"


def test_answers_subquestions_and_codes(survey: Survey) -> None:
    _, rows = parse(to_limesurvey(survey))
    nl = [r for r in rows if r["language"] == "nl" and r["class"] in ("Q", "SQ", "A")]
    by_q: dict[str, list[tuple[str, str]]] = {}
    for r in nl:
        if r["class"] == "Q":
            key = r["name"]
            by_q[key] = []
        else:
            by_q[key].append((r["class"], r["name"]))
    assert by_q["channel"] == [("A", "phone"), ("A", "A2"), ("A", "A3")]
    assert by_q["channelsUsed"] == [("SQ", "phone"), ("SQ", "eMail"), ("SQ", "chatBot")]
    assert by_q["nps"] == [("A", str(v)) for v in range(11)]
    assert by_q["overall"] == [("A", str(v)) for v in range(1, 6)]
    assert by_q["satGrid"] == [("SQ", "satSpeed"), ("SQ", "satStaff")] + [
        ("A", str(v)) for v in range(1, 6)]
    assert by_q["welcome"] == []
    for r in rows:
        if r["class"] == "Q":
            assert QUESTION_CODE.fullmatch(r["name"]) and r["name"].lower() not in RESERVED
        elif r["class"] == "SQ":
            assert SUBQUESTION_CODE.fullmatch(r["name"]) and r["name"] not in ("other", "time")
        elif r["class"] == "A":
            assert ANSWER_CODE.fullmatch(r["name"])
    nps = [r["text"] for r in nl if r["class"] == "A" and r["id"] == question_row(survey, "nps")["id"]]
    assert nps[0] == "0 – Not at all (nl)" and nps[5] == "5" and nps[10] == "10 – Extremely (nl)"


def test_user_text_is_escaped(survey: Survey) -> None:
    text = to_limesurvey(survey)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in text
    group = rows_of(survey, "G", "en")[0]
    assert group["text"] == "Line one<br />line two" and group["name"] == "Welcome"


def test_group_relevance_and_interviewer_notes(survey: Survey) -> None:
    assert [g["relevance"] for g in rows_of(survey, "G")] == ["1", "nps.NAOK <= 6"]
    guide = InterviewGuide("g", T("Guide"), "1", "customer", ["nl", "en"], [Block("b", T("B"), [
        Question("story", "text", T("Tell me"), hint=T("Open"),
                 interviewer_note=T("Let them talk", "Laat praten"), probes=[T("Why?"), T("When?")]),
    ])])
    assert question_row(guide, "story", "en")["help"] == (
        "Open<br />Interviewer: Let them talk<br />Probes:<br />- Why?<br />- When?")
    assert question_row(guide, "story", "nl")["help"].startswith("Open (nl)<br />Interviewer: Laat praten")
    survey_kind = one_question(Question("story", "text", T("Tell me"), interviewer_note=T("x")))
    assert question_row(survey_kind, "story", "en")["help"] == ""


# ------------------------------------------------------------------ logic


@pytest.mark.parametrize(("source", "expected"), [
    ("${nps} <= 6", "nps.NAOK <= 6"),
    ("${nps} > 6.5", "nps.NAOK > 6.5"),
    ("${choice} = 'yes'", "choice.NAOK == 'yes'"),
    ("'no way' != ${choice}", "'A2' != choice.NAOK"),  # value -> its answer code
    ("${choice} = 'other'", f"choice.NAOK == '{OTHER_ANSWER_CODE}'"),
    ("selected(${multi}, 'no way')", "(multi_noWay.NAOK == 'Y')"),
    ("selected(${multi}, 'other')", "!is_empty(multi_other.NAOK)"),
    ("selected(${choice}, 'yes')", "(choice.NAOK == 'yes')"),
    ("count-selected(${multi}) >= 2", "count(multi_yes.NAOK, multi_noWay.NAOK, multi_other.NAOK) >= 2"),
    ("${nps} >= 9 or (${nps} <= 6 and not(${choice} = 'yes'))",
     "nps.NAOK >= 9 or nps.NAOK <= 6 and !(choice.NAOK == 'yes')"),
    ("(${nps} + 1) * 2 div 3 > 1", "(nps.NAOK + 1) * 2 / 3 > 1"),
    ("${nps} mod 2 = 0", "(nps.NAOK - intval(nps.NAOK / 2) * 2) == 0"),
    ("-${nps} < -1", "-nps.NAOK < -1"),
    ("string-length(${name}) > 3", "strlen(name.NAOK) > 3"),
    ("regex(${name}, '^a/b')", r"regexMatch('/^a\/b/', name.NAOK)"),
    ("${name} = ''", "is_empty(name.NAOK)"),
    ("${name} != ''", "!is_empty(name.NAOK)"),
    ("${name} = \"it's\"", "name.NAOK == \"it's\""),
    # LimeSurvey's importer strips a pair of quotes around a whole cell: parenthesise
    ("\"it's\" = ${name} or ${name} = \"it's\"", "(\"it's\" == name.NAOK or name.NAOK == \"it's\")"),
    ("if(${nps} > 5, 'a', 'b') = 'a'", "if(nps.NAOK > 5, 'a', 'b') == 'a'"),
    ("coalesce(${name}, 'x') = concat('a', 'x')", "if(is_empty(name.NAOK), 'x', name.NAOK) == implode('', 'a', 'x')"),
    ("${row_a} >= 4 and true()", "grid_rowA.NAOK >= 4 and 1"),
    ("int(${nps}) = round(${nps}, 0)", "intval(nps.NAOK) == round(nps.NAOK, 0)"),
    # ExpressionScript sees dates as 'yyyy-mm-dd HH:MM:SS' (LimeSurvey manual, Date question)
    ("${visit} <= '2024-06-30'", "visit.NAOK <= '2024-06-30 00:00:00'"),
])
def test_relevance_translation(source: str, expected: str) -> None:
    sc = Scale(5, [T("low"), T("high")])
    s = one_question(
        Question("target", "note", T("?"), relevant=source),
        Question("nps", "rating", T("NPS")),
        Question("choice", "single_choice", T("C"), choices="yn", other=True),
        Question("multi", "multiple_choice", T("M"), choices="yn", other=True),
        Question("name", "text", T("N")),
        Question("grid", "likert_matrix", T("G"), scale=sc, items=[MatrixItem("row_a", T("A"))]),
        Question("visit", "date", T("D")),
    )
    assert question_row(s, "target", "en")["relevance"] == expected


def test_constraints() -> None:
    s = one_question(
        Question("spend", "number", T("?"), decimals=True, constraint=". > 0 and . != 13",
                 constraint_message=T("Not 13")),
        Question("age", "number", T("?"), min_value=0, constraint=". >= 18 and . < 121"),
        Question("code", "text", T("?"), constraint="regex(., '^[0-9]{4}$')"),
        Question("multi", "multiple_choice", T("?"), choices="yn", constraint="not(selected(., 'yes'))"),
        Question("when", "date", T("?"), min_date="2024-01-01",
                 constraint=". >= '2023-06-01' and . <= '2024-06-30'"),
    )
    when = question_row(s, "when", "en")
    assert (when["date_min"], when["date_max"], when["em_validation_q"]) == ("2024-01-01", "2024-06-30", "")
    age, code = question_row(s, "age", "en"), question_row(s, "code", "en")
    assert (age["min_num_value_n"], age["max_num_value_n"], age["em_validation_q"]) == ("18", "120", "")
    assert code["validation"] == "/^[0-9]{4}$/" and code["em_validation_q"] == ""
    spend = question_row(s, "spend", "en")
    assert spend["em_validation_q"] == "is_empty(spend.NAOK) or (spend.NAOK > 0 and spend.NAOK != 13)"
    assert spend["em_validation_q_tip"] == "Not 13"
    assert question_row(s, "multi", "en")["em_validation_q"] == (
        "count(multi_yes.NAOK, multi_noWay.NAOK) == 0 or (!((multi_yes.NAOK == 'Y')))")


def test_unsupported_logic_collects_every_problem() -> None:
    s = one_question(
        Question("visit", "date", T("?"), constraint=". <= today()"),
        Question("seen", "single_choice", T("?"), choices="yn", relevant="${seen} > 'no way'"),
        Question("after", "text", T("?"), relevant="contains(${after}, 'x') or ${ghost} = 1"),
    )
    with pytest.raises(InstrumentError) as info:
        to_limesurvey(s)
    problems = {p.question_id: p for p in info.value.problems}
    assert set(problems) == {"visit", "seen", "after"}
    assert problems["visit"].code == Code.EXPORT_UNSUPPORTED
    assert "today()" in problems["visit"].message and "constraint of 'visit'" in problems["visit"].message
    assert "ordered with >" in problems["seen"].message
    assert "contains()" in problems["after"].message
    text = str(info.value)
    assert "CX192" in text and "[visit]" in text and "fix:" in text


def test_unknown_question_and_syntax_errors() -> None:
    s = one_question(Question("a", "text", T("?"), relevant="${ghost} = 1"),
                     Question("b", "text", T("?"), relevant="${b} = = 1"))
    with pytest.raises(InstrumentError) as info:
        to_limesurvey(s)
    assert sorted(info.value.codes) == [Code.LOGIC_SYNTAX.value, Code.LOGIC_UNKNOWN_QUESTION.value]


def test_other_on_ranking_is_unsupported() -> None:
    s = one_question(Question("r", "ranking", T("?"), choices="yn", other=True))
    with pytest.raises(InstrumentError, match=r"CX192.*'other' on a ranking question"):
        to_limesurvey(s)


# ------------------------------------------------------------------ codes


def test_codes_are_stable_and_handle_collisions(survey: Survey) -> None:
    first, second = limesurvey_codes(survey), limesurvey_codes(copy.deepcopy(survey))
    assert isinstance(first, LimeSurveyCodes)
    assert dict(first.questions) == dict(second.questions)
    assert dict(first.answers) == dict(second.answers)
    assert to_limesurvey(survey) == to_limesurvey(copy.deepcopy(survey))
    s = one_question(Question("aB", "text", T("?")), Question("a_b", "text", T("?")),
                     Question("_1x", "text", T("?")), Question("this", "text", T("?")),
                     Question("q_very_long_identifier_name_here", "text", T("?")))
    codes = limesurvey_codes(s)
    assert dict(codes.questions) == {"a_b": "aB", "aB": "aB2", "_1x": "Q1x", "this": "this2",
                                     "q_very_long_identifier_name_here": "qVeryLongIdentifierN"}
    assert dict(codes.question_ids)["aB2"] == "aB"


def test_codes_lookups_both_ways(survey: Survey) -> None:
    codes = limesurvey_codes(survey)
    assert codes.answers[("channel", "e-mail")] == "A2"
    assert codes.answer_values[("channel", "A2")] == "e-mail"
    assert codes.subquestions[("channels_used", "chat_bot")] == "chatBot"
    assert codes.subquestion_values[("channels_used", "chatBot")] == "chat_bot"
    assert codes.items["sat_speed"] == ("satGrid", "satSpeed")
    assert codes.item_ids[("satGrid", "satSpeed")] == "sat_speed"
    assert codes.answers[("nps", "10")] == "10"
    with pytest.raises(TypeError):
        codes.questions["x"] = "y"  # type: ignore[index]


def test_answer_codes_avoid_clashes() -> None:
    lists = {"c": ChoiceList("c", [Choice("A2", T("x")), Choice("too long", T("y")),
                                   Choice("a2", T("z")), Choice("ok", T("w"))])}
    s = Survey("s", T("S"), "1", "customer", ["en"],
               [Block("b", T("B"), [Question("q", "single_choice", T("?"), choices="c")])],
               choice_lists=lists)
    assert [c for (_, _), c in limesurvey_codes(s).answers.items()] == ["A2", "A3", "A4", "ok"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True),
                min_size=1, max_size=8, unique=True))
def test_question_codes_always_valid_and_unique(ids: list[str]) -> None:
    s = Survey("s", T("S"), "1", "customer", ["en"],
               [Block("b", T("B"), [Question(i, "text", T("?")) for i in ids])])
    codes = list(limesurvey_codes(s).questions.values())
    assert all(QUESTION_CODE.fullmatch(c) and c.lower() not in RESERVED for c in codes)
    assert len({c.lower() for c in codes}) == len(codes)


# ------------------------------------------------------------------ parameters


def test_languages_parameter(survey: Survey) -> None:
    _, rows = parse(to_limesurvey(survey, languages=["en"]))
    assert {r["language"] for r in rows if r["class"] != "S"} == {"en"}
    assert {r["name"]: r["text"] for r in rows if r["class"] == "S"} == {
        "language": "en", "additional_languages": "", "format": "G"}
    _, rows = parse(to_limesurvey(survey, languages=["en", "nl"]))
    assert {r["name"]: r["text"] for r in rows if r["class"] == "S"}["language"] == "nl"
    with pytest.raises(InstrumentError, match=r"CX131.*given: de"):
        to_limesurvey(survey, languages=["de"])


def test_write_limesurvey(survey: Survey, tmp_path: object) -> None:
    path = write_limesurvey(survey, tmp_path / "cx.txt")  # type: ignore[operator]
    assert path.read_text(encoding="utf-8") == to_limesurvey(survey)
