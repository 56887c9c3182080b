"""Images of products (an ordered gallery with translated alt text), categories and collections:
checked by content, stored in the site's own media, their files and renditions removed after
the commit that drops them, and described with their WebP renditions by the selectors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from apps.catalog import selectors, services
from apps.catalog.models import Product, ProductCategory, ProductImage
from apps.events.models import OutboxEvent
from rustok.errors import InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db

WIDTHS = (320, 640, 1000)  # of a 1000 pixels wide image, with IMAGE_RENDITION_WIDTHS 320, 640, 1280


@pytest.fixture(autouse=True)
def _widths(settings):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640, 1280)


def image_bytes(fmt: str = "JPEG", size=(1000, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str = "photo.jpg", fmt: str = "JPEG", size=(1000, 600)) -> SimpleUploadedFile:
    return image_upload(fmt=fmt, size=size, name=name)


def files(media: Path) -> list[str]:
    """Every file under the media root, relative to it."""
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def files_of(media: Path, name: str) -> list[str]:
    """The files of image `name` in alpha's media: the original and its renditions."""
    folder = media / "alpha" / Path(name).parent
    return sorted(path.name for path in folder.glob(f"{Path(name).name}*")) if folder.is_dir() else []


def gallery(product: Product) -> list[int]:
    return list(
        ProductImage.objects.filter(product=product).order_by("position").values_list("pk", flat=True)
    )


def image_events(product: Product) -> list[list[str]]:
    found = OutboxEvent.objects.filter(type="catalog.product.updated", payload__product_id=product.pk)
    return [event.payload["changed"] for event in found.order_by("id")]


# --- storing and refusing -------------------------------------------------------------------------


def test_a_good_image_is_stored_under_the_sites_media_in_catalog_products(manager, media):
    product = make_product(actor=manager)
    image = services.add_product_image(
        actor=manager, product=product, upload=upload("../../evil name.php"), texts={"en": {"alt": "A mug"}}
    )
    name = ProductImage.objects.get(pk=image.pk).image.name
    assert name.startswith("catalog/products/") and name.endswith(".jpg") and "evil" not in name
    assert files(media) == [f"alpha/{name}"]  # the site's own media, nothing of another site's
    assert image.image.url == f"/media/alpha/{name}"
    assert image_events(product) == [["images"]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<?php echo 1; ?>", "not an image"),
        (image_bytes("BMP", (8, 8)), "must be one of"),
        (image_bytes("PNG", (6000, 8000)), "too large"),
    ],
)
def test_an_upload_that_is_not_an_acceptable_image_is_refused_naming_image(manager, media, payload, message):
    product = make_product(actor=manager)
    with pytest.raises(InvalidInput) as caught:
        services.add_product_image(
            actor=manager, product=product, upload=SimpleUploadedFile("x.png", payload)
        )
    assert list(caught.value.errors) == ["image"] and message in caught.value.errors["image"][0]
    assert (ProductImage.objects.count(), files(media), image_events(product)) == (0, [], [])


