"""The notebook designers and helpers, driven without a browser: set values, click
buttons, check the draft, the messages and the files (cxresearch.widgets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

pytest.importorskip("ipywidgets")

import cxresearch as cx  # noqa: E402
from cxresearch._draft import DraftError  # noqa: E402
from cxresearch.data import Responses, read_responses  # noqa: E402
from cxresearch.journey import Journey  # noqa: E402
from cxresearch.widgets import CompareHelper, JourneyDesigner, SurveyDesigner  # noqa: E402
from cxresearch.widgets.compare import comparison_code, outcome_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INSURER = ROOT / "surveys" / "insurer-claims"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the insurer study's journey and instruments to edit."""
    (tmp_path / "instruments").mkdir()
    shutil.copy(INSURER / "journey.yaml", tmp_path / "journey.yaml")
    shutil.copy(INSURER / "instruments" / "customer-survey.yaml",
                tmp_path / "instruments" / "customer-survey.yaml")
    return tmp_path


def status(designer: object) -> str:
    return str(getattr(designer, "status").value)


def build_three_questions(d: SurveyDesigner) -> None:
    """A block linked to the first call, NPS from the item bank, a choice question and an
    open question shown to detractors only: what a consultant builds in the room."""
    d.new()
    d.add_mode.value = "block"
    d.block_id.value = "b_call"
    d.block_nl.value, d.block_en.value = "Het gesprek", "The call"
    d.block_stage.value = "call"
    d.block_touchpoint.value = "first_call"
    d.add_block_button.click()
    d.add_mode.value = "bank"
    d.item.value = "nps"
    d.add_item_button.click()
    d.add_mode.value = "scratch"
    d.new_id.value = "channel"
    d.new_type.value = "single_choice"
    d.new_nl.value, d.new_en.value = "Hoe nam u contact op?", "How did you get in touch?"
    d.new_choices.value = "phone = Telefoon / Phone\nweb = Website / Website"
    d.add_question_button.click()
    d.new_id.value = "improve"
    d.new_type.value = "text"
    d.new_nl.value, d.new_en.value = "Wat kunnen we beter doen?", "What could we do better?"
    d.add_question_button.click()
    d.select("improve")
    d.logic_q.value = "nps"
    d.logic_op.value = "<="
    d.logic_value.value = "6"
    d.build_button.click()
    assert d.logic.value == "${nps} <= 6"
    assert d.t["logic_ok"] in d.logic_check.value
    d.apply_button.click()


def test_survey_designer_builds_saves_and_exports(study: Path) -> None:
    path = study / "instruments" / "post-call.yaml"
    d = SurveyDesigner(path, lang="en", export_dir=study / "exports")
    assert d.draft is None and d.save_button.disabled
    build_three_questions(d)
    assert d.draft.questions() == ["nps", "channel", "improve"]
    assert "No errors" in d.summary.value
    assert "<iframe" in d.preview.value and "What could we do better?" in d.preview.value
    d.preview_lang.value = "nl"
    assert "Wat kunnen we beter doen?" in d.preview.value
    d.save_button.click()
    assert "Saved" in status(d) and not d.draft.dirty
    assert not (study / "instruments" / ".post-call.draft.yaml").exists()
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    block = saved["blocks"][0]
    assert (block["id"], block["touchpoint"]) == ("b_call", "first_call")
    assert [q["id"] for q in block["questions"]] == ["nps", "channel", "improve"]
    assert block["questions"][2]["relevant"] == "${nps} <= 6"
    inst = cx.load_instrument(path)  # the real loader accepts what the designer wrote
    assert inst.question("improve").relevant == "${nps} <= 6"
    d.export_buttons["xlsform"].click()
    assert "pyxform converted it" in d.export_result.value
    from pyxform.xls2xform import convert

    xlsx = study / "exports" / "post-call.xlsx"
    assert xlsx.exists() and convert(str(xlsx), validate=False).xform
    d.export_buttons["html"].click()
    assert (study / "exports" / "post-call.html").exists()


def test_undo_redo_and_list(study: Path) -> None:
    d = SurveyDesigner(study / "instruments" / "s.yaml")
    build_three_questions(d)
    d.select("channel")
    d.delete_button.click()
    assert d.draft.questions() == ["nps", "improve"]
    d.undo_button.click()
    assert d.draft.questions() == ["nps", "channel", "improve"]
    d.select("improve")
    d.up_button.click()
    assert d.draft.questions() == ["nps", "improve", "channel"]
    d.select("nps")
    d.duplicate_button.click()
    assert d.draft.questions()[:2] == ["nps", "nps_2"]
    assert [v for _, v in d.list.options] == d.draft.questions()


