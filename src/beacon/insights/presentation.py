"""Turning grouped counts into what a person sees: a table (suppressed unless the viewer may see
exact figures), a Vega-Lite spec drawn only from the published cells, and CSV rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.templatetags.static import static
from django.utils.translation import gettext as _

from beacon.insights.privacy.suppression import DEFAULT_THRESHOLD, suppress_table
from beacon.insights.selectors import Counts

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


@dataclass
class PanelTable:
    key: str
    title: str
    description: str
    chart: str
    columns: list[str]  # period labels, then "Total"
    rows: list[tuple[str, str, list[str]]]  # (code, label, cells incl. total)
    totals: list[str]  # column totals incl. grand total
    suppressed: bool  # small-cell suppression applied
    hidden_cells: int  # how many values show a marker instead of a number
    withheld: bool
    values: list[list[int | None]]  # the numbers a chart may draw (None where hidden), incl. totals

    @property
    def empty(self) -> bool:
        return not self.rows


def period_label(day: dt.date, granularity: str) -> str:
    if granularity == "month":
        return day.strftime("%Y-%m")
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def build_table(counts: Counts, granularity: str, *, suppress: bool) -> PanelTable:
    panel = counts.panel
    columns = [period_label(b, granularity) for b in counts.buckets] + [_("Total")]
    matrix = [counts.row(code) for code, _label in counts.categories]
    base = dict(
        key=panel.key, title=str(panel.title), description=str(panel.description), chart=panel.chart, columns=columns
    )
    if not matrix:
        return PanelTable(**base, rows=[], totals=[], suppressed=suppress, hidden_cells=0, withheld=False, values=[])
    full = [[*row, sum(row)] for row in matrix]
    full.append([sum(col) for col in zip(*full, strict=True)])
    if not suppress:
        display = [[str(v) for v in row] for row in full]
        values: list[list[int | None]] = [list(row) for row in full]
        hidden, withheld = 0, False
    else:
        table = suppress_table(matrix, threshold=DEFAULT_THRESHOLD)
        display = table.display_rows()
        flat = [table.cells[i][j] for i in range(len(matrix)) for j in range(len(matrix[0]))]
        hidden = sum(c.suppressed for c in flat) + sum(c.suppressed for c in table.row_totals or ())
        hidden += sum(c.suppressed for c in table.column_totals or ()) + int(
            bool(table.grand_total and table.grand_total.suppressed)
        )
        withheld = table.withheld
        values = [[int(d) if d.isdigit() else None for d in row] for row in display]
    rows = [(code, str(label), display[i]) for i, (code, label) in enumerate(counts.categories)]
    return PanelTable(
        **base,
        rows=rows,
        totals=display[-1],
        suppressed=suppress,
        hidden_cells=hidden,
        withheld=withheld,
        values=values,
    )


def csv_rows(table: PanelTable) -> list[list[str]]:
    out = [[_("Category"), *table.columns]]
    out += [[label, *cells] for _code, label, cells in table.rows]
    if table.rows:
        out.append([_("Total"), *table.totals])
    if table.suppressed:
        out.append(
            [
                _(
                    "Counts from 1 to 10 are shown as <11; * marks values hidden so that they cannot be "
                    "worked out from totals; x marks a table withheld."
                )
            ]
        )
    return out


# Counts are whole numbers: axes, legends and tooltips print them with a thousands separator and
# never as "40.000000" (Vega's default format for a quantitative field in SVG text).
COUNT_FORMAT = ",d"


def chart_spec(table: PanelTable, counts: Counts) -> dict[str, Any] | None:
    """A Vega-Lite spec drawn only from numbers shown in the table (hidden cells are left out).

    None when there is nothing to draw (no rows, withheld, every value hidden or zero): the page
    then shows the table alone and loads no chart code."""
    if table.empty or table.withheld:
        return None
    count_title = _("Count")
    base: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": 260,
        "description": table.title,
    }
    count_axis = {"format": COUNT_FORMAT, "tickMinStep": 1}
    if table.chart == "map":
        rows = [
            {"fips": code, "county": label, "count": table.values[i][-1], "shown": table.rows[i][2][-1]}
            for i, (code, label, _cells) in enumerate(table.rows)
            if code and table.values[i][-1] is not None
        ]
        if not any(r["count"] for r in rows):
            return None
        highest = max(r["count"] for r in rows)
        counties = {
            "url": static("vendor/il-counties.topo.json"),
            "format": {"type": "topojson", "feature": "counties"},
        }
        # Two layers over the same shapes: every county in grey (so the projection always fits the
        # whole state, whatever the filters), then the counties with a published count in colour.
        return {
            **base,
            "height": 420,
            "projection": {"type": "mercator"},
            "data": counties,
            "layer": [
                {
                    "mark": {"type": "geoshape", "fill": "#d9d9d9", "stroke": "#ffffff", "strokeWidth": 0.5},
                    "encoding": {"tooltip": [{"field": "properties.name", "title": _("County")}]},
                },
                {
                    "transform": [
                        {
                            "lookup": "id",
                            "from": {"data": {"values": rows}, "key": "fips", "fields": ["count", "shown"]},
                        },
                        {"filter": "datum.count != null"},
                    ],
                    "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
                    "encoding": {
                        "color": {
                            "field": "count",
                            "type": "quantitative",
                            "title": count_title,
                            "scale": {"scheme": "blues", "domain": [0, highest]},
                            "legend": {"format": COUNT_FORMAT, "tickMinStep": 1},
                        },
                        "tooltip": [
                            {"field": "properties.name", "title": _("County")},
                            {"field": "shown", "title": count_title},
                        ],
                    },
                },
            ],
        }
    if table.chart == "line":
        values = [
            {"period": b.isoformat(), "category": label, "count": table.values[i][j]}
            for i, (_code, label, _cells) in enumerate(table.rows)
            for j, b in enumerate(counts.buckets)
            if table.values[i][j] is not None
        ]
        if not any(v["count"] for v in values):
            return None
        return {
            **base,
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "period", "type": "temporal", "title": _("Period")},
                "y": {"field": "count", "type": "quantitative", "title": count_title, "axis": count_axis},
                "color": {"field": "category", "type": "nominal", "title": _("Category")},
                "tooltip": [
                    {"field": "category"},
                    {"field": "period", "type": "temporal"},
                    {"field": "count", "format": COUNT_FORMAT},
                ],
            },
        }
    values = [
        {"category": label, "count": table.values[i][-1]}
        for i, (_code, label, _cells) in enumerate(table.rows)
        if table.values[i][-1] is not None
    ]
    if not any(v["count"] for v in values):
        return None
    return {
        **base,
        "height": max(120, 24 * len(values)),
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "count", "type": "quantitative", "title": count_title, "axis": count_axis},
            "tooltip": [{"field": "category"}, {"field": "count", "format": COUNT_FORMAT}],
        },
    }
