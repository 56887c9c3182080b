from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payments: providers, payments and the record of every call to a provider."""

    name = "apps.payments"
    label = "payments"
    verbose_name = _("Payments")
