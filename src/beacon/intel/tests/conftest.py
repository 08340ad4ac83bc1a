"""Fixtures for intel: staff of every role, a small posts file with known networks, a loaded corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beacon.accounts.roles import Role

SHARED_PHONE = "(312) 555-0101"
SHARED_EMAIL = "jobs.recruit@example.com"


def _post(pid: str, title: str, body: str, location: str, posted: str, source: str = "board-a", **extra) -> dict:
    return {
        "id": pid,
        "source": source,
        "url": f"https://{source}.example/{pid}",
        "posted_at": posted,
        "title": title,
        "body": body,
        "location": location,
        **extra,
    }


POSTS = [
    _post(
        "cs1",
        "New in town",
        f"Sweet girl just arrived, incall only, 24/7. Call {SHARED_PHONE}. Roses 200.",
        "Chicago, IL",
        "2024-03-01T10:00:00Z",
    ),
    _post(
        "cs2",
        "Just arrived",
        f"New in town for a short stay. Incall only, discreet. Text {SHARED_PHONE}.",
        "Rockford, IL",
        "2024-03-05T10:00:00Z",
    ),
    _post(
        "cs3",
        "Visiting",
        "Visiting this week only, 24/7 incall. Call 312 555 0101 <script>x</script>.",
        "Springfield, IL",
        "2024-03-09T10:00:00Z",
    ),
    _post(
        "lr1",
        "Farm work, no experience",
        f"No experience needed, start immediately. Visa provided. Placement fee $500. Email {SHARED_EMAIL}",
        "Aurora, IL",
        "2024-04-01T09:00:00Z",
        source="jobs-b",
    ),
    _post(
        "lr2",
        "Warehouse help",
        f"Start immediately, no experience. We arrange visa and papers. Contact {SHARED_EMAIL}",
        "Joliet, IL",
        "2024-04-20T09:00:00Z",
        source="jobs-b",
    ),
    _post(
        "org1",
        "Library volunteer",
        "The public library looks for volunteers on Saturdays. Apply at the desk.",
        "Peoria, IL",
        "2024-05-01T09:00:00Z",
        source="jobs-b",
    ),
]


def write_posts(path: Path, rows: list[dict], bad: bool = True) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps(row) + "\n")
            if bad and i == 1:
                fh.write("{not json\n")  # line 3
        if bad:
            fh.write(json.dumps({"source": "board-a", "title": "no id", "body": "x"}) + "\n")  # line 8
    return path


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def posts_file(tmp_path) -> Path:
    return write_posts(tmp_path / "posts.jsonl", POSTS)


@pytest.fixture
def people(make_user, agency, police_agency) -> dict:
    return {
        "analyst": make_user(Role.ANALYST, None),
        "investigator": make_user(Role.INVESTIGATOR, police_agency),
        "caseworker": make_user(Role.CASEWORKER, agency),
        "supervisor": make_user(Role.SUPERVISOR, agency),
        "hotline": make_user(Role.HOTLINE, agency),
        "agency_admin": make_user(Role.AGENCY_ADMIN, agency),
        "system_admin": make_user(Role.SYSTEM_ADMIN, None),
    }


@pytest.fixture
def loaded(db, posts_file, people):
    """The small corpus ingested and analysed; returns the latest run."""
    from beacon.intel import services

    services.ingest_path(people["analyst"], posts_file)
    return services.run_analysis(people["analyst"])
