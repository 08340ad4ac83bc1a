from datetime import UTC, datetime
from types import SimpleNamespace

from django.test import override_settings

from beacon.intel.selectors import timeline


@override_settings(TIME_ZONE="America/Chicago")
def test_posts_are_counted_in_the_month_the_page_shows():
    posts = [
        SimpleNamespace(posted_at=datetime(2024, 6, 1, 3, 24, tzinfo=UTC)),  # 31 May, 22:24 in Chicago
        SimpleNamespace(posted_at=datetime(2024, 5, 20, 12, 0, tzinfo=UTC)),
        SimpleNamespace(posted_at=datetime(2024, 6, 2, 12, 0, tzinfo=UTC)),
        SimpleNamespace(posted_at=None),
    ]
    assert [(row["month"], row["posts"]) for row in timeline(posts)] == [("2024-05", 2), ("2024-06", 1)]
