"""Charts of cxresearch.viz on the bundled examples: structure, privacy, errors, saving."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cxresearch import viz  # noqa: E402
from cxresearch.data import read_responses  # noqa: E402
from cxresearch.data.responses import Responses  # noqa: E402
from cxresearch.journey import Journey  # noqa: E402
from cxresearch.stats import StatsInputError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INSURER = ROOT / "surveys" / "insurer-claims"
WEBSHOP = ROOT / "surveys" / "webshop-delivery"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def journey() -> Journey:
    return Journey.load(INSURER / "journey.yaml")


@pytest.fixture(scope="module")
def customers() -> Responses:
    return read_responses(INSURER / "data/raw/customers-wave1.csv",
                          INSURER / "instruments/customer-survey.yaml")


@pytest.fixture(scope="module")
def both_waves(customers: Responses) -> Responses:
    wave2 = read_responses(INSURER / "data/raw/customers-wave2.csv",
                           INSURER / "instruments/customer-survey.yaml")
    return Responses.concat([customers, wave2])


@pytest.fixture(scope="module")
def employees() -> Responses:
    return read_responses(INSURER / "data/raw/employees.csv",
                          INSURER / "instruments/employee-survey.yaml")


@pytest.fixture(scope="module")
def insurer_map(journey: Journey, customers: Responses, employees: Responses) -> Any:
    return viz.journey_map(journey, customers, employees)


def _renderer(fig: Any) -> Any:
    """An Agg renderer for ``fig`` (closing a figure detaches its canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _gids(fig: Any, prefix: str) -> list[Any]:
    return [a for a in fig.findobj() if (getattr(a, "get_gid", lambda: None)() or "")
            .startswith(prefix)]


def _suppress(responses: Responses, field: str, keep: int = 3) -> Responses:
    """A copy in which only ``keep`` respondents answered ``field``."""
    data = responses.data.copy()
    answered = data.index[data[field].notna()]
    data.loc[answered[keep:], field] = pd.NA
    return responses.with_data(data)


# -- journey map --------------------------------------------------------------------------
def test_journey_map_has_one_card_per_touchpoint_and_a_star_per_moment_of_truth(
        insurer_map: Any, journey: Journey) -> None:
    assert len(_gids(insurer_map, "touchpoint_card")) == len(journey.touchpoints()) == 11
    assert len(_gids(insurer_map, "moment_of_truth")) == len(journey.moments_of_truth()) == 3
    assert len(_gids(insurer_map, "employee_card:")) == 11
    labels = [t.get_text() for t in _gids(insurer_map, "touchpoint_label")]
    assert labels[0].replace("\n", " ") == journey.label("discover", "nl")


def test_journey_map_texts_do_not_overlap_and_stay_inside_their_cards(insurer_map: Any) -> None:
    renderer = _renderer(insurer_map)
    labels = [t.get_window_extent(renderer) for t in _gids(insurer_map, "touchpoint_label")]
    cards = [p.get_window_extent(renderer) for p in _gids(insurer_map, "touchpoint_card")]
    for a, b in itertools.combinations(labels, 2):
        assert not a.overlaps(b)
    for label, card in zip(labels, cards):
        assert card.x0 <= label.x0 and label.x1 <= card.x1
        assert card.y0 <= label.y0 and label.y1 <= card.y1
    figure = insurer_map.bbox
    for text in insurer_map.findobj(matplotlib.text.Text):
        if text.get_text() and text.get_visible():
            box = text.get_window_extent(renderer)
            assert box.x0 >= figure.x0 - 1 and box.x1 <= figure.x1 + 1, text.get_text()


def test_journey_map_draws_a_point_per_scored_touchpoint(insurer_map: Any,
                                                          customers: Responses) -> None:
    from cxresearch.stats import touchpoint_scores

    scored = set(touchpoint_scores(customers)["touchpoint"])
    drawn = {a.get_gid().split(":", 1)[1] for a in _gids(insurer_map, "score:")}
    assert drawn == scored
    unmeasured = {a.get_gid().split(":", 1)[1] for a in _gids(insurer_map, "not_measured:")}
    assert unmeasured == {"discover", "police_report"}


def test_journey_map_shows_no_value_for_a_suppressed_touchpoint(
        journey: Journey, customers: Responses) -> None:
    few = _suppress(customers, "sat_renewal")
    fig = viz.journey_map(journey, few, lang="en")
    assert not _gids(fig, "score:renewal")
    assert not _gids(fig, "n:renewal")
    (marker,) = _gids(fig, "suppressed:renewal")
    assert marker.get_text() == "n < 5"
    assert _gids(fig, "score:payout")


def test_journey_map_suppressed_and_missing_employee_cards_are_grey(
        journey: Journey, employees: Responses) -> None:
    cols = [c for c in employees.data.columns if c.startswith("enable_call_")]
    data = employees.data.copy()
    data.loc[data.index[3:], cols] = pd.NA
    fig = viz.journey_map(journey, employees=employees.with_data(data))
    (call,) = _gids(fig, "employee_card:first_call")
    (discover,) = _gids(fig, "employee_card:discover")
    (visit,) = _gids(fig, "employee_card:assessor_visit")
    assert call.get_hatch() == "////" and discover.get_hatch() == "////"
    assert visit.get_hatch() is None
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes
                                                 for t in ax.texts]
    assert "n < 5" in texts and "geen gegevens" in texts