def test_an_image_over_the_size_limit_is_refused_with_nothing_written(manager, media, settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 100
    product = make_product(actor=manager)
    category = services.create_category(actor=manager, texts={"en": {"name": "Mugs"}})
    with pytest.raises(InvalidInput, match="larger than") as caught:
        services.add_product_image(actor=manager, product=product, upload=upload())
    assert list(caught.value.errors) == ["image"]
    with pytest.raises(InvalidInput, match="larger than"):
        services.set_category_image(actor=manager, category=category, upload=upload())
    assert (ProductImage.objects.count(), files(media)) == (0, [])
    assert not ProductCategory.objects.get(pk=category.pk).image


def test_a_bad_alt_text_is_refused_before_the_file_is_stored(manager, media):
    product = make_product(actor=manager)
    with pytest.raises(InvalidInput) as caught:
        services.add_product_image(
            actor=manager, product=product, upload=upload(), texts={"en": {"alt": "x" * 256}}
        )
    assert list(caught.value.errors) == ["alt_en"]
    assert files(media) == []


# --- order ----------------------------------------------------------------------------------------


def add(manager, product, **fields) -> ProductImage:
    return services.add_product_image(actor=manager, product=product, upload=upload(size=(40, 30)), **fields)


def test_images_are_added_at_the_end_or_at_the_position_given(manager, media):
    product = make_product(actor=manager)
    first, second = add(manager, product), add(manager, product)
    front = add(manager, product, position=0)
    last = add(manager, product, position=99)  # past the end: the end
    middle = add(manager, product, position=2)
    assert gallery(product) == [front.pk, first.pk, middle.pk, second.pk, last.pk]
    assert list(ProductImage.objects.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]
    with pytest.raises(InvalidInput) as caught:
        add(manager, product, position=-1)
    assert list(caught.value.errors) == ["position"]


def test_reordering_puts_the_images_in_the_order_given_with_one_event(manager, media):
    product = make_product(actor=manager)
    a, b, c = (add(manager, product) for _ in range(3))
    before = len(image_events(product))
    ordered = services.reorder_product_images(actor=manager, product=product, image_ids=[c.pk, a, b.pk])
    assert [image.pk for image in ordered] == gallery(product) == [c.pk, a.pk, b.pk]
    services.reorder_product_images(actor=manager, product=product, image_ids=[c.pk, a.pk, b.pk])  # as it is
    assert len(image_events(product)) == before + 1


@pytest.mark.parametrize("which", ["missing", "twice", "foreign", "not_a_list"])
def test_reordering_must_name_exactly_the_products_images(manager, media, which):
    product, other = make_product(actor=manager), make_product(actor=manager, name="Other")
    a, b = add(manager, product), add(manager, product)
    foreign = add(manager, other)
    given = {
        "missing": [b.pk],
        "twice": [b.pk, a.pk, a.pk],
        "foreign": [b.pk, a.pk, foreign.pk],
        "not_a_list": "1,2",
    }[which]
    with pytest.raises(InvalidInput) as caught:
        services.reorder_product_images(actor=manager, product=product, image_ids=given)
    assert list(caught.value.errors) == ["images"]
    assert gallery(product) == [a.pk, b.pk]


def test_an_image_moves_to_another_place_and_the_others_close_up(manager, media):
    product = make_product(actor=manager)
    a, b, c = (add(manager, product) for _ in range(3))
    services.update_product_image(actor=manager, image=a, position=2)
    assert gallery(product) == [b.pk, c.pk, a.pk]
    services.update_product_image(actor=manager, image=a, position=0)
    assert gallery(product) == [a.pk, b.pk, c.pk]


# --- alt text -------------------------------------------------------------------------------------


def test_alt_texts_are_translated_and_fall_back_to_the_sites_language(manager, media):
    product = make_product(actor=manager)
    image = services.add_product_image(
        actor=manager, product=product, upload=upload(), texts={"en": {"alt": "A red mug"}}
    )
    with translation.override("ru"):
        assert ProductImage.objects.get(pk=image.pk).alt == "A red mug"  # alpha's language: English
    events = len(image_events(product))
    services.update_product_image(actor=manager, image=image, texts={"ru": {"alt": "Красная кружка"}})
    stored = ProductImage.objects.get(pk=image.pk)
    assert (stored.alt_en, stored.alt_ru) == ("A red mug", "Красная кружка")
    assert selectors.pictures_of(product)[0]["alt"] == {"en": "A red mug", "ru": "Красная кружка"}
    assert len(image_events(product)) == events + 1
    services.update_product_image(actor=manager, image=image, texts={"ru": {"alt": "Красная кружка"}})
    assert len(image_events(product)) == events + 1  # nothing changed: no event


# --- deleting -------------------------------------------------------------------------------------


def test_deleting_an_image_removes_its_file_and_renditions_after_commit(
    manager, media, django_capture_on_commit_callbacks
):
    product = make_product(actor=manager)
    keep, gone = (
        add(manager, product),
        services.add_product_image(actor=manager, product=product, upload=upload()),
    )
    name = ProductImage.objects.get(pk=gone.pk).image.name
    selectors.pictures_of(product, make=True)
    assert len(files_of(media, name)) == 1 + len(WIDTHS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.delete_product_image(actor=manager, image=gone)
        assert len(files_of(media, name)) == 1 + len(WIDTHS), "nothing goes before the commit"
    assert callbacks
    assert files_of(media, name) == []
    assert gallery(product) == [keep.pk] and ProductImage.objects.get(pk=keep.pk).position == 0
    assert image_events(product)[-1] == ["images"]


def test_deleting_a_product_removes_its_images_files_after_commit(
    manager, media, django_capture_on_commit_callbacks
):
    product = make_product(actor=manager)
    names = [ProductImage.objects.get(pk=add(manager, product).pk).image.name for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_product(actor=manager, product=product)
    assert [files_of(media, name) for name in names] == [[], []]


# --- categories and collections --------------------------------------------------------------------


def test_a_category_image_is_set_replaced_and_removed_with_events_naming_its_products(
    manager, media, django_capture_on_commit_callbacks
):
    category = services.create_category(actor=manager, texts={"en": {"name": "Mugs"}})
    product = make_product(actor=manager, categories=[category])
    with django_capture_on_commit_callbacks(execute=True):
        services.set_category_image(actor=manager, category=category, upload=upload())
    first = ProductCategory.objects.get(pk=category.pk).image.name
    assert first.startswith("catalog/categories/") and files_of(media, first)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_category_image(actor=manager, category=category, upload=upload("b.png", "PNG"))
    second = ProductCategory.objects.get(pk=category.pk).image.name
    assert files_of(media, first) == [] and second.endswith(".png")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_category_image(actor=manager, category=category, upload=None)
        services.set_category_image(actor=manager, category=category, upload=None)  # none left: no event
    assert files_of(media, second) == [] and not ProductCategory.objects.get(pk=category.pk).image
    events = OutboxEvent.objects.filter(type="catalog.category.updated", payload__category_id=category.pk)
    assert [event.payload["product_ids"] for event in events] == [[product.pk]] * 3


def test_a_collection_image_is_stored_under_catalog_collections_and_goes_with_the_collection(
    manager, media, django_capture_on_commit_callbacks
):
    product = make_product(actor=manager)
    collection = services.create_collection(actor=manager, texts={"en": {"name": "Sale"}}, products=[product])
    collection = services.set_collection_image(actor=manager, collection=collection, upload=upload())
    name = collection.image.name
    assert name.startswith("catalog/collections/") and files_of(media, name)
    event = OutboxEvent.objects.filter(type="catalog.collection.updated").get()
    assert event.payload["product_ids"] == [product.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_collection(actor=manager, collection=collection)
    assert files_of(media, name) == []


# --- permissions ----------------------------------------------------------------------------------


def test_an_editor_cannot_change_images(manager, media):
    product = make_product(actor=manager)
    image = add(manager, product)
    category = services.create_category(actor=manager, texts={"en": {"name": "Mugs"}})
    collection = services.create_collection(actor=manager, texts={"en": {"name": "Sale"}})
    editor = EditorFactory()
    before = files(media)
    for call in (
        lambda: services.add_product_image(actor=editor, product=product, upload=upload()),
        lambda: services.update_product_image(actor=editor, image=image, texts={"en": {"alt": "x"}}),
        lambda: services.reorder_product_images(actor=editor, product=product, image_ids=[image.pk]),
        lambda: services.delete_product_image(actor=editor, image=image),
        lambda: services.set_category_image(actor=editor, category=category, upload=upload()),
        lambda: services.set_collection_image(actor=editor, collection=collection, upload=upload()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert files(media) == before and gallery(product) == [image.pk]


# --- the selectors --------------------------------------------------------------------------------


def test_pictures_of_lists_the_gallery_with_renditions_made_once_when_asked(manager, media):
    product = make_product(actor=manager)
    big = services.add_product_image(actor=manager, product=product, upload=upload())
    small = services.add_product_image(
        actor=manager, product=product, upload=upload(size=(200, 100)), position=0
    )
    big_name = ProductImage.objects.get(pk=big.pk).image.name
    assert [p["renditions"] for p in selectors.pictures_of(product)] == [[], []]  # none made by the uploads
    made = selectors.pictures_of(product, make=True)
    assert [p["id"] for p in made] == [small.pk, big.pk]
    assert made[1] == {
        "id": big.pk,
        "url": f"/media/alpha/{big_name}",
        "width": 1000,
        "height": 600,
        "renditions": [
            {
                "url": f"/media/alpha/{big_name}.{width}w.webp",
                "width": width,
                "height": width * 600 // 1000,
                "type": "image/webp",
            }
            for width in WIDTHS
        ],
        "alt": {"en": "", "ru": ""},
    }
    assert [r["width"] for r in made[0]["renditions"]] == [200]  # narrower than every width: its own
    for width in WIDTHS:
        with Image.open(media / "alpha" / f"{big_name}.{width}w.webp") as rendition:
            assert (rendition.format, rendition.size) == ("WEBP", (width, width * 600 // 1000))
    assert selectors.pictures_of(product) == made  # found, not made again


def test_picture_of_describes_a_categorys_image(manager, media):
    category = services.create_category(actor=manager, texts={"en": {"name": "Mugs"}})
    assert selectors.picture_of(category) is None
    category = services.set_category_image(actor=manager, category=category, upload=upload())
    assert selectors.picture_of(category)["renditions"] == []
    assert [r["width"] for r in selectors.picture_of(category, make=True)["renditions"]] == list(WIDTHS)
