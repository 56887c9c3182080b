"""The shop's configuration in the admin, after orders and carts in the "Shop" section: shipping
zones (their methods listed), shipping methods (their weight brackets inline), tax rates,
vouchers (how often each was used, of its limit) and the order settings (one page).

Every write goes through apps.orders.services; a refusal comes back on the form, on the field
the service names, and nothing is written. Amounts are whole minor units of the method's or
voucher's currency (490 with EUR is €4.90), as the services take them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectMultipleWidget

from apps.catalog.admin.base import ServiceForm, ShopAdmin, rows_of
from apps.catalog.admin.products import check_decimals, major, minor
from apps.catalog.services import currencies
from apps.orders import selectors_config as selectors
from apps.orders import services
from apps.orders.models import OrderSettings, ShippingMethod, ShippingZone, TaxRate, Voucher, WeightRate
from apps.orders.services.shipping import METHOD_TEXTS, ZONE_TEXTS
from apps.orders.services.vouchers import TEXTS as VOUCHER_TEXTS
from rustok import money
from rustok.admin import ReadOnly, ServiceInline, TabularInline, language_fieldsets, refusals
from rustok.i18n import language_codes
from rustok.texts import column, texts_from


class ConfigAdmin(ShopAdmin):
    """Base of the configuration's admins: the form is validated by the services (a model's
    checks would answer first, with less to say), and the service writes."""

    def given(self, form, names) -> dict:
        """The form's cleaned values of `names` that it has."""
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class CheckedByServices(ServiceForm):
    """A form whose values the services check (the model's constraints are theirs to enforce, with
    messages naming the field)."""

    def _post_clean(self):
        """Leave the instance as it is: the services check and write."""


# --- shipping ------------------------------------------------------------------------------------


class ZoneMethodInline(ReadOnly, TabularInline):
    """The zone's methods, each a link to its own page (where its brackets are)."""

    model = ShippingMethod
    fields = ["name", "kind", "currency", "price", "free_above", "is_active", "position"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    tab = False
    verbose_name_plural = _("methods")


class ZoneForm(CheckedByServices):
    countries = forms.MultipleChoiceField(
        label=_("countries"),
        required=False,
        choices=lambda: list(countries),
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 12}),
        help_text=_("Each country is in one zone at most."),
    )

    class Meta:
        model = ShippingZone
        fields = "__all__"


