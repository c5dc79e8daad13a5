"""The item bank: standard CX and EX items (NPS, eNPS, CSAT, CES 2.0, ...) in nl and en.

The wording is our own and lives in ``itembank.yaml`` next to this module. Every item
names the metric it feeds and says how that metric is computed, so the definition can be
printed beside every number a report shows.

Examples
--------
>>> item = get_item("nps")
>>> item.metric
'nps'
>>> item.definition["en"].split(";")[0]
'NPS = % promoters (answers 9-10) minus % detractors (answers 0-6), from -100 to +100'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .model import Scale, Text

__all__ = ["Item", "fill", "get_item", "item_guidance", "item_names", "items", "scales"]


@dataclass(frozen=True)
class Item:
    """A standard item: its question template, the metric it feeds and that metric's definition.

    ``guidance`` says, per language, what the item measures and when (not) to use it.
    """

    name: str
    metric: str
    title: Text
    definition: Text
    question: dict[str, Any]
    subject: Text = field(default_factory=dict)
    guidance: Text = field(default_factory=dict)

    @property
    def needs_subject(self) -> bool:
        """True when the wording has a ``{subject}`` placeholder and no default subject."""
        return not self.subject and "{subject}" in repr(self.question)


@lru_cache(maxsize=1)
def _bank() -> dict[str, Any]:
    text = resources.files("cxresearch.instrument").joinpath("itembank.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def scales() -> dict[str, Scale]:
    """The named scales every instrument may use (``agree5``, ``satisfied5``, ...)."""
    return {
        name: Scale(points=int(s["points"]), labels=[dict(x) for x in s["labels"]], name=name)
        for name, s in _bank()["scales"].items()
    }


@lru_cache(maxsize=1)
def items() -> dict[str, Item]:
    """Every item of the bank by name."""
    return {
        name: Item(name=name, metric=d["metric"], title=dict(d["title"]),
                   definition=dict(d["definition"]), question=d["question"],
                   subject=dict(d.get("subject", {})), guidance=dict(d.get("guidance", {})))
        for name, d in _bank()["items"].items()
    }


def item_names() -> list[str]:
    return list(items())


def get_item(name: str) -> Item:
    """The item called ``name``; ``KeyError`` listing the known names otherwise."""
    bank = items()
    if name not in bank:
        raise KeyError(f"unknown item '{name}'; known items: {', '.join(bank)}")
    return bank[name]


def item_guidance(name: str, lang: str = "en") -> str:
    """What item ``name`` measures and when (not) to use it, in ``lang`` (nl or en).

    Examples
    --------
    >>> item_guidance("csat", "en").split(".")[0]
    'Measures satisfaction with one recent contact (a call, a visit, a chat), while it is fresh'
    """
    guidance = get_item(name).guidance
    if lang not in guidance:
        raise KeyError(f"item '{name}' has no guidance in '{lang}'; it has: "
                       f"{', '.join(guidance) or 'none'}")
    return guidance[lang]


def fill(text: dict[str, str], subject: Text) -> Text:
    """Put ``subject`` (per language) into the ``{subject}`` placeholder of ``text``."""
    return {lang: words.replace("{subject}", subject.get(lang, "{subject}"))
            for lang, words in text.items()}
