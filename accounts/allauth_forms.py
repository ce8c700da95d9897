"""allauth's sign-up and sign-in forms with the site's labels (ACCOUNT_FORMS).

A module of its own: allauth's forms module imports accounts.forms (ACCOUNT_SIGNUP_FORM_CLASS)
while it loads, so accounts.forms cannot import allauth's forms back."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext_lazy as _

# The AUTH_PASSWORD_VALIDATORS in settings, in one sentence instead of a list of four.
CHOOSING_HINT = _(
    "At least 8 characters; not only digits, not a common password, and not like your e-mail "
    "address."
)


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs["placeholder"] = ""
        # Our own labels, not allauth's: its catalogs differ by region (its Portuguese is
        # Portugal's "palavra-passe", ours Brazil's "senha") and ours are reviewed together.
        if "password1" in self.fields:
            self.fields["password1"].label = _("Password")
            self.fields["password1"].help_text = CHOOSING_HINT
            self.fields["password1"].widget.attrs["placeholder"] = ""
        if "password2" in self.fields:
            self.fields["password2"].label = _("Password again")
            self.fields["password2"].widget.attrs["placeholder"] = ""
        self.fields["display_name"].label = _("Your name")


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs["placeholder"] = ""
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
