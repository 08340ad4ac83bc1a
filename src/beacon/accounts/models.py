from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beacon.accounts.roles import AgencyType, Role
from beacon.web.models import PublicIdModel


class Agency(PublicIdModel):
    """A partner organisation: service provider, law enforcement, government or legal service."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=AgencyType.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    county = models.ForeignKey(
        "reference.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +13125550100"))
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def is_law_enforcement(self) -> bool:
        return self.type == AgencyType.LAW_ENFORCEMENT


class User(AbstractUser):
    """A staff member of one agency (system administrators may have none)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    # Set on the request's user by django-otp's OTPMiddleware: has this session passed the second factor?
    is_verified: Callable[[], bool]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    """A bearer token for an integration (SMS gateway, partner system). Only its hash is stored.

    Every token expires (`BEACON_API_TOKEN_DAYS` after it is issued unless given a nearer date), and
    a read-only token is refused on any request that changes data.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.WRITE)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(
        cls, user: User, name: str, expires_at: datetime | None = None, scope: str = TokenScope.WRITE
    ) -> tuple[ApiToken, str]:
        raw = "bcn_" + secrets.token_urlsafe(32)
        longest = timezone.now() + timedelta(days=settings.BEACON_API_TOKEN_DAYS)
        expires_at = min(expires_at, longest) if expires_at is not None else longest
        token = cls.objects.create(
            user=user, name=name, scope=scope, prefix=raw[4:12], token_hash=cls.hash(raw), expires_at=expires_at
        )
        return token, raw

    @property
    def is_valid(self) -> bool:
        # A token without an expiry date (issued before expiry existed) is not accepted.
        return self.revoked_at is None and self.expires_at is not None and self.expires_at > timezone.now()
