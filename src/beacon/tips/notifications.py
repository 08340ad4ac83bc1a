"""Telling staff that a reporter added to a tip: an in-app notice and an e-mail, both with ids only."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from beacon.accounts.models import User
from beacon.cases.services import notify
from beacon.tips.access import INTAKE_ROLES
from beacon.tips.models import Tip


def follow_up_recipients(tip: Tip) -> list[User]:
    """Whoever claimed the tip; when nobody did, the intake team that sees it in its queue: the
    intake roles of the tip's agency, or of every agency for a tip not yet assigned to one."""
    if tip.claimed_by_id:
        holder = User.objects.filter(pk=tip.claimed_by_id, is_active=True).first()
        if holder is not None:
            return [holder]
    team = User.objects.filter(is_active=True, role__in=INTAKE_ROLES, agency__isnull=False)
    if tip.agency_id:
        team = team.filter(agency_id=tip.agency_id)
    return list(team.order_by("pk"))


def tell_about_follow_up(tip_pk: int, message_public_id: str) -> int:
    """One notice per person and message (a retry never repeats it); returns how many were told."""
    tip = Tip.objects.filter(pk=tip_pk).only("id", "public_id", "claimed_by_id", "agency_id").first()
    if tip is None:
        return 0
    url = reverse("tips:detail", args=[tip.public_id])
    # This runs inside the reporter's request, in the reporter's language; the notice is for staff,
    # so it is written in the staff default language.
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Tip %(id)s has new information from the reporter (message %(message)s).") % {
            "id": tip.public_id,
            "message": message_public_id,
        }
        subject = _("Beacon: tip %(id)s was updated") % {"id": tip.public_id}
    told = 0
    for user in follow_up_recipients(tip):
        if notify(user, f"tip-follow-up:{tip.public_id}:{message_public_id}", text, url) is None:
            continue
        told += 1
        if user.email:
            send_mail(
                subject,
                f"{text}\n\n{settings.BEACON_SITE_URL}{url}",
                None,
                [user.email],
                fail_silently=True,
            )
    return told
