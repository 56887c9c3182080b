"""Bearer JWT lifecycle: login, rotation, reuse detection, logout, expiry, tenant binding."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework_simplejwt.tokens import AccessToken

from apps.accounts.models import AuditEntry, TokenFamily
from tests.accounts.factories import PASSWORD, EditorFactory
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(tenant_a):
    with schema_context("alpha"):
        return EditorFactory(email="Ed@Alpha.test")


def login(client, email="ed@alpha.test", password=PASSWORD, **extra):
    return client.post(
        "/api/auth/login/", {"email": email, "password": password, **extra}, content_type="application/json"
    )


def me(client, access):
    return client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")


def refresh(client, token):
    return client.post("/api/auth/refresh/", {"refresh": token}, content_type="application/json")


def test_login_answers_a_token_pair_and_me_shows_role_and_permissions(client_a, editor):
    response = login(client_a, email="ED@alpha.TEST")  # e-mail matched whatever its case
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    profile = me(client_a, body["access"]).json()
    assert profile["email"] == "Ed@Alpha.test"
    assert profile["role"] == "editor"
    assert "notes.change_note" in profile["permissions"]
    assert "accounts.manage_users" not in profile["permissions"]


def test_wrong_password_is_401_problem_and_audited(client_a, editor):
    response = login(client_a, password="wrong")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "authentication_failed"
    with schema_context("alpha"):
        entry = AuditEntry.objects.get(action="login_failed")
    assert entry.actor_email == "ed@alpha.test" and entry.ip_address == "127.0.0.1"


def test_refresh_rotates_and_the_old_refresh_token_is_dead(client_a, editor):
    first = login(client_a).json()
    second = refresh(client_a, first["refresh"])
    assert second.status_code == 200
    assert second.json()["refresh"] != first["refresh"]
    assert me(client_a, second.json()["access"]).status_code == 200


def later(seconds: int) -> None:
    """Let `seconds` pass since every sign-in's last refresh."""
    with schema_context("alpha"):
        for family in TokenFamily.objects.exclude(refreshed_at=None):
            TokenFamily.objects.filter(pk=family.pk).update(
                refreshed_at=family.refreshed_at - timedelta(seconds=seconds)
            )


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client_a, editor):
    first = login(client_a).json()
    second = refresh(client_a, first["refresh"]).json()
    later(6)  # past AUTH_REFRESH_GRACE_SECONDS
    stolen = refresh(client_a, first["refresh"])  # the old one, replayed
    assert stolen.status_code == 401
    assert stolen.json()["reason"] == "reused"
    # The legitimate holder's tokens are dead too: they must sign in again.
    assert refresh(client_a, second["refresh"]).status_code == 401
    assert me(client_a, second["access"]).status_code == 401
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="token_reused").count() == 1


def test_the_same_refresh_token_twice_at_once_gets_the_same_new_pair(client_a, editor):
    first = login(client_a).json()
    one = refresh(client_a, first["refresh"])
    two = refresh(client_a, first["refresh"])  # a second tab, or a retry of a lost answer
    assert one.status_code == two.status_code == 200
    assert (two.json()["access"], two.json()["refresh"]) == (one.json()["access"], one.json()["refresh"])
    assert me(client_a, two.json()["access"]).status_code == 200
    # The sign-in goes on: the new refresh token works once, as usual.
    assert refresh(client_a, two.json()["refresh"]).status_code == 200
    with schema_context("alpha"):
        assert not AuditEntry.objects.filter(action="token_reused").exists()


def test_a_duplicate_of_an_older_refresh_token_is_reuse_even_at_once(client_a, editor):
    first = login(client_a).json()
    second = refresh(client_a, first["refresh"]).json()
    refresh(client_a, second["refresh"])
    response = refresh(client_a, first["refresh"])  # two rotations ago
    assert response.status_code == 401 and response.json()["reason"] == "reused"
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="token_reused").count() == 1


