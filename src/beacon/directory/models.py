"""The service directory: who provides which services, where, in which languages, for whom."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.web.models import PublicIdModel


class Population(models.TextChoices):
    MINORS = "minors", _("Minors")
    ADULTS = "adults", _("Adults")
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    LGBTQ = "lgbtq", _("LGBTQ+")
    FOREIGN_NATIONALS = "foreign_nationals", _("Foreign nationals")
    UNDOCUMENTED = "undocumented", _("Undocumented people")


class Provider(PublicIdModel):
    """One directory entry. `agency` is set when the provider is a Beacon partner that takes referrals."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    counties = models.ManyToManyField(
        "reference.County", verbose_name=_("counties served"), blank=True, related_name="providers"
    )
    statewide = models.BooleanField(_("serves all of Illinois"), default=False)
    languages = models.ManyToManyField(
        "reference.Language", verbose_name=_("languages"), blank=True, related_name="providers"
    )
    populations = models.JSONField(_("populations served"), default=list, blank=True)
    accepting_new_clients = models.BooleanField(_("accepting new clients"), default=True)
    capacity = models.PositiveIntegerField(
        _("open places"), null=True, blank=True, help_text=_("How many new clients can be taken now, if known.")
    )
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_public = models.BooleanField(
        _("show on the public portal"),
        default=False,
        help_text=_("Public entries appear on the portal's find-help page."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [models.UniqueConstraint(fields=["name", "city"], name="provider_unique_name_city")]
        indexes = [models.Index(fields=["is_public", "is_active"], name="provider_public_idx")]

    def __str__(self) -> str:
        return self.name


class ProviderService(models.Model):
    """A service a provider offers: a category code (service_category vocabulary) and an optional subtype."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    category = models.CharField(_("service"), max_length=40)
    subtype = models.CharField(_("subtype"), max_length=100, blank=True)

    class Meta:
        ordering = ["category", "subtype"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "category", "subtype"], name="provider_service_unique")
        ]
        indexes = [models.Index(fields=["category", "provider"], name="provider_service_cat_idx")]

    def __str__(self) -> str:
        return f"{self.category}:{self.subtype}" if self.subtype else self.category
