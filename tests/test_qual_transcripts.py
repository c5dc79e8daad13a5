"""Reading transcripts: each format from real files in tests/data/qual/transcripts, offsets
into the text as read, stable ids, sentences, timestamps, cases.csv, bad input, quotes.

The Word fixture ``e06.docx`` was written once by :func:`write_docx_fixture` (run
``.venv/bin/python tests/test_qual_transcripts.py --make-docx`` to write it again);
``test_docx_fixture_matches_its_recipe`` checks that the committed file still holds it.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

from cxresearch.qual.model import QualError, Segment, Transcript
from cxresearch.qual.transcripts import (SUPPORTED_SUFFIXES, quote, read_transcript,
                                         read_transcripts, sentence_spans)

DATA = Path(__file__).resolve().parent / "data" / "qual" / "transcripts"
FIXTURES = sorted(p for p in DATA.iterdir() if p.suffix in SUPPORTED_SUFFIXES)

DOCX_PARAGRAPHS: list[str | tuple[str, str]] = [
    "Interview medewerker e06",
    "",
    "Interviewer: Hoe ziet een eerste gesprek eruit?",
    "Medewerker: Meestal bel ik terug. Het probleem zit o.a. in de systemen, d.w.z. twee "
    "schermen.",
    "Dat kost tijd.",
    "Interviewer: En de training?",
    ("Medewerker: Die was kort.", "Te kort, eigenlijk."),  # a line break inside
]


def write_docx_fixture(path: Path) -> None:
    """Write the Word fixture: the paragraphs above, the last with a line break."""
    import docx

    document = docx.Document()
    for p in DOCX_PARAGRAPHS:
        if isinstance(p, tuple):
            paragraph = document.add_paragraph(p[0])
            paragraph.add_run().add_break()
            paragraph.add_run(p[1])
        else:
            document.add_paragraph(p)
    document.save(str(path))


def words(t: Transcript) -> list[tuple[str | None, str]]:
    return [(s.speaker, t.text[s.start:s.end]) for s in t.segments]


# -- each format ---------------------------------------------------------------------------

def test_txt_turns_speakers_timestamps_and_continuation_lines() -> None:
    t = read_transcript(DATA / "c07.txt")
    assert (t.id, t.format, t.source) == ("c07", "txt", str(DATA / "c07.txt"))
    assert words(t) == [
        (None, "Interview klant c07, golf 1. Opgenomen met toestemming."),
        ("Interviewer", "Fijn dat u er bent. Hoe begon het?"),
        ("Klant", "Ik kwam thuis en de deur stond open, bijv. de achterdeur. Ik heb o.a. de "
                  "politie gebeld.\nDaarna belde ik de hulplijn, ca. 3.5 minuten later.\n\n"
                  "Kortom: het was een chaos... maar de slotenmaker kwam snel."),
        ("Interviewer", "Hoe ging het eerste gesprek?"),
        ("Klant", "Slecht. Mijn naam is Piet de Vries en ik moest alles drie keer vertellen! "
                  "Waarom? Niemand wist het."),
        ("Interviewer", "En daarna?"),
        ("Klant", "Mevr. Jansen van de desk belde terug, d.w.z. na twee weken. Dat was m.b.t. "
                  "de uitkering \"Prima.\" zei ze."),
    ]
    assert [s.line for s in t.segments] == [1, 3, 4, 8, 9, 10, 11]
    assert [s.time_start for s in t.segments] == [None, 5, 12, 62, 70, 100, 105]
    assert [s.time_end for s in t.segments] == [None, 12, 62, 70, 100, 105, None]
    assert [s.id for s in t.segments] == [f"c07:t{i:04d}" for i in range(1, 8)]
    assert {s.kind for s in t.segments} == {"turn"}


def test_md_bold_labels_headings_and_rules() -> None:
    t = read_transcript(DATA / "c08.md")
    assert t.format == "md"
    assert words(t) == [
        (None, "Notes: recorded at the customer's home."),  # "Notes" starts one line only
        ("Interviewer", "Thank you for taking the time. Could you tell me how it started?"),
        ("Customer", "We came back from a week away, e.g. from Spain, and found the front door "
                     "forced. Mr. Smith next door had called the police at 3.30 already.\n"
                     "It was, i.e. in short, a mess..."),
        ("Interviewer", "What happened next?"),
        ("Customer", "The assessor, Dr. J. Jansen, was excellent. She explained the cover in "
                     "plain words! I trusted the process after that."),
    ]
    assert [s.line for s in t.segments] == [3, 5, 7, 10, 16]
    assert t.segments[3].time_start == 130


def test_vtt_voices_cues_and_times() -> None:
    t = read_transcript(DATA / "c09.vtt")
    assert t.format == "vtt"
    assert words(t) == [
        ("Interviewer", "Thanks for joining. Let's start.</v>"),
        ("Customer", "It was a Sunday morning. They took my bag\nand the car keys."),
        ("Customer", "Someone called me &amp; my partner, <i>you can reach me on "
                     "06-12345678</i>."),  # no voice: the speaker of the cue before
        ("Interviewer", "And then?"),
        ("Customer", "Then it went quiet."),  # a second voice in one cue: a turn of its own
    ]
    assert [(s.time_start, s.time_end) for s in t.segments] == [
        (2, 9.5), (10, 24), (24.5, 31), (60, 65.25), (60, 65.25)]
    assert [s.line for s in t.segments] == [8, 11, 15, 18, 19]
    assert quote(t, t.segments[0], scrub=False) == "Thanks for joining. Let's start."
    assert quote(t, "c09:t0003", scrub=False) == (
        "Someone called me & my partner, you can reach me on 06-12345678.")


def test_srt_with_windows_line_endings() -> None:
    t = read_transcript(DATA / "e05.srt")
    assert "\r\n" in t.text
    assert words(t) == [
        ("Interviewer", "You are a claims handler. What does the first call look like?"),
        ("Handler", "I call the customer back.\r\nUsually the same day."),
        ("Handler", "It is a circle."),
        ("Interviewer", "What about training?"),
    ]
    assert [(s.time_start, s.time_end) for s in t.segments] == [
        (1, 8), (8.5, 27), (27.5, 33), (3723.5, 3730)]
    assert [s.line for s in t.segments] == [3, 7, 12, 16]
    assert quote(t, t.segments[1], scrub=False) == (
        "I call the customer back. Usually the same day.")


def test_docx_paragraphs_joined_with_newlines() -> None:
    t = read_transcript(DATA / "e06.docx")
    assert t.format == "docx"
    assert t.text == "\n".join(p if isinstance(p, str) else "\n".join(p)
                               for p in DOCX_PARAGRAPHS)
    assert words(t) == [
        (None, "Interview medewerker e06"),
        ("Interviewer", "Hoe ziet een eerste gesprek eruit?"),
        ("Medewerker", "Meestal bel ik terug. Het probleem zit o.a. in de systemen, d.w.z. twee "
                       "schermen.\nDat kost tijd."),
        ("Interviewer", "En de training?"),
        ("Medewerker", "Die was kort.\nTe kort, eigenlijk."),
    ]
    assert [s.line for s in t.segments] == [1, 3, 4, 6, 7]  # paragraph numbers
    sentences = read_transcript(DATA / "e06.docx", segment="sentence").segments
    assert sentences[-1].line == 7 and sentences[-2].line == 7


def test_docx_fixture_matches_its_recipe(tmp_path: Path) -> None:
    write_docx_fixture(tmp_path / "e06.docx")
    assert read_transcript(tmp_path / "e06.docx").text == read_transcript(DATA / "e06.docx").text


# -- offsets, ids, sentences, timestamps ---------------------------------------------------

@pytest.mark.parametrize("segment", ["turn", "sentence"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_offsets_point_at_the_words(path: Path, segment: str) -> None:
    t = read_transcript(path, segment=segment)
    turns = read_transcript(path).segments
    ends = -1
    for s in t.segments:
        piece = t.text[s.start:s.end]
        assert piece and piece == piece.strip()
        assert s.start >= ends, "segments are in order and do not overlap"
        ends = s.end
        assert s.kind == segment and s.transcript == t.id
        assert s.id.startswith(f"{t.id}:{segment[0]}")
        turn = next(u for u in turns if u.start <= s.start and s.end <= u.end)
        assert (turn.speaker, turn.time_start, turn.time_end) == (
            s.speaker, s.time_start, s.time_end)
        if t.format != "docx":
            assert s.line == t.text.count("\n", 0, s.start) + 1


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_ids_are_stable_and_the_file_is_never_written(path: Path) -> None:
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    first, second = read_transcript(path, segment="sentence"), read_transcript(path,
                                                                               segment="sentence")
    assert first == second
    assert first.sha256 == hashlib.sha256(before[0]).hexdigest()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize("text, expected", [
    # Dutch
    ("Ik heb bijv. de politie gebeld. Daarna de verzekeraar.",
     ["Ik heb bijv. de politie gebeld.", "Daarna de verzekeraar."]),
    ("Dat ging o.a. via Mevr. Jansen, d.w.z. de desk. Zij belde m.b.t. de schade terug.",
     ["Dat ging o.a. via Mevr. Jansen, d.w.z. de desk.", "Zij belde m.b.t. de schade terug."]),
    ("Het duurde 3.5 week en kostte 1.250 euro. Nou ja... het kwam goed.",
     ["Het duurde 3.5 week en kostte 1.250 euro.", "Nou ja... het kwam goed."]),
    ("Ik weet het niet... Misschien wel! Waarom? 's Avonds belde niemand.",
     ["Ik weet het niet...", "Misschien wel!", "Waarom?", "'s Avonds belde niemand."]),
    ("Ik sprak dhr. Bakker en J. de Vries. Nr. 12 was het.",
     ["Ik sprak dhr. Bakker en J. de Vries.", "Nr. 12 was het."]),
    ("Ze zei: \"Dat klopt.\" Toen hing ze op.", ["Ze zei: \"Dat klopt.\"", "Toen hing ze op."]),
    ("Formulieren, brieven enz. Daarna niets.", ["Formulieren, brieven enz.", "Daarna niets."]),
    # English
    ("Mr. Smith and Dr. Jones came, e.g. on Monday. It was fine.",
     ["Mr. Smith and Dr. Jones came, e.g. on Monday.", "It was fine."]),
    ("The fee, i.e. the excess, was 2.5 percent... Then it went quiet.",
     ["The fee, i.e. the excess, was 2.5 percent...", "Then it went quiet."]),
    ("Forms, letters, etc. We got them all. Really? yes.",
     ["Forms, letters, etc.", "We got them all.", "Really? yes."]),
    ("First part\n\nsecond part after a blank line",
     ["First part", "second part after a blank line"]),
    ("  no end at all  ", ["no end at all"]),
])
def test_sentence_spans_dutch_and_english(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_sentence_spans_within_a_stretch() -> None:
    text = "R: Eén. Twee. Drie."
    assert sentence_spans(text, 3, 12) == [(3, 7), (8, 12)]


@pytest.mark.parametrize("line, speaker, seconds", [
    ("[00:01:23] Interviewer: Ja.", "Interviewer", 83),
    ("00:01:23 Interviewer: Ja.", "Interviewer", 83),
    ("(01:23) Interviewer: Ja.", "Interviewer", 83),
    ("[1:02:03.5] Interviewer: Ja.", "Interviewer", 3723.5),
    ("Interviewer [00:01:23]: Ja.", "Interviewer", 83),
    ("Interviewer (01:23): Ja.", "Interviewer", 83),
    ("Interviewer: [01:23] Ja.", "Interviewer", 83),
    ("Interviewer: 00:01:23,25 Ja.", "Interviewer", 83.25),
    ("**Interviewer:** (01:23) Ja.", "Interviewer", 83),
    ("[00:01:23] - Speaker 2: Ja.", "Speaker 2", 83),
    ("[75:02] Speaker 2: Ja.", "Speaker 2", 4502),  # mm:ss past the hour
])
def test_timestamps_in_seconds(tmp_path: Path, line: str, speaker: str, seconds: float) -> None:
    path = tmp_path / "t.md"
    path.write_text(line + "\n", encoding="utf-8")
    (s,) = read_transcript(path).segments
    assert (s.speaker, s.time_start, read_transcript(path).quote(s)) == (speaker, seconds, "Ja.")


def test_speaker_labels_need_a_second_line_a_role_or_a_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("Anna de Boer: Hallo.\nP2: Hoi.\nAnna de Boer: Dus zei ik: nee.\n"
                    "Dus zei ik: nee.\nOm 10:30 kwam hij, zie http://example.nl\n",
                    encoding="utf-8")
    assert [(s.speaker, s.line) for s in read_transcript(path).segments] == [
        ("Anna de Boer", 1), ("P2", 2), ("Anna de Boer", 3)]


# -- read_transcripts and cases.csv --------------------------------------------------------

def test_read_transcripts_with_cases() -> None:
    transcripts = read_transcripts(DATA)
    assert [t.id for t in transcripts] == ["c07", "c08", "c09", "e05", "e06"]
    attrs = {t.id: dict(t.attributes) for t in transcripts}
    assert attrs["c07"] == {"respondent_type": "customer", "segment": "burglary",
                            "team": "desk_south", "wave": "1", "language": "nl",
                            "channel": "phone"}
    assert attrs["c08"] == {"respondent_type": "customer", "segment": "burglary",
                            "team": "desk_north", "wave": "1", "language": "en"}
    assert attrs["c09"]["respondent_type"] == "customer"  # "Customer" in the file
    assert attrs["e06"] == {}  # no row: read with empty attributes
    sentences = read_transcripts(DATA, segment="sentence", cases=None)
    assert all(s.kind == "sentence" for t in sentences for s in t.segments)
    assert all(t.attributes == {} for t in sentences)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    for name in ("c07.txt", "e05.srt"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("cases, message, line", [
    ("transcript,respondent_type\nc07,customer\nc99,customer\n",
     r"no transcript 'c99' in the folder .*found: c07, e05", 3),
    ("transcript,respondent_type\nc07,customer\ne05,employee\nc07,employee\n",
     r"transcript 'c07' has a row already \(line 2\)", 4),
    ("transcript,respondent_type\nc07,klant\n",
     r"unknown respondent_type 'klant'; allowed: customer, employee", 2),
    ("id,respondent_type\nc07,customer\n", r"no column 'transcript' .*found: id, respondent_type",
     1),
    ("transcript,team,team\nc07,a,b\n", r"column 'team' appears twice", 1),
    ("transcript,team\nc07,a,b\n", r"the row has 3 cells, the header 2", 2),
    ("transcript,team\n,a\n", r"the row has no transcript id", 2),
    ("transcript;team\n\nc07;a\n\"e05\";\"x\ny\";z\n", r"the row has 3 cells", 4),
])
def test_bad_cases_file(study: Path, cases: str, message: str, line: int) -> None:
    (study / "cases.csv").write_text(cases, encoding="utf-8")
    with pytest.raises(QualError, match=message) as info:
        read_transcripts(study)
    assert (info.value.file, info.value.line) == (str(study / "cases.csv"), line)
    assert str(info.value).startswith(f"{study / 'cases.csv'}:{line}: ")


def test_cases_file_separated_by_semicolons_with_a_bom(study: Path) -> None:
    (study / "cases.csv").write_bytes("\ufefftranscript;Respondent_Type;wave\r\n"
                                      "e05;employee;2\r\n".encode())
    got = {t.id: dict(t.attributes) for t in read_transcripts(study)}
    assert got == {"c07": {}, "e05": {"respondent_type": "employee", "wave": "2"}}


def test_cases_file_named_but_missing(study: Path) -> None:
    with pytest.raises(QualError, match="the cases file does not exist"):
        read_transcripts(study, cases="cases-2024.csv")
    assert [t.attributes for t in read_transcripts(study)] == [{}, {}]  # no cases.csv


def test_two_files_with_one_id(study: Path) -> None:
    shutil.copy(DATA / "c08.md", study / "c07.md")
    with pytest.raises(QualError, match=r"two files have the id 'c07': c07.md and c07.txt"):
        read_transcripts(study)


def test_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(QualError, match="not a folder"):
        read_transcripts(DATA / "c07.txt")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "~$c01.docx").write_bytes(b"lock")
    with pytest.raises(QualError, match=r"no transcripts in the folder \(looked for .txt, .md"):
        read_transcripts(tmp_path)


# -- bad transcripts -----------------------------------------------------------------------

@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", r"the transcript is empty \(or only white space\)"),
    ("blank.md", b"  \n\t\n", r"the transcript is empty"),
    ("blank.srt", "\ufeff \r\n".encode(), r"the transcript is empty"),
    ("heading.md", b"# Interview\n\n---\n", r"no words found outside headings"),
    ("x.vtt", b"00:00:01.000 --> 00:00:02.000\nHi\n", r"a .vtt file starts with the line WEBVTT"),
    ("x.srt", b"1\nHello there\n", r"no cue found"),
    ("x.srt", b"1\n00:00:05,000 --> 00:00:02,000\nHi\n", r"the cue ends \(00:00:02,000\) before"),
    ("x.txt", b"[00:75] R: Hi\n", r"timestamp \[00:75\] has more than 59 seconds"),
    ("x.txt", b"[1:60:00] R: Hi\n", r"timestamp \[1:60:00\] has more than 59 seconds \(or "),
    ("x.docx", b"PK\x03\x04 not really", r"cannot be read as a Word .docx file"),
    ("x.docx", b"just text", r"is it an old .doc"),
    ("x.pdf", b"%PDF", r"'.pdf' files cannot be read as transcripts; supported: .txt, .md, "
                       r".docx, .vtt, .srt"),
    ("x.txt", "R: hé\n".encode("utf-16-le"),
     r"(?s)NUL byte at offset 1 .*encoding=\"utf-16-le\""),
])
def test_bad_transcript(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(QualError, match=message) as info:
        read_transcript(path)
    assert info.value.file == str(path)


def test_docx_with_only_a_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "Interviewer"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(QualError, match="no text outside tables"):
        read_transcript(tmp_path / "t.docx")


def test_encodings(tmp_path: Path) -> None:
    text = "Interviewer: Hoe was het café?\nKlant: Één woord: prima.\n"
    path = tmp_path / "t.txt"
    for data in (text.encode(), "\ufeff".encode() + text.encode(), text.encode("utf-16"),
                 "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")):
        path.write_bytes(data)
        t = read_transcript(path)
        assert t.text == text and t.sha256 == hashlib.sha256(data).hexdigest()
        assert words(t)[1] == ("Klant", "Één woord: prima.")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(QualError, match=r"(?s)byte 0xe9 at offset 28 \(line 1\) is not valid UTF-8"
                                        r".*fix: pass encoding=\"cp1252\"") as info:
        read_transcript(path)
    assert (info.value.file, info.value.line) == (str(path), 1)
    assert read_transcript(path, encoding="cp1252").text == text
    path.write_bytes(b"R: ok\nR: \x81 bad\n")
    with pytest.raises(QualError, match=r"byte 0x81 at offset 9 \(line 2\) is not valid cp1252"):
        read_transcript(path, encoding="cp1252")
    with pytest.raises(QualError, match=r"unknown encoding 'ansi'"):
        read_transcript(path, encoding="ansi")


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(QualError, match=r"segment must be one of 'turn', 'sentence', not 'word'"):
        read_transcript(DATA / "c07.txt", segment="word")
    with pytest.raises(QualError, match=r"segment must be one of"):
        read_transcripts(DATA, segment="paragraph")
    with pytest.raises(QualError, match=r"the transcript id 'a:b' is empty, has a ':'"):
        read_transcript(DATA / "c07.txt", id="a:b")
    with pytest.raises(QualError, match=r"unknown respondent_type 'client'"):
        read_transcript(DATA / "c07.txt", attributes={"respondent_type": "client"})
    with pytest.raises(QualError, match=r"cannot read the file"):
        read_transcript(tmp_path / "missing.txt")
    t = read_transcript(DATA / "c07.txt", id="k7", attributes={"wave": "2"})
    assert t.id == "k7" and t.segments[0].id == "k7:t0001" and t.attributes == {"wave": "2"}


# -- quotes --------------------------------------------------------------------------------

def test_quotes_are_scrubbed_and_the_transcript_is_not_changed() -> None:
    t = read_transcript(DATA / "c07.txt")
    text = t.text
    assert quote(t, "c07:t0005") == ("Slecht. Mijn naam is [NAME] en ik moest alles drie keer "
                                     "vertellen! Waarom? Niemand wist het.")
    assert "Piet de Vries" in quote(t, "c07:t0005", scrub=False)
    assert quote(t, t.segments[2]).startswith("Ik kwam thuis en de deur stond open, bijv. de "
                                              "achterdeur.")
    assert "\n" not in quote(t, t.segments[2])
    vtt = read_transcript(DATA / "c09.vtt")
    assert quote(vtt, "c09:t0003") == (
        "Someone called me & my partner, you can reach me on [PHONE].")
    assert t.text == text and t == read_transcript(DATA / "c07.txt")


def test_quote_of_a_segment_it_does_not_hold() -> None:
    t = read_transcript(DATA / "c07.txt")
    with pytest.raises(QualError, match=r"no segment 'c07:t0099' in transcript 'c07'"):
        quote(t, "c07:t0099")
    with pytest.raises(QualError, match=r"segment 'e05:t0001' belongs to transcript 'e05'"):
        quote(t, Segment("e05:t0001", "e05", 0, 4))


if __name__ == "__main__" and sys.argv[1:] == ["--make-docx"]:
    write_docx_fixture(DATA / "e06.docx")
    print("wrote", DATA / "e06.docx")
