"""The login lockout: what locks what, for how long, and how operators and admins clear it."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEntry
from tests.accounts.factories import PASSWORD, EditorFactory, OwnerFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def owner(tenant_a):
    with schema_context("alpha"):
        return OwnerFactory(email="owner@alpha.test")


def from_(address: str) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR=address)


def login(client, email="owner@alpha.test", password=PASSWORD):
    return client.post("/api/auth/login/", {"email": email, "password": password}, content_type=JSON)


def fail(client, times: int, email="owner@alpha.test"):
    for _ in range(times):
        login(client, email, "wrong")


def age_failures(minutes: int) -> None:
    """Let `minutes` pass for the failures recorded so far (they are dated by their last try)."""
    with schema_context("alpha"):
        for attempt in AccessAttempt.objects.all():
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                attempt_time=attempt.attempt_time - timedelta(minutes=minutes)
            )


def test_five_failures_lock_the_account_on_that_address_only(owner):
    attacker = from_("198.51.100.7")
    fail(attacker, 4)
    assert login(attacker).status_code == 200  # four are not enough
    fail(attacker, 1)
    locked = login(attacker)
    assert locked.status_code == 429 and locked.json()["code"] == "login_locked"
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    # The owner, from their own address, signs in as usual.
    assert login(from_("203.0.113.20")).status_code == 200


def test_typos_of_made_up_addresses_do_not_lock_the_site(owner):
    office = from_("127.0.0.1")
    for n in range(5):
        login(office, f"nobody{n}@alpha.test", "typo")
    assert login(office).status_code == 200


@override_settings(AUTH_LOCKOUT_ADDRESS_FAILURES=8)
def test_an_address_alone_is_locked_at_the_higher_count(owner):
    scanner = from_("198.51.100.9")
    for n in range(7):
        login(scanner, f"guess{n}@alpha.test", "x")
    assert login(scanner).status_code == 200
    login(scanner, "guess7@alpha.test", "x")
    response = login(scanner)  # the right password, from an address that tried eight accounts
    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    assert login(from_("203.0.113.20")).status_code == 200


def test_tries_during_a_lockout_do_not_extend_it(owner):
    attacker = from_("198.51.100.7")
    fail(attacker, 5)
    age_failures(10)
    fail(attacker, 3)  # refused, and not counted
    response = login(attacker)
    assert response.status_code == 429
    assert 4 * 60 < int(response["Retry-After"]) <= 5 * 60  # what is left of the 15 minutes
    age_failures(6)
    assert login(attacker).status_code == 200


def test_failures_below_the_limit_are_forgotten_after_the_cool_off(owner):
    attacker = from_("198.51.100.7")
    fail(attacker, 4)
    age_failures(16)
    fail(attacker, 4)
    assert login(attacker).status_code == 200


# --- clearing: the command ----------------------------------------------------------------------


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


def test_the_unlock_command_clears_an_accounts_lockouts(owner):
    attacker = from_("198.51.100.7")
    fail(attacker, 5)
    assert login(attacker).status_code == 429
    out = rustok("user", "unlock", "OWNER@alpha.test", "--tenant", "alpha")
    assert "owner@alpha.test" in out and "alpha" in out
    assert login(attacker).status_code == 200
    with schema_context("alpha"):
        entry = AuditEntry.objects.get(action="lockout_cleared")
    assert entry.actor_email == "operator (command line)" and entry.data["email"] == "owner@alpha.test"


@override_settings(AUTH_LOCKOUT_ADDRESS_FAILURES=3)
def test_the_unlock_command_clears_an_address(owner):
    scanner = from_("198.51.100.9")
    for n in range(3):
        login(scanner, f"guess{n}@alpha.test", "x")
    assert login(scanner).status_code == 429
    rustok("user", "unlock", "--address", "198.51.100.9", "--tenant", "alpha")
    assert login(scanner).status_code == 200


def test_the_unlock_command_clears_only_the_pair_when_given_both(owner):
    with schema_context("alpha"):
        EditorFactory(email="ed@alpha.test")
    attacker = from_("198.51.100.7")
    fail(attacker, 5)
    fail(attacker, 5, email="ed@alpha.test")
    rustok("user", "unlock", "owner@alpha.test", "--address", "198.51.100.7", "--tenant", "alpha")
    assert login(attacker).status_code == 200
    assert login(attacker, "ed@alpha.test").status_code == 429


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tenant", "alpha"], "EMAIL or --address"),
        (["x@alpha.test", "--address", "not-an-ip", "--tenant", "alpha"], "--address"),
    ],
)
def test_the_unlock_command_names_what_is_missing_or_wrong(owner, args, message):
    with pytest.raises(CommandError, match=message):
        rustok("user", "unlock", *args)


# --- clearing: the tenant admin -----------------------------------------------------------------


@pytest.fixture
def admin_browser(tenant_a):
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(SiteAdminFactory(email="admin@alpha.test"))
    return client


def test_the_admin_lists_current_lockouts_and_clears_them(owner, admin_browser):
    attacker = from_("198.51.100.7")
    fail(attacker, 5)
    fail(from_("198.51.100.8"), 2)  # not locked: not listed
    assert "/admin/accounts/lockout/" in admin_browser.get("/admin/").content.decode()
    page = admin_browser.get("/admin/accounts/lockout/").content.decode()
    assert "owner@alpha.test" in page and "198.51.100.7" in page
    assert "198.51.100.8" not in page
    with schema_context("alpha"):
        row = AccessAttempt.objects.get(ip_address="198.51.100.7")
    response = admin_browser.post(
        "/admin/accounts/lockout/", {"action": "unlock_accounts", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    assert login(attacker).status_code == 200
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="lockout_cleared", actor_email="admin@alpha.test").exists()
    assert "198.51.100.7" not in admin_browser.get("/admin/accounts/lockout/").content.decode()


@override_settings(AUTH_LOCKOUT_ADDRESS_FAILURES=3)
def test_the_admin_clears_a_locked_address(owner, admin_browser):
    scanner = from_("198.51.100.9")
    for n in range(3):
        login(scanner, f"guess{n}@alpha.test", "x")
    assert login(scanner).status_code == 429
    with schema_context("alpha"):
        row = AccessAttempt.objects.filter(ip_address="198.51.100.9").first()
    admin_browser.post(
        "/admin/accounts/lockout/", {"action": "unlock_addresses", "_selected_action": [row.pk]}
    )
    assert login(scanner).status_code == 200


def test_only_admins_see_the_lockouts(owner, tenant_a):
    editor = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        editor.force_login(EditorFactory(email="ed@alpha.test"))
    assert editor.get("/admin/accounts/lockout/").status_code == 403
