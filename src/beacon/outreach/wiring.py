"""Connects the outreach app to the platform: access adapter and staff navigation."""

from django.utils.translation import gettext_lazy as _

from beacon.access.policy import register, simple_adapter
from beacon.web import navigation
from beacon.web.navigation import NavItem

register("outreach", simple_adapter(owner_field=None, agency_field="agency_id"))
navigation.register(NavItem(_("Outreach"), "outreach:list", "view", "outreach"))
