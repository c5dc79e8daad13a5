"""Planning: how many respondents a study needs, and what it can detect.

:func:`sample_size` and its inverse :func:`mde` answer "how many respondents do we need
to see a 5-point NPS change?" and "with 400 per wave, what is the smallest change we can
see?" for a mean, a proportion (a top-box share) or an NPS, in three designs:

``"two-wave"``
    two independent samples (before and after, or two groups): power of a two-sided test
    of their difference; ``ratio`` = size of the second wave / the first.
``"paired"``
    the same respondents answer twice; ``correlation`` between their two answers.
``"one-wave"``
    precision: respondents for an interval of ± ``mde`` (the margin of error) at
    confidence ``1 - alpha``; ``power`` plays no part.

Means and proportions use statsmodels' power classes (``TTestIndPower``, ``TTestPower``,
``power_proportions_2indep``, ``NormalIndPower``); NPS has no library, so its variance is
written here and handed to ``NormalIndPower``.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from ._check import StatsInputError, check_choice, shown
from ._result import Result

__all__ = ["sample_size", "mde", "METRICS", "DESIGNS", "DEFAULT_SHARES"]

METRICS = ("mean", "proportion", "nps")
"""Values of ``metric``."""

DESIGNS = ("two-wave", "one-wave", "paired")
"""Values of ``design``."""

DEFAULT_SHARES = (0.4, 0.2)
"""Promoters and detractors assumed for NPS when ``shares`` is not given (NPS +20, a
common mid-range profile; the per-respondent SD is then 74.8 points)."""

_BIG = 1e9


# -- arguments --------------------------------------------------------------------------
def _number(name: str, value: Any, *, low: float, high: float = math.inf,
            open_low: bool = True, open_high: bool = True, hint: str = "") -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and \
        math.isfinite(float(value))
    if ok:
        v = float(value)
        ok = (v > low if open_low else v >= low) and (v < high if open_high else v <= high)
    if not ok:
        lo = f"{'above' if open_low else 'at least'} {low:g}"
        hi = "" if math.isinf(high) else \
            f" and {'below' if open_high else 'at most'} {high:g}"
        raise StatsInputError(f"{name} must be a number {lo}{hi}{hint}; "
                              f"got {shown(value)}")
    return float(value)


def _shares(shares: Any) -> tuple[float, float]:
    if shares is None:
        return DEFAULT_SHARES
    if isinstance(shares, Mapping):
        try:
            shares = (shares["promoters"], shares["detractors"])
        except KeyError:
            raise StatsInputError(f"shares as a mapping needs the keys 'promoters' and "
                                  f"'detractors'; got {shown(list(shares))}") from None
    if isinstance(shares, str) or not isinstance(shares, Sequence) or len(shares) != 2:
        raise StatsInputError(f"shares must be (promoters, detractors), two proportions, "
                              f"e.g. (0.4, 0.2); got {shown(shares)}")
    pro = _number("shares[0] (promoters)", shares[0], low=0, high=1, open_low=False,
                  open_high=False)
    det = _number("shares[1] (detractors)", shares[1], low=0, high=1, open_low=False,
                  open_high=False)
    if pro + det > 1 + 1e-12:
        raise StatsInputError(f"shares: promoters and detractors add up to more than 1 "
                              f"({pro:g} + {det:g})")
    if pro + det - (pro - det) ** 2 <= 0:
        raise StatsInputError(f"shares {(pro, det)} leave no variance (everyone in one "
                              f"category); nothing to plan for")
    return pro, det


class _Plan:
    """The checked arguments, and the power and precision formulas for them."""

    def __init__(self, metric: Any, *, sd: Any, p: Any, shares: Any, alpha: Any,
                 power: Any, design: Any, ratio: Any, correlation: Any) -> None:
        self.metric = check_choice("metric", metric, METRICS)
        self.design = check_choice("design", design, DESIGNS)
        self.alpha = _number("alpha", alpha, low=0, high=1, hint=" (e.g. 0.05)")
        self.power = _number("power", power, low=0, high=1, hint=" (e.g. 0.8)")
        if self.power <= self.alpha and self.design != "one-wave":
            raise StatsInputError(f"power ({power!r}) must be larger than alpha "
                                  f"({alpha!r})")
        for name, value, wants in (("sd", sd, "mean"), ("p", p, "proportion"),
                                   ("shares", shares, "nps")):
            if value is not None and self.metric != wants:
                raise StatsInputError(f"{name} applies to metric={wants!r}, not "
                                      f"metric={self.metric!r}")
        self.sd = self.p = math.nan
        self.shares: tuple[float, float] | None = None
        if self.metric == "mean":
            if sd is None:
                raise StatsInputError("metric='mean' needs sd=, the standard deviation of "
                                      "one answer (e.g. from an earlier wave)")
            self.sd = _number("sd", sd, low=0)
            self.unit_sd = self.sd
        elif self.metric == "proportion":
            if p is None:
                raise StatsInputError("metric='proportion' needs p=, the proportion before "
                                      "the change (e.g. 0.6 for a 60% top-2-box share)")
            self.p = _number("p", p, low=0, high=1)
            self.unit_sd = math.sqrt(self.p * (1 - self.p))
        else:
            self.shares = _shares(shares)
            pro, det = self.shares
            self.unit_sd = 100 * math.sqrt(pro + det - (pro - det) ** 2)
        self.ratio = 1.0
        if ratio != 1.0 and ratio != 1:
            if self.design != "two-wave":
                raise StatsInputError(f"ratio applies to design='two-wave' only; got "
                                      f"ratio={ratio!r} with design={self.design!r}")
            self.ratio = _number("ratio", ratio, low=0, hint=" (second wave / first)")
        self.correlation = math.nan
        if self.design == "paired":
            if correlation is None:
                raise StatsInputError("design='paired' needs correlation=, the correlation "
                                      "between a respondent's two answers (e.g. 0.5)")
            self.correlation = _number("correlation", correlation, low=-1, high=1)
        elif correlation is not None:
            raise StatsInputError(f"correlation applies to design='paired' only; got "
                                  f"design={self.design!r}")

    # -- the formulas ------------------------------------------------------------------
    def _z(self) -> float:
        from scipy.stats import norm

        return float(norm.ppf(1 - self.alpha / 2))

    def _paired_sd(self, delta: float) -> float:
        """SD of one respondent's difference (after - before)."""
        r = self.correlation
        if self.metric != "proportion":
            return self.unit_sd * math.sqrt(2 * (1 - r))
        v1, p2 = self.p * (1 - self.p), self.p + delta
        v2 = p2 * (1 - p2)
        return math.sqrt(max(v1 + v2 - 2 * r * math.sqrt(v1 * v2), 0.0))

    def n_for(self, delta: float) -> float:
        """Respondents (first wave, pairs, or the one wave) for a change ``delta``."""
        from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

        kw: dict[str, Any] = {"alpha": self.alpha, "power": self.power,
                              "alternative": "two-sided"}
        if self.design == "one-wave":
            return self._precision_n(delta)
        if self.metric == "proportion":
            self._check_p2(delta)
        if self.design == "paired":
            sd_d = self._paired_sd(delta)
            if sd_d == 0:
                raise StatsInputError("correlation=1 leaves no variation in the change: "
                                      "any change would be certain")
            if self.metric == "mean":
                return float(TTestPower().solve_power(delta / sd_d, nobs=None, **kw))
            return float(NormalIndPower().solve_power(delta / sd_d, nobs1=None, ratio=0,
                                                      **kw))
        if self.metric == "mean":
            return float(TTestIndPower().solve_power(delta / self.sd, nobs1=None,
                                                     ratio=self.ratio, **kw))
        if self.metric == "nps":
            return float(NormalIndPower().solve_power(delta / self.unit_sd, nobs1=None,
                                                      ratio=self.ratio, **kw))
        return _root(lambda n: self._prop_power(n, delta) - self.power, 1.0, _BIG)

    def delta_for(self, n: float) -> float:
        """The smallest change (or the margin, for one wave) ``n`` respondents detect."""
        from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

        if self.design == "one-wave":
            return self._margin(n)
        if self.metric == "proportion":
            top = 1 - self.p - 1e-9
            if self.design == "paired":
                gap = lambda d: self._prop_paired_power(n, d) - self.power  # noqa: E731
            else:
                gap = lambda d: self._prop_power(n, d) - self.power  # noqa: E731
            if gap(top) < 0:
                raise StatsInputError(
                    f"with n={n:g} no change from p={self.p:g} up to 1 reaches power "
                    f"{self.power:g}; more respondents are needed")
            return _root(gap, 1e-9, top)
        if self.design == "paired":
            sd, ratio = self._paired_sd(0.0), 0.0
            model: Any = TTestPower() if self.metric == "mean" else NormalIndPower()
        else:
            sd, ratio = self.unit_sd, self.ratio
            model = TTestIndPower() if self.metric == "mean" else NormalIndPower()
        paired_t = self.design == "paired" and self.metric == "mean"
        extra = {} if paired_t else {"ratio": ratio}

        def short(es: float) -> float:
            reached = float(model.power(es, n, self.alpha, alternative="two-sided", **extra))
            # the noncentral t underflows to NaN far beyond the root, where power is 1
            return (1.0 if math.isnan(reached) else reached) - self.power

        top = 1.0
        while short(top) < 0:  # widen until the bracket holds the root
            top *= 2
        return _root(short, 1e-9, top) * sd

    def _check_p2(self, delta: float) -> None:
        if not self.p + delta < 1:
            raise StatsInputError(
                f"p + mde = {self.p:g} + {delta:g} is not below 1; for a fall from p, pass "
                f"the lower proportion as p (the test is symmetric)")

    def _prop_power(self, n: float, delta: float) -> float:
        from statsmodels.stats.proportion import power_proportions_2indep

        res = power_proportions_2indep(-delta, self.p + delta, n, ratio=self.ratio,
                                       alpha=self.alpha, alternative="two-sided")
        return float(res.power)

    def _prop_paired_power(self, n: float, delta: float) -> float:
        from statsmodels.stats.power import NormalIndPower

        return float(NormalIndPower().power(delta / self._paired_sd(delta), n,
                                            self.alpha, ratio=0))

    def _precision_n(self, margin: float) -> float:
        if self.metric != "mean":
            return (self._z() * self.unit_sd / margin) ** 2
        if self._margin(2.0) <= margin:
            return 2.0
        return _root(lambda n: self._margin(n) - margin, 2.0, _BIG)

    def _margin(self, n: float) -> float:
        if self.metric != "mean":
            return self._z() * self.unit_sd / math.sqrt(n)
        from scipy.stats import t

        return float(t.ppf(1 - self.alpha / 2, n - 1)) * self.sd / math.sqrt(n)

    # -- words -------------------------------------------------------------------------
    def what(self) -> str:
        if self.metric == "mean":
            return f"mean (SD {self.sd:g})"
        if self.metric == "proportion":
            return f"proportion (p = {self.p:g} before)"
        pro, det = self.shares or DEFAULT_SHARES
        return (f"NPS in points ({pro:.0%} promoters, {det:.0%} detractors: NPS "
                f"{100 * (pro - det):+.0f}, SD {self.unit_sd:.1f} per respondent)")

    def method(self) -> str:
        if self.design == "one-wave":
            how = ("t interval, n solved from t(1-alpha/2, n-1) SD / sqrt(n) = margin"
                   if self.metric == "mean" else
                   "Wald (normal) interval, n = (z SD / margin)^2")
            return f"precision of a {1 - self.alpha:.0%} {how}"
        test = {("mean", "two-wave"): "two-sample t-test (statsmodels TTestIndPower; as R "
                                      "power.t.test / pwr.t2n.test)",
                ("mean", "paired"): "paired t-test on the differences (statsmodels "
                                    "TTestPower; as R power.t.test type = 'paired')",
                ("proportion", "two-wave"): "z-test of two proportions, pooled variance "
                                            "under H0 (statsmodels power_proportions_2indep"
                                            "; as R power.prop.test)",
                ("proportion", "paired"): "z-test of paired proportions, normal "
                                          "approximation with the given correlation",
                ("nps", "two-wave"): "z-test of two NPS, multinomial variance "
                                     "(statsmodels NormalIndPower)",
                ("nps", "paired"): "z-test of the paired NPS change, multinomial variance "
                                   "and the given correlation (statsmodels NormalIndPower)",
                }[(self.metric, self.design)]
        return f"power {self.power:g} of a two-sided {test} at alpha = {self.alpha:g}"

    def extra(self) -> dict[str, Any]:
        return {"metric": self.metric, "design": self.design, "alpha": self.alpha,
                "power": self.power if self.design != "one-wave" else None,
                "sd": self.sd if self.metric == "mean" else None,
                "p": self.p if self.metric == "proportion" else None,
                "shares": self.shares, "sd_per_respondent": self.unit_sd,
                "ratio": self.ratio if self.design == "two-wave" else None,
                "correlation": self.correlation if self.design == "paired" else None}

    def sizes(self, n1: int) -> tuple[int, int]:
        """(second wave, total respondents) for ``n1`` in the first."""
        if self.design == "two-wave":
            n2 = math.ceil(self.ratio * n1 - 1e-9)
            return n2, n1 + n2
        return 0, n1


