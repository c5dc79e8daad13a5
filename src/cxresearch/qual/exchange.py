"""Moving a study's interviews to and from other tools: ``cxresearch qual export`` and
``cxresearch qual import``.

A study keeps its interviews as files: ``transcripts/`` (the transcripts and
``cases.csv``), ``codebook.yaml`` and one ``coding/<coder>.yaml`` per coder. Export reads
them (checking every coder file against its transcript version) and writes a REFI-QDA
project (``.qdpx``) or codebook (``.qdc``). Import reads a ``.qdpx`` or ``.qdc`` from any
tool and writes those files into a study folder; it never overwrites a file that exists
(a transcript already there is matched by its text, so importing a project exported from
this study again is allowed), and it lists everything the other tool had that could not
be carried over.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._atomic import atomic_write_text
from .model import Codebook, Coding, QualError, Transcript

__all__ = ["ImportResult", "export_study", "import_into_study", "read_study_qual"]

_TEXT_FORMATS = ("txt", "md", "vtt", "srt")


def read_study_qual(study: str | Path) -> tuple[list[Transcript], Codebook, list[Coding]]:
    """The study's transcripts, codebook and every coder's codings, checked together."""
    from .codebook import load_codebook
    from .coding import all_codings
    from .transcripts import read_transcripts

    folder = Path(study)
    if not (folder / "transcripts").is_dir():
        raise QualError(f"{folder} has no transcripts/ folder: is it a study folder?",
                        file=str(folder))
    book_path = folder / "codebook.yaml"
    if not book_path.exists():
        raise QualError("no codebook.yaml in the study; write one, or start from the "
                        "guide and the journey with cxresearch.qual.codebook.starter_codebook",
                        file=str(book_path))
    journey = folder / "journey.yaml"
    transcripts = read_transcripts(folder / "transcripts")
    codebook = load_codebook(book_path, journey=journey if journey.exists() else None)
    codings = [c for part in all_codings(folder, codebook=codebook,
                                         transcripts=transcripts).values() for c in part]
    return transcripts, codebook, codings


def export_study(study: str | Path, to: str, out: str | Path, *, lang: str = "en") -> Path:
    """Write the study's interviews as ``qdpx`` (project) or its codebook as ``qdc``."""
    from .refi import write_qdc, write_qdpx

    if to not in ("qdpx", "qdc"):
        raise QualError(f"--to must be qdpx or qdc, not {to!r}")
    target = Path(out)
    if target.suffix.lower() != f".{to}":
        raise QualError(f"the output of --to {to} ends in .{to}; got {target.name}",
                        file=str(target))
    if to == "qdc":
        from .codebook import load_codebook

        return write_qdc(load_codebook(Path(study) / "codebook.yaml"), target, lang=lang)
    transcripts, codebook, codings = read_study_qual(study)
    return write_qdpx(target, transcripts=transcripts, codebook=codebook, codings=codings,
                      project_name=Path(study).resolve().name, lang=lang)


