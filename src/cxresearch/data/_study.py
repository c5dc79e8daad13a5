"""Find a study's ``study.yaml`` and read what reading data needs from it.

A study is a folder holding ``study.yaml`` (DESIGN.md). Reading data needs two of its
settings: the purpose of processing (required when the data hold personal data, see
:func:`require_purpose`) and the minimum group size (kept on the
:class:`~cxresearch.data.Responses` for later tables). :mod:`cxresearch.data` may not import :mod:`cxresearch.study`, which sits on
top of it, so the few lines that read those two keys live here, with the positioned
YAML reader so that a problem names file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._yaml import YMap, YScalar, parse_yaml, read_source
from ..errors import Code, DataError, InstrumentError
from .responses import Responses

__all__ = ["DEFAULT_MIN_GROUP_SIZE", "STUDY_FILE", "StudySettings", "find_study_file",
           "personal_data_reasons", "read_study_settings", "require_purpose"]

STUDY_FILE = "study.yaml"
DEFAULT_MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class StudySettings:
    """What data reading takes from a ``study.yaml``.

    Attributes
    ----------
    path : pathlib.Path
        The ``study.yaml`` read.
    purpose : dict of str to str
        The purpose of processing per language (a plain text is kept under ``"*"``);
        only languages with non-empty text.
    purpose_problem : str or None
        Why the purpose does not count (``None`` when it does): missing, empty, or empty
        for some language.
    purpose_line : int or None
        The line of the ``purpose:`` key (``None`` when there is none).
    min_group_size : int
        ``min_group_size:`` (default 5).
    smallest_effects : dict of str to float
        ``smallest_effects:``: the smallest change that matters per outcome column or
        metric (``nps: 5`` in NPS points, ``sat_call: 0.3`` in scale points,
        ``top_box: 0.05`` as a share), fixed in the plan before data arrive.
    """

    path: Path
    purpose: dict[str, str] = field(default_factory=dict)
    purpose_problem: str | None = None
    purpose_line: int | None = None
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    smallest_effects: dict[str, float] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """The study folder (the one holding ``study.yaml``)."""
        return self.path.parent


def find_study_file(*starts: str | Path | None) -> Path | None:
    """The first ``study.yaml`` found walking up from each start in turn.

    Each start is a file or folder; its folder and every parent are looked at, the
    nearest first. ``None`` starts are skipped. Returns ``None`` when none is found.
    """
    for start in starts:
        if start is None:
            continue
        here = Path(start).expanduser().resolve()
        folders = [here] if here.is_dir() else []
        for folder in [*folders, *here.parents]:
            candidate = folder / STUDY_FILE
            if candidate.is_file():
                return candidate
    return None


def read_study_settings(path: str | Path) -> StudySettings:
    """Read the purpose of processing and the minimum group size from ``study.yaml``.

    Other keys are not checked here (that is :mod:`cxresearch.study`'s work).

    Raises
    ------
    DataError
        The file cannot be read or is not valid YAML (CX101-CX104), is not a mapping
        (CX110), or ``min_group_size`` is not a whole number of 1 or more (CX113); each
        names file and line.
    """
    path = Path(path)
    name = str(path)
    try:
        source = read_source(path)
        root = parse_yaml(source.text, name)
    except InstrumentError as exc:  # the reader's codes fit any YAML file; re-raise as data
        raise DataError(exc.problems) from None
    if root is None:
        root = YMap()
        root.line, root.column, root.key_pos = 1, 1, {}
    if not isinstance(root, YMap):
        raise DataError.single(Code.WRONG_TYPE, "study.yaml must be a mapping of keys "
                               "(id, title, goal, purpose, ...)", file=name, line=root.line,
                               fix="start from the study.yaml of an example in surveys/")
    purpose, problem = _purpose(root)
    line = root.key_pos.get("purpose", (None, None))[0]
    return StudySettings(path, purpose, problem, line, _min_group_size(root, name),
                         _smallest_effects(root, name))


def _smallest_effects(root: YMap, name: str) -> dict[str, float]:
    node = root.get("smallest_effects")
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return {}
    line = root.key_pos["smallest_effects"][0]
    if not isinstance(node, YMap):
        raise DataError.single(
            Code.WRONG_TYPE, "smallest_effects must map outcomes or metrics to sizes",
            file=name, line=line, fix="write e.g.\n  smallest_effects:\n    nps: 5\n"
            "    sat_call: 0.3")
    effects: dict[str, float] = {}
    for key, value in node.items():
        text = value.raw.strip() if isinstance(value, YScalar) else ""
        try:
            size = float(text)
        except ValueError:
            size = float("nan")
        if not size >= 0:  # NaN fails too
            raise DataError.single(
                Code.INVALID_VALUE, f"smallest_effects: '{key}' must be a number of 0 or "
                "more", file=name, line=node.key_pos.get(key, (line, None))[0],
                given=text or type(value).__name__, allowed="0, 0.3, 5, ...",
                fix="give the size of the smallest change that matters, without sign, in "
                "the unit of the outcome (NPS points, scale points, or a share for "
                "proportions)")
        effects[str(key)] = size
    return effects


def _purpose(root: YMap) -> tuple[dict[str, str], str | None]:
    node = root.get("purpose")
    if node is None:
        return {}, "there is no `purpose:`"
    if isinstance(node, YScalar):
        if node.is_null or not node.raw.strip():
            return {}, "`purpose:` is empty"
        return {"*": node.raw.strip()}, None
    if isinstance(node, YMap):
        texts = {lang: value.raw.strip() for lang, value in node.items()
                 if isinstance(value, YScalar) and not value.is_null and value.raw.strip()}
        empty = [lang for lang in node if lang not in texts]
        if not node:
            return {}, "`purpose:` is empty"
        if empty:
            return texts, f"`purpose:` is empty for {', '.join(empty)}"
        return texts, None
    return {}, "`purpose:` is a list; it must be text per language"


def _min_group_size(root: YMap, name: str) -> int:
    node = root.get("min_group_size")
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return DEFAULT_MIN_GROUP_SIZE
    line = root.key_pos["min_group_size"][0]
    text = node.raw.strip() if isinstance(node, YScalar) else ""
    if not text.isdigit() or int(text) < 1:
        raise DataError.single(
            Code.INVALID_VALUE, "min_group_size must be a whole number of 1 or more",
            file=name, line=line, given=text or type(node).__name__, allowed="1, 2, 3, ...",
            fix="write e.g. `min_group_size: 5` (the default): no table shows a smaller group")
    return int(text)


_PURPOSE_EXAMPLE = (
    "\n      purpose:"
    "\n        nl: Antwoorden worden alleen gebruikt om de dienstverlening te verbeteren en "
    "worden 24 maanden na de laatste meting verwijderd."
    "\n        en: Answers are used only to improve the service and are deleted 24 months "
    "after the last wave.")
_WHY = ("the GDPR register of processing (art. 30) must state why personal data are "
        "processed, so data holding personal data are not read without a purpose")


def _some(ids: list[str], most: int = 5) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def personal_data_reasons(responses: Responses) -> list[str]:
    """Why ``responses`` hold personal data (empty when they do not).

    A respondent id column; answers to questions marked ``personal: direct`` or
    ``indirect``; answers to open (``text``) questions. Only columns present count.
    """
    reasons: list[str] = []
    present = set(responses.data.columns)
    if responses.id_column in present:
        reasons.append(f"a respondent id column ('{responses.id_column}')")
    marked: list[str] = []
    text: list[str] = []
    for q in responses.survey.questions():
        fields = [f for f in q.field_ids() if f in present]
        if not fields:
            continue
        if q.personal in ("direct", "indirect"):
            marked.append(q.id)
        if q.type == "text":
            text.append(q.id)
    if marked:
        reasons.append(f"answers marked personal ({_some(marked)})")
    if text:
        reasons.append(f"open text ({_some(text)})")
    return reasons


def require_purpose(responses: Responses, settings: StudySettings | None) -> None:
    """Raise CX210 when ``responses`` hold personal data and no purpose is stated.

    The purpose of ``settings`` (the study's ``study.yaml``) counts when there is one;
    else the instrument's ``purpose``. See :func:`cxresearch.data.read_responses`.
    """
    reasons = personal_data_reasons(responses)
    if not reasons:
        return
    data = Path(responses.source).name if responses.source else "the data"
    holds = f"{data} holds personal data ({'; '.join(reasons)})"
    if settings is not None:
        if settings.purpose_problem is None:
            return
        raise DataError.single(
            Code.DATA_NO_PURPOSE,
            f"{holds}, but study.yaml states no purpose of processing; {_WHY}",
            file=str(settings.path), line=settings.purpose_line,
            given=settings.purpose_problem,
            fix="add the purpose of processing to study.yaml, as text per language: why "
            "the answers are collected, who sees them and how long they are kept, e.g."
            + _PURPOSE_EXAMPLE)
    inst = responses.survey
    if inst.purpose and all(text.strip() for text in inst.purpose.values()):
        return
    where = f"{responses.source}" if responses.source else "the data file"
    if inst.source:
        where += f" or above the instrument {inst.source}"
    raise DataError.single(
        Code.DATA_NO_PURPOSE,
        f"{holds}, but no purpose of processing is stated: no study.yaml was found in the "
        f"folders above {where}, and instrument '{inst.id}' has no `purpose:`; {_WHY}",
        file=inst.source or responses.source,
        fix="add `purpose:` to the study's study.yaml (in the study folder, which holds "
        "data/raw/ and instruments/), or to the instrument, e.g." + _PURPOSE_EXAMPLE)
