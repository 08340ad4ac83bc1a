"""Language links (the same page in every portal language, as plain links: no cookie, no form) and
lists joined the way the reader's language joins them."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from beacon.portal import labels

register = template.Library()


@register.filter
def as_list(items: list[str]) -> str:
    """A list joined the way the reader's language joins lists."""
    return labels.as_list(items)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, object]]:
    request = context.get("request")
    path = request.path if request is not None else "/"
    query = request.META.get("QUERY_STRING", "") if request is not None and request.method == "GET" else ""
    current = get_language()
    links = []
    for (code, name), url in zip(settings.LANGUAGES, _translated(path), strict=True):
        if query:
            url = f"{url}?{query}"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "bidi": code in settings.LANGUAGES_BIDI,
            }
        )
    return links


@lru_cache(maxsize=512)
def _translated(path: str) -> tuple[str, ...]:
    """The same path in every language (resolving is the costly part; portal paths are few)."""
    return tuple(translate_url(path, code) for code, _ in settings.LANGUAGES)
