"""The codebook: reading and writing codebook.yaml, every bad input located and coded, the
starter codebook from the insurer study's interview guide and journey, and the changes
to a codebook that the coded segments follow (cxresearch.qual.codebook)."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

import cxresearch as cx
from cxresearch.journey import Journey
from cxresearch.qual.codebook import (
    QualProblemsError, code_tree, delete_code, dump_codebook, load_codebook, loads_codebook,
    merge_codes, move_code, rename_code, save_codebook, split_code, starter_codebook,
    validate_codebook,
)
from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, QualError

ROOT = Path(__file__).resolve().parents[1]
INSURER = ROOT / "surveys" / "insurer-claims"
GUIDE = INSURER / "instruments" / "interview-guide.yaml"
SHA = "ab" * 32


@pytest.fixture(scope="module")
def journey() -> Journey:
    return Journey.load(INSURER / "journey.yaml")


@pytest.fixture(scope="module")
def starter(journey: Journey) -> Codebook:
    return starter_codebook(cx.load_instrument(GUIDE), journey)


def write(tmp_path: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, **kw: object) -> QualProblemsError:
    with pytest.raises(QualProblemsError) as info:
        load_codebook(write(tmp_path, text), **kw)  # type: ignore[arg-type]
    return info.value


NESTED = """
languages: [nl, en]
codes:
  - id: call
    name: {nl: Het gesprek, en: The call}
    stage: call
    codes:
      - id: waiting
        name: {nl: Wachten, en: Waiting}
        touchpoint: first_call
        valence: -1
        definition:
          nl: De klant wacht op iemand die het regelt.
          en: The customer waits for someone to settle it.
        example:
          nl: Ik hing twintig minuten in de wacht.
          en: I was on hold for twenty minutes.
      - id: understood
        name: {nl: Begrepen, en: Understood}
        valence: +2
  - id: other
    name: {nl: Overig, en: Other}
