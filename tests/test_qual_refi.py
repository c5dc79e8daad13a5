"""REFI-QDA exchange (cxresearch.qual.refi): .qdc codebooks and .qdpx projects.

Round trips through our own reader, files written the way other tools write them
(tests/data/qual/refi, see its README), and the schemas' verdict on what we write
(Codebook.xsd and Project-mrt2019.xsd, checked when lxml is installed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch import __version__
from cxresearch.qual import refi
from cxresearch.qual.model import (Code, Codebook, CodedSegment, Coding, QualError, Segment,
                                   Transcript)

DATA = Path(__file__).parent / "data" / "qual" / "refi"
SCHEMA = DATA / "schema"

TEXT_C01 = ("Interviewer: Hoe verliep het eerste contact?\n"
            "Klant: Ik hing twintig minuten in de wacht. Daarna kreeg ik een medewerker die "
            "écht luisterde – ĳzersterk.\n"
            "Interviewer: En de expert?\n"
            "Klant: Die kwam pas na drie weken, dat vond ik teleurstellend.\n")
TEXT_E01 = "Interviewer: Wat hielp je?\nMedewerker: Het nieuwe scherm; één klik en klaar.\n"


def _transcript(tid: str, text: str, attributes: dict[str, str], **extra: str) -> Transcript:
    """Turns per line, and a sentence for every phrase given in ``extra``."""
    segments, pos = [], 0
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        speaker = line.split(":", 1)[0]
        segments.append(Segment(f"{tid}:t{n:04d}", tid, pos, pos + len(line), speaker, line=n))
        pos += len(line)
    for n, phrase in enumerate(extra.values(), 1):
        start = text.index(phrase)
        segments.append(Segment(f"{tid}:s{n:04d}", tid, start, start + len(phrase), "Klant",
                                kind="sentence", line=text.count("\n", 0, start) + 1))
    raw = text.encode("utf-8")
    return Transcript(tid, text, f"transcripts/{tid}.txt", hashlib.sha256(raw).hexdigest(),
                      "txt", attributes, tuple(segments))


@pytest.fixture
def transcripts() -> list[Transcript]:
    return [
        _transcript("c01", TEXT_C01, {"respondent_type": "customer", "wave": "1",
                                      "segment": "particulier"},
                    wait="Ik hing twintig minuten in de wacht.",
                    kind="een medewerker die écht luisterde",
                    late="Die kwam pas na drie weken"),
        _transcript("e01", TEXT_E01, {"respondent_type": "employee", "team": "schade"}),
    ]


@pytest.fixture
def codebook() -> Codebook:
    return Codebook((
        Code("call", {"nl": "Telefoon", "en": "Phone call"}, stage="report", touchpoint="phone",
             definition={"nl": "Alles over het telefoongesprek.", "en": "The phone call."}),
        Code("call_waiting", {"nl": "Wachten", "en": "Waiting"}, parent="call",
             definition={"nl": "De beller wacht voordat iemand opneemt.",
                         "en": "The caller waits before anyone answers."},
             when_to_use={"nl": "Wachttijd, in de wacht staan, doorverbinden."},
             when_not={"en": "Waiting for a callback: use callback.\nExample: not this one"},
             example={"nl": "“Ik hing twintig minuten in de wacht.”"},
             stage="report", touchpoint="phone", valence=-2),
        Code("kind", {"nl": "Vriendelijk", "en": "Kind"}, parent="call", valence=2),
        Code("expert", {"nl": "Expert", "en": "Loss adjuster"}, stage="assessment"),
        Code("expert_late", {"nl": "Te laat"}, parent="expert", valence=-1,
             definition={"nl": "De expert komt later dan beloofd."}),
        Code("tools", {"nl": "Hulpmiddelen", "en": "Tools"}, valence=1),
    ), languages=("nl", "en"))


@pytest.fixture
def codings(transcripts: list[Transcript]) -> list[Coding]:
    c01, e01 = transcripts
    return [
        Coding("AB", "c01", c01.sha256, (
            CodedSegment("c01:s0001", "call_waiting", "Typisch: twintig minuten."),
            CodedSegment("c01:s0002", "kind"),
            CodedSegment("c01:t0004", "expert_late", "Na drie weken;\nbuiten de norm."),
            CodedSegment("c01:s0003", "expert_late"),
        ), memo="Klant was vooral boos over de expert."),
        Coding("CD", "c01", c01.sha256, (
            CodedSegment("c01:s0001", "call_waiting"),
            CodedSegment("c01:t0002", "kind", "hele beurt"),
            CodedSegment("c01:t0002", "call_waiting"),
        )),
        Coding("AB", "e01", e01.sha256, (CodedSegment("e01:t0002", "tools"),),
               memo="Eén memo met ‘aanhalingstekens’ & <tekens>."),
    ]


def _no_source(codebook: Codebook) -> Codebook:
    return dataclasses.replace(codebook, source=None)


def _zip_dir(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return target


def _zip(target: Path, members: Mapping[str, str | bytes]) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def _qde(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde").decode("utf-8")


# ------------------------------------------------------------------------- codebook

@pytest.mark.parametrize("lang", ["en", "nl"])
def test_qdc_round_trip(tmp_path: Path, codebook: Codebook, lang: str) -> None:
    path = refi.write_qdc(codebook, tmp_path / "codes.qdc", lang=lang,
                          colors={"call": "#3C78D8"})
    back, warnings = refi.read_qdc(path)
    assert _no_source(back) == codebook
    assert back.source == str(path)
    name = codebook.code("call").name[lang]
    assert warnings == [f"colours of 1 code ('{name}') not kept: the codebook has no colours"]


def test_qdc_names_the_code_in_lang_and_reads_in_any_tool(tmp_path: Path,
                                                          codebook: Codebook) -> None:
    xml = refi.write_qdc(codebook, tmp_path / "codes.qdc", lang="en").read_text("utf-8")
    assert 'name="Waiting" isCodable="true"' in xml
    # a code without an English name is named in the codebook's first language
    assert 'name="Te laat"' in xml
    description = re.search(r'name="Waiting".*?<Description>(.*?)</Description>', xml,
                            re.S)
    assert description is not None
    assert description.group(1) == (
        "Definition: The caller waits before anyone answers.\n\n"
        "When not to use: Waiting for a callback: use callback.\n\\Example: not this one\n\n"
        "[nl]\n\n"
        "Name: Wachten\n\n"
        "Definition: De beller wacht voordat iemand opneemt.\n\n"
        "When to use: Wachttijd, in de wacht staan, doorverbinden.\n\n"
        "Example: “Ik hing twintig minuten in de wacht.”\n\n"
        '[cxresearch] {"id": "call_waiting", "lang": "en", "languages": ["nl", "en"], '
        '"stage": "report", "touchpoint": "phone", "valence": -2}')


def test_qdc_guids_are_stable(tmp_path: Path, codebook: Codebook) -> None:
    one = refi.write_qdc(codebook, tmp_path / "a.qdc").read_bytes()
    two = refi.write_qdc(codebook, tmp_path / "b.qdc").read_bytes()
    assert one == two
    guids = re.findall(r'guid="([0-9A-F-]{36})"', one.decode())
    assert len(set(guids)) == len(codebook)


_LINES = st.lists(st.sampled_from(
    ["", " ", "a", "Tekst met é", "Example: x", "Name:", "When to use: y", "[nl]", "[en-GB]",
     "[cxresearch] {}", "\\", "\\Example: z", "  ingesprongen", "Definition:"]),
    min_size=0, max_size=5).map("\n".join)


@settings(max_examples=60, deadline=None)
@given(definition=_LINES, example=_LINES, nl_name=_LINES, trailing=st.sampled_from(["", "\n"]))
def test_qdc_description_round_trips_any_text(definition: str, example: str, nl_name: str,
                                              trailing: str) -> None:
    code = Code("c", {"en": "C", "nl": nl_name}, definition={"en": definition + trailing},
                example={"nl": example, "en": ""}, valence=0)
    cb = Codebook((code,), ("en", "nl"))
    with tempfile.TemporaryDirectory() as folder:
        back, _ = refi.read_qdc(refi.write_qdc(cb, Path(folder) / "c.qdc"))
    assert _no_source(back) == cb


def test_qdc_code_without_names_round_trips(tmp_path: Path) -> None:
    cb = Codebook((Code("x", {}, definition={"nl": "Zonder naam"}),), ("nl",))
    path = refi.write_qdc(cb, tmp_path / "x.qdc")
    assert 'name="x"' in path.read_text("utf-8")
    assert _no_source(refi.read_qdc(path)[0]) == cb


@pytest.mark.parametrize("codes, message", [
    ((), "the codebook has no codes"),
    ((Code("a", {"en": "A"}), Code("a", {"en": "B"})), "code 'a' is in the codebook twice"),
    ((Code("a", {"en": "A"}, parent="zz"),), "parent 'zz', which is not in the codebook"),
    ((Code("a", {"en": "A"}, parent="b"), Code("b", {"en": "B"}, parent="a")),
     "codes a, b are their own ancestors"),
    ((Code("a", {"en": "A\x0b"}),), "U\\+000B at position 1 cannot be written in XML"),
])
def test_write_qdc_refuses(tmp_path: Path, codes: tuple[Code, ...], message: str) -> None:
    with pytest.raises(QualError, match=message):
        refi.write_qdc(Codebook(codes), tmp_path / "x.qdc")
    assert not list(tmp_path.iterdir())


def test_write_qdc_checks_colours(tmp_path: Path, codebook: Codebook) -> None:
    with pytest.raises(QualError, match="'red' for code 'call' is not #RRGGBB"):
        refi.write_qdc(codebook, tmp_path / "x.qdc", colors={"call": "red"})
    with pytest.raises(QualError, match="colors: no code 'nope'"):
        refi.write_qdc(codebook, tmp_path / "x.qdc", colors={"nope": "#fff"})


def test_qualcoder_style_qdc() -> None:
    """Written as QualCoder exports (BOM, categories, colours), with an ATLAS.ti-style set."""
    cb, warnings = refi.read_qdc(DATA / "qualcoder-style.qdc", lang="nl")
    assert cb.ids() == ["contact_met_de_verzekeraar", "bereikbaarheid", "bejegening",
                        "uitkering_vergoeding", "uitkering_en_vergoeding"]
    assert [c.parent for c in cb] == [None, "contact_met_de_verzekeraar",
                                      "contact_met_de_verzekeraar", None, None]
    assert cb.languages == ("nl",)
    reach = cb.code("bereikbaarheid")
    assert reach.name == {"nl": "Bereikbaarheid"}
    assert reach.definition == {"nl": "Hoe makkelijk de klant iemand te spreken krijgt."}
    assert reach.when_to_use == {"nl": "wachttijd, doorverbinden, terugbelverzoeken"}
    assert reach.when_not == {"nl": "de toon van het gesprek (zie Bejegening)"}
    assert cb.code("bejegening").example == {"nl": '"ze nam echt de tijd voor me"'}
    assert cb.code("uitkering_vergoeding").name == {"nl": "Uitkering & vergoeding"}
    assert warnings == [
        "code 'Contact met de verzekeraar' is not codable (a category) in the file; read as "
        "an ordinary code",
        "code set 'Pijnpunten' (Bereikbaarheid, Uitkering & vergoeding) not read: the "
        "codebook has no sets",
        "colours of 3 codes ('Bereikbaarheid', 'Bejegening', 'Uitkering & vergoeding') not "
        "kept: the codebook has no colours",
    ]


def test_read_qdc_errors(tmp_path: Path) -> None:
    with pytest.raises(QualError, match="cannot read the codebook"):
        refi.read_qdc(tmp_path / "missing.qdc")
    bad = tmp_path / "bad.qdc"
    bad.write_text('<?xml version="1.0"?>\n<CodeBook>\n<Codes>\n</CodeBook>\n', "utf-8")
    with pytest.raises(QualError, match=r"bad.qdc:4: the XML does not parse: mismatched tag"):
        refi.read_qdc(bad)
    bad.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', "utf-8")
    with pytest.raises(QualError, match="the root element is <Project>, not <CodeBook>"):
        refi.read_qdc(bad)


def test_copied_code_gets_a_new_id(tmp_path: Path, codebook: Codebook) -> None:
    xml = refi.write_qdc(codebook, tmp_path / "c.qdc").read_text("utf-8")
    first = re.search(r'<Code guid="[^"]+" name="Tools".*?</Code>', xml, re.S)
    assert first is not None
    copy = re.sub(r'guid="[^"]+"', 'guid="00000000-0000-0000-0000-000000000001"',
                  first.group(0).replace('name="Tools"', 'name="Tools copy"'))
    (tmp_path / "c.qdc").write_text(xml.replace(first.group(0), first.group(0) + copy),
                                    "utf-8")
    back, warnings = refi.read_qdc(tmp_path / "c.qdc")
    assert back.ids()[-2:] == ["tools", "tools_copy"]
    assert warnings == ["code 'Tools copy': its id 'tools' is taken or not an id (a copied "
                        "code?); given a new id"]


# ------------------------------------------------------------------------- project

def test_qdpx_round_trip(tmp_path: Path, transcripts: list[Transcript], codebook: Codebook,
                         codings: list[Coding]) -> None:
    path = refi.write_qdpx(tmp_path / "study.qdpx", transcripts=transcripts,
                           codebook=codebook, codings=codings, project_name="Schadeproces",
                           lang="nl")
    project = refi.read_qdpx(path)
    assert project.warnings == ()
    assert (project.name, project.origin) == ("Schadeproces", f"cxresearch {__version__}")
    assert _no_source(project.codebook) == codebook
    assert project.codings == tuple(codings)
    for back, original in zip(project.transcripts, transcripts, strict=True):
        assert dataclasses.replace(back, segments=()) == dataclasses.replace(original,
                                                                             segments=())
        coded = {a.segment for c in codings if c.transcript == original.id for a in c.applied}
        assert [(s.id, s.start, s.end, s.kind) for s in back.segments] == sorted(
            ((s.id, s.start, s.end, s.kind) for s in original.segments if s.id in coded),
            key=lambda x: (x[1], x[2], x[0]))
        for s in back.segments:
            assert back.quote(s) == original.quote(s.id)


def test_qdpx_with_our_transcripts_gives_them_back(tmp_path: Path, transcripts: list[Transcript],
                                                   codebook: Codebook,
                                                   codings: list[Coding]) -> None:
    path = refi.write_qdpx(tmp_path / "s.qdpx", transcripts=transcripts, codebook=codebook,
                           codings=codings, project_name="S")
    project = refi.read_qdpx(path, transcripts=transcripts)
    assert project.transcripts == tuple(transcripts)
    assert project.codings == tuple(codings)
    assert project.warnings == ()


def test_positions_count_characters_not_bytes(tmp_path: Path, transcripts: list[Transcript],
                                              codebook: Codebook,
                                              codings: list[Coding]) -> None:
    path = refi.write_qdpx(tmp_path / "s.qdpx", transcripts=transcripts, codebook=codebook,
                           codings=codings, project_name="S")
    xml = _qde(path)
    late = re.search(r'name="c01:s0003" startPosition="(\d+)" endPosition="(\d+)"', xml)
    assert late is not None
    start, end = int(late.group(1)), int(late.group(2))
    assert TEXT_C01[start:end] == "Die kwam pas na drie weken"
    assert start == TEXT_C01.index("Die kwam")
    assert start != TEXT_C01.encode("utf-8").index("Die kwam".encode())  # é, –, ĳ before it
    with zipfile.ZipFile(path) as zf:
        source = next(n for n in zf.namelist() if n.startswith("sources/"))
        text = zf.read(source)
    assert text == TEXT_C01.encode("utf-8")  # UTF-8, no byte-order mark


def test_qdpx_layout_and_stable_bytes(tmp_path: Path, transcripts: list[Transcript],
                                      codebook: Codebook, codings: list[Coding]) -> None:
    one, two = (refi.write_qdpx(tmp_path / name, transcripts=transcripts, codebook=codebook,
                                codings=codings, project_name="S").read_bytes()
                for name in ("a.qdpx", "b.qdpx"))
    assert one == two
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.qdpx", "b.qdpx"]  # no temp files
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        names = zf.namelist()
    assert names[0] == "project.qde"
    assert all(re.fullmatch(r"sources/[0-9A-F-]{36}\.txt", n) for n in names[1:])
    xml = _qde(tmp_path / "a.qdpx")
    assert xml.count("<User ") == 2 and xml.count("<Case ") == 2
    assert xml.count('typeOfVariable="Text"') == 4  # respondent_type, wave, segment, team
    assert xml.count("<PlainTextSelection ") == 8 and xml.count("<Note ") == 2


def test_text_changed_in_another_tool(tmp_path: Path, transcripts: list[Transcript],
                                      codebook: Codebook, codings: list[Coding]) -> None:
    path = refi.write_qdpx(tmp_path / "s.qdpx", transcripts=transcripts[1:], codebook=codebook,
                           codings=codings[2:], project_name="S")
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    name = next(n for n in members if n.startswith("sources/"))
    members[name] = members[name].replace("één klik".encode(), "twee klikken".encode())
    project = refi.read_qdpx(_zip(tmp_path / "edited.qdpx", members),
                             transcripts=transcripts)
    assert project.warnings == (
        "text source 'e01': the text changed after cxresearch wrote it; read as a new version",
        "text source 'e01': its text differs from transcript 'e01'; read as another version")
    (t,) = project.transcripts
    assert t.id == "e01" and "twee klikken" in t.text
    assert t.sha256 == hashlib.sha256(members[name]).hexdigest()
    assert [s.kind for s in t.segments] == [refi.SELECTION_KIND]
    assert project.codings[0].transcript_sha256 == t.sha256


@pytest.mark.parametrize("change, message", [
    (lambda c: [dataclasses.replace(c[0], transcript_sha256="0" * 64)],
     "made for another version of the transcript"),
    (lambda c: [dataclasses.replace(c[0], applied=(CodedSegment("c01:t0099", "call"),))],
     "no segment 'c01:t0099' in transcript 'c01'"),
    (lambda c: [dataclasses.replace(c[0], applied=(CodedSegment("c01:t0001", "nope"),))],
     "code 'nope' \\(segment c01:t0001\\) is not in the codebook"),
    (lambda c: [dataclasses.replace(c[0], applied=(CodedSegment("c01:t0001", "call"),) * 2)],
     "code 'call' is applied twice to segment c01:t0001"),
    (lambda c: [c[0], c[0]], "the coder has two codings of this transcript"),
    (lambda c: [dataclasses.replace(c[0], transcript="c99")], "no transcript 'c99' is given"),
    (lambda c: [dataclasses.replace(c[0], memo="bel\x07")], "U\\+0007"),
])
def test_write_qdpx_refuses(tmp_path: Path, transcripts: list[Transcript], codebook: Codebook,
                            codings: list[Coding],
                            change: Callable[[list[Coding]], list[Coding]],
                            message: str) -> None:
    with pytest.raises(QualError, match=message):
        refi.write_qdpx(tmp_path / "x.qdpx", transcripts=transcripts, codebook=codebook,
                        codings=change(codings), project_name="S")
    assert not list(tmp_path.iterdir())


def test_write_qdpx_refuses_a_transcript_twice(tmp_path: Path,
                                               transcripts: list[Transcript]) -> None:
    with pytest.raises(QualError, match="transcript 'c01' is given twice"):
        refi.write_qdpx(tmp_path / "x.qdpx", transcripts=[transcripts[0]] * 2,
                        codebook=Codebook(()), codings=[], project_name="S")


def test_read_qdpx_errors(tmp_path: Path) -> None:
    with pytest.raises(QualError, match="no such file"):
        refi.read_qdpx(tmp_path / "missing.qdpx")
    (tmp_path / "not.qdpx").write_text("hallo", "utf-8")
    with pytest.raises(QualError, match="not.qdpx: not a REFI-QDA project .* not a zip"):
        refi.read_qdpx(tmp_path / "not.qdpx")
    with pytest.raises(QualError, match=r"no project.qde in the archive \(it has x.qde\)"):
        refi.read_qdpx(_zip(tmp_path / "a.qdpx", {"x.qde": "<Project/>"}))
    with pytest.raises(QualError, match=r"b.qdpx!project.qde:3: the XML does not parse"):
        refi.read_qdpx(_zip(tmp_path / "b.qdpx", {"project.qde": "<Project>\n<Users>\n</Project>"}))
    with pytest.raises(QualError, match="declares a DTD or entities"):
        refi.read_qdpx(_zip(tmp_path / "c.qdpx", {"project.qde": (
            '<!DOCTYPE p [<!ENTITY a "aaaa">]><Project name="&a;"/>')}))


def test_read_qdpx_damaged_archive(tmp_path: Path, transcripts: list[Transcript],
                                   codebook: Codebook) -> None:
    path = refi.write_qdpx(tmp_path / "s.qdpx", transcripts=transcripts, codebook=codebook,
                           codings=[], project_name="S")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("project.qde")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10:start + 20] = b"\x00" * 10  # the deflated project.qde, not the index
    path.write_bytes(bytes(data))
    with pytest.raises(QualError, match="s.qdpx: the archive is damaged"):
        refi.read_qdpx(path)


@pytest.mark.parametrize("member", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd",
                                    "C:/Windows/evil.txt", "\\\\server\\share.txt"])
def test_read_qdpx_refuses_members_outside_the_project(tmp_path: Path, member: str) -> None:
    path = _zip(tmp_path / "slip.qdpx", {"project.qde": '<Project name="x"/>', member: "x"})
    with pytest.raises(QualError, match="refused: the archive member .* points outside"):
        refi.read_qdpx(path)


def test_read_qdpx_refuses_a_plain_text_path_outside_the_project(tmp_path: Path) -> None:
    qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           '<TextSource guid="00000000-0000-0000-0000-000000000001" name="t" '
           'plainTextPath="internal://../../etc/passwd"/></Sources></Project>')
    with pytest.raises(QualError, match="refused: the archive member '../../etc/passwd'"):
        refi.read_qdpx(_zip(tmp_path / "p.qdpx", {"project.qde": qde}))


def test_coding_of_a_code_that_does_not_exist(tmp_path: Path) -> None:
    qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           '<TextSource guid="00000000-0000-0000-0000-000000000001" name="t">'
           '<PlainTextContent>Hallo wereld</PlainTextContent>'
           '<PlainTextSelection guid="00000000-0000-0000-0000-000000000002" '
           'startPosition="0" endPosition="5">'
           '<Coding guid="00000000-0000-0000-0000-000000000003">'
           '<CodeRef targetGUID="00000000-0000-0000-0000-0000000000FF"/></Coding>'
           '</PlainTextSelection></TextSource></Sources></Project>')
    with pytest.raises(QualError, match="p.qdpx!project.qde: text source 't': a coding of "
                                        "characters 0-5 refers to code "
                                        "00000000-0000-0000-0000-0000000000FF, which is not"):
        refi.read_qdpx(_zip(tmp_path / "p.qdpx", {"project.qde": qde}))


def test_atlas_counts_a_windows_line_break_as_one_character(tmp_path: Path) -> None:
    text = "I: Hoe was het?\r\nA: Héél goed.\r\nA: Echt waar.\r\n"
    lf = text.replace("\r\n", "\n")  # ATLAS.ti's positions are those of this text
    spans = [(lf.index(p), lf.index(p) + len(p)) for p in ("Héél goed.", "Echt waar.")]
    selections = "".join(
        f'<PlainTextSelection guid="00000000-0000-0000-0000-00000000001{n}" '
        f'startPosition="{s}" endPosition="{e}" '
        'creatingUser="00000000-0000-0000-0000-0000000000A1">'
        f'<Coding guid="00000000-0000-0000-0000-00000000002{n}">'
        '<CodeRef targetGUID="00000000-0000-0000-0000-0000000000C1"/></Coding>'
        '</PlainTextSelection>' for n, (s, e) in enumerate(spans))
    qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="ATLAS.ti Windows 23.4.0">'
           '<Users><User guid="00000000-0000-0000-0000-0000000000A1" name="Mia"/></Users>'
           '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-0000000000C1" name="Positief" '
           'isCodable="true"/></Codes></CodeBook><Sources>'
           '<TextSource guid="00000000-0000-0000-0000-000000000001" name="Gesprek 1.txt" '
           'plainTextPath="internal://00000000-0000-0000-0000-000000000001.txt">'
           f'{selections}</TextSource></Sources></Project>')
    path = _zip(tmp_path / "atlas.qdpx", {
        "project.qde": qde, "Sources/00000000-0000-0000-0000-000000000001.txt": text})
    project = refi.read_qdpx(path, lang="nl")
    (t,) = project.transcripts
    assert t.id == "gesprek_1" and t.text == text
    assert [t.quote(s) for s in t.segments] == ["Héél goed.", "Echt waar."]
    assert [s.line for s in t.segments] == [2, 3]
    assert project.codings == (Coding("Mia", "gesprek_1", t.sha256, (
        CodedSegment("gesprek_1:x0001", "positief"),
        CodedSegment("gesprek_1:x0002", "positief"))),)
    assert project.warnings == ()


def _g(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def test_odd_project_is_read_with_a_warning_for_each_oddity(tmp_path: Path) -> None:
    """What hand-edited or partly supported exports contain, each read or warned about."""
    def selection(n: int, start: str, end: str, coding: str = "") -> str:
        return (f'<PlainTextSelection guid="{_g(n)}" startPosition="{start}" '
                f'endPosition="{end}">{coding}</PlainTextSelection>')

    coding = f'<Coding guid="{_g(90)}"><CodeRef targetGUID="{_g(2)}"/></Coding>'
    qde = (
        f'<Project xmlns="urn:QDA-XML:project:0.4" name="Odd">'
        f'<Users><User guid="{_g(1)}" id="AB"/></Users>'
        f'<CodeBook><Codes><Code guid="{_g(2)}" name="Code één" isCodable="true">'
        f'<NoteRef targetGUID="{_g(70)}"/></Code></Codes></CodeBook>'
        f'<Variables><Variable guid="{_g(3)}" name="Geld" typeOfVariable="Currency"/>'
        f'<Variable guid="{_g(4)}" name="Wave" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{_g(5)}" name="Zonder bron"><VariableValue>'
        f'<VariableRef targetGUID="{_g(4)}"/><TextValue> 1 </TextValue></VariableValue></Case>'
        f'<Case guid="{_g(6)}"><VariableValue><VariableRef targetGUID="{_g(3)}"/>'
        f'<TextValue>10</TextValue></VariableValue><SourceRef targetGUID="{_g(12)}"/></Case>'
        f'<Case guid="{_g(7)}"><VariableValue><VariableRef targetGUID="{_g(4)}"/>'
        f'<TextValue> 2 </TextValue></VariableValue><SourceRef targetGUID="{_g(10)}"/>'
        f'<SourceRef targetGUID="{_g(11)}"/></Case></Cases>'
        f'<Sources>'
        f'<TextSource guid="{_g(10)}" name="Notitie.txt">'
        f'<PlainTextContent>Korte notitie over de klant.</PlainTextContent>'
        + selection(20, "0", "5", coding) + selection(21, "x", "5", coding)
        + selection(22, "6", "99", coding)
        + f'<PlainTextSelection guid="{_g(23)}" startPosition="6" endPosition="14" '
          f'creatingUser="{_g(99)}"><Coding guid="{_g(91)}" ><CodeRef targetGUID="{_g(2)}"/>'
          f'</Coding></PlainTextSelection>'
        + f'<Coding guid="{_g(92)}" creatingUser="{_g(1)}"><CodeRef targetGUID="{_g(2)}"/>'
          f'</Coding><NoteRef targetGUID="{_g(71)}"/><NoteRef targetGUID="{_g(72)}"/>'
        f'</TextSource>'
        f'<TextSource guid="{_g(11)}" name="Extern" plainTextPath="relative:///extern.txt">'
        + selection(24, "0", "1", coding) + '</TextSource>'
        f'<TextSource guid="{_g(12)}" name="Weg" plainTextPath="internal://{_g(12)}.txt"/>'
        f'<AudioSource guid="{_g(13)}" name="opname.m4a" path="internal://{_g(13)}.m4a">'
        f'<AudioSelection guid="{_g(25)}" begin="0" end="1000">{coding}</AudioSelection>'
        f'</AudioSource></Sources>'
        f'<Notes><Note guid="{_g(71)}" name="Zonder gebruiker">'
        f'<PlainTextContent>Memo zonder gebruiker</PlainTextContent></Note>'
        f'<Note guid="{_g(70)}" name="Codememo"><PlainTextContent>Over de code</PlainTextContent>'
        f'</Note></Notes>'
        f'<Extra/></Project>')
    project = refi.read_qdpx(_zip(tmp_path / "odd.qdpx", {"project.qde": qde}), lang="nl")
    (t,) = project.transcripts
    assert (t.id, t.text, t.attributes) == ("notitie", "Korte notitie over de klant.",
                                            {"Wave": " 2 "})
    assert [(s.id, t.quote(s)) for s in t.segments] == [
        ("notitie:x0001", "Korte"), ("notitie:x0002", "Korte notitie over de klant."),
        ("notitie:x0003", "notitie")]
    unknown, guid, ab = project.codings
    assert (unknown.coder, unknown.memo) == ("unknown", "Memo zonder gebruiker")
    assert unknown.applied == (CodedSegment("notitie:x0001", "code_een"),)
    assert guid.coder == _g(99) and guid.applied[0].segment == "notitie:x0003"
    assert ab.applied == (CodedSegment("notitie:x0002", "code_een"),)  # the whole text
    assert project.codebook.ids() == ["code_een"]
    assert list(project.warnings) == [
        "namespace 'urn:QDA-XML:project:0.4' is not urn:QDA-XML:project:1.0; read as "
        "REFI-QDA 1.0",
        "<Extra> in the project not read: not part of REFI-QDA 1.0",
        "code 'Code één': a note (memo) on the code not read",
        "variable 'Geld' of type 'Currency' not read: not a REFI-QDA variable type",
        "case 'Zonder bron': not linked to a source; its variables not read",
        f"case {_g(6)}: a value of an unknown or unread variable not read",
        "text source 'Notitie.txt': codings without a user; kept as coder 'unknown'",
        "text source 'Notitie.txt': a selection without valid positions not read",
        "text source 'Notitie.txt': selection of characters 6-99 is outside the text (28 "
        "characters); not read",
        f"text source 'Notitie.txt': user {_g(99)} is not in the project's users; its guid "
        "is the coder",
        "text source 'Notitie.txt': note 'Zonder gebruiker' has no known user; kept as the "
        "memo of coder 'unknown'",
        "text source 'Notitie.txt': refers to a note that is not in the project",
        "text source 'Extern' not read (1 selection, 1 coding): its plain text is "
        "relative:///extern.txt, not inside the project",
        f"text source 'Weg' not read (0 selections, 0 codings): sources/{_g(12)}.txt is not "
        "in the project",
        "audio source 'opname.m4a' not read: only text sources are (1 selection, 1 coding)",
        f"case {_g(7)}: its variables for source {_g(11).lower()} not read: no text source "
        "was read with that guid",
        "note 'Codememo' 'Over de code' not read: it is not a memo on a text source or a "
        "coding",
    ]


# ------------------------------------------------------------------ another tool's file

@pytest.fixture
def maxqda_style(tmp_path: Path) -> Path:
    return _zip_dir(DATA / "maxqda-style", tmp_path / "maxqda-style.qdpx")


ANNA = ("I: Hoe verliep uw schademelding?\n"
        "A: Eerst hing ik twintig minuten in de wacht. Daarna kreeg ik een medewerker die "
        "écht luisterde.\n"
        "A: De expert kwam pas na drie weken; dat vond ik ronduit teleurstellend.\n")


def test_maxqda_style_project(maxqda_style: Path) -> None:
    project = refi.read_qdpx(maxqda_style, lang="nl")
    assert (project.name, project.origin) == ("Pilot schadeproces",
                                              "MAXQDA 2022 (Release 22.7.0)")
    anna, bas = project.transcripts
    assert anna.text == ANNA  # the byte-order mark is not part of the text
    assert anna.attributes == {"Leeftijd": "34", "Segment": "particulier",
                               "Terugbellen": "true"}
    assert bas.text == "I: Wat vond u van de hersteller?\r\nB: Hij kwam op tijd en was netjes.\r\n"
    assert bas.attributes == {"Segment": "zakelijk"}
    assert [(s.id, s.kind, anna.quote(s)) for s in anna.segments] == [
        ("interview_anna:x0001", "selection", "Eerst hing ik twintig minuten in de wacht."),
        ("interview_anna:x0002", "selection", "een medewerker die écht luisterde"),
        ("interview_anna:x0003", "selection", "De expert kwam pas na drie weken"),
        ("interview_anna:x0004", "selection", "ronduit teleurstellend"),
    ]
    assert [bas.quote(s) for s in bas.segments] == ["Hij kwam op tijd"]
    assert project.codebook.ids() == ["telefoon", "wachten", "emoties", "vriendelijk",
                                      "teleurstelling", "schade"]
    wait = project.codebook.code("wachten")
    assert (wait.parent, wait.definition, wait.example) == (
        "telefoon", {"nl": "Klant wacht op een reactie of een verbinding."},
        {"nl": '"twintig minuten in de wacht"'})
    jan, els, jan_bas = project.codings
    assert jan.applied == (CodedSegment("interview_anna:x0001", "wachten"),
                           CodedSegment("interview_anna:x0002", "vriendelijk",
                                        "Mooi citaat voor het rapport"))
    assert els.applied == (
        CodedSegment("interview_anna:x0003", "wachten",
                     "Drie weken is buiten de norm van vijf werkdagen."),
        CodedSegment("interview_anna:x0003", "teleurstelling"),
        CodedSegment("interview_anna:x0004", "teleurstelling"))
    assert (jan_bas.coder, jan_bas.transcript) == ("Jan", "interview_bas")
    assert anna.sha256 == hashlib.sha256(b"\xef\xbb\xbf" + ANNA.encode()).hexdigest()
    assert {c.transcript_sha256 for c in (jan, els)} == {anna.sha256}


MAXQDA_WARNINGS = [
    "code 'Telefoon' is not codable (a category)",
    "variable 'Leeftijd' is Integer; its values are read as text",
    "variable 'Segment': its description 'Particulier of zakelijk' not read",
    "variable 'Terugbellen' is Boolean",
    "case 'Bas': its links to codes not read",
    "case 'Bas': its description (memo 'Zakelijke klant, MKB') not read",
    "text source 'Interview Anna': an uncoded selection of characters 3-32 (an annotation "
    "'Vraag aanpassen in de gids: te sturend?') not read",
    "text source 'Interview Bas': its description (memo 'Telefonisch interview, slechte "
    "verbinding') not read",
    "text source 'Interview Bas': has Windows line breaks",
    "text source 'Interview Bas': the name of its case 'Bas' not kept",
    "PDF source 'Polisvoorwaarden.pdf' not read: only text sources are (1 selection, 1 coding)",
    "graphic selection (72,140,410,188) in PDF source 'Polisvoorwaarden.pdf' coded Schade",
    "picture source 'Foto schade.jpg' not read",
    "graphic selection (783,1238,1172,1788) in picture source 'Foto schade.jpg' coded Schade",
    "link 'verklaart' between Wachten and Teleurstelling not read",
    "set 'Klantinterviews' (2 members) not read",
    "graph 'Wachten en teleurstelling' not read",
    "the project's description 'Pilot van het schadeproces, maart 2024' not read",
    "note 'Projectdagboek' '5 maart: eerste twee interviews gecodeerd.' not read",
    "colours of 3 codes ('Telefoon', 'Wachten', 'Emoties') not kept",
]


def test_maxqda_style_project_warns_about_everything_it_skips(maxqda_style: Path) -> None:
    warnings = refi.read_qdpx(maxqda_style, lang="nl").warnings
    assert len(warnings) == len(MAXQDA_WARNINGS)
    for expected, got in zip(MAXQDA_WARNINGS, warnings):
        assert got.startswith(expected)


def test_selections_matched_to_our_segments(maxqda_style: Path) -> None:
    wait = ANNA.index("Eerst hing")
    ours = Transcript("c07", ANNA, "transcripts/c07.txt", "ab" * 32, "txt",
                      {"segment": "particulier", "wave": "2"}, (
                          Segment("c07:t0001", "c07", 0, 33, "I"),
                          Segment("c07:t0002", "c07", 33, 130, "A"),
                          Segment("c07:s0001", "c07", wait, wait + 42, "A", kind="sentence")))
    project = refi.read_qdpx(maxqda_style, lang="nl", transcripts=[ours])
    anna = project.transcripts[0]
    assert anna.segments[:3] == ours.segments
    assert anna.attributes == ours.attributes and anna.sha256 == ours.sha256
    assert [s.id for s in anna.segments[3:]] == ["c07:x0001", "c07:x0002", "c07:x0003"]
    assert project.codings[0].applied[0] == CodedSegment("c07:s0001", "wachten")
    assert project.codings[0].transcript_sha256 == ours.sha256
    assert [w for w in project.warnings if "'c07'" in w] == [
        "text source 'Interview Anna': Leeftijd '34' not kept: transcript 'c07' has no such "
        "attribute",
        "text source 'Interview Anna': Segment 'particulier' not kept: transcript 'c07' has "
        "no such attribute",
        "text source 'Interview Anna': Terugbellen 'true' not kept: transcript 'c07' has no "
        "such attribute"]


# ------------------------------------------------------------------------- schemas

def _validate(xml: bytes, schema: str) -> None:
    etree: Any = pytest.importorskip("lxml.etree", reason="lxml checks files against the XSD")
    checker = etree.XMLSchema(etree.parse(str(SCHEMA / schema)))
    assert checker.validate(etree.fromstring(xml)), checker.error_log


def test_qdc_is_valid_against_codebook_xsd(tmp_path: Path, codebook: Codebook) -> None:
    path = refi.write_qdc(codebook, tmp_path / "c.qdc", colors={"kind": "#0a0"})
    _validate(path.read_bytes(), "Codebook.xsd")
    _validate((DATA / "qualcoder-style.qdc").read_bytes(), "Codebook.xsd")


def test_qdpx_is_valid_against_project_xsd(tmp_path: Path, transcripts: list[Transcript],
                                           codebook: Codebook, codings: list[Coding]) -> None:
    path = refi.write_qdpx(tmp_path / "s.qdpx", transcripts=transcripts, codebook=codebook,
                           codings=codings, project_name="S", colors={"call": "#3C78D8"})
    _validate(_qde(path).encode("utf-8"), "Project-mrt2019.xsd")
    _validate((DATA / "maxqda-style" / "project.qde").read_bytes(), "Project-mrt2019.xsd")
