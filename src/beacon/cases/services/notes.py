"""Case notes and encrypted attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beacon.access.policy import Action, require
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import files
from beacon.cases.models import (
    Attachment,
    Case,
    CaseNote,
)


@transaction.atomic
def add_note(actor: User, case: Case, body: str) -> CaseNote:
    require(actor, Action.CREATE, "note", CaseNote(case=case))
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    note = CaseNote.objects.create(case=case, author=actor, body=body.strip())
    record(actor, AuditAction.CREATE, note)
    return note


@transaction.atomic
def add_attachment(actor: User, case: Case, *, filename: str, data: bytes) -> Attachment:
    require(actor, Action.CREATE, "attachment", Attachment(case=case))
    clean, content_type = files.clean_upload(data)
    storage_name, digest = files.store(clean)
    try:
        attachment = Attachment.objects.create(
            case=case,
            uploaded_by=actor,
            filename=filename[:200] or "file",
            content_type=content_type,
            size=len(clean),
            sha256=digest,
            storage_name=storage_name,
        )
    except Exception:
        files.remove(storage_name)
        raise
    record(actor, AuditAction.CREATE, attachment)
    return attachment


def read_attachment(actor: User, attachment: Attachment) -> bytes:
    require(actor, Action.VIEW, "attachment", attachment)
    record(actor, AuditAction.VIEW, attachment, reason="download")
    return files.load(attachment.storage_name)
