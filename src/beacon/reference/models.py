"""Reference vocabularies: Illinois counties, languages, countries and coded value lists.

Stored codes are the standard value names (HTCDS, ISO, FIPS); labels are English and are
translated with gettext when shown.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext


class County(models.Model):
    fips = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=60, unique=True)
    chicago_metro = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    iso639_3 = models.CharField(max_length=3)
    name = models.CharField(max_length=60)
    native_name = models.CharField(max_length=60)
    rtl = models.BooleanField(default=False)
    portal = models.BooleanField(default=False, help_text="Shipped by the public portal")
    il_lep_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    il_lep_speakers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["il_lep_rank", "name"]

    def __str__(self) -> str:
        return gettext(self.name)

    @property
    def il_limited_english(self) -> bool:
        return self.il_lep_rank is not None


class Country(models.Model):
    alpha2 = models.CharField(max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return gettext(self.name)


class Term(models.Model):
    """One value of a coded vocabulary (HTCDS picklists, Polaris types, service categories)."""

    vocabulary = models.CharField(max_length=60)
    code = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")]

    def __str__(self) -> str:
        return gettext(self.label)