def test_changing_type_and_scale_of_a_question(study: Path) -> None:
    d = SurveyDesigner(study / "instruments" / "s.yaml")
    build_three_questions(d)
    d.select("improve")
    assert d.edit_type.value == "text" and not d.edit_type.disabled
    d.edit_type.value = "likert"
    d.edit_scale.value = "satisfied5"
    d.edit_required.value = True
    d.retype_button.click()
    q = d.draft.question("improve")
    assert (q["type"], q["scale"], q["required"]) == ("likert", "satisfied5", True)
    d.select("nps")
    assert d.edit_type.disabled  # an item-bank question keeps the bank's form
    d.undo_button.click()
    assert d.draft.question("improve")["type"] == "text"


def test_typing_a_label_checks_it_live_and_is_one_undo_step(study: Path) -> None:
    d = SurveyDesigner(study / "instruments" / "s.yaml", lang="nl")
    build_three_questions(d)
    d.select("channel")
    steps = len(d.draft._undo)
    d.edit_en.value = ""
    assert "CX130" in d.messages.value or "CX1" in d.messages.value  # empty label, said here
    assert "⚠" in dict((v, k) for k, v in d.list.options)["channel"]
    for text in ("H", "Ho", "How did you contact us?"):
        d.edit_en.value = text
    assert d.draft.question("channel")["label"]["en"] == "How did you contact us?"
    assert len(d.draft._undo) == steps + 1  # the typing in one field, emptying included
    assert d.messages.value == "" or "CX" not in d.messages.value


def test_bad_input_is_said_where_it_happened(study: Path) -> None:
    path = study / "instruments" / "s.yaml"
    d = SurveyDesigner(path, lang="en")
    build_three_questions(d)
    before = d.draft.to_yaml()
    # an id that exists: said as it is typed, and the click changes nothing
    d.add_mode.value = "scratch"
    d.new_id.value = "nps"
    assert "already used" in d.new_check.value
    d.new_nl.value = d.new_en.value = "x"
    d.add_question_button.click()
    assert "nps" in status(d) and d.draft.to_yaml() == before
    d.new_id.value = "2bad"
    assert "an id is a letter" in d.new_check.value
    # logic that does not parse: the column is given
    d.select("improve")
    d.logic.value = "${nps} <="
    assert "column" in d.logic_check.value
    # logic that points forward
    d.select("nps")
    d.logic.value = "${improve} = 'x'"
    d.apply_button.click()
    assert d.draft.question("nps").get("relevant") is None
    assert "improve" in status(d)
    # an empty label: the save is refused and nothing is written
    d.select("channel")
    d.edit_nl.value = ""
    d.save_button.click()
    assert "not saved" in status(d) and not path.exists()
    # a scale of 1 point
    d.edit_nl.value = "Hoe nam u contact op?"
    d.new_id.value = "one"
    d.new_type.value = "likert"
    d.new_scale.value = "agree5"
    d.new_nl.value = d.new_en.value = "One point"
    d.add_question_button.click()
    with pytest.raises(DraftError, match="1-point scale; allowed: 2 to 11 points"):
        d.draft.set_field("one", "scale", {"labels": [{"nl": "Ja", "en": "Yes"}]})
    assert d.draft.question("one")["scale"] == "agree5"  # the refused edit changed nothing
    assert not path.exists()


def test_closing_without_saving_offers_the_draft(study: Path) -> None:
    path = study / "instruments" / "s.yaml"
    d = SurveyDesigner(path)
    build_three_questions(d)
    d.save_button.click()
    d.select("channel")
    d.edit_en.value = "Changed, not saved"
    del d  # the kernel dies; the autosaved draft stays beside the file
    again = SurveyDesigner(path)
    assert again.recovery.layout.display == "" and "draft" in again.recovery_text.value
    assert again.draft.question("channel")["label"]["en"] == "How did you get in touch?"
    again.restore_button.click()
    assert again.draft.question("channel")["label"]["en"] == "Changed, not saved"
    again.save_button.click()
    assert "Changed, not saved" in path.read_text(encoding="utf-8")


def test_a_file_changed_on_disk_is_not_overwritten(study: Path) -> None:
    path = study / "instruments" / "customer-survey.yaml"
    d = SurveyDesigner(path)
    d.select("sat_call")
    d.edit_en.value = "Mine"
    other = path.read_text(encoding="utf-8") + "\n# someone else's change\n"
    path.write_text(other, encoding="utf-8")
    d.save_button.click()
    assert "changed on disk" in status(d)
    assert path.read_text(encoding="utf-8") == other
    assert d.overwrite_button.layout.display == ""
    d.overwrite_button.click()
    assert "Mine" in path.read_text(encoding="utf-8")


