from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "beacon.outreach"
    label = "outreach"
    verbose_name = "Outreach in the field"