@admin.register(ShippingZone)
class ShippingZoneAdmin(ConfigAdmin):
    """Shipping zones: a name per language, countries (each in one zone at most), the methods."""

    form = ZoneForm
    translated = ZONE_TEXTS
    inlines = [ZoneMethodInline]
    list_display = ["name", "country_list", "method_count", "position"]
    search_fields = [column("name", code) for code in language_codes()]

    def get_fieldsets(self, request, obj=None):
        return [*language_fieldsets(self.translated), (None, {"fields": ["countries", "position"]})]

    def get_queryset(self, request):
        return selectors.shipping_zones()

    @display(description=_("countries"))
    def country_list(self, zone: ShippingZone) -> str:
        return ", ".join(str(code) for code in zone.countries)

    @display(description=_("methods"))
    def method_count(self, zone: ShippingZone) -> int:
        return len(zone.methods.all())

    def save_model(self, request, obj, form, change):
        values = self.given(form, ["countries", "position"])
        values["position"] = values.get("position") or 0
        texts = texts_from(self.translated, columns=form.cleaned_data)
        with refusals():
            if change:
                found = services.update_shipping_zone(actor=request.user, zone=obj, texts=texts, **values)
            else:
                found = services.create_shipping_zone(actor=request.user, texts=texts, **values)
        obj.pk = found.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The methods are listed only: written on their own pages."""
        super().save_related(request, form, formsets, change)

    def delete_one(self, request, obj):
        services.delete_shipping_zone(actor=request.user, zone=obj)


class MajorAmounts:
    """Amounts typed in the currency's major unit (4.90), as the catalogue's prices are, and given
    to the services in minor units (490). `amounts` names the fields; the currency is the form's
    own `currency` field, else its object's, else the shop's default."""

    amounts: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self._currency(None)
        for name in self.amounts:
            model_field = self.fields[name]
            self.fields[name] = forms.DecimalField(
                label=model_field.label,
                required=model_field.required,
                help_text=_("In %(currency)s, such as 4.90.") % {"currency": code},
                max_digits=22,
                decimal_places=None,
            )
            if self.instance.pk:
                self.initial[name] = major(getattr(self.instance, name), code)

    def _currency(self, cleaned) -> str:
        given = (cleaned or {}).get("currency") if cleaned is not None else None
        return given or getattr(self.instance, "currency", "") or self._parent_currency() or currencies()[0]

    def _parent_currency(self) -> str:
        method = getattr(self.instance, "method", None) if getattr(self.instance, "method_id", None) else None
        return method.currency if method is not None else ""

    def clean(self):
        cleaned = super().clean()
        code = self._currency(cleaned)
        for name in self.amounts:
            check_decimals(self, name, code)
            if name in cleaned and name not in self.errors:
                cleaned[name] = minor(cleaned[name], code)
        return cleaned


class WeightRateForm(MajorAmounts, ServiceForm):
    amounts = ("price",)

    class Meta:
        model = WeightRate
        fields = ["up_to_grams", "price"]


class WeightRateInline(ServiceInline, TabularInline):
    """The brackets of a weight-priced method, lightest first; saved as a whole list."""

    model = WeightRate
    form = WeightRateForm
    fields = ["up_to_grams", "price"]
    extra = 1
    tab = False


class MethodForm(MajorAmounts, CheckedByServices):
    currency = forms.ChoiceField(label=_("currency"))
    amounts = ("price", "free_above")

    class Meta:
        model = ShippingMethod
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sold = currencies()
        self.fields["currency"].choices = [(code, code) for code in sold]
        self.fields["currency"].initial = sold[0]


METHOD_FIELDS = ["zone", "kind", "currency", "price", "free_above", "tax_class", "is_active", "position"]


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ConfigAdmin):
    """Shipping methods: flat or by weight (the brackets below), in one of the shop's currencies,
    free from an amount, taxed as a tax class (none: the country's standard rate)."""

    form = MethodForm
    translated = METHOD_TEXTS
    inlines = [WeightRateInline]
    list_display = ["name", "zone", "kind", "price_shown", "free_above_shown", "is_active", "position"]
    list_filter = ["zone", "kind", "is_active"]
    list_select_related = ["zone"]
    search_fields = [column("name", code) for code in language_codes()]

    def get_fieldsets(self, request, obj=None):
        return [*language_fieldsets(self.translated), (None, {"fields": METHOD_FIELDS})]

    @display(description=_("price"), ordering="price")
    def price_shown(self, method: ShippingMethod) -> str:
        return money.format_minor(method.price, method.currency) if method.kind == "flat" else "—"

    @display(description=_("free from"), ordering="free_above")
    def free_above_shown(self, method: ShippingMethod) -> str:
        return "—" if method.free_above is None else money.format_minor(method.free_above, method.currency)

    def save_model(self, request, obj, form, change):
        """Nothing here: the method and its brackets are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        brackets = None
        for formset in formsets:
            if not change or formset.has_changed():
                brackets = [
                    {
                        "up_to_grams": row.cleaned_data.get("up_to_grams"),
                        "price": row.cleaned_data.get("price"),
                    }
                    for row, delete in rows_of(formset)
                    if not delete
                ]
        values = self.given(form, METHOD_FIELDS)
        for name in ("price", "position"):
            values[name] = values.get(name) or 0
        texts = texts_from(self.translated, columns=form.cleaned_data)
        with refusals():
            if change:
                extra = {} if brackets is None else {"weight_rates": brackets}
                found = services.update_shipping_method(
                    actor=request.user, method=form.instance, texts=texts, **values, **extra
                )
            else:
                found = services.create_shipping_method(
                    actor=request.user, texts=texts, weight_rates=brackets or [], **values
                )
        form.instance.pk = found.pk
        form.instance.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_shipping_method(actor=request.user, method=obj)


# --- taxes ---------------------------------------------------------------------------------------


@admin.register(TaxRate)
class TaxRateAdmin(ConfigAdmin):
    """Tax rates per tax class and country; the rate without a class is the country's standard."""

    form = CheckedByServices
    fields = ["country", "tax_class", "rate", "name"]
    list_display = ["country", "tax_class", "rate", "name"]
    list_filter = ["country", "tax_class"]
    list_select_related = ["tax_class"]
    search_fields = ["name", "country"]

    def save_model(self, request, obj, form, change):
        values = self.given(form, ["country", "tax_class", "rate", "name"])
        with refusals():
            if change:
                found = services.update_tax_rate(actor=request.user, tax_rate=obj, **values)
            else:
                found = services.create_tax_rate(actor=request.user, **values)
        obj.pk = found.pk
        obj.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_tax_rate(actor=request.user, tax_rate=obj)


# --- vouchers ------------------------------------------------------------------------------------


class VoucherForm(MajorAmounts, CheckedByServices):
    currency = forms.ChoiceField(label=_("currency"), required=False)
    amounts = ("amount", "min_subtotal")

    class Meta:
        model = Voucher
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "—"), *((code, code) for code in currencies())]
        self.fields["currency"].help_text = Voucher._meta.get_field("currency").help_text


