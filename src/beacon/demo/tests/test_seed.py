from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Model


def _counts() -> dict[str, int]:
    skip = {"audit.auditentry", "audit.auditchainhead", "sessions.session"}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if (
            label.startswith(
                (
                    "beacon",
                    "accounts",
                    "reference",
                    "cases",
                    "directory",
                    "tips",
                    "intel",
                    "screening",
                    "insights",
                    "matters",
                    "otp_totp",
                )
            )
            and label not in skip
        ):
            counts[label] = model._default_manager.count()
    return counts


@pytest.mark.django_db(transaction=True)
def test_seed_is_idempotent():
    call_command("seed", "--cases", "20", "--tips", "5", "--posts", "30")
    first = _counts()
    assert first["accounts.user"] >= 10 and first["reference.county"] == 102
    call_command("seed", "--cases", "20", "--tips", "5", "--posts", "30")
    assert _counts() == first


@pytest.mark.django_db(transaction=True)
def test_demo_command_prepares_and_can_run_twice(capsys):
    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "Second factor" in out and "caseworker" in out and "beacon-demo-password" in out
    assert isinstance(apps.get_model("accounts", "User"), type(Model))


@pytest.mark.django_db
def test_totp_command_prints_the_demo_accounts_current_code(capsys):
    from django.core.management.base import CommandError
    from django_otp.oath import totp

    from beacon.demo.seeding import demo_totp_key

    call_command("totp", "caseworker")
    printed = capsys.readouterr().out.strip()
    assert printed.isdigit() and len(printed) == 6
    assert printed in {f"{totp(demo_totp_key('caseworker'), drift=d):06d}" for d in (-1, 0, 1)}
    with pytest.raises(CommandError):
        call_command("totp", "nobody")


@pytest.mark.django_db
def test_seed_refuses_a_production_database(settings, capsys):
    """Demo sign-ins (public password, keys derived from the user name) never reach production."""
    from django.core.management.base import CommandError

    from beacon.accounts.models import User
    from beacon.demo.seeding import SeedContext, SeedRefused, run_seeders, seed_people

    settings.PRODUCTION = True
    with pytest.raises(SystemExit):
        call_command("seed", "--cases", "0", "--tips", "0", "--posts", "0")
    assert "BEACON_ENV=production" in capsys.readouterr().err
    with pytest.raises(SeedRefused):
        run_seeders(SeedContext())
    with pytest.raises(SeedRefused):
        seed_people(SeedContext())
    with pytest.raises(CommandError):
        call_command("totp", "admin")
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_seeded_cases_are_spread_over_three_years_and_never_in_the_future():
    """Charts over time need history: the demo's cases are not all opened on the day of the seed."""
    import datetime as dt

    from django.utils import timezone

    from beacon.cases.models import Case, Referral

    call_command("seed", "--cases", "400", "--tips", "0", "--posts", "0")
    now = timezone.now()
    opened = list(Case.objects.values_list("opened_at", flat=True))
    assert len(opened) == 400
    assert max(opened) <= now and min(opened) >= now - dt.timedelta(days=3 * 365 + 1)
    assert max(opened) - min(opened) > dt.timedelta(days=2 * 365)
    assert len({(d.year, d.month) for d in opened}) >= 30
    recent = sum(d > now - dt.timedelta(days=365) for d in opened)
    assert recent > 400 / 3  # more reports each year
    closed = Case.objects.exclude(closed_at=None)
    assert closed.exists() and all(c.opened_at < c.closed_at <= now for c in closed)
    assert not Referral.objects.filter(sent_at__gt=now).exists()
