"""Payments in the tenant admin, in the "Shop" section: the payments (filtered by status and
provider, found by reference, e-mail or the provider's reference), each read-only with every call
and notification below it, and the operations its status allows: mark paid (manual payments),
capture, void and refund (with an amount). Each operation has a page of its own whose form calls
the service; a refusal (an amount too large, a provider refusing or not answering) comes back on
that form. The list offers mark paid, capture and void for the selected payments. Nothing here
adds, edits or deletes a payment: only the services write them.

The operations call the provider outside any transaction (the admin's change form runs in one,
which is why they are pages of their own and list actions, never a save of the form).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from unfold.decorators import display

from apps.payments import providers, services
from apps.payments.models import Payment, PaymentTransaction, Status
from rustok import money
from rustok.admin import ObjectPermissionsModelAdmin, ReadOnly, TabularInline, themed
from rustok.errors import DomainError
from rustok.permissions import can

MANAGE = "payments.manage_payments"
# The operations: what the button says, and what a message says was done to a payment.
OPERATIONS = {
    "mark_paid": (_("Mark paid"), pgettext_lazy("a payment", "marked paid")),
    "capture": (_("Capture"), pgettext_lazy("a payment", "captured")),
    "void": (_("Void"), pgettext_lazy("a payment", "voided")),
    "refund": (_("Refund"), pgettext_lazy("a payment", "refunded")),
}
STATUS_COLOURS = {
    Status.PENDING: "warning",
    Status.AUTHORIZED: "info",
    Status.CAPTURED: "success",
    Status.PARTIALLY_REFUNDED: "info",
    Status.REFUNDED: "info",
    Status.FAILED: "danger",
    Status.VOIDED: "info",
}


def operations_for(payment: Payment) -> list[str]:
    """The operations `payment`'s status (and its provider) allow, in the order shown."""
    provider = providers.known(payment.provider)
    found = []
    if payment.status == Status.PENDING and provider is not None and provider.marks_paid:
        found.append("mark_paid")
    if payment.status == Status.AUTHORIZED:
        found.append("capture")
    if payment.status in (Status.PENDING, Status.AUTHORIZED):
        found.append("void")
    if payment.status in (Status.CAPTURED, Status.PARTIALLY_REFUNDED):
        found.append("refund")
    return found


