"""`/api/v1/insights/`: dashboard panels as JSON (the same figures, and suppression, as the screen)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.insights import selectors, services
from beacon.insights.forms import MAX_MONTHLY_DAYS, MAX_PERIOD_DAYS
from beacon.insights.selectors import Filters

router = Router(tags=["insights"])


class PanelFilters(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    granularity: str = "quarter"
    region: str = ""
    agency: int | None = None


class PanelRow(Schema):
    code: str
    label: str
    cells: list[str]


class PanelOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[PanelRow]
    totals: list[str]
    suppressed: bool
    withheld: bool


class PanelInfo(Schema):
    key: str
    title: str
    subject: str


@router.get("/panels", response=list[PanelInfo], **requires("insights", Action.VIEW))
def panels(request: ApiRequest) -> list[dict]:
    services.viewer(request.auth)
    return [{"key": p.key, "title": str(p.title), "subject": p.subject} for p in selectors.PANELS.values()]


@router.get("/panels/{key}", response=PanelOut, **requires("insights", Action.VIEW))
def panel(request: ApiRequest, key: str, filters: Query[PanelFilters]) -> dict:
    if key not in selectors.PANELS:
        raise HttpError(404, "No such panel.")
    default = selectors.default_filters()
    end = filters.end or default.end
    start = filters.start or default.start
    if end < start:
        raise HttpError(422, "The end date is before the start date.")
    if filters.granularity not in {"month", "quarter"}:
        raise HttpError(422, "granularity must be month or quarter.")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise HttpError(422, "Choose a period of at most ten years.")
    if filters.granularity == "month" and (end - start).days > MAX_MONTHLY_DAYS:
        raise HttpError(422, "Group by quarter for periods longer than three years.")
    result = services.panel(request.auth, key, Filters(start, end, filters.granularity, filters.region, filters.agency))
    t = result.table
    return {
        "key": t.key,
        "title": t.title,
        "columns": t.columns,
        "rows": [{"code": c, "label": label, "cells": cells} for c, label, cells in t.rows],
        "totals": t.totals,
        "suppressed": t.suppressed,
        "withheld": t.withheld,
    }
