"""Tests of the printable renders (HTML, Markdown) and the interface words."""

from __future__ import annotations

import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch._i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    I18nError,
    t,
    ui_language,
    xlsform_language_label,
)
from cxresearch.errors import CxResearchError
from cxresearch.instrument.model import (
    Block,
    Choice,
    ChoiceList,
    InterviewGuide,
    MatrixItem,
    Question,
    Scale,
    Survey,
)
from cxresearch.instrument.render import to_html, to_markdown, write_html, write_markdown

LOGIC_MODULE = "cxresearch.instrument.logic"


def tx(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


AGREE = Scale(
    points=5,
    name="agree5",
    labels=[
        tx("Helemaal oneens", "Strongly disagree"),
        tx("Oneens", "Disagree"),
        tx("Neutraal", "Neutral"),
        tx("Eens", "Agree"),
        tx("Helemaal eens", "Strongly agree"),
    ],
)


def make_survey() -> Survey:
    """A survey with one question of every type, in Dutch and English."""
    channels = ChoiceList("channels", [
        Choice("web", tx("Website", "Website")),
        Choice("app", tx("App", "App")),
        Choice("shop", tx("Winkel", "Shop")),
    ])
    yes_no = ChoiceList("yes_no", [Choice("yes", tx("Ja", "Yes")), Choice("no", tx("Nee", "No"))])
    first = Block(
        id="purchase",
        title=tx("Uw aankoop", "Your purchase"),
        stage="buy",
        touchpoint="webshop",
        intro=tx("Eerst enkele vragen over uw aankoop.", "First some questions about your purchase."),
        questions=[
            Question("welcome", "note", tx("Welkom bij dit onderzoek.", "Welcome to this survey.")),
            Question("visited", "single_choice",
                     tx("Bezocht u onze winkel?", "Did you visit our shop?"),
                     choices="yes_no", required=True),
            Question("channel", "multiple_choice", tx("Welke kanalen gebruikte u?",
                                                      "Which channels did you use?"),
                     choices="channels", other=True, randomize=True, min_selected=1, max_selected=2),
            Question("rank_ch", "ranking", tx("Zet de kanalen in volgorde.", "Rank the channels."),
                     choices="channels"),
        ],
    )
    second = Block(
        id="experience",
        title=tx("Uw ervaring", "Your experience"),
        relevant="${visited} = 'yes'",
        questions=[
            Question("easy", "likert", tx("Het was makkelijk.", "It was easy."), scale=AGREE,
                     hint=tx("Eén antwoord.", "One answer.")),
            Question("staff", "likert_matrix", tx("Het personeel was ...", "The staff were ..."),
                     scale=AGREE, items=[
                         MatrixItem("staff_kind", tx("vriendelijk", "friendly")),
                         MatrixItem("staff_fast", tx("snel", "quick")),
                         MatrixItem("staff_expert", tx("deskundig", "knowledgeable")),
                     ]),
            Question("nps", "rating", tx("Hoe waarschijnlijk is het dat u ons aanbeveelt?",
                                         "How likely are you to recommend us?"),
                     required=True,
                     anchors={"low": tx("Zeer onwaarschijnlijk", "Not at all likely"),
                              "high": tx("Zeer waarschijnlijk", "Extremely likely")}),
            Question("spend", "number", tx("Hoeveel gaf u uit?", "How much did you spend?"),
                     min_value=0, max_value=1000.5, decimals=True, unit=tx("euro", "euros")),
            Question("name", "text", tx("Uw voornaam", "Your first name"), max_length=40),
            Question("why", "text", tx("Waarom dit cijfer?", "Why this score?"), length="long",
                     relevant="${nps} <= 6"),
            Question("when", "date", tx("Wanneer was uw bezoek?", "When was your visit?"),
                     min_date="2024-01-01", max_date="2024-12-31"),
        ],
    )
    return Survey(
        id="cx_shop",
        title=tx("Klantonderzoek winkel", "Shop customer survey"),
        version="1.2.0",
        audience="customer",
        languages=["nl", "en"],
        blocks=[first, second],
        purpose=tx("Onze dienstverlening verbeteren.", "Improving our service."),
        min_group_size=10,
        description=tx("Dank voor uw deelname.\n\nHet duurt 5 minuten.",
                       "Thank you for taking part.\n\nIt takes 5 minutes."),
        choice_lists={"channels": channels, "yes_no": yes_no},
    )


def make_guide() -> InterviewGuide:
    return InterviewGuide(
        id="onboarding_interviews",
        title=tx("Interviews onboarding", "Onboarding interviews"),
        version="0.3",
        audience="employee",
        languages=["en", "nl"],
        duration_minutes=45,
        purpose=tx("Inzicht in de eerste werkweken.", "Understanding the first weeks at work."),
        blocks=[Block("start", tx("Eerste dag", "First day"), stage="onboarding", questions=[
            Question("first_day", "text",
                     tx("Vertel over uw eerste dag.", "Tell me about your first day."),
                     length="long",
                     interviewer_note=tx("Laat de deelnemer vrij vertellen.",
                                         "Let the participant talk freely."),
                     probes=[tx("Wie ontving u?", "Who welcomed you?"),
                             tx("Wat viel op?", "What stood out?")]),
            Question("ready", "rating", tx("Hoe klaar voelde u zich?", "How ready did you feel?"),
                     anchors={"low": tx("Helemaal niet", "Not at all"),
                              "high": tx("Volledig", "Completely")}),
        ])],
    )


def fake_logic(words: Callable[[str, str], str] | None = None) -> types.ModuleType:
    """A stand-in for cxresearch.instrument.logic: '${a} <= 6' -> '<label a> is at most 6'."""
    module = types.ModuleType(LOGIC_MODULE)

    def parse(source: str) -> str:
        return source

    def describe(expr: str, lang: str, label: Callable[[str], str] | None = None) -> str:
        if words is not None:
            return words(expr, lang)
        text = re.sub(r"\$\{(\w+)\}", lambda m: label(m[1]) if label else m[1], expr)
        if lang == "nl":
            text = re.sub(r"(\S+) <= (\S+)", r"\1 hoogstens \2 is", text)
            return re.sub(r"(\S+) = '(\w+)'", r"\1 gelijk is aan \2", text)
        text = re.sub(r"(\S+) <= (\S+)", r"\1 is at most \2", text)
        return re.sub(r"(\S+) = '(\w+)'", r"\1 is \2", text)

    module.parse = parse  # type: ignore[attr-defined]
    module.describe = describe  # type: ignore[attr-defined]
    return module


@pytest.fixture
def survey() -> Survey:
    return make_survey()


@pytest.fixture
def guide() -> InterviewGuide:
    return make_guide()


@pytest.fixture
def logic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, LOGIC_MODULE, fake_logic())


