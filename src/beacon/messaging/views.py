"""Twilio's webhook for incoming SMS and WhatsApp messages.

Nothing is read or stored before the signature is checked: a request Twilio did not sign with
our auth token gets 403. The answer is an empty TwiML document: replies go out through the
REST API from the task queue, so they are retried when they fail.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beacon.messaging import provider, services

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed_url(request: HttpRequest) -> str:
    # Behind a proxy that rewrites the host or path, the URL Twilio signed is configured.
    return settings.BEACON_TWILIO["webhook_url"] or request.build_absolute_uri()


@csrf_exempt  # Twilio's signature is this endpoint's proof of origin
@require_POST
def twilio_webhook(request: HttpRequest) -> HttpResponse:
    if not provider.enabled():
        raise Http404
    signature = request.headers.get("X-Twilio-Signature", "")
    if not provider.signature_is_valid(_signed_url(request), request.POST, signature):
        return HttpResponseForbidden("invalid signature", content_type="text/plain")
    services.receive(
        services.Incoming(
            provider_id=request.POST.get("MessageSid") or request.POST.get("SmsMessageSid", ""),
            sender=request.POST.get("From", ""),
            body=request.POST.get("Body", ""),
        )
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