def test_cookie_refresh_twice_at_once_keeps_the_sign_in(tenant_a, editor):
    browser = Client(HTTP_HOST=ALPHA_HOST, enforce_csrf_checks=True)
    csrf = browser.get("/api/auth/csrf/").json()["csrf_token"]
    body = {"email": "ed@alpha.test", "password": PASSWORD, "mode": "cookie"}
    browser.post("/api/auth/login/", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    cookie = browser.cookies["rustok_refresh"].value
    answers = []
    for _ in range(2):  # both tabs sent the cookie they had
        browser.cookies["rustok_refresh"] = cookie
        response = browser.post("/api/auth/refresh/", HTTP_X_CSRFTOKEN=csrf)
        answers.append((response.status_code, response.cookies["rustok_refresh"].value))
    assert answers[0] == answers[1] and answers[0][0] == 200
    assert browser.get("/api/auth/me/").status_code == 200


def test_logout_kills_refresh_and_access_tokens(client_a, editor):
    tokens = login(client_a).json()
    response = client_a.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert response.status_code == 204
    assert me(client_a, tokens["access"]).status_code == 401
    assert refresh(client_a, tokens["refresh"]).status_code == 401


def test_logout_with_only_the_refresh_token(client_a, editor):
    tokens = login(client_a).json()
    response = client_a.post(
        "/api/auth/logout/", {"refresh": tokens["refresh"]}, content_type="application/json"
    )
    assert response.status_code == 204
    assert me(client_a, tokens["access"]).status_code == 401


def test_a_token_of_one_tenant_is_refused_on_another(client_a, client_b, editor):
    tokens = login(client_a).json()
    response = me(client_b, tokens["access"])
    assert response.status_code == 401
    assert response.json()["reason"] == "wrong_tenant"
    assert "Bearer" in response["WWW-Authenticate"]
    assert refresh(client_b, tokens["refresh"]).status_code == 401


def _segments(token):
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_tampered_and_alg_none_tokens_are_refused(client_a, editor):
    access = login(client_a).json()["access"]
    header, payload, signature = _segments(access)
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["user_id"] = claims["user_id"] + 1
    assert me(client_a, f"{header}.{_b64(claims)}.{signature}").status_code == 401
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    assert me(client_a, unsigned).status_code == 401
    assert me(client_a, "not-a-token").status_code == 401


def test_an_expired_access_token_is_refused(client_a, editor):
    access = login(client_a).json()["access"]
    token = AccessToken(access)
    token.set_exp(lifetime=timedelta(seconds=-1))
    response = me(client_a, str(token))
    assert response.status_code == 401
    assert response.json()["reason"] == "invalid"


def test_a_deactivated_users_tokens_stop_working(client_a, editor):
    tokens = login(client_a).json()
    with schema_context("alpha"):
        editor.is_active = False
        editor.save()
    assert me(client_a, tokens["access"]).status_code == 401
    assert refresh(client_a, tokens["refresh"]).status_code == 401


def test_anonymous_me_is_401(client_a):
    response = client_a.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_update_profile(client_a, editor):
    access = login(client_a).json()["access"]
    response = client_a.patch(
        "/api/auth/me/",
        {"display_name": "Eddie", "preferred_language": "ru"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Eddie" and response.json()["preferred_language"] == "ru"


def test_graphql_login_and_me(tenant_a, editor):
    client = Client(HTTP_HOST=ALPHA_HOST)
    query = (
        'mutation { login(email: "ed@alpha.test", password: "'
        + PASSWORD
        + '") { accessToken user { role } } }'
    )
    body = client.post("/api/graphql/", {"query": query}, content_type="application/json").json()
    access = body["data"]["login"]["accessToken"]
    assert body["data"]["login"]["user"]["role"] == "editor"
    me_body = client.post(
        "/api/graphql/",
        {"query": "{ me { email } }"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    ).json()
    assert me_body == {"data": {"me": {"email": "Ed@Alpha.test"}}}


def _expired(access: str) -> str:
    token = AccessToken(access)
    token.set_exp(lifetime=timedelta(seconds=-1))
    return str(token)


def _graphql(client, query: str, variables: dict, access: str):
    return client.post(
        "/api/graphql/",
        {"query": query, "variables": variables},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )


REFRESH = "mutation($r: String) { refresh(refreshToken: $r) { accessToken } }"


def test_a_graphql_client_whose_access_token_expired_can_still_refresh(client_a, editor):
    tokens = login(client_a).json()
    response = _graphql(client_a, REFRESH, {"r": tokens["refresh"]}, _expired(tokens["access"]))
    assert response.status_code == 200, response.content
    fresh = response.json()["data"]["refresh"]["accessToken"]
    assert me(client_a, fresh).json()["email"] == "Ed@Alpha.test"


def test_expired_credentials_still_refuse_an_operation_that_does_more_than_sign_in(client_a, editor):
    tokens = login(client_a).json()
    expired = _expired(tokens["access"])
    both = "mutation($r: String) { refresh(refreshToken: $r) { accessToken } logout { ok } }"
    for query in (both, "{ me { email } }"):
        response = _graphql(client_a, query, {"r": tokens["refresh"]}, expired)
        assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
