"""The customer's account on the storefront: signing in and out with a session, signing up,
choosing a new password with the mailed link, the profile; never cached, CSRF enforced."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEntry, User
from apps.core.models import Tenant
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import ALPHA_HOST, deliver

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
ACCOUNT = "/account/"
PROFILE = "/account/profile/"
NEW_PASSWORD = "brand-new-passphrase"


@pytest.fixture
def ann(tenant_a):
    with schema_context("alpha"):
        return UserFactory(email="ann@alpha.test", display_name="Ann")


def browser(address: str = "203.0.113.5", **extra) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR=address, **extra)


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, email="ann@alpha.test", password=PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def signed_in_as(client) -> str | None:
    """The e-mail address the account page greets, None if it sends to the sign-in page."""
    response = client.get(ACCOUNT)
    if response.status_code == 302:
        return None
    return re.search(r"signed in as (\S+?)\.<", text(response)).group(1)


def test_the_sign_in_page_is_a_private_form_with_its_csrf_token(tenant_a):
    browser().get(LOGIN)
    response = browser().get(LOGIN)  # a second reader: nothing was kept for them
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Cache"] != "hit"
    page = text(response)
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_email">E-mail address</label>' in page
    assert 'autocomplete="current-password"' in page


def test_signing_in_with_the_right_password_opens_a_session_and_follows_next(ann):
    client = browser()
    response = sign_in(client, next="/account/profile/")
    assert response.status_code == 302 and response["Location"] == "/account/profile/"
    assert "sessionid" in response.cookies
    assert "You are signed in." in text(client.get(PROFILE))
    assert signed_in_as(client) == "ann@alpha.test"
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="login", actor=ann).count() == 1


def test_a_wrong_password_is_refused_next_to_the_form_and_audited(ann):
    client = browser()
    response = sign_in(client, password="not-it")
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in text(response)
    assert 'value="ann@alpha.test"' in text(response)  # what was typed stays
    assert signed_in_as(client) is None
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="login_failed", actor_email="ann@alpha.test").exists()


def test_a_missing_field_is_named_next_to_its_input(ann):
    page = text(browser().post(LOGIN, {"email": "ann@alpha.test", "password": ""}))
    assert re.search(r'<ul class="errors" id="id_password_error"><li>This field is required.', page)
    assert 'aria-describedby="id_password_error"' in page and 'aria-invalid="true"' in page


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/account/", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_that_leaves_the_site_is_ignored(ann, unsafe):
    response = sign_in(browser(), next=unsafe)
    assert response.status_code == 302 and response["Location"] == ACCOUNT


def test_failures_up_to_the_limit_lock_the_account_on_that_address(ann, settings):
    attacker = browser("198.51.100.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, password="guess")
    locked = sign_in(attacker)  # even the right password, now
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minute(s)." in text(locked)
    assert '<form method="post"' in text(locked)  # the sign-in page, not a bare error
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert signed_in_as(attacker) is None
    # Ann, from her own address, signs in as usual.
    own = browser("203.0.113.77")
    assert sign_in(own).status_code == 302 and signed_in_as(own) == "ann@alpha.test"


def test_signing_out_takes_a_post_and_ends_the_session(ann):
    client = browser()
    sign_in(client)
    assert client.get("/account/logout/").status_code == 405
    assert signed_in_as(client) == "ann@alpha.test"
    response = client.post("/account/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "You are signed out." in text(client.get(LOGIN))
    assert signed_in_as(client) is None


def test_posts_without_the_csrf_token_are_refused(ann):
    client = browser(enforce_csrf_checks=True)
    assert sign_in(client).status_code == 403
    page = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    assert sign_in(client, csrfmiddlewaretoken=token).status_code == 302
    assert client.post("/account/logout/").status_code == 403  # signing out too
    assert signed_in_as(client) == "ann@alpha.test"


def test_account_pages_send_strangers_to_sign_in_and_come_back(ann):
    client = browser()
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fprofile%2F"
    assert response["Cache-Control"] == "private, no-store"
    assert sign_in(client, next="/account/profile/")["Location"] == PROFILE


def test_account_pages_are_never_cached(ann):
    client = browser()
    sign_in(client)
    for address in (ACCOUNT, PROFILE):
        response = client.get(address)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Cache"] == "bypass"


def test_the_header_says_sign_in_to_strangers_and_account_to_customers(ann):
    client = browser()
    home = text(client.get("/blog/"))
    assert '<a href="/account/login/">Sign in</a>' in home
    sign_in(client)
    assert '<a href="/account/">Account</a>' in text(client.get("/blog/"))


def test_account_pages_cost_a_fixed_number_of_queries(ann, django_assert_max_num_queries):
    client = browser()
    sign_in(client)
    for address in (ACCOUNT, PROFILE):
        client.get(address)
        # The session, its user, the frame's settings, menu and social links, and the header's
        # cart count of a signed-in customer (apps.orders.storefront).
        with django_assert_max_num_queries(7):
            assert client.get(address).status_code == 200


def test_the_overview_lists_the_account_sections(ann):
    client = browser()
    sign_in(client)
    page = text(client.get(ACCOUNT))
    assert "Hello, Ann." in page
    assert '<a href="/account/profile/">Profile and password</a>' in page
    assert 'action="/account/logout/"' in page


def test_pages_speak_russian_with_lang(ann):
    page = text(browser().get(LOGIN + "?lang=ru"))
    assert "Войти" in page and "Адрес электронной почты" in page


# --- signing up ---------------------------------------------------------------------------------


def register(client, email, password="a-long-passphrase", **extra):
    return client.post("/account/register/", {"email": email, "password": password, **extra})


def test_signing_up_creates_a_customer_and_says_to_check_the_mail(tenant_a):
    client = browser()
    assert "Create an account" in text(client.get("/account/register/"))
    response = register(client, "new@alpha.test", display_name="Newt")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "Check your mail" in text(client.get(LOGIN))
    with schema_context("alpha"):
        user = User.objects.get(email="new@alpha.test")
        assert (user.role, user.display_name) == ("customer", "Newt")
    assert sign_in(client, "new@alpha.test", "a-long-passphrase").status_code == 302


def test_signing_up_with_a_taken_address_answers_the_same(ann):
    fresh_client, taken_client = browser(), browser()
    fresh = register(fresh_client, "someone@alpha.test")
    taken = register(taken_client, "ANN@alpha.test", password="another-long-passphrase")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert text(taken_client.get(LOGIN)).count("Check your mail") == 1
    with schema_context("alpha"):
        assert User.objects.filter(email__iexact="ann@alpha.test").count() == 1
        assert User.objects.get(email="ann@alpha.test").check_password(PASSWORD)


def test_a_weak_password_is_named_next_to_its_field(tenant_a):
    response = register(browser(), "new@alpha.test", password="123")
    page = text(response)
    assert re.search(r'id="id_password_error"><li>This password is too short', page)
    with schema_context("alpha"):
        assert not User.objects.filter(email="new@alpha.test").exists()


def test_a_site_closed_to_sign_ups_says_so(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(allow_signup=False)
    client = browser()
    page = client.get("/account/register/")
    assert page.status_code == 200
    assert "does not take sign-ups" in text(page) and 'name="password"' not in text(page)
    refused = register(client, "new@alpha.test")
    assert refused.status_code == 403 and "does not take sign-ups" in text(refused)
    with schema_context("alpha"):
        assert not User.objects.filter(email="new@alpha.test").exists()


# --- passwords ----------------------------------------------------------------------------------


def test_a_reset_by_the_mailed_link_sets_the_password_and_ends_every_session(ann):
    elsewhere = browser("203.0.113.8")
    sign_in(elsewhere)
    assert signed_in_as(elsewhere) == "ann@alpha.test"
    client = browser()
    asked = client.post("/account/password-reset/", {"email": "ann@alpha.test"})
    unknown = browser().post("/account/password-reset/", {"email": "nobody@alpha.test"})
    assert (
        (asked.status_code, asked["Location"]) == (unknown.status_code, unknown["Location"]) == (302, LOGIN)
    )
    assert "a link to choose a new password is on its way" in text(client.get(LOGIN))
    deliver("alpha")
    [message] = mail.outbox
    assert message.to == ["ann@alpha.test"]
    link = re.search(r"http://alpha\.test(/account/reset/\?uid=[\w-]+&token=[\w-]+)", message.body).group(1)

    form = client.get(link)
    assert form.status_code == 200 and form["Referrer-Policy"] == "no-referrer"
    uid, token = re.search(r"uid=([\w-]+)&token=([\w-]+)", link).groups()
    mismatch = client.post(
        "/account/reset/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD, "new_password_again": "other"},
    )
    assert "The two passwords differ." in text(mismatch)
    done = client.post(
        "/account/reset/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == LOGIN
    assert signed_in_as(elsewhere) is None  # the other session ended with the old password
    assert "The e-mail address or the password is wrong." in text(sign_in(client))
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302
    # The link worked once.
    used = browser().get(link)
    assert used.status_code == 400 and "invalid or has expired" in text(used)


def test_a_made_up_reset_link_offers_a_new_one(tenant_a):
    response = browser().get("/account/reset/?uid=MQ&token=made-up")
    assert response.status_code == 400
    assert 'href="/account/password-reset/"' in text(response) and 'name="new_password"' not in text(response)


def test_the_profile_changes_name_and_language(ann):
    client = browser()
    sign_in(client)
    response = client.post(
        PROFILE, {"form": "profile", "profile-display_name": "Ann B.", "profile-preferred_language": "ru"}
    )
    assert response.status_code == 302 and response["Location"] == PROFILE
    assert "Your profile is saved." in text(client.get(PROFILE))
    with schema_context("alpha"):
        ann.refresh_from_db()
        assert (ann.display_name, ann.preferred_language) == ("Ann B.", "ru")


def test_a_password_change_keeps_this_session_and_ends_the_others(ann):
    client, elsewhere = browser(), browser("203.0.113.9")
    sign_in(client)
    sign_in(elsewhere)
    wrong = client.post(
        PROFILE,
        {
            "form": "password",
            "password-current_password": "not-it",
            "password-new_password": NEW_PASSWORD,
            "password-new_password_again": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400
    assert re.search(
        r'id="id_password-current_password_error"><li>The current password is wrong', text(wrong)
    )
    changed = client.post(
        PROFILE,
        {
            "form": "password",
            "password-current_password": PASSWORD,
            "password-new_password": NEW_PASSWORD,
            "password-new_password_again": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert signed_in_as(client) == "ann@alpha.test"
    assert signed_in_as(elsewhere) is None
    with schema_context("alpha"):
        ann.refresh_from_db()
        assert ann.check_password(NEW_PASSWORD)
