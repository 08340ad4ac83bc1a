from __future__ import annotations

import base64
import io
from datetime import timedelta
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from beacon.access.policy import AccessDenied, Action, scope_queryset
from beacon.accounts import services, throttle
from beacon.accounts.forms import NewStaffUserForm, NewTokenForm, SignInForm, StaffUserForm, TokenForm
from beacon.accounts.models import ApiToken, User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.web.decorators import StaffRequest, staff_view
from beacon.web.redirects import safe_next


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:second_factor")
    if form.has_error(NON_FIELD_ERRORS, "slow_down"):
        response = render(request, "accounts/sign_in.html", {"form": form}, status=429)
        response["Retry-After"] = str(form.wait)
        return response
    return render(request, "accounts/sign_in.html", {"form": form})


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# The sign-in flow's second step, so it serves users who have not passed it yet: not a staff view.
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect("web:home")
    device = services.confirmed_totp(user)
    enrolling = device is None
    if enrolling:
        device = services.pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _reason = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            unseen = throttle.failures(user.username, since=throttle.previous_sign_in(user)).count()
            record(user, AuditAction.SIGN_IN, user)
            target = safe_next(request, request.GET.get("next"), "web:home")
            if unseen:
                # The holder sees what was tried on their account before going on.
                request.session[SEEN_SINCE_KEY] = unseen
                response = redirect(f"{reverse('accounts:sign_in_failures')}?{urlencode({'next': target})}")
            else:
                response = redirect(target)
            throttle.remember_device(request, response, user.pk)
            return response
        record(user, AuditAction.SECOND_FACTOR_FAILED, user)
        form.add_error("token", _("That code is not right or has expired. Codes change every 30 seconds."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/second_factor.html", context)


SEEN_SINCE_KEY = "beacon.failures_since_sign_in"
FAILURES_SHOWN = 50


@staff_view()
def sign_in_failures(request: StaffRequest) -> HttpResponse:
    """The signed-in person's own failed sign-ins of the last 30 days: when, from which address,
    and whether that address was paused."""
    since = timezone.now() - timedelta(days=30)
    rows = throttle.failures(request.user.username, since=since)
    context = {
        "failures": rows[:FAILURES_SHOWN],
        "total": rows.count(),
        "unseen": request.session.pop(SEEN_SINCE_KEY, 0),
        "next": safe_next(request, request.GET.get("next"), "web:home"),
    }
    return render(request, "accounts/sign_in_failures.html", context)


@staff_view()
@require_http_methods(["GET", "POST"])
def tokens(request: StaffRequest) -> HttpResponse:
    """The person's own API tokens: name, scope, expiry, last use; a new token's value is shown once,
    in the answer to the request that made it, and never again."""
    form = NewTokenForm(request.POST or None)
    new_raw = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, new_raw = services.issue_token(
            request.user, request.user, name=data["name"], scope=data["scope"], days=data["days"]
        )
        form = NewTokenForm()
    context = {
        "form": form,
        "new_raw": new_raw,
        "tokens": ApiToken.objects.filter(user=request.user),
        "now": timezone.now(),
    }
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may carry a token's only copy
    return response


@staff_view()
@require_POST
def token_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(request.user, token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@staff_view("user", Action.VIEW)
def user_list(request: StaffRequest) -> HttpResponse:
    users = scope_queryset(request.user, Action.VIEW, "user", User.objects.select_related("agency"))
    return render(request, "accounts/user_list.html", {"users": users})


@staff_view("user", Action.CREATE)
@require_http_methods(["GET", "POST"])
def user_create(request: StaffRequest) -> HttpResponse:
    if request.user.agency is None:
        raise AccessDenied("new accounts join the creator's agency; this account has none")
    form = NewStaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        services.create_staff_user(request.user, request.user.agency, password=password, **data)
        messages.success(request, _("The account was created."))
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _account_or_404(request: HttpRequest, pk: int) -> User:
    """A staff account the user may change; another agency's account is "not found", like a missing one."""
    return get_object_or_404(scope_queryset(request.user, Action.UPDATE, "user", User.objects.all()), pk=pk)


@staff_view("user", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def user_edit(request: StaffRequest, pk: int) -> HttpResponse:
    target = _account_or_404(request, pk)
    form = StaffUserForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.update_staff_user(request.user, target, **form.cleaned_data)
        messages.success(request, _("The account was saved."))
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@staff_view("user", Action.UPDATE)
@require_POST
def user_reset_second_factor(request: StaffRequest, pk: int) -> HttpResponse:
    target = _account_or_404(request, pk)
    services.reset_second_factor(request.user, target)
    messages.success(request, _("The authenticator was reset: the person sets up a new one at next sign-in."))
    return redirect("accounts:users")
