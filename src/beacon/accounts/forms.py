from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from beacon.accounts import throttle
from beacon.accounts.models import TokenScope, User
from beacon.accounts.roles import Role


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs) -> None:
        self.request = request
        self.user: User | None = None
        self.wait = 0  # seconds before this account's password may be checked again (throttle)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if username and password:
            user_pk = User.objects.filter(username=username).values_list("pk", flat=True).first()
            self.wait = throttle.wait_seconds(self.request, username, user_pk)
            if self.wait:
                raise forms.ValidationError(
                    _(
                        "Many sign-ins to this account have failed recently, so each new try waits a "
                        "little. Try again in %(seconds)d seconds. The account is not locked."
                    ),
                    code="slow_down",
                    params={"seconds": self.wait},
                )
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                raise forms.ValidationError(
                    _(
                        "That user name and password do not match. After several failed attempts, sign-in "
                        "from this device is paused for a while."
                    ),
                    code="invalid_login",
                )
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


ASSIGNABLE_ROLES = [choice for choice in Role.choices if choice[0] != Role.SYSTEM_ADMIN]


class StaffUserForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=ASSIGNABLE_ROLES)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "is_active"]
        labels = {"username": _("User name"), "is_active": _("Active")}


class NewStaffUserForm(StaffUserForm):
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. The person sets up their authenticator at first sign-in."),
    )

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, for example “SMS gateway”.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        longest = settings.BEACON_API_TOKEN_DAYS  # read per form: the setting may change between requests
        self.fields["days"] = forms.IntegerField(
            label=_("Valid for (days)"),
            min_value=1,
            max_value=longest,
            initial=min(90, longest),
            help_text=_("At most %(days)d days.") % {"days": longest},
        )
