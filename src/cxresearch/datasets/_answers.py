"""Answers to an instrument, question by question, with skip logic and data quality.

The generator walks the blocks and questions in the order a respondent meets them, for
all respondents at once. A question is asked when its block's and its own ``relevant``
are true on the answers given so far (evaluated by :func:`cxresearch.instrument.logic.
evaluate`, once per distinct combination of the answers an expression refers to).
Values come from the latent of the question (its block's touchpoint experience, or the
overall judgement) through the rules of :mod:`._spec`; then drivers move latents,
speeders' answers are partly randomised and optional items lose a share of answers.

Defaults for questions without a rule: single choices ``1/(j+1)``-weighted in list
order; multiple choices 30 % per value (values that a constraint makes exclusive 5 %);
Likert items follow their latent (effort scales reversed); 0-10 ratings follow the
overall judgement; numbers are lognormal with a median at 15 % of their range; dates lie
7-120 days before the start; open answers come from the phrase banks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

import numpy as np
import pandas as pd

from ..instrument.logic import evaluate, parse, references
from ..instrument.model import Block, Instrument, Question
from ._latent import (
    OVERALL_METRICS, TOUCHPOINT_METRICS, ordered_choice, rating_codes, scale_codes,
)
from ._spec import (
    DatasetError, DaysBefore, Derived, Driver, Likert, Multi, Number, NumberDriver, Ordered,
    Probs, QualityRates, Rating, Rule, TextRule,
)
from ._text import PhraseBook, add_pii

__all__ = ["Context", "LatentModel", "check_rules", "generate", "typed_frame"]

_EXCLUSIVE = re.compile(r"not\(\s*selected\(\s*\.\s*,\s*'([^']+)'\s*\)\s*and\s*count-selected")
_SCORED = ("likert", "likert_matrix", "rating")
_REVERSED_SCALES = ("effort5",)


class LatentModel(Protocol):
    """What the generator needs from a customer or employee model."""

    team: np.ndarray
    touchpoints: list[str]

    def enter_block(self, block: Block, mask: np.ndarray) -> None: ...
    def block_latent(self, block: Block) -> np.ndarray: ...
    def latent(self, name: str) -> np.ndarray: ...
    def shift(self, target: str, amount: np.ndarray) -> None: ...
    def peak_index(self) -> np.ndarray: ...


@dataclass
class Context:
    """Everything one run of :func:`generate` reads and writes."""

    survey: Instrument
    model: LatentModel
    rules: Mapping[str, Rule]
    drivers: Sequence[Driver | NumberDriver]
    quality: QualityRates
    rng: np.random.Generator
    groups: dict[str, np.ndarray]
    language: np.ndarray
    start: np.ndarray
    speeder: np.ndarray
    straightliner: np.ndarray
    phrases: PhraseBook
    item_sd: float = 0.5
    touchpoint_stage: Mapping[str, str] = field(default_factory=dict)
    today: dt.date = dt.date(2026, 12, 31)
    write_text: bool = True
    answers: dict[str, np.ndarray] = field(default_factory=dict)
    pii: np.ndarray | None = None
    stats: dict[str, int] = field(default_factory=lambda: {"optional_asked": 0,
                                                           "optional_dropped": 0})

    @property
    def n(self) -> int:
        return len(self.language)


# -- skip logic -----------------------------------------------------------------------------

def _relevant(expr_text: str | None, ctx: Context) -> np.ndarray:
    """Where ``expr_text`` is true, evaluated once per distinct combination of answers."""
    n = ctx.n
    if not expr_text:
        return np.ones(n, dtype=bool)
    tree = parse(expr_text)
    names = list(dict.fromkeys(ref.name for ref in references(tree)))
    if not names:
        return np.full(n, bool(evaluate(tree, {}, today=ctx.today)))
    key = np.zeros(n, dtype=np.int64)
    columns = []
    for name in names:
        column = ctx.answers.get(name, np.full(n, None, dtype=object))
        codes, uniques = pd.factorize(pd.Series(column, dtype=object), use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes + 1)
        columns.append(column)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    results = np.array([bool(evaluate(tree, {nm: col[i] for nm, col in zip(names, columns)},
                                      today=ctx.today)) for i in first], dtype=bool)
    return results[inverse.ravel()]


# -- helpers --------------------------------------------------------------------------------

def _values(survey: Instrument, q: Question) -> list[str]:
    values = survey.choice_list(q).values() if q.choices in survey.choice_lists else []
    return [*values, "other"] if q.other else list(values)


def _pick(probs: Mapping[str, float], values: Sequence[str], u: np.ndarray, qid: str
          ) -> np.ndarray:
    """Sample values by probability, with one uniform draw per row."""
    unknown = [v for v in probs if v not in values]
    if unknown:
        raise DatasetError(f"a rule for question '{qid}' names unknown value(s) "
                           f"{', '.join(map(repr, unknown))}; allowed: "
                           f"{', '.join(map(repr, values))}")
    keys = [v for v in values if probs.get(v, 0.0) > 0]
    p = np.array([probs[v] for v in keys], dtype=float)
    cum = np.cumsum(p / p.sum())
    idx = np.minimum(np.searchsorted(cum, u, side="right"), len(keys) - 1)
    return np.array(keys, dtype=object)[idx]


def _group(ctx: Context, by: str) -> np.ndarray:
    if by in ctx.groups:
        return ctx.groups[by]
    if by in ctx.answers:
        return ctx.answers[by]
    raise DatasetError(f"`by='{by}'` names neither a group ({', '.join(ctx.groups)}) nor an "
                       "earlier question")


def _grouped(ctx: Context, rule: Probs | Multi, rows: np.ndarray
             ) -> list[tuple[np.ndarray, Mapping[str, float]]]:
    """Row subsets and the probabilities that apply to each."""
    if rule.by is None:
        return [(rows, rule.p)]
    keys = _group(ctx, rule.by)[rows]
    out = []
    for key in pd.unique(pd.Series(keys, dtype=object)):
        sub = rows[keys == key]
        out.append((sub, rule.table.get(key, rule.p) if key is not None else rule.p))
    return out


def _latent(ctx: Context, block: Block, name: str | None, q: Question | None = None
            ) -> np.ndarray:
    """The latent named by a rule; else the overall judgement for overall metrics (NPS,
    satisfaction, CES, eNPS, intention to stay); else the block's latent."""
    if name:
        return ctx.model.latent(name)
    if q is not None and q.metric in OVERALL_METRICS:
        return ctx.model.latent("overall")
    return ctx.model.block_latent(block)


