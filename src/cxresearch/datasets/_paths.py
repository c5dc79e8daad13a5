"""Where the example studies live, and reading a study folder into objects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..instrument.io import load_instrument
from ..instrument.model import Instrument
from ..journey.model import Journey, load_journey
from ._spec import DatasetError

__all__ = ["EXAMPLE_STUDIES", "StudyObjects", "example_path", "load_study_objects"]

EXAMPLE_STUDIES: tuple[str, ...] = ("insurer-claims", "webshop-delivery", "recruitment-agency")
"""The example studies that ship in ``surveys/``."""


def _surveys_root() -> Path:
    """The ``surveys`` folder: in the source tree (``src/cxresearch/datasets`` -> repo root),
    or in the current folder or one of its parents."""
    here = Path(__file__).resolve()
    candidates = [p / "surveys" for p in here.parents] + \
        [p / "surveys" for p in (Path.cwd(), *Path.cwd().parents)]
    for candidate in candidates:
        if (candidate / "insurer-claims").is_dir():
            return candidate
    raise DatasetError("cannot find the example studies (a 'surveys' folder with "
                       "'insurer-claims'); run from the cxresearch source tree, or pass "
                       "the study folder yourself")


def example_path(study: str, *parts: str) -> Path:
    """The path of an example study, or of a file in it.

    Parameters
    ----------
    study : str
        One of :data:`EXAMPLE_STUDIES`.
    *parts : str
        Path parts inside the study folder, e.g. ``"data", "raw"``.

    Returns
    -------
    pathlib.Path
        ``<repo>/surveys/<study>/<parts...>`` (not checked for existence beyond the
        study folder).

    Examples
    --------
    >>> example_path("insurer-claims", "journey.yaml").name
    'journey.yaml'
    """
    if study not in EXAMPLE_STUDIES:
        raise DatasetError(f"`study` must be one of {', '.join(map(repr, EXAMPLE_STUDIES))}; "
                           f"got {study!r}")
    return _surveys_root().joinpath(study, *parts)


@dataclass(frozen=True)
class StudyObjects:
    """A study's journey (optional), customer survey and employee survey (optional)."""

    name: str
    customer: Instrument
    journey: Journey | None = None
    employee: Instrument | None = None
    folder: Path | None = None


def _pick(instruments: list[Instrument], audience: str) -> Instrument | None:
    for inst in instruments:
        if inst.kind == "survey" and inst.audience == audience:
            return inst
    return None


def load_study_objects(study: str | Path | Mapping[str, Any] | StudyObjects) -> StudyObjects:
    """Read a study folder (``study.yaml``, or ``journey.yaml`` and ``instruments/*.yaml``),
    an example study's name, or a mapping with ``customer`` and optionally ``journey``,
    ``employee`` and ``name``."""
    if isinstance(study, StudyObjects):
        return study
    if isinstance(study, Mapping):
        if "customer" not in study:
            raise DatasetError("a study given as a mapping needs a 'customer' survey (and "
                               f"optionally 'journey', 'employee', 'name'); got keys "
                               f"{', '.join(map(str, study))}")
        customer = study["customer"]
        return StudyObjects(str(study.get("name") or customer.id), customer,
                            study.get("journey"), study.get("employee"))
    folder = example_path(str(study)) if isinstance(study, str) and study in EXAMPLE_STUDIES \
        else Path(study)
    if not folder.is_dir():
        raise DatasetError(f"`study` must be a study folder, an example name "
                           f"({', '.join(EXAMPLE_STUDIES)}) or a mapping of objects; "
                           f"got {str(study)!r}, which is not a folder")
    plan = folder / "study.yaml"
    journey_file = folder / "journey.yaml"
    files = sorted((folder / "instruments").glob("*.yaml"))
    name = folder.name
    if plan.exists():
        data = yaml.safe_load(plan.read_text(encoding="utf-8")) or {}
        name = str(data.get("id") or name)
        if data.get("journey"):
            journey_file = folder / str(data["journey"])
        if data.get("instruments"):
            files = [folder / str(f) for f in data["instruments"]]
    instruments = [load_instrument(f) for f in files]
    customer = _pick(instruments, "customer")
    if customer is None:
        raise DatasetError(f"no customer survey in {folder / 'instruments'}; the simulator "
                           "needs one (audience: customer, kind: survey)")
    journey = load_journey(journey_file) if journey_file.exists() else None
    return StudyObjects(name, customer, journey, _pick(instruments, "employee"), folder)
