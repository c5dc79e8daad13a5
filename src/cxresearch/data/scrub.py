"""Scrub personal data from open text (survey answers, transcripts) before it is reported.

:func:`scrub_text` replaces each personal item by a placeholder naming its kind
(``[EMAIL]``, ``[PHONE]``, ``[IBAN]``, ``[POSTCODE]``, ``[BSN]``, ``[NAME]``);
:func:`find_personal_data` lists the findings and :func:`scrub_series` does a column.
It is regular expressions plus checksums (ISO 13616 mod-97, the Dutch 11-test): fast,
deterministic, offline, and blind to what has neither a shape nor a cue. Recall and
precision on labelled sentences (``tests/data/scrub/``) are measured by
``benchmarks/bench_scrubber.py``.

Decisions
---------
* EMAIL: ordinary addresses, and obfuscations like ``jan [at] voorbeeld [dot] nl``.
* PHONE: Dutch numbers (10 digits from ``0``; ``0800``/``0900`` numbers of 8 or 11),
  Belgian ones (9 digits from ``0`` written in groups, mobiles of 10) and international
  ones from ``+``/``00`` (``+31``: 9 national digits; ``+32``: 8 or 9; others 9 to 15
  digits). Never phones: dates (``01-03-2024``), times, amounts, numbers without a
  leading ``0``/``+`` (so no 6-8 digit order numbers), and a number right after a label
  such as *ordernummer*, *polis*, *claim* or *invoice*.
* IBAN: only with the country's length *and* a valid mod-97 check. A look-alike that
  fails is left as it is, and nothing inside it is reported as a phone or BSN.
* POSTCODE: a Dutch postcode (``1234 AB``) with house number and city, and a street with
  a house number (``Kerkstraat 12``, ``Laan van Meerdervoort 1200``), which locates a
  person as well as a postcode does. Written together (``Kerkstraat 12, 1234 AB
  Amsterdam``) they become one ``[POSTCODE]``. Belgian 4-digit postcodes count only
  after a street and number (``Veldstraat 10, 9000 Gent``).
* BSN: 9 digits (also ``123.456.782``, ``123 456 782``, ``1234.56.782``) passing the
  11-test, whatever their label (1 in 11 random 9-digit numbers pass; a customer-linked
  number is better lost than leaked), except amounts (``123.456.782 euro``). 8 digits
  (a BSN without its leading zero) only after a cue such as *BSN* or *sofinummer*.
* NAME: capitalised words after a cue (*mijn naam is*, *ik ben*, *I'm*, *meneer*, *Mrs*,
  *medewerker*, *the recruiter,*, a phone greeting *met ...*, a salutation *Beste ...*,
  a sign-off *Met vriendelijke groet,*), with tussenvoegsels (``van der Meer``); without
  a cue, common first names from a built-in list. Weekdays, months, nationalities and
  common words are never names; nor are shops named after people (*Albert Heijn*).

Overlaps are resolved longest first (then IBAN, EMAIL, BSN, PHONE, POSTCODE, NAME);
placeholders are never nested and the text around a finding is kept as it is.

What it cannot see
------------------
Names without a cue and outside the first-name list (*"Yara belde"* is found, *"Zwaantje
belde"* is not), nicknames, lone initials, addresses without a number, dates of birth,
licence plates, passport numbers, details told in words (*"de buurvrouw van nummer
30"*), and a cue followed by a brand (*"Thanks, Coolblue!"* is scrubbed as a name).
Scrubbed text still needs a human read before it leaves the research team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from cxresearch.errors import CxResearchError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "Finding", "ScrubError", "find_personal_data", "is_valid_bsn",
           "is_valid_iban", "scrub_series", "scrub_text"]

KINDS: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "POSTCODE", "BSN", "NAME")
"""Kinds of personal data found; each is replaced by ``[KIND]``."""

_PRIORITY = {"IBAN": 0, "EMAIL": 1, "BSN": 2, "PHONE": 3, "POSTCODE": 4, "NAME": 5}


class ScrubError(CxResearchError, TypeError, ValueError):
    """Input the scrubber cannot use; the message says what was given and what to do."""


def _fail(where: str, what: str, given: object, fix: str) -> ScrubError:
    return ScrubError(f"{where}: {what} (given: {given!r}).\n    fix: {fix}")


def _check_text(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise _fail(where, f"`text` must be a str, not {type(text).__name__}", text,
                    "pass one answer as text; for a column of answers use "
                    "scrub_series(df['column']), which keeps missing values missing.")
    return text


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    start, end : int
        Position in the text (``text[start:end]``, 0-based, end exclusive).
    text : str
        The characters found.
    """

    kind: str
    start: int
    end: int
    text: str

    @property
    def placeholder(self) -> str:
        """The text put in its place, e.g. ``[PHONE]``."""
        return f"[{self.kind}]"


