"""The example studies' presets, and ``example_study`` to simulate one of them."""

from __future__ import annotations

from typing import Any

from ._paths import EXAMPLE_STUDIES, example_path
from ._preset_insurer import INSURER, insurer_truth
from ._preset_recruitment import RECRUITMENT, recruitment_truth
from ._preset_webshop import WEBSHOP, webshop_truth
from ._simulate import SimulatedStudy, TruthHook, simulate_study
from ._spec import DatasetError, StudySpec

__all__ = ["PRESETS", "example_study", "preset", "truth_hook"]

PRESETS: dict[str, StudySpec] = {INSURER.name: INSURER, WEBSHOP.name: WEBSHOP,
                                 RECRUITMENT.name: RECRUITMENT}
"""The model parameters of each example study, by study id."""

_HOOKS: dict[str, TruthHook] = {INSURER.name: insurer_truth, WEBSHOP.name: webshop_truth,
                                RECRUITMENT.name: recruitment_truth}


def preset(name: str) -> StudySpec | None:
    """The preset of example study ``name``, or ``None`` for another study."""
    return PRESETS.get(name)


def truth_hook(name: str) -> TruthHook | None:
    """The function adding study-specific truths for ``name``, if any."""
    return _HOOKS.get(name)


def example_study(name: str, *, seed: int | None = None, **options: Any) -> SimulatedStudy:
    """Simulate an example study with its preset (the data shipped in ``data/raw``).

    Parameters
    ----------
    name : str
        One of ``"insurer-claims"``, ``"webshop-delivery"``, ``"recruitment-agency"``.
    seed : int, optional
        Default: the preset's seed, which made the shipped files.
    **options
        Passed on to :func:`simulate_study` (``n_customers``, ``effects``, ...).

    Examples
    --------
    >>> sim = example_study("insurer-claims", n_customers=30, n_employees=10, truth_n=2_000)
    >>> sim.truth.effects
    {'first_call': 0.6, 'payout': 0.4}
    """
    if name not in EXAMPLE_STUDIES:
        raise DatasetError(f"`name` must be one of {', '.join(map(repr, EXAMPLE_STUDIES))}; "
                           f"got {name!r}")
    spec = PRESETS.get(name)
    if spec is None:
        raise DatasetError(f"the example study {name!r} has no preset yet; its instruments "
                           "are still being written")
    return simulate_study(example_path(name), spec=spec,
                          seed=spec.seed if seed is None else seed, **options)
