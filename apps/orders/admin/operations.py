"""The operations staff take on an order from its admin page, each a form calling one service of
apps.orders.services: mark paid, fulfil (a parcel: how many of each line, carrier, tracking
number), complete, cancel (with a reason, confirmed), refund (an amount, lines returned, restock
or not, a note) and add a note. A service's refusal lands on the field it names
(`lines.0.quantity` → that line's field), the rest on the form.
"""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminIntegerFieldWidget, UnfoldBooleanWidget

from apps.orders import services
from apps.orders.models import Order
from apps.payments import providers
from apps.payments.models import Payment
from apps.payments.models import Status as PaymentStatus
from rustok import money, workflow
from rustok.admin import themed
from rustok.errors import DomainError


def amount(order: Order, minor: int) -> str:
    """An amount of the order, written for the admin's language (€12.50)."""
    return money.format_minor(minor, order.currency)


# --- the operations' forms -----------------------------------------------------------------------


class OperationForm(forms.Form):
    """An operation on an order: its fields, the call of its service, and the service's refusal
    shown on the field it names (`names`: the service's names of fields → the form's)."""

    intro = ""

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.names: dict[str, str] = {}
        for field in self.fields.values():  # labels as the admin writes them: "Carrier"
            field.label = capfirst(field.label)

    def call(self, actor) -> Order:
        raise NotImplementedError

    def refused(self, error: DomainError) -> None:
        """Put the service's refusal on the fields it names, the rest on the form."""
        if not error.errors:
            self.add_error(None, error.detail)
            return
        for given, texts in error.errors.items():
            field = self.names.get(given, given)
            if field in self.fields:
                self.add_error(field, list(texts))
            else:
                self.add_error(None, [f"{given}: {text}" for text in texts])


class MarkPaidForm(OperationForm):
    intro = _("The money of this order came in by hand (a bank transfer, cash on delivery).")

    def call(self, actor) -> Order:
        return services.mark_paid(order=self.order, actor=actor)


class CompleteForm(OperationForm):
    intro = _("Everything has been delivered: the order is done.")

    def call(self, actor) -> Order:
        return services.complete(order=self.order, actor=actor)


def line_label(line) -> str:
    name = line.product_name + (f" ({line.variant_name})" if line.variant_name else "")
    return f"{line.sku} · {name}"


class FulfilForm(OperationForm):
    """How many of each line this parcel holds (all that is left, unless changed), with its
    carrier and tracking number."""

    intro = _("Ship a parcel: how many of each line it holds, and how to follow it.")

    carrier = forms.CharField(label=_("carrier"), required=False, max_length=80)
    tracking_number = forms.CharField(label=_("tracking number"), required=False, max_length=120)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.quantity > line.quantity_fulfilled]
        for line in self.lines:
            left = line.quantity - line.quantity_fulfilled
            self.fields[f"ship_{line.pk}"] = forms.IntegerField(
                label=line_label(line),
                min_value=0,
                initial=left,
                help_text=_("%(left)d of %(quantity)d left to ship.")
                % {"left": left, "quantity": line.quantity},
                widget=UnfoldAdminIntegerFieldWidget,
            )
        last = ("carrier", "tracking_number")  # after the lines
        self.fields = {
            **{k: v for k, v in self.fields.items() if k not in last},
            **{k: self.fields[k] for k in last},
        }

    def chosen(self) -> list[dict]:
        chosen = []
        for line in self.lines:
            quantity = self.cleaned_data.get(f"ship_{line.pk}") or 0
            if quantity:
                n = len(chosen)
                self.names[f"lines.{n}.quantity"] = self.names[f"lines.{n}.line"] = f"ship_{line.pk}"
                chosen.append({"line": line.pk, "quantity": quantity})
        return chosen

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f"ship_{line.pk}") for line in self.lines):
            raise forms.ValidationError(_("Choose at least one unit to ship."))
        return cleaned

    def call(self, actor) -> Order:
        services.fulfil(
            order=self.order,
            actor=actor,
            lines=self.chosen(),
            carrier=self.cleaned_data.get("carrier") or "",
            tracking_number=self.cleaned_data.get("tracking_number") or "",
        )
        return self.order