def _root(f: Callable[[float], float], low: float, high: float) -> float:
    from scipy.optimize import brentq

    return float(brentq(f, low, high, xtol=1e-12, rtol=1e-13, maxiter=500))


def _unit(metric: str) -> str:
    return {"mean": "scale points", "proportion": "proportion (0.05 = 5 percentage points)",
            "nps": "NPS points"}[metric]


# -- the public functions ----------------------------------------------------------------
def sample_size(metric: str, mde: float, *, sd: float | None = None,
                p: float | None = None, shares: Sequence[float] | None = None,
                alpha: float = 0.05, power: float = 0.8, design: str = "two-wave",
                ratio: float = 1.0, correlation: float | None = None) -> Result:
    r"""Respondents needed to detect a change of ``mde`` (or, for one wave, to estimate
    within ± ``mde``).

    Parameters
    ----------
    metric : {"mean", "proportion", "nps"}
        What is measured.
    mde : float
        The smallest change that matters (the margin of error for ``design="one-wave"``),
        in the metric's unit: scale points for a mean, a proportion for a proportion
        (0.05 = 5 percentage points), NPS points for NPS.
    sd : float
        ``metric="mean"``: standard deviation of one answer.
    p : float
        ``metric="proportion"``: the proportion before; after is ``p + mde``.
    shares : (promoters, detractors), optional
        ``metric="nps"``: shares before; default :data:`DEFAULT_SHARES` (0.4, 0.2).
    alpha, power : float
        Two-sided significance level and power (power is unused for one wave).
    design : {"two-wave", "one-wave", "paired"}
        See the module docstring.
    ratio : float
        ``design="two-wave"``: size of the second wave over the first.
    correlation : float
        ``design="paired"``: correlation between a respondent's two answers.

    Returns
    -------
    Result
        ``estimate`` is the whole number of respondents needed in the first wave (the
        pairs, or the single wave), rounded up; ``n`` the total over both waves;
        ``ci_low``/``ci_high`` NaN. ``extra`` holds the inputs, ``n_exact`` (before
        rounding), ``n_first``, ``n_second`` and ``n_total``.

    Notes
    -----
    Mean, two waves: the noncentral-t power of Student's two-sample t (equal
    variances) with :math:`d = \text{mde}/\sigma` (statsmodels ``TTestIndPower``); matches R
    ``power.t.test(delta, sd, power, strict = TRUE)`` and ``pwr::pwr.t.test``. Paired:
    ``TTestPower`` on :math:`\sigma_d = \sigma\sqrt{2(1-\rho)}`, as ``power.t.test(type =
    "paired", sd = sigma_d)``.

    Proportion, two waves: pooled-variance z-test, :math:`\text{power} =
    \Phi\big((|\delta| - z_{1-\alpha/2}\,\sigma_0)/\sigma_1\big)` plus the far tail, with
    :math:`\sigma_0^2 = \bar p\bar q(1/n_1 + 1/n_2)` and :math:`\sigma_1^2 = p_1q_1/n_1 +
    p_2q_2/n_2` (statsmodels ``power_proportions_2indep``); for ``ratio=1`` this is R
    ``power.prop.test(p1, p2, power, strict = TRUE)``. Cohen's arcsine :math:`h`
    (``pwr::pwr.2p.test``, statsmodels ``proportion_effectsize``) gives a slightly
    different n (169.09 against 169.31 for 0.50 → 0.65 at power 0.8, see
    ``tests/r/power.R``); it is not used. Paired: normal approximation with
    :math:`\sigma_d^2 = p_1q_1 + p_2q_2 - 2\rho\sqrt{p_1q_1p_2q_2}`.

    NPS (our own formula; no library has one): a respondent scores +1, 0 or -1, so the
    variance per respondent is :math:`\sigma^2 = p_+ + p_- - (p_+ - p_-)^2` (times
    :math:`100^2` in points). Two waves: z-test with that variance in both waves
    (statsmodels ``NormalIndPower``), :math:`n_1 \approx (z_{1-\alpha/2} + z_{1-\beta})^2
    \sigma^2 (1 + 1/r) / \text{mde}^2`; paired: :math:`\sigma_d = \sigma\sqrt{2(1-\rho)}`.
    One wave: :math:`n = (z_{1-\alpha/2}\sigma/\text{margin})^2` (Wald). The adjusted-Wald
    interval, the NPS default, needs about 3 fewer respondents (Lewis & Sauro,
    MeasuringU, "Sample size estimation for NPS confidence intervals").

    One wave, mean: the smallest n with :math:`t_{1-\alpha/2, n-1}\,\sigma/\sqrt n \le`
    margin; proportion: :math:`n = z^2 p(1-p)/\text{margin}^2`.

    Examples
    --------
    How many respondents per wave to see a 5-point NPS change (40% promoters, 20%
    detractors), at power 0.8 and alpha 0.05?

    >>> sample_size("nps", 5).estimate
    3517.0
    >>> sample_size("mean", 0.5, sd=1).estimate   # R power.t.test(delta=.5, sd=1, power=.8)
    64.0
    >>> sample_size("proportion", 0.05, p=0.4, design="one-wave").estimate
    369.0
    """
    plan = _Plan(metric, sd=sd, p=p, shares=shares, alpha=alpha, power=power,
                 design=design, ratio=ratio, correlation=correlation)
    delta = _number("mde", mde, low=0, hint=f" in {_unit(plan.metric)}")
    exact = plan.n_for(delta)
    n1 = max(math.ceil(exact - 1e-9), 2)
    n2, total = plan.sizes(n1)
    who = {"two-wave": "in each wave" if plan.ratio == 1 else "in the first wave",
           "paired": "answering both times", "one-wave": "in the wave"}[plan.design]
    goal = (f"estimate the {plan.what()} within ± {delta:g}" if plan.design == "one-wave"
            else f"detect a change of {delta:g} in the {plan.what()}")
    definition = f"respondents needed {who} to {goal}"
    if plan.design == "two-wave" and plan.ratio != 1:
        definition += f"; the second wave needs {n2} (ratio {plan.ratio:g})"
    return Result(name="sample size", estimate=n1, ci_low=math.nan, ci_high=math.nan,
                  n=total, method=plan.method(), definition=definition,
                  level=1 - plan.alpha,
                  extra={**plan.extra(), "mde": delta, "n_exact": exact, "n_first": n1,
                         "n_second": n2 or None, "n_total": total})