def question_html(page: str, qid: str) -> str:
    """The part of a render that belongs to question ``qid``."""
    start = page.index(f'id="cxr-q-{qid}"')
    following = [m.start() for m in re.finditer(r'id="cxr-(?:q|block)-', page) if m.start() > start]
    return page[start: following[0] if following else len(page)]


class TagBalance(HTMLParser):
    """Checks that structural tags open and close in a well-nested way."""

    STRUCTURAL = {"html", "head", "body", "title", "style", "article", "header", "section",
                  "div", "p", "h1", "h2", "dl", "dt", "dd", "ul", "li", "table", "thead",
                  "tbody", "tr", "th", "td", "span", "strong", "code"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag in self.STRUCTURAL:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.STRUCTURAL:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def check_balance(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


# ----------------------------------------------------------------------------- HTML


@pytest.mark.usefixtures("logic")
class TestHtml:
    def test_standalone_document_is_well_formed(self, survey: Survey) -> None:
        page = to_html(survey, "en")
        assert page.startswith("<!DOCTYPE html>\n")
        assert '<html lang="en">' in page
        assert '<meta charset="utf-8">' in page
        assert "<title>Shop customer survey</title>" in page
        assert "@media print" in page and "page-break-inside:avoid" in page
        assert "http://" not in page and "https://" not in page  # no external assets
        seen = check_balance(page).seen
        assert seen[:3] == ["html", "head", "meta"]
        assert seen.count("html") == seen.count("body") == 1

    def test_fragment_for_notebooks(self, survey: Survey) -> None:
        fragment = to_html(survey, "nl", standalone=False)
        assert "<html" not in fragment and "<!DOCTYPE" not in fragment
        assert "<style>" in fragment
        css = fragment.split("<style>")[1].split("</style>")[0]
        selectors = [s.strip() for s in re.findall(r"(?:^|})([^{}@]+)\{", css)]
        assert selectors and all(s.startswith(".cxr-instrument") for s in selectors)
        check_balance(fragment)
        assert survey._repr_html_() == fragment

    @pytest.mark.parametrize(("lang", "words"), [
        ("en", ["Questionnaire", "Shop customer survey", "Version", "1.2.0", "Customers",
                "Purpose of processing", "Improving our service.",
                "Minimum group size in reports", "<dd>10</dd>", "Journey stage", "Touchpoint",
                "webshop", "First some questions", "<p>Thank you for taking part.</p>"]),
        ("nl", ["Vragenlijst", "Klantonderzoek winkel", "Versie", "Klanten",
                "Doel van de verwerking", "Minimale groepsgrootte in rapportages",
                "Fase in de klantreis", "Contactmoment", "<p>Het duurt 5 minuten.</p>"]),
    ])
    def test_header_and_block_headings(self, survey: Survey, lang: str, words: list[str]) -> None:
        page = to_html(survey, lang)
        for word in words:
            assert word in page

    def test_default_language_is_the_first_declared(self, survey: Survey) -> None:
        assert to_html(survey) == to_html(survey, "nl")

    @pytest.mark.parametrize(("lang", "prefix"), [("en", "Q"), ("nl", "V")])
    def test_questions_are_numbered_and_notes_are_not(self, survey: Survey, lang: str,
                                                      prefix: str) -> None:
        page = to_html(survey, lang)
        numbers = re.findall(r'<span class="cxr-qnum">(\w+)</span>', page)
        assert numbers == [f"{prefix}{i}" for i in range(1, 11)]
        assert 'class="cxr-qnum"' not in question_html(page, "welcome")

    def test_relevance_in_words_with_printed_numbers(self, survey: Survey) -> None:
        en, nl = to_html(survey, "en"), to_html(survey, "nl")
        assert "Answer if Q6 is at most 6" in question_html(en, "why")
        assert "Beantwoorden als V6 hoogstens 6 is" in question_html(nl, "why")
        assert "Answer this section if Q1 is yes" in en
        assert "Dit onderdeel beantwoorden als V1 gelijk is aan yes" in nl

    def test_matrix_rows_are_lettered_for_logic(self, survey: Survey) -> None:
        survey.blocks[1].questions[-1].relevant = "${staff_fast} <= 2"
        page = to_html(survey, "en")
        assert "Answer if Q5b is at most 2" in page
        assert '<span class="cxr-itemnum">b.</span>quick' in question_html(page, "staff")

    def test_required_and_hint(self, survey: Survey) -> None:
        page = to_html(survey, "en")
        assert "* required" in question_html(page, "visited")
        assert "required" not in question_html(page, "channel")
        assert '<p class="cxr-hint">One answer.</p>' in question_html(page, "easy")

    def test_choice_answer_areas(self, survey: Survey) -> None:
        page = to_html(survey, "en")
        single = question_html(page, "visited")
        assert "Select one" in single and single.count("○") == 2
        multi = question_html(page, "channel")
        assert "Select all that apply; Select 1 to 2" in multi
        assert "(order randomised)" in multi
        assert multi.count("☐") == 4  # three choices and "other"
        assert "Other, namely" in multi and 'class="cxr-line"' in multi
        ranking = question_html(page, "rank_ch")
        assert "Rank in order" in ranking and ranking.count('class="cxr-rankbox"') == 3

    def test_likert_has_one_column_per_scale_point(self, survey: Survey) -> None:
        part = question_html(to_html(survey, "en"), "easy")
        assert part.count('<th scope="col">') == 5
        assert '<th scope="col">Strongly disagree</th>' in part
        assert part.count("○") == 5

    def test_matrix_has_rows_for_items_and_columns_for_points(self, survey: Survey) -> None:
        part = question_html(to_html(survey, "nl"), "staff")
        assert part.count('<th scope="row">') == 3
        assert part.count('<th scope="col">') == 5
        assert part.count("○") == 15
        assert "deskundig" in part and "Helemaal eens" in part

    def test_rating_has_eleven_boxes_with_anchors(self, survey: Survey) -> None:
        part = question_html(to_html(survey, "en"), "nps")
        boxes = re.findall(r'<td class="cxr-rating-box"><span class="cxr-num">(\d+)</span>', part)
        assert boxes == [str(i) for i in range(11)]
        assert '<td colspan="4" class="cxr-anchor-low">Not at all likely</td>' in part
        assert '<td colspan="4" class="cxr-anchor-high">Extremely likely</td>' in part

    def test_number_date_and_text_areas(self, survey: Survey) -> None:
        en, nl = to_html(survey, "en"), to_html(survey, "nl")
        assert "euros" in question_html(en, "spend")
        assert "Between 0 and 1000.5; decimals allowed" in question_html(en, "spend")
        assert "Tussen 0 en 1000,5; decimalen toegestaan" in question_html(nl, "spend")
        assert question_html(en, "name").count('cxr-line cxr-full') == 1
        assert "At most 40 characters" in question_html(en, "name")
        assert question_html(en, "why").count('cxr-line cxr-full') == 5
        date = question_html(en, "when")
        assert "(dd - mm - yyyy)" in date and "Between 01-01-2024 and 31-12-2024" in date
        assert "(dd - mm - jjjj)" in question_html(nl, "when")

    def test_note_is_plain_text(self, survey: Survey) -> None:
        part = question_html(to_html(survey, "en"), "welcome")
        assert "Welcome to this survey." in part and "cxr-mark" not in part

    def test_interview_guide(self, guide: InterviewGuide) -> None:
        page = to_html(guide, "en")
        check_balance(page)
        assert "Interview guide" in page and "45 minutes" in page and "Employees" in page
        part = question_html(page, "first_day")
        assert "<strong>Interviewer:</strong> Let the participant talk freely." in part
        assert re.search(r"<strong>Probes</strong><ul>\s*<li>Who welcomed you\?</li>\s*"
                         r"<li>What stood out\?</li>\s*</ul>", part)
        assert "cxr-line" not in part  # no writing lines on a guide
        nl = to_html(guide, "nl")
        assert "Interviewleidraad" in nl and "45 minuten" in nl and "Doorvragen" in nl

    def test_unknown_language_names_the_allowed_ones(self, survey: Survey) -> None:
        with pytest.raises(ValueError, match=r"lang='fr' .* allowed: nl, en"):
            to_html(survey, "fr")
        with pytest.raises(CxResearchError, match="allowed: nl, en"):
            to_markdown(survey, "de")

    def test_missing_translation_falls_back_and_is_marked(self, survey: Survey) -> None:
        del survey.blocks[1].questions[0].label["en"]
        survey.purpose = {"nl": "Alleen Nederlands."}
        page = to_html(survey, "en")
        assert ('<span class="untranslated" lang="nl" title="not translated (en)">'
                "Het was makkelijk.</span>") in question_html(page, "easy")
        assert '<span class="untranslated" lang="nl"' in page.split("Alleen Nederlands.")[0][-200:]
        check_balance(page)

    def test_text_in_no_language_at_all_does_not_crash(self, survey: Survey) -> None:
        survey.blocks[0].questions[1].label = {}
        survey.choice_lists["yes_no"].choices[0].label = {"en": ""}
        part = question_html(to_html(survey, "nl"), "visited")
        assert '<span class="cxr-label">visited</span>' in part
        assert "<span>yes</span>" in part

    def test_language_outside_the_interface_words_uses_english_words(self, survey: Survey) -> None:
        survey.languages.append("de")
        page = to_html(survey, "de")
        assert '<html lang="de">' in page and "Questionnaire" in page
        assert page.count('class="untranslated" lang="nl"') > 20


class TestLogicFallback:
    def test_missing_logic_module_prints_the_source(self, survey: Survey,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, LOGIC_MODULE, None)  # import raises ImportError
        page = to_html(survey, "en")
        assert 'Answer if <code class="cxr-logic-raw">${nps} &lt;= 6</code>' in page
        assert "*Answer if $\\{nps\\} \\<= 6*" not in to_markdown(survey, "en")
        assert "*Answer if ${nps} \\<= 6*" in to_markdown(survey, "en")

    def test_failing_describe_prints_the_source(self, survey: Survey,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(expr: str, lang: str) -> str:
            raise RuntimeError("boom")

        monkeypatch.setitem(sys.modules, LOGIC_MODULE, fake_logic(broken))
        assert "${visited} = &#x27;yes&#x27;" in to_html(survey, "nl")


# -------------------------------------------------------------------------- escaping

EVIL = "<script>alert(1)</script> & *x* _y_ [z](u) `c` # h"


def make_evil() -> Survey:
    survey = make_survey()
    evil = {"nl": EVIL, "en": EVIL}
    survey.title = survey.purpose = survey.description = dict(evil)
    survey.version = survey.audience = EVIL
    for block in survey.blocks:
        block.title, block.intro = dict(evil), dict(evil)
        block.stage = block.touchpoint = EVIL
        for q in block.questions:
            q.label = q.hint = q.unit = q.interviewer_note = dict(evil)
            q.probes = [dict(evil)]
            q.anchors = {"low": dict(evil), "high": dict(evil)}
            for item in q.items:
                item.label = dict(evil)
    for clist in survey.choice_lists.values():
        for choice in clist.choices:
            choice.label = dict(evil)
            choice.value = EVIL
    survey.blocks[0].questions[0].relevant = "${visited} = '<script>'"
    for label in AGREE.labels:
        label["en"] = EVIL
    return survey


@pytest.mark.parametrize("standalone", [True, False])
def test_user_text_is_escaped_in_html(standalone: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, LOGIC_MODULE, None)
    page = to_html(make_evil(), "en", standalone=standalone)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *x*" in page
    check_balance(page)


def test_user_text_is_escaped_in_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, LOGIC_MODULE, None)
    text = to_markdown(make_evil(), "en")
    assert not re.search(r"(?<!\\)<", text)  # every "<" is escaped
    assert r"\<script\>alert(1)\</script\> & \*x\* \_y\_ \[z\](u) \`c\` # h" in text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
               min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_label_comes_back_unchanged_from_the_html(label: str) -> None:
    survey = make_survey()
    survey.blocks[0].questions[1].label = {"nl": label, "en": label}

    class Label(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.text = False, ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.inside = ("class", "cxr-label") in attrs and not self.text

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.text += data

        def handle_endtag(self, tag: str) -> None:
            self.inside = False

    parser = Label()
    parser.feed(to_html(survey, "en", standalone=False))
    assert parser.text == label.strip()


# -------------------------------------------------------------------------- Markdown


@pytest.mark.usefixtures("logic")
class TestMarkdown:
    def test_survey(self, survey: Survey) -> None:
        text = to_markdown(survey, "en")
        assert text.startswith("# Shop customer survey\n\n*Questionnaire*\n")
        assert "- **Purpose of processing:** Improving our service." in text
        assert "- **Minimum group size in reports:** 10" in text
        assert "## Your purchase\n\n**Journey stage:** buy · **Touchpoint:** webshop" in text
        assert "*Answer this section if Q1 is yes*" in text
        assert "**Q1.** Did you visit our shop? *(required)*" in text
        assert "Select all that apply; Select 1 to 2 (order randomised):" in text
        assert "- ☐ Website\n" in text and "- ☐ Other, namely ____" in text
        assert "*One answer.*" in text
        assert "| b. quick | ○ | ○ | ○ | ○ | ○ |" in text
        assert "☐ 0  ☐ 1" in text and "☐ 10" in text
        assert "0 = Not at all likely; 10 = Extremely likely" in text
        assert "*Answer if Q6 is at most 6*" in text
        assert "(dd - mm - yyyy; Between 01-01-2024 and 31-12-2024)" in text
        assert re.findall(r"^\*\*Q(\d+)\.\*\*", text, flags=re.M) == [str(i) for i in range(1, 11)]

    def test_dutch(self, survey: Survey) -> None:
        text = to_markdown(survey, "nl")
        assert "*Vragenlijst*" in text and "**V9.** Waarom dit cijfer?" in text
        assert "*Beantwoorden als V6 hoogstens 6 is*" in text
        assert "Kies alle antwoorden die van toepassing zijn" in text
        assert "Anders, namelijk" in text

    def test_interview_guide(self, guide: InterviewGuide) -> None:
        text = to_markdown(guide, "en")
        assert "*Interview guide*" in text and "- **Duration:** 45 minutes" in text
        assert "> **Interviewer:** Let the participant talk freely." in text
        assert "**Probes**\n\n- Who welcomed you?\n- What stood out?" in text
        assert "Answer:" not in text.split("**Q2.**")[0]  # no answer line for open questions
        nl = to_markdown(guide, "nl")
        assert "> **Interviewer:** Laat de deelnemer vrij vertellen." in nl
        assert "**Doorvragen**" in nl

    def test_markup_in_user_text_stays_literal(self, survey: Survey) -> None:
        survey.blocks[0].questions[1].label["en"] = "A *sale* or <b>bold</b>?"
        survey.description = {"nl": "x", "en": "# Not a heading\n> nor a quote"}
        text = to_markdown(survey, "en")
        assert r"**Q1.** A \*sale\* or \<b\>bold\</b\>? *(required)*" in text
        assert "\\# Not a heading\n\\> nor a quote" in text

    def test_fallback_is_marked(self, survey: Survey) -> None:
        del survey.blocks[0].title["en"]
        assert "## Uw aankoop *(not translated: nl)*" in to_markdown(survey, "en")


# ----------------------------------------------------------------------------- files


def test_write_html_and_markdown(survey: Survey, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, LOGIC_MODULE, fake_logic())
    target = tmp_path / "out" / "survey.html"
    assert write_html(survey, target, "en") == target
    assert target.read_text(encoding="utf-8") == to_html(survey, "en")
    md = write_markdown(survey, tmp_path / "survey.md", lang="nl")
    assert md.read_text(encoding="utf-8") == to_markdown(survey, "nl")
    assert sorted(p.name for p in md.parent.iterdir()) == ["out", "survey.md"]  # no temp files


# ---------------------------------------------------------------------- interface words


class TestInterfaceWords:
    @pytest.mark.parametrize(("key", "en", "nl"), [
        ("questionnaire", "Questionnaire", "Vragenlijst"),
        ("interview_guide", "Interview guide", "Interviewleidraad"),
        ("purpose", "Purpose of processing", "Doel van de verwerking"),
        ("answer_if", "Answer if", "Beantwoorden als"),
        ("required", "required", "verplicht"),
        ("select_one", "Select one", "Kies één antwoord"),
        ("select_all", "Select all that apply", "Kies alle antwoorden die van toepassing zijn"),
        ("rank", "Rank in order", "Zet in volgorde"),
        ("other_namely", "Other, namely", "Anders, namelijk"),
        ("interviewer", "Interviewer", "Interviewer"),
        ("probes", "Probes", "Doorvragen"),
        ("journey_stage", "Journey stage", "Fase in de klantreis"),
        ("touchpoint", "Touchpoint", "Contactmoment"),
        ("version", "Version", "Versie"),
        ("min_group_size", "Minimum group size in reports", "Minimale groepsgrootte in rapportages"),
        ("not_at_all_likely", "Not at all likely", "Zeer onwaarschijnlijk"),
        ("extremely_likely", "Extremely likely", "Zeer waarschijnlijk"),
    ])
    def test_words(self, key: str, en: str, nl: str) -> None:
        assert t(key, "en") == en
        assert t(key, "nl") == nl

    def test_unknown_language(self) -> None:
        with pytest.raises(I18nError, match=r"exist in nl, en, not in 'fr'"):
            t("questionnaire", "fr")
        with pytest.raises(ValueError):
            t("questionnaire", "fr")

    def test_unknown_key_suggests_close_ones(self) -> None:
        with pytest.raises(KeyError) as info:
            t("questionaire", "en")
        assert str(info.value).startswith(
            "unknown interface word 'questionaire'; did you mean 'questionnaire'")
        assert isinstance(info.value, CxResearchError)

    def test_languages(self) -> None:
        assert LANGUAGES == ("nl", "en")
        assert LANGUAGE_NAMES == {"nl": "Dutch", "en": "English"}
        assert (ui_language("nl"), ui_language("en"), ui_language("fr")) == ("nl", "en", "en")

    @pytest.mark.parametrize(("code", "label"), [
        ("nl", "Dutch (nl)"), ("en", "English (en)"), ("de", "German (de)"),
        ("fr", "French (fr)"), ("ar", "Arabic (ar)"), ("pt-BR", "Portuguese (pt-BR)"),
        ("fy", "fy (fy)"), ("xx", "xx (xx)"),
    ])
    def test_xlsform_language_label(self, code: str, label: str) -> None:
        assert xlsform_language_label(code) == label

    def test_xlsform_language_label_needs_a_code(self) -> None:
        with pytest.raises(ValueError, match="language code"):
            xlsform_language_label(" ")


def test_untranslated_hint_keeps_its_italics(survey: Survey) -> None:
    del survey.blocks[1].questions[0].hint["en"]
    assert "*Eén antwoord.* *(not translated: nl)*" in to_markdown(survey, "en")


def test_real_logic_module_words(survey: Survey) -> None:
    logic = pytest.importorskip(LOGIC_MODULE)
    expected = logic.describe(logic.parse("${nps} <= 6"), "en", {"nps": "Q6"}.get)
    assert f"Answer if {expected}</p>" in question_html(to_html(survey, "en"), "why")
    assert f"*Answer if {expected}*" in to_markdown(survey, "en")


def test_equal_selection_bounds_read_as_an_exact_number(survey: Survey) -> None:
    channel = survey.blocks[0].questions[2]
    channel.min_selected = channel.max_selected = 2
    assert "Select all that apply; Select 2" in question_html(to_html(survey, "en"), "channel")
    assert "Kies er 2 (volgorde willekeurig)" in to_markdown(survey, "nl")
