"""``CompareHelper``: pick a metric, a touchpoint and two waves (or a design), see the
verdict of :func:`cxresearch.stats.compare` with its plot, and the code that made it.

The plain part, :func:`comparison_options`, :func:`outcome_of` and
:func:`comparison_code`, decides what is compared and writes the code; the widget only
collects the choices and shows the answer, so the code shown is the code that ran.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Mapping

from ..stats._check import StatsInputError
from ._common import figure_png, ipywidgets, message_html, with_class

__all__ = ["CompareHelper", "Metric", "comparison_code", "comparison_options", "outcome_of"]


@dataclass(frozen=True)
class Metric:
    """A metric the helper offers: an item-bank item of the survey."""

    key: str
    label: Mapping[str, str]
    per_touchpoint: bool


_METRICS = (
    Metric("nps", {"en": "NPS (likelihood to recommend)", "nl": "NPS (aanbevelen)"}, False),
    Metric("overall_satisfaction", {"en": "Overall satisfaction",
                                    "nl": "Algemene tevredenheid"}, False),
    Metric("ces", {"en": "Customer effort (CES)", "nl": "Klantinspanning (CES)"}, False),
    Metric("csat", {"en": "Satisfaction (CSAT)", "nl": "Tevredenheid (CSAT)"}, False),
    Metric("enps", {"en": "eNPS (recommend as employer)",
                    "nl": "eNPS (aanbevelen als werkgever)"}, False),
    Metric("touchpoint_satisfaction", {"en": "Satisfaction at a touchpoint",
                                       "nl": "Tevredenheid bij een contactmoment"}, True),
    Metric("touchpoint_effort", {"en": "Effort at a touchpoint",
                                 "nl": "Moeite bij een contactmoment"}, True),
)

_WORDS = {
    "en": {"metric": "Metric", "touchpoint": "Touchpoint", "group": "Groups in",
           "before": "Before", "after": "After", "design": "Design", "run": "Compare",
           "two": "two groups", "did": "difference-in-differences", "treated": "Improved branch",
           "code": "The code that ran (paste it into a cell):", "none": "–"},
    "nl": {"metric": "Maat", "touchpoint": "Contactmoment", "group": "Groepen in",
           "before": "Voor", "after": "Na", "design": "Opzet", "run": "Vergelijk",
           "two": "twee groepen", "did": "verschil-in-verschillen", "treated": "Verbeterde tak",
           "code": "De code die draaide (plak hem in een cel):", "none": "–"},
}


def _survey(responses: Any) -> Any:
    survey = getattr(responses, "survey", None)
    if survey is None:
        raise StatsInputError("the helper needs Responses (read with "
                              "cxresearch.data.read_responses): the survey says which "
                              "question feeds which metric")
    return survey


def comparison_options(responses: Any) -> dict[str, list[str]]:
    """The metrics this survey can compare: item key -> touchpoint ids (empty for
    metrics asked once), in the order of :data:`_METRICS`."""
    from ..stats import touchpoint_fields

    survey = _survey(responses)
    columns = set(responses.data.columns)
    found: dict[str, list[str]] = {}
    for metric in _METRICS:
        if metric.per_touchpoint:
            tps = [tp for tp, fields in touchpoint_fields(survey, metric.key).items()
                   if fields and fields[0] in columns]
            if tps:
                found[metric.key] = tps
        elif any(q.item == metric.key and q.id in columns for q in survey.questions()):
            found[metric.key] = []
    return found


def outcome_of(responses: Any, metric: str, touchpoint: str | None = None) -> str:
    """The answer column behind ``metric`` (at ``touchpoint`` for per-touchpoint items)."""
    from ..stats import touchpoint_fields

    survey = _survey(responses)
    known = {m.key: m for m in _METRICS}
    if metric not in known:
        raise StatsInputError(f"metric must be one of {', '.join(known)}; got {metric!r}")
    if known[metric].per_touchpoint:
        fields = touchpoint_fields(survey, metric)
        if touchpoint not in fields:
            raise StatsInputError(f"the survey has no '{metric}' question at touchpoint "
                                  f"{touchpoint!r}; touchpoints: "
                                  f"{', '.join(fields) or 'none'}")
        return fields[touchpoint][0]
    for q in survey.questions():
        if q.item == metric and q.id in responses.data.columns:
            return str(q.id)
    raise StatsInputError(f"the survey has no question of item '{metric}' in the data")


def comparison_code(outcome: str, group: str, before: Any, after: Any, *, lang: str = "en",
                    treated: tuple[str, Any] | None = None,
                    data_name: str = "responses") -> str:
    """The Python that makes the comparison, as a user would type it."""
    args = [data_name, repr(outcome), repr(group), f"before={before!r}", f"after={after!r}"]
    if treated is not None:
        args.append(f"treated={treated!r}")
    return ("from cxresearch import stats, viz\n\n"
            f"verdict = stats.compare({', '.join(args)})\n"
            f"print(verdict.verdict({lang!r}))\n"
            f"viz.forest_plot([verdict], lang={lang!r})")


class CompareHelper:
    """Pick a metric, a touchpoint and two groups; see the verdict, its plot and the code.

    Parameters
    ----------
    responses : Responses
        The answers (several waves stacked, e.g. with ``Responses.concat``).
    group : str
        The column that tells the groups apart (default ``wave``).
    journey : Journey, optional
        Names the touchpoints in the picker.
    lang : {"en", "nl"}
        Language of the widget and the verdict.
    data_name : str
        The variable name the shown code uses for ``responses``.

    Attributes
    ----------
    verdict : Verdict or None
        The last comparison's verdict; ``code`` the code that made it.
    """

    def __init__(self, responses: Any, *, group: str = "wave", journey: Any = None,
                 lang: str = "en", data_name: str = "responses") -> None:
        from ..viz._common import check_lang

        self.lang = check_lang(lang)
        self.responses = responses
        self.journey = journey
        self.data_name = data_name
        self.verdict: Any = None
        self.code = ""
        w = ipywidgets()
        t = _WORDS[self.lang]
        self.options = comparison_options(responses)
        if not self.options:
            raise StatsInputError("the survey has no item-bank metric to compare (NPS, "
                                  "satisfaction, effort ...)")
        labels = {m.key: m.label[self.lang] for m in _METRICS}
        self.metric = with_class(w.Dropdown(description=t["metric"], options=[
            (labels[k], k) for k in self.options]), "cx-compare-metric")
        self.touchpoint = with_class(w.Dropdown(description=t["touchpoint"]),
                                     "cx-compare-touchpoint")
        columns = [c for c in responses.data.columns
                   if 2 <= responses.data[c].nunique(dropna=True) <= 12]
        self.group = with_class(w.Dropdown(description=t["group"], options=columns,
                                           value=group if group in columns else
                                           (columns[0] if columns else None)),
                                "cx-compare-group")
        self.before = with_class(w.Dropdown(description=t["before"]), "cx-compare-before")
        self.after = with_class(w.Dropdown(description=t["after"]), "cx-compare-after")
        self.design = with_class(w.ToggleButtons(options=[(t["two"], "two"),
                                                          (t["did"], "did")],
                                                 value="two", description=t["design"]),
                                 "cx-compare-design")
        self.treated = with_class(w.Dropdown(description=t["treated"], options=columns),
                                  "cx-compare-treated")
        self.treated_value = with_class(w.Dropdown(description="="),
                                        "cx-compare-treated-value")
        self.treated_box = w.HBox([self.treated, self.treated_value])
        self.button = with_class(w.Button(description=t["run"], button_style="primary",
                                          icon="balance-scale"), "cx-compare-run")
        self.result = with_class(w.HTML(), "cx-compare-verdict")
        self.plot = with_class(w.Image(format="png", layout=w.Layout(max_width="760px")),
                               "cx-compare-plot")
        self.code_box = with_class(w.HTML(), "cx-compare-code")
        self.metric.observe(lambda _: self._touchpoints(), names="value")
        self.group.observe(lambda _: self._groups(), names="value")
        self.design.observe(lambda _: self._design(), names="value")
        self.treated.observe(lambda _: self._treated_values(), names="value")
        self.button.on_click(lambda _: self.run())
        self._touchpoints()
        self._groups()
        self._treated_values()
        self._design()
        self.widget = with_class(w.VBox([
            w.HBox([self.metric, self.touchpoint]),
            w.HBox([self.group, self.before, self.after]), self.design, self.treated_box,
            self.button, self.result, self.plot, self.code_box]), "cx-compare")

    def _touchpoints(self) -> None:
        tps = self.options.get(self.metric.value, [])
        label = (lambda tp: self.journey.label(tp, self.lang)) if self.journey is not None \
            else (lambda tp: tp)
        self.touchpoint.options = [(label(tp), tp) for tp in tps]
        self.touchpoint.disabled = not tps

    def _groups(self) -> None:
        column = self.group.value
        values = [] if column is None else \
            list(self.responses.data[column].dropna().unique())
        self.before.options = values
        self.after.options = values
        if len(values) >= 2:
            self.before.value, self.after.value = values[0], values[1]

    def _design(self) -> None:
        self.treated_box.layout.display = "" if self.design.value == "did" else "none"

    def _treated_values(self) -> None:
        column = self.treated.value
        self.treated_value.options = [] if column is None else \
            list(self.responses.data[column].dropna().unique())

    def run(self) -> Any:
        """Compare with the current choices; show the verdict, the plot and the code."""
        from .. import stats, viz

        try:
            outcome = outcome_of(self.responses, self.metric.value,
                                 self.touchpoint.value if not self.touchpoint.disabled
                                 else None)
            if self.before.value == self.after.value:
                raise StatsInputError("pick two different groups to compare")
            treated = (self.treated.value, self.treated_value.value) \
                if self.design.value == "did" else None
            if treated is not None and (treated[0] == self.group.value or treated[1] is None):
                raise StatsInputError("for a difference-in-differences, pick the column and "
                                      "value that mark the improved branch (not the column "
                                      "of the waves)")
            verdict = stats.compare(self.responses, outcome, self.group.value,
                                    before=self.before.value, after=self.after.value,
                                    treated=treated)
        except Exception as exc:  # shown where the user acts, not as a traceback
            self.result.value = message_html([("error", str(exc))])
            self.plot.value = b""
            return None
        self.verdict = verdict
        self.code = comparison_code(outcome, self.group.value, self.before.value,
                                    self.after.value, lang=self.lang, treated=treated,
                                    data_name=self.data_name)
        self.result.value = f"<p style='font-size:1.05em'>{html.escape(verdict.verdict(self.lang))}</p>"
        ax = viz.forest_plot([verdict], lang=self.lang)
        self.plot.value = figure_png(ax.figure)
        self.code_box.value = (f"<div>{html.escape(_WORDS[self.lang]['code'])}</div>"
                               f"<pre>{html.escape(self.code)}</pre>")
        return verdict

    def _ipython_display_(self) -> None:  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)
