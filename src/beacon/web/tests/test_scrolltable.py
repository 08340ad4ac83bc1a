"""{% scrolltable %}: every table scroller is a focusable region with a name."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_the_region_is_named_by_the_caption():
    html = render("{% scrolltable %}<table><caption> 3 <b>cases</b> </caption></table>{% endscrolltable %}")
    assert html.startswith('<div class="table-scroll" role="region" tabindex="0" aria-label="3 cases">')


def test_without_a_caption_the_first_heading_inside_names_it():
    html = render("{% scrolltable %}<h3>Open tasks</h3><table><tr><td>x</td></tr></table>{% endscrolltable %}")
    assert 'role="region"' in html and 'aria-label="Open tasks"' in html


def test_an_empty_caption_falls_through_to_the_heading():
    html = render("{% scrolltable %}<h2>Notes</h2><table><caption> </caption></table>{% endscrolltable %}")
    assert 'aria-label="Notes"' in html


def test_a_label_argument_wins_and_is_escaped():
    html = render(
        "{% scrolltable label=name %}<table><caption>Caption</caption></table>{% endscrolltable %}", name='A "b" <c>'
    )
    assert 'aria-label="A &quot;b&quot; &lt;c&gt;"' in html


def test_a_table_with_no_name_at_all_still_gets_one():
    with translation.override("en"):
        html = render("{% scrolltable %}<table><tr><td>x</td></tr></table>{% endscrolltable %}")
    assert 'role="region"' in html and 'aria-label="Table"' in html


def test_unknown_arguments_are_refused():
    with pytest.raises(TemplateSyntaxError):
        render("{% scrolltable title='x' %}<table></table>{% endscrolltable %}")
