"""Data tables that scroll inside their own region on a narrow screen instead of pushing the
whole page (header, forms) sideways (WCAG 1.4.10).

    {% load tables %}{% scrolltable %}<table><caption>...</caption>...</table>{% endscrolltable %}

The region is focusable so keyboard users can scroll it (WCAG 2.1.1), and is named by the
table's caption so a screen reader says which table the scrolling area holds.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)


class ScrollTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        found = _CAPTION.search(html)
        label = " ".join(strip_tags(found.group(1)).split()) if found else ""
        if not label:  # an unnamed region would be noise: keep it a plain focusable scroller
            return format_html('<div class="table-scroll" tabindex="0">{}</div>', mark_safe(html))
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>', label, mark_safe(html)
        )


@register.tag
def scrolltable(parser: template.base.Parser, token: template.base.Token) -> ScrollTableNode:
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist)