# ---------------------------------------------------------------- checksums
_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "VA": 22,
}


def is_valid_iban(iban: str) -> bool:
    """Whether ``iban`` has its country's length and passes the ISO 13616 mod-97 check.

    Parameters
    ----------
    iban : str
        An IBAN, with or without spaces, in any case.

    Returns
    -------
    bool

    Notes
    -----
    Move the first four characters to the end, replace each letter by two digits
    (A = 10, ..., Z = 35) and read the result as an integer :math:`N`; the IBAN is
    valid when :math:`N \\bmod 97 = 1` (ISO 13616-1:2020, clause 7; ECBS EBS204).
    Lengths per country are those of the SWIFT IBAN Registry. Checked against the
    registry's examples (``NL91ABNA0417164300``, ``BE68539007547034``,
    ``GB29NWBK60161331926819``).

    Examples
    --------
    >>> is_valid_iban("NL91 ABNA 0417 1643 00")
    True
    >>> is_valid_iban("NL91ABNA0417164301")
    False
    """
    compact = re.sub(r"[ ]", "", str(iban)).upper()
    if (_IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isalnum()
            or not compact.isascii() or not compact[2:4].isdigit()):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def is_valid_bsn(bsn: str) -> bool:
    """Whether ``bsn`` (9 digits, or 8 with the leading zero left off) passes the 11-test.

    Parameters
    ----------
    bsn : str
        Digits, optionally separated by dots or spaces.

    Returns
    -------
    bool

    Notes
    -----
    With digits :math:`d_1 \\dots d_9`, the number passes when
    :math:`9d_1 + 8d_2 + 7d_3 + 6d_4 + 5d_5 + 4d_6 + 3d_7 + 2d_8 - d_9 \\equiv 0
    \\pmod{11}` and is not all zeros (Besluit BSN, art. 4 / the *elfproef* as published
    by Logius, "Burgerservicenummer"). ``111222333`` and ``123456782`` are the example
    numbers used in Dutch government test sets.

    Examples
    --------
    >>> is_valid_bsn("111222333"), is_valid_bsn("123.456.782"), is_valid_bsn("123456789")
    (True, True, False)
    """
    digits = re.sub(r"[ .]", "", str(bsn))
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or not digits.isascii() or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0


# ---------------------------------------------------------------- EMAIL
_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9](?:[\w.%+-]*[\w])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])")
_OPEN, _CLOSE = r"[ ]?[\[({][ ]?", r"[ ]?[\])}][ ]?"
_EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.+-])[\w.%+-]+(?:{_OPEN}(?i:at|apenstaartje){_CLOSE}|[ ](?i:at)[ ])"
    rf"[A-Za-z0-9-]+(?:(?:{_OPEN}(?i:dot|punt){_CLOSE}|[ ](?i:dot|punt)[ ]|\.)"
    r"[A-Za-z0-9-]+)*(?:" + rf"{_OPEN}(?i:dot|punt){_CLOSE}|[ ](?i:dot|punt)[ ]|\.)"
    r"[A-Za-z]{2,24}(?![\w-])")

# ---------------------------------------------------------------- IBAN
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,31}")


def _iban_shapes(text: str) -> Iterable[tuple[int, int]]:
    """Spans shaped like an IBAN: country code, check digits, the country's length."""
    for m in _IBAN.finditer(text):
        need, end, count = _IBAN_LENGTHS.get(m.group()[:2].upper(), 99), m.start(), 0
        while count < need and end < m.end():
            count, end = count + (text[end] != " "), end + 1
        if count == need and not (end < len(text) and text[end].isalnum()):
            yield m.start(), end


# ---------------------------------------------------------------- BSN
_BSN = re.compile(r"(?<![\w.,/+-])(?<!\d[ ])(?:\d{9}|\d{3}([ .])\d{3}\1\d{3}|\d{4}\.\d{2}\.\d{3})"
                  r"(?![\w]|[.,/-]\d|[ ]\d)")
