"""The instrument designer's plain layer (cxresearch.instrument.edit): edits, checks, advice."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from conftest import EXAMPLE

import cxresearch as cx
from cxresearch._draft import ConflictError, DraftError, draft_path
from cxresearch.errors import Code, InstrumentError
from cxresearch.instrument import itembank
from cxresearch.instrument.edit import PLACEHOLDER_PURPOSE, Advice, InstrumentDraft
from cxresearch.instrument.model import Fielding

NL_EN = {"nl": "Hoe nam u contact met ons op?", "en": "How did you contact us?"}
CHANNELS = [("phone", {"nl": "Telefonisch", "en": "By phone"}),
            ("web", {"nl": "Via de website", "en": "On the website"})]


def purpose(draft: InstrumentDraft) -> None:
    draft.set_text(None, "purpose", "nl", "Om onze service te verbeteren; we bewaren de "
                   "antwoorden 12 maanden.")
    draft.set_text(None, "purpose", "en", "To improve our service; we keep the answers for "
                   "12 months.")


@pytest.fixture
def draft(tmp_path: Path) -> InstrumentDraft:
    """A small saved survey: a choice question with 'other', NPS and a matrix."""
    d = InstrumentDraft.new("service-check", path=tmp_path / "survey.yaml")
    purpose(d)
    d.add_block("b1", {"nl": "Uw contact", "en": "Your contact"})
    d.add_question("b1", "channel", "single_choice", NL_EN, choices=CHANNELS, required=True)
    d.set_field("channel", "other", True)
    d.add_from_bank("nps", "b1")
    d.add_question("b1", "exp", "likert_matrix", {"nl": "Stellingen", "en": "Statements"},
                   scale="agree5")
    d.set_field("exp", "items", [{"id": "exp_fast", "label": {"nl": "Snel.", "en": "Fast."}}])
    d.save()
    return d


def snapshot(d: InstrumentDraft) -> tuple[str, bool]:
    return d.to_yaml(), d.can_redo


# -- a new instrument ---------------------------------------------------------------------

def test_new_instrument_is_minimal_and_cannot_be_saved_without_questions(
        tmp_path: Path) -> None:
    d = InstrumentDraft.new("service-check", path=tmp_path / "s.yaml")
    assert d.data["version"] == "0.1" and d.data["languages"] == ["nl", "en"]
    assert d.data["purpose"] == PLACEHOLDER_PURPOSE and d.blocks() == []
    assert [(p.code, p.message) for p in d.problems()] == [
        (Code.MISSING_FIELD, "the instrument has no questions")]
    with pytest.raises(DraftError, match="not saved: 1 error.*has no questions"):
        d.save()
    assert not (tmp_path / "s.yaml").exists()
    assert [a.code for a in d.advice()] == ["placeholder_purpose"]
    d.add_block("b1", "Blok")  # a plain string fills the first language only
    assert d.data["blocks"][0]["title"] == {"nl": "Blok", "en": ""}
    d.set_text("b1", "title", "en", "Block")
    d.add_from_bank("csat", "b1")
    assert d.problems() == []  # the placeholder purpose validates; advice reminds
    assert d.save() == tmp_path / "s.yaml"
    assert (tmp_path / "s.yaml").read_text(encoding="utf-8").startswith(
        "# survey 'service-check', written by the cxresearch designer\n")


def test_new_refuses_bad_starts(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="cannot start instrument 'my survey'.*not valid"):
        InstrumentDraft.new("my survey")
    with pytest.raises(DraftError, match="'audience' has an unknown value.*customer, employee"):
        InstrumentDraft.new("s", "citizen")
    (tmp_path / "taken.yaml").write_text("id: x\n", encoding="utf-8")
    with pytest.raises(DraftError, match=r"already exists: open it with InstrumentDraft.open"):
        InstrumentDraft.new("s", path=tmp_path / "taken.yaml")


def test_three_question_survey_with_a_skip_rule_from_scratch(tmp_path: Path) -> None:
    pytest.importorskip("pyxform")
    from cxresearch.instrument.xlsform import check_xlsform

    d = InstrumentDraft.new("contact-check", title={"nl": "Uw contact", "en": "Your contact"})
    purpose(d)
    d.add_block("b1", {"nl": "Uw oordeel", "en": "Your opinion"})
    d.add_from_bank("nps", "b1")
    d.add_question("b1", "why", "text", {"nl": "Wat is de belangrijkste reden?",
                                         "en": "What is the main reason?"})
    d.add_question("b1", "channel", "single_choice", NL_EN, choices=CHANNELS, position=0)
    d.set_logic("why", d.condition("nps", "<=", 6))
    assert d.questions() == ["channel", "nps", "why"]
    (tmp_path / "instruments").mkdir()
    path = d.save(tmp_path / "instruments" / "contact.yaml")
    assert path.exists() and not draft_path(path).exists()
    survey = cx.load_instrument(path)
    assert survey.field_ids() == ["channel", "nps", "why"]
    assert survey.question("why").relevant == "${nps} <= 6"
    out = d.export("xlsform", tmp_path / "contact.xlsx")
    check_xlsform(out)  # real pyxform, on the file written
    import openpyxl

    rows = list(openpyxl.load_workbook(out)["survey"].iter_rows(values_only=True))
    header = rows[0]
    relevant = {r[header.index("name")]: r[header.index("relevant")] for r in rows[1:]}
    assert relevant["why"] == "${nps} <= 6"


def test_xlsform_export_runs_the_pyxform_check(draft: InstrumentDraft, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyxform")
    import cxresearch.instrument.xlsform as xlsform

    broken = {"survey": [{"type": "select_one nowhere", "name": "q", "label": "Q"}],
              "settings": [{"form_id": "broken"}]}
    monkeypatch.setattr(xlsform, "xlsform_sheets", lambda *a, **k: broken)
    with pytest.raises(DraftError, match="not exported to xlsform.*CX191.*pyxform rejects") \
            as info:
        draft.export("xlsform", tmp_path / "broken.xlsx")
    assert info.value.problems[0].code is Code.XLSFORM_INVALID
    assert not (tmp_path / "broken.xlsx").exists()


def test_other_exports_and_preview(draft: InstrumentDraft, tmp_path: Path) -> None:
    assert draft.export("limesurvey", tmp_path / "s.txt").read_text(encoding="utf-8")
    html = draft.export("html", tmp_path / "s.html", lang="en").read_text(encoding="utf-8")
    assert "How did you contact us?" in html
    preview = draft.preview_html("nl")
    assert preview.startswith("<!DOCTYPE html>") and "V1" in preview
    assert "Hoe nam u contact met ons op?" in preview
    draft.set_text("channel", "label", "en", "")  # unfinished: still previewed
    assert "Hoe nam u contact met ons op?" in draft.preview_html("en", standalone=False)
    with pytest.raises(DraftError, match="'fr' is not a language"):
        draft.preview_html("fr")
    with pytest.raises(DraftError, match="error.*fix first.*label of question 'channel'"):
        draft.export("html", tmp_path / "x.html")
    draft.undo()
    with pytest.raises(DraftError, match="unknown export format 'pdf'"):
        draft.export("pdf", tmp_path / "s.pdf")


# -- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("edit, message", [
    # an id used anywhere: question, matrix row, block, '<id>_other' field
    (lambda d: d.add_question("b1", "nps", "text", "x"), r"'nps'.*used twice"),
    (lambda d: d.add_question("b1", "exp_fast", "text", "x"), r"'exp_fast'.*used twice"),
    (lambda d: d.add_question("b1", "b1", "text", "x"), r"'b1'.*used twice"),
    (lambda d: d.add_question("b1", "channel_other", "text", "x"), "used twice"),
    (lambda d: d.add_block("nps", "x"), r"cannot add block 'nps'.*used twice"),
    (lambda d: d.add_from_bank("nps", "b1"),
     r"cannot add question 'nps'.*used twice; give every question, matrix row and block"),
    (lambda d: d.rename("channel", "nps"), r"cannot rename 'channel' to 'nps'.*used twice"),
    (lambda d: d.duplicate("nps", "exp"), "used twice"),
    # invalid ids
    (lambda d: d.add_question("b1", "sat-call", "text", "x"),
     r"question id 'sat-call' is not valid.*e\.g\. 'sat_call'"),
    (lambda d: d.add_question("b1", "1st", "text", "x"), "'1st' is not valid"),
    (lambda d: d.add_question("b1", "start", "text", "x"), "'start' is reserved for metadata"),
    (lambda d: d.set_field(None, "id", "my survey"), "the instrument id is not valid"),
    # types, scales and keys
    (lambda d: d.add_question("b1", "q", "likret", "x"),
     r"'type' has an unknown value; allowed: single_choice.*did you mean 'likert'\?"),
    (lambda d: d.add_question("b1", "q", "likert", "x",
                              scale={"labels": [{"nl": "Ja", "en": "Yes"}]}),
     "question 'q' has a 1-point scale; allowed: 2 to 11 points"),
    (lambda d: d.add_question("b1", "q", "likert", "x"), "question 'q' has no 'scale'"),
    (lambda d: d.set_field("nps", "scale", "agree5"), r"unknown field 'scale'"),
    (lambda d: d.set_field(None, "fielding", {"moment": "weekly"}),
     r"'moment' has an unknown value; allowed: post_contact, post_journey, periodic, once"),
    (lambda d: d.add_from_bank("nsp", "b1"), r"no item 'nsp'.*did you mean 'nps'\?"),
    (lambda d: d.add_from_bank("touchpoint_satisfaction", "b1", qid="sat_x"),
     r"item 'touchpoint_satisfaction' needs a subject.*subject="),
    (lambda d: d.add_question("nope", "q", "text", "x"), r"no block 'nope'.*known: b1"),
    # logic
    (lambda d: d.set_logic("channel", "${nps} <= 6"),
     r"'relevant' of 'channel' refers to 'nps', which comes later.*skip logic can only use"),
    (lambda d: d.set_logic("nps", "${nsp} <= 6"), r"refers to '\$\{nsp\}': no question"),
    (lambda d: d.set_logic("nps", "${nps} <= 6"), "refers to itself"),
    (lambda d: d.set_logic("nps", "${channel} = 'fax'"),
     r"compares 'channel' with 'fax', which it cannot have; allowed: phone, web, other"),
    (lambda d: d.set_logic("nps", "${channel} = 'phone' && ${channel} = 'web'"),
     r"the relevant of 'nps' is not valid logic: unexpected character '&' at column 22; "
     "write 'and'"),
    (lambda d: d.move("nps", -1), r"cannot move 'nps'.*refers to 'channel', which comes later"),
    (lambda d: d.delete("channel"),
     r"cannot delete 'channel'.*refers to '\$\{channel\}'.*change the logic or texts that "
     r"refer to it first"),
])
def test_bad_requests_are_refused_and_change_nothing(
        draft: InstrumentDraft, edit: Callable[[InstrumentDraft], Any], message: str) -> None:
    draft.set_logic("nps", "${channel} = 'phone'")
    before = snapshot(draft)
    undo_steps = len(draft._undo)
    with pytest.raises(DraftError, match=message) as info:
        edit(draft)
    assert "nothing was changed" in str(info.value) or info.value.problems == []
    assert snapshot(draft) == before and len(draft._undo) == undo_steps


def test_an_empty_label_is_kept_reported_and_blocks_saving(draft: InstrumentDraft) -> None:
    draft.add_question("b1", "why", "text", "")
    assert draft.question("why")["label"] == {"nl": "", "en": ""}
    [problem] = draft.problems_for("why")
    assert problem.code is Code.MISSING_TRANSLATION and problem.question_id == "why"
    assert problem.file == str(draft.path) and problem.line is not None
    assert draft.to_yaml().splitlines()[problem.line - 1].strip() == "label:"
    with pytest.raises(DraftError, match=r"not saved: 1 error.*\[why\].*no nl and en text") \
            as info:
        draft.save()
    assert info.value.where == "why"
    draft.set_text("why", "label", "nl", "Waarom?")
    draft.set_text("why", "label", "en", "Why?")
    draft.save()


def test_problems_are_those_of_the_file(draft: InstrumentDraft) -> None:
    draft.set_field("exp", "items", [{"id": "exp_fast", "label": {"nl": "Snel."}}])
    [problem] = draft.problems_for("exp")  # a matrix row's problem belongs to the matrix
    assert problem.question_id == "exp_fast" and problem.code is Code.MISSING_TRANSLATION
    assert problem.line is not None
    assert draft.problems_for("channel") == []


# -- undo, autosave, recovery, conflicts ------------------------------------------------------

def test_undo_brings_deleted_questions_and_blocks_back(draft: InstrumentDraft) -> None:
    draft.add_question("b1", "why", "text", {"nl": "Waarom?", "en": "Why?"})
    draft.set_logic("why", "${nps} <= 6")
    steps = len(draft._undo)
    draft.set_logic("nps", "")  # nothing to change: no undo step
    assert len(draft._undo) == steps
    draft.delete("why")
    assert draft.questions() == ["channel", "nps", "exp"]
    assert draft.undo() and draft.question("why")["relevant"] == "${nps} <= 6"
    draft.delete_block("b1")
    assert draft.blocks() == [] and draft.questions() == []
    assert draft.undo() and draft.questions() == ["channel", "nps", "exp", "why"]
    assert draft.redo() and draft.blocks() == []


def test_typing_a_label_is_one_undo_step(draft: InstrumentDraft) -> None:
    steps = len(draft._undo)
    for typed in ("W", "Wa", "Waa", "Waar"):
        with draft.grouped("label:channel:nl"):
            draft.set_text("channel", "label", "nl", typed)
    assert len(draft._undo) == steps + 1 and draft.question("channel")["label"]["nl"] == "Waar"
    assert draft.undo() and draft.question("channel")["label"] == NL_EN


def test_autosave_and_recovery_after_a_crash(draft: InstrumentDraft) -> None:
    path = draft.path
    assert path is not None
    draft.add_question("b1", "why", "text", {"nl": "Waarom?", "en": "Why?"})
    assert draft_path(path).exists()
    assert "why" not in path.read_text(encoding="utf-8")  # the file itself is untouched
    del draft  # the kernel dies here
    again = InstrumentDraft.open(path)
    assert again.recovered_draft == draft_path(path)
    assert "why" not in again.questions()
    again.restore_draft()
    assert again.questions()[-1] == "why" and again.problems() == []
    again.save()
    assert not draft_path(path).exists()
    assert InstrumentDraft.open(path).recovered_draft is None


def test_a_file_changed_on_disk_is_not_overwritten(draft: InstrumentDraft) -> None:
    path = draft.path
    assert path is not None
    draft.set_field(None, "version", "0.2")
    other = path.read_text(encoding="utf-8").replace("'0.1'", "'9.9'")
    path.write_text(other, encoding="utf-8")
    with pytest.raises(ConflictError, match="changed on disk since it was opened"):
        draft.save()
    assert path.read_text(encoding="utf-8") == other
    draft.save(force=True)
    assert cx.load_instrument(path).version == "0.2"


def test_values_are_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("""\
kind: survey
id: s
version: 1.10
title: {nl: S, en: S}
audience: customer
languages: [nl, en]
purpose: {nl: Verbeteren, en: Improving}
choice_lists:
  yes_no:
    - {value: yes, label: {nl: Ja, en: "Yes"}}
    - {value: no, label: {nl: Nee, en: "No"}}
