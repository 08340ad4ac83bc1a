"""Data tables that scroll inside their own region on a narrow screen instead of pushing the
whole page (header, forms) sideways (WCAG 1.4.10).

    {% load tables %}{% scrolltable %}<table><caption>...</caption>...</table>{% endscrolltable %}
    {% scrolltable label=_("Open tasks") %}<table>...</table>{% endscrolltable %}

The region is focusable so keyboard users can scroll it (WCAG 2.1.1), and it is a named region
(`role="region"` needs a name) so a screen reader says which table the scrolling area holds: the
`label` given to the tag, else the table's caption, else the first heading inside the block.
A block with none of these is still named ("Table") rather than left an unnamed region.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def region_name(html: str) -> str:
    """The name of the scrolling region around `html`: its table's caption, else its first heading."""
    for pattern in (_CAPTION, _HEADING):
        found = pattern.search(html)
        if found and _text(found.group(1)):
            return _text(found.group(1))
    return ""


class ScrollTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: template.base.FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        label = " ".join(str(self.label.resolve(context)).split()) if self.label is not None else ""
        label = label or region_name(html)
        if not label:  # never an unnamed region; a template should give a caption or label=
            label = gettext("Table")
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>', label, mark_safe(html)
        )


@register.tag
def scrolltable(parser: template.base.Parser, token: template.base.Token) -> ScrollTableNode:
    bits = token.split_contents()[1:]
    label = None
    for bit in bits:
        key, _, value = bit.partition("=")
        if key != "label" or not value:
            raise template.TemplateSyntaxError(f"scrolltable takes only label=...: {bit!r}")
        label = parser.compile_filter(value)
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, label)