def _default_single(values: list[str]) -> dict[str, float]:
    probs = {v: 1.0 / (j + 1) for j, v in enumerate(v for v in values if v != "other")}
    if "other" in values:
        probs["other"] = 0.03 * sum(probs.values())
    return probs


# -- one function per kind of question --------------------------------------------------

def _single(ctx: Context, q: Question, block: Block, rows: np.ndarray) -> np.ndarray:
    values = _values(ctx.survey, q)
    rule = ctx.rules.get(q.id)
    if rule is None and q.id == "team":
        rule = Derived("team")
    out = np.full(len(rows), None, dtype=object)
    if isinstance(rule, Derived):
        return _derived(ctx, q, rule, rows, values)
    if isinstance(rule, Ordered):
        u = ctx.rng.random(len(rows))
        other_p = sum(rule.others.values())
        is_other = u < other_p
        if other_p > 0:
            out[is_other] = _pick(rule.others, values, u[is_other] / other_p, q.id)
        lat = _latent(ctx, block, rule.latent, q)[rows]
        idx = ordered_choice(lat, rule.base, rule.loading, rule.center, ctx.rng)
        bad = [v for v in rule.order if v not in values]
        if bad:
            raise DatasetError(f"the order for question '{q.id}' names unknown value(s) "
                               f"{', '.join(map(repr, bad))}; allowed: {', '.join(values)}")
        ordered = np.array(rule.order, dtype=object)[idx]
        out[~is_other] = ordered[~is_other]
        return out
    if rule is not None and not isinstance(rule, Probs):
        raise DatasetError(f"question '{q.id}' is a single choice; its rule must be Probs, "
                           f"Ordered or Derived, not {type(rule).__name__}")
    probs_rule = rule or Probs(_default_single(values))
    u = ctx.rng.random(len(rows))
    position = {r: i for i, r in enumerate(rows)}
    for sub, probs in _grouped(ctx, probs_rule, rows):
        where = np.array([position[r] for r in sub], dtype=np.int64)
        if len(where):
            out[where] = _pick(probs or _default_single(values), values, u[where], q.id)
    return out


