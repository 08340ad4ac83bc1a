"""An analyst imports a spreadsheet export whose columns have other names: the preview pre-selects
what it recognises, shows the first rows and their problems, a changed mapping and time zone are
previewed again, and only "Load the file" stores posts."""

from __future__ import annotations

import os
import re

import pytest

from beacon.accounts.models import User
from beacon.accounts.roles import Role
from beacon.intel.models import ImportJob, JobStatus, Post
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("BEACON_SHOTS", "")
EXPORT = (
    "Post ID,Wording,Posted,Cell,Notes\n"
    "x1,Warehouse work in Joliet. Call 312 555 0147,2024-03-01 10:00,,a\n"
    "x2,Cleaning jobs. Room and meals deducted from pay,2024-03-02 08:15,773 555 0142,b\n"
    "x3,,2024-03-03 09:00,,c\n"
)


def _shot(page, name: str) -> None:
    if SHOTS:
        for w, h in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=f"{SHOTS}/{name}-{w}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


def test_import_with_a_column_mapping_and_a_preview(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    analyst = User.objects.create_user(username="robin", password="correct horse battery", role=Role.ANALYST)
    sign_in(page.context, live_server, analyst)
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")

    page.goto("/staff/intel/imports/")
    page.get_by_label("Posts file").set_input_files(str(path))
    page.get_by_label("Source name").fill("sheet")
    page.get_by_label("Analyse all posts when the import finishes").uncheck()
    page.get_by_role("button", name="Upload and check the columns").click()
    page.wait_for_url(re.compile(r".*/imports/\w+/preview$"))

    # recognised: "Post ID" as the id, "Posted" as the date, "Cell" as a contact; "Wording" is not
    assert page.get_by_label("Post id column").input_value() == "Post ID"
    assert page.get_by_label("Date column").input_value() == "Posted"
    assert page.get_by_label("Text column").input_value() == ""
    rows = page.locator("#preview-rows tbody tr")
    assert rows.count() == 3
    assert "neither title nor body" in rows.nth(0).inner_text()  # no text column chosen yet
    _shot(page, "import-preview-before")

    page.get_by_label("Text column").select_option("Wording")
    page.get_by_label("Time zone of the dates").select_option("America/New_York")
    page.get_by_role("button", name="Apply and preview again").click()
    page.wait_for_url(re.compile(r".*/imports/\w+/preview$"))
    rows = page.locator("#preview-rows tbody tr")
    first = rows.nth(0).inner_text()
    assert "x1" in first and "2024-03-01 09:00 CST" in first and "+13125550147" in first  # 10:00 in New York
    assert "+17735550142" in rows.nth(1).inner_text()
    assert "Not loaded: post has neither title nor body" in rows.nth(2).inner_text()
    assert page.locator("#columns-read").get_by_text("Notes").is_visible()  # listed as not read
    assert not Post.objects.exists()
    _shot(page, "import-preview-after")

    page.get_by_role("button", name="Load the file").click()
    page.wait_for_url(re.compile(r".*/imports/\w+/$"))
    page.locator("#import-progress").get_by_text("Finished").wait_for()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE and (job.posts_created, job.error_count) == (2, 1)
    assert sorted(Post.objects.values_list("source", "source_post_id")) == [("sheet", "x1"), ("sheet", "x2")]
    _shot(page, "import-done")
