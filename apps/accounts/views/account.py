"""The storefront's pages of signing in and of the customer's own account.

Signing in opens a Django session (services.sign_in_session: the password checked through the
lockout and the audit, as the API's sign-in); every POST form carries the CSRF token; every page
here answers `Cache-Control: private, no-store`. The answers that could tell whether an address
has an account (sign-up, asking for a reset link) are the same either way.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import forms, lockout, services
from apps.accounts.views.pages import account_context, account_page, private, safe_next, url
from rustok.errors import AuthenticationFailed, DomainError, InvalidInput, PermissionDenied
from rustok.i18n import current_language
from rustok.net import site_url

REGISTERED = gettext_lazy("Check your mail: a message about your account is on its way to this address.")


def _locked(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The page with its form again, saying for how long sign-ins are refused (429). The lockout
    middleware keeps this page (shows_lockout) rather than its own."""
    minutes = max(math.ceil(lockout.retry_after(request) / 60), 1)
    context["form"].add_error(
        None,
        _("Too many failed sign-ins. Try again in %(minutes)s minute(s).") % {"minutes": minutes},
    )
    response = render(request, template, context, status=429)
    response.shows_lockout = True
    return response


@private
def login(request: HttpRequest) -> HttpResponse:
    """Sign in with an e-mail address and a password; then `next` (a path of this site) or the
    account."""
    target = safe_next(request)
    form = forms.LoginForm(request.POST or None)
    context = {"form": form, "next": target, "page_title": _("Sign in")}
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_session(
                request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
        except services.LoginLocked:
            return _locked(request, "storefront/account/login.html", context)
        except AuthenticationFailed as error:
            form.show_error(error)
        else:
            messages.success(request, _("You are signed in."))
            return HttpResponseRedirect(target)
    return render(request, "storefront/account/login.html", context)


@private
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, with the CSRF token), then the sign-in page."""
    services.sign_out_session(request=request)
    messages.info(request, _("You are signed out."))
    return HttpResponseRedirect(url("account-login"))


@private
def register(request: HttpRequest) -> HttpResponse:
    """Sign up as a customer when the site allows it; the answer does not tell whether the
    address already had an account (its owner gets a mail instead)."""
    open_ = bool(getattr(request.tenant, "allow_signup", False))
    form = forms.RegisterForm(request.POST or None) if open_ else None
    context = {"form": form, "signup_open": open_, "page_title": _("Create an account")}
    if request.method == "POST" and not open_:
        return render(request, "storefront/account/register.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_customer(
                tenant=request.tenant,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                preferred_language=current_language(),
                base_url=site_url(request),
                request=request,
            )
        except services.LoginLocked:
            return _locked(request, "storefront/account/register.html", context)
        except PermissionDenied:
            context.update(signup_open=False, form=None)
            return render(request, "storefront/account/register.html", context, status=403)
        except InvalidInput as error:
            form.show_error(error)
        else:
            messages.success(request, REGISTERED)
            return HttpResponseRedirect(url("account-login"))
    return render(request, "storefront/account/register.html", context)


@private
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password; the same answer whether the address has an
    account or not."""
    form = forms.PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(
            email=form.cleaned_data["email"], base_url=site_url(request), request=request
        )
        messages.success(
            request,
            _("If an account has this address, a link to choose a new password is on its way to it."),
        )
        return HttpResponseRedirect(url("account-login"))
    return render(
        request,
        "storefront/account/password_reset.html",
        {"form": form, "page_title": _("Forgot your password?")},
    )


@private
def reset(request: HttpRequest) -> HttpResponse:
    """Choose a new password with the mailed link (`?uid=&token=`); every sign-in of the account
    ends, then the sign-in page."""
    uid = request.POST.get("uid") or request.GET.get("uid") or ""
    token = request.POST.get("token") or request.GET.get("token") or ""
    valid = services.user_of_reset_link(uid=uid, token=token) is not None
    form = forms.NewPasswordForm(request.POST or None) if valid else None
    context = {
        "form": form,
        "uid": uid,
        "token": token,
        "valid": valid,
        "page_title": _("Choose a new password"),
    }
    if request.method == "POST" and valid and form.is_valid():
        try:
            services.reset_password(
                uid=uid, token=token, new_password=form.cleaned_data["new_password"], request=request
            )
        except InvalidInput as error:
            form.show_error(error)
        else:
            messages.success(request, _("Your password is changed. Sign in with it."))
            return HttpResponseRedirect(url("account-login"))
    response = render(request, "storefront/account/reset.html", context, status=200 if valid else 400)
    response["Referrer-Policy"] = "no-referrer"  # the address holds the token
    return response


@account_page
def overview(request: HttpRequest) -> HttpResponse:
    """The account's home: who is signed in and the account's sections."""
    return render(
        request, "storefront/account/overview.html", account_context(request, page_title=_("Your account"))
    )


@account_page
def profile(request: HttpRequest) -> HttpResponse:
    """One's name and the language of one's mails; one's password (the other sign-ins end)."""
    user = request.user
    which = request.POST.get("form") if request.method == "POST" else ""
    profile_form = forms.ProfileForm(
        request.POST if which == "profile" else None,
        initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
        prefix="profile",
    )
    password_form = forms.PasswordChangeForm(request.POST if which == "password" else None, prefix="password")
    context = account_context(
        request, profile_form=profile_form, password_form=password_form, page_title=_("Profile and password")
    )
    template = "storefront/account/profile.html"
    if which == "profile" and profile_form.is_valid():
        try:
            services.update_profile(user=user, **profile_form.cleaned_data)
        except InvalidInput as error:
            profile_form.show_error(error)
        else:
            messages.success(request, _("Your profile is saved."))
            return HttpResponseRedirect(url("account-profile"))
    if which == "password" and password_form.is_valid():
        try:
            services.change_password_in_session(
                request=request,
                current_password=password_form.cleaned_data["current_password"],
                new_password=password_form.cleaned_data["new_password"],
            )
        except services.LoginLocked:
            context["form"] = password_form
            return _locked(request, template, context)
        except DomainError as error:
            password_form.show_error(error)
        else:
            messages.success(
                request, _("Your password is changed. You stay signed in here; elsewhere, sign in again.")
            )
            return HttpResponseRedirect(url("account-profile"))
    status = 400 if which and (profile_form.errors or password_form.errors) else 200
    return render(request, template, context, status=status)
