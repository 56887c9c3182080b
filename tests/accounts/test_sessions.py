"""Cookie mode with CSRF, sign-up, password change and reset, lockout and rate limits."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEntry, User
from apps.core.models import Tenant
from rustok.api.throttling import parse_rate
from tests.accounts.factories import PASSWORD, EditorFactory
from tests.conftest import ALPHA_HOST, deliver

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def editor(tenant_a):
    with schema_context("alpha"):
        return EditorFactory(email="ed@alpha.test")


@pytest.fixture
def browser(tenant_a):
    """A browser: CSRF checks on, as in production."""
    client = Client(HTTP_HOST=ALPHA_HOST, enforce_csrf_checks=True)
    client.csrf = client.get("/api/auth/csrf/").json()["csrf_token"]
    return client


def cookie_login(browser, **extra):
    return browser.post(
        "/api/auth/login/",
        {"email": "ed@alpha.test", "password": PASSWORD, "mode": "cookie"},
        content_type=JSON,
        **extra,
    )


def test_cookie_login_sets_httponly_lax_cookies_and_no_tokens_in_the_body(browser, editor):
    response = cookie_login(browser, HTTP_X_CSRFTOKEN=browser.csrf)
    assert response.status_code == 200
    assert "access" not in response.json() and response.json()["mode"] == "cookie"
    access, refresh = response.cookies["rustok_access"], response.cookies["rustok_refresh"]
    assert access["httponly"] and refresh["httponly"]
    assert access["samesite"] == "Lax" and refresh["path"] == "/api/"
    assert browser.get("/api/auth/me/").json()["email"] == "ed@alpha.test"


def test_cookies_are_secure_when_the_site_is_served_securely(tenant_a, editor):
    browser = Client(HTTP_HOST=ALPHA_HOST)
    with override_settings(SESSION_COOKIE_SECURE=True):  # the default outside DEBUG
        response = browser.post(
            "/api/auth/login/",
            {"email": "ed@alpha.test", "password": PASSWORD, "mode": "cookie"},
            content_type=JSON,
        )
    assert response.cookies["rustok_access"]["secure"] and response.cookies["rustok_refresh"]["secure"]


def test_cookie_login_without_csrf_token_is_refused(browser, editor):
    response = cookie_login(browser)
    assert response.status_code == 403
    assert response.json()["reason"] == "csrf"


def test_unsafe_request_with_the_cookie_needs_the_csrf_token(browser, editor):
    cookie_login(browser, HTTP_X_CSRFTOKEN=browser.csrf)
    body = {"display_name": "Forged"}
    assert browser.patch("/api/auth/me/", body, content_type=JSON).status_code == 403
    assert (
        browser.patch("/api/auth/me/", body, content_type=JSON, HTTP_X_CSRFTOKEN=browser.csrf).status_code
        == 200
    )


def test_cookie_refresh_and_logout(browser, editor):
    cookie_login(browser, HTTP_X_CSRFTOKEN=browser.csrf)
    old_refresh = browser.cookies["rustok_refresh"].value
    assert browser.post("/api/auth/refresh/", content_type=JSON).status_code == 403  # no CSRF token
    response = browser.post("/api/auth/refresh/", content_type=JSON, HTTP_X_CSRFTOKEN=browser.csrf)
    assert response.status_code == 200
    assert browser.cookies["rustok_refresh"].value != old_refresh
    response = browser.post("/api/auth/logout/", content_type=JSON, HTTP_X_CSRFTOKEN=browser.csrf)
    assert response.status_code == 204
    assert browser.cookies["rustok_access"].value == ""
    assert browser.get("/api/auth/me/").status_code == 401


def test_a_dead_refresh_cookie_is_refused_and_cleared(browser, editor):
    cookie_login(browser, HTTP_X_CSRFTOKEN=browser.csrf)
    browser.post("/api/auth/logout/", content_type=JSON, HTTP_X_CSRFTOKEN=browser.csrf)
    browser.cookies["rustok_refresh"] = "garbage"
    response = browser.post("/api/auth/refresh/", content_type=JSON, HTTP_X_CSRFTOKEN=browser.csrf)
    assert response.status_code == 401
    assert response.cookies["rustok_refresh"].value == ""


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_admin_login_page_locks_out_too(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST)
    for _ in range(2):
        client.post("/admin/login/", {"username": "ed@alpha.test", "password": "bad"})
    response = client.post(
        "/admin/login/", {"username": "ed@alpha.test", "password": PASSWORD}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_stale_cookie_does_not_block_signing_in_again(browser, editor):
    browser.cookies["rustok_access"] = "expired.or.garbage"
    assert cookie_login(browser, HTTP_X_CSRFTOKEN=browser.csrf).status_code == 200


def register(client, email, password="a-long-passphrase", **extra):
    body = {"email": email, "password": password, **extra}
    return client.post("/api/auth/register/", body, content_type=JSON)


def test_register_creates_a_customer_who_is_told_to_check_their_mail(client_a, tenant_a):
    response = register(client_a, "new@alpha.test", display_name="New")
    assert response.status_code == 202
    assert "mail" in response.json()["detail"]
    assert "access" not in response.json()  # the same answer as for a taken address: no tokens
    login = client_a.post(
        "/api/auth/login/", {"email": "new@alpha.test", "password": "a-long-passphrase"}, content_type=JSON
    )
    assert login.status_code == 200 and login.json()["user"]["role"] == "customer"
    deliver("alpha")
    [message] = mail.outbox
    assert message.to == ["new@alpha.test"] and "Alpha" in message.body


def test_register_refuses_a_weak_password_naming_the_field_and_writes_nothing(client_a, tenant_a):
    response = client_a.post(
        "/api/auth/register/", {"email": "new@alpha.test", "password": "123"}, content_type=JSON
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"password"}
    with schema_context("alpha"):
        assert not User.objects.filter(email="new@alpha.test").exists()


def test_register_with_a_taken_email_answers_the_same_and_mails_its_owner(client_a, editor):
    fresh = register(client_a, "someone.new@alpha.test")
    taken = register(client_a, "ED@alpha.test", password="another-long-passphrase")
    assert (taken.status_code, taken.json()) == (fresh.status_code, fresh.json())
    with schema_context("alpha"):
        assert User.objects.filter(email__iexact="ed@alpha.test").count() == 1
        assert User.objects.get(email="ed@alpha.test").check_password(PASSWORD)
        assert AuditEntry.objects.filter(action="signup_taken", target_id=str(editor.pk)).exists()
    deliver("alpha")
    [message] = [m for m in mail.outbox if m.to == ["ed@alpha.test"]]
    assert "sign up" in message.body and "already have an account" in message.body
    assert re.search(r"/account/reset/\?uid=[\w-]+&token=[\w-]+", message.body)


def test_graphql_register_answers_alike_for_a_new_and_a_taken_address(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST)

    def sign_up(email):
        query = f'mutation {{ register(email: "{email}", password: "a-long-passphrase") {{ ok detail }} }}'
        return client.post("/api/graphql/", {"query": query}, content_type=JSON).json()

    fresh, taken = sign_up("gql.new@alpha.test"), sign_up("ed@alpha.test")
    assert fresh == taken and fresh["data"]["register"]["ok"] is True
    with schema_context("alpha"):
        assert User.objects.filter(email="gql.new@alpha.test").exists()


def test_register_is_refused_when_the_site_closed_sign_up(client_a, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(allow_signup=False)
    response = client_a.post(
        "/api/auth/register/", {"email": "new@alpha.test", "password": "a-long-passphrase"}, content_type=JSON
    )
    assert response.status_code == 403
    assert response.json()["reason"] == "signup_closed"


def test_password_change_ends_other_sign_ins_but_not_this_one(client_a, editor):
    first = client_a.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
    ).json()
    other = client_a.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
    ).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {first['access']}"}
    wrong = client_a.post(
        "/api/auth/password/change/",
        {"current_password": "nope", "new_password": "another-long-one"},
        content_type=JSON,
        **auth,
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "current_password"
    response = client_a.post(
        "/api/auth/password/change/",
        {"current_password": PASSWORD, "new_password": "another-long-one"},
        content_type=JSON,
        **auth,
    )
    assert response.status_code == 204
    assert client_a.get("/api/auth/me/", **auth).status_code == 200
    assert client_a.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {other['access']}").status_code == 401


def test_password_reset_by_mailed_token(client_a, client_b, editor):
    tokens = client_a.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
    ).json()
    assert (
        client_a.post("/api/auth/password/reset/", {"email": "ed@alpha.test"}, content_type=JSON).status_code
        == 202
    )
    # An unknown address gets the same answer and no mail.
    assert (
        client_a.post("/api/auth/password/reset/", {"email": "who@alpha.test"}, content_type=JSON).status_code
        == 202
    )
    assert mail.outbox == []  # the request only recorded the event; the mail is the worker's
    deliver("alpha")
    [message] = mail.outbox
    assert message.to == ["ed@alpha.test"]
    uid, token = re.search(r"uid=([\w-]+)&token=([\w-]+)", message.body).groups()
    assert f"http://{ALPHA_HOST}/" in message.body

    body = {"uid": uid, "token": token, "new_password": "brand-new-passphrase"}
    # The same link is worthless on another tenant's host.
    assert client_b.post("/api/auth/password/reset/confirm/", body, content_type=JSON).status_code == 400
    assert client_a.post("/api/auth/password/reset/confirm/", body, content_type=JSON).status_code == 204
    assert (
        client_a.post("/api/auth/password/reset/confirm/", body, content_type=JSON).status_code == 400
    )  # used
    # Existing sign-ins end; the new password works.
    assert client_a.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}").status_code == 401
    login = client_a.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": "brand-new-passphrase"}, content_type=JSON
    )
    assert login.status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_with_429_and_retry_after(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        client.post("/api/auth/login/", {"email": "ed@alpha.test", "password": "wrong"}, content_type=JSON)
    # Even the right password is refused from that address while locked...
    response = client.post(
        "/api/auth/login/", {"email": "ED@alpha.test", "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "login_locked"
    assert 15 * 60 - 5 <= int(response["Retry-After"]) <= 15 * 60
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="locked_out").exists()
    # ...but not from another one: guessing someone's password does not lock them out.
    other = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.2")
    response = other.post(
        "/api/auth/login/", {"email": "ED@alpha.test", "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 200


@override_settings(AUTH_LOCKOUT_ADDRESS_FAILURES=3)
def test_repeated_failures_from_one_address_lock_that_address(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.9")
    for n in range(3):
        client.post("/api/auth/login/", {"email": f"guess{n}@alpha.test", "password": "x"}, content_type=JSON)
    response = client.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 429
    # The account itself is not locked for others.
    fine = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.10")
    assert (
        fine.post(
            "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
        ).status_code
        == 200
    )


def test_the_lockout_of_one_tenant_does_not_lock_the_same_address_on_another(tenant_a, tenant_b, editor):
    with override_settings(AXES_FAILURE_LIMIT=2):
        alpha = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.3")
        for _ in range(2):
            alpha.post("/api/auth/login/", {"email": "ed@alpha.test", "password": "x"}, content_type=JSON)
        beta = Client(HTTP_HOST="beta.test", REMOTE_ADDR="10.0.0.3")
        response = beta.post(
            "/api/auth/login/", {"email": "ed@alpha.test", "password": "x"}, content_type=JSON
        )
    assert response.status_code == 401


def _rates(**rates):
    from django.conf import settings

    return {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def test_rate_limit_answers_429_problem_with_retry_after(client_a, tenant_a):
    with override_settings(REST_FRAMEWORK=_rates(anon="3/min")):
        statuses = [client_a.get("/api/v1/site/").status_code for _ in range(4)]
        response = client_a.get("/api/v1/site/")
    assert statuses == [200, 200, 200, 429]
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_rate_limits_are_per_tenant_and_per_user(client_a, client_b, editor_a, tenant_a):
    with override_settings(REST_FRAMEWORK=_rates(anon="2/min", user="2/min")):
        for _ in range(2):
            client_a.get("/api/v1/site/")
        assert client_a.get("/api/v1/site/").status_code == 429
        assert client_b.get("/api/v1/site/").status_code == 200  # same address, other tenant
        assert editor_a.get("/api/v1/site/").status_code == 200  # signed in: counted by user


def test_graphql_is_rate_limited_too(client_a, tenant_a):
    with override_settings(REST_FRAMEWORK=_rates(anon="1/min")):
        query = {"query": "{ site { slug } }"}
        assert client_a.post("/api/graphql/", query, content_type=JSON).status_code == 200
        response = client_a.post("/api/graphql/", query, content_type=JSON)
    assert response.status_code == 429 and response["Retry-After"]


def test_parse_rate():
    assert parse_rate("600/min") == (600, 60)
    assert parse_rate("10/s") == (10, 1)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_signing_in_to_ones_own_account_does_not_reset_the_count_for_another(tenant_a, editor):
    with schema_context("alpha"):
        EditorFactory(email="attacker@alpha.test")
    attacker = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.66")
    for _ in range(2):
        attacker.post("/api/auth/login/", {"email": "ed@alpha.test", "password": "guess"}, content_type=JSON)
        ok = attacker.post(
            "/api/auth/login/", {"email": "attacker@alpha.test", "password": PASSWORD}, content_type=JSON
        )
        assert ok.status_code == 200
    attacker.post("/api/auth/login/", {"email": "ed@alpha.test", "password": "guess"}, content_type=JSON)
    response = attacker.post(
        "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 429


def test_graphql_sign_in_attempts_are_rate_limited_per_attempt_not_per_request(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST)
    logins = " ".join(
        f'a{n}: login(email: "ed@alpha.test", password: "guess{n}") {{ expiresIn }}' for n in range(3)
    )
    with override_settings(REST_FRAMEWORK=_rates(auth="2/min")):
        body = client.post("/api/graphql/", {"query": f"mutation {{ {logins} }}"}, content_type=JSON).json()
    codes = [error["extensions"]["code"] for error in body["errors"]]
    assert codes.count("THROTTLED") == 1


@pytest.mark.parametrize("forwarded", ["unknown", "1.2.3.4:5678", ""])
def test_a_garbled_forwarded_for_header_falls_back_to_the_peer_address(forwarded, tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=1):
        response = client.post(
            "/api/auth/login/", {"email": "ed@alpha.test", "password": "bad"}, content_type=JSON
        )
    assert response.status_code == 401
    with schema_context("alpha"):
        assert AuditEntry.objects.get(action="login_failed").ip_address == "10.0.0.5"


def test_anonymous_traffic_cannot_use_up_the_sites_signed_in_quota(tenant_a, editor_a):
    with override_settings(REST_FRAMEWORK=_rates(tenant_anon="2/min", tenant="100/min")):
        for n in range(2):
            Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR=f"10.1.0.{n}").get("/api/v1/site/")
        assert Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.1.0.9").get("/api/v1/site/").status_code == 429
        assert editor_a.get("/api/v1/site/").status_code == 200


@override_settings(AUTH_LOCKOUT_ADDRESS_FAILURES=2)
def test_sign_up_from_a_locked_address_creates_no_account(tenant_a):
    client = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.2.0.1")
    for _ in range(2):
        client.post("/api/auth/login/", {"email": "x@alpha.test", "password": "bad"}, content_type=JSON)
    body = {"email": "fresh@alpha.test", "password": "a-long-passphrase"}
    response = client.post("/api/auth/register/", body, content_type=JSON)
    assert response.status_code == 429
    with schema_context("alpha"):
        assert not User.objects.filter(email="fresh@alpha.test").exists()


def test_a_reset_mail_that_cannot_be_sent_is_retried_until_the_server_is_back(client_a, editor, settings):
    import datetime as dt

    from django.utils import timezone

    from apps.events import services as bus
    from apps.events.models import Delivery

    settings.EMAIL_BACKEND = "tests.accounts.mail.DownBackend"
    client_a.post("/api/auth/password/reset/", {"email": "ed@alpha.test"}, content_type=JSON)
    deliver("alpha")
    with schema_context("alpha"):
        delivery = Delivery.objects.get(handler="accounts.mail_password_reset")
    assert delivery.status == "retrying"
    assert "the mail server is down" in delivery.last_error
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with schema_context("alpha"):
        bus.relay(now=timezone.now() + dt.timedelta(minutes=5))
        assert Delivery.objects.get(pk=delivery.pk).status == "done"
    [message] = mail.outbox
    assert message.to == ["ed@alpha.test"]
