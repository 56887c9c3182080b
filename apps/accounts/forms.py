"""Forms of the storefront's account pages: they read what was typed; the services decide.

A form checks only the shape of its input (required, an e-mail address, the same password twice);
every rule (the password's strength, the lockout, who may sign up) is the services' own, and a
DomainError they raise is shown next to the field it names (`show_error`). Each input is
described by its help and its errors (Django's `aria-describedby` ids `<id>_helptext` and
`<id>_error`, `aria-invalid`), so a screen reader reads them with the field. The CSRF token
is the template's (`{% csrf_token %}` in every POST form).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rustok.errors import DomainError


class StorefrontForm(forms.Form):
    """A storefront form: rendered by `{% include "storefront/account/form_fields.html" %}`, each
    field by storefront/account/field.html."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def show_error(self, error: DomainError, fields: dict[str, str] | None = None) -> None:
        """Show a service's error: each message next to the field it names (`fields` maps the
        service's names to the form's, such as `shipping_address.city` to `city`), the rest
        above the form."""
        fields = fields or {}
        named = getattr(error, "errors", None) or {}
        shown = False
        for name, messages in named.items():
            field = fields.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, gettext(message))
                shown = True
        if not shown:
            self.add_error(None, gettext(error.detail) if getattr(error, "detail", "") else str(error))


def _languages():
    return [("", _("The site's language")), *settings.LANGUAGES]


class LoginForm(StorefrontForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(StorefrontForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(lambda: " ".join(password_validation.password_validators_help_texts()), str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PasswordResetForm(StorefrontForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class NewPasswordForm(StorefrontForm):
    """A new password, typed twice (the reset page, the profile's password change)."""

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password"), data.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "new_password_again"]


class ProfileForm(StorefrontForm):
    display_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of our mails"), required=False, choices=_languages
    )