_MONEY_BEFORE = re.compile(r"(?i)(?:€|eur|euro|\$|£)[ ]?$")
_MONEY_AFTER = re.compile(r"(?i)[ ]?(?:€|eur|euro|dollar|pond)\b")
_BSN8 = re.compile(r"(?<![\w.,/+-])\d{8}(?![\w]|[.,/-]\d)")
_BSN_CUE = re.compile(r"(?i)\b(?:bsn|burgerservicenummer|sofi-?nummer|citizen service number|"
                      r"social security number|tax id)\b[^\d\n]{0,25}$")

# ---------------------------------------------------------------- PHONE
_PHONE = re.compile(r"(?<![\w+@])(?<!\d[.,/-])(?:\+\d|\(?0)[\d()./ -]{4,24}\d")
_GROUP_END = re.compile(r"\d(?=\D|$)")
_DATE = re.compile(r"\(?(\d{1,2})([-./])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")
_NUMBER_LABEL = re.compile(
    r"(?i)(?:order|bestel|klant|factuur|invoice|polis|policy|claim|dossier|referentie|"
    r"reference|ref|kenmerk|artikel|personeels|zaak|ticket|track|trace)"
    r"\w*[ ]*(?:nr\.?|nummer|number|no\.?|#)?[ ]*(?:[:#.]|is|was)?[ ]*$")
_SHORT_SERVICE = ("0800", "0900", "0906", "0909", "0870", "0880")


def _phone_ok(cand: str) -> bool:
    if cand.count("(") != cand.count(")"):
        return False
    squeezed = re.sub(r"[ ]*([-./])[ ]*", r"\1", cand)
    if re.search(r"[-./ ]{2}|\)\(", squeezed) or _DATE.match(cand):
        return False
    if cand.startswith("+") or cand.startswith("00"):
        d = re.sub(r"\D", "", cand.replace("(0)", "").removeprefix("00"))
        if d.startswith("31"):
            return len(d[2:].removeprefix("0")) == 9 and not d[2:].startswith("00")
        if d.startswith("32"):
            return len(d[2:].removeprefix("0")) in (8, 9)
        if d.startswith("1"):
            return len(d) == 11
        return 9 <= len(d) <= 15
    d = re.sub(r"\D", "", cand)
    if d.startswith(_SHORT_SERVICE):
        return len(d) in (8, 11)
    # 9 digits from 0: a Belgian landline, but only when written in groups
    return len(d) == 10 or (len(d) == 9 and not cand.isdigit())


def _phones(text: str) -> Iterable[tuple[int, int]]:
    pos = 0
    while (m := _PHONE.search(text, pos)) is not None:
        start = m.start() + (m.group()[0] == "(" and not re.match(r"\(0\d{1,4}\)", m.group()))
        run = text[start:m.end()]  # "(06-12345678)": the bracket is not part of the number
        ends = [g.end() for g in _GROUP_END.finditer(run)]
        for end in reversed(ends):
            if _phone_ok(run[:end]):
                if not _NUMBER_LABEL.search(text, max(0, start - 40), start):
                    yield start, start + end
                pos = start + end
                break
        else:  # nothing valid from here: try again from the run's next group
            pos = start + (ends[0] if ends else 1) + 1


# ---------------------------------------------------------------- POSTCODE
_UP, _LO = "A-ZÀ-ÖØ-ÞŠŽŒ", "a-zß-öø-ÿšžœ"
_PC = r"[1-9]\d{3}(?:[ ]?(?!S[ADS])[A-Z]{2}|(?!s[ads])[a-z]{2})(?![\w])"
_HOUSE = (r"\d{1,5}(?:[ ]?-[ ]?(?:[A-Za-z]{1,3}|\d{1,4})(?![\w])|[ ]bus[ ]\d{1,4}"
          r"|(?:[A-Za-z]{1,2}|bis)(?![\w])|[ ](?:[A-Z]|bis|hs|I{1,3})(?![\w]))?(?![\w]|[.,:]\d)"
          r"(?![ ](?:keer|x|times|uur|jaar|jaren|min|minuten|dagen|weken|maanden|euro|eur|"
          r"procent|km|meter|m|kg|stuks|hours|days|weeks|months|years|minutes|pm|am)\b)")
