"""The portal's words in a real browser: on the follow-up page in Russian and Ukrainian the
reporter's report and the team's messages are different words (they used to be the same)."""

from __future__ import annotations

import re

import pytest

from beacon.tips import services
from beacon.tips.models import Tip
from tests.browser.test_portal_tips import _fill_report, _follow_up, _hotline_user, counties, open_context

__all__ = ["counties", "open_context"]

STEM = 6  # enough letters to tell обращение from сообщение and звернення from повідомлення


def _stems(text: str) -> set[str]:
    return {w[:STEM].casefold() for w in re.findall(r"\w+", text) if len(w) >= STEM}


@pytest.mark.parametrize(
    ("lang", "report", "messages"), [("ru", "обращени", "сообщени"), ("uk", "звернен", "повідомлен")]
)
def test_the_follow_up_page_names_the_report_and_the_teams_messages_with_different_words(
    open_context, counties, lang, report, messages
):
    page = open_context(locale=lang).new_page()
    page.goto(f"/{lang}/report/")
    _fill_report(page, "Люди живут на складе и не могут выйти.")
    send = page.locator("#send-report")
    assert report in send.inner_text().casefold()  # "Send report"
    send.click()
    page.wait_for_selector("#codename")
    codename = page.inner_text("#codename").strip()
    assert report in page.inner_text("#received").casefold()  # "Thank you. Your report was received."

    tip = Tip.objects.get()
    services.message_reporter(_hotline_user(), tip, "Спасибо. Где находится склад?")
    _follow_up(page, lang, codename)
    page.wait_for_selector("#tip-status")
    title = page.inner_text("main h1")  # "Your report"
    heading = page.locator("main h2").first.inner_text()  # "Messages"
    assert report in title.casefold(), title
    assert messages in heading.casefold(), heading
    assert messages not in title.casefold() and report not in heading.casefold()
    assert not _stems(title) & _stems(heading), (title, heading)
    assert "Где находится склад?" in page.inner_text("main .messages-list")