class CancelForm(OperationForm):
    intro = _(
        "Cancel the order: a payment still waiting is let go, money taken goes back to the shopper, "
        "its stock goes back where it was taken from, and a voucher it used can be used again."
    )

    reason = forms.CharField(
        label=_("reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("Yes, cancel this order"), required=True)

    def call(self, actor) -> Order:
        return services.cancel(order=self.order, actor=actor, reason=self.cleaned_data.get("reason") or "")


class RefundForm(OperationForm):
    """An amount (in the major unit), the lines that came back and whether to restock them, a
    note."""

    intro = _("Give money back to the shopper, for lines that came back or for nothing in return.")

    amount = forms.CharField(label=_("amount"))
    restock = forms.BooleanField(
        label=_("put the returned units back in stock"), required=False, widget=UnfoldBooleanWidget
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.order
        self.fields["amount"].help_text = _("At most %(left)s, in %(currency)s.") % {
            "left": money.format_major(order.refundable, order.currency),
            "currency": order.currency,
        }
        self.lines = [line for line in lines if line.quantity > line.quantity_returned]
        for line in self.lines:
            left = line.quantity - line.quantity_returned
            self.fields[f"return_{line.pk}"] = forms.IntegerField(
                label=line_label(line),
                min_value=0,
                initial=0,
                required=False,
                help_text=_("Units that came back; %(left)d can.") % {"left": left},
                widget=UnfoldAdminIntegerFieldWidget,
            )
        self.fields = {
            "amount": self.fields["amount"],
            **{k: v for k, v in self.fields.items() if k.startswith("return_")},
            "restock": self.fields["restock"],
            "note": self.fields["note"],
        }

    def clean_amount(self):
        try:
            return money.parse_major(self.cleaned_data.get("amount") or "", self.order.currency, "amount")
        except DomainError as exc:
            raise forms.ValidationError(exc.errors.get("amount", [exc.detail])) from None

    def returned(self) -> list[dict] | None:
        chosen = []
        for line in self.lines:
            quantity = self.cleaned_data.get(f"return_{line.pk}") or 0
            if quantity:
                n = len(chosen)
                self.names[f"lines.{n}.quantity"] = self.names[f"lines.{n}.line"] = f"return_{line.pk}"
                chosen.append({"line": line.pk, "quantity": quantity})
        return chosen or None

    def call(self, actor) -> Order:
        return services.refund(
            order=self.order,
            actor=actor,
            amount=self.cleaned_data["amount"],
            lines=self.returned(),
            restock=bool(self.cleaned_data.get("restock")),
            note=self.cleaned_data.get("note") or "",
        )


class NoteForm(OperationForm):
    intro = _("A note for the staff, kept in the order's history (the shopper does not see it).")

    message = forms.CharField(label=_("note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def call(self, actor) -> Order:
        return services.add_note(order=self.order, actor=actor, message=self.cleaned_data["message"])


# Each operation: its form, the button's words, what the message says was done, and the
# transition of the order it makes (None: any status).
OPERATIONS = {
    "mark_paid": (MarkPaidForm, _("Mark paid"), _("marked paid"), "pay"),
    "fulfil": (FulfilForm, _("Fulfil"), _("shipped"), "fulfil"),
    "complete": (CompleteForm, _("Complete"), _("completed"), "complete"),
    "cancel": (CancelForm, _("Cancel order"), _("cancelled"), "cancel"),
    "refund": (RefundForm, _("Refund"), _("refunded"), "refund"),
    "note": (NoteForm, _("Add note"), _("noted"), None),
}
for _form in {spec[0] for spec in OPERATIONS.values()}:
    themed(_form)


def operations_for(order: Order, payments: list[Payment]) -> list[str]:
    """The operations the order's status allows, in the order shown: mark paid only with a manual
    payment waiting, refund only while money is left to give back."""
    allowed = set(workflow.allowed_transitions(order))
    found = []
    for name, (_form, _label, _done, transition) in OPERATIONS.items():
        if transition is not None and transition not in allowed:
            continue
        if name == "mark_paid" and not any(
            p.status == PaymentStatus.PENDING and getattr(providers.known(p.provider), "marks_paid", False)
            for p in payments
        ):
            continue
        if name == "refund" and order.refundable <= 0:
            continue
        found.append(name)
    return found
