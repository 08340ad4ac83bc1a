"""Staff pages need both factors: a signed-in user without a verified device is sent to the OTP step."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

STAFF_PREFIX = "/staff/"


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.path.startswith(STAFF_PREFIX)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            return redirect("accounts:second_factor")
        return self.get_response(request)