def test_planning_canvas_draws_the_planned_valence(journey: Journey) -> None:
    fig = viz.journey_map(journey, lang="en")
    (curve,) = _gids(fig, "planned_curve")
    assert list(curve.get_ydata()) == [tp.customer.valence for tp in journey.touchpoints()]
    assert not _gids(fig, "score:")
    assert "Planning canvas" in _gids(fig, "subtitle")[0].get_text()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "planned (expected) emotion" in legend and "moment of truth" in legend


def test_journey_map_by_wave_draws_two_curves(journey: Journey,
                                             both_waves: Responses) -> None:
    fig = viz.journey_map(journey, both_waves, by="wave", lang="en")
    assert len(_gids(fig, "score:first_call")) == 2
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "before" in legend and "after" in legend


def test_journey_map_webshop_from_a_path_in_english() -> None:
    responses = read_responses(WEBSHOP / "data/raw/customers.xlsx",
                               WEBSHOP / "instruments/customer-survey.yaml")
    fig = viz.journey_map(WEBSHOP / "journey.yaml", responses, lang="en")
    assert len(_gids(fig, "touchpoint_card")) == 12
    assert len(_gids(fig, "moment_of_truth")) == 3


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lang": "de"}, "lang must be one of 'nl', 'en'; got 'de'"),
    ({"item": "no_such_item"}, "no question of item 'no_such_item'"),
    ({"by": "no_column"}, "by='no_column': no column 'no_column'"),
    ({"figsize": (3, 10)}, "figsize width 3 leaves"),
    ({"figsize": (20, 4)}, "figsize height 4 in is too small"),
    ({"figsize": "big"}, r"figsize must be \(width, height\)"),
])
def test_journey_map_bad_arguments(journey: Journey, customers: Responses,
                                   kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.journey_map(journey, customers, **kwargs)


def test_journey_map_bad_inputs(journey: Journey, customers: Responses) -> None:
    with pytest.raises(StatsInputError, match="journey must be a Journey"):
        viz.journey_map({"id": "x"})
    with pytest.raises(StatsInputError, match="responses must be Responses"):
        viz.journey_map(journey, customers.data)
    with pytest.raises(StatsInputError, match="by='wave' needs responses"):
        viz.journey_map(journey, by="wave")
    webshop = Journey.load(WEBSHOP / "journey.yaml")
    with pytest.raises(StatsInputError, match="none of the touchpoints scored"):
        viz.journey_map(webshop, customers)
    empty = customers.with_data(customers.data.iloc[:0])
    fig = viz.journey_map(journey, empty)  # no answers: every touchpoint "n < 5"
    assert not _gids(fig, "score:") and len(_gids(fig, "suppressed:")) == 9


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_figure_png_and_svg(tmp_path: Path, journey: Journey, suffix: str) -> None:
    fig = viz.journey_map(journey)
    path = viz.save_figure(fig, tmp_path / "sub" / f"map{suffix}")
    head = path.read_bytes()[:200]
    assert (head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head
            or b"<?xml" in head)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_save_figure_refuses_other_suffixes(tmp_path: Path, journey: Journey) -> None:
    with pytest.raises(StatsInputError, match=r"writes \.png, \.svg files.*'\.pdf'"):
        viz.save_figure(viz.journey_map(journey), tmp_path / "map.pdf")
    with pytest.raises(StatsInputError, match="fig must be a matplotlib Figure"):
        viz.save_figure("not a figure", tmp_path / "map.png")


# -- Likert bars -------------------------------------------------------------------------
EXP = ["exp_one_contact", "exp_told_once", "exp_next_step"]


def test_likert_bars_use_the_survey_scale(customers: Responses) -> None:
    fig = viz.likert_bars(customers, EXP, lang="en")
    ax = fig.axes[0]
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert legend[0] == "Strongly disagree" and legend[-1] == "Strongly agree"
    assert len(_gids(fig, "likert:exp_told_once")) == 5
    bars = _gids(fig, "likert:exp_one_contact")
    neutral = bars[2]
    assert neutral.get_x() == pytest.approx(-neutral.get_width() / 2)  # centred
    total = sum(b.get_width() for b in bars)
    assert total == pytest.approx(100)


def test_likert_bars_hide_small_fields(customers: Responses) -> None:
    fig = viz.likert_bars(_suppress(customers, "exp_told_once"), EXP)
    assert not _gids(fig, "likert:exp_told_once")
    note = _gids(fig, "note")[0].get_text().replace("\n", " ")
    assert "Niet getoond (n < 5): Ik hoefde mijn verhaal maar één keer te vertellen." in note


def test_likert_bars_on_a_dataframe_with_labels() -> None:
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 5, 4], "b": [2, 2, 3, 3, 4, 4, 5]})
    fig = viz.likert_bars(frame, ["a", "b"], labels={"a": "Item A"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Item A", "b"]


@pytest.mark.parametrize(("fields", "kwargs", "match"), [
    (["exp_one_contact", "nope"], {}, "fields: no column 'nope' in the data"),
    (["nps"], {}, "'nps' is not a Likert question"),
    (EXP, {"lang": "fr"}, "lang must be one of 'nl', 'en'; got 'fr'"),
    ([], {}, "fields must name one or more columns"),
])
def test_likert_bars_bad_input(customers: Responses, fields: list[str],
                               kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.likert_bars(customers, fields, **kwargs)


def test_likert_bars_empty(customers: Responses) -> None:
    with pytest.raises(StatsInputError, match="data has no rows"):
        viz.likert_bars(customers.with_data(customers.data.iloc[:0]), EXP)


# -- NPS ---------------------------------------------------------------------------------
def test_nps_distribution_per_wave(both_waves: Responses) -> None:
    from cxresearch.stats import nps

    fig = viz.nps_distribution(both_waves, by="wave", lang="en")
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    before = both_waves.data.loc[both_waves.data["wave"] == "before", "nps"]
    expected = nps(pd.to_numeric(before.astype("string")).to_numpy())
    assert titles[0].startswith(f"before: NPS {expected.estimate:+.0f} [")
    assert titles[1].startswith("after: NPS")
    bars = _gids(fig, "nps_bar")
    assert len(bars) == 22
    assert bars[0].get_facecolor() != bars[8].get_facecolor() != bars[10].get_facecolor()


def test_nps_distribution_plain_scores_and_small_groups() -> None:
    scores = [10] * 6 + [9] * 4 + [3] * 5 + [8] * 3 + [0, 1]
    groups = ["a"] * 18 + ["b"] * 2
    fig = viz.nps_distribution(scores, by=groups, lang="en")
    assert sum(ax.get_visible() for ax in fig.axes) == 1
    assert "Not shown (n < 5): b." in _gids(fig, "note")[0].get_text()
    fig = viz.nps_distribution(np.array(scores))
    assert fig._suptitle.get_text().startswith("Net Promoter Score +")


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    ([[1, 2, 11, 5, 5]], {}, "outside the scale 0..10"),
    ([[]], {}, "scores hold no answers"),
    (["nps"], {}, "scores must be Responses, a DataFrame or a sequence"),
    ([[1, 2, 3, 4, 5]], {"lang": "xx"}, "lang must be one of"),
    ([[1, 2]], {}, "every group has fewer than 5 answers"),
])
def test_nps_distribution_bad_input(args: list[Any], kwargs: dict[str, Any],
                                    match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.nps_distribution(*args, **kwargs)


def test_nps_distribution_unknown_column(customers: Responses) -> None:
    with pytest.raises(StatsInputError, match="field: no column 'npz'"):
        viz.nps_distribution(customers, field="npz")
    with pytest.raises(StatsInputError, match="by: no column 'region'"):
        viz.nps_distribution(customers, by="region")


# -- before / after ----------------------------------------------------------------------
def test_before_after_draws_both_waves(both_waves: Responses, journey: Journey) -> None:
    fig = viz.before_after(both_waves, journey=journey, lang="en")
    assert len(_gids(fig, "before:")) == len(_gids(fig, "after:")) == 9
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Payout" in labels


def test_before_after_hides_a_small_group(both_waves: Responses) -> None:
    data = both_waves.data.copy()
    after = data.index[(data["wave"] == "after") & data["sat_call"].notna()]
    data.loc[after[2:], "sat_call"] = pd.NA
    fig = viz.before_after(both_waves.with_data(data))
    assert _gids(fig, "before:first_call") and not _gids(fig, "after:first_call")
    assert _gids(fig, "suppressed:first_call")[0].get_text().startswith("n < 5")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"group": "team"}, r"group='team' has 3 value\(s\)"),
    ({"before": "before", "after": "later"}, "after='later' is not a value of column"),
    ({"group": "nope"}, "by='nope': no column 'nope'"),
    ({"item": "nothing"}, "no question of item 'nothing'"),
    ({"lang": "EN"}, "lang must be one of"),
])
def test_before_after_bad_input(both_waves: Responses, kwargs: dict[str, Any],
                                match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.before_after(both_waves, **kwargs)


def test_before_after_needs_responses(both_waves: Responses) -> None:
    with pytest.raises(StatsInputError, match="responses must be Responses"):
        viz.before_after([1, 2, 3])


# -- contact heatmap ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    return pd.read_csv(INSURER / "data/raw/contacts.csv")


def test_contact_heatmap_weekdays_and_hidden_cells(contacts: pd.DataFrame) -> None:
    fig = viz.contact_heatmap(contacts, lang="en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Monday"
    mesh = ax.collections[0]
    values = np.ma.filled(mesh.get_array(), np.nan).reshape(7, 24)
    counts = pd.to_datetime(contacts["timestamp"])
    monday_ten = int(((counts.dt.day_of_week == 0) & (counts.dt.hour == 10)).sum())
    assert values[0, 10] == monday_ten
    finite = values[~np.isnan(values)]
    assert not ((finite > 0) & (finite < 5)).any()
    assert "1 to 4 contacts are hidden" in _gids(fig, "note")[0].get_text()
    dutch = viz.contact_heatmap(contacts)
    assert dutch.axes[0].get_yticklabels()[6].get_text() == "zondag"


@pytest.mark.parametrize(("frame", "kwargs", "match"), [
    (pd.DataFrame({"timestamp": []}), {}, "contacts has no rows"),
    (pd.DataFrame({"when": ["2026-01-01"]}), {}, "timestamp='timestamp' is not a column"),
    (pd.DataFrame({"timestamp": ["2026-01-05 10:00", "yesterday"]}), {},
     r"1 value\(s\) are not dates"),
    (pd.DataFrame({"timestamp": ["2026-01-05 10:00"]}), {"lang": "fr"}, "lang must be one"),
    ([1, 2], {}, "contacts must be a DataFrame"),
])
def test_contact_heatmap_bad_input(frame: Any, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.contact_heatmap(frame, **kwargs)


# -- quadrant plot -----------------------------------------------------------------------
IPA = pd.DataFrame({
    "driver": ["sat_call", "sat_docs", "sat_visit", "sat_report", "sat_tiny"],
    "label": ["Call", "Documents", "Visit", "Report", "Tiny group"],
    "importance": [0.35, 0.30, 0.15, 0.12, 0.08],
    "importance_low": [0.2, 0.15, 0.05, 0.04, 0.01],
    "importance_high": [0.5, 0.45, 0.3, 0.25, 0.2],
    "performance": [3.2, 4.3, 4.4, 3.1, 4.0],
    "performance_low": [3.0, 4.1, 4.2, 2.9, 3.0],
    "performance_high": [3.4, 4.5, 4.6, 3.3, 5.0],
    "performance_pct": [55.0, 82.5, 85.0, 52.5, 75.0],
    "n": [120, 120, 120, 120, 4],
    "quadrant": ["concentrate", "keep_up", "possible_overkill", "low_priority", "keep_up"],
})


def test_quadrant_plot_draws_each_driver_once() -> None:
    fig = viz.quadrant_plot(IPA, lang="en")
    drawn = sorted(a.get_gid().split(":")[1] for a in _gids(fig, "driver:"))
    assert drawn == ["sat_call", "sat_docs", "sat_report", "sat_visit"]
    (call,) = _gids(fig, "driver:sat_call")
    assert (call.get_xdata()[0], call.get_ydata()[0]) == (pytest.approx(35), 55.0)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Concentrate here" in texts and "Possible overkill" in texts
    assert "Not shown (n < 5): Tiny group." in _gids(fig, "note")[0].get_text()
    renderer = _renderer(fig)
    boxes = [t.get_window_extent(renderer) for t in _gids(fig, "driver_label")]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


@pytest.mark.parametrize(("table", "kwargs", "match"), [
    (IPA.drop(columns=["quadrant", "n"]), {}, r"table lacks the column\(s\) n, quadrant"),
    (IPA.assign(quadrant="top"), {}, "quadrant must be one of 'concentrate'"),
    (IPA.iloc[:0], {}, "table has no rows"),
    (IPA, {"lang": "de"}, "lang must be one of"),
    (IPA.assign(n=3), {}, "every driver has fewer than 5 respondents"),
])
def test_quadrant_plot_bad_input(table: pd.DataFrame, kwargs: dict[str, Any],
                                 match: str) -> None:
    with pytest.raises(StatsInputError, match=match):
        viz.quadrant_plot(table, **kwargs)


def test_viz_exports() -> None:
    assert set(viz.__all__) == {"before_after", "contact_heatmap", "cooccurrence_heatmap", "forest_plot",
                                "journey_map", "likert_bars", "nps_distribution",
                                "quadrant_plot", "save_figure"}
