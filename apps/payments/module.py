"""Manifest of the payments module: payment providers and the payments made through them."""

from django.utils.translation import gettext_lazy as _

from rustok.modules import Module

module = Module(
    slug="payments",
    name="Payments",
    description="Payment providers (manual, demo card, and any added by settings) and payments: "
    "authorisation, capture, void and refunds called outside transactions with idempotency keys, "
    "signed provider notifications, and every call's record.",
    version="0.1.0",
    depends_on=("core", "accounts", "events"),
    admin_group=_("Shop"),
)
