"""The one guard of staff pages: `@staff_view(resource, action)`.

It signs the user in (or sends them to sign in), insists on the verified second factor, asks the
access policy whether the user's role may do `action` on some record of `resource`, and turns the
two refusals a view or service can raise into the staff pages people read:

- `AccessDenied` (the policy said no, here or deeper in a service) -> the styled 403 page;
- `Http404` (the record does not exist or lies outside the user's scope; selectors do not tell
  the two apart) -> the styled 404 page.

Refusals of real records are written to the audit (`audit.services.record_refusal`): every 403,
and every `RecordRefused` (a 404 for a record that exists but is out of scope). A plain `Http404`
(no such record) is not.

`@staff_view()` without a resource guards a page any signed-in staff member may open (the home
page, their own notifications). The guard is recorded on the view as `staff_guard`, so a test can
walk every staff URL and compare what each role is refused with the policy table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from beacon.access.policy import AccessDenied, Action, Guard, RecordRefused
from beacon.accounts.models import User
from beacon.audit.services import record_refusal

View = TypeVar("View", bound=Callable[..., HttpResponse])


class StaffRequest(HttpRequest):
    """The request a `staff_view` hands its view: `user` is the signed-in, verified staff member."""

    user: User


def forbidden(request: HttpRequest) -> HttpResponse:
    """The styled refusal page, with the navigation the user may still use."""
    return render(request, "web/403.html", status=403)


def not_found(request: HttpRequest) -> HttpResponse:
    """The styled page for a record that does not exist or is outside the user's scope."""
    return render(request, "web/404.html", status=404)


def staff_view(resource: str = "", action: str = Action.VIEW) -> Callable[[View], View]:
    """Guard a staff view: signed in, second factor verified, `action` on `resource` granted."""
    if callable(resource):
        raise TypeError(
            "staff_view takes the resource and action the view needs: @staff_view('case', Action.VIEW), "
            "or @staff_view() for a page every signed-in staff member may open"
        )
    guard = Guard(resource, str(Action(action)))

    def decorate(fn: View) -> View:
        @wraps(fn)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_verified():
                return redirect("accounts:second_factor")
            try:
                guard.check(user)
                return fn(request, *args, **kwargs)
            except (AccessDenied, PermissionDenied) as refused:
                record_refusal(user, refused)
                return forbidden(request)
            except RecordRefused as refused:
                record_refusal(user, refused)
                return not_found(request)
            except Http404:
                return not_found(request)

        wrapper.staff_guard = guard  # type: ignore[attr-defined]  # read by the staff URL walk test
        return cast(View, wrapper)

    return decorate
