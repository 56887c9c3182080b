"""Images in the catalogue's admin: a product's gallery as rows of its page (upload several, alt
text per language, order by position or by dragging, delete), the thumbnail of the product list,
and the one image of a category or collection. Every write is one of the image services
(apps.catalog.services.images), which check the file by its content.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.catalog import selectors, services
from apps.catalog.admin.base import ServiceForm, rows_of
from apps.catalog.models import Product, ProductImage
from rustok import renditions
from rustok.admin import ServiceInline, ServiceRefusal, TabularInline, refusals
from rustok.errors import DomainError
from rustok.i18n import language_codes
from rustok.texts import column, texts_from

ALT = ("alt",)


def smallest(picture: dict | None) -> str | None:
    """The address to show a picture small: its narrowest WebP rendition, else the original."""
    if picture is None:
        return None
    found = sorted(picture.get("renditions") or [], key=lambda rendition: rendition["width"])
    return found[0]["url"] if found else picture["url"]


def thumbnail_html(url: str | None, *, alt: str = "", size: int = 40, lazy: bool = True) -> str:
    """A small square image (or an empty square); `lazy` lets a long list load it when seen."""
    if url is None:
        return mark_safe('<span class="rustok-thumb rustok-thumb-empty" aria-hidden="true"></span>')
    return format_html(
        '<img class="rustok-thumb" src="{}" alt="{}"{} width="{}" height="{}">',
        url,
        alt,
        mark_safe(' loading="lazy"') if lazy else "",
        size,
        size,
    )


def product_thumbnail(product: Product) -> str:
    """The product's first image, small: its narrowest WebP rendition made so far (none is made
    here), else the original. The list prefetches only each product's first image."""
    pictures = selectors.pictures_of(product, make=False)
    return thumbnail_html(smallest(pictures[0]) if pictures else None)


class KeptFile(forms.Widget):
    """A stored image's file, named, not to be replaced: a gallery image is deleted and another
    added instead."""

    # The formset asks its first row whether the page's form must send files; new rows do.
    needs_multipart_form = True

    def render(self, name, value, attrs=None, renderer=None):
        shown = getattr(value, "name", "") or ""
        return format_html('<span class="rustok-kept-file">{}</span>', shown.rsplit("/", 1)[-1])

    def value_from_datadict(self, data, files, name):
        return None


class ImageRowForm(ServiceForm):
    """A gallery image: the file (a new row only), its alt text per language and its position.
    The file is checked by the service (by its content), not here."""

    image = forms.FileField(label=_("image"), required=False, widget=forms.ClearableFileInput)

    class Meta:
        model = ProductImage
        fields = ["image", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if self.instance.pk:
            self.fields["image"].disabled = True
            self.fields["image"].widget = KeptFile()
        else:
            self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"
            # Left empty, a new image goes after the others.
            self.initial["position"] = None
            self.fields["position"].widget.attrs["placeholder"] = _("last")

    def has_changed(self):
        # A new row without a file and without alt text is an empty extra row, not a change.
        return super().has_changed() and (
            self.instance.pk is not None
            or bool(self.files.get(self.add_prefix("image")))
            or any(self.data.get(self.add_prefix(column("alt", code))) for code in language_codes())
        )


class ImageInline(ServiceInline, TabularInline):
    """The product's gallery in order. Position is a number field (lowest first), so the order
    can be set without scripts; with them, rows are dragged by their handle, which renumbers it."""

    model = ProductImage
    form = ImageRowForm
    extra = 3
    tab = False
    ordering_field = "position"
    hide_ordering_field = False
    readonly_fields = ["preview"]
    verbose_name = _("image")
    verbose_name_plural = _("images, in order")

    def get_fields(self, request, obj=None):
        return ["preview", "image", *(column("alt", code) for code in language_codes()), "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("position", "id")

    @display(description=_("preview"))
    def preview(self, image: ProductImage) -> str:
        if not image.pk:
            return thumbnail_html(None)
        picture = renditions.picture(image.image, make=False)
        return thumbnail_html(smallest(picture), alt=image.alt or "", lazy=False)


def _add(request, product: Product, upload, texts) -> ProductImage:
    """add_product_image; a refusal of the file names the file, since several are sent at once."""
    try:
        return services.add_product_image(actor=request.user, product=product, upload=upload, texts=texts)
    except DomainError as exc:
        if upload is not None and exc.errors.get("image"):
            exc.errors["image"] = [f"{upload.name}: {message}" for message in exc.errors["image"]]
        raise


def save_images(request, product: Product, formset) -> None:
    """Delete, change and add the gallery's images as the rows say, then put the gallery in the
    rows' order of positions (ties: the order shown), each through its service. A refusal names
    the row and field; files stored by this save are removed again, since nothing else is kept."""
    rows = rows_of(formset)
    stored: list[tuple] = []
    try:
        for row, delete in rows:
            if delete and row.instance.pk:
                with refusals(prefix=row.prefix):
                    services.delete_product_image(actor=request.user, image=row.instance)
        order: list[tuple[int, int, int]] = []  # (position, place shown, image id)
        for place, (row, delete) in enumerate(rows):
            if delete:
                continue
            data, changed = row.cleaned_data, set(row.changed_data)
            alts = [
                column("alt", code)
                for code in language_codes()
                if not row.instance.pk or column("alt", code) in changed
            ]
            texts = texts_from(ALT, columns={name: data.get(name) or "" for name in alts})
            upload = data.get("image") if row.instance.pk is None else None
            with refusals(prefix=row.prefix, names={"images": "position"}):
                if row.instance.pk is None:
                    image = _add(request, product, upload, texts)
                    stored.append((image.image.storage, image.image.name))
                else:
                    image = row.instance
                    if texts:
                        services.update_product_image(actor=request.user, image=image, texts=texts)
            position = data.get("position")
            order.append((image.position if position is None else position, place, image.pk))
        if order:
            with refusals():
                services.reorder_product_images(
                    actor=request.user, product=product, image_ids=[pk for *_rest, pk in sorted(order)]
                )
    except ServiceRefusal:
        for storage, name in stored:  # their rows are rolled back: the files would be orphans
            storage.delete(name)
        raise