_CITY = (rf"(?:'s-|'t[ ])?(?:IJ|[{_UP}])[{_LO}]+(?:(?:-|[ ](?:(?:aan|op|in|bij|den|de|"
         rf"der|van|en)[ ])*)(?:IJ|[{_UP}])[{_LO}]+){{0,3}}")
_PC_FULL = rf"{_PC}(?P<house>[ ,]+(?:nr\.?[ ]?)?{_HOUSE})?(?P<city>[ ]*,?[ ]*{_CITY})?"
_POSTCODE = re.compile(rf"(?<![\w-]){_PC_FULL}")
_STREET = re.compile(
    rf"(?<![\w'’-])(?P<street>(?:(?:'s-)?[{_UP}][{_LO}{_UP}'’.-]*[ ](?:(?:van|de|der|den|"
    rf"het|'t|ter|ten|te|la|le)[ ])*){{0,3}}(?:'s-)?[{_UP}][{_LO}{_UP}'’.-]*)"
    rf"[ ](?:nr\.?[ ]?)?(?P<num>{_HOUSE})"
    rf"(?P<tail>[ ]*,?[ ]*(?:{_PC_FULL}|(?:B-)?[1-9]\d{{3}}[ ]+{_CITY}))?")
_STREET_EN = re.compile(
    rf"(?<![\w-])\d{{1,4}}[A-Za-z]?[ ](?:[{_UP}][{_LO}]+[ ]){{1,3}}(?:Street|Road|Lane|"
    r"Avenue|Drive|Close|Way|Square|Place|Crescent|Terrace|Gardens|Court|Grove|Row)\b")
_STREET_SUFFIXES = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "dijk", "singel", "steeg", "pad",
    "dreef", "plantsoen", "markt", "wal", "haven", "boulevard", "allee", "kanaal", "lei",
    "steenweg", "vaart", "brink", "dreve", "promenade", "hof", "park", "baan", "kaai",
    "straatje")
_NOT_STREET_START = frozenset(
    "bij in op aan naar ik mijn wij we ons onze uw het een via sinds vanaf tot per naast "
    "tegenover voor achter om dat die dus en maar of toen als adres woon the at on my our "
    "to from in of and address near".split())
_BARE_PC_STOP = frozenset("EU UK US KG KM CM MM GB MB TB KB PM AM HD TV PC CV ID XL NS OV "
                          "BV NV HR IT AI OK CO ML GR PK KW MW GW".split())


def _postcodes(text: str) -> Iterable[tuple[int, int]]:
    for m in _POSTCODE.finditer(text):
        letters = re.sub(r"[\d ]", "", m.group()[:7])[:2]
        if m.group("house") or m.group("city") or letters.upper() not in _BARE_PC_STOP:
            yield m.start(), m.end()
    for m in _STREET.finditer(text):
        words = m.group("street").split(" ")
        start = m.start()
        while words and (words[0].lower() in _NOT_STREET_START or words[0].islower()):
            start += len(words.pop(0)) + 1
        if not words:
            continue
        streetlike = (words[-1].lower().endswith(_STREET_SUFFIXES)
                      or any(w.lower() in _STREET_SUFFIXES for w in words))
        number = int(re.match(r"\d+", m.group("num")).group())  # type: ignore[union-attr]
        year_like = 1900 <= number <= 2099 and not m.group("tail")
        if (streetlike and not year_like) or m.group("tail"):
            yield start, m.end()
    for m in _STREET_EN.finditer(text):
        yield m.start(), m.end()


# ---------------------------------------------------------------- NAME
_W = rf"(?:[{_UP}]['’])?[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:-[{_UP}][{_LO}]+)*"
_TUS = (r"(?:van der|van den|van de|van het|van 't|in 't|in de|in het|op de|op den|"
        r"op 't|uit de|uit den|van|de|der|den|ter|ten|te|'t|le|la|du|da|di|von|el|al)")
_PERSON = (rf"(?:(?:[{_UP}]\.[ ]?){{1,4}}(?:{_TUS}[ ])?{_W}|{_W}(?:[ ](?:{_TUS}[ ]|[ae]l-)?{_W})"
           r"{0,2})(?![\w-])")
