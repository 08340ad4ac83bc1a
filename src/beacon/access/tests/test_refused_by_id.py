"""A look-up by id of a real record outside the user's scope is "not found" to the user and a refusal
in the audit, for every resource looked up by id (directory entries, intel networks, posts and
imports; cases, tips, screenings and referrals have their own tests)."""

from __future__ import annotations

import pytest
from django.http import Http404

from beacon.access import policy
from beacon.access.policy import Action, RecordRefused, get_in_scope
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.directory import selectors as directory
from beacon.directory.models import Provider
from beacon.intel import selectors as intel
from beacon.intel.models import ImportJob, Post

pytestmark = pytest.mark.django_db


def test_get_in_scope_tells_missing_from_refused(agency, make_user):
    post = Post.objects.create(source="fixture", source_post_id="1", body="ad")
    analyst, caseworker = make_user(Role.ANALYST, None), make_user(Role.CASEWORKER, agency)
    assert get_in_scope(analyst, Action.VIEW, "intel", Post.objects.all(), public_id=post.public_id) == post
    assert get_in_scope(caseworker, Action.VIEW, "intel", Post.objects.all(), public_id="NOSUCH") is None
    with pytest.raises(RecordRefused) as refused:
        get_in_scope(caseworker, Action.VIEW, "intel", Post.objects.all(), public_id=post.public_id)
    assert refused.value.record == post and refused.value.action == "view"


def test_intel_records_by_id_are_refused_outside_the_grant(agency, make_user):
    caseworker = make_user(Role.CASEWORKER, agency)
    post = Post.objects.create(source="fixture", source_post_id="1", body="ad")
    job = ImportJob.objects.create(file_name="posts.csv", stored_path="x")
    with pytest.raises(RecordRefused):
        intel.get_post(caseworker, post.public_id)
    with pytest.raises(RecordRefused):
        intel.get_job(caseworker, job.public_id)
    assert intel.get_post(caseworker, "NOSUCH") is None
    assert intel.get_post(make_user(Role.INVESTIGATOR, agency), post.public_id) == post


def test_a_directory_entry_refused_by_id_is_audited_by_the_page(agency, make_user, staff_client):
    provider = Provider.objects.create(name="Fictional shelter", agency=agency)
    user = make_user(Role.CASEWORKER, agency)
    assert directory.get_provider(user, provider.public_id) == provider
    user.is_active = False  # a suspended account keeps its session until the next request
    with pytest.raises(RecordRefused):
        directory.get_provider(user, provider.public_id)
    with pytest.raises(Http404):
        directory.get_provider(user, "NOSUCH")


def test_refusals_by_id_reach_the_audit_through_the_guard(agency, make_user, staff_client, monkeypatch):
    """The staff guard writes a RecordRefused from these selectors like a case's: who, which record."""
    provider = Provider.objects.create(name="Fictional shelter", agency=agency)
    user = make_user(Role.CASEWORKER, agency)
    real = policy.scope_queryset

    def narrower(u, action, resource, qs):  # a policy in which this provider is outside the user's scope
        scoped = real(u, action, resource, qs)
        return scoped.exclude(pk=provider.pk) if qs.model is Provider else scoped

    monkeypatch.setattr(policy, "scope_queryset", narrower)
    response = staff_client(user).get(f"/staff/directory/{provider.public_id}/")
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="denied", actor_id=user.pk)
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "directory.provider",
        provider.public_id,
        "view provider",
    )
