"""Writes of the text-message channel: receive a message, queue and deliver answers.

`receive` runs once per provider message id (a unique constraint makes a retried webhook a
no-op); everything it stores and every answer it queues commit together, and deliveries start
only after the commit. `deliver` claims one outbound message at a time, so two workers never
send it twice, and a failure is retried by the task queue with growing delays.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.crypto.keys import blind_index, normalise_phone
from beacon.messaging import language as languages
from beacon.messaging import provider, texts
from beacon.messaging.models import Conversation, DeliveryStatus, InboundMessage, OutboundMessage
from beacon.tips import services as tips
from beacon.tips.models import Status, TipMessage

logger = logging.getLogger(__name__)

# Carrier keywords (Twilio's opt-out list) plus the Spanish ones reporters in Illinois use.
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "parar", "alto"})
START_WORDS = frozenset({"start", "unstop", "yes", "iniciar"})
MAX_ATTEMPTS = 6
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
STUCK_SENDING = timedelta(minutes=10)  # a worker that died mid-send: try again after this


class Outcome(StrEnum):
    OPENED = "opened"  # a new tip
    THREADED = "threaded"  # added to the sender's tip
    LANGUAGE_CHOSEN = "language_chosen"
    STOPPED = "stopped"
    STARTED = "started"
    DUPLICATE = "duplicate"  # the provider retried a message we already have
    REFUSED = "refused"  # no usable sender or text


@dataclass(frozen=True)
class Incoming:
    provider_id: str
    sender: str  # as the provider gives it, e.g. "+13125550142" or "whatsapp:+13125550142"
    body: str


def sender_index(channel: str, number: str) -> str:
    return blind_index(number, purpose=f"messaging-{channel}")


def receive(message: Incoming) -> Outcome:
    """Store one inbound message and queue the answer; exactly once per provider message id."""
    sender = provider.parse_sender(message.sender)
    number = normalise_phone(sender.number)
    body = (message.body or "").replace("\x00", "").strip()[:10_000]
    if not message.provider_id or not number:
        return Outcome.REFUSED
    index = sender_index(sender.channel, number)
    queued: list[int] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(provider_id=message.provider_id[:64])
        except IntegrityError:
            return Outcome.DUPLICATE
        conversation = (
            Conversation.objects.select_for_update().filter(channel=sender.channel, sender_index=index).first()
        )
        keyword = body.casefold().strip(" .!")
        if keyword in STOP_WORDS:
            outcome = _stop(conversation, queued)
        elif keyword in START_WORDS:
            outcome = _start(conversation, queued) if conversation is not None else Outcome.STARTED
        elif not body:
            outcome = Outcome.REFUSED
        elif conversation is None or conversation.tip.status == Status.CLOSED:
            conversation, outcome = _open(conversation, sender.channel, number, index, body, message, queued)
        elif not conversation.language:
            outcome = _choose_language(conversation, body, message, queued)
        else:
            tips.add_reporter_information(conversation.tip, body=body, idempotency_key=_key(message))
            _queue(conversation, texts.received(conversation.language), queued)
            outcome = Outcome.THREADED
        if conversation is not None:
            InboundMessage.objects.filter(pk=inbound.pk).update(conversation=conversation)
        transaction.on_commit(lambda: _start_deliveries(queued))
    return outcome


def _key(message: Incoming) -> str:
    return f"twilio:{message.provider_id}"


def _open(
    previous: Conversation | None,
    channel: str,
    number: str,
    index: str,
    body: str,
    message: Incoming,
    queued: list[int],
) -> tuple[Conversation, Outcome]:
    """A first message (or the first after the sender's tip was closed) opens a tip."""
    language = languages.detect(body) or (previous.language if previous else "")
    submit = {
        "nonce": secrets.token_urlsafe(24),  # only derives the codename, which is sent once and forgotten
        "idempotency_key": _key(message),
        "channel": channel,
    }
    tip_input = tips.TipInput(narrative=body, language=language or "en")
    if previous is None:
        try:
            with transaction.atomic():
                submitted = tips.submit_tip(tip_input, **submit)
                conversation = Conversation.objects.create(
                    channel=channel, sender=number, sender_index=index, tip=submitted.tip, language=language
                )
        except IntegrityError:
            # The same new sender's other message won the race: this one joins its tip instead
            # (the savepoint took back the tip it had opened).
            conversation = Conversation.objects.select_for_update().get(channel=channel, sender_index=index)
            tips.add_reporter_information(conversation.tip, body=body, idempotency_key=_key(message))
            return conversation, Outcome.THREADED
    else:
        submitted = tips.submit_tip(tip_input, **submit)
        conversation = previous
        conversation.tip = submitted.tip
        conversation.language = language
        conversation.save(update_fields=["tip", "language", "updated_at"])
    if language:
        _queue(conversation, texts.welcome(language, submitted.codename or ""), queued)
    else:
        _queue(conversation, texts.language_menu(), queued)
    return conversation, Outcome.OPENED


def _choose_language(conversation: Conversation, body: str, message: Incoming, queued: list[int]) -> Outcome:
    """The reply to the language menu; anything else is kept in the tip and the menu asked again."""
    chosen = languages.from_menu(body)
    if chosen is None:
        tips.add_reporter_information(conversation.tip, body=body, idempotency_key=_key(message))
        chosen = languages.detect(body)
        if chosen is None:
            _queue(conversation, texts.language_menu(), queued)
            return Outcome.THREADED
    conversation.language = chosen
    conversation.save(update_fields=["language", "updated_at"])
    codename = tips.reissue_codename(conversation.tip, nonce=secrets.token_urlsafe(24), language=chosen)
    _queue(conversation, texts.welcome(chosen, codename), queued)
    return Outcome.LANGUAGE_CHOSEN


def _stop(conversation: Conversation | None, queued: list[int]) -> Outcome:
    if conversation is None:
        return Outcome.STOPPED  # nothing of a stranger's STOP is kept
    conversation.opted_out = True
    conversation.save(update_fields=["opted_out", "updated_at"])
    OutboundMessage.objects.filter(
        conversation=conversation, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.STOPPED)
    record(None, AuditAction.UPDATE, conversation.tip, reason=f"reporter opted out of {conversation.channel}")
    if conversation.channel == "whatsapp":
        # SMS carriers and Twilio confirm STOP themselves and block anything we send after it.
        _queue(conversation, texts.stopped(conversation.language or "en"), queued, even_if_opted_out=True)
    return Outcome.STOPPED


def _start(conversation: Conversation, queued: list[int]) -> Outcome:
    conversation.opted_out = False
    conversation.save(update_fields=["opted_out", "updated_at"])
    record(None, AuditAction.UPDATE, conversation.tip, reason=f"reporter opted in to {conversation.channel}")
    _queue(conversation, texts.restarted(conversation.language or "en"), queued)
    return Outcome.STARTED


def _queue(
    conversation: Conversation,
    body: str,
    queued: list[int],
    *,
    tip_message: TipMessage | None = None,
    even_if_opted_out: bool = False,
) -> OutboundMessage:
    status = DeliveryStatus.STOPPED if conversation.opted_out and not even_if_opted_out else DeliveryStatus.QUEUED
    outbound = OutboundMessage.objects.create(
        conversation=conversation, tip_message=tip_message, body=body, status=status
    )
    if status == DeliveryStatus.QUEUED:
        queued.append(outbound.pk)
    return outbound


def queue_staff_message(message: TipMessage) -> None:
    """A staff reply on a tip that came by text goes back the same way (called in its transaction)."""
    queued: list[int] = []
    for conversation in Conversation.objects.filter(tip_id=message.tip_id):
        _queue(conversation, message.body, queued, tip_message=message)
    if queued:
        transaction.on_commit(lambda: _start_deliveries(queued))


def _start_deliveries(ids: list[int]) -> None:
    from beacon.messaging.tasks import deliver_task  # cycle: tasks imports this module

    for outbound_id in ids:
        deliver_task(outbound_id)


def deliver(outbound_id: int) -> str:
    """Send one outbound message if it is still due; return its status afterwards."""
    now = timezone.now()
    due = Q(status=DeliveryStatus.QUEUED) | Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
    due |= Q(status=DeliveryStatus.SENDING, next_attempt_at__lte=now - STUCK_SENDING)
    # Claim it: of two workers, only the one whose update matched sends.
    claimed = OutboundMessage.objects.filter(due, pk=outbound_id).update(
        status=DeliveryStatus.SENDING, next_attempt_at=now
    )
    outbound = OutboundMessage.objects.select_related("conversation").get(pk=outbound_id)
    if not claimed:
        return outbound.status
    conversation = outbound.conversation
    if conversation.opted_out and outbound.tip_message_id is not None:
        OutboundMessage.objects.filter(pk=outbound_id).update(status=DeliveryStatus.STOPPED)
        return DeliveryStatus.STOPPED
    attempts = outbound.attempts + 1
    try:
        provider_id = provider.send(conversation.channel, conversation.sender, outbound.body)
    except provider.DeliveryError as error:
        if error.unsubscribed:
            Conversation.objects.filter(pk=conversation.pk).update(opted_out=True)
        final = error.permanent or attempts >= MAX_ATTEMPTS
        status = (
            DeliveryStatus.STOPPED if error.unsubscribed else DeliveryStatus.GAVE_UP if final else DeliveryStatus.FAILED
        )
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        OutboundMessage.objects.filter(pk=outbound_id).update(
            status=status, attempts=attempts, last_error=error.code[:120], next_attempt_at=timezone.now() + delay
        )
        logger.warning("text message %s not delivered (attempt %s): %s", outbound_id, attempts, error.code)
        return status
    OutboundMessage.objects.filter(pk=outbound_id).update(
        status=DeliveryStatus.SENT,
        attempts=attempts,
        provider_id=provider_id[:64],
        sent_at=timezone.now(),
        last_error="",
    )
    return DeliveryStatus.SENT


def due_for_retry() -> list[int]:
    now = timezone.now()
    due = Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, next_attempt_at__lte=now - STUCK_SENDING
    )
    return list(OutboundMessage.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:500])


def retry_failed_deliveries() -> dict[str, int]:
    """Try every failed delivery that is due again; what the periodic task runs."""
    counts: dict[str, int] = {}
    for outbound_id in due_for_retry():
        status = deliver(outbound_id)
        counts[status] = counts.get(status, 0) + 1
    return counts