VOUCHER_FIELDS = [
    "code", "kind", "percent", "amount", "currency", "scope", "products", "categories", "min_subtotal",
    "starts_at", "ends_at", "usage_limit", "per_customer_limit", "is_active",
]  # fmt: skip


@admin.register(Voucher)
class VoucherAdmin(ConfigAdmin):
    """Vouchers: a percentage or an amount off, for the order or chosen products, in a window and
    within limits. One used by an order is not deleted (the service says so): deactivate it."""

    form = VoucherForm
    translated = VOUCHER_TEXTS
    list_display = ["code", "name", "kind", "value", "scope", "used_of_limit", "is_active", "ends_at"]
    list_filter = ["is_active", "kind", "scope"]
    search_fields = ["code", *(column("name", code) for code in language_codes())]
    autocomplete_fields = ["products", "categories"]
    readonly_fields = ["used"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["code"]}),
            *language_fieldsets(self.translated),
            (_("Discount"), {"fields": ["kind", "percent", "amount", "currency", "min_subtotal"]}),
            (_("Applies to"), {"fields": ["scope", "products", "categories"]}),
            (
                _("Validity"),
                {
                    "fields": [
                        "starts_at",
                        "ends_at",
                        "usage_limit",
                        "per_customer_limit",
                        "used",
                        "is_active",
                    ]
                },
            ),
        ]

    @display(description=_("off"))
    def value(self, voucher: Voucher) -> str:
        if voucher.kind == "percentage":
            return f"{voucher.percent.normalize():f} %" if voucher.percent is not None else "—"
        return money.format_minor(voucher.amount, voucher.currency) if voucher.amount is not None else "—"

    @display(description=_("used"), ordering="used")
    def used_of_limit(self, voucher: Voucher) -> str:
        return f"{voucher.used} / {voucher.usage_limit}" if voucher.usage_limit else str(voucher.used)

    def save_model(self, request, obj, form, change):
        """Nothing here: the voucher and its products are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        values = self.given(form, VOUCHER_FIELDS)
        for name in ("products", "categories"):
            if name in values:
                values[name] = list(values[name])
        values["code"] = values.get("code") or ""
        texts = texts_from(self.translated, columns=form.cleaned_data)
        with refusals():
            if change:
                found = services.update_voucher(
                    actor=request.user, voucher=form.instance, texts=texts, **values
                )
            else:
                found = services.create_voucher(actor=request.user, texts=texts, **values)
        form.instance.pk = found.pk
        form.instance.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_voucher(actor=request.user, voucher=obj)


# --- the order settings --------------------------------------------------------------------------

SETTINGS_FIELDS = ["prices_include_tax", "default_country", "reservation_minutes", "max_line_quantity"]


@admin.register(OrderSettings)
class OrderSettingsAdmin(ConfigAdmin):
    """One form for the site's one row of order settings; no list, no add, no delete."""

    form = CheckedByServices
    actions = []
    fields = SETTINGS_FIELDS

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(self.admin_url("change", services.order_settings().pk))

    def get_object(self, request, object_id, from_field=None):
        services.order_settings()  # the row exists from the first look at the form
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        with refusals():
            services.update_order_settings(actor=request.user, **self.given(form, SETTINGS_FIELDS))
        obj.refresh_from_db()