def _derived(ctx: Context, q: Question, rule: Derived, rows: np.ndarray,
             values: list[str]) -> np.ndarray:
    model = ctx.model
    if rule.source == "team":
        teams = model.team[rows].astype(object)
        unknown = sorted(set(teams) - set(values))
        if unknown:
            raise DatasetError(f"question '{q.id}' answers with the team, but team(s) "
                               f"{', '.join(unknown)} are not among its choices "
                               f"({', '.join(values)}); set StudySpec.teams to those choices")
        return teams
    if rule.source in ("peak", "peak_valence"):
        peak = model.peak_index()[rows]
        tps = model.touchpoints
        if rule.source == "peak_valence":
            x = np.array([model.latent(f"tp:{tps[p]}")[r] if p >= 0 else 0.5
                          for r, p in zip(rows, peak)])
            x = x + ctx.rng.normal(0.0, 0.3, len(rows))
            labels = np.where(x > 1.3, "positive", np.where(x < -0.3, "negative", "mixed"))
            if not {"positive", "mixed", "negative"} <= set(values):
                raise DatasetError(f"question '{q.id}' derives the peak's valence, so its "
                                   "choices must include positive, mixed and negative")
            return labels.astype(object)
        mapping = {}
        for tp in tps:
            stage = ctx.touchpoint_stage.get(tp)
            mapping[tp] = tp if tp in values else (stage if stage in values else None)
        mapped = np.array([mapping[tps[p]] if p >= 0 else None for p in peak], dtype=object)
        loose = np.array([m is None for m in mapped])
        if loose.any():
            choices = np.array([v for v in values if v != "other"], dtype=object)
            mapped[loose] = choices[ctx.rng.integers(len(choices), size=int(loose.sum()))]
        return mapped
    raise DatasetError(f"Derived source for '{q.id}' must be one of 'team', 'peak', "
                       f"'peak_valence'; got {rule.source!r}")


def _multiple(ctx: Context, q: Question, rows: np.ndarray) -> np.ndarray:
    values = _values(ctx.survey, q)
    rule = ctx.rules.get(q.id)
    if rule is not None and not isinstance(rule, (Multi, Probs)):
        raise DatasetError(f"question '{q.id}' is a multiple choice; its rule must be Multi")
    if rule is None:
        exclusive = {v: 0.05 for v in _EXCLUSIVE.findall(q.constraint or "") if v in values}
        rule = Multi({v: (0.03 if v == "other" else 0.3) for v in values if v not in exclusive},
                     exclusive)
    elif isinstance(rule, Probs):
        rule = Multi(rule.p, {}, rule.by, rule.table)
    low = max(q.min_selected or 0, 1 if q.required else 0)
    high = q.max_selected or len(values)
    out = np.full(len(rows), None, dtype=object)
    position = {r: i for i, r in enumerate(rows)}
    for sub, probs in _grouped(ctx, rule, rows):
        where = np.array([position[r] for r in sub], dtype=np.int64)
        m = len(where)
        if m == 0:
            continue
        ticks = [v for v in values if v not in rule.exclusive]
        p = np.array([probs.get(v, 0.0) for v in ticks])
        chosen = ctx.rng.random((m, len(ticks))) < p
        order = np.argsort(ctx.rng.random((m, len(ticks))) - p, axis=1)  # likely ones first
        ex_u = ctx.rng.random(m)
        ex_probs = {v: probs.get(v, pv) for v, pv in rule.exclusive.items()}
        ex_total = sum(ex_probs.values())
        # Too few or too many ticks (rare): top up or cut back in order of likelihood.
        count = chosen.sum(axis=1)
        fix = (count > high) | ((count < low) & ((count > 0) | (not rule.exclusive)))
        for i in np.flatnonzero(fix):
            picked = [j for j in order[i] if chosen[i, j]][:high]
            for j in order[i]:
                if len(picked) >= low:
                    break
                if j not in picked and p[j] > 0:
                    picked.append(j)
            chosen[i] = False
            chosen[i, picked] = True
        text = np.full(m, "", dtype=object)
        for j, tick in enumerate(ticks):
            text = np.where(chosen[:, j], text + " " + tick, text)
        answer = np.array([t[1:] if t else None for t in text], dtype=object)
        if rule.exclusive:  # nothing applies: the first exclusive value (e.g. "none")
            answer[answer == None] = next(iter(rule.exclusive))  # noqa: E711
        if ex_total > 0:
            alone = ex_u < ex_total
            if alone.any():
                answer[alone] = _pick(ex_probs, values, ex_u[alone] / ex_total, q.id)
        out[where] = answer
    return out


