"""The printable questionnaire of the bundled example, as a client reads it."""

from __future__ import annotations

import cxresearch as cx
from conftest import EXAMPLE
from cxresearch.instrument.render import to_html, to_markdown


def test_skip_logic_is_printed_with_numbers_and_choice_labels() -> None:
    survey = cx.load_instrument(EXAMPLE / "instruments" / "customer-survey.yaml")
    nl = to_html(survey, "nl")
    en = to_html(survey, "en")
    # report_channel = 'phone' is printed with the label the respondent sees
    assert "Beantwoorden als V3 &#x27;Telefonisch&#x27; is" in nl
    assert "Answer if Q3 is &#x27;By phone&#x27;" in en
    assert "${" not in nl and "${" not in en


def test_blocks_show_journey_names_not_ids() -> None:
    survey = cx.load_instrument(EXAMPLE / "instruments" / "customer-survey.yaml")
    html = to_html(survey, "nl")
    assert "Fase in de klantreis: <span class=\"cxr-journey_stage\">Inbraak melden" in html
    assert "cxr-touchpoint\">discover<" not in html


def test_interview_guide_markdown_has_notes_and_probes() -> None:
    guide = cx.load_instrument(EXAMPLE / "instruments" / "interview-guide.yaml")
    md = to_markdown(guide, "nl")
    assert "> **Interviewer:**" in md
    assert md.count("\n- ") >= 10
