"""Errors that teach: every problem says where, what, what is allowed and how to fix it.

All exceptions raised on purpose by cxresearch derive from :class:`CxResearchError`.
Instrument problems carry a stable code (see :class:`Code`) so that tests, editors and
people can refer to them; a single :class:`InstrumentError` carries *every* problem
found in a file, not only the first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable, Self, Sequence

__all__ = [
    "Code",
    "CxResearchError",
    "DataError",
    "InstrumentError",
    "MissingExtraError",
    "Problem",
    "ProblemsError",
    "Severity",
]


class CxResearchError(Exception):
    """Base class of every error cxresearch raises on purpose."""


class MissingExtraError(CxResearchError, ImportError):
    """An optional dependency is not installed; the message names the extra."""

    def __init__(self, module: str, extra: str, feature: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package '{module}', which is not installed. "
            f'Install it with: pip install "cxresearch[{extra}]"'
        )


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(str, enum.Enum):
    """Stable codes of instrument problems. Never renumber; add new codes at the end."""

    EMPTY_FILE = "CX100"
    UNREADABLE_FILE = "CX101"
    ENCODING = "CX102"
    YAML_SYNTAX = "CX103"
    TOO_LARGE = "CX104"
    WRONG_TYPE = "CX110"
    MISSING_FIELD = "CX111"
    UNKNOWN_FIELD = "CX112"
    INVALID_VALUE = "CX113"
    DUPLICATE_KEY = "CX114"
    INVALID_ID = "CX120"
    DUPLICATE_ID = "CX121"
    MISSING_TRANSLATION = "CX130"
    UNDECLARED_LANGUAGE = "CX131"
    UNKNOWN_CHOICE_LIST = "CX140"
    EMPTY_CHOICE_LIST = "CX141"
    DUPLICATE_CHOICE = "CX142"
    BAD_SCALE = "CX150"
    BAD_BOUNDS = "CX151"
    LOGIC_SYNTAX = "CX160"
    LOGIC_UNKNOWN_QUESTION = "CX161"
    LOGIC_LATER_QUESTION = "CX162"
    LOGIC_UNKNOWN_FUNCTION = "CX163"
    LOGIC_BAD_ARGUMENT = "CX164"
    UNKNOWN_TOUCHPOINT = "CX170"
    UNKNOWN_STAGE = "CX171"
    JOURNEY_NOT_FOUND = "CX172"
    UNKNOWN_ITEM = "CX180"
    XLSFORM_UNSUPPORTED = "CX190"
    XLSFORM_INVALID = "CX191"
    EXPORT_UNSUPPORTED = "CX192"
    # responses (data files)
    DATA_EMPTY = "CX200"
    DATA_HEADER_ONLY = "CX201"
    DATA_RAGGED = "CX202"
    DATA_DUPLICATE_COLUMN = "CX203"
    DATA_UNKNOWN_CODE = "CX204"
    DATA_UNMATCHED_COLUMN = "CX205"
    DATA_BAD_NUMBER = "CX206"
    DATA_BAD_DATE = "CX207"
    DATA_LABELS_MISMATCH = "CX208"
    DATA_TOO_LARGE = "CX209"
    DATA_NO_PURPOSE = "CX210"
    DATA_FORMAT = "CX211"
    DATA_NO_ANSWERS = "CX212"
    DATA_WRITE = "CX213"  # derived data cannot be written there (no folder, data/raw, raw file)
    DATA_CLEAN_MISMATCH = "CX214"  # a clean file does not match its sidecar
    # journeys (journey.yaml, and its links with the instruments); the shape problems of a
    # journey file (unknown key, wrong type, missing translation, duplicate id, unknown
    # channel) have the codes above, as in instruments
    JOURNEY_EMPTY_STAGE = "CX300"  # warning: a stage without touchpoints
    JOURNEY_BAD_VALENCE = "CX301"  # valence is not a whole number from -2 to +2
    JOURNEY_UNKNOWN_NEED = "CX302"  # an employee need other than information/tools/...
    JOURNEY_UNMEASURED = "CX303"  # warning: no instrument asks about a touchpoint
    JOURNEY_MOMENT_UNASKED = "CX304"  # warning: a moment of truth without a customer question
    JOURNEY_UNKNOWN_TEAM = "CX305"  # warning: a serving team the employee survey lacks


@dataclass(frozen=True)
class Problem:
    """One problem found in an instrument file.

    Attributes
    ----------
    code : Code
        Stable code, e.g. ``CX121`` for a duplicate id.
    message : str
        What is wrong, in one sentence.
    file : str or None
        The file the problem is in.
    line, column : int or None
        1-based position in the file (for spreadsheets: row, and column letter in
        ``sheet``).
    question_id : str or None
        The question (or block, or choice list) the problem belongs to.
    allowed : str or None
        The values that would be accepted.
    given : str or None
        What was found.
    fix : str or None
        How to fix it.
    sheet : str or None
        Spreadsheet sheet name, for XLSForm input.
    severity : Severity
        Errors stop loading; warnings are reported and loading goes on.
    """

    code: Code
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    question_id: str | None = None
    allowed: str | None = None
    given: str | None = None
    fix: str | None = None
    sheet: str | None = None
    severity: Severity = Severity.ERROR

    def where(self) -> str:
        parts: list[str] = []
        place = self.file or "<text>"
        if self.sheet:
            place += f", sheet '{self.sheet}'"
        if self.line is not None:
            place += f", row {self.line}" if self.sheet else f":{self.line}"
            if self.column is not None:
                place += f", column {self.column}" if self.sheet else f":{self.column}"
        parts.append(place)
        if self.question_id:
            parts.append(f"[{self.question_id}]")
        return " ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.severity.value} {self.code.value}: {self.message}"
        if self.given is not None:
            text += f" (given: {self.given})"
        if self.allowed:
            text += f"\n    allowed: {self.allowed}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "line": self.line,
            "column": self.column,
            "question_id": self.question_id,
            "message": self.message,
            "given": self.given,
            "allowed": self.allowed,
            "fix": self.fix,
        }


class ProblemsError(CxResearchError, ValueError):
    """Every problem found in one go; ``problems`` holds them (errors first, then warnings)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        ordered = sorted(
            problems,
            key=lambda p: (p.severity != Severity.ERROR, p.file or "", p.sheet or "",
                           p.line or 0, p.column or 0),
        )
        self.problems: tuple[Problem, ...] = tuple(ordered)
        errors = [p for p in self.problems if p.severity == Severity.ERROR]
        head = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
        files = sorted({p.file for p in self.problems if p.file})
        if files:
            head += " in " + ", ".join(files)
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code.value for p in self.problems if p.severity == Severity.ERROR]

    @classmethod
    def single(cls, code: Code, message: str, **where: object) -> Self:
        return cls([Problem(code, message, **where)])  # type: ignore[arg-type]


class InstrumentError(ProblemsError):
    """An instrument could not be loaded, validated or exported."""


class DataError(ProblemsError):
    """A response file could not be read as answers to its instrument."""


def raise_if_errors(problems: Sequence[Problem], error: type[ProblemsError] | None = None) -> None:
    """Raise ``error`` (default :class:`InstrumentError`) when any problem is an error."""
    if any(p.severity == Severity.ERROR for p in problems):
        raise (error or InstrumentError)(problems)