def test_item_bank_guidance_in_both_languages(study: Path) -> None:
    from cxresearch.instrument import itembank

    for lang in ("en", "nl"):
        d = SurveyDesigner(study / "instruments" / "s.yaml", lang=lang)
        d.new()
        d.item.value = "ces"
        assert itembank.item_guidance("ces", lang) in d.guidance.value.replace("&#x27;", "'")


def test_journey_designer_adds_a_touchpoint_and_redraws(study: Path) -> None:
    path = study / "journey.yaml"
    d = JourneyDesigner(path, lang="nl")
    first = d.map_png
    assert first[:4] == b"\x89PNG"
    d.stage.value = "call"
    d.tp_id.value = "callback"
    d.tp_nl.value, d.tp_en.value = "Terugbelverzoek", "Call-back request"
    d.tp_channel.value = "phone"
    d.tp_mot.value = True
    d.add_tp_button.click()
    assert "callback" in d.draft.touchpoints() and d.selected == "callback"
    assert d.map_png != first
    d.customer_fields["feels"].value = "Ongeduldig"
    d.team.value = "desk_north"
    d.save_button.click()  # the English text is missing: said, and nothing written
    assert "not saved" in status(d) and "no text in en" in status(d)
    assert "callback" not in path.read_text(encoding="utf-8")
    d.lane_lang.value = "en"
    d.customer_fields["feels"].value = "Impatient"
    d.save_button.click()
    assert "Opgeslagen" in status(d)
    journey = Journey.load(path)
    tp = journey.touchpoint("callback")
    assert tp.moment_of_truth and tp.channel == "phone" and tp.employee.team == "desk_north"
    assert tp.customer.feels == {"nl": "Ongeduldig", "en": "Impatient"}
    assert journey.stage_of("callback").id == "call"
    # a duplicate id is refused where it was typed
    d.tp_id.value = "callback"
    d.add_tp_button.click()
    assert "callback" in status(d) and d.draft.touchpoints().count("callback") == 1


def test_compare_helper_shows_the_verdict_and_the_code_that_made_it() -> None:
    from cxresearch import stats

    survey = cx.load_instrument(INSURER / "instruments" / "customer-survey.yaml")
    responses = Responses.concat([read_responses(INSURER / "data" / "raw" / name, survey)
                                  for name in ("customers-wave1.csv", "customers-wave2.csv")])
    h = CompareHelper(responses, journey=Journey.load(INSURER / "journey.yaml"), lang="nl")
    assert set(h.options) >= {"nps", "touchpoint_satisfaction"}
    h.metric.value = "touchpoint_satisfaction"
    h.touchpoint.value = "first_call"
    h.button.click()
    expected = stats.compare(responses, "sat_call", "wave", before="before", after="after")
    assert h.verdict.estimate == pytest.approx(expected.estimate)
    assert expected.verdict("nl")[:60] in h.result.value.replace("&lt;", "<")
    assert h.plot.value[:4] == b"\x89PNG"
    namespace = {"responses": responses}
    exec(h.code.replace("viz.forest_plot", "_ = viz.forest_plot"), namespace)  # it runs
    assert namespace["verdict"].estimate == pytest.approx(expected.estimate)
    # the same groups twice: said, not raised
    h.after.value = h.before.value
    h.button.click()
    assert "two different groups" in h.result.value
    assert outcome_of(responses, "nps") == "nps"
    assert "treated=('branch', 'b')" in comparison_code("nps", "wave", 1, 2,
                                                        treated=("branch", "b"))


def test_compare_helper_difference_in_differences() -> None:
    from cxresearch import stats

    root = ROOT / "surveys" / "webshop-delivery"
    survey = cx.load_instrument(root / "instruments" / "customer-survey.yaml")
    responses = read_responses(root / "data" / "raw" / "customers.xlsx", survey)
    h = CompareHelper(responses, lang="en")
    assert h.treated_box.layout.display == "none"
    h.metric.value = "nps"
    h.design.value = "did"
    assert h.treated_box.layout.display == ""
    h.treated.value = "installation_failed"
    h.treated_value.value = "yes"
    h.button.click()
    expected = stats.compare(responses, "nps", "wave", before="before", after="after",
                             treated=("installation_failed", "yes"))
    assert h.verdict.estimate == pytest.approx(expected.estimate)
    assert "parallel trends" in h.result.value
    assert "treated=('installation_failed', 'yes')" in h.code
    h.treated.value = "wave"
    h.button.click()
    assert "improved branch" in h.result.value
