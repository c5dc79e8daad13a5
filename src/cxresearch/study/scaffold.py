"""``cxresearch new STUDY``: create a study folder laid out as in DESIGN.md."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

from .._atomic import atomic_write_text
from ..errors import CxResearchError

__all__ = ["STUDY_LAYOUT", "new_study"]

STUDY_LAYOUT: dict[str, str | None] = {
    "study.yaml": "study.yaml",
    "journey.yaml": "journey.yaml",
    "instruments/customer-survey.yaml": "customer-survey.yaml",
    "instruments/employee-survey.yaml": "employee-survey.yaml",
    "instruments/interview-guide.yaml": "interview-guide.yaml",
    "data/raw/README.md": None,
    "data/clean/.gitkeep": None,
    "transcripts/.gitkeep": None,
    "roadmap.yaml": None,
}
"""Files a new study gets (template name, or ``None`` for a file written here)."""

_RAW_README = """# Raw data

Put files here exactly as you receive them (exports from KoboToolbox, LimeSurvey, SPSS,
Excel). cxresearch reads and hashes them but never writes here; cleaned data goes to
`../clean/`. Keep personal data out of version control: this folder's files are ignored
by git unless you add them on purpose.
"""

_ROADMAP = """# Improvement actions, each linked to a touchpoint and the metric that will judge it.
# - id: apology_card
#   touchpoint: service_call
#   kind: quick_win          # quick_win | long_term
#   metric: touchpoint_satisfaction
#   owner: team service
actions: []
"""


_MAX_ID = 64
"""Longest study id; instrument ids add a suffix such as ``-interview`` and stay under 100."""

_NOT_DECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d",
                                 "ð": "d", "þ": "th", "ı": "i"})
"""Latin letters that NFKD leaves whole, written the way they are usually transliterated."""


def _study_id(name: str) -> str:
    """Turn a folder name into a study id: lowercase ASCII letters, digits and ``-``.

    Accents are transliterated first (``É`` becomes ``e``, ``ß`` becomes ``ss``), every
    other run of characters becomes one ``-``, and an id that would not start with a
    letter gets the prefix ``study-``.

    Parameters
    ----------
    name : str
        The folder name, e.g. ``"Études 2026!"``.

    Returns
    -------
    str
        At most 64 characters, starting with a letter.

    Examples
    --------
    >>> _study_id("Études 2026!")
    'etudes-2026'
    >>> _study_id("2026 Klantreis")
    'study-2026-klantreis'
    >>> _study_id("???")
    'study'
    """
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_NOT_DECOMPOSED))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    study_id = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if not study_id:
        return "study"
    if not study_id[0].isalpha():
        study_id = "study-" + study_id
    return study_id[:_MAX_ID].rstrip("-")


def new_study(folder: str | Path, *, language: str = "nl", force: bool = False) -> Path:
    """Create a study folder with starter files that validate.

    Parameters
    ----------
    folder : path
        The folder to create; its name becomes the study id.
    language : {"nl", "en"}
        The default language of the starter instruments (both languages are written).
    force : bool
        Allow an existing, empty folder.

    Returns
    -------
    Path
        The study folder.

    Raises
    ------
    CxResearchError
        When the folder exists and is not empty (or exists, empty, without ``force``),
        or ``language`` is not ``"nl"`` or ``"en"``. Nothing is written then.

    Notes
    -----
    The study id is the folder name in lowercase ASCII: accents are transliterated
    (``Études 2026!`` gives ``etudes-2026``), other characters become ``-``, and an id
    that does not start with a letter gets the prefix ``study-``.
    """
    path = Path(folder)
    if language not in ("nl", "en"):
        raise CxResearchError(f"new_study: language must be 'nl' or 'en', not {language!r}; "
                              "both languages are written either way, this picks the default")
    if path.exists() and not path.is_dir():
        raise CxResearchError(f"'{path}' is a file, not a folder; choose a new folder name "
                              "(nothing was written)")
    if path.exists() and any(path.iterdir()):
        raise CxResearchError(
            f"'{path}' exists and is not empty; choose a new folder name "
            "(nothing was written)")
    if path.exists() and not force:
        raise CxResearchError(f"'{path}' exists (empty); add --force to use it, or choose a "
                              "new folder name (nothing was written)")
    study_id = _study_id(path.resolve().name)
    title = study_id.replace("-", " ").capitalize()
    templates = resources.files("cxresearch.study").joinpath("templates")
    for rel, template in STUDY_LAYOUT.items():
        if template is not None:
            text = templates.joinpath(template).read_text("utf-8")
            text = text.replace("__STUDY_ID__", study_id).replace("__STUDY_TITLE__", title)
            if language == "en" and rel.startswith("instruments/"):
                text = text.replace("languages: [nl, en]", "languages: [nl, en]\ndefault_language: en")
        elif rel.endswith("README.md"):
            text = _RAW_README
        elif rel == "roadmap.yaml":
            text = _ROADMAP
        else:
            text = ""
        atomic_write_text(path / rel, text)
    atomic_write_text(path / "data" / "raw" / ".gitignore", "*\n!README.md\n!.gitignore\n")
    return path
