"""What the text-message channel says to a reporter, in their language (the portal catalogs).

Short, because every 70 characters outside GSM's alphabet costs a message part; the number
disclosure is part of the first answer, before the reporter writes more.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from beacon.messaging.language import portal_languages


def _follow_up_url(language: str) -> str:
    return f"{settings.BEACON_SITE_URL.rstrip('/')}/{language}/report/follow-up/"


def _site_url(language: str) -> str:
    return f"{settings.BEACON_SITE_URL.rstrip('/')}/{language}/report/"


def welcome(language: str, codename: str) -> str:
    with translation.override(language):
        return "\n\n".join(
            [
                # The codename on a line of its own: easy to copy, and no punctuation to get wrong.
                _("Beacon: thank you, we received your report. Your codename is below. Keep it safe.")
                + "\n"
                + codename,
                _(
                    "What happens next: a person on the hotline team reads every report and may "
                    "reply to you here. Reply to this message to add information. You can also read "
                    "our replies with your codename at %(url)s"
                )
                % {"url": _follow_up_url(language)},
                _(
                    "Texting shows your phone number to the hotline. If that is not safe, use "
                    "%(url)s instead and delete these messages."
                )
                % {"url": _site_url(language)},
                _("In danger now? Call 911.") + " " + _("Reply STOP to get no more messages from us."),
            ]
        )


def language_menu() -> str:
    """Asked when the first message does not tell its language: in English and Spanish, then
    every language in its own name."""
    lines = []
    for language in ("en", "es"):
        with translation.override(language):
            lines.append(_("Reply with the number of your language:"))
    lines += [f"{number} {name}" for number, (_code, name) in enumerate(portal_languages(), start=1)]
    return "\n".join(lines)


def received(language: str) -> str:
    with translation.override(language):
        return _("We received your message. Thank you.")


def restarted(language: str) -> str:
    with translation.override(language):
        return _("You will get our messages again. Reply STOP to stop them.")


def stopped(language: str) -> str:
    with translation.override(language):
        return _("You will get no more messages from us. Reply START to get them again.")
