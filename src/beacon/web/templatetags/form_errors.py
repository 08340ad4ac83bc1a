"""How many answers a page asks the reader to fix, for the page title after a failed submit.

A screen-reader user hears the title first when the page loads; naming the count there tells
them the submit failed before they reach the error summary (WCAG 3.3.1). Counting the bound
forms found in the template context keeps every page honest without each view passing a number.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.simple_tag(takes_context=True)
def error_count(context: template.Context, problem: object = None) -> int:
    """Error messages of the bound forms on the page, plus one for a page-level `problem`."""
    seen: set[int] = set()
    count = 1 if problem else 0
    for value in context.flatten().values():
        # type(), not isinstance(): isinstance would evaluate lazy context values such as
        # csrf_token, and evaluating that one sets a cookie the portal must never set.
        if issubclass(type(value), forms.BaseForm) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            count += sum(len(messages) for messages in value.errors.values())
    return count


@register.filter
def anchor(field: forms.BoundField) -> str:
    """The element a link to this field should focus: the first option of a radio group."""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label
