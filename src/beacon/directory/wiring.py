"""Connects the directory app to the platform: access adapters, staff navigation, home panels, seeders."""

from django.utils.translation import gettext_lazy as _

from beacon.access.policy import register, simple_adapter
from beacon.demo import seeding
from beacon.directory.seed import seed_directory
from beacon.web import navigation
from beacon.web.navigation import NavItem

register("directory", simple_adapter(owner_field=None, agency_field="agency_id"))
navigation.register(NavItem(_("Directory"), "directory:list", "view", "directory"))
seeding.register(20, "directory", seed_directory)
