"""Open answers from small Dutch and English phrase banks, some with fake personal data.

Phrase banks live in ``phrases/<name>.yaml`` beside this module: ``banks`` maps a bank
name (a question id, a touchpoint id or a generic name) to phrases per valence
(``negative``, ``neutral``, ``positive``, or ``any``) and language. Fake personal data
uses only obviously fictitious values: 06-12345678 variants and ``example.nl``,
``example.com`` and ``example.org`` addresses.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import yaml

__all__ = ["PII_EMAILS", "PII_PHONES", "PhraseBook", "VALENCES", "phrase_book"]

VALENCES: tuple[str, ...] = ("negative", "neutral", "positive")
_HERE = Path(__file__).resolve().parent / "phrases"

PII_PHONES: tuple[str, ...] = (
    "06-12345678", "06 12345678", "0612345678", "+31 6 12345678", "06-1234 5678",
    "06-12345679", "06-87654321", "+31 (0)6 12345678",
)
"""Fictitious phone numbers put into open answers."""

_FIRST = ("jan", "sanne", "pieter", "fatima", "mohammed", "emma", "daan", "lotte", "kees",
          "anouk", "ahmet", "inge")
_LAST = ("jansen", "devries", "bakker", "visser", "smit", "meijer", "deboer", "mulder",
         "bos", "peters", "yilmaz", "dekker")
_DOMAINS = ("example.nl", "example.com", "example.org")
PII_EMAILS: tuple[str, ...] = tuple(
    f"{f}.{l}@{_DOMAINS[i % 3]}" for i, (f, l) in enumerate(zip(_FIRST, _LAST)))
"""Fictitious e-mail addresses put into open answers."""

_PII_TEMPLATES = {
    "nl": ("Bel me gerust op {phone}.", "U kunt mij mailen via {email}.",
           "Mijn nummer is {phone}, bel maar als er vragen zijn.",
           "Neem contact op via {email} of {phone}.", "Groet, {name} ({email})"),
    "en": ("Feel free to call me on {phone}.", "You can e-mail me at {email}.",
           "My number is {phone} if you have questions.",
           "Get in touch at {email} or {phone}.", "Regards, {name} ({email})"),
}


class PhraseBook:
    """Phrases per bank, valence and language, read from YAML files."""

    def __init__(self, banks: Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]]) -> None:
        self.banks = banks

    def has(self, bank: str | None) -> bool:
        return bank is not None and bank in self.banks

    def _pool(self, bank: str, valence: str, lang: str) -> Sequence[str]:
        entry = self.banks.get(bank, {})
        for key in (valence, "any"):
            words = entry.get(key, {})
            if words.get(lang):
                return words[lang]
            if words.get("nl"):
                return words["nl"]
        return ()

    def draw(self, banks: Sequence[str], valence: np.ndarray, language: np.ndarray,
             rng: np.random.Generator, *, sentences: float = 1.3,
             max_length: int | None = None) -> np.ndarray:
        """One answer per row: phrases from the first bank that has some (per valence
        and language), a second sentence with chance ``sentences - 1``."""
        n = len(valence)
        out = np.empty(n, dtype=object)
        first = rng.random(n)
        second = rng.random(n)
        extra = rng.random(n) < max(0.0, sentences - 1.0)
        for val in np.unique(valence):
            for lang in np.unique(language):
                rows = np.flatnonzero((valence == val) & (language == lang))
                if len(rows) == 0:
                    continue
                pool: Sequence[str] = ()
                for bank in banks:
                    pool = self._pool(bank, str(val), str(lang))
                    if pool:
                        break
                if not pool:
                    out[rows] = None
                    continue
                k = len(pool)
                a = (first[rows] * k).astype(int)
                b = (second[rows] * k).astype(int)
                for r, i, j, more in zip(rows, a, b, extra[rows]):
                    text = pool[i]
                    if more and j != i and k > 1:
                        text = f"{text} {pool[j]}"
                    out[r] = text
        if max_length:
            for row in range(n):
                if out[row] is not None and len(out[row]) > max_length:
                    out[row] = out[row][:max_length].rstrip()
        return out


def add_pii(texts: np.ndarray, language: np.ndarray, rows: np.ndarray,
            rng: np.random.Generator) -> None:
    """Append a sentence with a fake phone number or e-mail address to ``texts[rows]``."""
    for r in rows:
        lang = "en" if language[r] == "en" else "nl"
        templates = _PII_TEMPLATES[lang]
        t = templates[int(rng.integers(len(templates)))]
        i = int(rng.integers(len(_FIRST)))
        sentence = t.format(phone=PII_PHONES[int(rng.integers(len(PII_PHONES)))],
                            email=PII_EMAILS[i],
                            name=f"{_FIRST[i].capitalize()} {_LAST[i].capitalize()}")
        base = texts[r] or ""
        texts[r] = f"{base} {sentence}".strip()


@functools.lru_cache(maxsize=None)
def phrase_book(*names: str) -> PhraseBook:
    """The phrase banks of ``names`` (later names override earlier ones) plus generic."""
    banks: dict[str, dict[str, dict[str, list[str]]]] = {}
    for name in ("generic", *names):
        path = _HERE / f"{name}.yaml"
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for bank, entry in (data.get("banks") or {}).items():
            banks[str(bank)] = entry
    return PhraseBook(banks)
