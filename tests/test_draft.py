"""Editing YAML files safely (cxresearch._draft): undo, autosaved drafts, guarded saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cxresearch._draft import ConflictError, DraftError, YamlDraft, draft_path
from cxresearch.errors import Code, Problem


class Doc(YamlDraft):
    header = "# a test document\n"

    def problems(self) -> list[Problem]:
        if not self.data.get("id"):
            return [Problem(Code.MISSING_FIELD, "the document needs an 'id'", question_id="id")]
        return []


def test_undo_redo_and_failed_edits_change_nothing(tmp_path: Path) -> None:
    doc = Doc({"id": "a", "items": []})
    doc.change(lambda d: d["items"].append(1))
    doc.change(lambda d: d["items"].append(2))
    assert doc.data["items"] == [1, 2] and doc.dirty

    def bad(d: dict[str, Any]) -> None:
        d["items"].append(3)
        raise DraftError("no")

    with pytest.raises(DraftError):
        doc.change(bad)
    assert doc.data["items"] == [1, 2]  # the half-done edit was not kept
    assert doc.undo() and doc.data["items"] == [1]
    assert doc.redo() and doc.data["items"] == [1, 2]
    assert doc.undo() and doc.undo() and not doc.undo()
    assert doc.data["items"] == [] and doc.can_redo


def test_autosave_and_recovery(tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text("id: a\nitems: []\n", encoding="utf-8")
    doc = Doc(Doc.read_document(path), path)
    assert doc.recovered_draft is None
    doc.change(lambda d: d["items"].append("unsaved"))
    draft = draft_path(path)
    assert draft == tmp_path / ".survey.draft.yaml"
    assert yaml.safe_load(draft.read_text(encoding="utf-8"))["items"] == ["unsaved"]
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["items"] == []  # file untouched
    # the kernel dies here; reopening offers the draft
    again = Doc(Doc.read_document(path), path)
    assert again.recovered_draft == draft
    again.restore_draft()
    assert again.data["items"] == ["unsaved"] and again.can_undo
    again.save()
    assert not draft.exists()
    assert path.read_text(encoding="utf-8").startswith("# a test document\n")
    assert Doc(Doc.read_document(path), path).recovered_draft is None


def test_save_refuses_errors_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("id: a\n", encoding="utf-8")
    doc = Doc(Doc.read_document(path), path)
    doc.change(lambda d: d.update(id=""))
    with pytest.raises(DraftError, match=r"not saved: 1 error\(s\) to fix first.*needs an 'id'") \
            as info:
        doc.save()
    assert info.value.where == "id" and len(info.value.problems) == 1
    assert path.read_text(encoding="utf-8") == "id: a\n"


def test_save_refuses_a_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("id: a\n", encoding="utf-8")
    doc = Doc(Doc.read_document(path), path)
    doc.change(lambda d: d.update(id="b"))
    path.write_text("id: someone-else\n", encoding="utf-8")
    assert doc.changed_on_disk()
    with pytest.raises(ConflictError, match="changed on disk since it was opened"):
        doc.save()
    assert path.read_text(encoding="utf-8") == "id: someone-else\n"
    doc.save(force=True)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"id": "b"}
    assert not doc.changed_on_disk() and not doc.dirty


def test_save_as_a_new_file(tmp_path: Path) -> None:
    doc = Doc({"id": "a"})
    assert doc.autosave() is None  # no file yet: nothing to autosave to
    with pytest.raises(DraftError, match="no file to save to yet"):
        doc.save()
    taken = tmp_path / "taken.yaml"
    taken.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="already exists"):
        doc.save(taken)
    out = doc.save(tmp_path / "new.yaml")
    assert out.read_text(encoding="utf-8") == "# a test document\nid: a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml", "taken.yaml"]


@pytest.mark.parametrize("text, message", [
    ("id: [a\n", r"s.yaml:2:1: not valid YAML"),
    ("- a\n- b\n", "must hold a mapping"),
])
def test_reading_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DraftError, match=message):
        Doc.read_document(path)
    path.write_bytes(b"id: \xff\n")
    with pytest.raises(DraftError, match="not UTF-8"):
        Doc.read_document(path)
    with pytest.raises(DraftError, match="no such file"):
        Doc.read_document(tmp_path / "missing.yaml")


def test_typing_is_one_undo_step() -> None:
    doc = Doc({"id": "a", "label": ""})
    doc.change(lambda d: d.update(id="b"))
    for text in ("H", "Ho", "How"):
        with doc.grouped("label"):
            doc.change(lambda d, t=text: d.update(label=t))
    assert doc.data["label"] == "How"
    assert doc.undo() and doc.data == {"id": "b", "label": ""}  # the typing, at once
    assert doc.undo() and doc.data == {"id": "a", "label": ""}
    # after an undo, typing again starts a new step
    doc.redo()
    with doc.grouped("label"):
        doc.change(lambda d: d.update(label="X"))
    with doc.grouped("label"):
        doc.change(lambda d: d.update(label="XY"))
    assert doc.undo() and doc.data["label"] == ""
