"""What the person being screened reads around the questions, in the interview language.

The questions come from the instrument in its languages; these few words around them (the answer
choices, the question count, the notes on a question) are in the portal catalogs, which hold all
13 languages, so a Spanish interview has no English around its Spanish questions. The interviewer's
own controls (buttons, notes for staff) stay in the staff language.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from beacon.screening.engine import ANSWERS


def answer_choices(language: str) -> list[tuple[str, str]]:
    """(code, label) for each answer, in the interview language."""
    with translation.override(language):
        labels = {
            "yes": _("Yes"),
            "no": _("No"),
            "unknown": _("Don't know"),
            "declined": _("Declined to answer"),
        }
        return [(code, labels[code]) for code in ANSWERS]


def not_asked(language: str) -> str:
    with translation.override(language):
        return _("Not asked")


def question_count(language: str, number: int, total: int) -> str:
    with translation.override(language):
        return _("Question %(n)s of %(total)s") % {"n": number, "total": total}


def shown_in_english(language: str, language_name: str) -> str:
    with translation.override(language):
        return _("No text in %(language)s: shown in English.") % {"language": language_name}


def unconfirmed(language: str) -> str:
    with translation.override(language):
        return _("unconfirmed")