def _ranking(ctx: Context, q: Question, rows: np.ndarray) -> np.ndarray:
    values = [v for v in _values(ctx.survey, q) if v != "other"]
    rule = ctx.rules.get(q.id)
    weights = np.array([(rule.p.get(v, 1.0) if isinstance(rule, Probs) else 1.0)
                        for v in values])
    gumbel = -np.log(-np.log(ctx.rng.random((len(rows), len(values)))))
    order = np.argsort(-(np.log(weights) + gumbel), axis=1)
    names = np.array(values, dtype=object)
    return np.array([" ".join(names[o]) for o in order], dtype=object)


def _likert(ctx: Context, q: Question, block: Block, rows: np.ndarray) -> list[np.ndarray]:
    """Codes of a Likert item, or of every row of a matrix (one array per row)."""
    rule = ctx.rules.get(q.id)
    if rule is not None and not isinstance(rule, Likert):
        raise DatasetError(f"question '{q.id}' is a Likert item; its rule must be Likert")
    rule = rule or Likert()
    scale = q.scale
    assert scale is not None  # validated instruments always have one
    reverse = rule.reverse or (scale.name in _REVERSED_SCALES
                               or q.metric == "touchpoint_effort")
    lat = _latent(ctx, block, rule.latent, q)[rows] * rule.loading + rule.shift
    out = []
    for item in (q.items if q.type == "likert_matrix" else [None]):
        extra = rule.row_shifts.get(item.id, 0.0) if item is not None else 0.0
        y = lat + extra + ctx.rng.normal(0.0, ctx.item_sd, len(rows))
        out.append(scale_codes(y, scale.points, scale.start, reverse).astype(object))
    return out


def _rating(ctx: Context, q: Question, block: Block, rows: np.ndarray) -> np.ndarray:
    rule = ctx.rules.get(q.id)
    if rule is not None and not isinstance(rule, Rating):
        raise DatasetError(f"question '{q.id}' is a 0-10 rating; its rule must be Rating")
    rule = rule or Rating(latent="overall" if block.touchpoint is None else None)
    lat = _latent(ctx, block, rule.latent, q)[rows]
    y = lat + ctx.rng.normal(0.0, rule.noise, len(rows))
    return rating_codes(y, rule.intercept, rule.slope).astype(object)


def _number(ctx: Context, q: Question, block: Block, rows: np.ndarray) -> np.ndarray:
    rule = ctx.rules.get(q.id)
    low = q.min_value if q.min_value is not None else 0.0
    high = q.max_value if q.max_value is not None else max(low * 10, 100.0)
    if rule is not None and not isinstance(rule, Number):
        raise DatasetError(f"question '{q.id}' is a number; its rule must be Number")
    rule = rule or Number(median=max(low + 0.15 * (high - low), 1.0))
    lat = _latent(ctx, block, rule.latent, q)[rows] if rule.slope else np.zeros(len(rows))
    factor = np.ones(len(rows))
    for group, factors in (("wave", rule.wave_factor), ("team", rule.team_factor)):
        keys = ctx.groups.get(group)
        if keys is not None and factors:
            factor = factor * np.array([factors.get(k, 1.0) for k in keys[rows]])
    centre = rule.median * factor
    x: np.ndarray
    if rule.dist == "normal":
        x = centre + rule.slope * (lat - rule.center) + ctx.rng.normal(0, rule.sigma, len(rows))
    elif rule.dist == "count":
        mean = np.maximum(centre - 1.0, 0.0) * np.exp(rule.slope * (lat - rule.center))
        x = 1.0 + ctx.rng.poisson(mean)
    elif rule.dist == "lognormal":
        x = centre * np.exp(rule.slope * (lat - rule.center) + ctx.rng.normal(0, rule.sigma,
                                                                               len(rows)))
    else:
        raise DatasetError(f"Number.dist for '{q.id}' must be one of 'lognormal', 'normal', "
                           f"'count'; got {rule.dist!r}")
    if rule.add:
        base = ctx.answers.get(rule.add, np.full(ctx.n, None, dtype=object))[rows]
        x = x + np.array([float(v) if v is not None else rule.add_default for v in base])
    x = np.clip(x, low, high)
    if q.decimals:
        return np.round(x, 1).astype(object)
    return np.round(x).astype(np.int64).astype(object)


