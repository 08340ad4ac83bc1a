"""For tip and case pages: `{% load intel_links %}{% intel_match_for_case case as match %}` (or
`intel_match_for_tip tip`) then `{% include "intel/match_notice.html" %}`: the networks sharing a
phone or e-mail for roles that may see intel, a "restricted match" notice for roles that may not,
nothing when there is no match. What was shown is audited."""

from __future__ import annotations

from typing import Any

from django import template

from beacon.intel import selectors

register = template.Library()


def _audited(context: dict[str, Any], record: Any, match: selectors.IntelMatch) -> selectors.IntelMatch:
    from beacon.intel import services

    if match:
        services.record_match_shown(context["request"].user, record, match)
    return match


@register.simple_tag(takes_context=True)
def intel_match_for_case(context: dict[str, Any], case: Any) -> selectors.IntelMatch | None:
    request = context.get("request")
    if request is None:
        return None
    return _audited(context, case, selectors.match_for_case(request.user, case))


@register.simple_tag(takes_context=True)
def intel_match_for_tip(context: dict[str, Any], tip: Any) -> selectors.IntelMatch | None:
    request = context.get("request")
    if request is None:
        return None
    return _audited(context, tip, selectors.match_for_tip(request.user, tip))
