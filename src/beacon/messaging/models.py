"""Two-way text conversations (SMS and WhatsApp) that carry a tip.

A conversation ties one sender on one channel to one tip. The sender's number is the only
thing that can lead back to them: it is stored encrypted, found again only through a keyed hash
(blind index), and decrypted only to deliver a message. Message text lives in the tip (its
narrative and its messages), never here, except the text of a reply waiting to be delivered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.crypto.fields import EncryptedTextField


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Conversation(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender = EncryptedTextField()  # E.164, without the provider's "whatsapp:" prefix
    sender_index = models.CharField(max_length=40)
    tip = models.ForeignKey("tips.Tip", on_delete=models.CASCADE, related_name="conversations")
    # Empty until the sender's language is detected or chosen; replies are then in it.
    language = models.CharField(max_length=10, blank=True)
    opted_out = models.BooleanField(default=False)  # the sender sent STOP: nothing goes out
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "sender_index"], name="conversation_sender_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} conversation of tip {self.tip_id}"


class InboundMessage(models.Model):
    """One message the provider delivered to us: its id makes a retried webhook a no-op."""

    provider_id = models.CharField(max_length=64)
    conversation = models.ForeignKey(Conversation, null=True, on_delete=models.CASCADE, related_name="inbound")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider_id"], name="inbound_provider_id_unique")]

    def __str__(self) -> str:
        return f"inbound {self.provider_id}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Not delivered")
    STOPPED = "stopped", _("Not sent: the reporter opted out")


class OutboundMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="outbound")
    # The staff message this delivers; empty for the channel's own answers (codename, acknowledgement).
    tip_message = models.ForeignKey("tips.TipMessage", null=True, blank=True, on_delete=models.CASCADE)
    body = EncryptedTextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=120, blank=True)  # provider error code and class: no personal data
    provider_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_retry_idx")]

    def __str__(self) -> str:
        return f"outbound {self.pk} ({self.status})"
