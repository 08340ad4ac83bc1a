"""The chart specs drawn from a panel's table: whole-number formats, a map that shows the whole
state, and no chart at all when every value is hidden."""

from __future__ import annotations

import datetime as dt

from beacon.insights.presentation import COUNT_FORMAT, build_table, chart_spec
from beacon.insights.selectors import Counts, Panel

BUCKETS = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def _counts(chart: str, cells: dict[tuple[str, dt.date], int], categories: list[tuple[str, str]]) -> Counts:
    panel = Panel("p", "Panel", "cases", "field", lambda: categories, chart=chart)
    return Counts(panel=panel, buckets=BUCKETS, categories=categories, cells=cells)


def test_bar_and_line_axes_print_whole_numbers():
    categories = [("a", "Alpha"), ("b", "Beta")]
    cells = {("a", BUCKETS[0]): 30, ("a", BUCKETS[1]): 12, ("b", BUCKETS[0]): 25, ("b", BUCKETS[1]): 40}
    for chart, axis in (("bar", "x"), ("line", "y")):
        counts = _counts(chart, cells, categories)
        spec = chart_spec(build_table(counts, "month", suppress=False), counts)
        assert spec is not None
        assert spec["encoding"][axis]["axis"] == {"format": COUNT_FORMAT, "tickMinStep": 1}
        assert COUNT_FORMAT == ",d"


def test_map_draws_every_county_and_colours_the_published_ones_from_zero():
    categories = [("17031", "Cook"), ("17019", "Champaign"), ("17201", "Winnebago"), ("17043", "DuPage")]
    cells = {
        ("17031", BUCKETS[0]): 40,
        ("17031", BUCKETS[1]): 35,
        ("17019", BUCKETS[0]): 22,
        ("17019", BUCKETS[1]): 15,
        ("17201", BUCKETS[0]): 3,
        ("17043", BUCKETS[0]): 30,
        ("17043", BUCKETS[1]): 25,
    }
    counts = _counts("map", cells, categories)
    spec = chart_spec(build_table(counts, "month", suppress=True), counts)
    assert spec is not None
    base, published = spec["layer"]
    assert "transform" not in base and base["mark"]["fill"]  # all 102 shapes, so the state always fits
    rows = published["transform"][0]["from"]["data"]["values"]
    # Winnebago's 3 is a small cell and Champaign's total would give it away: both are hidden in
    # the table, so neither is drawn.
    assert {r["fips"]: r["count"] for r in rows} == {"17031": 75, "17043": 55}
    colour = published["encoding"]["color"]
    assert colour["scale"]["domain"][0] == 0 and colour["scale"]["domain"][1] == max(r["count"] for r in rows)
    assert colour["legend"]["format"] == COUNT_FORMAT


def test_no_chart_when_every_value_is_hidden():
    categories = [("a", "Alpha"), ("b", "Beta")]
    cells = {("a", BUCKETS[0]): 2, ("b", BUCKETS[1]): 3}
    for chart in ("bar", "line", "map"):
        counts = _counts(chart, cells, categories)
        table = build_table(counts, "month", suppress=True)
        assert chart_spec(table, counts) is None


def test_screening_determinations_are_shown_by_their_labels_not_their_codes():
    from django.utils import translation

    from beacon.insights.selectors import PANELS

    with translation.override("en"):
        labels = dict(PANELS["screenings_determination"].categories())
    assert labels["insufficient-information"] == "Not enough information"
    assert labels["trafficking"] == "Trafficking indicated"
    with translation.override("es"):
        spanish = dict(PANELS["screenings_determination"].categories())
    assert all(code not in label for code, label in spanish.items())
