"""Property tests: every valid generated instrument exports to an XLSForm pyxform accepts,
and every invalid one raises our error type (never a library traceback)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxresearch as cx
from cxresearch.errors import InstrumentError
from cxresearch.instrument.xlsform import check_xlsform, xlsform_sheets

pytest.importorskip("pyxform")

words = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")),
                min_size=1, max_size=30).map(str.strip).filter(bool)
texts = st.fixed_dictionaries({"nl": words, "en": words})


@st.composite
def question(draw: Any, qid: str, earlier: list[tuple[str, str]]) -> dict[str, Any]:
    qtype = draw(st.sampled_from(["single_choice", "multiple_choice", "likert", "rating",
                                  "number", "text", "ranking", "date", "note",
                                  "likert_matrix"]))
    q: dict[str, Any] = {"id": qid, "type": qtype, "label": draw(texts)}
    if qtype in ("single_choice", "multiple_choice", "ranking"):
        q["choices"] = "list_a"
        if qtype != "ranking":
            q["other"] = draw(st.booleans())
        q["randomize"] = draw(st.booleans())
    if qtype in ("likert", "likert_matrix"):
        q["scale"] = draw(st.sampled_from(["agree5", "agree7", "satisfied5", "effort5"]))
    if qtype == "likert_matrix":
        q["items"] = [{"id": f"{qid}_r{i}", "label": draw(texts)}
                      for i in range(draw(st.integers(1, 4)))]
    if qtype == "number":
        if draw(st.booleans()):
            lo = draw(st.integers(-100, 100))
            q["min"], q["max"] = lo, lo + draw(st.integers(0, 1000))
        else:  # tiny and huge decimals must never reach XPath in exponent form
            q["decimals"] = True
            q["min"] = draw(st.sampled_from([0.0000001, -2.5, 1e-12, 0.1]))
            q["max"] = draw(st.sampled_from([1e15, 100.25, 3.0]))
        if draw(st.booleans()):
            q["constraint"] = ". != 13"
    if qtype == "date" and draw(st.booleans()):
        q["min"], q["max"] = "2020-01-01", draw(st.sampled_from(["2020-01-01", "2031-12-31"]))
    if qtype == "text" and draw(st.booleans()):
        q["max_length"] = draw(st.integers(1, 1000))
    if qtype != "note":
        q["required"] = draw(st.booleans())
    answered = [(i, t) for i, t in earlier if t not in ("note", "likert_matrix")]
    if answered and draw(st.booleans()):
        ref, rtype = draw(st.sampled_from(answered))
        if rtype in ("single_choice", "multiple_choice", "ranking"):
            q["relevant"] = f"selected(${{{ref}}}, 'a{draw(st.integers(0, 2))}')"
        elif rtype in ("rating", "likert", "number"):
            q["relevant"] = f"${{{ref}}} >= {draw(st.integers(0, 5))}"
        else:
            q["relevant"] = f"${{{ref}}} != ''"
    return q


@st.composite
def instrument(draw: Any) -> dict[str, Any]:
    earlier: list[tuple[str, str]] = []
    blocks = []
    for b in range(draw(st.integers(1, 3))):
        qs = []
        for _ in range(draw(st.integers(1, 5))):
            qid = f"q{len(earlier) + 1}"
            q = draw(question(qid, earlier))
            qs.append(q)
            earlier.append((qid, q["type"]))
        block: dict[str, Any] = {"id": f"b{b}", "title": draw(texts), "questions": qs}
        answered = [(i, t) for i, t in earlier[:-len(qs)] if t in ("rating", "number", "likert")]
        if answered and draw(st.booleans()):
            block["relevant"] = f"${{{draw(st.sampled_from(answered))[0]}}} >= 1"
        blocks.append(block)
    return {
        "kind": draw(st.sampled_from(["survey", "interview_guide"])),
        "id": "generated", "version": "1", "title": draw(texts),
        "audience": draw(st.sampled_from(["customer", "employee"])),
        "languages": ["nl", "en"], "purpose": draw(texts),
        "choice_lists": {"list_a": [{"value": f"a{i}", "label": draw(texts)} for i in range(3)]},
        "blocks": blocks,
    }


FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instrument())
def test_valid_instruments_export_to_xlsform_that_pyxform_accepts(data: dict[str, Any]) -> None:
    inst = cx.loads_instrument(yaml.safe_dump(data, allow_unicode=True))
    check_xlsform(xlsform_sheets(inst))
    assert cx.loads_instrument(cx.dump_instrument(inst)) == inst


def _break(data: dict[str, Any], how: str) -> None:
    qs = data["blocks"][-1]["questions"]
    if how == "duplicate":
        qs.append(dict(qs[0]))
    elif how == "unknown_ref":
        qs[-1]["relevant"] = "${missing} = 1"
    elif how == "later_ref":
        data["blocks"][0]["questions"][0]["relevant"] = f"${{{qs[-1]['id']}}} != ''"
    elif how == "empty_list":
        data["choice_lists"]["list_a"] = []
        qs.append({"id": "zz", "type": "single_choice", "choices": "list_a",
                   "label": {"nl": "a", "en": "b"}})
    elif how == "missing_translation":
        qs[-1]["label"] = {"nl": "alleen nl"}
    elif how == "bad_type":
        qs[-1]["type"] = "slider"
    elif how == "bad_function":
        qs[-1]["relevant"] = "frobnicate(1)"
    elif how == "not_a_mapping":
        data["blocks"][0] = "text"


EXPECTED = {"duplicate": {"CX121"}, "unknown_ref": {"CX161"}, "later_ref": {"CX161", "CX162"},
            "empty_list": {"CX141"}, "missing_translation": {"CX130"}, "bad_type": {"CX113"},
            "bad_function": {"CX163"}, "not_a_mapping": {"CX110"}}


@FAST
@given(instrument(), st.sampled_from(sorted(EXPECTED)))
def test_invalid_instruments_raise_our_error(data: dict[str, Any], how: str) -> None:
    _break(data, how)
    with pytest.raises(InstrumentError) as exc:
        cx.loads_instrument(yaml.safe_dump(data, allow_unicode=True))
    assert set(exc.value.codes) & EXPECTED[how], exc.value.codes


@FAST
@given(instrument(), st.text(max_size=40), st.text(max_size=40))
def test_any_label_text_loads_and_exports_or_raises_our_error(data: dict[str, Any], nl: str,
                                                              en: str) -> None:
    """Control characters, '${', quotes, emoji: each is accepted and exported, or refused."""
    from cxresearch.instrument.xlsform import xlsform_bytes

    data["blocks"][0]["questions"][0]["label"] = {"nl": nl, "en": en}
    try:
        inst = cx.loads_instrument(yaml.safe_dump(data, allow_unicode=True))
    except InstrumentError:
        return
    sheets = xlsform_sheets(inst)
    check_xlsform(sheets)
    xlsform_bytes(sheets)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        cx.loads_instrument(text)
    except InstrumentError:
        pass