_PERSON_T = rf"(?:{_TUS}[ ])?{_PERSON}"  # also "meneer de Jong", "Fam. van Dam"
_TUS_LOWER = frozenset("van de den der het 't ter ten te el al le la du da di von in op uit".split())
_TITLE = (r"(?:(?i:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|heer|juffrouw|juf|mr\.?|mrs\.?|"
          r"ms\.?|dr\.?|drs\.|ir\.|ing\.|prof\.?|sir|madam|mx\.?)|Miss)")
_ROLE = (r"(?i:(?:schade-?)?behandelaar|(?:schade-?)?expert|medewerk(?:er|ster)|collega|"
         r"adviseu(?:r|se)|hr-adviseur|consulent|recruit(?:er|ster)|teamleider|leidinggevende|"
         r"manager|bezorger|chauffeur|monteur|interviewer|agent|colleague|advis[oe]r|handler|"
         r"driver|courier|supervisor|representative|consultant|coach|mentor|buddy|"
         r"contactpersoon|contact person|(?:mijn|my|onze|our|zijn|haar|his|her)[ ](?:man|"
         r"vrouw|partner|zoon|dochter|husband|wife|son|daughter|vriend|vriendin|friend|broer|"
         r"zus|brother|sister|moeder|vader|mother|father|buurman|buurvrouw|neighbou?r))")
_SIGN_OFF = (r"(?i:(?:met )?vriendelijke groet(?:en)?|hartelijke groet(?:en)?|groet(?:en|jes)?|"
             r"mvg|m\.v\.g\.|gr\.|hoogachtend|(?:kind |best |warm )?regards|best wishes|best|"
             r"cheers|(?:many )?thanks|thank you|(?:yours )?sincerely|yours faithfully)")
