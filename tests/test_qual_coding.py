"""Coding: coding and uncoding segments, coder files (coding/<coder>.yaml) written and read
back, every bad input said clearly, all coders of a study, and the coding widget driven
without a browser (cxresearch.qual.coding, cxresearch.widgets.coding)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
import yaml

from cxresearch.qual.codebook import QualProblemsError, save_codebook
from cxresearch.qual.coding import (
    all_codings, check_coding, check_segmentation, code, dump_coder_file, load_coder_file,
    new_coding, save_coder_file, set_memo, uncode,
)
from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding, QualError, Segment, \
    Transcript

TEXT = """\
I: Hoe ging het gesprek met de schadebehandelaar?
K: Ik moest drie keer mijn verhaal doen. Dat was echt vervelend.
I: En daarna?
K: De expert kwam snel, dat gaf rust.
I: Wat had u het meest nodig?
K: Dat één iemand het regelde.
"""


def transcript_of(folder: Path, tid: str = "c01", text: str = TEXT,
                  segments: list[tuple[int, int]] | None = None) -> Transcript:
    """A transcript file in ``folder`` and its Transcript, one segment per line (as the
    transcripts reader makes them)."""
    path = folder / "transcripts" / f"{tid}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if segments is None:
        segments, pos = [], 0
        for line in text.splitlines(keepends=True):
            segments.append((pos, pos + len(line.rstrip("\n"))))
            pos += len(line)
    segs = tuple(Segment(f"{tid}:t{i:04d}", tid, start, end, text[start:start + 1],
                         time_start=15.0 * i, line=i)
                 for i, (start, end) in enumerate(segments, start=1))
    return Transcript(tid, text, str(path), hashlib.sha256(path.read_bytes()).hexdigest(),
                      "txt", {"respondent_type": "customer"}, segs)


BOOK = Codebook((
    Code("call", {"nl": "Het gesprek", "en": "The call"}, stage="call"),
    Code("transfer", {"nl": "Doorverbonden", "en": "Transferred"}, parent="call",
         valence=-1, definition={"nl": "Moet het verhaal opnieuw doen",
                                 "en": "Has to tell the story again"}),
    Code("calm", {"nl": "Rust", "en": "Calm"}, parent="call", valence=1),
    Code("needs", {"nl": "Heeft nodig", "en": "Needs"}),
    Code("one_person", {"nl": "Eén persoon", "en": "One person"}, parent="needs"),
))


@pytest.fixture
def c01(tmp_path: Path) -> Transcript:
    return transcript_of(tmp_path)


def problem(info: pytest.ExceptionInfo[QualProblemsError]) -> str:
    return str(info.value)


# -- coding ----------------------------------------------------------------------------------
def test_code_uncode_and_memos(c01: Transcript) -> None:
    coding = new_coding("anna", c01)
    assert (coding.coder, coding.transcript, coding.transcript_sha256) == \
        ("anna", "c01", c01.sha256)
    one = code(coding, ["c01:t0004", "c01:t0002"], "transfer", memo="drie keer",
               codebook=BOOK, transcript=c01)
    assert coding.applied == ()  # never mutated
    # kept in the transcript's order
    assert [a.segment for a in one.applied] == ["c01:t0002", "c01:t0004"]
    two = code(one, "c01:t0002", "transfer", transcript=c01)  # already there: kept once
    assert two.applied == one.applied and two.applied[0].memo == "drie keer"
    three = code(two, "c01:t0002", "needs", codebook=BOOK, transcript=c01)
    assert three.codes_of("c01:t0002") == ["transfer", "needs"]
    assert uncode(three, "c01:t0002", "transfer").codes_of("c01:t0002") == ["needs"]
    assert uncode(three, "c01:t0002").codes_of("c01:t0002") == []
    assert uncode(three, "c01:t0006", "calm") == three  # nothing to remove
    memo = set_memo(three, "c01:t0002", "irritatie")
    assert [a.memo for a in memo.applied if a.segment == "c01:t0002"] == ["irritatie"] * 2
    assert set_memo(memo, "c01:t0002", "", code="needs").applied[1].memo == ""
    with pytest.raises(QualProblemsError, match="QL201.*'c01:t0006' has no code"):
        set_memo(three, "c01:t0006", "x")
    with pytest.raises(QualProblemsError, match="is not a coder's name"):
        new_coding("anna/../x", c01)


def test_a_code_not_in_the_codebook_is_refused_with_a_suggestion(c01: Transcript) -> None:
    with pytest.raises(QualProblemsError) as info:
        code(new_coding("anna", c01), "c01:t0002", "transfr", codebook=BOOK)
    assert info.value.codes == ["QL160"]
    assert "no code 'transfr' in the codebook; fix: did you mean 'transfer'?" in problem(info)
    # without a codebook, any code id is taken as given
    assert code(new_coding("anna", c01), "c01:t0002", "transfr").codes_of("c01:t0002")


def test_a_segment_not_in_the_transcript_is_refused(c01: Transcript) -> None:
    with pytest.raises(QualProblemsError) as info:
        code(new_coding("anna", c01), ["c01:t0002", "c01:t0020"], "calm", transcript=c01)
    assert info.value.codes == ["QL201"]
    assert f"no segment 'c01:t0020' in transcript 'c01' ({c01.source})" in problem(info)
    assert "its segments are c01:t0001 .. c01:t0006" in problem(info)


def test_a_coding_of_another_version_names_both_hashes_the_file_and_the_fix(
        tmp_path: Path, c01: Transcript) -> None:
    coding = code(new_coding("anna", c01), "c01:t0002", "transfer")
    edited = transcript_of(tmp_path, text=TEXT.replace("drie", "vier"))
    with pytest.raises(QualProblemsError) as info:
        code(coding, "c01:t0004", "calm", transcript=edited)
    text = problem(info)
    assert info.value.codes == ["QL202"]
    assert f"version {c01.sha256[:12]} (sha256)" in text
    assert f"{edited.source} is now version {edited.sha256[:12]}" in text
    assert "re-code the transcript" in text and "re-import the old version" in text
    assert c01.sha256[:13] not in text  # the first 12 characters, not more
    with pytest.raises(QualProblemsError, match="QL207.*of transcript 'c01', not of 'c02'"):
        check_coding(coding, transcript=transcript_of(tmp_path, "c02"))


def test_overlapping_segments_are_named_with_their_character_ranges(tmp_path: Path) -> None:
    bad = transcript_of(tmp_path, segments=[(0, 50), (45, 90), (90, 120)])
    with pytest.raises(QualProblemsError) as info:
        check_segmentation(bad)
    assert info.value.codes == ["QL203"]
    assert "segments 'c01:t0001' (characters 0-50) and 'c01:t0002' (characters 45-90) " \
        "overlap" in problem(info)
    with pytest.raises(QualProblemsError, match="QL203"):
        code(new_coding("anna", bad), "c01:t0003", "calm", transcript=bad)
    outside = transcript_of(tmp_path, segments=[(0, 50), (60, 5000)])
    with pytest.raises(QualProblemsError, match="lies outside the text"):
        check_segmentation(outside)
    check_segmentation(transcript_of(tmp_path))  # one segment per line: fine


# -- coder files -----------------------------------------------------------------------------
def test_coder_file_round_trip_is_atomic_and_readable(tmp_path: Path, c01: Transcript) -> None:
    c02 = transcript_of(tmp_path, "c02")
    a = code(new_coding("anna", c01), ["c01:t0002", "c01:t0004"], "transfer",
             memo="Twee regels:\nzo", transcript=c01)
    a = code(a, "c01:t0006", "one_person", transcript=c01)
    a = dataclasses.replace(a, memo="Rustig gesprek; no")
    b = code(new_coding("anna", c02), "c02:t0004", "no", memo="yes")  # YAML 1.1 words
    path = tmp_path / "coding" / "anna.yaml"
    save_coder_file([a, b], path)
    assert [p.name for p in path.parent.iterdir()] == ["anna.yaml"]
    assert load_coder_file(path, transcripts=[c01, c02]) == [a, b]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("format: cxresearch-coding/1\ncoder: anna\ncodings:\n")
    assert "- {segment: 'c01:t0006', code: one_person}" in text  # one line per code
    assert dump_coder_file([a, b]) == text
    data = yaml.safe_load(text)
    assert data["codings"][0]["sha256"] == c01.sha256
    assert data["codings"][1]["applied"][0] == {"segment": "c02:t0004", "code": "no",
                                                "memo": "yes"}
    # an empty list of codings is a file too
    save_coder_file([], tmp_path / "coding" / "bert.yaml")
    assert load_coder_file(tmp_path / "coding" / "bert.yaml") == []


def test_coder_file_checked_against_codebook_and_transcripts(tmp_path: Path,
                                                             c01: Transcript) -> None:
    path = tmp_path / "coding" / "anna.yaml"
    path.parent.mkdir()
    path.write_text(f"""\
