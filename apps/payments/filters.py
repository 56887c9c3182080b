"""Filters of the payments list (REST query parameters)."""

from __future__ import annotations

import django_filters

from apps.payments.models import Payment, Status
from rustok.api.filters import FilterSet


class PaymentFilter(FilterSet):
    reference = django_filters.CharFilter(help_text='What the payments are for ("checkout:<uuid>").')
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, help_text="One or more statuses.")
    provider = django_filters.CharFilter(help_text="A provider's name (demo, manual).")

    class Meta:
        model = Payment
        fields = []
