"""Fixed interface words in Dutch and English, for renders and command-line output.

Text that an instrument's author wrote (question labels, choices, ...) lives in the
instrument itself. This module holds only the words *cxresearch* adds around it:
headings such as "Questionnaire" / "Vragenlijst", instructions such as "Select one" /
"Kies één antwoord", and labels such as "Purpose of processing" /
"Doel van de verwerking".

Some entries are templates with named fields (``{n}``, ``{low}``, ``{high}``); the caller
fills them with :meth:`str.format`. Dutch entries address the respondent formally (*u*).

Examples
--------
>>> t("questionnaire", "nl")
'Vragenlijst'
>>> t("select_at_most", "en").format(n=3)
'Select at most 3'
>>> xlsform_language_label("nl")
'Dutch (nl)'
"""

from __future__ import annotations

import difflib

from .errors import CxResearchError

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "I18nError",
    "t",
    "ui_language",
    "xlsform_language_label",
]

LANGUAGES: tuple[str, ...] = ("nl", "en")
"""Languages the interface words exist in."""

LANGUAGE_NAMES: dict[str, str] = {"nl": "Dutch", "en": "English"}
"""English names of :data:`LANGUAGES`."""

_ISO_NAMES: dict[str, str] = {
    **LANGUAGE_NAMES,
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "pl": "Polish",
    "tr": "Turkish",
    "ar": "Arabic",
}
"""English names of common ISO 639-1 codes, for XLSForm column headers."""

# key: (English, Dutch)
_WORDS: dict[str, tuple[str, str]] = {
    # document headings and metadata
    "questionnaire": ("Questionnaire", "Vragenlijst"),
    "interview_guide": ("Interview guide", "Interviewleidraad"),
    "version": ("Version", "Versie"),
    "audience": ("Audience", "Doelgroep"),
    "audience_customer": ("Customers", "Klanten"),
    "audience_employee": ("Employees", "Medewerkers"),
    "purpose": ("Purpose of processing", "Doel van de verwerking"),
    "min_group_size": ("Minimum group size in reports", "Minimale groepsgrootte in rapportages"),
    "duration": ("Duration", "Duur"),
    "minutes": ("{n} minutes", "{n} minuten"),
    "journey_stage": ("Journey stage", "Fase in de klantreis"),
    "touchpoint": ("Touchpoint", "Contactmoment"),
    "language": ("Language", "Taal"),
    "questions": ("Questions", "Vragen"),
    "instruments": ("Instruments", "Instrumenten"),
    "instrument": ("Instrument", "Instrument"),
    "files": ("Files", "Bestanden"),
    "answer_fields": ("Answer fields", "Antwoordvelden"),
    "languages": ("Languages", "Talen"),
    "run": ("Run", "Run"),
    "run_record": ("run record", "runverslag"),
    "problems": ("Problems", "Problemen"),
    "no_problems": ("No problems found.", "Geen problemen gevonden."),
    "blocks": ("Sections", "Onderdelen"),
    # questions
    "question_prefix": ("Q", "V"),
    "answer_if": ("Answer if", "Beantwoorden als"),
    "answer_section_if": ("Answer this section if", "Dit onderdeel beantwoorden als"),
    "required": ("required", "verplicht"),
    "select_one": ("Select one", "Kies één antwoord"),
    "select_all": ("Select all that apply", "Kies alle antwoorden die van toepassing zijn"),
    "select_at_least": ("Select at least {n}", "Kies er minstens {n}"),
    "select_at_most": ("Select at most {n}", "Kies er hoogstens {n}"),
    "select_exactly": ("Select {n}", "Kies er {n}"),
    "select_between": ("Select {low} to {high}", "Kies er {low} tot {high}"),
    "rank": ("Rank in order", "Zet in volgorde"),
    "rank_hint": (
        "write 1 beside your first choice, 2 beside the next, and so on",
        "schrijf 1 bij uw eerste keuze, 2 bij de volgende, enzovoort",
    ),
    "order_randomised": ("order randomised", "volgorde willekeurig"),
    "other_namely": ("Other, namely", "Anders, namelijk"),
    "other": ("Other", "Anders"),
    "count_message": ("Choose from {lo} to {hi} answers.", "Kies {lo} tot en met {hi} antwoorden."),
    "bounds_message": ("Enter a number from {lo} to {hi}.",
                       "Vul een getal in van {lo} tot en met {hi}."),
    "length_message": ("Use at most {n} characters.", "Gebruik hoogstens {n} tekens."),
    "not_at_all_likely": ("Not at all likely", "Zeer onwaarschijnlijk"),
    "extremely_likely": ("Extremely likely", "Zeer waarschijnlijk"),
    "between": ("Between {low} and {high}", "Tussen {low} en {high}"),
    "at_least": ("At least {low}", "Minimaal {low}"),
    "at_most": ("At most {high}", "Maximaal {high}"),
    "date_from": ("From {low}", "Vanaf {low}"),
    "date_until": ("Until {high}", "Tot en met {high}"),
    "whole_number": ("whole number", "geheel getal"),
    "decimals_allowed": ("decimals allowed", "decimalen toegestaan"),
    "max_characters": ("At most {n} characters", "Maximaal {n} tekens"),
    "date_format": ("dd - mm - yyyy", "dd - mm - jjjj"),
    "your_answer": ("Answer", "Antwoord"),
    "several_lines": ("several lines", "meerdere regels"),
    "untranslated": ("not translated", "niet vertaald"),
    # interview guides
    "interviewer": ("Interviewer", "Interviewer"),
    "probes": ("Probes", "Doorvragen"),
    # command-line output
    "error": ("error", "fout"),
    "warning": ("warning", "waarschuwing"),
}


