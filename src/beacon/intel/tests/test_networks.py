"""Networks table (filters, sorting, one query per page), network page (highlights, contacts, movement), CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beacon.audit.models import AuditAction, AuditEntry
from beacon.intel import highlight, selectors, services
from beacon.intel.models import AnalysisRun, Network, Post
from beacon.intel.tests.conftest import SHARED_PHONE, write_posts
from beacon.reference.models import County


def _network_with(phone_or_email_post: str) -> Network:
    return Network.objects.get(posts__source_post_id=phone_or_email_post)


@pytest.mark.django_db
def test_analysis_finds_the_phone_and_email_networks(loaded):
    cs = _network_with("cs1")
    assert sorted(cs.posts.values_list("source_post_id", flat=True)) == ["cs1", "cs2", "cs3"]
    assert cs.family_list == ["commercial-sex"]
    assert list(cs.contacts.values_list("kind", "value")) == [("phone", "+13125550101")]
    assert [v["city"] for v in cs.movement] == ["Chicago", "Rockford", "Springfield"]
    lr = _network_with("lr1")
    assert lr.family_list == ["labour-recruitment"] and lr.email_count == 1
    assert not Network.objects.filter(posts__source_post_id="org1").exists()


@pytest.mark.django_db
def test_a_new_analysis_replaces_the_previous_network_set_keeping_their_ids(loaded, people):
    old = set(Network.objects.values_list("public_id", flat=True))
    previous = set(Network.objects.values_list("pk", flat=True))
    run = services.run_analysis(people["analyst"])
    assert AnalysisRun.objects.get() == run
    assert set(Network.objects.filter(run=run).values_list("public_id", flat=True)) == old
    assert not Network.objects.filter(pk__in=previous).exists()  # the rows are new, the ids stay


@pytest.mark.django_db
def test_filters_by_family_county_and_dates(loaded, people):
    analyst = people["analyst"]

    def ids(**kw):
        return {n.public_id for n in selectors.network_page(analyst, selectors.NetworkFilters(**kw)).items}

    cs, lr = _network_with("cs1").public_id, _network_with("lr1").public_id
    assert ids(family="commercial-sex") == {cs}
    assert ids(family="labour-recruitment") == {lr}
    assert ids(county="17201") == {cs}  # Winnebago (Rockford)
    assert ids(county="17197") == {lr}  # Will (Joliet)
    assert ids(date_from=date(2024, 4, 10)) == {lr}
    assert ids(date_to=date(2024, 3, 31)) == {cs}
    assert ids(date_from=date(2025, 1, 1)) == set()


@pytest.mark.django_db
def test_sorting(loaded, people):
    page = selectors.network_page(people["analyst"], selectors.NetworkFilters(sort="size"))
    assert [n.size for n in page.items] == sorted((n.size for n in page.items), reverse=True)
    page = selectors.network_page(people["analyst"], selectors.NetworkFilters(sort="span"))
    assert [n.span_days for n in page.items] == sorted((n.span_days for n in page.items), reverse=True)


def _fake_networks(run: AnalysisRun, n: int, start: int = 0) -> None:
    Network.objects.bulk_create(
        [
            Network(
                run=run,
                rank=start + i + 1,
                score=100 - i,
                size=2 + i,
                first_seen=date(2024, 1, 1),
                last_seen=date(2024, 2, 1),
                span_days=31,
                cities=["Chicago, IL"],
                family_key="|commercial-sex|",
                county_key="|17031|",
                flag_counts={"cs_24_7": 2},
            )
            for i in range(n)
        ]
    )


@pytest.mark.django_db
def test_one_query_per_page_of_networks(people, django_assert_num_queries):
    run = AnalysisRun.objects.create(finished_at="2024-06-01T00:00:00Z")
    _fake_networks(run, 60)
    with django_assert_num_queries(1):
        page = selectors.network_page(people["analyst"], selectors.NetworkFilters(family="commercial-sex", page=2))
        assert len(page.items) == selectors.PAGE_SIZE and page.has_next


@pytest.mark.django_db
def test_networks_page_query_count_does_not_grow_with_rows(people, staff_client):
    County.objects.create(fips="17031", name="Cook County")
    run = AnalysisRun.objects.create(finished_at="2024-06-01T00:00:00Z")
    client = staff_client(people["analyst"])
    _fake_networks(run, 2)
    client.get(reverse("intel:networks"))  # warm caches (flag rules, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("intel:networks")).status_code == 200
    _fake_networks(run, 40, start=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("intel:networks") + "?sort=size&family=commercial-sex&county=17031")
    assert response.status_code == 200 and response.content.decode().count("/staff/intel/networks/") == 25
    assert len(many) == len(few)
    network_queries = [q for q in many.captured_queries if 'FROM "intel_network"' in q["sql"]]
    assert len(network_queries) == 1


@pytest.mark.django_db
def test_bad_filters_keep_the_form_and_show_a_message(loaded, people, staff_client):
    client = staff_client(people["analyst"])
    response = client.get(reverse("intel:networks"), {"date_from": "2024-05-01", "date_to": "2024-01-01"})
    assert response.status_code == 200
    assert "must be on or before" in response.content.decode()
    api = client.get("/api/v1/intel/networks", {"sort": "nonsense"})
    assert api.status_code == 422 and "sort must be one of" in api.json()["detail"]


def test_highlight_segments_merge_overlaps_and_keep_text():
    text = "New in town for a short stay"
    flags = [
        {"flag": "a", "matches": [{"text": "New in town", "span": [0, 11]}, {"text": "in town for", "span": [4, 15]}]},
        {"flag": "b", "matches": [{"text": "short stay", "span": [18, 28]}]},
    ]
    segs = highlight.segments(text, flags)
    assert "".join(s.text for s in segs) == text
    assert [(s.text, s.flags) for s in segs if s.marked] == [("New in town for", ("a",)), ("short stay", ("b",))]


@pytest.mark.django_db
def test_network_page_marks_flag_words_and_escapes_everything_else(loaded, people, staff_client):
    network = _network_with("cs1")
    client = staff_client(people["analyst"])
    html = client.get(reverse("intel:network", args=[network.public_id])).content.decode()
    assert '<mark title="cs_new_in_town">New in town</mark>' in html
    assert '<mark title="cs_24_7">24/7</mark>' in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "+13125550101" in html  # contacts
    assert "Rockford, IL" in html  # movement
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=network.public_id).exists()


@pytest.mark.django_db
def test_csv_export_is_streamed_neutralised_and_audited(loaded, people, staff_client):
    post = Post.objects.get(source_post_id="cs1")
    Post.objects.filter(pk=post.pk).update(title='=HYPERLINK("http://evil")', location="+1 Chicago")
    network = _network_with("cs1")
    client = staff_client(people["investigator"])
    response = client.get(reverse("intel:network_export", args=[network.public_id]))
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["network", "rank", "source", "post_id"]
    assert len(rows) == 1 + network.size
    row = next(r for r in rows if r[3] == "cs1")
    assert row[9] == '\'=HYPERLINK("http://evil")' and row[6] == "'+1 Chicago"
    assert "cs_new_in_town: New in town, just arrived" in row[15]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.object_id == network.public_id and entry.actor_id == people["investigator"].pk


@pytest.mark.django_db
def test_post_search_by_text_phone_email_and_flag(loaded, people, staff_client):
    analyst = people["analyst"]

    def found(**kw):
        return {p.source_post_id for p in selectors.search_posts(analyst, selectors.PostFilters(**kw)).items}

    assert found(q="library") == {"org1"}
    assert found(phone="312.555.0101") == {"cs1", "cs2", "cs3"}
    assert found(email="JOBS.recruit@example.com") == {"lr1", "lr2"}
    assert found(flag="cs_incall_only") == {"cs1", "cs2"}
    client = staff_client(analyst)
    html = client.get(reverse("intel:posts"), {"phone": "not a phone"}).content.decode()
    assert "does not look like a phone number" in html and 'value="not a phone"' in html
    api = client.get("/api/v1/intel/posts", {"flag": "lr_visa_promise"}).json()
    assert {p["source_post_id"] for p in api["items"]} == {"lr1", "lr2"}
    assert client.get("/api/v1/intel/posts", {"flag": "nope"}).status_code == 422


@pytest.mark.django_db
def test_api_network_detail(loaded, people, staff_client):
    network = _network_with("lr1")
    client = staff_client(people["analyst"])
    body = client.get(f"/api/v1/intel/networks/{network.public_id}").json()
    assert body["families"] == ["labour-recruitment"] and len(body["posts"]) == 2
    assert body["contacts"][0]["value"] == "jobs.recruit@example.com"
    assert client.get("/api/v1/intel/networks/NOPE").status_code == 404


@pytest.mark.django_db
def test_openapi_documents_the_intel_routes(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/intel/imports",
        "/api/v1/intel/imports/{public_id}",
        "/api/v1/intel/networks",
        "/api/v1/intel/networks/{public_id}",
        "/api/v1/intel/posts",
    } <= paths


@pytest.mark.django_db
def test_network_days_are_the_days_the_pages_show(tmp_path, people, settings):
    """A post made at 03:24 UTC on 1 June was made on 31 May in Illinois, where the pages show it."""
    settings.TIME_ZONE = "America/Chicago"
    rows = [
        _post_row("early", "2024-06-01T03:24:00Z"),
        _post_row("later", "2024-06-03T15:00:00Z"),
    ]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "june.jsonl", rows, bad=False))
    services.run_analysis(people["analyst"])
    network = _network_with("early")
    assert (network.first_seen, network.last_seen) == (date(2024, 5, 31), date(2024, 6, 3))


def _post_row(pid: str, posted: str) -> dict:
    body = f"New in town, incall only, 24/7. Call {SHARED_PHONE}."
    return {"id": pid, "source": "board-a", "posted_at": posted, "title": "Just arrived", "body": body}


@pytest.mark.django_db
def test_networks_table_counts_contacts_in_words_that_agree(loaded, people, staff_client):
    page = staff_client(people["analyst"]).get(reverse("intel:networks")).content.decode()
    assert "1 phone, 0 e-mails, 0 handles" in page  # the phone network
    assert "0 phones, 1 e-mail, 0 handles" in page  # the e-mail network


@pytest.mark.django_db
def test_signals_of_both_families_do_not_tag_a_job_scam_network_as_commercial_sex(people, tmp_path):
    from beacon.intel.tests.conftest import _post, write_posts

    rows = [
        _post(
            f"j{i}",
            "Farm work",
            f"No experience needed, start immediately. Placement fee $200. Call 3l2 555 OlO{i % 2} or 312 555 0188.",
            city,
            f"2024-05-0{i + 1}T09:00:00Z",
            source="jobs-c",
        )
        for i, city in enumerate(
            ["Aurora, IL", "Joliet, IL", "Elgin, IL", "Peoria, IL", "Rockford, IL", "Naperville, IL"]
        )
    ]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "jobs.jsonl", rows, bad=False))
    services.run_analysis(people["analyst"])
    network = Network.objects.get(posts__source_post_id="j0")
    assert "cs_obscured_phone" in network.flag_counts  # still counted ...
    assert {f["flag"] for f in network.network_flags} & {"cs_shared_phone", "cs_many_cities"}
    assert network.family_list == ["labour-recruitment"]  # ... but no commercial-sex tag