def _date(ctx: Context, q: Question, rows: np.ndarray) -> np.ndarray:
    rule = ctx.rules.get(q.id)
    rule = rule if isinstance(rule, DaysBefore) else DaysBefore()
    days = ctx.rng.integers(rule.low, rule.high + 1, size=len(rows))
    start = ctx.start[rows].astype("datetime64[D]")
    dates = start - days.astype("timedelta64[D]")
    if q.min_date:
        dates = np.maximum(dates, np.datetime64(q.min_date, "D"))
    if q.max_date:
        dates = np.minimum(dates, np.datetime64(q.max_date, "D"))
    return np.array([d.item() for d in dates], dtype=object)


def _text(ctx: Context, q: Question, block: Block, rows: np.ndarray, *,
          other_of: str | None = None) -> np.ndarray:
    out = np.full(len(rows), None, dtype=object)
    if not ctx.write_text or len(rows) == 0:
        return out
    rule = ctx.rules.get(other_of or q.id)
    rule = rule if isinstance(rule, TextRule) and other_of is None else None
    rate = rule.rate if rule else (0.9 if other_of else (0.5 if q.length == "long" else 0.35))
    speed = ctx.speeder[rows]
    write = ctx.rng.random(len(rows)) < np.where(speed, rate * 0.3, rate)
    lat = ctx.model.block_latent(block)[rows] + ctx.rng.normal(0, 0.4, len(rows))
    valence = np.where(lat < 0.2, "negative", np.where(lat > 1.1, "positive", "neutral"))
    lang = ctx.language[rows]
    if other_of:
        banks: list[str] = [f"{other_of}_other", "other"]
    else:
        generic = "generic_long" if q.length == "long" else "generic_short"
        banks = [b for b in (rule.bank if rule else None, q.id, block.touchpoint, generic) if b]
    texts = ctx.phrases.draw(banks, valence, lang, ctx.rng, max_length=q.max_length,
                             sentences=1.35 if q.length == "long" else 1.0)
    junk = ctx.phrases.draw(["speeder"], valence, lang, ctx.rng)
    texts = np.where(speed, junk, texts)
    out[write] = texts[write]
    if q.length == "long" and ctx.pii is not None and other_of is None:
        hit = np.flatnonzero(write & ~speed & (ctx.rng.random(len(rows)) < ctx.quality.pii))
        add_pii(out, lang, hit, ctx.rng)
        ctx.pii[rows[hit]] = True
        if q.max_length:
            for i in hit:
                out[i] = out[i][:q.max_length]
    return out


# -- the walk -------------------------------------------------------------------------------

def _randomise(ctx: Context, q: Question, rows: np.ndarray, values: np.ndarray) -> None:
    """Replace a share of speeders' answers with uniformly random valid ones."""
    hit = ctx.speeder[rows] & (ctx.rng.random(len(rows)) < ctx.quality.speeder_random)
    if not hit.any():
        return
    k = int(hit.sum())
    if q.type == "single_choice":
        pool: list[Any] = [v for v in _values(ctx.survey, q) if v != "other"]
    elif q.type in ("likert", "likert_matrix") and q.scale is not None:
        pool = list(q.scale.values())
    elif q.type == "rating":
        pool = list(range(11))
    else:
        return
    values[hit] = np.array(pool, dtype=object)[ctx.rng.integers(len(pool), size=k)]


def _drop(ctx: Context, q: Question, rows: np.ndarray, values: np.ndarray) -> None:
    """Optional closed items lose a share ``quality.missing`` of their answers."""
    if q.required:
        return
    answered = np.array([v is not None for v in values], dtype=bool)
    ctx.stats["optional_asked"] += int(answered.sum())
    if ctx.quality.missing <= 0:
        return
    hit = answered & (ctx.rng.random(len(rows)) < ctx.quality.missing)
    ctx.stats["optional_dropped"] += int(hit.sum())
    values[hit] = None


def _apply_drivers(ctx: Context, q: Question, values: np.ndarray, rows: np.ndarray) -> None:
    for driver in ctx.drivers:
        if driver.question != q.id:
            continue
        if isinstance(driver, NumberDriver):
            amount = np.zeros(ctx.n)
            answered = np.array([v is not None for v in values])
            nums = np.array([float(v) if v is not None else 0.0 for v in values])
            amount[rows[answered]] = driver.slope * (nums[answered] - driver.center)
            ctx.model.shift(driver.target, amount)
            continue
        for value, targets in driver.shifts.items():
            if q.type == "multiple_choice":
                hit = np.array([v is not None and str(value) in str(v).split()
                                for v in values])
            else:
                hit = np.array([v is not None and str(v) == str(value) for v in values])
            amount = np.zeros(ctx.n)
            amount[rows[hit]] = 1.0
            for target, shift in targets.items():
                ctx.model.shift(target, amount * shift)


