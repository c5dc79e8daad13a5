"""One entry point to read, check and export instruments, whatever file they come in."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import Code, InstrumentError, Problem, Severity, raise_if_errors
from .model import Instrument

__all__ = ["EXPORT_FORMATS", "check_file", "export_instrument", "load_instrument",
           "save_instrument"]

EXPORT_FORMATS: dict[str, str] = {
    "xlsform": ".xlsx",
    "limesurvey": ".txt",
    "html": ".html",
    "markdown": ".md",
    "yaml": ".yaml",
}
"""Export formats and their file suffixes."""

_YAML = (".yaml", ".yml")
_XLS = (".xlsx", ".xls")


def _read(path: Path) -> tuple[Instrument, list[Problem]]:
    suffix = path.suffix.lower()
    if suffix in _YAML:
        from .yamlio import read_yaml_instrument

        return read_yaml_instrument(path)
    if suffix in _XLS:
        from .validate import validate_instrument
        from .xlsform_import import read_xlsform_with_warnings

        inst, warnings = read_xlsform_with_warnings(path)
        problems = warnings + validate_instrument(inst, base_dir=path.parent)
        raise_if_errors(problems)
        return inst, [p for p in problems if p.severity == Severity.WARNING]
    raise InstrumentError.single(
        Code.UNREADABLE_FILE, f"cannot read '{path.suffix or 'files without a suffix'}' as an "
        "instrument", file=str(path), allowed=", ".join(_YAML + _XLS),
        fix="give a cxresearch YAML instrument or an XLSForm spreadsheet")


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate an instrument from YAML (``.yaml``) or XLSForm (``.xlsx``/``.xls``).

    Raises
    ------
    InstrumentError
        Listing every problem found, each with file, line (or sheet and row), question
        id, what is wrong, what is allowed and how to fix it.

    """
    return _read(Path(path))[0]


def check_file(path: str | Path) -> tuple[Instrument | None, list[Problem]]:
    """Validate a file without raising: the instrument (if it loads) and every problem."""
    try:
        return _read(Path(path))
    except InstrumentError as exc:
        return None, list(exc.problems)


def export_instrument(inst: Instrument, to: str, out: str | Path,
                      lang: str | None = None, languages: Sequence[str] | None = None,
                      *, check: bool = False, odk_validate: bool = False) -> Path:
    """Write ``inst`` in format ``to`` (see :data:`EXPORT_FORMATS`) to ``out``, atomically.

    ``lang`` picks the language of the one-language formats (HTML, Markdown); XLSForm and
    LimeSurvey carry all languages, or ``languages`` if given. For XLSForm, ``check``
    converts the form with pyxform before writing it (``odk_validate``: ODK Validate too),
    so a form that would not convert is never written.
    """
    if to not in EXPORT_FORMATS:
        raise InstrumentError.single(Code.INVALID_VALUE, f"unknown export format '{to}'",
                                     allowed=", ".join(EXPORT_FORMATS))
    if lang is not None and lang not in inst.languages:
        raise InstrumentError.single(Code.INVALID_VALUE,
                                     f"instrument '{inst.id}' has no language '{lang}'",
                                     file=inst.source, given=lang,
                                     allowed=", ".join(inst.languages))
    out = Path(out)
    if to == "xlsform":
        from .xlsform import write_xlsform

        return write_xlsform(inst, out, languages or ([lang] if lang else None), check=check,
                             odk_validate=odk_validate)
    if to == "limesurvey":
        from .limesurvey import write_limesurvey

        return write_limesurvey(inst, out)
    if to == "html":
        from .render import write_html

        return write_html(inst, out, lang)
    if to == "markdown":
        from .render import write_markdown

        return write_markdown(inst, out, lang)
    return save_instrument(inst, out)


def save_instrument(inst: Instrument, path: str | Path) -> Path:
    """Write ``inst`` as YAML (the source-of-truth format), atomically."""
    import dataclasses
    import os

    from .._atomic import atomic_write_text
    from .dump import dump_instrument

    target = Path(path)
    if inst.journey and inst.source and not Path(inst.journey).is_absolute():
        # keep pointing at the same journey file from the new place
        journey = (Path(inst.source).parent / inst.journey).resolve()
        if journey.exists():
            moved = os.path.relpath(journey, target.resolve().parent)
            inst = dataclasses.replace(inst, journey=Path(moved).as_posix())
    return atomic_write_text(target, dump_instrument(inst))