class OperationForm(forms.Form):
    """An operation's form: an amount for capture (optional: all) and refund, in the currency's
    major unit (12.50)."""

    amount = forms.CharField(label=_("amount"), required=False)

    def __init__(self, *args, payment: Payment, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment, self.name = payment, name
        if name == "refund":
            self.fields["amount"].required = True
            self.fields["amount"].help_text = _("At most %(left)s, in %(currency)s.") % {
                "left": money.format_major(payment.refundable, payment.currency),
                "currency": payment.currency,
            }
        elif name == "capture":
            self.fields["amount"].help_text = _("Leave empty to take all that was authorised.")
        else:
            del self.fields["amount"]

    def clean_amount(self):
        value = (self.cleaned_data.get("amount") or "").strip()
        if not value:
            return None
        try:
            return money.parse_major(value, self.payment.currency, "amount")
        except DomainError as exc:
            raise forms.ValidationError(exc.errors.get("amount", [exc.detail])) from None


class PaymentTransactionInline(ReadOnly, TabularInline):
    """Every call to the provider and every notification, in the order they happened."""

    model = PaymentTransaction
    fields = [
        "created_at",
        "kind",
        "result",
        "amount",
        "provider_reference",
        "idempotency_key",
        "error",
        "actor",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    extra = 0
    can_delete = False
    show_change_link = False


def _list_action(name: str):
    def act(modeladmin, request, queryset):
        modeladmin.operate_on(request, queryset, name)

    act.__name__ = f"{name}_selected"
    act.__doc__ = f"The list action '{name}', for the selected payments."
    return admin.action(description=OPERATIONS[name][0])(act)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    """Payments, newest first; a payment's page shows its transactions and its operations."""

    change_form_template = "admin/payments/payment_change_form.html"
    list_display = [
        "created_at",
        "reference",
        "provider",
        "method",
        "shown_amount",
        "shown_status",
        "captured",
        "refunded",
        "email",
    ]
    list_filter = ["status", "provider", "created_at"]
    search_fields = ["reference", "email", "provider_reference"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    inlines = [PaymentTransactionInline]
    actions = [_list_action(name) for name in ("mark_paid", "capture", "void")]
    fields = [
        "reference",
        "provider",
        "method",
        "amount",
        "currency",
        "status",
        "captured_amount",
        "refunded_amount",
        "email",
        "customer",
        "key",
        "provider_reference",
        "details",
        "message",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @display(description=_("amount"), ordering="amount")
    def shown_amount(self, payment: Payment) -> str:
        return money.format_minor(payment.amount, payment.currency)

    @display(description=_("captured"), ordering="captured_amount")
    def captured(self, payment: Payment) -> str:
        return money.format_minor(payment.captured_amount, payment.currency)

    @display(description=_("refunded"), ordering="refunded_amount")
    def refunded(self, payment: Payment) -> str:
        return money.format_minor(payment.refunded_amount, payment.currency)

    @display(description=_("status"), ordering="status", label=STATUS_COLOURS)
    def shown_status(self, payment: Payment):
        return payment.status, payment.get_status_display()

    def has_module_permission(self, request):
        return can(request.user, "payments")

    def get_actions(self, request):
        found = super().get_actions(request)
        return found if can(request.user, MANAGE) else {}

    # --- the operations ------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/operation/<str:name>/",
                self.admin_site.admin_view(self.operation_view),
                name=f"{info}_operation",
            ),
            *super().get_urls(),
        ]

    def admin_url(self, name: str, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and can(request.user, MANAGE):
            context["operations"] = [
                {"name": name, "label": OPERATIONS[name][0], "url": self.admin_url("operation", obj.pk, name)}
                for name in operations_for(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def run(request, payment: Payment, name: str, amount=None) -> Payment:
        """Operation `name` on `payment` through its service, as the signed-in user."""
        actor = request.user
        if name == "mark_paid":
            return services.mark_paid(payment=payment, actor=actor)
        if name == "capture":
            return services.capture(payment=payment, amount=amount, actor=actor)
        if name == "void":
            return services.void(payment=payment, actor=actor)
        return services.refund(payment=payment, amount=amount, actor=actor)

    def operation_view(self, request, object_id, name):
        """An operation's page: its form (GET), the service called (POST); a refusal is shown
        on the form, a success goes back to the payment's page."""
        if name not in OPERATIONS:
            raise Http404(f"No operation '{name}'.")
        payment = self.get_object(request, unquote(object_id))
        if payment is None:
            raise Http404(f"No payment with ID {object_id!r}.")
        if not (self.has_view_permission(request, payment) and can(request.user, MANAGE)):
            raise PermissionDenied
        form_class = themed(OperationForm)
        if request.method == "POST":
            form = form_class(request.POST, payment=payment, name=name)
            if form.is_valid():
                try:
                    payment = self.run(request, payment, name, form.cleaned_data.get("amount"))
                except DomainError as exc:
                    field = "amount" if "amount" in exc.errors and "amount" in form.fields else None
                    form.add_error(field, exc.errors.get("amount", [exc.detail]) if field else exc.detail)
                else:
                    self.message_user(
                        request,
                        _("Payment “%(payment)s” %(done)s.")
                        % {"payment": payment.reference, "done": OPERATIONS[name][1]},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self.admin_url("change", payment.pk))
        else:
            form = form_class(payment=payment, name=name)
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/payments/operation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": payment,
                "title": f"{OPERATIONS[name][0]}: {payment.reference}",
                "form": form,
                "operation": name,
                "label": OPERATIONS[name][0],
                "amount": money.format_minor(payment.amount, payment.currency),
                "change_url": self.admin_url("change", payment.pk),
            },
        )

    def operate_on(self, request, queryset, name: str) -> None:
        """A list action: operation `name` on each selected payment; say what was done and what
        was refused."""
        done = 0
        for payment in queryset:
            try:
                self.run(request, payment, name)
            except DomainError as exc:
                self.message_user(request, f"{payment.reference}: {exc.detail}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("%(operation)s: done for %(count)d payment(s).")
                % {"operation": OPERATIONS[name][0], "count": done},
                messages.SUCCESS,
            )
