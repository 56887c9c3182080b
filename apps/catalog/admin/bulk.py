"""The product list's actions on many products at once, each one call of the bulk services
(apps.catalog.services.bulk): one transaction, all or nothing, at most MAX_PRODUCTS products.

Moving products through the workflow acts at once. Changing prices by a percentage and putting
products in (or taking them out of) a category or a collection first ask what to do on a page of
their own (the selection travels with it as hidden fields); the service's refusal of what was
typed comes back on that page's fields.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from apps.catalog import services
from apps.catalog.models import Collection, Product, ProductCategory, Status
from rustok.admin import themed
from rustok.errors import DomainError

# What a workflow action is called, and what its message says was done. Two words are also
# used elsewhere in another sense (the blog's "Archive", a product's "activated" date), hence
# their contexts for translators.
TRANSITION_LABELS = {
    "activate": (_("Activate"), pgettext_lazy("products done", "activated")),
    "deactivate": (_("Back to draft"), _("taken back to draft")),
    "archive": (pgettext_lazy("workflow action", "Archive"), _("archived")),
    "unarchive": (_("Take out of the archive"), _("taken out of the archive")),
}
PRICE_FIELDS = [
    ("amount", _("Price")),
    ("compare_at_amount", _("Compare-at price")),
    ("cost_amount", _("Cost price")),
]


def _why(entry: dict, labels: dict[str, str]) -> str:
    """Why one product was refused, from an entry of the service's `refused` list."""
    if entry.get("reason") == "price_required":
        if not entry.get("variants"):
            return str(_("it has no variant"))
        return str(_("no price in %(currency)s for %(skus)s")) % {
            "currency": entry.get("currency"),
            "skus": ", ".join(entry["variants"]),
        }
    if entry.get("reason") == "transition_not_allowed":
        allowed = ", ".join(str(TRANSITION_LABELS.get(name, (name,))[0]) for name in entry.get("allowed", []))
        return str(_("it is %(state)s; only %(allowed)s is possible")) % {
            "state": labels.get(entry.get("state"), entry.get("state")),
            "allowed": allowed or "—",
        }
    return str(entry.get("reason", ""))


def refusal_message(exc: DomainError, selected: int) -> str:
    """The one message of a refused bulk call: every refused product by name and why, or the cap."""
    refused = exc.extra.get("refused")
    if exc.extra.get("reason") == "products_refused" and refused:
        names = dict(Product.objects.filter(pk__in=[e["product"] for e in refused]).values_list("pk", "name"))
        labels = {str(value): str(label).lower() for value, label in Status.choices}
        reasons = "; ".join(
            f"“{names.get(entry['product']) or entry['product']}”: {_why(entry, labels)}" for entry in refused
        )
        return str(_("Nothing was changed: %(detail)s %(reasons)s.")) % {
            "detail": exc.detail,
            "reasons": reasons,
        }
    if "products" in exc.errors and selected > services.MAX_PRODUCTS:
        return str(
            _(
                "Nothing was changed: at most %(limit)d products can be changed at once and "
                "%(count)d are selected. Narrow the list with a filter or a search."
            )
        ) % {"limit": services.MAX_PRODUCTS, "count": selected}
    details = [f"{field}: {' '.join(texts)}" for field, texts in exc.errors.items()] or [exc.detail]
    return str(_("Nothing was changed: %(detail)s")) % {"detail": " ".join(details)}


def _done(modeladmin, request, outcome, what: str) -> None:
    changed, total = len(outcome.changed), len(outcome.products)
    text = ngettext("%(count)d product %(what)s.", "%(count)d products %(what)s.", changed) % {
        "count": changed,
        "what": what,
    }
    if changed < total:
        text += " " + ngettext("%(count)d already was.", "%(count)d already were.", total - changed) % {
            "count": total - changed
        }
    modeladmin.message_user(request, text, messages.SUCCESS)


def run(modeladmin, request, queryset, call, what: str) -> bool:
    """Call a bulk service on the selected products; a message either way. Whether it wrote."""
    try:
        outcome = call(actor=request.user, products=queryset)
    except DomainError as exc:
        modeladmin.message_user(request, refusal_message(exc, queryset.count()), messages.ERROR)
        return False
    _done(modeladmin, request, outcome, what)
    return True


