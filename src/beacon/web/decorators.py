"""View decorators shared by the staff apps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied


def staff_view(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in; access refusals from services become 403 with a plain message."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return fn(request, *args, **kwargs)
        except AccessDenied:
            return HttpResponseForbidden(_("You are not allowed to do this."))

    return wrapper
