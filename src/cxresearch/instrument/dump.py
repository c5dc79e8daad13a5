"""Write instruments as YAML, the source-of-truth format that :mod:`.yamlio` reads back.

Item bank uses are written out in full (with ``item:`` recording where they came from), so
a written file reads back to an equal instrument whatever the item bank holds later.
"""

from __future__ import annotations

from typing import Any, Callable

import yaml

from . import itembank
from .model import Instrument, Question, Scale, Text

__all__ = ["dump_instrument", "instrument_to_dict"]


def _text(t: Text) -> Any:
    return dict(t)


def _scale_dict(s: Scale) -> dict[str, Any]:
    d: dict[str, Any] = {"points": s.points}
    if s.start != 1:
        d["start"] = s.start
    d["labels"] = [_text(x) for x in s.labels]
    return d


def _question_dict(q: Question, inst: Instrument) -> dict[str, Any]:
    d: dict[str, Any] = {"id": q.id, "type": q.type}
    put: Callable[[str, Any], None] = lambda k, v: d.__setitem__(k, v) if v else None
    put("label", _text(q.label))
    put("hint", _text(q.hint))
    put("required", q.required)
    put("required_message", _text(q.required_message))
    put("relevant", q.relevant)
    put("constraint", q.constraint)
    put("constraint_message", _text(q.constraint_message))
    if q.type in ("single_choice", "multiple_choice", "ranking"):
        d["choices"] = q.choices
        put("randomize", q.randomize)
        put("other", q.other)
        if q.min_selected is not None:
            d["min_selected"] = q.min_selected
        if q.max_selected is not None:
            d["max_selected"] = q.max_selected
    if q.scale is not None:
        d["scale"] = q.scale.name if q.scale.name else _scale_dict(q.scale)
    if q.items:
        d["items"] = [{"id": it.id, "label": _text(it.label)} for it in q.items]
    put("anchors", {k: _text(v) for k, v in q.anchors.items()})
    if q.type == "number":
        if q.min_value is not None:
            d["min"] = int(q.min_value) if q.min_value.is_integer() else q.min_value
        if q.max_value is not None:
            d["max"] = int(q.max_value) if q.max_value.is_integer() else q.max_value
        put("decimals", q.decimals)
        put("unit", _text(q.unit))
    if q.type == "text":
        if q.length != "short":
            d["length"] = q.length
        if q.max_length is not None:
            d["max_length"] = q.max_length
    if q.type == "date":
        put("min", q.min_date)
        put("max", q.max_date)
    put("interviewer_note", _text(q.interviewer_note))
    put("probes", [_text(p) for p in q.probes])
    put("personal", q.personal)
    put("metric", q.metric)
    put("item", q.item)
    return d


def instrument_to_dict(inst: Instrument) -> dict[str, Any]:
    """The instrument as plain data in the YAML format (item bank uses written out)."""
    d: dict[str, Any] = {"format": "cxresearch-instrument/1", "kind": inst.kind, "id": inst.id,
                         "version": inst.version, "title": _text(inst.title),
                         "audience": inst.audience, "languages": list(inst.languages)}
    if inst.default_language:
        d["default_language"] = inst.default_language
    d["purpose"] = _text(inst.purpose)
    d["min_group_size"] = inst.min_group_size
    if inst.description:
        d["description"] = _text(inst.description)
    if inst.journey:
        d["journey"] = inst.journey
    if inst.metadata:
        d["metadata"] = list(inst.metadata)
    if inst.duration_minutes:
        d["duration_minutes"] = inst.duration_minutes
    if inst.fielding is not None:
        fielding = {"moment": inst.fielding.moment, "frequency": inst.fielding.frequency}
        if any(fielding.values()):
            d["fielding"] = {k: v for k, v in fielding.items() if v}
    builtin = itembank.scales()
    own = {n: s for n, s in inst.scales.items() if n not in builtin or builtin[n] != s}
    if own:
        d["scales"] = {n: _scale_dict(s) for n, s in own.items()}
    if inst.choice_lists:
        d["choice_lists"] = {
            name: [{"value": c.value, "label": _text(c.label)} for c in cl.choices]
            for name, cl in inst.choice_lists.items()}
    blocks = []
    for b in inst.blocks:
        bd: dict[str, Any] = {"id": b.id, "title": _text(b.title)}
        for key in ("stage", "touchpoint", "relevant"):
            if getattr(b, key):
                bd[key] = getattr(b, key)
        if b.intro:
            bd["intro"] = _text(b.intro)
        bd["questions"] = [_question_dict(q, inst) for q in b.questions]
        blocks.append(bd)
    d["blocks"] = blocks
    return d


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_instrument(inst: Instrument) -> str:
    """The instrument as YAML text that :func:`loads_instrument` reads back to an equal model."""
    header = f"# {inst.kind.replace('_', ' ')} '{inst.id}', written by cxresearch\n"
    return header + yaml.dump(instrument_to_dict(inst), Dumper=_Dumper, sort_keys=False,
                              allow_unicode=True, width=100, default_flow_style=False)