class I18nError(CxResearchError, KeyError, ValueError):
    """An unknown interface word or an unsupported language.

    Derives from both :class:`KeyError` and :class:`ValueError`, so either ``except``
    clause catches it.
    """

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def ui_language(lang: str) -> str:
    """The interface language to use for ``lang``: itself if supported, else English.

    Examples
    --------
    >>> ui_language("nl"), ui_language("de")
    ('nl', 'en')
    """
    return lang if lang in LANGUAGES else "en"


def t(key: str, lang: str) -> str:
    """The interface word ``key`` in language ``lang``.

    Parameters
    ----------
    key : str
        The word's key, e.g. ``"questionnaire"`` or ``"answer_if"``.
    lang : str
        ``"nl"`` or ``"en"`` (see :data:`LANGUAGES`).

    Returns
    -------
    str
        The word or template; templates contain ``{n}``, ``{low}`` or ``{high}``.

    Raises
    ------
    I18nError
        If ``lang`` is not one of :data:`LANGUAGES` or ``key`` is unknown. The message
        names the allowed languages, or the unknown key and the closest known keys.

    Examples
    --------
    >>> t("answer_if", "nl")
    'Beantwoorden als'
    """
    if lang not in LANGUAGES:
        raise I18nError(
            f"interface words exist in {', '.join(LANGUAGES)}, not in {lang!r}; "
            f"pass lang='nl' or lang='en' (use ui_language() to fall back to English)"
        )
    try:
        en, nl = _WORDS[key]
    except KeyError:
        close = difflib.get_close_matches(str(key), list(_WORDS), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise I18nError(f"unknown interface word {key!r}{hint}") from None
    return nl if lang == "nl" else en


def xlsform_language_label(lang: str) -> str:
    """The XLSForm language label for an ISO 639-1 code, as in ``label::Dutch (nl)``.

    Parameters
    ----------
    lang : str
        A language code such as ``"nl"``, ``"en"`` or ``"pt-BR"``.

    Returns
    -------
    str
        ``"<English name> (<code>)"``; an unknown code gives ``"<code> (<code>)"``.

    Raises
    ------
    I18nError
        If ``lang`` is empty or not a string.

    Examples
    --------
    >>> xlsform_language_label("en"), xlsform_language_label("pt-BR")
    ('English (en)', 'Portuguese (pt-BR)')
    >>> xlsform_language_label("fy")
    'fy (fy)'
    """
    if not isinstance(lang, str) or not lang.strip():
        raise I18nError(f"a language code such as 'nl' or 'en' is needed, got {lang!r}")
    code = lang.strip()
    base = code.replace("_", "-").split("-", 1)[0].lower()
    return f"{_ISO_NAMES.get(base, code)} ({code})"
