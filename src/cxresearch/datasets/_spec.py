"""The knobs of the simulator: answer rules, drivers, quality rates, waves and presets.

A :class:`StudySpec` holds every parameter of the latent model for one study. The
simulator reads the instruments for *what* to ask and the spec for *how* people answer.
Rules are keyed by question id; a question without a rule gets a plain default (see
:mod:`cxresearch.datasets._answers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Union

from ..errors import CxResearchError

__all__ = [
    "ContactCategory",
    "ContactSpec",
    "DatasetError",
    "DaysBefore",
    "Derived",
    "Driver",
    "Likert",
    "Multi",
    "Number",
    "NumberDriver",
    "Ordered",
    "Probs",
    "QualityRates",
    "Rating",
    "Rule",
    "StudySpec",
    "TextRule",
    "Wave",
]


class DatasetError(CxResearchError, ValueError):
    """An argument of the simulator is out of range or names something unknown."""


# -- answer rules -------------------------------------------------------------------------

@dataclass(frozen=True)
class Probs:
    """Fixed probabilities of the choice values, optionally per group.

    For a single choice, ``p`` gives the probability of each value (normalised); for a
    multiple choice, the chance that each value is ticked (independently). With ``by``,
    ``table`` gives such a mapping per value of ``by``: ``"wave"``, ``"team"``,
    ``"language"`` or the id of an earlier question.
    """

    p: Mapping[str, float] = field(default_factory=dict)
    by: str | None = None
    table: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Multi:
    """A multiple choice: ticks per value, exclusive values, as :class:`Probs` per group.

    ``exclusive`` values (e.g. ``none``, ``dont_know``) are chosen alone, with the given
    probability (a group's table may override it), before anything else is ticked; when
    nothing gets ticked, the first exclusive value is the answer.
    """

    p: Mapping[str, float] = field(default_factory=dict)
    exclusive: Mapping[str, float] = field(default_factory=dict)
    by: str | None = None
    table: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Ordered:
    """A single choice whose values run from worst to best and follow a latent.

    At latent ``center`` the values have probabilities ``base``; every latent unit above
    shifts the ordered-logit index by ``loading`` towards the best value. ``others`` are
    values outside the order (e.g. ``dont_remember``) with a fixed probability.
    """

    order: tuple[str, ...]
    base: tuple[float, ...]
    loading: float = 1.5
    center: float = 0.6
    latent: str | None = None
    others: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Derived:
    """An answer the model knows: ``"team"`` (the respondent's team), ``"peak"`` (the
    touchpoint, or its stage, of the most extreme experience so far) or
    ``"peak_valence"`` (``positive`` above 1.3 on the latent scale, ``negative`` below
    -0.3, else ``mixed``)."""

    source: str


@dataclass(frozen=True)
class Likert:
    """How a Likert item (or every row of a matrix) follows its latent.

    The item latent is ``loading * latent + shift + row_shifts[row] + noise``;
    ``reverse`` flips the scale (effort: a better experience means a lower code).
    """

    loading: float = 1.0
    shift: float = 0.0
    reverse: bool = False
    latent: str | None = None
    row_shifts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Rating:
    """A 0-10 rating: ``floor(intercept + slope * (latent + noise))``, clipped to 0-10."""

    intercept: float = 6.9
    slope: float = 2.0
    noise: float = 0.5
    latent: str | None = None


@dataclass(frozen=True)
class Number:
    """A number: ``dist`` is ``"lognormal"`` (``median``, ``sigma``), ``"normal"``
    (``median`` as the mean, ``sigma`` as the sd) or ``"count"`` (``1 + Poisson``, mean
    ``median - 1``). The centre moves with the latent: times ``exp(slope * (latent -
    center))`` for lognormal and count, plus ``slope * (latent - center)`` for normal;
    ``wave_factor`` and ``team_factor`` multiply the centre per wave and per team. With
    ``add``, the answer to that
    earlier number question is added (``add_default`` where it is missing), e.g. days
    to fill = days to shortlist + days after the shortlist."""

    median: float
    sigma: float = 0.6
    dist: str = "lognormal"
    slope: float = 0.0
    center: float = 0.6
    latent: str | None = None
    wave_factor: Mapping[str, float] = field(default_factory=dict)
    team_factor: Mapping[str, float] = field(default_factory=dict)
    add: str | None = None
    add_default: float = 0.0


@dataclass(frozen=True)
class DaysBefore:
    """A date between ``low`` and ``high`` days before the respondent's start."""

    low: int = 7
    high: int = 120


@dataclass(frozen=True)
class TextRule:
    """Open text from phrase bank ``bank`` (default: the question id, then the block's
    touchpoint, then generic phrases), written by a share ``rate`` of those asked."""

    bank: str | None = None
    rate: float = 0.5


Rule = Union[Probs, Multi, Ordered, Derived, Likert, Rating, Number, DaysBefore, TextRule]


@dataclass(frozen=True)
class Driver:
    """Answers that move latents: ``shifts[value][target]`` is added to the latent
    ``target`` (a touchpoint id, or ``"overall"``) of everyone who gave ``value`` (a
    choice code, or a scale point such as ``5``; for a multiple choice: who ticked it).
    Drivers act on the true answer, before speeders' noise and item non-response."""

    question: str
    shifts: Mapping[str | int, Mapping[str, float]]


@dataclass(frozen=True)
class NumberDriver:
    """A number answer that moves a latent: ``slope * (answer - center)`` is added to
    ``target`` (a touchpoint id, or ``"overall"``)."""

    question: str
    target: str
    slope: float
    center: float


# -- data quality, waves, contacts --------------------------------------------------------

@dataclass(frozen=True)
class QualityRates:
    """Rates of the data-quality problems the simulator adds.

    Attributes
    ----------
    missing : float
        Share of asked, optional, closed items left empty (per item and respondent).
    speeders : float
        Share of respondents who rush: duration about a quarter of the median, and
        each closed answer replaced by a uniformly random one with chance
        ``speeder_random``.
    straightliners : float
        Share of respondents who give the same answer on every row of every matrix.
    duplicates : float
        Share of submissions sent twice (same respondent id and answers, a few minutes
        later).
    pii : float
        Share of written long open answers that carry a fake e-mail address or phone
        number.
    """

    missing: float = 0.04
    speeders: float = 0.03
    straightliners: float = 0.02
    duplicates: float = 0.005
    pii: float = 0.03
    speeder_random: float = 0.6

    def __post_init__(self) -> None:
        for name in ("missing", "speeders", "straightliners", "duplicates", "pii",
                     "speeder_random"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise DatasetError(f"QualityRates.{name} must be a share between 0 and 1; "
                                   f"got {value!r}")


NO_PROBLEMS = QualityRates(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Wave:
    """A fieldwork period: responses start between ``first`` and ``last`` (inclusive)."""

    name: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class ContactCategory:
    """A kind of question in the contact log, with its share, the touchpoint it is
    about, how much harder than average it is to resolve at once (logit shift) and its
    median handling time in minutes."""

    id: str
    share: float
    touchpoint: str | None = None
    difficulty: float = 0.0
    minutes: float = 6.0


@dataclass(frozen=True)
class ContactSpec:
    """The contact log: arrivals by day and hour, channels, categories and first-contact
    resolution.

    P(resolved at first contact) = logistic(``fcr_intercept`` + ``fcr_slope`` *
    enablement[team, touchpoint of the category] - difficulty + channel shift).
    An unresolved contact comes back as a repeat contact with chance ``repeat_prob``.
    """

    first_day: dt.date
    weeks: int
    per_day: float
    channels: Mapping[str, float]
    categories: tuple[ContactCategory, ...]
    fcr_intercept: float = 0.9
    fcr_slope: float = 0.8
    channel_shift: Mapping[str, float] = field(default_factory=dict)
    repeat_prob: float = 0.6
    weekday_weights: tuple[float, ...] = (1.45, 1.15, 1.05, 1.0, 0.9, 0.3, 0.12)
    office_channels: tuple[str, ...] = ("phone", "chat", "in_person", "visit")
    teams: Mapping[str, float] | None = None


# -- the whole study ----------------------------------------------------------------------

@dataclass(frozen=True)
class StudySpec:
    """Every parameter of the latent model of one study (see :func:`simulate_study`).

    Touchpoint experience of customer *i* at touchpoint *t* in wave *w*::

        x[i, t] = disposition[i] + touchpoint_means[t]
                  + enablement_slope * enablement[team(i, t), t]   (team touchpoints)
                  + effects[t] * (w == "after") + drivers + Normal(0, experience_sd)

    with ``enablement[team, t] = team_enablement[team] + touchpoint_enablement[t]``.
    The overall judgement is ``peak_end["peak"] * peak + peak_end["end"] * end +
    peak_end["mean"] * mean + overall drivers + Normal(0, overall_sd)`` over the
    touchpoints the customer went through: *peak* is the experienced touchpoint with the
    largest absolute latent value, *end* the last one in journey order. A touchpoint
    counts as experienced when one of its satisfaction, effort or feeling items is asked.

    Attributes
    ----------
    name, seed : str, int
        Study id and the seed the example files are made with.
    n_customers, n_employees, panel_share : int, int, float
        Customers per wave, employees, and the share of wave 1 answering again.
    effects : dict
        Latent effect per touchpoint in wave "after".
    touchpoint_means, default_mean : dict, float
        Latent mean experience per touchpoint (default for those not listed).
    disposition_sd, experience_sd, item_sd, overall_sd : float
        Standard deviations of the person, touchpoint, item and overall noise terms.
    peak_end : dict
        Weights ``peak``, ``end`` and ``mean`` of the overall judgement.
    teams, touchpoint_teams, team_touchpoints : dict, dict, tuple or None
        Customer teams with their shares; touchpoints handled by one fixed team; the
        touchpoints where the handling team's enablement counts (default: those the
        employee survey asks about).
    team_enablement, touchpoint_enablement, enablement_slope : dict, dict, float
        Latent enablement levels, and the customer experience per enablement unit.
    employee_teams, employee_person_sd, employee_item_sd : dict, float, float
        Employee team shares and noise.
    languages : dict
        Survey language shares.
    waves, employee_wave : Wave
        Fieldwork periods (simulated calendar: no "now" anywhere).
    rules, employee_rules, drivers : dict, dict, tuple
        How questions are answered (:class:`Probs`, :class:`Ordered`, ...) and which
        answers move latents.
    quality : QualityRates
        Data-quality problems to add.
    contacts : ContactSpec or None
        The contact log, if any.
    duration_median_s, employee_duration_median_s : float
        Median completion times.
    id_prefix, phrases : str, str or None
        Prefix of customer ids; phrase bank of open answers.
    extras : dict
        Study-specific truths that are parameters (e.g. cost per open day).
    """

    name: str
    seed: int = 0
    n_customers: int = 600
    n_employees: int = 100
    panel_share: float = 0.3
    effects: Mapping[str, float] = field(default_factory=dict)
    touchpoint_means: Mapping[str, float] = field(default_factory=dict)
    default_mean: float = 0.6
    disposition_sd: float = 0.6
    experience_sd: float = 0.6
    item_sd: float = 0.5
    overall_sd: float = 0.35
    peak_end: Mapping[str, float] = field(
        default_factory=lambda: {"peak": 0.4, "end": 0.4, "mean": 0.2})
    teams: Mapping[str, float] = field(default_factory=dict)
    touchpoint_teams: Mapping[str, str] = field(default_factory=dict)
    team_touchpoints: tuple[str, ...] | None = None
    team_enablement: Mapping[str, float] = field(default_factory=dict)
    touchpoint_enablement: Mapping[str, float] = field(default_factory=dict)
    enablement_slope: float = 0.5
    employee_teams: Mapping[str, float] = field(default_factory=dict)
    employee_person_sd: float = 0.45
    employee_item_sd: float = 0.55
    languages: Mapping[str, float] = field(default_factory=lambda: {"nl": 0.85, "en": 0.15})
    waves: tuple[Wave, Wave] = (
        Wave("before", dt.date(2026, 2, 2), dt.date(2026, 3, 15)),
        Wave("after", dt.date(2026, 9, 7), dt.date(2026, 10, 18)),
    )
    employee_wave: Wave = Wave("before", dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    rules: Mapping[str, Rule] = field(default_factory=dict)
    employee_rules: Mapping[str, Rule] = field(default_factory=dict)
    drivers: tuple[Driver | NumberDriver, ...] = ()
    quality: QualityRates = field(default_factory=QualityRates)
    contacts: ContactSpec | None = None
    duration_median_s: float = 540.0
    employee_duration_median_s: float = 420.0
    id_prefix: str = "K"
    phrases: str | None = None
    extras: Mapping[str, object] = field(default_factory=dict)