coder: anna
codings:
  - transcript: c01
    sha256: {c01.sha256}
    applied:
      - {{segment: 'c01:t0002', code: transfer}}
      - {{segment: 'c01:t0009', code: calm}}
      - {{segment: 'c01:t0004', code: clam}}
  - transcript: c07
    sha256: {"0" * 64}
""", encoding="utf-8")
    assert len(load_coder_file(path)) == 2  # nothing to check against
    with pytest.raises(QualProblemsError) as info:
        load_coder_file(path, codebook=BOOK, transcripts={"c01": c01})
    err = info.value
    assert err.codes == ["QL201", "QL160", "QL204"]
    assert [p.line for p in err.problems] == [7, 8, 9]
    assert "no code 'clam' in the codebook; fix: did you mean 'calm'?" in str(err.problems[1])
    assert "codes transcript 'c07', which is not among the transcripts given (c01)" in \
        str(err.problems[2])
    assert str(err).startswith(f"{path}:7: QL201 [c01:t0009] there is no segment")


def test_coder_file_of_another_transcript_version(tmp_path: Path, c01: Transcript) -> None:
    path = save_coder_file([code(new_coding("anna", c01), "c01:t0002", "calm")],
                           tmp_path / "coding" / "anna.yaml")
    edited = transcript_of(tmp_path, text=TEXT + "I: Dank u.\n")
    with pytest.raises(QualProblemsError) as info:
        load_coder_file(path, transcripts=[edited])
    assert info.value.codes == ["QL202"] and info.value.line == 4  # where the coding starts
    assert f"coder file {path} was made for transcript 'c01' version {c01.sha256[:12]}" in \
        problem(info)


@pytest.mark.parametrize("body, code_, line, words", [
    ("coder: bert\ncodings: []\n", "QL206", 1, "named after coder 'anna' but says 'coder: bert'"),
    ("codings:\n  - transcript: c01\n    sha256: {sha}\n  - transcript: c01\n"
     "    sha256: {sha}\n", "QL205", 4, "transcript 'c01' is coded twice in this file (first "
     "on line 2)"),
    ("codings:\n  - transcript: c01\n    sha256: {sha}\n    applied:\n"
     "      - {{segment: 'c01:t0002', code: calm}}\n      - {{segment: 'c01:t0002', code: calm}}\n",
     "QL208", 6, "segment 'c01:t0002' is coded 'calm' twice (first on line 5)"),
    ("codings:\n  - transcript: c01\n    sha: {sha}\n", "QL112", 3, "did you mean 'sha256'?"),
    ("codings:\n  - transcript: c01\n    sha256: 12ab\n", "QL110", 3, "64 hexadecimal digits"),
    ("codings:\n  - sha256: {sha}\n", "QL111", 2, "has no 'transcript'"),
    ("codings:\n  - transcript: c01\n    sha256: {sha}\n    applied:\n      - {{segment: x}}\n",
     "QL111", 5, "has no 'code'"),
    ("- just a list\n", "QL110", 1, "a coder file is a mapping"),
    ("codings: [\n", "QL103", 2, "invalid YAML"),
])
def test_bad_coder_files_say_where_and_what(tmp_path: Path, body: str, code_: str, line: int,
                                            words: str) -> None:
    path = tmp_path / "anna.yaml"
    path.write_text(body.format(sha="ab" * 32), encoding="utf-8")
    with pytest.raises(QualProblemsError) as info:
        load_coder_file(path)
    found = next(p for p in info.value.problems if p.code.value == code_)
    assert found.line == line and found.file == str(path)
    assert words in str(found)


def test_save_refuses_codings_that_do_not_belong_in_the_file(tmp_path: Path,
                                                             c01: Transcript) -> None:
    anna, bert = new_coding("anna", c01), new_coding("bert", c01)
    with pytest.raises(QualProblemsError, match="QL206.*codings of bert cannot go into the "
                                                "file of coder 'anna'"):
        save_coder_file([anna, bert], tmp_path / "coding" / "anna.yaml")
    with pytest.raises(QualProblemsError, match="QL205.*'c01' is coded twice"):
        save_coder_file([anna, anna], tmp_path / "coding" / "anna.yaml")
    assert not (tmp_path / "coding").exists()


def test_all_codings_of_a_study(tmp_path: Path, c01: Transcript) -> None:
    assert all_codings(tmp_path) == {}  # no coding/ folder yet
    save_codebook(BOOK, tmp_path / "codebook.yaml")
    anna = code(new_coding("anna", c01), "c01:t0002", "transfer")
    bert = code(new_coding("bert", c01), ["c01:t0002", "c01:t0004"], "calm")
    save_coder_file([anna], tmp_path / "coding" / "anna.yaml")
    save_coder_file([bert], tmp_path / "coding" / "bert.yaml")
    (tmp_path / "coding" / ".anna.yaml.x.tmp").write_text("junk", encoding="utf-8")
    found = all_codings(tmp_path, codebook=BOOK, transcripts=[c01])
    assert found == {"anna": [anna], "bert": [bert]}
    # the problems of every file at once
    (tmp_path / "coding" / "carla.yaml").write_text("coder: anna\n", encoding="utf-8")
    save_coder_file([code(new_coding("dirk", c01), "c01:t0002", "clam")],
                    tmp_path / "coding" / "dirk.yaml")
    with pytest.raises(QualProblemsError) as info:
        all_codings(tmp_path, codebook=BOOK)
    assert info.value.codes == ["QL206", "QL160"]
    assert [Path(p.file or "").name for p in info.value.problems] == ["carla.yaml", "dirk.yaml"]


# -- the widget ------------------------------------------------------------------------------
@pytest.fixture
def widgets() -> None:
    pytest.importorskip("ipywidgets")


def saved(path: Path) -> list[Coding]:
    return load_coder_file(path)


@pytest.mark.usefixtures("widgets")
def test_widget_codes_segment_by_segment_and_writes_at_once(tmp_path: Path,
                                                            c01: Transcript) -> None:
    from cxresearch.widgets import CodingWidget

    c02 = transcript_of(tmp_path, "c02")
    book_path = save_codebook(BOOK, tmp_path / "codebook.yaml")
    path = tmp_path / "coding" / "anna.yaml"
    w = CodingWidget([c01, c02], book_path, path, coder="anna", lang="nl")
    assert w.transcript == "c01" and w.segment == "c01:t0001"
    assert "Coderen als anna" in w.message and not path.exists()
    # the codebook's tree order, indented by depth, names in the widget's language
    assert list(w.boxes) == ["call", "transfer", "calm", "needs", "one_person"]
    assert w.boxes["transfer"].description == "Doorverbonden"
    assert w.boxes["transfer"].layout.margin == "0 0 0 22px"
    assert w.boxes["call"].layout.margin == "0 0 0 0px"
    assert all("cx-cw-code" in b._dom_classes for b in w.boxes.values())
    assert "cx-cw-code-calm" in w.boxes["calm"]._dom_classes
    for control in (w.picker, w.segments, w.segment_view, w.memo, w.transcript_memo,
                    w.save_button, w.next_button, w.previous_button, w.status, w.messages):
        assert any(c.startswith("cx-cw-") for c in control._dom_classes)
    # read segment by segment: speaker, time, words
    w.next_button.click()
    assert w.segment == "c01:t0002" and w.segments.value == "c01:t0002"
    assert "Ik moest drie keer mijn verhaal doen" in w.segment_view.value
    assert "0:30" in w.segment_view.value and "K" in w.segment_view.value
    # a memo before any code: said beside the memo, not stored
    w.memo.value = "Boos over het doorverbinden"
    assert "Vink eerst een code aan" in w.messages.value and not path.exists()
    # a tick writes the file at once, with the memo typed
    w.boxes["transfer"].value = True
    assert saved(path)[0].applied == (
        CodedSegment("c01:t0002", "transfer", "Boos over het doorverbinden"),)
    assert "Opgeslagen" in w.message
    w.boxes["needs"].value = True
    assert saved(path)[0].codes_of("c01:t0002") == ["transfer", "needs"]
    assert w.segments.options[1][0].startswith("● ")
    assert "1 van 6 segmenten gecodeerd" in w.progress.value
    w.memo.value = "Anders gezegd"
    assert {a.memo for a in saved(path)[0].applied} == {"Anders gezegd"}
    w.boxes["needs"].value = False
    assert saved(path)[0].codes_of("c01:t0002") == ["transfer"]
    # another segment, then back: the ticks and memo follow the segment
    w.segments.value = "c01:t0006"
    assert not any(b.value for b in w.boxes.values()) and w.memo.value == ""
    w.boxes["one_person"].value = True
    w.previous_button.click()
    w.step(-4)
    assert w.segment == "c01:t0001"
    w.select("c01:t0002")
    assert w.boxes["transfer"].value and w.memo.value == "Anders gezegd"
    # the interview memo, and another transcript
    w.transcript_memo.value = "Klant was open"
    w.picker.value = "c02"
    assert w.segment == "c02:t0001" and w.transcript_memo.value == ""
    w.select("c02:t0004")
    w.boxes["calm"].value = True
    w.memo.value = "Tevreden"
    w.save_button.click()
    codings = {c.transcript: c for c in saved(path)}
    assert codings["c01"].memo == "Klant was open"
    assert codings["c01"].segments_with(["transfer", "one_person"]) == ["c01:t0002",
                                                                        "c01:t0006"]
    assert codings["c02"].applied == (CodedSegment("c02:t0004", "calm", "Tevreden"),)
    assert [p.name for p in path.parent.iterdir()] == ["anna.yaml"]  # no drafts, no temps
    # reopening shows what the file holds
    again = CodingWidget({"c01": c01, "c02": c02}, BOOK, path, coder="anna")
    assert "2 transcript(s) coded so far" in again.message
    again.select("c01:t0002")
    assert again.boxes["transfer"].value and again.memo.value == "Anders gezegd"
    assert again.transcript_memo.value == "Klant was open"
    assert again.picker.options[0][0] == "c01  (2/6)"


@pytest.mark.usefixtures("widgets")
def test_widget_refuses_what_it_cannot_do_where_the_user_acts(tmp_path: Path,
                                                              c01: Transcript) -> None:
    from cxresearch.widgets.coding import CodingWidget

    path = tmp_path / "coding" / "anna.yaml"
    save_coder_file([code(new_coding("anna", c01), "c01:t0002", "calm")], path)
    before = path.read_bytes()
    # a transcript that changed since it was coded: shown, and not coded here
    edited = transcript_of(tmp_path, text=TEXT.replace("snel", "traag"))
    w = CodingWidget([edited], BOOK, path, coder="anna")
    assert "c01" in w.blocked and "QL202" in w.transcript_message.value
    assert "re-code the transcript" in w.transcript_message.value
    assert w.boxes["calm"].disabled and w.picker.options[0][0].startswith("⚠ ")
    w.boxes["calm"].value = True  # even when set from code
    assert not w.boxes["calm"].value and "cannot be coded here" in w.messages.value
    assert path.read_bytes() == before
    # a coder file that cannot be read is never written
    path.write_text("codings: [\n", encoding="utf-8")
    broken = CodingWidget([c01], BOOK, path, coder="anna")
    assert broken.why_readonly and "QL103" in broken.message
    assert broken.save_button.disabled
    broken.boxes["calm"].value = True
    broken.save_button.click()
    assert path.read_text(encoding="utf-8") == "codings: [\n"
    assert not broken.boxes["calm"].value
    # another coder's file
    other = CodingWidget([c01], BOOK, tmp_path / "coding" / "bert.yaml", coder="anna")
    assert "open coding/anna.yaml instead" in other.message


@pytest.mark.usefixtures("widgets")
def test_widget_does_not_overwrite_a_file_changed_on_disk(tmp_path: Path,
                                                          c01: Transcript) -> None:
    from cxresearch.widgets.coding import CodingWidget

    path = tmp_path / "coding" / "anna.yaml"
    w = CodingWidget([c01], BOOK, path, coder="anna")
    w.select("c01:t0002")
    w.boxes["calm"].value = True
    elsewhere = path.read_text(encoding="utf-8") + "# changed in another notebook\n"
    path.write_text(elsewhere, encoding="utf-8")
    w.boxes["transfer"].value = True
    assert "changed on disk" in w.message and path.read_text(encoding="utf-8") == elsewhere
    assert w.overwrite_button.layout.display == ""
    w.overwrite_button.click()
    assert saved(path)[0].codes_of("c01:t0002") == ["calm", "transfer"]
    assert w.overwrite_button.layout.display == "none"


def test_widget_errors_are_qual_errors() -> None:
    assert issubclass(QualProblemsError, QualError)
