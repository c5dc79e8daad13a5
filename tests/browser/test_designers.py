"""The designer notebooks in a real browser: JupyterLab and Voila in headless chromium.

A user builds a three-question survey with one skip rule by clicking and typing, saves it
and exports the XLSForm; another adds a touchpoint in the journey designer and sees the
map redrawn. The files on disk are then checked with the toolkit's own loaders and
pyxform. Screenshots are taken at 1280 x 800 (see conftest.py for where they go).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser_harness import Server, open_in_lab, wait_idle  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

SURVEY = "instruments/browser-survey.yaml"


def parameterised(workspace: Path, name: str, **parameters: Any) -> str:
    """A copy of notebooks/<name> with parameters set (as `cxresearch present` does it);
    its path relative to the workspace."""
    from cxresearch.widgets.present import parameterised_copy

    copy = parameterised_copy(workspace / "notebooks" / name, parameters)
    return f"notebooks/{copy.name}"


def until(check: Any, timeout: float = 30, what: str = "the page to update") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def field(page: Any, cls: str, tag: str = "input") -> Any:
    return page.locator(f".{cls} {tag}").first


def type_into(page: Any, cls: str, text: str, tag: str = "input") -> None:
    box = field(page, cls, tag)
    box.fill(text)
    box.press("Tab")


def choose(page: Any, cls: str, label: str) -> None:
    page.locator(f".{cls} select").first.select_option(label=label)


def click(page: Any, cls: str) -> None:
    page.locator(f"button.{cls}").first.click()


def toggle(page: Any, cls: str, label: str) -> None:
    page.locator(f".{cls} button", has_text=label).first.click()


def listed(page: Any, cls: str, text: str) -> Any:
    return page.locator(f".{cls} select option", has_text=text)


def build_survey(page: Any, stage_label: str, touchpoint_label: str) -> None:
    """Click and type a survey: a block on the first call, NPS from the item bank, a
    choice question, and an open question for detractors only."""
    page.locator("button.cx-sd-new").first.wait_for(state="visible", timeout=60_000)
    click(page, "cx-sd-new")
    page.locator(".cx-sd-status", has_text="New survey").wait_for()
    toggle(page, "cx-sd-add-mode", "New block")
    type_into(page, "cx-sd-block-id", "b_call")
    type_into(page, "cx-sd-block-nl", "Het gesprek")
    type_into(page, "cx-sd-block-en", "The call")
    choose(page, "cx-sd-block-stage", stage_label)
    page.locator(".cx-sd-block-touchpoint select option", has_text=touchpoint_label).first \
        .wait_for(state="attached")
    choose(page, "cx-sd-block-touchpoint", touchpoint_label)
    click(page, "cx-sd-add-block")
    page.locator(".cx-sd-block select option", has_text="b_call").first.wait_for(state="attached")
    toggle(page, "cx-sd-add-mode", "From the item bank")
    choose(page, "cx-sd-item", "nps: Net Promoter Score (NPS)")
    page.locator(".cx-sd-guidance div").first.wait_for()  # what the item measures
    click(page, "cx-sd-add-item")
    listed(page, "cx-sd-list", "nps").first.wait_for(state="attached")
    toggle(page, "cx-sd-add-mode", "From scratch")
    type_into(page, "cx-sd-new-id", "channel")
    choose(page, "cx-sd-type", "single_choice")
    type_into(page, "cx-sd-new-nl", "Hoe nam u contact op?")
    type_into(page, "cx-sd-new-en", "How did you get in touch?")
    type_into(page, "cx-sd-choices", "phone = Telefoon / Phone\nweb = Website / Website",
              tag="textarea")
    click(page, "cx-sd-add-question")
    listed(page, "cx-sd-list", "channel").first.wait_for(state="attached")
    type_into(page, "cx-sd-new-id", "improve")
    choose(page, "cx-sd-type", "text")
    type_into(page, "cx-sd-new-nl", "Wat kunnen we beter doen?")
    type_into(page, "cx-sd-new-en", "What could we do better?")
    click(page, "cx-sd-add-question")
    listed(page, "cx-sd-list", "improve").first.wait_for(state="attached")
    # the skip rule: pick the question, then build "${nps} <= 6" from three choices
    page.locator(".cx-sd-list select").first.select_option(index=2)
    page.locator(".cx-sd-logic-q select option", has_text="nps").first.wait_for(
        state="attached")
    choose(page, "cx-sd-logic-q", "nps")
    choose(page, "cx-sd-logic-op", "<=")
    type_into(page, "cx-sd-logic-value", "6")
    click(page, "cx-sd-logic-build")
    until(lambda: field(page, "cx-sd-logic").input_value() == "${nps} <= 6",
          what="the logic text")
    page.locator(".cx-sd-logic-check", has_text="valid logic").wait_for()
    click(page, "cx-sd-logic-apply")
    page.locator(".cx-sd-summary", has_text="No errors").wait_for()
    click(page, "cx-sd-save")
    page.locator(".cx-sd-status", has_text="Saved").wait_for()
    click(page, "cx-sd-export-xlsform")
    page.locator(".cx-sd-export-result", has_text="pyxform converted it").wait_for()


def check_survey(study: Path) -> None:
    import cxresearch as cx
    from pyxform.xls2xform import convert

    path = study / SURVEY
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = doc["blocks"][0]["questions"]
    assert doc["blocks"][0]["touchpoint"] == "first_call"
    assert [q["id"] for q in questions] == ["nps", "channel", "improve"]
    assert questions[2]["relevant"] == "${nps} <= 6"
    assert questions[1]["choices"][0] == {"value": "phone",
                                          "label": {"nl": "Telefoon", "en": "Phone"}}
    inst = cx.load_instrument(path)
    assert inst.question("improve").relevant == "${nps} <= 6"
    xlsx = study / "exports" / "browser-survey.xlsx"
    assert convert(str(xlsx), validate=False).xform
    assert not (study / "instruments" / ".browser-survey.draft.yaml").exists()


def labels(study: Path) -> tuple[str, str]:
    from cxresearch.journey import Journey

    journey = Journey.load(study / "journey.yaml")
    return (f"{journey.label('call', 'en')} (call)",
            f"{journey.label('first_call', 'en')} (first_call)")


@pytest.fixture
def fresh_study(workspace: Path) -> Path:
    study = workspace / "surveys" / "insurer-claims"
    for leftover in (study / SURVEY, study / "exports" / "browser-survey.xlsx"):
        leftover.unlink(missing_ok=True)
    return study


def test_survey_designer_in_jupyterlab(workspace: Path, lab: Server, browser: Any,
                                       fresh_study: Path, screenshot: Any) -> None:
    notebook = parameterised(workspace, "01_design_survey.ipynb", scripted=False,
                             scratch=False, survey_file=SURVEY,
                             study="../surveys/insurer-claims")
    page = open_in_lab(browser, lab, notebook)
    try:
        page.locator(".cx-survey-designer").first.scroll_into_view_if_needed()
        screenshot(page, "survey-designer-lab-open")
        build_survey(page, *labels(fresh_study))
        wait_idle(page)
        page.locator(".cx-sd-list").first.scroll_into_view_if_needed()
        screenshot(page, "survey-designer-lab-built")
        page.locator(".cx-sd-preview").first.scroll_into_view_if_needed()
        screenshot(page, "survey-designer-lab-preview")
    finally:
        page.close()
    check_survey(fresh_study)


def test_survey_designer_in_voila(workspace: Path, voila: Any, browser: Any,
                                  fresh_study: Path, screenshot: Any) -> None:
    notebook = parameterised(workspace, "01_design_survey.ipynb", scripted=False,
                             scratch=False, survey_file=SURVEY,
                             study="../surveys/insurer-claims")
    server = voila(notebook)
    page = browser.new_page()
    try:
        page.goto(server.url, timeout=90_000)
        page.locator(".cx-survey-designer").first.wait_for(timeout=90_000)
        assert "SurveyDesigner(" not in page.inner_text("body")  # outputs only, no code
        screenshot(page, "survey-designer-voila-open")
        build_survey(page, *labels(fresh_study))
        screenshot(page, "survey-designer-voila-built")
    finally:
        page.close()
    check_survey(fresh_study)


def test_journey_designer_redraws_the_map(workspace: Path, lab: Server, browser: Any,
                                          screenshot: Any) -> None:
    from cxresearch.journey import Journey

    study = workspace / "surveys" / "insurer-claims"
    notebook = parameterised(workspace, "01_design_journey.ipynb", scripted=False,
                             scratch=False, study="../surveys/insurer-claims")
    page = open_in_lab(browser, lab, notebook)
    try:
        image = page.locator("img.cx-jd-map").first
        image.wait_for(timeout=60_000)
        before = image.get_attribute("src")
        screenshot(page, "journey-designer-open")
        choose(page, "cx-jd-stage", f"{Journey.load(study / 'journey.yaml').label('call', 'en')} (call)")
        type_into(page, "cx-jd-tp-id", "callback")
        type_into(page, "cx-jd-tp-nl", "Terugbelverzoek")
        type_into(page, "cx-jd-tp-en", "Call-back request")
        choose(page, "cx-jd-tp-channel", "phone")
        page.locator(".cx-jd-tp-mot input").first.check()
        click(page, "cx-jd-add-touchpoint")
        listed(page, "cx-jd-list", "callback").first.wait_for(state="attached")
        until(lambda: image.get_attribute("src") != before, what="the map to be redrawn")
        click(page, "cx-jd-save")
        page.locator(".cx-jd-status", has_text="Saved").wait_for()
        wait_idle(page)
        page.locator(".cx-jd-map").first.scroll_into_view_if_needed()
        screenshot(page, "journey-designer-added")
    finally:
        page.close()
    journey = Journey.load(study / "journey.yaml")
    tp = journey.touchpoint("callback")
    assert tp.moment_of_truth and tp.channel == "phone"
    assert journey.stage_of("callback").id == "call"


def test_cxresearch_present_serves_the_designer_in_dutch(workspace: Path, browser: Any,
                                                         screenshot: Any) -> None:
    from browser_harness import BIN, Server, free_port, jupyter_env  # type: ignore[import-not-found]

    copies = set((workspace / "notebooks").glob("*.present.ipynb"))  # other tests' copies
    port = free_port()
    server = Server([str(BIN / "cxresearch"), "present", "notebooks/01_design_survey.ipynb",
                     "--lang", "nl", "-p", "scripted=False", "--no-browser", "--port",
                     str(port)],
                    cwd=workspace, env=jupyter_env(workspace),
                    url=f"http://127.0.0.1:{port}/", log=workspace / "present.log")
    page = browser.new_page()
    try:
        page.goto(server.url, timeout=90_000)
        page.locator(".cx-survey-designer", has_text="Vragenlijstontwerper").first.wait_for(
            timeout=90_000)
        body = page.inner_text("body")
        assert "SurveyDesigner(" not in body  # no code
        assert "Uit de itembank" in body and "Opslaan" in body
        assert "Opgeslagen" not in body  # scripted=False: nothing was clicked for the user
        screenshot(page, "present-nl")
    finally:
        page.close()
        server.stop()
    assert set((workspace / "notebooks").glob("*.present.ipynb")) == copies  # its copy is gone
