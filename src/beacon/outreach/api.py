"""Field intake API: the HTCDS survey's submissions from KoboToolbox (REST service) or ODK.

`POST /api/v1/field/submissions` with `Authorization: Bearer <token>` of the agency's intake
account (a role that may create tips) and the submission's JSON as the body. The submission's
UUID is the idempotency key: a retried hook answers 200 with the same tip. Errors are JSON
`{"detail": ..., "problems": [{"field", "message"}]}` and store nothing. See docs/operations.md.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from ninja import Router, Schema, Status

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.outreach.models import Source
from beacon.outreach.services import SubmissionRefused, receive_submission

router = Router(tags=["field intake"])

MAX_BODY = 1_000_000  # a survey answer set is a few kilobytes; attachments are not accepted here


class ProblemOut(Schema):
    field: str
    message: str


class SubmissionReceived(Schema):
    tip: str
    created: bool
    warnings: list[ProblemOut]


class SubmissionError(Schema):
    detail: str
    problems: list[ProblemOut]


def _refusal(status: int, detail: str, problems: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"detail": detail, "problems": problems}, status=status)


@router.post(
    "/submissions",
    response={201: SubmissionReceived, 200: SubmissionReceived, 422: SubmissionError},
    url_name="field_submission",
    **requires("tip", Action.CREATE),
)
def receive(request: ApiRequest, source: str = Source.KOBO):
    """Receive one submission of the HTCDS survey; it becomes a tip in your agency's queue."""
    if source not in (Source.KOBO, Source.ODK):
        return _refusal(422, "source must be kobo or odk", [])
    if len(request.body) > MAX_BODY:
        return _refusal(422, "the submission is larger than 1 MB", [])
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _refusal(422, "the body is not JSON", [])
    try:
        received = receive_submission(request.auth, payload, source=source)
    except SubmissionRefused as refused:
        problems = [{"field": p.field, "message": p.message} for p in refused.problems]
        return _refusal(422, "the submission was not stored: " + str(refused), problems)
    body = {
        "tip": received.tip.public_id,
        "created": received.created,
        "warnings": [{"field": w.field, "message": w.message} for w in received.warnings],
    }
    return Status(201 if received.created else 200, body)