blocks:
  - id: b1
    title: {nl: B, en: B}
    questions:
      - {id: ok, type: single_choice, choices: yes_no, required: yes,
         label: {nl: Goed, en: Fine}}
      - {id: days, type: number, min: 0, max: 2.5, decimals: true,
         label: {nl: Dagen, en: Days}}
""", encoding="utf-8")
    before = cx.load_instrument(path)
    d = InstrumentDraft.open(path)
    assert d.data["version"] == "1.10"
    assert d.data["choice_lists"]["yes_no"][1]["value"] == "no"
    assert d.question("days")["max"] == 2.5 and d.question("days")["min"] == 0
    d.save(tmp_path / "copy.yaml")
    after = cx.load_instrument(tmp_path / "copy.yaml")
    assert after.version == "1.10" and after.choice_lists == before.choice_lists
    assert after.blocks == before.blocks


def test_duplicate_keys_are_refused_when_opening(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("id: a\nid: b\n", encoding="utf-8")
    with pytest.raises(DraftError, match="(?s)CX114: key 'id' is given twice.*text editor"):
        InstrumentDraft.open(path)


def test_round_trip_of_a_bundled_instrument(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "instruments").mkdir(parents=True)
    shutil.copy(EXAMPLE / "journey.yaml", study / "journey.yaml")
    source = shutil.copy(EXAMPLE / "instruments" / "customer-survey.yaml",
                         study / "instruments")
    original = cx.load_instrument(source)
    d = InstrumentDraft.open(source)
    (tmp_path / "elsewhere").mkdir()
    out = d.save(tmp_path / "elsewhere" / "copy.yaml")
    assert d.data["journey"] == "../study/journey.yaml"  # still the same journey file
    back = cx.load_instrument(out)
    assert back.blocks == original.blocks and back.field_ids() == original.field_ids()
    assert back.choice_lists == original.choice_lists and back.scales == original.scales
    assert (back.purpose, back.title, back.metadata) == (original.purpose, original.title,
                                                         original.metadata)
    assert "#" not in out.read_text(encoding="utf-8").split("\n", 1)[1]  # comments are gone


# -- edits ------------------------------------------------------------------------------------

def test_queries(draft: InstrumentDraft) -> None:
    assert draft.blocks() == ["b1"]
    assert draft.questions() == draft.questions("b1") == ["channel", "nps", "exp"]
    assert draft.question("nps") == {"id": "nps", "use": "nps"}
    assert draft.block_of("exp") == "b1"
    draft.question("nps")["use"] = "csat"  # a copy: the document is not touched
    assert draft.question("nps")["use"] == "nps"
    with pytest.raises(DraftError, match=r"no question 'nsp'.*did you mean 'nps'\?"):
        draft.question("nsp")


def test_rename_follows_logic_texts_and_matrix_rows(draft: InstrumentDraft) -> None:
    draft.add_block("b2", {"nl": "Medewerkers", "en": "Staff"})
    draft.add_from_bank("enablement", "b2", qid="enable_call",
                        subject={"nl": "het gesprek", "en": "the call"})
    draft.add_question("b2", "missing", "text", {"nl": "Wat miste u? (${nps})",
                                                 "en": "What was missing? (${nps})"})
    draft.set_logic("missing", "${enable_call_tools} <= 2 and ${nps} <= 6")
    draft.rename("nps", "recommend")
    draft.rename("enable_call", "enable_phone")
    q = draft.question("missing")
    assert q["relevant"] == "${enable_phone_tools} <= 2 and ${recommend} <= 6"
    assert q["label"]["en"] == "What was missing? (${recommend})"
    assert draft.problems() == []
    draft.rename("b2", "b_staff")
    assert draft.blocks() == ["b1", "b_staff"]


def test_move_duplicate_and_move_block(draft: InstrumentDraft) -> None:
    assert draft.move("exp", -1) == 1 and draft.questions() == ["channel", "exp", "nps"]
    assert draft.move("exp", -99) == 0  # stops at the top
    steps = len(draft._undo)
    assert draft.move("exp", -1) == 0 and len(draft._undo) == steps  # no change, no step
    draft.duplicate("exp", "exp2")
    assert draft.questions() == ["exp", "exp2", "channel", "nps"]
    assert [r["id"] for r in draft.question("exp2")["items"]] == ["exp2_fast"]
    draft.add_block("b0", {"nl": "Intro", "en": "Intro"})
    draft.add_question("b0", "hello", "note", {"nl": "Welkom", "en": "Welcome"})
    assert draft.move_block("b0", -1) == 0 and draft.blocks() == ["b0", "b1"]


def test_set_text_keeps_the_bank_wording_in_other_languages(draft: InstrumentDraft) -> None:
    draft.set_text("nps", "label", "en", "Would you recommend us?")
    label = draft.question("nps")["label"]
    assert label["en"] == "Would you recommend us?"
    assert label["nl"].startswith("Hoe waarschijnlijk is het dat u ons aanraadt")
    with pytest.raises(DraftError, match="'de' is not a language of this instrument"):
        draft.set_text("nps", "label", "de", "Würden Sie uns empfehlen?")


def test_changing_the_type_drops_what_only_the_old_type_takes(draft: InstrumentDraft) -> None:
    draft.set_fields("channel", {"type": "likert", "scale": "satisfied5"})
    q = draft.question("channel")
    assert q["type"] == "likert" and "choices" not in q and "other" not in q
    assert q["required"] is True and draft.problems() == []
    assert draft.undo() and draft.question("channel")["choices"][0]["value"] == "phone"


def test_new_keys_are_written_before_the_nested_lists(draft: InstrumentDraft) -> None:
    draft.set_field(None, "id", "service-check-2")  # the instrument's own keys: qid None
    assert draft.data["id"] == "service-check-2" and draft.to_yaml().startswith(
        "# survey 'service-check-2'")
    draft.set_field(None, "fielding", {"moment": "post_contact"})
    draft.set_text("b1", "intro", "nl", "Over uw contact.")
    assert list(draft.data)[-2:] == ["fielding", "blocks"]
    assert list(draft.data["blocks"][0])[-2:] == ["intro", "questions"]


def test_journey_pickers_and_links(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "journey.yaml", tmp_path / "journey.yaml")
    d = InstrumentDraft.new("s", journey="journey.yaml", path=tmp_path / "s.yaml")
    journey = d.journey()
    assert journey is not None and journey.id == "insurer-claims"
    assert d.stages("en")[1] == ("call", "Call the insurer")
    assert d.touchpoints("call", "nl") == [("first_call", "Gesprek met schadebehandelaar")]
    assert len(d.touchpoints()) == len(journey.touchpoints())
    with pytest.raises(DraftError, match=r"no stage 'cal'.*did you mean 'call'\?"):
        d.touchpoints("cal")
    d.add_block("b_call", {"nl": "Het gesprek", "en": "The call"}, touchpoint="first_call")
    with pytest.raises(DraftError, match=r"cannot link block 'b_call'.*first_cal"):
        d.link("b_call", touchpoint="first_cal")
    with pytest.raises(DraftError, match="cannot link block 'b_call'"):
        d.link("b_call", stage="report", touchpoint="first_call")  # another stage's
    d.link("b_call", stage="call", touchpoint="first_call")
    assert d.data["blocks"][0]["stage"] == "call"
    assert InstrumentDraft.new("t").journey() is None and InstrumentDraft.new("t").stages() == []


@pytest.mark.parametrize("question, operator, value, expected", [
    ("nps", "<=", 6, "${nps} <= 6"),
    ("nps", ">=", "9", "${nps} >= 9"),
    ("channel", "selected", "phone", "selected(${channel}, 'phone')"),
    ("channel", "not selected", "other", "not(selected(${channel}, 'other'))"),
    ("channel", "==", "web", "${channel} = 'web'"),
    ("exp_fast", "<", 3, "${exp_fast} < 3"),
    ("channel_other", "!=", "", "${channel_other} != ''"),
    ("why", "=", "it's", "${why} = \"it's\""),
    ("days", ">", 2.5, "${days} > 2.5"),
    ("days", ">=", -1, "${days} >= -1"),
    ("when", "<", "2026-01-31", "${when} < date('2026-01-31')"),
])
def test_condition(draft: InstrumentDraft, question: str, operator: str, value: Any,
                   expected: str) -> None:
    draft.add_question("b1", "why", "text", {"nl": "Waarom?", "en": "Why?"})
    draft.add_question("b1", "days", "number", {"nl": "Dagen", "en": "Days"})
    draft.set_field("days", "decimals", True)
    draft.add_question("b1", "when", "date", {"nl": "Wanneer", "en": "When"})
    text = draft.condition(question, operator, value)
    assert text == expected
    draft.add_question("b1", "last", "text", {"nl": "Tot slot", "en": "Finally"})
    draft.set_logic("last", text)  # the condition is valid logic for a later question
    assert draft.problems() == []


@pytest.mark.parametrize("question, operator, value, message", [
    ("nps", "<=", 11, r"'nps' is a 0-10 rating from 0 to 10; got 11"),
    ("nps", "selected", 3, r"it can be tested with =, !=, <, <=, >, >=, not 'selected'"),
    ("channel", "selected", "fax", r"'channel' cannot have the value 'fax'.*phone, web, other"),
    ("channel", "<", "phone", r"'channel' is a single choice.*not '<'"),
    ("exp", "<=", 2, r"'exp' is a matrix.*test a row \(exp_fast\)"),
    ("exp_fast", "=", 6, r"from 1 to 5; got 6"),
    ("nsp", "=", 1, r"no answer 'nsp' to test; did you mean 'nps'\?"),
    ("nps", "~", 1, r"unknown operator '~'; allowed: =, !=, <, <=, >, >=, selected, not sel"),
    ("intro", "=", "x", "'intro' is a note, which has no answer"),
    ("why", "=", "it's \"so\"", "holds both ' and \""),
    ("days", ">", 400, r"'days' can never be 400 \(min 0, max 365\)"),
    ("days", ">", "many", r"'days' is a number; got 'many'"),
    ("when", "<", "31-01-2026", "give it as yyyy-mm-dd"),
])
def test_condition_refuses_values_the_answer_cannot_have(
        draft: InstrumentDraft, question: str, operator: str, value: Any,
        message: str) -> None:
    draft.add_question("b1", "intro", "note", {"nl": "Welkom", "en": "Welcome"})
    draft.add_question("b1", "why", "text", {"nl": "Waarom?", "en": "Why?"})
    draft.add_question("b1", "days", "number", {"nl": "Dagen", "en": "Days"})
    draft.set_fields("days", {"min": 0, "max": 365})
    draft.add_question("b1", "when", "date", {"nl": "Wanneer", "en": "When"})
    with pytest.raises(DraftError, match=message):
        draft.condition(question, operator, value)


# -- advice -----------------------------------------------------------------------------------

def advice_draft() -> InstrumentDraft:
    d = InstrumentDraft.new("advice")
    d.add_block("b1", {"nl": "Vragen", "en": "Questions"})
    d.add_question("b1", "speed_staff", "likert", {
        "nl": "Hoe tevreden bent u over de snelheid en de vriendelijkheid van onze medewerkers?",
        "en": "How satisfied are you with the speed and the friendliness of our staff?"},
        scale="satisfied5")
    d.add_question("b1", "agree_good", "likert", {
        "nl": "Bent u het ermee eens dat onze service uitstekend is?",
        "en": "Don't you agree that our service is excellent?"}, scale={"labels": [
            {"nl": "Oneens", "en": "Disagree"}, {"nl": "Beetje oneens", "en": "Slightly disagree"},
            {"nl": "Beetje eens", "en": "Slightly agree"}, {"nl": "Eens", "en": "Agree"}]})
    d.add_question("b1", "fine", "text", {
        "nl": "Wat kunnen we beter doen, en waarom?", "en": "What could we do better, and why?"})
    d.add_question("b1", "list", "single_choice", {
        "nl": "Wie raadt u ons aan: vrienden, familie en collega's?",
        "en": "Who do you recommend us to: friends, family and colleagues?"}, choices=CHANNELS)
    d.add_from_bank("ces", "b1")
    d.add_from_bank("enablement", "b1", subject={"nl": "het gesprek", "en": "the call"})
    d.set_field(None, "fielding", {"moment": "post_contact", "frequency": "every_contact"})
    return d


def test_advice_in_both_languages() -> None:
    d = advice_draft()
    en, nl = d.advice("en"), d.advice("nl")
    codes = [(a.code, a.question_id) for a in en]
    assert codes == [
        ("placeholder_purpose", None), ("too_many_questions", None), ("survey_fatigue", None),
        ("double_barrelled", "speed_staff"), ("leading", "agree_good"),
        ("no_neutral_point", "agree_good")]
    assert [(a.code, a.question_id) for a in nl] == codes
    by_code = {a.code: a for a in en}
    assert "'speed_staff' may ask two things at once ('speed and the friendliness')" in \
        by_code["double_barrelled"].message
    assert "('don't you agree')" in by_code["leading"].message
    assert "4-point agreement scale" in by_code["no_neutral_point"].message
    assert "agree5 or agree7" in by_code["no_neutral_point"].fix
    assert "asks 9 questions" in by_code["too_many_questions"].message  # matrix: per row
    assert "sample" in by_code["survey_fatigue"].fix
    nl_by_code = {a.code: a for a in nl}
    assert "('snelheid en de vriendelijkheid')" in nl_by_code["double_barrelled"].message
    assert "instemmingsschaal met 4 punten" in nl_by_code["no_neutral_point"].message
    assert "enquêtemoeheid" in nl_by_code["survey_fatigue"].message
    assert all(isinstance(a, Advice) and a.fix for a in en + nl)
    assert str(by_code["leading"]).startswith("[agree_good] 'agree_good' steers")
    with pytest.raises(DraftError, match="advice is written in nl and en"):
        d.advice("fr")


@pytest.mark.parametrize("lang, label", [
    ("nl", "Hoe goed was de hulp van onze medewerker?"),
    ("nl", "Vindt u ook niet dat het snel ging?"),
    ("nl", "Het ging snel, toch?"),
    ("en", "How good was the help you got?"),
    ("en", "Wouldn't you say the help was quick?"),
    ("en", "Did the staff help you and/or answer your question?"),
    ("nl", "Heeft u de brief ontvangen? Heeft u hem gelezen?"),
])
def test_advice_finds_wording_patterns(lang: str, label: str) -> None:
    d = InstrumentDraft.new("a", languages=(lang,))
    d.add_block("b1", "Q")
    d.add_question("b1", "q", "single_choice", label, choices=[("a", "A"), ("b", "B")])
    assert [a.code for a in d.advice(lang) if a.question_id == "q"] in (
        ["leading"], ["double_barrelled"])


def test_advice_spares_standard_wording_and_follow_ups() -> None:
    d = InstrumentDraft.new("a")
    d.add_block("b1", {"nl": "V", "en": "Q"})
    for item in ("nps", "csat", "overall_satisfaction"):
        d.add_from_bank(item, "b1")
    d.add_question("b1", "days", "number", {
        "nl": "Hoeveel dagen zaten er tussen uw melding en de uitbetaling?",
        "en": "How many days were there between your report and the payout?"})
    d.add_question("b1", "missed", "single_choice", {
        "nl": "Miste u iets? Zo ja, wat?", "en": "Did you miss anything? If so, what?"},
        choices=CHANNELS)
    d.set_field(None, "fielding", {"moment": "post_journey", "frequency": "sample"})
    assert [a.code for a in d.advice()] == ["placeholder_purpose"]


# -- the item bank's guidance and the fielding key --------------------------------------------

@pytest.mark.parametrize("name", itembank.item_names())
def test_every_item_has_guidance_in_both_languages(name: str) -> None:
    for lang in ("nl", "en"):
        text = itembank.item_guidance(name, lang)
        assert 1 <= text.count(". ") + 1 <= 3 and text.endswith(".")
        assert itembank.get_item(name).guidance[lang] == text
    with pytest.raises(KeyError, match="no guidance in 'fr'"):
        itembank.item_guidance(name, "fr")


def test_fielding_is_read_written_and_checked(write_yaml: Callable[..., Path]) -> None:
    blocks = "blocks: [{id: b1, title: {nl: B, en: B}, questions: [{use: csat}]}]\n"
    fielding = "fielding: {moment: post_contact, frequency: sample}\n"
    survey = cx.load_instrument(write_yaml(fielding + blocks))
    assert survey.fielding == Fielding("post_contact", "sample")
    text = cx.dump_instrument(survey)
    assert "fielding:\n  moment: post_contact\n  frequency: sample\n" in text
    assert cx.loads_instrument(text) == survey
    with pytest.raises(InstrumentError) as info:
        cx.load_instrument(write_yaml("fielding: {moment: daily, how_often: sample}\n" + blocks))
    assert sorted(info.value.codes) == ["CX112", "CX113"]
    assert "'moment' has an unknown value" in str(info.value)
    plain = cx.load_instrument(write_yaml(blocks))
    assert plain.fielding is None and "fielding" not in yaml.safe_load(cx.dump_instrument(plain))
