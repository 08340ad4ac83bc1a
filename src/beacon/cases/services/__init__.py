"""Writes for case management, one module per group of use cases:

- `records`: intake (`open_case`) and edits of the case and the person, events, perpetrators;
- `notes`: case notes and encrypted attachments;
- `referrals`: consent, and the consent-gated referrals between agencies;
- `plan`: service needs, goals, plan items, immigration relief, tasks;
- `notifications`: staff notices.

Each use case checks the access policy and writes the audit log. Callers use this package's names
(`from beacon.cases import services; services.open_case(...)`).
"""

from beacon.cases.models import OPEN_STATUSES
from beacon.cases.services.notes import add_attachment, add_note, read_attachment
from beacon.cases.services.notifications import agency_staff, mark_notification_read, notify
from beacon.cases.services.plan import (
    add_goal,
    add_milestone,
    add_need,
    add_plan_item,
    add_relief,
    add_task,
    complete_task,
    reach_milestone,
    update_plan_item,
)
from beacon.cases.services.records import (
    CASE_FIELDS,
    CONTACT_FIELDS,
    PERSON_FIELDS,
    CaseFromTip,
    EditConflict,
    Reassignment,
    add_event,
    add_perpetrator,
    open_case,
    open_case_from_tip,
    reassign_case,
    update_case,
    update_person,
)
from beacon.cases.services.referrals import (
    ConsentNotInForce,
    accept_referral,
    complete_referral,
    consent_for_referral,
    decline_referral,
    grant_consent,
    post_referral_message,
    referral_summary,
    revoke_consent,
    send_referral,
    withdraw_referral,
)

__all__ = [
    "CASE_FIELDS",
    "CONTACT_FIELDS",
    "OPEN_STATUSES",
    "PERSON_FIELDS",
    "CaseFromTip",
    "ConsentNotInForce",
    "EditConflict",
    "Reassignment",
    "accept_referral",
    "add_attachment",
    "add_event",
    "add_goal",
    "add_milestone",
    "add_need",
    "add_note",
    "add_perpetrator",
    "add_plan_item",
    "add_relief",
    "add_task",
    "agency_staff",
    "complete_referral",
    "complete_task",
    "consent_for_referral",
    "decline_referral",
    "grant_consent",
    "mark_notification_read",
    "notify",
    "open_case",
    "open_case_from_tip",
    "post_referral_message",
    "reach_milestone",
    "read_attachment",
    "reassign_case",
    "referral_summary",
    "revoke_consent",
    "send_referral",
    "update_case",
    "update_person",
    "update_plan_item",
    "withdraw_referral",
]
