"""A network keeps its id across analyses while most of its posts stay; merged and split ids redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beacon.intel import services
from beacon.intel.models import Network, NetworkAlias, NetworkEvent
from beacon.intel.tests.conftest import POSTS, SHARED_EMAIL, SHARED_PHONE, _post, write_posts


def _id_of(post_id: str) -> str:
    return Network.objects.get(posts__source_post_id=post_id).public_id


@pytest.mark.django_db
def test_networks_keep_their_ids_when_analysed_again_and_when_they_grow(loaded, people, tmp_path):
    before = {_id_of("cs1"), _id_of("lr1")}
    services.run_analysis(people["analyst"])
    assert {_id_of("cs1"), _id_of("lr1")} == before
    more = [
        _post("cs4", "Back again", f"Just arrived, incall, call {SHARED_PHONE}", "Joliet, IL", "2024-03-20T10:00:00Z")
    ]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "more.jsonl", more, bad=False))
    services.run_analysis(people["analyst"])
    assert _id_of("cs4") == _id_of("cs1") and {_id_of("cs1"), _id_of("lr1")} == before
    assert NetworkEvent.objects.filter(kind=NetworkEvent.Kind.CREATED).count() == 2  # once each, at first


@pytest.mark.django_db
def test_a_merge_keeps_the_larger_network_id_and_the_old_url_redirects(loaded, people, tmp_path, staff_client):
    cs, lr = _id_of("cs1"), _id_of("lr1")
    bridge = [
        _post("x1", "Both", f"Call {SHARED_PHONE} or write {SHARED_EMAIL}", "Chicago, IL", "2024-06-01T10:00:00Z")
    ]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "bridge.jsonl", bridge, bad=False))
    services.run_analysis(people["analyst"])
    assert _id_of("cs1") == _id_of("lr1") == _id_of("x1") == cs  # 3 posts of cs against 2 of lr
    alias = NetworkAlias.objects.get(old_id=lr)
    assert (alias.network_id, alias.kind) == (cs, NetworkAlias.Kind.MERGED)
    client = staff_client(people["analyst"])
    response = client.get(reverse("intel:network", args=[lr]), follow=True)
    assert response.redirect_chain == [(reverse("intel:network", args=[cs]), 302)]
    html = response.content.decode()
    assert f"Network {lr} is now part of network {cs}" in html
    assert "Formerly:" in html and lr in html.split('id="network-formerly"')[1].split("</p>")[0]
    assert "took in network" in html
    # the export link of the old id keeps working too
    assert client.get(reverse("intel:network_export", args=[lr]))["Location"] == reverse(
        "intel:network_export", args=[cs]
    )
    # roles without intel learn nothing from an old id
    assert staff_client(people["caseworker"]).get(reverse("intel:network", args=[lr])).status_code == 403


@pytest.mark.django_db
def test_an_old_id_follows_its_network_through_a_later_merge(loaded, people, tmp_path):
    big_phone = "(217) 555-0188"
    big = [
        _post(f"z{i}", "Help wanted", f"Cleaning crew, call {big_phone}", "Peoria, IL", f"2024-02-0{i + 1}T10:00:00Z")
        for i in range(7)
    ]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "big.jsonl", big, bad=False))
    services.run_analysis(people["analyst"])
    cs, lr, z = _id_of("cs1"), _id_of("lr1"), _id_of("z0")
    one = [_post("b1", "Both", f"Call {SHARED_PHONE} or write {SHARED_EMAIL}", "Chicago, IL", "2024-06-01T10:00:00Z")]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "b1.jsonl", one, bad=False))
    services.run_analysis(people["analyst"])
    assert NetworkAlias.objects.get(old_id=lr).network_id == cs
    two = [_post("b2", "Both", f"Call {SHARED_PHONE} or {big_phone}", "Chicago, IL", "2024-06-02T10:00:00Z")]
    services.ingest_path(people["analyst"], write_posts(tmp_path / "b2.jsonl", two, bad=False))
    services.run_analysis(people["analyst"])
    assert _id_of("cs1") == _id_of("z0") == z  # 7 posts of z against 6 of cs
    assert dict(NetworkAlias.objects.values_list("old_id", "network_id")) == {lr: z, cs: z}


@pytest.mark.django_db
def test_unknown_ids_are_still_404(loaded, people, staff_client):
    assert staff_client(people["analyst"]).get(reverse("intel:network", args=["NOPE000000"])).status_code == 404
    assert len(POSTS) == 6