_START = r"(?:^|(?<=[.!?\n])[ ]*|(?<=[.!?][ ]))"
_NAME_CUES = [re.compile(p) for p in (
    rf"(?<![\w])(?i:mijn naam is|mijn naam:|naam:|name:|my name is|my name's|ik heet|ik ben|"
    rf"i am|i'm|i’m|dit is|this is|u spreekt met|je spreekt met|spreek ik met|you're speaking"
    rf" (?:to|with)|ten name van|t\.n\.v\.|t\.a\.v\.|ter attentie van|attn\.?)[ ]+(?P<n>{_PERSON_T})",
    rf"(?<![\w]){_TITLE}[ ]+(?P<n>{_PERSON_T})",
    rf"(?<![\w-]){_ROLE}(?:[ ]|,[ ](?=[^,]+,)|[ ]\()(?P<n>{_PERSON})",
    rf"(?:{_START}|(?i:goede?(?:morgen|middag|navond|ndag)|goeie(?:morgen|middag|dag)|hallo|"
    rf"hoi|dag)[,!]?[ ]+)(?i:met)[ ]+(?P<n>{_PERSON})(?=[ ]*(?:[,.!;:)\n]|$)|[ ]+(?:van|hier|"
    rf"namens|from)\b)",
    rf"{_START}(?i:beste|dear|hallo|hoi|hi|hello|hey|geachte)[ ]+(?P<n>{_PERSON})(?=[ ]*[,!\n]|$)",
    rf"(?<![\w]){_SIGN_OFF}(?:[ ]*[,.!:-]?[ \t]*\n(?:[ \t]*\n)?[ \t]*|[ ]*[,:-][ ]*|[ ]+)"
    rf"(?:(?i:familie|fam\.|family)[ ]+)?(?:(?i:ir|drs|dr|mr|ing|prof)\.[ ]?)?(?P<n>{_PERSON_T})"
    rf"(?=[ ]*[.!]?[ ]*(?:\n|$))",
)]
_CAP_WORD = re.compile(rf"(?<![\w'’@.-]){_W}(?![\w-])")
_NAME_NEXT = re.compile(rf"[ ](?:{_TUS}[ ]|[ae]l-)?{_W}(?![\w-])")
_NAMES = frozenset("""
Aart Ad Adam Ahmed Aisha Alex Alexander Ali Alice Amber Amelia Amy An Andrea Andrew Angela
Anil Anja Anna Anne Anneke Annelies Annemarie Anouk Anthony Arend Arie Arjan Arne Astrid Ava
Ayse Bart Bas Bastiaan Ben Bente Bert Bianca Bilal Bram Brian Britt Carla Carol Cees
Charlotte Chantal Charlie Chloe Chris Christine Claire Daan Dan Daniel Danielle Daphne David
Demi Dennis Diana Dirk Dries Ed Edward Elif Eline Elise Elizabeth Ella Ellen Els Emily Emma
Emre Erik Eric Esther Ethan Eva Evelyn Evert Evi Fatima Femke Fenna Filip Finn Fleur Frank
Frans Freek Geert George Gerard Gerrit Gijs Griet Hamza Hanna Hannah Hanneke Hans Harry
Hatice Heather Helen Henk Henry Hidde Hilde Hugo Ibrahim Ilias Ilse Inge Ingrid Iris Isa
Isabella Jaap Jack Jacob Jake James Jan Janneke Jasmijn Jasper Jef Jelle Jennifer Jens
Jeroen Jesse Jessica Joe Joep Johan John Jolien Jonas Jonathan Joost Joris Jos Josh Joke
Joseph Judith Julia Julie Kate Karin Katie Katrien Kees Kevin Khadija Kim Klaas Koen Lars
Laura Lauren Levi Liam Lieke Lieve Linda Lisa Lisanne Liv Loes Lonneke Lore Lotte Lucas Lucy
Luc Luke Luuk Lynn Maaike Maarten Manon Marc Marco Margaret Margriet Maria Marie Marieke
Marjolein Mark Marleen Marloes Martijn Mary Mason Matthew Megan Mehmet Mia Michael Michelle
Michiel Mila Milan Milou Mirjam Mohamed Mohammed Mohammad Monique Mustafa Nadia Natalie
Nathalie Nele Nicole Niels Nina Noa Noah Noor Nora Oliver Olivia Olivier Omar Pamela Patrick
Paul Peter Petra Piet Pieter Priya Rachel Raj Rajesh Rebecca Renate Rianne Richard Rick Rob
Robert Robin Roel Romy Roos Ruben Ruth Ruud Ryan Sam Samantha Samira Samuel Sander Sandra
Sanjay Sanne Sara Sarah Saskia Scott Sem Seppe Sharon Siem Sien Sofie Sophia Sophie Soufiane
Stefaan Stephanie Stephen Steven Sterre Stijn Susan Suzanne Sven Tamara Teun Tessa Thijs
Thomas Tijn Tim Tineke Tom Twan Veerle Vera Vincent Wannes Wendy Willem Willemijn Wim Wout
Wouter Yannick Yara Yasmina Yasmine Youssef Yusuf Yvonne Zeynep Zoe Zoë
""".split())
_AMBIGUOUS_START = frozenset("Ben Mark Frank Rob Jack Bas Roos Iris Kim Hans".split())
_NOT_NAMES = frozenset("""
Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Monday Tuesday Wednesday Thursday
Friday Saturday Sunday Januari Februari Maart April Mei Juni Juli Augustus September Oktober
November December January February March May June July August October Nederlander
Nederlandse Nederlands Belg Belgische Vlaming Vlaams Duits Duitser Engels Brit Dutch English
Belgian German French British American Ik Je Jij Jullie Hij Zij Wij Het Een Dit Dat Die Deze
Daar Hier Er En Of Maar Dus Want Niet Geen Wel Ook Nog Al Nu Zo Heel Erg Zeer Echt Best Blij
Boos Tevreden Ontevreden Teleurgesteld Bang Klaar Ziek Thuis Benieuwd Bezig Klant Klanten
Klantenservice Service Support Sales Team Afdeling Bank Verzekeraar Mevrouw Meneer Heer Dame
Allen Iedereen Collega Collegas Familie You He She We They It The This That These Those And
Or But So Not No Yes Very Really Just Also Still Here There Sorry Happy Glad Satisfied
Unhappy Disappointed Home Ok Okay Hallo Hello Hi Dear Beste Customer Customers Department
Manager Sir Madam Mr Mrs Ms Dr All Everyone Colleagues Colleague Thanks Thank Regards Kind
Please Operations Finance Recruitment Amsterdam Rotterdam Utrecht Brussel Antwerpen Gent
London Nederland Belgie België Holland Europe Europa God Welkom Welcome Goedemorgen
Goedemiddag Goedenavond Morning Afternoon Evening Bedankt Groet Groeten World Wereld Ir Drs
Ing Prof Mx Flemish Walloon Moroccan Turkish Polish Spanish Italian Scottish Irish Welsh
Indian Chinese Surinamese Syrian European Marokkaans Marokkaan Turks Turk Surinaams Pools
Spaans Italiaans Frans Waals Antilliaans Europees Europeaan Nederlandstalig Franstalig
""".split())
_COMPANIES = ("Albert Heijn", "Jan Linders", "Hans Anders", "Hugo Boss", "Tommy Hilfiger",
              "Calvin Klein", "Tom Tailor", "Jack Wolfskin", "Dirk van den Broek",
              "Henk ten Hoor", "Karel Deijkers", "Anna Paulowna", "Sint Maarten")


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a name candidate to its name words; None when it is no name."""
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    words = [text[a:b] for a, b in tokens]
    first = 0
    while first < len(words) - 1 and words[first].lower() in _TUS_LOWER:
        first += 1
    if (words[first].lower() in _TUS_LOWER
            or any(part in _NOT_NAMES for part in words[first].split("-"))):
        return None
    keep = len(words)
    for i in range(first + 1, len(words)):
        if words[i] in _NOT_NAMES:
            keep = i
            break
    while keep > first + 1 and words[keep - 1].lower() in _TUS_LOWER:  # dangling
        keep -= 1
    if any(text.startswith(c, tokens[0][0]) for c in _COMPANIES):
        return None
    return tokens[0][0], tokens[keep - 1][1]


def _names(text: str) -> Iterable[tuple[int, int]]:
    for cue in _NAME_CUES:
        pos = 0
        while (m := cue.search(text, pos)) is not None:
            span = _name_span(text, m.start("n"), m.end("n"))
            if span:
                yield span
            pos = m.end() if span else m.start("n")  # "Dr. Ir. Jansen": retry at "Ir."
    for m in _CAP_WORD.finditer(text):
        word = m.group()
        if word not in _NAMES and word.split("-")[0] not in _NAMES:
            continue
        end = m.end()
        while (nxt := _NAME_NEXT.match(text, end)) is not None and end - m.start() < 40:
            end = nxt.end()
        after, before = text[end:end + 3], text[max(0, m.start() - 6):m.start()]
        month = word == "Jan" and (re.match(r"\.?[ ]?\d", after) or re.search(r"\d[ ]$", before))
        if after.startswith(" &") or month:
            continue  # "Ben & Jerry's", "Jan 2024", "12 Jan"
        at_start = before.rstrip(" \t\"'(")[-1:] in ("", ".", "!", "?", ":", "\n")
        if (end == m.end() and at_start and word in _AMBIGUOUS_START
                and not re.match(r"[ ]*(?:[,!:]|$)", after)):
            continue  # "Ben je ...", "Mark the box"
        span = _name_span(text, m.start(), end)
        if span:
            yield span


# ---------------------------------------------------------------- find and scrub
_HAS_DIGIT = re.compile(r"\d")


def find_personal_data(text: str) -> list[Finding]:
    """Find personal data in one text.

    Parameters
    ----------
    text : str
        An open answer, a transcript turn, an e-mail.

    Returns
    -------
    list of Finding
        Non-overlapping findings in order of position.

    Raises
    ------
    ScrubError
        When ``text`` is not a str.

    Notes
    -----
    Candidates of every kind are kept longest first (ties: IBAN, EMAIL, BSN, PHONE,
    POSTCODE, NAME) when they overlap nothing kept so far; see the module docstring.

    Examples
    --------
    >>> find_personal_data("Bel 06-12345678, groet Piet")
    [Finding(kind='PHONE', start=4, end=15, text='06-12345678'), Finding(kind='NAME', start=23, end=27, text='Piet')]
    """
    _check_text(text, "find_personal_data")
    cands: list[tuple[int, int, str]] = []
    blocked: list[tuple[int, int]] = []
    if "@" in text:
        cands += [(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    if re.search(r"(?i)\b(?:at|apenstaartje)\b", text):
        cands += [(m.start(), m.end(), "EMAIL") for m in _EMAIL_OBFUSCATED.finditer(text)]
    if _HAS_DIGIT.search(text):
        for a, b in _iban_shapes(text):
            if is_valid_iban(text[a:b]):
                cands.append((a, b, "IBAN"))
            else:
                blocked.append((a, b))
        for m in _BSN.finditer(text):
            money = (_MONEY_BEFORE.search(text, max(0, m.start() - 6), m.start())
                     or _MONEY_AFTER.match(text, m.end()))
            if is_valid_bsn(m.group()) and not money:
                cands.append((m.start(), m.end(), "BSN"))
        for m in _BSN8.finditer(text):
            if _BSN_CUE.search(text, max(0, m.start() - 40), m.start()) and is_valid_bsn(m.group()):
                cands.append((m.start(), m.end(), "BSN"))
        cands += [(a, b, "PHONE") for a, b in _phones(text)]
        cands += [(a, b, "POSTCODE") for a, b in _postcodes(text)]
    cands += [(a, b, "NAME") for a, b in _names(text)]

    cands = [c for c in cands if c[2] not in ("PHONE", "BSN")
             or not any(a < c[1] and c[0] < b for a, b in blocked)]
    cands.sort(key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0]))
    kept: list[tuple[int, int, str]] = []
    for c in cands:
        if all(c[1] <= k[0] or k[1] <= c[0] for k in kept):
            kept.append(c)
    return [Finding(kind, a, b, text[a:b]) for a, b, kind in sorted(kept)]


def scrub_text(text: str) -> str:
    """Replace personal data in ``text`` by placeholders naming its kind.

    Parameters
    ----------
    text : str
        An open answer, a transcript turn, an e-mail.

    Returns
    -------
    str
        The text with each finding of :func:`find_personal_data` replaced by
        ``[EMAIL]``, ``[PHONE]``, ``[IBAN]``, ``[POSTCODE]``, ``[BSN]`` or ``[NAME]``;
        everything else (spaces, punctuation, line breaks) is kept. The result is
        searched again until nothing more is found, so scrubbing twice gives the same
        text as scrubbing once.

    Raises
    ------
    ScrubError
        When ``text`` is not a str.

    Examples
    --------
    >>> scrub_text("Bel me op 06-12345678")
    'Bel me op [PHONE]'
    >>> scrub_text("Mijn naam is Piet de Vries, IBAN NL91 ABNA 0417 1643 00.")
    'Mijn naam is [NAME], IBAN [IBAN].'
    """
    _check_text(text, "scrub_text")
    for _ in range(4):  # a placeholder can reveal a cue ("Jan 06-..." -> "Jan [PHONE]")
        found = find_personal_data(text)
        if not found:
            break
        parts, pos = [], 0
        for f in found:
            parts += [text[pos:f.start], f.placeholder]
            pos = f.end
        text = "".join(parts) + text[pos:]
    return text


def scrub_series(series: pd.Series) -> pd.Series:
    """Scrub every answer in a column; missing values stay missing.

    Parameters
    ----------
    series : pandas.Series
        Text answers (``object``, ``string`` or ``str`` dtype; categoricals become
        ``object``).

    Returns
    -------
    pandas.Series
        Same index, name and dtype, each text passed through :func:`scrub_text`.
        Each distinct answer is scrubbed once, so repeated short answers cost nothing.

    Raises
    ------
    ScrubError
        When ``series`` is not a Series, or holds a value that is neither text nor
        missing (the message names the first such row).

    Examples
    --------
    >>> import pandas as pd
    >>> scrub_series(pd.Series(["Bel 0612345678", None], dtype=object)).tolist()
    ['Bel [PHONE]', None]
    """
    import pandas as pd

    if not isinstance(series, pd.Series):
        raise _fail("scrub_series", f"`series` must be a pandas Series, not "
                    f"{type(series).__name__}", series,
                    "pass one column, e.g. scrub_series(df['comment']); for one text "
                    "use scrub_text(text).")
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    missing = series.isna().to_numpy()
    present = series[~missing]
    cache: dict[str, str] = {}
    for index, value in present.items():
        if not isinstance(value, str):
            raise _fail("scrub_series", f"row {index!r} of column {series.name!r} holds a "
                        f"{type(value).__name__}, not text", value,
                        "convert the column first, e.g. series.astype('string'); phone "
                        "numbers kept as numbers have lost their leading 0.")
        if value not in cache:
            cache[value] = scrub_text(value)
    values = [v if gone else cache[v] for v, gone in zip(series.tolist(), missing)]
    return pd.Series(values, index=series.index, name=series.name, dtype=series.dtype)