def mde(metric: str, n: float, *, sd: float | None = None, p: float | None = None,
        shares: Sequence[float] | None = None, alpha: float = 0.05, power: float = 0.8,
        design: str = "two-wave", ratio: float = 1.0,
        correlation: float | None = None) -> Result:
    r"""The smallest change ``n`` respondents can detect (the minimum detectable effect);
    for one wave, the margin of error of its interval.

    The inverse of :func:`sample_size`, with the same arguments and formulas; ``n`` is the
    size of the first wave (``ratio`` times as many in the second), the number of pairs,
    or the single wave.

    Returns
    -------
    Result
        ``estimate`` is the change (or margin) in the metric's unit (scale points, a
        proportion, NPS points); ``n`` the total respondents; ``ci_low``/``ci_high`` NaN;
        ``extra`` holds the inputs.

    Notes
    -----
    Means and NPS solve statsmodels' power functions (``TTestIndPower.power`` ...) for the
    effect size by Brent's method and multiply by the SD; R ``power.t.test(n, sd,
    power)$delta`` and ``pwr::pwr.t2n.test(n1, n2, power)`` give the same. Proportions
    solve ``power_proportions_2indep`` for :math:`p_2 - p` by Brent's method, as R
    ``power.prop.test(n, p1, power)$p2 - p1``. One wave: the margin
    :math:`z_{1-\alpha/2}\sigma/\sqrt n` (:math:`t_{1-\alpha/2,n-1}` for a mean); for an
    NPS of +20 (40% promoters, 20% detractors) and n = 500 it is 6.6 points, and 4.3
    percentage points for the 40% promoters alone, as published by Market Strategies
    International ("NPS requires much larger sample sizes than alternatives", Research
    Access).

    Examples
    --------
    >>> round(mde("nps", 500, design="one-wave").estimate, 1)
    6.6
    >>> round(mde("mean", 100, sd=1).estimate, 4)   # R power.t.test(n=100, power=.8)$delta
    0.3981
    """
    plan = _Plan(metric, sd=sd, p=p, shares=shares, alpha=alpha, power=power,
                 design=design, ratio=ratio, correlation=correlation)
    size = _number("n", n, low=2, open_low=False, hint=" (respondents)")
    delta = plan.delta_for(size)
    n2, total = plan.sizes(math.ceil(size - 1e-9))
    if plan.design == "one-wave":
        name = "margin of error"
        definition = (f"half-width of the {1 - plan.alpha:.0%} interval of the "
                      f"{plan.what()} with {size:g} respondents")
    else:
        name = "minimum detectable effect"
        who = {"two-wave": f"{size:g} respondents in the first wave and "
                           f"{plan.ratio * size:g} in the second",
               "paired": f"{size:g} respondents answering twice"}[plan.design]
        definition = (f"smallest change in the {plan.what()} detected with power "
                      f"{plan.power:g} by {who}")
    return Result(name=name, estimate=delta, ci_low=math.nan, ci_high=math.nan,
                  n=total, method=plan.method(), definition=definition,
                  level=1 - plan.alpha,
                  extra={**plan.extra(), "n_first": size, "n_second": n2 or None,
                         "n_total": total})
