"""Only investigators and analysts see intel pages and API; every other role and anonymous are refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beacon.accounts.models import ApiToken
from beacon.intel import selectors
from beacon.intel.models import Network

REFUSED = ["caseworker", "supervisor", "hotline", "agency_admin", "system_admin"]
ALLOWED = ["analyst", "investigator"]


def _pages(network: Network) -> list[str]:
    post = network.posts.first()
    return [
        reverse("intel:networks"),
        reverse("intel:network", args=[network.public_id]),
        reverse("intel:network_export", args=[network.public_id]),
        reverse("intel:posts"),
        reverse("intel:post", args=[post.public_id]),
        reverse("intel:imports"),
    ]


def _bearer(user) -> dict[str, str]:
    _, raw = ApiToken.issue(user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403_on_every_page(role, people, loaded, staff_client):
    client = staff_client(people[role])
    network = Network.objects.first()
    for url in _pages(network):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("intel:analyse")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALLOWED)
def test_analysts_and_investigators_see_every_page(role, people, loaded, staff_client):
    client = staff_client(people[role])
    network = Network.objects.first()
    for url in _pages(network):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(loaded):
    network = Network.objects.first()
    for url in _pages(network):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


@pytest.mark.django_db
@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403_json_from_the_api(role, people, loaded, staff_client):
    client = staff_client(people[role])
    network = Network.objects.first()
    for url in ["/api/v1/intel/networks", f"/api/v1/intel/networks/{network.public_id}", "/api/v1/intel/posts"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "detail" in response.json()


@pytest.mark.django_db
def test_bearer_token_of_a_caseworker_is_refused_and_of_an_analyst_accepted(people, loaded):
    client = Client()
    assert client.get("/api/v1/intel/networks", **_bearer(people["caseworker"])).status_code == 403
    response = client.get("/api/v1/intel/networks", **_bearer(people["analyst"]))
    assert response.status_code == 200 and len(response.json()["items"]) == Network.objects.count()


@pytest.mark.django_db
def test_api_without_credentials_is_401(loaded):
    response = Client().get("/api/v1/intel/networks")
    assert response.status_code == 401 and "detail" in response.json()


@pytest.mark.django_db
def test_selectors_return_nothing_to_roles_without_intel(people, loaded):
    assert selectors.visible_networks(people["caseworker"]).count() == 0
    assert selectors.visible_networks(people["analyst"]).count() == Network.objects.count()


@pytest.mark.django_db
def test_navigation_shows_intel_only_to_allowed_roles(people):
    from beacon.web.navigation import items_for

    def labels(user):
        return {i["url"] for i in items_for(user)}

    assert reverse("intel:networks") in labels(people["analyst"])
    assert reverse("intel:networks") in labels(people["investigator"])
    assert reverse("intel:networks") not in labels(people["caseworker"])
    assert reverse("intel:networks") not in labels(people["supervisor"])