"""


# -- reading and writing -------------------------------------------------------------------
def test_nested_file_reads_in_tree_order_with_every_field(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, NESTED))
    assert book.ids() == ["call", "waiting", "understood", "other"]
    assert book.languages == ("nl", "en") and book.source == str(tmp_path / "codebook.yaml")
    waiting = book.code("waiting")
    assert (waiting.parent, waiting.valence, waiting.touchpoint) == ("call", -1, "first_call")
    assert waiting.definition["en"] == "The customer waits for someone to settle it."
    assert waiting.example["nl"] == "Ik hing twintig minuten in de wacht."
    assert book.code("understood").valence == 2 and book.code("call").stage == "call"
    assert [(c.id, d) for c, d in code_tree(book)] == [
        ("call", 0), ("waiting", 1), ("understood", 1), ("other", 0)]


def test_flat_file_with_parents_and_a_bare_list(tmp_path: Path) -> None:
    flat = load_codebook(write(tmp_path, """
        languages: [en]
        codes:
          - {id: waiting, name: Waiting, parent: call}
          - {id: call, name: The call}
          - {id: other, name: Other}
        """))
    # a child written before its parent is put after it (parents come first in the model)
    assert flat.ids() == ["call", "waiting", "other"]
    assert flat.code("waiting").name == {"en": "Waiting"}  # one language: plain text
    bare = load_codebook(write(tmp_path, """
        - id: a
          name: {nl: A, en: A}
        - id: b
          name: {nl: B, en: B}
          parent: a
        """, "bare.yaml"))
    assert bare.ids() == ["a", "b"] and bare.languages == ("nl", "en")


def test_save_is_atomic_and_round_trips(tmp_path: Path, starter: Codebook) -> None:
    path = tmp_path / "codebook.yaml"
    save_codebook(starter, path)
    assert [p.name for p in tmp_path.iterdir()] == ["codebook.yaml"]  # no temporary left
    again = load_codebook(path, journey=INSURER / "journey.yaml")
    assert again == dataclasses.replace(starter, source=str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("format: cxresearch-codebook/1\nlanguages: [nl, en]\n")
    assert "name: {nl: Inbraak melden, en: Report the burglary}" in text
    # a hand-made codebook whose codes are not in tree order is written flat, and comes
    # back in the same order
    odd = Codebook((Code("b", {"en": "B"}), Code("a", {"en": "A"}),
                    Code("b1", {"en": "B one\nand two"}, parent="b", valence=-2)), ("en",))
    save_codebook(odd, path)
    assert "parent: b" in path.read_text(encoding="utf-8")
    assert load_codebook(path).codes == odd.codes


def test_save_refuses_a_broken_codebook_and_writes_nothing(tmp_path: Path) -> None:
    broken = Codebook((Code("a", {"nl": "A", "en": "A"}), Code("a", {"nl": "B"}),
                       Code("c", {"nl": "C", "en": "C"}, parent="zz", valence=5)))
    with pytest.raises(QualProblemsError) as info:
        save_codebook(broken, tmp_path / "codebook.yaml")
    assert info.value.codes == ["QL121", "QL130", "QL140", "QL122"]
    assert not (tmp_path / "codebook.yaml").exists()
    assert [p.code.value for p in validate_codebook(broken)] == info.value.codes


# -- bad input: every problem located, with a stable code ------------------------------------
@pytest.mark.parametrize("text, code, line, words", [
    ("""
     codes:
       - {id: a, name: {nl: A, en: A}}
       - {id: b, name: {nl: B, en: B}}
       - {id: a, name: {nl: C, en: C}}
     """, "QL121", 4, "the code id 'a' is used twice (first on line 2)"),
    ("""
     codes:
       - {id: call, name: {nl: A, en: A}}
       - {id: waiting, name: {nl: B, en: B}, parent: cal}
     """, "QL122", 3, "did you mean 'call'?"),
    ("""
     codes:
       - {id: a, name: {nl: A, en: A}, parent: c}
       - {id: b, name: {nl: B, en: B}, parent: a}
       - {id: c, name: {nl: C, en: C}, parent: b}
     """, "QL123", 2, "are each other's ancestors"),
    ("""
     codes:
       - id: a
         name: {nl: A, en: A}
         valence: 3
     """, "QL140", 4, "from -2 to +2 (given: 3)"),
    ("""
     codes:
       - {id: a, name: {nl: A, en: A}, valence: 0.5}
     """, "QL140", 2, "given: 0.5"),
    ("""
     languages: [nl, en]
     codes:
       - id: a
         name: {nl: Wachten}
     """, "QL130", 3, "code 'a' has no name in en"),
    ("""
     codes:
       - id: a
         name: {nl: A, en: A}
         defintion: {nl: x, en: x}
     """, "QL112", 4, "did you mean 'definition'?"),
    ("""
     langauges: [nl, en]
     codes: []
     """, "QL112", 1, "did you mean 'languages'?"),
    ("""
     codes:
       - id: a
         name: {nl: A, en: A}
         codes:
           - {id: b, name: {nl: B, en: B}, parent: c}
       - {id: c, name: {nl: C, en: C}}
     """, "QL124", 5, "nested under 'a' but says 'parent: c'"),
    ("""
     codes:
       - id: a
         name: {nl: Gespannen, maar hoopvol, en: Tense}
     """, "QL131", 3, "where a language code belongs"),
    ("""
     codes:
       - {id: "first call", name: {nl: A, en: A}}
     """, "QL120", 2, "is not a code id"),
    ("""
     codes:
       - name: {nl: A, en: A}
     """, "QL111", 2, "a code has no 'id'"),
    ("""
     codes:
       - {id: a}
     """, "QL130", 2, "code 'a' has no name in nl, en"),
    ("""
     codes:
       - {id: a, name: {nl: A, en: A}}
       - just text
     """, "QL110", 3, "each code must be a mapping"),
    ("codes:\n  - {id: a, name: {nl: A, en: A}\n", "QL103", 3, "invalid YAML"),
    ("codes:\n  - {id: a, name: {nl: A, en: A}}\n  - {id: a, id: b}\n", "QL103", 3,
     "key 'id' is given twice"),
    ("", "QL100", 1, "the codebook file is empty"),
])
def test_bad_codebooks_say_where_and_what(tmp_path: Path, text: str, code: str, line: int,
                                          words: str) -> None:
    err = problems_of(tmp_path, text)
    assert code in err.codes
    problem = next(p for p in err.problems if p.code.value == code)
    assert problem.line == line and problem.file == str(tmp_path / "codebook.yaml")
    assert words in str(problem)
    assert str(err).startswith(f"{tmp_path / 'codebook.yaml'}:{err.line}: QL")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    err = problems_of(tmp_path, """
        codes:
          - {id: a, name: {nl: A, en: A}, valence: 9}
          - {id: a, name: {nl: B}}
          - {id: c, name: {nl: C, en: C}, parent: x, colour: red}
        """)
    assert err.codes == ["QL140", "QL121", "QL130", "QL112", "QL122"]
    assert [p.line for p in err.problems] == [2, 3, 3, 4, 4]
    assert "and 4 more problems" in str(err)
    assert isinstance(err, QualError) and err.where == "a"


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(QualProblemsError, match="QL101 file not found") as info:
        load_codebook(tmp_path / "nope.yaml")
    assert info.value.file == str(tmp_path / "nope.yaml")


def test_with_the_journey_stages_and_touchpoints_must_exist(tmp_path: Path,
                                                           journey: Journey) -> None:
    text = """
        codes:
          - {id: a, name: {nl: A, en: A}, stage: cal}
          - {id: b, name: {nl: B, en: B}, touchpoint: frist_call}
          - {id: c, name: {nl: C, en: C}, stage: report, touchpoint: payout}
          - {id: d, name: {nl: D, en: D}, stage: settlement, touchpoint: payout}
        """
    load_codebook(write(tmp_path, text))  # without a journey the links are not checked
    err = problems_of(tmp_path, text, journey=journey)
    assert err.codes == ["QL150", "QL151", "QL151"]
    assert "did you mean 'call'?" in str(err.problems[0])
    assert "did you mean 'first_call'?" in str(err.problems[1])
    assert "touchpoint 'payout' of stage 'settlement', but stage 'report'" in \
        str(err.problems[2])
    assert [p.line for p in err.problems] == [2, 3, 4]
    # the journey may be given as its file, too
    err = problems_of(tmp_path, text, journey=INSURER / "journey.yaml")
    assert err.codes == ["QL150", "QL151", "QL151"]


def test_loads_codebook_reads_text() -> None:
    book = loads_codebook("[{id: a, name: {nl: A, en: A}}]", "mine.yaml")
    assert book.ids() == ["a"] and book.source == "mine.yaml"


# -- the starter codebook -------------------------------------------------------------------
def test_starter_codebook_from_the_insurer_guide_and_journey(starter: Codebook,
                                                             journey: Journey) -> None:
    assert validate_codebook(starter, journey=journey) == []
    tops = [c.id for c in starter.children(None)]
    # the opening first, the stages in journey order, then looking back; the closing
    # (notes only) gets no branch
    assert tops == ["opening", *journey.stage_ids(), "looking_back"]
    for stage in journey.stages:
        assert starter.code(stage.id).stage == stage.id
        assert [c.id for c in starter.children(stage.id)] == [tp.id for tp in stage.touchpoints]
        for tp in stage.touchpoints:
            code = starter.code(tp.id)
            assert (code.stage, code.touchpoint, dict(code.name)) == (stage.id, tp.id, tp.name)
            assert [c.id for c in starter.children(tp.id)] == [
                f"{tp.id}_thinks", f"{tp.id}_feels", f"{tp.id}_needs"]
            feels = starter.children(f"{tp.id}_feels")
            assert [(c.id, c.valence) for c in feels] == [
                (f"{tp.id}_feels_positive", 1), (f"{tp.id}_feels_negative", -1)]
            assert all((c.stage, c.touchpoint) == (stage.id, tp.id)
                       for c in starter if c.parent in (tp.id, f"{tp.id}_feels"))
    assert len(starter) == 1 + 1 + 5 + 11 * 6 + 1 + 5
    # bilingual names in our words, definitions written from the journey's texts
    call = journey.touchpoint("first_call")
    thinks = starter.code("first_call_thinks")
    assert dict(thinks.name) == {"nl": "Denkt", "en": "Thinks"}
    assert dict(starter.code("first_call_needs").name) == {"nl": "Heeft nodig", "en": "Needs"}
    assert call.customer.thinks["en"] in thinks.definition["en"]
    assert dict(thinks.example) == call.customer.thinks
    assert call.customer.opportunities[0]["nl"] in starter.code("first_call_needs").definition["nl"]
    assert call.customer.pain_points[0]["en"] in \
        starter.code("first_call_feels_negative").definition["en"]
    assert "moment of truth" in starter.code("first_call").definition["en"]
    assert "moment of truth" not in starter.code("discover").definition["en"]
    assert "De interviewleidraad vraagt: " in starter.code("call").when_to_use["nl"]
    assert "the claims handler" in starter.code("call").when_to_use["en"]
    # the blocks not tied to the journey: a code per question, named by the question
    assert starter.ids()[:2] == ["opening", "iv_context"]
    assert [c.id for c in starter.children("looking_back")] == [
        "iv_peak", "iv_end", "iv_real_need", "iv_one_change", "iv_anything_else"]
    assert starter.code("iv_real_need").name["en"] == \
        "What did you actually need most during that period?"
    assert dict(starter.code("looking_back").name) == {"nl": "Terugblik", "en": "Looking back"}
    for c in starter:
        assert set(c.name) == {"nl", "en"} and all(c.name.values())
        assert set(c.definition) == {"nl", "en"}


def test_starter_codebook_options_and_refusals(journey: Journey) -> None:
    english = starter_codebook(GUIDE, INSURER / "journey.yaml", languages=("en",))
    assert english.languages == ("en",)
    assert all(set(c.name) == {"en"} for c in english)
    with pytest.raises(QualError, match="in nl and en"):
        starter_codebook(GUIDE, journey, languages=("de",))
    with pytest.raises(QualError, match="needs an interview guide.*is a survey"):
        starter_codebook(INSURER / "instruments" / "customer-survey.yaml", journey)
    # for an employee guide the definitions come from the employee lane
    guide = dataclasses.replace(cx.load_instrument(GUIDE), audience="employee")
    staff = starter_codebook(guide, journey)
    needs = staff.code("first_call_needs").definition["en"]
    assert needs.startswith("What the employee needs at 'Call with the claims handler'")
    assert journey.touchpoint("first_call").employee.needs["authority"]["en"] in needs
    assert staff.code("first_call_thinks").example == {}


# -- changes with the codings following -----------------------------------------------------
def small() -> tuple[Codebook, list[Coding]]:
    book = Codebook((
        Code("call", {"en": "Call"}),
        Code("waiting", {"en": "Waiting"}, parent="call", valence=-1),
        Code("on_hold", {"en": "On hold"}, parent="waiting"),
        Code("transfer", {"en": "Transferred"}, parent="call", valence=-1),
        Code("kind", {"en": "Kind"}, parent="call", valence=1),
        Code("other", {"en": "Other"}),
    ), ("en",))
    anna = Coding("anna", "c01", SHA, (
        CodedSegment("c01:t0002", "waiting", "twenty minutes"),
        CodedSegment("c01:t0002", "transfer", "three times"),
        CodedSegment("c01:t0004", "transfer"),
        CodedSegment("c01:t0006", "kind")))
    bert = Coding("bert", "c01", SHA, (CodedSegment("c01:t0002", "waiting"),
                                       CodedSegment("c01:t0008", "waiting")))
    return book, [anna, bert]


def test_rename_code_children_and_codings_follow() -> None:
    book, codings = small()
    before = [dataclasses.replace(c) for c in codings]
    new_book, new = rename_code(book, codings, "waiting", "wait", name={"en": "Wait"})
    assert new_book.ids() == ["call", "wait", "on_hold", "transfer", "kind", "other"]
    assert new_book.code("on_hold").parent == "wait"
    assert new_book.code("wait").name == {"en": "Wait"} and new_book.code("wait").valence == -1
    assert new[0].codes_of("c01:t0002") == ["wait", "transfer"]
    assert new[1].segments_with("wait") == ["c01:t0002", "c01:t0008"]
    assert codings == before and book.ids()[1] == "waiting"  # nothing mutated
    with pytest.raises(QualProblemsError, match="QL162.*has a code 'kind' already"):
        rename_code(book, codings, "waiting", "kind")
    with pytest.raises(QualProblemsError, match="QL160.*no code 'wating'.*did you mean "
                                                "'waiting'"):
        rename_code(book, codings, "wating", "x")


def test_merge_codes_a_segment_with_both_keeps_one() -> None:
    book, codings = small()
    new_book, new = merge_codes(book, codings, ["waiting"], into="transfer")
    assert "waiting" not in new_book
    assert new_book.code("on_hold").parent == "transfer"  # the source's children move
    anna = new[0]
    assert [(a.segment, a.code) for a in anna.applied] == [
        ("c01:t0002", "transfer"), ("c01:t0004", "transfer"), ("c01:t0006", "kind")]
    assert anna.applied[0].memo == "twenty minutes\nthree times"  # both memos kept
    assert new[1].segments_with("transfer") == ["c01:t0002", "c01:t0008"]
    # merging a parent into its own child: the child moves up to the parent's place
    up_book, up = merge_codes(book, codings, "waiting", into="on_hold")
    assert up_book.code("on_hold").parent == "call"
    assert up[1].segments_with("on_hold") == ["c01:t0002", "c01:t0008"]
    with pytest.raises(QualProblemsError, match="QL163.*into itself"):
        merge_codes(book, codings, ["waiting", "transfer"], into="waiting")


def test_split_code_moves_assigned_segments_and_keeps_the_rest() -> None:
    book, codings = small()
    parts = [Code("transfer_once", {"en": "Transferred once"}, parent="transfer"),
             Code("transfer_again", {"en": "Transferred again"}, parent="transfer")]
    new_book, new = split_code(book, codings, "transfer", parts,
                               {"c01:t0002": "transfer_again"})
    assert new_book.ids() == ["call", "waiting", "on_hold", "transfer", "transfer_once",
                              "transfer_again", "kind", "other"]
    anna = new[0]
    assert anna.codes_of("c01:t0002") == ["waiting", "transfer_again"]
    assert anna.applied[1].memo == "three times"  # the memo goes with the segment
    assert anna.codes_of("c01:t0004") == ["transfer"]  # not assigned: keeps the old code
    assert "transfer" in new_book
    # siblings instead of sub-codes
    sib_book, _ = split_code(book, codings, "transfer",
                             [Code("handover", {"en": "Handover"}, parent="call")], {})
    assert sib_book.ids().index("handover") == sib_book.ids().index("transfer") + 1
    with pytest.raises(QualProblemsError, match="QL163.*'transfer_onse'.*did you mean"):
        split_code(book, codings, "transfer", parts, {"c01:t0004": "transfer_onse"})
    with pytest.raises(QualProblemsError, match="QL201.*'c01:t0006' is not coded 'transfer'"):
        split_code(book, codings, "transfer", parts, {"c01:t0006": "transfer_once"})
    with pytest.raises(QualProblemsError, match="QL162.*'kind' already"):
        split_code(book, codings, "transfer", [Code("kind", {"en": "K"})], {})


def test_move_code_with_its_branch() -> None:
    book, _ = small()
    moved = move_code(book, "waiting", "other")
    assert moved.ids() == ["call", "transfer", "kind", "other", "waiting", "on_hold"]
    assert moved.path("on_hold") == "other > waiting > on_hold"
    top = move_code(book, "transfer", None)
    assert top.children(None)[-1].id == "transfer"
    with pytest.raises(QualProblemsError, match="QL123.*under 'on_hold', which is below it"):
        move_code(book, "waiting", "on_hold")
    with pytest.raises(QualProblemsError, match="QL160"):
        move_code(book, "waiting", "nowhere")


def test_delete_code_refused_while_in_use_unless_forced() -> None:
    book, codings = small()
    with pytest.raises(QualProblemsError, match="QL161.*'waiting' is still used: anna in c01 "
                                                r"\(1 segment\), bert in c01 \(2 segments\)"):
        delete_code(book, codings, "waiting")
    new_book, new = delete_code(book, codings, "waiting", force=True)
    assert "waiting" not in new_book and new_book.code("on_hold").parent == "call"
    assert new[1].applied == () and "waiting" not in [a.code for a in new[0].applied]
    unused_book, same = delete_code(book, codings, "other")
    assert unused_book.ids()[-1] == "kind" and same == codings


def test_changed_codebook_saves_and_reads_back(tmp_path: Path) -> None:
    book, codings = small()
    new_book, _ = merge_codes(book, codings, ["waiting"], into="transfer")
    path = save_codebook(move_code(new_book, "on_hold", None), tmp_path / "codebook.yaml")
    assert load_codebook(path).ids() == ["call", "transfer", "kind", "other", "on_hold"]
    assert "  codes:\n  - id: transfer\n" in dump_codebook(new_book)