def transition_action(name: str):
    """The list action moving every selected product through transition `name` (bulk_transition)."""

    def action(modeladmin, request, queryset):
        call = lambda **given: services.bulk_transition(name=name, **given)  # noqa: E731
        run(modeladmin, request, queryset, call, str(TRANSITION_LABELS[name][1]))

    action.__name__ = f"{name}_selected"
    action.__doc__ = f"The list action '{name}', for the selected products."
    return admin.action(description=TRANSITION_LABELS[name][0], permissions=["change"])(action)


# --- actions that ask first ------------------------------------------------------------------------


class PercentForm(forms.Form):
    percent = forms.DecimalField(
        label=_("change, %"),
        max_digits=12,
        decimal_places=None,
        help_text=_(
            "10 raises prices by 10 %; -15 lowers them by 15 %. Rounded to the currency's smallest unit."
        ),
    )
    currency = forms.ChoiceField(label=_("currency"), required=False)
    field = forms.ChoiceField(label=_("which price"), choices=PRICE_FIELDS, initial="amount")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [
            ("", _("All currencies")),
            *((c, c) for c in services.currencies()),
        ]

    def call(self, request, queryset):
        data = self.cleaned_data
        return services.bulk_change_prices(
            actor=request.user,
            products=queryset,
            percent=data["percent"],
            currency=data.get("currency") or None,
            field=data["field"],
        )


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=ProductCategory.objects.all())

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def call(self, request, queryset):
        return self.service(actor=request.user, products=queryset, category=self.cleaned_data["category"])


class CollectionForm(forms.Form):
    collection = forms.ModelChoiceField(label=_("collection"), queryset=Collection.objects.all())

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def call(self, request, queryset):
        return self.service(actor=request.user, products=queryset, collection=self.cleaned_data["collection"])


def asking_action(name: str, title, what, form_class, **form_kwargs):
    """A list action that first shows a form (its page carries the selection), then calls the
    form's bulk service with the selected products; its refusal comes back on the form."""

    def action(modeladmin, request, queryset):
        form_class_ = themed(form_class)
        if "apply" in request.POST:
            form = form_class_(request.POST, **form_kwargs)
            if form.is_valid():
                try:
                    outcome = form.call(request, queryset)
                except DomainError as exc:
                    fields = [field for field in exc.errors if field in form.fields]
                    for field in fields:
                        form.add_error(field, exc.errors[field])
                    if not fields:
                        modeladmin.message_user(
                            request, refusal_message(exc, queryset.count()), messages.ERROR
                        )
                        return None
                else:
                    _done(modeladmin, request, outcome, str(what))
                    return None
        else:
            form = form_class_(**form_kwargs)
        count = queryset.count()
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.opts,
            "form": form,
            "action": name,
            "count": count,
            "limit": services.MAX_PRODUCTS,
            "selected": []
            if request.POST.get("select_across") == "1"
            else request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across") == "1",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "products": queryset[:10],
        }
        return TemplateResponse(request, "admin/catalog/product_bulk_form.html", context)

    action.__name__ = name
    action.__doc__ = f"The list action '{name}': asks first, then one bulk call."
    return admin.action(description=title, permissions=["change"])(action)


def bulk_actions() -> list:
    """The product list's actions, in the order the menu shows them."""
    return [
        *(transition_action(name) for name in services.TRANSITIONS),
        asking_action("change_prices", _("Change prices by a percentage"), _("repriced"), PercentForm),
        asking_action(
            "add_to_category",
            _("Add to category"),
            _("put in the category"),
            CategoryForm,
            service=services.bulk_assign_category,
        ),
        asking_action(
            "remove_from_category",
            _("Remove from category"),
            _("taken out of the category"),
            CategoryForm,
            service=services.bulk_remove_category,
        ),
        asking_action(
            "add_to_collection",
            _("Add to collection"),
            _("added to the collection"),
            CollectionForm,
            service=services.bulk_add_to_collection,
        ),
        asking_action(
            "remove_from_collection",
            _("Remove from collection"),
            _("taken out of the collection"),
            CollectionForm,
            service=services.bulk_remove_from_collection,
        ),
    ]
