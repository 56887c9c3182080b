"""Reads of the catalogue that are more than a one-line queryset."""

from __future__ import annotations

from django.utils import translation

from apps.catalog.models import Collection, Product, ProductCategory
from rustok import renditions
from rustok.i18n import language_codes


def pictures_of(product: Product, *, make: bool = False) -> list[dict]:
    """The product's images in gallery order, each as the kernel describes a picture
    (rustok.renditions: `{"url", "width", "height", "renditions"}`) with its `id` and its `alt`
    text per language (`{"en": ..., "ru": ...}`, each with the site's fallbacks).

    With `make=True` the WebP renditions an image lacks are made first: the product documents'
    projection asks so, in the worker, once per new image; editors' reads leave it False and get
    the renditions made so far. An image whose file is missing or unreadable is left out (the
    kernel logs it). Reads the images once, or not at all when they were prefetched.
    """
    found = []
    for image in product.images.all():
        described = renditions.picture(image.image, make=make)
        if described is not None:
            found.append({"id": image.pk, **described, "alt": _alt(image)})
    return found


def picture_of(group: ProductCategory | Collection, *, make: bool = False) -> dict | None:
    """A category's or collection's image as the kernel describes a picture, None without one
    (or when its file is missing); `make` as for `pictures_of`."""
    return renditions.picture(group.image, make=make) if group.image else None


def _alt(image) -> dict[str, str]:
    alt = {}
    for code in language_codes():
        with translation.override(code):
            alt[code] = image.alt or ""
    return alt
