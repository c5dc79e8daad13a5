"""``cxresearch new``: a study folder whose starter files validate as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import cxresearch
from cxresearch.errors import CxResearchError
from cxresearch.journey import load_journey
from cxresearch.study import new_study
from cxresearch.study.scaffold import STUDY_LAYOUT


def study_id(folder: Path) -> str:
    data = yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))
    return str(data["id"])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_starter_files_validate_without_warnings(tmp_path: Path, language: str) -> None:
    folder = new_study(tmp_path / "webshop", language=language)
    instruments = sorted((folder / "instruments").glob("*.yaml"))
    assert [p.name for p in instruments] == [
        "customer-survey.yaml", "employee-survey.yaml", "interview-guide.yaml"]
    for path in instruments:
        inst, problems = cxresearch.check_file(path)
        assert inst is not None, "\n".join(map(str, problems))
        assert problems == [], "\n".join(map(str, problems))
        assert inst.id.startswith("webshop-")
    journey = load_journey(folder / "journey.yaml")
    assert journey.id == "webshop" and journey.languages == ["nl", "en"]
    assert study_id(folder) == "webshop"


def test_every_file_of_the_layout_is_written(tmp_path: Path) -> None:
    folder = new_study(tmp_path / "study")
    for rel in STUDY_LAYOUT:
        assert (folder / rel).is_file(), rel
    assert yaml.safe_load((folder / "roadmap.yaml").read_text(encoding="utf-8")) == {
        "actions": []}


def test_raw_data_is_kept_out_of_git(tmp_path: Path) -> None:
    folder = new_study(tmp_path / "study")
    ignore = folder / "data" / "raw" / ".gitignore"
    assert ignore.is_file()
    assert ignore.read_text(encoding="utf-8").splitlines() == ["*", "!README.md", "!.gitignore"]


@pytest.mark.parametrize("name, expected", [
    ("Études 2026!", "etudes-2026"),
    ("Klantreis Zorgverzekeraar", "klantreis-zorgverzekeraar"),
    ("café  crème", "cafe-creme"),
    ("Straße", "strasse"),
    ("Øresund", "oresund"),
    ("2026 onboarding", "study-2026-onboarding"),
    ("2026", "study-2026"),
    ("--webshop--", "webshop"),
    ("日本", "study"),
    ("a" * 100, "a" * 64),
])
def test_study_id_from_folder_name(tmp_path: Path, name: str, expected: str) -> None:
    folder = new_study(tmp_path / name)
    assert study_id(folder) == expected
    assert load_journey(folder / "journey.yaml").id == expected
    for path in (folder / "instruments").glob("*.yaml"):
        assert cxresearch.check_file(path)[1] == [], path.name


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    for force in (False, True):
        with pytest.raises(CxResearchError, match="exists and is not empty; choose a new "
                           r"folder name \(nothing was written\)"):
            new_study(folder, force=force)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "study"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CxResearchError, match="is a file, not a folder"):
        new_study(path, force=True)


def test_empty_folder_needs_force(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    with pytest.raises(CxResearchError, match="add --force to use it"):
        new_study(folder)
    assert list(folder.iterdir()) == []
    assert new_study(folder, force=True) == folder
    assert (folder / "study.yaml").is_file()


def test_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(CxResearchError, match="language must be 'nl' or 'en', not 'de'"):
        new_study(tmp_path / "study", language="de")
    assert not (tmp_path / "study").exists()