@dataclass
class ImportResult:
    """What an import wrote, what it found already there, and what it could not carry."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"wrote {p}" for p in self.written]
        lines += [f"kept  {p} (already there, the same)" for p in self.kept]
        lines += [f"warning: {w}" for w in self.warnings]
        lines.append(f"import finished: {len(self.written)} file(s) written, "
                     f"{len(self.warnings)} warning(s)")
        return "\n".join(lines)


def _write_new(path: Path, text: str, result: ImportResult) -> None:
    if path.exists():
        if path.read_text(encoding="utf-8") == text:
            result.kept.append(path)
            return
        raise QualError(f"{path} exists and differs from what the import would write; "
                        "import into another (new) study folder, or move the file aside",
                        file=str(path))
    atomic_write_text(path, text)
    result.written.append(path)


def _cases_csv(transcripts: list[Transcript]) -> str:
    columns: list[str] = []
    for t in transcripts:
        columns += [k for k in t.attributes if k not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["transcript", *columns])
    for t in transcripts:
        writer.writerow([t.id, *(t.attributes.get(c, "") for c in columns)])
    return buffer.getvalue()


def import_into_study(file: str | Path, study: str | Path, *, lang: str = "en") -> ImportResult:
    """Read a ``.qdpx`` or ``.qdc`` and write its contents into the study folder.

    Transcripts go to ``transcripts/<id>.<format>`` (their own text format; ``.txt`` for
    a ``.docx`` or another tool's source), plus ``cases.csv`` with their case
    attributes), the codebook to ``codebook.yaml``, each coder's codings to
    ``coding/<coder>.yaml`` (made for the transcripts as written, so their sha256 match).
    Nothing is overwritten: a file that exists with other content stops the import
    before anything is written.
    """
    from .codebook import dump_codebook
    from .coding import dump_coder_file
    from .refi import read_qdc, read_qdpx
    from .transcripts import read_transcript

    source = Path(file)
    folder = Path(study)
    result = ImportResult()
    suffix = source.suffix.lower()
    if suffix not in (".qdpx", ".qdc"):
        raise QualError(f"{source.name}: import reads REFI-QDA .qdpx (project) or .qdc "
                        "(codebook) files", file=str(source))
    if suffix == ".qdc":
        codebook, warnings = read_qdc(source, lang=lang)
        result.warnings += warnings
        plan = [(folder / "codebook.yaml", dump_codebook(codebook))]
        _check_plan(plan)
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in plan:
            _write_new(path, text, result)
        return result
    project = read_qdpx(source, lang=lang)
    result.warnings += project.warnings
    # the transcripts as plain text files; codings re-made for their new sha256
    # a transcript keeps its own text format (so it is segmented as before); a .docx, or a
    # source of another tool, becomes plain text
    def text_suffix(t: Transcript) -> str:
        return t.format if t.format in _TEXT_FORMATS else "txt"

    texts = [(folder / "transcripts" / f"{t.id}.{text_suffix(t)}", t.text)
             for t in project.transcripts]
    _check_plan(texts + [(folder / "codebook.yaml", dump_codebook(project.codebook))])
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    written: dict[str, Transcript] = {}
    for (path, text), t in zip(texts, project.transcripts):
        _write_new(path, text, result)
        written[t.id] = read_transcript(path, id=t.id, attributes=t.attributes)
    if any(t.attributes for t in project.transcripts):
        _write_new(folder / "transcripts" / "cases.csv",
                   _cases_csv(list(project.transcripts)), result)
    _write_new(folder / "codebook.yaml", dump_codebook(project.codebook), result)
    by_coder: dict[str, list[Coding]] = {}
    old_segments = {s.id: s for t in project.transcripts for s in t.segments}
    for c in project.codings:
        new = written[c.transcript]
        applied, moved = [], 0
        for a in c.applied:
            if a.segment in new._by_id:
                applied.append(a)
                continue
            # a selection made in another tool: code the turns it falls on
            sel = old_segments.get(a.segment)
            turns = [s.id for s in new.segments if sel is not None
                     and s.start < sel.end and sel.start < s.end]
            applied += [replace(a, segment=sid) for sid in turns]
            moved += 1
            if not turns:
                result.warnings.append(f"a coding of {c.coder} ({a.code} at {a.segment} in "
                                       f"{c.transcript}) falls on no turn; it stays in "
                                       f"{source.name} only")
        unique = list(dict.fromkeys(applied))
        by_coder.setdefault(c.coder, []).append(
            replace(c, transcript_sha256=new.sha256, applied=tuple(unique)))
        if moved:
            result.warnings.append(
                f"{moved} selection(s) coded by {c.coder} in {c.transcript} do not match a "
                "speaker turn; each is coded on the turn(s) it overlaps (the exact ranges "
                f"stay in {source.name})")
    (folder / "coding").mkdir(parents=True, exist_ok=True)
    for coder, codings in by_coder.items():
        _write_new(folder / "coding" / f"{coder}.yaml", dump_coder_file(codings), result)
    return result


def _check_plan(plan: list[tuple[Path, str]]) -> None:
    """Refuse before writing anything when a file exists with other content."""
    for path, text in plan:
        if path.exists() and path.read_text(encoding="utf-8") != text:
            raise QualError(f"{path} exists and differs from what the import would write; "
                            "nothing was written. Import into another (new) study folder, "
                            "or move the file aside", file=str(path))