def _store(ctx: Context, fid: str, rows: np.ndarray, values: np.ndarray) -> None:
    column = np.full(ctx.n, None, dtype=object)
    column[rows] = values
    ctx.answers[fid] = column


def generate(ctx: Context) -> dict[str, np.ndarray]:
    """Answer every question of ``ctx.survey`` for all respondents (see module notes)."""
    for block in ctx.survey.blocks:
        bmask = _relevant(block.relevant, ctx)
        for q in block.questions:
            if q.type == "note":
                continue
            mask = bmask & _relevant(q.relevant, ctx) if q.relevant else bmask
            rows = np.flatnonzero(mask)
            if q.metric in TOUCHPOINT_METRICS and block.touchpoint:
                ctx.model.enter_block(block, mask)
            if q.type == "likert_matrix":
                answers = _likert(ctx, q, block, rows)
                straight = ctx.straightliner[rows]
                for item, values in zip(q.items, answers):
                    values[straight] = answers[0][straight]
                    _randomise(ctx, q, rows, values)
                    if not q.required:
                        _drop(ctx, q, rows, values)
                    _store(ctx, item.id, rows, values)
                continue
            if q.type == "single_choice":
                values = _single(ctx, q, block, rows)
            elif q.type == "multiple_choice":
                values = _multiple(ctx, q, rows)
            elif q.type == "ranking":
                values = _ranking(ctx, q, rows)
            elif q.type == "likert":
                values = _likert(ctx, q, block, rows)[0]
            elif q.type == "rating":
                values = _rating(ctx, q, block, rows)
            elif q.type == "number":
                values = _number(ctx, q, block, rows)
            elif q.type == "date":
                values = _date(ctx, q, rows)
            else:
                values = _text(ctx, q, block, rows)
            _apply_drivers(ctx, q, values, rows)
            if q.type != "text":
                _randomise(ctx, q, rows, values)
                _drop(ctx, q, rows, values)
            _store(ctx, q.id, rows, values)
            if q.other:
                chose = np.array([v is not None and "other" in str(v).split() for v in values])
                other_rows = rows[chose]
                _store(ctx, f"{q.id}_other", other_rows,
                       _text(ctx, q, block, other_rows, other_of=q.id))
    return ctx.answers


# -- typing ---------------------------------------------------------------------------------

def typed_frame(survey: Instrument, answers: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The answers as a DataFrame typed as :class:`cxresearch.data.responses.Responses`
    types them: choices categorical, scales ordered categorical of int codes, numbers
    ``Int64``/``Float64``, dates ``datetime64[ns]``, everything else ``string``."""
    columns: dict[str, Any] = {}
    for q in survey.questions():
        for fid in q.field_ids():
            raw = answers.get(fid)
            if raw is None:
                raise DatasetError(f"no answers were made for field '{fid}'")
            if fid == f"{q.id}_other":
                columns[fid] = pd.array(raw, dtype="string")
            elif q.type == "single_choice":
                columns[fid] = pd.Categorical(raw, categories=_values(survey, q))
            elif q.type in _SCORED:
                values = list(range(11)) if q.type == "rating" else \
                    (q.scale.values() if q.scale else [])
                columns[fid] = pd.Categorical(raw, categories=values, ordered=True)
            elif q.type == "number":
                columns[fid] = pd.array(raw, dtype="Float64" if q.decimals else "Int64")
            elif q.type == "date":
                columns[fid] = pd.to_datetime(pd.Series(raw, dtype=object)).astype(
                    "datetime64[ns]").to_numpy()
            else:
                columns[fid] = pd.array(raw, dtype="string")
    return pd.DataFrame(columns)


def check_rules(survey: Instrument, rules: Mapping[str, Rule], drivers: Sequence[Any],
                what: str) -> None:
    """Raise :class:`DatasetError` when a rule or driver names a question not in ``survey``."""
    known = {q.id for q in survey.questions()}
    unknown = sorted(set(rules) - known)
    unknown += sorted({d.question for d in drivers} - known)
    if unknown:
        raise DatasetError(f"the {what} rules name question(s) {', '.join(unknown)} that "
                           f"'{survey.id}' does not have; known: {', '.join(sorted(known))}")
