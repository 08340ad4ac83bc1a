"""For tip and case pages: `{% load intel_links %}{% intel_networks_for_case case as networks %}`
then `{% include "intel/linked_networks.html" %}`. Empty for roles that may not see intel."""

from __future__ import annotations

from typing import Any

from django import template

from beacon.intel import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def intel_networks_for_case(context: dict[str, Any], case: Any) -> list[Any]:
    request = context.get("request")
    return list(selectors.networks_for_case(getattr(request, "user", None), case)[:20]) if request else []


@register.simple_tag(takes_context=True)
def intel_networks_for_tip(context: dict[str, Any], tip: Any) -> list[Any]:
    request = context.get("request")
    return list(selectors.networks_for_tip(getattr(request, "user", None), tip)[:20]) if request else []
