"""`cxresearch qual export` and `cxresearch qual import`: the example study's interviews
through REFI-QDA and back, and a project from another tool (cxresearch.qual.exchange)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from cxresearch.cli import main
from cxresearch.qual.exchange import read_study_qual

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "surveys" / "insurer-claims"
REFI = Path(__file__).parent / "data" / "qual" / "refi"


def test_round_trip_through_qdpx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "insurer.qdpx"
    assert main(["qual", "export", str(STUDY), "--to", "qdpx", "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out) and "project.qde" in zipfile.ZipFile(out).namelist()
    target = tmp_path / "copy"
    assert main(["qual", "import", str(out), str(target)]) == 0
    assert "import finished" in capsys.readouterr().out
    before = read_study_qual(STUDY)
    after = read_study_qual(target)
    # transcripts: the same texts and case attributes (as .txt files now)
    assert [t.text for t in after[0]] == [t.text for t in before[0]]
    assert [dict(t.attributes) for t in after[0]] == [dict(t.attributes) for t in before[0]]
    # the codebook: the same tree, names and journey links
    assert [(c.id, c.parent, dict(c.name), c.touchpoint, c.valence) for c in after[1]] == \
        [(c.id, c.parent, dict(c.name), c.touchpoint, c.valence) for c in before[1]]

    def applied(codings: list) -> set:
        return {(c.coder, c.transcript, a.segment, a.code) for c in codings for a in c.applied}

    assert applied(after[2]) == applied(before[2])
    # importing the same project again into the same folder writes nothing new
    assert main(["qual", "import", str(out), str(target)]) == 0
    assert "0 file(s) written" in capsys.readouterr().out


def test_codebook_alone(tmp_path: Path) -> None:
    out = tmp_path / "book.qdc"
    assert main(["qual", "export", str(STUDY), "--to", "qdc", "-o", str(out)]) == 0
    assert main(["qual", "import", str(out), str(tmp_path / "s")]) == 0
    assert (tmp_path / "s" / "codebook.yaml").exists()


def test_project_from_another_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = REFI / "maxqda-style"
    project = tmp_path / "other.qdpx"
    with zipfile.ZipFile(project, "w") as z:
        for f in sorted(source.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(source).as_posix())
    target = tmp_path / "imported"
    assert main(["qual", "import", str(project), str(target)]) == 0
    out = capsys.readouterr().out
    assert "warning:" in out  # what could not be carried over is listed
    transcripts, codebook, codings = read_study_qual(target)
    assert transcripts and len(codebook) > 0


def test_nothing_is_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "insurer.qdpx"
    assert main(["qual", "export", str(STUDY), "--to", "qdpx", "-o", str(out)]) == 0
    target = tmp_path / "study"
    (target / "transcripts").mkdir(parents=True)
    (target / "codebook.yaml").write_text("# mine\n", encoding="utf-8")
    assert main(["qual", "import", str(out), str(target)]) == 1
    assert "exists and differs" in capsys.readouterr().err
    assert list((target / "transcripts").iterdir()) == []  # stopped before writing
    assert (target / "codebook.yaml").read_text(encoding="utf-8") == "# mine\n"


def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qual", "export", str(STUDY), "--to", "qdpx", "-o",
                 str(tmp_path / "x.zip")]) == 1
    assert "ends in .qdpx" in capsys.readouterr().err
    assert main(["qual", "export", str(tmp_path), "--to", "qdpx", "-o",
                 str(tmp_path / "x.qdpx")]) == 1
    assert "no transcripts/ folder" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["qual", "import", str(tmp_path / "notes.txt"), str(tmp_path / "s")]) == 1
    assert ".qdpx (project) or .qdc" in capsys.readouterr().err
    # a coder file for another version of a transcript is refused on export
    study = tmp_path / "changed"
    shutil.copytree(STUDY, study, ignore=shutil.ignore_patterns("data"))
    c01 = study / "transcripts" / "c01.txt"
    c01.write_text(c01.read_text(encoding="utf-8") + "Interviewer: Nog iets?\n",
                   encoding="utf-8")
    assert main(["qual", "export", str(study), "--to", "qdpx", "-o",
                 str(tmp_path / "y.qdpx")]) == 1
    assert "QL202" in capsys.readouterr().err
