"""Renditions of stored images (rustok.renditions): WebP copies in the configured widths narrower
than the original, upright, made once, described the same whenever asked, deleted with the image."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image

from rustok import renditions


@pytest.fixture
def storage(tmp_path, settings):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640, 1280)
    return FileSystemStorage(location=tmp_path, base_url="/media/site/")


def stored(storage, size, fmt="JPEG", mode="RGB", color="red", name="content/photo.jpg", **options) -> str:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **options)
    return storage.save(name, ContentFile(out.getvalue()))


def opened(storage, name) -> Image.Image:
    with storage.open(name, "rb") as file:
        image = Image.open(file)
        image.load()
        return image


def made(storage, name) -> list[tuple[str, str, tuple[int, int]]]:
    """(file name, format, size) of each rendition file in the folder of image `name`."""
    directory = name.rsplit("/", 1)[0]
    found = []
    for file in sorted(storage.listdir(directory)[1]):
        if file.endswith("w.webp"):
            image = opened(storage, f"{directory}/{file}")
            found.append((file, image.format, image.size))
    return found


def test_renditions_are_webp_in_the_widths_narrower_than_the_original_and_its_own(storage):
    name = stored(storage, (1000, 500))
    picture = renditions.picture(name, storage=storage)
    assert picture == {
        "url": "/media/site/content/photo.jpg",
        "width": 1000,
        "height": 500,
        "renditions": [
            {
                "url": f"/media/site/content/photo.jpg.{w}w.webp",
                "width": w,
                "height": w // 2,
                "type": "image/webp",
            }
            for w in (320, 640, 1000)
        ],
    }
    assert made(storage, name) == [
        ("photo.jpg.1000w.webp", "WEBP", (1000, 500)),  # its own width, not 1280: never upscaled
        ("photo.jpg.320w.webp", "WEBP", (320, 160)),
        ("photo.jpg.640w.webp", "WEBP", (640, 320)),
    ]


def test_an_image_wider_than_every_width_gets_those_widths_only(storage):
    name = stored(storage, (2000, 1500))
    picture = renditions.picture(name, storage=storage)
    assert [(r["width"], r["height"]) for r in picture["renditions"]] == [(320, 240), (640, 480), (1280, 960)]
    assert {fmt for _, fmt, _ in made(storage, name)} == {"WEBP"}


@pytest.mark.parametrize(("width", "expected"), [(200, [200]), (640, [320, 640]), (1280, [320, 640, 1280])])
def test_a_narrow_image_is_never_upscaled_and_its_own_width_comes_once(storage, width, expected):
    name = stored(storage, (width, 100), fmt="PNG", name="content/small.png")
    picture = renditions.picture(name, storage=storage)
    assert [r["width"] for r in picture["renditions"]] == expected
    assert all(size[0] <= width for _, _, size in made(storage, name))


def test_a_photo_is_turned_upright_by_its_exif_orientation(storage):
    raw = Image.new("RGB", (800, 400), "blue")
    raw.paste("red", (0, 0, 400, 400))  # the left half as stored: the top once turned upright
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    out = io.BytesIO()
    raw.save(out, "JPEG", exif=exif.tobytes())
    name = storage.save("content/turned.jpg", ContentFile(out.getvalue()))
    picture = renditions.picture(name, storage=storage)
    assert (picture["width"], picture["height"]) == (400, 800)
    assert [(r["width"], r["height"]) for r in picture["renditions"]] == [(320, 640), (400, 800)]
    upright = opened(storage, f"{name}.320w.webp")
    assert upright.size == (320, 640)
    red, _, blue = upright.getpixel((160, 100))
    assert red > 200 and blue < 60  # the top is the red half


def test_transparency_is_kept(storage):
    name = stored(storage, (400, 300), fmt="PNG", mode="RGBA", color=(0, 0, 0, 0), name="content/clear.png")
    renditions.picture(name, storage=storage)
    assert opened(storage, f"{name}.320w.webp").getpixel((10, 10))[3] == 0


def test_renditions_already_stored_are_not_made_again(storage):
    name = stored(storage, (1000, 500))
    first = renditions.picture(name, storage=storage)
    storage.delete(f"{name}.640w.webp")
    kept = f"{name}.320w.webp"
    storage.delete(kept)
    storage.save(kept, ContentFile(b"made earlier"))
    assert renditions.picture(name, storage=storage) == first
    with storage.open(kept, "rb") as file:
        assert file.read() == b"made earlier"  # found, so left alone
    assert opened(storage, f"{name}.640w.webp").size == (640, 320)  # missing, so made
    assert sorted(storage.listdir("content")[1]) == [  # and no copy under another name
        "photo.jpg",
        "photo.jpg.1000w.webp",
        "photo.jpg.320w.webp",
        "photo.jpg.640w.webp",
    ]


def test_without_making_only_the_stored_renditions_are_listed(storage):
    name = stored(storage, (1000, 500))
    assert renditions.picture(name, storage=storage, make=False)["renditions"] == []
    assert made(storage, name) == []
    renditions.picture(name, storage=storage)
    assert len(renditions.picture(name, storage=storage, make=False)["renditions"]) == 3


def test_animated_and_oversized_images_have_their_original_only(storage, settings):
    frames = [Image.new("RGB", (500, 500), color) for color in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    animated = storage.save("content/moving.gif", ContentFile(out.getvalue()))
    assert renditions.picture(animated, storage=storage)["renditions"] == []
    settings.CONTENT_IMAGE_MAX_PIXELS = 1000
    huge = stored(storage, (1000, 500), name="content/huge.jpg")
    picture = renditions.picture(huge, storage=storage)
    assert (picture["width"], picture["renditions"]) == (1000, [])
    assert made(storage, animated) == [] and made(storage, huge) == []


def test_a_missing_or_unreadable_file_has_no_picture(storage):
    assert renditions.picture("content/gone.jpg", storage=storage) is None
    name = storage.save("content/text.jpg", ContentFile(b"not an image"))
    assert renditions.picture(name, storage=storage) is None
    assert renditions.picture("", storage=storage) is None


def test_deleting_takes_the_renditions_of_every_width_and_nothing_else(storage, settings):
    name = stored(storage, (2000, 1000))
    other = stored(storage, (2000, 1000), name="content/photo.jpg2")  # a name that starts alike
    renditions.picture(name, storage=storage)
    renditions.picture(other, storage=storage)
    settings.IMAGE_RENDITION_WIDTHS = (480,)  # widths changed since they were made
    renditions.picture(name, storage=storage)
    assert len(made(storage, name)) == 4 + 3  # 320, 480, 640, 1280 and the other image's three
    renditions.delete(name, storage)
    assert storage.exists(name)
    assert [file for file, _, _ in made(storage, name)] == [
        "photo.jpg2.1280w.webp",
        "photo.jpg2.320w.webp",
        "photo.jpg2.640w.webp",
    ]
    renditions.delete("content/never-stored.jpg", storage)  # nothing to delete: no error
    renditions.delete("elsewhere/x.jpg", storage)  # nor in a folder that does not exist
