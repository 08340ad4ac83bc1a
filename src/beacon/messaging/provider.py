"""The Twilio adapter: webhook signatures in, messages out through Twilio's REST API.

Only this module knows Twilio. Settings (all from the environment, see README):
BEACON_TWILIO_ENABLED, BEACON_TWILIO_ACCOUNT_SID, BEACON_TWILIO_AUTH_TOKEN,
BEACON_TWILIO_SMS_FROM, BEACON_TWILIO_WHATSAPP_FROM, BEACON_TWILIO_WEBHOOK_URL and
BEACON_TWILIO_API_URL (an egress proxy or a regional edge; Twilio's own API by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from beacon.messaging.models import Channel

WHATSAPP_PREFIX = "whatsapp:"
# Twilio's error for a recipient who replied STOP (its own opt-out list): never retry it.
UNSUBSCRIBED = 21610
# Errors that no retry can fix: invalid or unreachable number, blocked, not a mobile number.
PERMANENT = frozenset({UNSUBSCRIBED, 21211, 21612, 21614, 21408, 21610, 63003, 63024})


def enabled() -> bool:
    return bool(settings.BEACON_TWILIO["enabled"])


def signature_is_valid(url: str, params: Mapping[str, Any], signature: str) -> bool:
    """Twilio signs the full webhook URL and the POSTed fields with the account's auth token."""
    token = settings.BEACON_TWILIO["auth_token"]
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, params, signature)


@dataclass(frozen=True)
class Sender:
    channel: str
    number: str  # E.164, without the channel prefix


def parse_sender(raw_from: str) -> Sender:
    if raw_from.startswith(WHATSAPP_PREFIX):
        return Sender(Channel.WHATSAPP, raw_from[len(WHATSAPP_PREFIX) :])
    return Sender(Channel.SMS, raw_from)


class DeliveryError(Exception):
    def __init__(self, code: str, *, permanent: bool, unsubscribed: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent
        self.unsubscribed = unsubscribed


@lru_cache(maxsize=1)
def _client(account_sid: str, auth_token: str, api_url: str, timeout: float) -> Client:
    client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
    if api_url:
        client.api.base_url = api_url.rstrip("/")
    return client


def client() -> Client:
    conf = settings.BEACON_TWILIO
    return _client(conf["account_sid"], conf["auth_token"], conf["api_url"], conf["timeout"])


def send(channel: str, number: str, body: str) -> str:
    """Send one message; return the provider's message id, or raise DeliveryError."""
    conf = settings.BEACON_TWILIO
    if channel == Channel.WHATSAPP:
        origin, to = conf["whatsapp_from"], WHATSAPP_PREFIX + number
    else:
        origin, to = conf["sms_from"], number
    if not origin:
        raise DeliveryError(f"no sender configured for {channel}", permanent=True)
    # A Messaging Service (MG...) picks the number itself; otherwise we send from ours.
    sender = {"messaging_service_sid": origin} if origin.startswith("MG") else {"from_": origin}
    try:
        message = client().messages.create(to=to, body=body, **sender)
    except TwilioRestException as error:
        code = error.code or error.status
        return_code = f"twilio {code} (HTTP {error.status})"
        # Busy, overloaded or not yet configured (401 until the operator fixes the token): retry.
        retryable = error.status >= 500 or error.status in (401, 429)
        raise DeliveryError(
            return_code,
            permanent=(code in PERMANENT) or not retryable,
            unsubscribed=code == UNSUBSCRIBED,
        ) from None
    except (TwilioException, OSError) as error:
        # Timeouts, refused connections, TLS errors: the network's fault; try again later.
        raise DeliveryError(type(error).__name__, permanent=False) from None
    return str(message.sid)
