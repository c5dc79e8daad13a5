"""Editing a YAML source file safely: undo, an autosaved draft, and conflict-checked saves.

The designers (instrument and journey) edit a plain YAML document (dicts, lists, strings,
numbers): the same data the file holds, so the file stays the single source of truth.
:class:`YamlDraft` gives both what editing needs and nothing about their content:

* every change goes through :meth:`YamlDraft.change`, which keeps an undo step and writes
  an autosaved copy beside the file (``.<name>.draft.yaml``), so a kernel that dies
  mid-edit loses nothing; reopening the file offers that draft
  (:attr:`YamlDraft.recovered_draft`, :meth:`YamlDraft.restore_draft`);
* :meth:`YamlDraft.save` refuses to write while the document has errors (the subclass
  says which, in :meth:`YamlDraft.problems`) and refuses to overwrite a file that changed
  on disk since it was opened (sha256), unless told to; it writes atomically and then
  removes the draft.

Subclasses provide ``problems()`` (the located problems of the current document) and may
override ``header`` (a comment line written at the top of the file).
"""

from __future__ import annotations

import copy
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import yaml

from ._atomic import atomic_write_text
from .errors import CxResearchError, Problem, Severity

__all__ = ["ConflictError", "DraftError", "YamlDraft", "draft_path", "dump_yaml"]

MAX_UNDO = 200
"""Undo steps kept; older ones are dropped."""


