"""Images of products (a gallery in order, with translated alt text) and of categories and
collections (one each).

Uploads are checked by content (rustok.images: JPEG, PNG, GIF or WebP, within
CONTENT_IMAGE_MAX_BYTES and CONTENT_IMAGE_MAX_PIXELS, as featured images are) and stored under a
fresh name in the tenant's media root (`catalog/products/...`, the upload_to functions of
models.py), once everything else is checked. A file that is replaced or deleted goes with its
renditions after the commit, never before: a rolled-back write still names it. Renditions are not
made here but by whoever shows the image to readers (apps.catalog.selectors with make=True, from
the product documents' projection), once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from apps.catalog.events import CategoryUpdated, CollectionUpdated, ProductUpdated
from apps.catalog.models import Collection, Product, ProductCategory, ProductImage
from rustok import renditions
from rustok.errors import InvalidInput, NotFound
from rustok.events import publish
from rustok.images import check_image
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"
FIELD = "image"
ALT_FIELDS = ("alt",)
# The most images one product has: a gallery, not a media library.
MAX_IMAGES = 50


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def delete_after_commit(storage: Storage, name: str) -> None:
    """Delete the file `name` and its renditions once the transaction commits; nothing if it
    rolls back, since the rows still name the file then."""

    def delete() -> None:
        storage.delete(name)
        renditions.delete(name, storage)

    if name:
        transaction.on_commit(delete, robust=True)


def _store(file: FieldFile, upload) -> None:
    """Check `upload` by its content and store it in `file` under a fresh name (not saved)."""
    extension = check_image(upload, FIELD)
    file.save(f"image.{extension}", upload, save=False)


def _gallery(product: Product) -> list[ProductImage]:
    """The product's images in gallery order, their rows locked (the product's is, by the caller)."""
    return list(ProductImage.objects.select_for_update().filter(product=product).order_by("position", "pk"))


def _position(value, size: int) -> int:
    """A place in a gallery of `size` images: 0 is first; past the end is the end."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput.for_field("position", "Give a whole number from 0 (the first place).")
    return min(value, size)


def _renumber(images: list[ProductImage]) -> None:
    """Give `images` the positions 0, 1, 2, ... in their list order (one query for those that moved)."""
    moved = []
    for position, image in enumerate(images):
        if image.position != position:
            image.position = position
            moved.append(image)
    if moved:
        ProductImage.objects.bulk_update(moved, ["position"])


def _alt(image: ProductImage, texts) -> list[str]:
    changed = assign(image, check_texts(texts, ALT_FIELDS))
    check_lengths(image, ALT_FIELDS)
    return changed


def _images_changed(product: Product, actor) -> None:
    product.save(update_fields=["updated_at"])
    publish(ProductUpdated(product_id=product.pk, actor_id=_actor_id(actor), changed=["images"]))


def _own_image(image: ProductImage) -> tuple[Product, ProductImage]:
    """The image's product and the image, locked in that order (every gallery write does so);
    NotFound when either is gone."""
    product_id = ProductImage.objects.filter(pk=image.pk).values_list("product_id", flat=True).first()
    if product_id is None:
        raise NotFound("This image no longer exists.")
    product = lock(Product, Product(pk=product_id), "product")
    image = ProductImage.objects.select_for_update().filter(pk=image.pk, product=product).first()
    if image is None:
        raise NotFound("This image no longer exists.")
    return product, image


@transaction.atomic
def add_product_image(
    *, actor, product: Product, upload, texts: Texts | None = None, position: int | None = None
) -> ProductImage:
    """Add `upload` to the product's gallery at `position` (default: the end), with its alt text
    per language ({"en": {"alt": ...}}). `catalog.product.updated` with changed ["images"]."""
    require(actor, PERM)
    if upload is None:
        raise InvalidInput.for_field(FIELD, "Give an image.")
    product = lock(Product, product, "product")
    gallery = _gallery(product)
    if len(gallery) >= MAX_IMAGES:
        raise InvalidInput.for_field(FIELD, f"A product has at most {MAX_IMAGES} images.")
    image = ProductImage(product=product)
    _alt(image, texts)
    place = len(gallery) if position is None else _position(position, len(gallery))
    # Stored last, once everything is checked: only a failing commit can orphan the file.
    _store(image.image, upload)
    image.position = place
    image.save()
    gallery.insert(place, image)
    _renumber(gallery)
    _images_changed(product, actor)
    return image


