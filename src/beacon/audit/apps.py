from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "beacon.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from beacon.web import navigation
        from beacon.web.navigation import NavItem

        navigation.register(NavItem(_("Audit log"), "audit:log", "view", "audit"))