class DraftError(CxResearchError, ValueError):
    """An edit or a save that cannot be done; the document is left as it was."""

    def __init__(self, message: str, *, where: str | None = None,
                 problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.where = where
        self.problems = list(problems)


class ConflictError(DraftError):
    """The file changed on disk since it was opened (or last saved)."""


class _Dumper(yaml.SafeDumper):
    """Block style, long texts folded, keys in the order they were written."""


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str = "") -> str:
    """``data`` as YAML text (keys in their order, Unicode kept), after ``header``."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92,
                     default_flow_style=False)
    return header + body


def draft_path(path: str | Path) -> Path:
    """Where the autosaved draft of ``path`` lives: ``.<name>.draft.yaml`` beside it."""
    p = Path(path)
    return p.with_name(f".{p.stem}.draft.yaml")


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class YamlDraft:
    """A YAML document being edited, tied to the file it came from (or will go to).

    Parameters
    ----------
    data : dict
        The document.
    path : path, optional
        The file; ``None`` for a document not saved yet (no autosave until it has one).
    """

    header = ""
    """A comment written at the top of the saved file."""

    def __init__(self, data: dict[str, Any], path: str | Path | None = None) -> None:
        self.data: dict[str, Any] = data
        self.path: Path | None = Path(path) if path is not None else None
        self._undo: list[dict[str, Any]] = []
        self._redo: list[dict[str, Any]] = []
        self._disk_sha = _sha256(self.path) if self.path else None
        self.dirty = False
        self._group: str | None = None
        self._last_group: str | None = None
        self.recovered_draft: Path | None = None
        if self.path is not None:
            draft = draft_path(self.path)
            if draft.exists() and (not self.path.exists()
                                   or draft.stat().st_mtime >= self.path.stat().st_mtime):
                self.recovered_draft = draft

    # -- reading ------------------------------------------------------------------------
    @staticmethod
    def read_document(path: str | Path) -> dict[str, Any]:
        """The YAML mapping in ``path``; :class:`DraftError` (with the line) otherwise."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DraftError(f"{p}: no such file; check the path, or start a new one") from None
        except UnicodeDecodeError as exc:
            raise DraftError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                             "and open it again") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{p}:{mark.line + 1}:{mark.column + 1}" if mark else str(p)
            raise DraftError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)}); "
                             "fix the file in a text editor, then open it again",
                             where=where) from None
        if not isinstance(data, dict):
            raise DraftError(f"{p}: the file must hold a mapping (key: value lines) at the "
                             f"top; it holds {type(data).__name__}")
        return data

    # -- changing -----------------------------------------------------------------------
    def change(self, edit: Callable[[dict[str, Any]], Any]) -> Any:
        """Apply ``edit`` to a copy of the document; keep it only when ``edit`` returns
        without raising. Records an undo step (one for a run of changes in the same
        :meth:`grouped` block) and autosaves. Returns what ``edit`` did."""
        work = copy.deepcopy(self.data)
        result = edit(work)
        if work == self.data:  # nothing changed: no undo step, nothing to autosave
            return result
        same = self._group is not None and self._group == self._last_group and self._undo
        if not same:
            self._undo.append(self.data)
            del self._undo[:-MAX_UNDO]
        self._last_group = self._group
        self._redo.clear()
        self.data = work
        self._changed()
        return result

    @contextmanager
    def grouped(self, key: str) -> Iterator[None]:
        """Changes made inside, right after earlier ones with the same ``key``, share one
        undo step: typing a label letter by letter is undone at once."""
        outer, self._group = self._group, key
        try:
            yield
        finally:
            self._group = outer

    def undo(self) -> bool:
        """Go back one change; False when there is none."""
        self._last_group = None
        if not self._undo:
            return False
        self._redo.append(self.data)
        self.data = self._undo.pop()
        self._changed()
        return True

    def redo(self) -> bool:
        """Redo the change last undone; False when there is none."""
        if not self._redo:
            return False
        self._undo.append(self.data)
        self.data = self._redo.pop()
        self._changed()
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _changed(self) -> None:
        self.dirty = True
        self.autosave()

    # -- the draft beside the file ------------------------------------------------------
    def autosave(self) -> Path | None:
        """Write the document to the draft file (atomically); None without a path."""
        if self.path is None:
            return None
        return atomic_write_text(draft_path(self.path), self.to_yaml())

    def restore_draft(self) -> None:
        """Continue from the autosaved draft found when the file was opened."""
        if self.recovered_draft is None:
            raise DraftError("there is no autosaved draft to restore")
        data = self.read_document(self.recovered_draft)

        def replace(doc: dict[str, Any]) -> None:
            doc.clear()
            doc.update(data)

        self.change(replace)
        self.recovered_draft = None

    def discard_draft(self) -> None:
        """Delete the autosaved draft and go on with the file as it is."""
        if self.path is not None:
            draft_path(self.path).unlink(missing_ok=True)
        self.recovered_draft = None

    # -- checking and saving -------------------------------------------------------------
    def problems(self) -> list[Problem]:  # pragma: no cover - subclasses say
        """Every problem of the current document, located; subclasses implement it."""
        raise NotImplementedError

    def errors(self) -> list[Problem]:
        return [p for p in self.problems() if p.severity is Severity.ERROR]

    def to_yaml(self) -> str:
        return dump_yaml(self.data, self.header)

    def changed_on_disk(self) -> bool:
        """True when the file differs from what was opened or last saved here."""
        return self.path is not None and _sha256(self.path) != self._disk_sha

    def save(self, path: str | Path | None = None, *, force: bool = False) -> Path:
        """Write the document atomically, then remove the autosaved draft.

        Raises :class:`DraftError` listing the errors while there are any (nothing is
        written), and :class:`ConflictError` when the file changed on disk since it was
        opened or last saved (pass ``force=True`` to overwrite it anyway).
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise DraftError("no file to save to yet: give a path, e.g. "
                             "save('instruments/customer-survey.yaml')")
        errors = self.errors()
        if errors:
            first = errors[0]
            raise DraftError(f"not saved: {len(errors)} error(s) to fix first; the first: "
                             f"{first}", where=first.question_id, problems=errors)
        moved = self.path is None or target.resolve() != self.path.resolve()
        expected = _sha256(target) if moved else self._disk_sha
        if not force and _sha256(target) != expected:
            raise ConflictError(f"not saved: {target} changed on disk since it was opened; "
                                "reopen it to see the other changes, or save with "
                                "force=True to overwrite them")
        if not force and moved and target.exists():
            raise ConflictError(f"not saved: {target} already exists; pick another name or "
                                "save with force=True to overwrite it")
        old_draft = draft_path(self.path) if self.path is not None else None
        atomic_write_text(target, self.to_yaml())
        if old_draft is not None:
            old_draft.unlink(missing_ok=True)
        draft_path(target).unlink(missing_ok=True)
        self.path = target
        self._disk_sha = _sha256(target)
        self.dirty = False
        self.recovered_draft = None
        return target


def walk(items: Sequence[dict[str, Any]], key: str = "questions") -> Iterator[dict[str, Any]]:
    """Every mapping in ``items`` and, depth first, in their ``key`` lists."""
    for item in items:
        yield item
        inner = item.get(key)
        if isinstance(inner, list):
            yield from walk([x for x in inner if isinstance(x, dict)], key)