@transaction.atomic
def update_product_image(
    *, actor, image: ProductImage, texts: Texts | None = None, position=UNSET
) -> ProductImage:
    """Change an image's alt text (the languages given) and its place in the gallery; an event
    only if something changed."""
    require(actor, PERM)
    product, image = _own_image(image)
    changed = _alt(image, texts)
    if changed:
        image.save(update_fields=changed)
    if position is not UNSET:
        gallery = _gallery(product)
        ids = [each.pk for each in gallery]
        place = _position(position, len(gallery) - 1)
        if ids.index(image.pk) != place:
            gallery = [each for each in gallery if each.pk != image.pk]
            gallery.insert(place, image)
            _renumber(gallery)
            changed.append("position")
    if changed:
        _images_changed(product, actor)
    return image


def _image_ids(given, field: str = "images") -> list[int]:
    if not isinstance(given, list | tuple):
        raise InvalidInput.for_field(field, "Give a list of the product's images.")
    ids = [each.pk if isinstance(each, ProductImage) else each for each in given]
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise InvalidInput.for_field(field, "Give images by id.")
    return ids


@transaction.atomic
def reorder_product_images(*, actor, product: Product, image_ids: Sequence) -> list[ProductImage]:
    """Put the product's images in the order given (ids or images): every one of its images, each
    once (400 naming `images` otherwise). Returns the gallery in its new order."""
    require(actor, PERM)
    ids = _image_ids(image_ids)
    product = lock(Product, product, "product")
    gallery = {image.pk: image for image in _gallery(product)}
    if len(set(ids)) != len(ids):
        raise InvalidInput.for_field("images", "Name each image once.")
    unknown = [str(i) for i in ids if i not in gallery]
    missing = [str(i) for i in gallery if i not in ids]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"not images of this product: {', '.join(unknown)}")
        if missing:
            problems.append(f"missing: {', '.join(missing)}")
        raise InvalidInput.for_field(
            "images", f"Name every image of the product once; {'; '.join(problems)}."
        )
    ordered = [gallery[i] for i in ids]
    if ids != list(gallery):
        _renumber(ordered)
        _images_changed(product, actor)
    return ordered


@transaction.atomic
def delete_product_image(*, actor, image: ProductImage) -> None:
    """Remove an image from its product's gallery; its file and renditions go after commit."""
    require(actor, PERM)
    product, image = _own_image(image)
    storage, name = image.image.storage, image.image.name
    image.delete()
    _renumber(_gallery(product))
    delete_after_commit(storage, name)
    _images_changed(product, actor)


def _set_image(obj, upload) -> bool:
    """Store `upload` as `obj.image` (None removes it); the old file goes after commit. Whether
    anything changed."""
    old = obj.image.name if obj.image else ""
    if upload is None:
        if not old:
            return False
        obj.image = ""
    else:
        _store(obj.image, upload)
    obj.save(update_fields=["image", "updated_at"])
    delete_after_commit(obj.image.storage, old)
    return True


@transaction.atomic
def set_category_image(*, actor, category: ProductCategory, upload) -> ProductCategory:
    """Store `upload` as the category's image (None removes it); `catalog.category.updated`
    with the products that show it."""
    require(actor, PERM)
    category = lock(ProductCategory, category, "category")
    if _set_image(category, upload):
        product_ids = list(category.products.values_list("pk", flat=True))
        publish(CategoryUpdated(category_id=category.pk, actor_id=_actor_id(actor), product_ids=product_ids))
    return category


@transaction.atomic
def set_collection_image(*, actor, collection: Collection, upload) -> Collection:
    """Store `upload` as the collection's image (None removes it); `catalog.collection.updated`
    with its products."""
    require(actor, PERM)
    collection = lock(Collection, collection, "collection")
    if _set_image(collection, upload):
        product_ids = list(collection.entries.values_list("product_id", flat=True))
        publish(
            CollectionUpdated(collection_id=collection.pk, actor_id=_actor_id(actor), product_ids=product_ids)
        )
    return collection
