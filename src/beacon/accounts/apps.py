from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beacon.accounts"
    label = "accounts"
    verbose_name = "Agencies and people"

    def ready(self) -> None:
        from beacon.accounts.access import register_adapters

        register_adapters()
        from beacon.accounts import (
            panels,
            signals,  # noqa: F401  (connects the audit receivers)
        )
        from beacon.accounts.roles import Role
        from beacon.web import home_panels

        home_panels.register({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}, panels.staff_panel)
        home_panels.register({Role.SYSTEM_ADMIN}, panels.platform_panel)
