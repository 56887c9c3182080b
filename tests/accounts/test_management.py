"""Managing users, roles and API tokens (REST and admin), and the audit log of it."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken, AuditEntry, Role, User
from tests.accounts.factories import UserFactory
from tests.conftest import ALPHA_HOST, bearer, deliver

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {
            role: UserFactory(email=f"{role}@alpha.test", role=role)
            for role in ("owner", "admin", "editor", "customer")
        }


def as_(tenant_a, user) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, user), REMOTE_ADDR="192.0.2.7")


def test_admin_lists_and_filters_users(tenant_a, people):
    client = as_(tenant_a, people["admin"])
    emails = [u["email"] for u in client.get("/api/v1/users/?role=editor").json()["results"]]
    assert emails == ["editor@alpha.test"]


def test_list_of_users_costs_a_fixed_number_of_queries(tenant_a, people, django_assert_max_num_queries):
    client = as_(tenant_a, people["admin"])
    with schema_context("alpha"):
        UserFactory.create_batch(10)
    client.get("/api/v1/users/")  # warms the module-toggle cache and the host's route
    # routing (the search path: 1), the token's family and user (1), count and page (2)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/users/").json()["results"]) == 14


def test_admin_invites_a_user_who_gets_a_mail_to_choose_a_password(tenant_a, people, mailoutbox):
    client = as_(tenant_a, people["admin"])
    response = client.post("/api/v1/users/", {"email": "new@alpha.test", "role": "editor"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["role"] == "editor"
    deliver("alpha")
    [message] = mailoutbox
    assert "admin@alpha.test invited you to sign in as Editor" in message.body
    assert message.to == ["new@alpha.test"] and "/account/reset/?uid=" in message.body
    with schema_context("alpha"):
        assert not User.objects.get(email="new@alpha.test").has_usable_password()
        entry = AuditEntry.objects.get(action="user_created")
    assert entry.actor_email == "admin@alpha.test" and entry.ip_address == "192.0.2.7"


def test_an_admin_cannot_make_an_owner_nor_demote_one(tenant_a, people):
    client = as_(tenant_a, people["admin"])
    editor, owner = people["editor"], people["owner"]
    response = client.post(f"/api/v1/users/{editor.pk}/role/", {"role": "owner"}, content_type=JSON)
    assert response.status_code == 403
    response = client.post(f"/api/v1/users/{owner.pk}/role/", {"role": "customer"}, content_type=JSON)
    assert response.status_code == 403
    assert client.post(f"/api/v1/users/{owner.pk}/deactivate/", content_type=JSON).status_code == 403
    with schema_context("alpha"):
        assert User.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_admin_changes_a_role_and_it_is_audited(tenant_a, people):
    client = as_(tenant_a, people["admin"])
    response = client.post(
        f"/api/v1/users/{people['customer'].pk}/role/", {"role": "moderator"}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["role"] == "moderator"
    with schema_context("alpha"):
        entry = AuditEntry.objects.get(action="role_changed")
    assert entry.data == {"previous": "customer", "role": "moderator"}
    assert entry.target_label.endswith("") and entry.target_id == str(people["customer"].pk)


def test_the_last_owner_cannot_be_demoted_or_deactivated(tenant_a, people):
    with schema_context("alpha"):
        second = UserFactory(email="owner2@alpha.test", role=Role.OWNER)
    client = as_(tenant_a, people["owner"])
    assert (
        client.post(f"/api/v1/users/{second.pk}/role/", {"role": "admin"}, content_type=JSON).status_code
        == 200
    )
    # Now people["owner"] is the only owner: demoting them is refused, naming why.
    other = as_(tenant_a, people["owner"])
    response = other.post(f"/api/v1/users/{people['owner'].pk}/role/", {"role": "admin"}, content_type=JSON)
    assert response.status_code == 409 and response.json()["reason"] == "last_owner"
    with schema_context("alpha"):
        assert User.objects.get(pk=people["owner"].pk).role == Role.OWNER


def test_deactivating_a_user_ends_their_sign_ins(tenant_a, people):
    editor_client = as_(tenant_a, people["editor"])
    admin = as_(tenant_a, people["admin"])
    assert (
        admin.post(f"/api/v1/users/{people['editor'].pk}/deactivate/", content_type=JSON).status_code == 200
    )
    assert editor_client.get("/api/auth/me/").status_code == 401
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="user_deactivated").count() == 1


def test_deactivation_ends_api_tokens_for_good(tenant_a, people):
    from apps.accounts import services

    with schema_context("alpha"):
        _own, own = services.create_api_token(
            actor=people["admin"], name="own", user=people["editor"], scopes=["notes.change_note"]
        )
    admin = as_(tenant_a, people["admin"])
    editor_id = people["editor"].pk
    assert admin.post(f"/api/v1/users/{editor_id}/deactivate/", content_type=JSON).status_code == 200
    assert admin.post(f"/api/v1/users/{editor_id}/activate/", content_type=JSON).status_code == 200
    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {own}")
    response = integration.get("/api/auth/me/")
    assert response.status_code == 401 and response.json()["reason"] == "revoked"
    with schema_context("alpha"):
        [entry] = AuditEntry.objects.filter(action="api_token_revoked")
    assert entry.actor_email == "admin@alpha.test" and entry.data == {"reason": "user_deactivated"}


def test_deactivating_an_admin_ends_the_tokens_they_made_for_others(tenant_a, people):
    from apps.accounts import services

    with schema_context("alpha"):
        second = UserFactory(email="admin2@alpha.test", role=Role.ADMIN)
        _made, made = services.create_api_token(
            actor=second, name="for the editor", user=people["editor"], scopes=["notes.change_note"]
        )
    owner = as_(tenant_a, people["owner"])
    assert owner.post(f"/api/v1/users/{second.pk}/deactivate/", content_type=JSON).status_code == 200
    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {made}")
    assert integration.get("/api/auth/me/").status_code == 401


def test_api_token_is_shown_once_stored_hashed_and_bounded_by_its_scopes(tenant_a, people):
    admin = as_(tenant_a, people["admin"])
    response = admin.post(
        "/api/v1/api-tokens/", {"name": "importer", "scopes": ["notes.change_note"]}, content_type=JSON
    )
    assert response.status_code == 201
    secret = response.json()["token"]
    listed = admin.get("/api/v1/api-tokens/").json()["results"]
    assert "token" not in listed[0]
    with schema_context("alpha"):
        stored = ApiToken.objects.get()
    assert secret not in stored.key_hash and stored.prefix in secret

    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}")
    assert integration.post("/api/v1/notes/", {"text": "imported"}, content_type=JSON).status_code == 201
    # The admin it acts as may manage users; the token may not.
    refused = integration.get("/api/v1/users/")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    with schema_context("alpha"):
        assert ApiToken.objects.get().last_used_at is not None

    token_id = response.json()["id"]
    assert admin.post(f"/api/v1/api-tokens/{token_id}/revoke/", content_type=JSON).status_code == 200
    assert integration.get("/api/auth/me/").status_code == 401
    with schema_context("alpha"):
        actions = list(
            AuditEntry.objects.filter(action__startswith="api_token").values_list("action", flat=True)
        )
    assert sorted(actions) == ["api_token_created", "api_token_revoked"]


def test_an_api_token_is_worthless_on_another_tenant(tenant_a, people, client_b):
    admin = as_(tenant_a, people["admin"])
    secret = admin.post(
        "/api/v1/api-tokens/", {"name": "x", "scopes": ["notes.change_note"]}, content_type=JSON
    ).json()["token"]
    assert client_b.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_api_token_scopes_must_be_known_and_held(tenant_a, people):
    admin = as_(tenant_a, people["admin"])
    response = admin.post("/api/v1/api-tokens/", {"name": "x", "scopes": ["nope.nothing"]}, content_type=JSON)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "scopes"
    response = admin.post(
        "/api/v1/api-tokens/",
        {"name": "x", "scopes": ["notes.change_note"], "user": people["customer"].pk},
        content_type=JSON,
    )
    assert response.status_code == 400  # the customer may not write notes, so neither may their token


def test_audit_log_is_for_admins_and_filters_by_action(tenant_a, people, client_a):
    from tests.accounts.factories import PASSWORD

    client_a.post("/api/auth/login/", {"email": "editor@alpha.test", "password": PASSWORD}, content_type=JSON)
    client_a.post("/api/auth/login/", {"email": "editor@alpha.test", "password": "bad"}, content_type=JSON)
    admin = as_(tenant_a, people["admin"])
    rows = admin.get("/api/v1/audit-log/?action=login").json()["results"]
    assert [r["actor_email"] for r in rows] == ["editor@alpha.test"]
    assert as_(tenant_a, people["editor"]).get("/api/v1/audit-log/").status_code == 403


def test_tenant_admin_shows_users_to_an_admin_not_to_an_editor(tenant_a, people):
    admin, editor = Client(HTTP_HOST=ALPHA_HOST), Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        admin.force_login(people["admin"])
        editor.force_login(people["editor"])
    assert admin.get("/admin/accounts/user/").status_code == 200
    assert editor.get("/admin/accounts/user/").status_code == 403
    assert "/admin/notes/note/" in editor.get("/admin/").content.decode()
    assert "/admin/accounts/" not in editor.get("/admin/").content.decode()


def test_tenant_admin_role_change_goes_through_the_rules(tenant_a, people):
    admin = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        admin.force_login(people["admin"])
    target = people["customer"]
    data = {
        "email": target.email,
        "display_name": "",
        "preferred_language": "",
        "role": "editor",
        "is_active": "on",
    }
    assert admin.post(f"/admin/accounts/user/{target.pk}/change/", data).status_code == 302
    with schema_context("alpha"):
        assert User.objects.get(pk=target.pk).role == Role.EDITOR
        assert AuditEntry.objects.filter(action="role_changed").exists()
    # An admin may look at the owner but not change them.
    owner = people["owner"]
    page = admin.get(f"/admin/accounts/user/{owner.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {**data, "email": owner.email, "role": "customer"}
    assert admin.post(f"/admin/accounts/user/{owner.pk}/change/", data).status_code == 403
    with schema_context("alpha"):
        assert User.objects.get(pk=owner.pk).role == Role.OWNER


def test_admin_sign_in_is_audited(tenant_a, people):
    from tests.accounts.factories import PASSWORD

    client = Client(HTTP_HOST=ALPHA_HOST)
    response = client.post("/admin/login/", {"username": "admin@alpha.test", "password": PASSWORD})
    assert response.status_code == 302
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="login", actor_email="admin@alpha.test").exists()
        assert User.objects.get(email="admin@alpha.test").last_login is not None


def test_tenant_admin_creates_an_api_token_and_shows_the_secret_once(tenant_a, people):
    admin = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        admin.force_login(people["admin"])
    data = {"name": "shop sync", "user": people["admin"].pk, "scopes": ["accounts.view_user"]}
    response = admin.post("/admin/accounts/apitoken/add/", data, follow=True)
    page = response.content.decode()
    secret = re.search(r"rtk_[0-9a-f]{8}_[\w-]+", page).group(0)
    assert "not shown again" in page
    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}")
    assert integration.get("/api/v1/users/").status_code == 200
    assert secret not in admin.get("/admin/accounts/apitoken/").content.decode()
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="api_token_created", actor_email="admin@alpha.test").exists()


def test_an_admin_cannot_mint_a_token_acting_as_an_owner(tenant_a, people):
    admin = as_(tenant_a, people["admin"])
    body = {"name": "x", "scopes": ["accounts.manage_users"], "user": people["owner"].pk}
    response = admin.post("/api/v1/api-tokens/", body, content_type=JSON)
    assert response.status_code == 403
    with schema_context("alpha"):
        assert not ApiToken.objects.exists()


def test_the_admin_cannot_change_passwords_or_emails_behind_the_services(tenant_a, people):
    admin = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        admin.force_login(people["admin"])
    target = people["editor"]
    page = admin.get(f"/admin/accounts/user/{target.pk}/password/", follow=True).content.decode()
    assert 'name="password1"' not in page
    data = {
        "email": "mine@evil.test",
        "display_name": "",
        "preferred_language": "",
        "role": "editor",
        "is_active": "on",
    }
    admin.post(f"/admin/accounts/user/{target.pk}/change/", data)
    with schema_context("alpha"):
        assert User.objects.get(pk=target.pk).email == "editor@alpha.test"


def test_deactivate_by_graphql_with_a_bad_id_is_not_found(tenant_a, people):
    admin = as_(tenant_a, people["admin"])
    body = {"query": 'mutation { deactivateUser(id: "²") { user { id } } }'}
    [error] = admin.post("/api/graphql/", body, content_type=JSON).json()["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_the_admin_shows_a_service_refusal_on_its_field_keeps_the_input_and_writes_nothing(tenant_a, people):
    admin = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        admin.force_login(people["admin"])
    data = {"email": "weak@alpha.test", "display_name": "Weak Will", "role": "customer", "password": "123"}
    response = admin.post("/admin/accounts/user/add/", data)
    assert response.status_code == 200  # the same form again, not a redirect that empties it
    form = response.context["adminform"].form
    assert any("This password is too short" in text for text in form.errors["password"])
    page = response.content.decode()
    assert 'value="weak@alpha.test"' in page and 'value="Weak Will"' in page
    with schema_context("alpha"):
        assert not User.objects.filter(email="weak@alpha.test").exists()


def test_an_expired_api_token_is_refused(tenant_a, people):
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts import services

    with schema_context("alpha"):
        token, secret = services.create_api_token(
            actor=people["admin"],
            name="short",
            user=people["admin"],
            scopes=["accounts.view_user"],
            expires_at=timezone.now() + timedelta(hours=1),
        )
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}").get("/api/v1/users/")
    assert response.status_code == 401 and response.json()["reason"] == "revoked"
