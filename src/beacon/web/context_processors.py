from __future__ import annotations

from django.http import HttpRequest

from beacon.web import navigation, staff_languages


def beacon(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        # The portal has its own switch with every language; this one is the staff pages'.
        "BEACON_LANGUAGES": staff_languages.staff_languages(),
        "staff_nav": navigation.items_for(user) if user is not None and user.is_authenticated else [],
    }
