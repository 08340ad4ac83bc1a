"""Online post intelligence in Chromium: an analyst imports a generated corpus, runs the analysis,
sorts and filters the networks, reads a network with its marked flag words, exports it as CSV and
searches posts; a caseworker is refused and has no intel links."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.db.models import Q

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.intel import selectors
from beacon.intel.core import generate_corpus
from beacon.intel.models import AnalysisRun, ImportJob, JobStatus, Network, Post
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = 400
SEED = 7  # 7 networks: some labour recruitment only, some commercial sex only, some both
BAD_LINE = "{not json"


def _watch_requests(page, seen: list[str], violations: list[str]) -> None:
    # The strict CSP blocks a third-party load before it is requested: it shows as a console message.
    page.on("request", lambda request: seen.append(request.url))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)


def _column(page, n: int) -> list[str]:
    return [t.strip() for t in page.locator(f"table tbody tr td:nth-child({n})").all_inner_texts()]


def _latest_networks():
    return Network.objects.filter(run=AnalysisRun.objects.get())


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "posts.jsonl"
    generate_corpus(POSTS, SEED, path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(BAD_LINE + "\n")  # one broken row, reported with its line number
    return path


@pytest.fixture
def analyst_page(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    analyst = User.objects.create_user(username="robin", password="correct horse battery", role=Role.ANALYST)
    sign_in(page.context, live_server, analyst)
    return page


def test_intel_journey(analyst_page, browser, live_server, corpus):
    page = analyst_page
    seen: list[str] = []
    violations: list[str] = []
    _watch_requests(page, seen, violations)

    # Import: upload the file without analysing afterwards; the import runs as a task.
    page.goto("/staff/")
    nav = page.get_by_role("navigation", name="Main")
    for label in ("Networks", "Post search", "Post imports"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    nav.get_by_role("link", name="Post imports").click()
    assert page.get_by_role("heading", name="Import online posts").is_visible()
    page.get_by_label("Posts file").set_input_files(str(corpus))
    page.get_by_label("Analyse all posts when the import finishes").uncheck()
    page.get_by_role("button", name="Upload and check the columns").click()
    page.wait_for_url(re.compile(r".*/staff/intel/imports/\w+/preview$"))
    assert page.get_by_label("Post id column").input_value() == "id"
    assert not Post.objects.exists()  # nothing loaded before the preview is checked
    page.get_by_role("button", name="Load the file").click()
    page.wait_for_url(re.compile(r".*/staff/intel/imports/\w+/$"))
    assert page.get_by_text("Columns saved. The import runs in the background.").is_visible()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE
    assert job.posts_created == POSTS == Post.objects.count() and job.error_count == 1
    progress = page.locator("#import-progress")
    progress.get_by_text("Finished").wait_for()
    assert progress.get_attribute("hx-get") is None  # finished: no more polling
    assert progress.locator("progress").get_attribute("value") == "100"
    lines = POSTS + 1
    counts = progress.inner_text()
    assert f"{lines} of {lines} lines read · {POSTS} new posts · 0 already stored · 1 bad row" in counts
    assert "1 bad rows" not in counts  # the count is pluralised
    bad = progress.get_by_role("table", name="Rows that could not be used").locator("tbody tr")
    assert bad.count() == 1 and bad.locator("td").first.inner_text() == str(lines)

    # Nothing analysed yet; the analyse action fills the networks table.
    page.get_by_role("link", name="Networks", exact=True).last.click()
    assert page.get_by_text("No analysis has run yet: import posts first.").is_visible()
    assert page.get_by_text("No networks match.").is_visible()
    page.get_by_role("link", name="Import posts").click()
    page.get_by_role("button", name="Analyse all stored posts now").click()
    page.wait_for_url("**/staff/intel/")
    assert page.get_by_text("Analysis started.").is_visible()
    run = AnalysisRun.objects.get()
    total = run.network_count
    assert total == _latest_networks().count() >= 2
    assert page.get_by_text(f"{total} networks from {POSTS} posts, analysed").is_visible()
    by_score = list(_latest_networks().order_by("-score", "rank").values_list("public_id", flat=True))
    assert _column(page, 2) == by_score
    assert _column(page, 1) == [
        str(r) for r in _latest_networks().order_by("-score", "rank").values_list("rank", flat=True)
    ]

    page.get_by_label("Sort by").select_option("size")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**sort=size**")
    by_size = list(_latest_networks().order_by("-size", "rank").values_list("public_id", flat=True))
    assert by_size != by_score  # the corpus makes sorting visible
    assert _column(page, 2) == by_size
    sizes = [int(s) for s in _column(page, 4)]
    assert sizes == sorted(sizes, reverse=True)

    for family in ("labour-recruitment", "commercial-sex"):
        page.get_by_label("Flag family").select_option(family)
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(f"**family={family}**")
        expected = list(
            _latest_networks()
            .filter(family_key__contains=f"|{family}|")
            .order_by("-size", "rank")
            .values_list("public_id", flat=True)
        )
        assert 0 < len(expected) < total
        assert _column(page, 2) == expected
        for cell in page.locator("table tbody tr td:nth-child(8)").all():
            assert family in cell.locator(".badge").all_inner_texts()
        assert page.get_by_label("Flag family").input_value() == family

    # The top-ranked network: flag words marked in its posts, contacts, movement, timeline.
    page.goto("/staff/intel/")
    top = _latest_networks().get(rank=1)
    page.get_by_role("link", name=top.public_id, exact=True).click()
    page.wait_for_url(f"**/networks/{top.public_id}/")
    assert page.get_by_role("heading", name=f"Network {top.public_id} (rank 1)", level=1).is_visible()
    flag_rows = page.get_by_role("table", name="Post flags in this network").locator("tbody tr")
    assert flag_rows.count() == len(top.flag_counts) > 0
    assert set(flag_rows.locator("td:first-child").all_inner_texts()) == set(top.flag_counts)

    posts = list(selectors.network_posts(top, limit=500))
    articles = page.locator("article.intel-post")
    assert articles.count() == len(posts) == top.size
    marked = 0
    for article, post in zip(articles.all(), posts, strict=True):
        assert article.get_by_role("link").inner_text() == f"{post.source} / {post.source_post_id}"
        evidence = {_words(m["text"]) for hit in post.flags for m in hit["matches"]}
        fired = {hit["flag"] for hit in post.flags}
        assert fired <= set(top.flag_counts)
        marks = article.locator(".post-text mark").all()
        assert bool(marks) == bool(evidence)
        for mark in marks:
            text = _words(mark.inner_text())
            # overlapping matches merge into one mark, which then holds each of their words
            assert any(word in text for word in evidence)
            assert set(mark.get_attribute("title").split(", ")) <= fired
        marked += len(marks)
    assert marked > 0

    contacts = selectors.network_contacts(top)
    contact_rows = page.get_by_role("table", name="Contact points joining the posts").locator("tbody tr")
    assert contact_rows.count() == max(1, len(contacts))
    shown = [t.strip() for t in contact_rows.locator("td:nth-child(2)").all_inner_texts()]
    assert shown == [c["value"] for c in contacts]
    movement = page.locator("h2:text-is('Movement across places') + ol > li")
    assert movement.count() == max(1, len(top.movement))
    if top.movement:
        first = top.movement[0]
        assert movement.first.inner_text().startswith(f"{first['city']}, {first['state']}")
    months = selectors.timeline(posts)
    month_rows = page.get_by_role("table", name="Posts per month").locator("tbody tr")
    assert [t.strip() for t in month_rows.locator("td:first-child").all_inner_texts()] == [m["month"] for m in months]
    assert sum(int(t) for t in month_rows.locator("td:nth-child(2)").all_inner_texts()) == sum(
        1 for p in posts if p.posted_at
    )

    # CSV export of the network: one row per post, the same posts.
    with page.expect_download() as info:
        page.get_by_role("link", name="Export posts as CSV").click()
    download = info.value
    assert download.suggested_filename == f"network-{top.public_id}.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert len(rows) == top.size
    assert {r["network"] for r in rows} == {top.public_id}
    assert {(r["source"], r["post_id"]) for r in rows} == {(p.source, p.source_post_id) for p in posts}
    by_id = {p.source_post_id: p for p in posts}
    for r in rows:
        assert r["body"] in (by_id[r["post_id"]].body, "'" + by_id[r["post_id"]].body)

    # Post search by a word of one post's text: the rarest plain word in the corpus.
    post = posts[0]
    candidates = set(re.findall(r"[A-Za-z]{6,}", post.body))
    counts = {w: Post.objects.filter(Q(title__icontains=w) | Q(body__icontains=w)).count() for w in sorted(candidates)}
    word = min(counts, key=lambda w: (counts[w], w))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Post search").click()
    page.get_by_label("Text contains").fill(word)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(f"**q={word}**")
    results = page.locator("table tbody tr")
    assert results.count() == min(selectors.PAGE_SIZE, counts[word])
    assert counts[word] <= selectors.PAGE_SIZE  # so the post is on the first page
    results.get_by_role("link", name=f"{post.source} / {post.source_post_id}", exact=True).click()
    assert page.get_by_role("heading", name=f"{post.source} / {post.source_post_id}", level=1).is_visible()
    assert word.lower() in page.locator("article .post-text").inner_text().lower()

    # A caseworker signed in the same way: refused, and no intel links in the navigation.
    other = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        agency = Agency.objects.create(name="Lakeside Services", type=AgencyType.NGO)
        caseworker = User.objects.create_user(
            username="casey", password="correct horse battery", role=Role.CASEWORKER, agency=agency
        )
        sign_in(other, live_server, caseworker)
        refused = other.new_page()
        refused.set_default_timeout(15000)
        _watch_requests(refused, seen, violations)
        response = refused.goto("/staff/intel/")
        assert response.status == 403
        assert "You are not allowed to do this" in refused.locator("h1").inner_text()  # the styled refusal page
        assert top.public_id not in refused.content()
        assert refused.goto(f"/staff/intel/networks/{top.public_id}/export.csv").status == 403
        refused.goto("/staff/")
        nav = refused.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Home").wait_for()
        links = nav.get_by_role("link").all_inner_texts()
        assert not {"Networks", "Post search", "Post imports"} & set(links)
        assert nav.locator("a[href^='/staff/intel/']").count() == 0
    finally:
        other.close()

    # Everything came from the live server.
    origin = urlsplit(live_server.url).netloc
    assert seen
    assert [u for u in seen if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != origin] == []
    assert violations == []
