"""Triage that ranks what matters: explainable urgency, follow-ups that re-score and notify, and a
queue with search, filters and claims that the access policy scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from beacon.accounts.roles import Role
from beacon.cases.models import Notification
from beacon.demo.seeding import SeedContext
from beacon.reference.loader import load_reference_data
from beacon.tips import selectors, services, urgency
from beacon.tips.demo import seed_tips
from beacon.tips.models import Tip

# The tip: 7 workers, passports held, a $4,000 debt, locked in, in the last 24 hours, 7 of 10
# signs, "someone is in danger right now" not ticked.
REALISTIC = dict(
    language="es",
    narrative="Somos siete trabajadores. El supervisor guarda nuestros pasaportes, dice que le debemos 4.000 "
    "dólares y nos encierra por la noche.",
    location_kind="county",
    county_fips="17031",
    when="day",
    child_involved="no",
    checklist={
        "NO_CONTROL_OF_DOCUMENTS": "yes",
        "DEBT": "yes",
        "RESTRICTED_MOVEMENT": "yes",
        "UNPAID_OR_UNDERPAID": "yes",
        "FEAR_AND_TRAUMA": "yes",
        "POOR_LIVING_CONDITIONS": "yes",
        "THIRD_PARTY_SPEAKS": "yes",
        "PHYSICAL_ABUSE": "no",
        "FORCED_ILLEGAL_ACTIVITY": "no",
        "NO_CONTROL_OF_LIFE": "unknown",
    },
    people={"phones": ["(312) 555-0177"], "emails": ["Jefe.Planta@Example.com"], "plates": ["IL PK 4412"]},
)


def _tip(key: str, **fields) -> Tip:
    fields.setdefault("narrative", f"report {key}")
    return services.submit_tip(services.TipInput(**fields), nonce=key * 8, idempotency_key=key).tip


@pytest.fixture
def reference(db):
    load_reference_data()


@pytest.fixture
def team(make_user, agency, other_agency):
    return {
        "hotline": make_user(Role.HOTLINE, agency, email="hotline@example.org"),
        "hotline2": make_user(Role.HOTLINE, agency, email="hotline2@example.org"),
        "sup": make_user(Role.SUPERVISOR, agency, email="sup@example.org"),
        "cw": make_user(Role.CASEWORKER, agency),
        "other_hotline": make_user(Role.HOTLINE, other_agency, email="other@example.org"),
    }


@pytest.mark.django_db
def test_the_realistic_forced_labour_tip_ranks_above_every_seeded_tip_without_danger_or_a_child(team, reference):
    seed_tips(SeedContext(tips=60, out=lambda _: None))
    tip = _tip("realistic", **REALISTIC)
    ordered = list(selectors.queue(team["hotline"], selectors.QueueFilters(status="")))
    position = [t.pk for t in ordered].index(tip.pk)
    above = ordered[:position]
    assert all(t.danger_now or t.child_involved == "yes" for t in above), [
        (t.public_id, t.urgency_score, t.urgency_reasons)
        for t in above
        if not (t.danger_now or t.child_involved == "yes")
    ]
    codes = [r[0] for r in tip.urgency_reasons]
    assert codes[:2] == ["control", "red_flags"] and "recent" in codes
    described = " · ".join(urgency.describe(tip.urgency_reasons))
    assert "Ongoing control (documents held, debt, locked in or watched): +30" in described
    assert urgency.level(tip.urgency_score) == "high"


@pytest.mark.django_db
def test_seeded_tips_are_varied(team, reference):
    seed_tips(SeedContext(tips=60, out=lambda _: None))
    tips = list(Tip.objects.all())
    assert len(tips) == 60
    assert len({t.narrative for t in tips}) == 60  # no copies
    assert len({t.language for t in tips}) >= 10 and len({t.county_id for t in tips if t.county_id}) >= 8
    assert sum(t.child_involved == "yes" for t in tips) >= 4
    assert 2 <= sum(t.danger_now for t in tips) <= 5


@pytest.mark.django_db
def test_a_child_in_commercial_sex_is_never_routine_whatever_the_signs(team, reference):
    tip = _tip("child", child_involved="yes", when="unknown")
    assert urgency.level(tip.urgency_score) == "routine"  # a child, no classification yet, no signs
    services.classify(team["hotline"], tip, ["SexualExploitation"])
    tip.refresh_from_db()
    assert tip.urgency_score == urgency.CHILD_COMMERCIAL_SEX_FLOOR and urgency.level(tip.urgency_score) == "very_high"
    assert tip.urgency_reasons[0][0] == "child_commercial_sex"
    assert "1-800-25-ABUSE" in urgency.describe(tip.urgency_reasons)[0]
    danger = _tip("danger", danger_now=True)
    assert danger.urgency_score > tip.urgency_score


def test_no_tip_without_danger_or_a_child_in_commercial_sex_reaches_the_very_high_tier():
    every_sign = {item: "yes" for item in urgency.CONTROL_SIGNS} | {f"OTHER_{n}": "yes" for n in range(10)}
    points, _ = urgency.score(
        urgency.Signals(
            child_involved="yes",
            checklist=every_sign,
            when="now",
            in_illinois=True,
            self_report=True,
            exploitation_types=("ForcedLabour",),
            last_follow_up=dt.datetime.now(dt.UTC),
        )
    )
    assert points < urgency.CHILD_COMMERCIAL_SEX_FLOOR


@pytest.mark.django_db
def test_a_self_report_weighs_more(team, reference):
    tip = _tip("self", **REALISTIC)
    before = tip.urgency_score
    services.classify(team["hotline"], tip, [], self_report=True)
    tip.refresh_from_db()
    assert tip.urgency_score == before + urgency.SELF_REPORT and tip.self_report


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_rescores_marks_the_tip_changed_and_tells_the_intake_team(team, reference, staff_client):
    tip = _tip("follow", **REALISTIC)
    tip.refresh_from_db()
    before = tip.urgency_score
    services.add_reporter_information(tip, body="Hoy el supervisor nos quitó los teléfonos.", idempotency_key="f1")
    tip.refresh_from_db()
    assert tip.urgency_score == before + urgency.FOLLOW_UP and tip.changed_by_reporter
    assert "follow_up" in [r[0] for r in tip.urgency_reasons]
    # Unclaimed: the intake team of the agency that sees it (unassigned: every agency's intake roles).
    told = set(
        Notification.objects.filter(key__startswith=f"tip-follow-up:{tip.public_id}").values_list(
            "user__username", flat=True
        )
    )
    assert told == {
        team["hotline"].username,
        team["hotline2"].username,
        team["sup"].username,
        team["other_hotline"].username,
    }
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert tip.public_id in message.body and "teléfonos" not in message.body and "pasaportes" not in message.body
    queue = staff_client(team["hotline"]).get("/staff/tips/").content.decode()
    assert "New from the reporter" in queue
    # Opening it as someone who can act on it clears the mark.
    staff_client(team["hotline"]).get(f"/staff/tips/{tip.public_id}/")
    tip.refresh_from_db()
    assert not tip.changed_by_reporter
    # Claimed: only the holder is told; a retried follow-up tells nobody twice.
    services.claim(team["hotline2"], tip, version=tip.version)
    mail.outbox.clear()
    services.add_reporter_information(tip, body="Otra cosa.", idempotency_key="f2")
    services.add_reporter_information(tip, body="Otra cosa.", idempotency_key="f2")
    assert [m.to for m in mail.outbox] == [["hotline2@example.org"]]


@pytest.mark.django_db
def test_queue_search_finds_tip_ids_and_identifiers_in_any_spelling_but_never_narrative_words(team, reference):
    tip = _tip("search", **REALISTIC)
    _tip("noise", narrative="nothing to see", people={"phones": ["773 555 0000"]})
    user = team["hotline"]

    def found(q: str) -> list[str]:
        return [t.public_id for t in selectors.queue(user, selectors.QueueFilters(q=q))]

    assert found(tip.public_id.lower()) == [tip.public_id]
    assert found("+1 312 555 0177") == [tip.public_id]
    assert found("jefe.planta@example.com") == [tip.public_id]
    assert found("il-pk4412") == [tip.public_id]
    assert found("pasaportes") == []  # narratives are encrypted and not indexed
    # The policy scopes the search: another agency's tip is not found by its phone.
    services.assign(user, tip, team["other_hotline"].agency)
    assert found("+1 312 555 0177") == []


@pytest.mark.django_db
def test_queue_filters(team, reference):
    user = team["hotline"]
    es = _tip("es", **REALISTIC)
    child = _tip(
        "child",
        language="en",
        child_involved="yes",
        location_kind="county",
        county_fips="17201",
        people={"phones": ["(312) 555-0177"]},
    )
    quiet = _tip("quiet", language="pl", when="earlier")
    services.claim(user, quiet, version=quiet.version)

    def ids(**filters) -> set[str]:
        return {t.public_id for t in selectors.queue(user, selectors.QueueFilters(**filters))}

    assert ids(language="es") == {es.public_id}
    assert ids(county="17201") == {child.public_id}
    assert ids(level="high") == {es.public_id}
    assert ids(level="routine") == {quiet.public_id}
    assert ids(claimed="me") == {quiet.public_id}
    assert ids(claimed="nobody") == {es.public_id, child.public_id}
    assert ids(linked="yes") == {es.public_id, child.public_id}
    assert ids(linked="no") == {quiet.public_id}
    services.close(user, quiet, "duplicate")
    assert quiet.public_id not in ids() and ids(status="closed") == {quiet.public_id}


@pytest.mark.django_db
def test_claims_are_refused_when_taken_or_stale(team, reference, staff_client):
    tip = _tip("claim")
    services.claim(team["hotline"], tip, version=tip.version)
    tip.refresh_from_db()
    with pytest.raises(ValidationError, match="Someone else"):
        services.claim(team["hotline2"], tip, version=tip.version)
    with pytest.raises(ValidationError, match="changed"):
        services.release(team["hotline"], tip, version=tip.version - 1)
    with pytest.raises(ValidationError, match="Only the person"):
        services.release(team["hotline2"], tip, version=tip.version)
    services.release(team["sup"], tip, version=tip.version)
    tip.refresh_from_db()
    assert tip.claimed_by_id is None
    client = staff_client(team["hotline2"])
    client.post(f"/staff/tips/{tip.public_id}/claim", {"version": tip.version, "next": "/staff/tips/"})
    page = client.get("/staff/tips/").content.decode()
    assert "Release" in page
    tip.refresh_from_db()
    assert tip.claimed_by == team["hotline2"]


@pytest.mark.django_db
def test_the_queue_page_with_search_and_filters_is_a_few_queries(
    team, reference, staff_client, django_assert_max_num_queries
):
    for n in range(15):
        _tip(f"q{n}", **{**REALISTIC, "people": {"phones": ["(312) 555-0177"]}})
    client = staff_client(team["hotline"])
    client.get("/staff/tips/")
    with django_assert_max_num_queries(13):
        page = client.get(
            "/staff/tips/",
            {
                "q": "312 555 0177",
                "level": "high",
                "language": "es",
                "county": "17031",
                "claimed": "nobody",
                "linked": "yes",
            },
        )
    assert page.status_code == 200 and page.content.decode().count('data-tip="') == 15
