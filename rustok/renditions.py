"""Renditions of stored images: copies in a few widths, as WebP, made once and kept beside them.

A page shows an image as `<picture>`: the browser picks the rendition that fits the width it draws
the image at (`srcset`, `sizes`), and the original is the fallback. Renditions are made from an
image in a storage (the default one: the tenant's own media root) and stored next to it under
names that follow from the image's name, `<name>.<width>w.webp`:

    picture(node.featured_image)   # {"url", "width", "height", "renditions": [...]}; makes what is missing
    absolute(described, request.build_absolute_uri)  # the same with absolute addresses (the APIs)
    delete(name, storage)          # the renditions of image `name`, when the image goes

Making them again finds them and only checks that they are there, and their description depends
on the original (its size and EXIF orientation) and the `IMAGE_RENDITION_WIDTHS` setting alone,
never on when or by whom they were made: whoever asks (a projection, a rebuild) gets the same one.

Widths above the original's are skipped (nothing is upscaled); when the original is narrower than
the widest width, one rendition is made at its own width instead. Images are turned upright by
their EXIF orientation first, keep their aspect ratio and, in PNG, GIF and WebP, their
transparency. Animated images and images over `CONTENT_IMAGE_MAX_PIXELS` (which no upload passes)
get no renditions: their original is all there is.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

WEBP = "image/webp"
WEBP_MAX_SIDE = 16383  # the largest width or height a WebP image can have
QUALITY = 80  # WebP quality: photos look as the original at a fraction of its bytes
# EXIF orientations that turn the image a quarter (its width and height swap)
QUARTER_TURNS = {5, 6, 7, 8}
RENDITION = re.compile(r"\.[1-9][0-9]*w\.webp")
# What a file that is not a readable image raises while it is opened or decoded
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


class Unreadable(Exception):
    """The stored file is missing or is not an image that can be read."""


@dataclass(frozen=True)
class Size:
    width: int
    height: int


def rendition_name(name: str, width: int) -> str:
    """The stored name of the WebP rendition `width` pixels wide of image `name`."""
    return f"{name}.{width}w.webp"


def widths(original: int) -> list[int]:
    """The widths of the renditions of an image `original` pixels wide: the configured widths
    narrower than it and, if it is no wider than the widest of them, its own (once)."""
    configured = sorted({width for width in settings.IMAGE_RENDITION_WIDTHS if 0 < width <= WEBP_MAX_SIDE})
    chosen = [width for width in configured if width < original]
    if configured and original <= configured[-1]:
        chosen.append(original)
    return chosen


def sizes(original: Size) -> list[Size]:
    """The sizes of the renditions of an upright image of size `original` (aspect ratio kept)."""
    found = []
    for width in widths(original.width):
        height = max(1, round(original.height * width / original.width))
        if height <= WEBP_MAX_SIDE:
            found.append(Size(width, height))
    return found


def picture(image, *, storage: Storage | None = None, make: bool = True) -> dict | None:
    """The description of a stored image and its renditions, making those that are missing.

    `image` is a FieldFile (its storage is used) or a name in `storage` (default: the default
    storage). The answer is JSON: `{"url", "width", "height", "renditions": [{"url", "width",
    "height", "type"}, ...]}`, the original's address and upright size, and the renditions
    narrowest first (none for an animated or oversized image). With `make=False` nothing is made
    and only the renditions already stored are listed. None for no image, and for a file that is
    missing or cannot be read (logged): there is nothing to show.

    A failure to store a rendition (a full disk) is raised, so a caller that is retried (an event
    handler) makes it later; renditions already stored stay and are found then.
    """
    name, storage = _located(image, storage)
    if not name:
        return None
    try:
        original, planned, made = _renditions(name, storage, make=make)
    except Unreadable as reason:
        log.warning("image %s has no renditions: %s", name, reason)
        return None
    if made and not storage.exists(name):  # the image was deleted meanwhile: so are its copies
        delete(name, storage)
        return None
    return {
        "url": storage.url(name),
        "width": original.width,
        "height": original.height,
        "renditions": [
            {
                "url": storage.url(rendition_name(name, size.width)),
                "width": size.width,
                "height": size.height,
                "type": WEBP,
            }
            for size in planned
        ],
    }


def absolute(described: dict | None, build_absolute_uri) -> dict | None:
    """A description of `picture` with every address made absolute by `build_absolute_uri` (a
    request's), as the APIs answer it."""
    if not described:
        return None
    return {
        **described,
        "url": build_absolute_uri(described["url"]),
        "renditions": [
            {**rendition, "url": build_absolute_uri(rendition["url"])}
            for rendition in described["renditions"]
        ],
    }


def delete(name: str, storage: Storage | None = None) -> None:
    """Delete every rendition of image `name` (whatever widths they were made in, so widths
    configured earlier go too), not the image itself."""
    storage = storage or default_storage
    if not name:
        return
    directory, base = posixpath.split(name)
    try:
        _, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for file in files:
        if file.startswith(base) and RENDITION.fullmatch(file[len(base) :]):
            storage.delete(posixpath.join(directory, file))


def _located(image, storage: Storage | None) -> tuple[str, Storage]:
    if isinstance(image, str):
        return image, storage or default_storage
    if not image:
        return "", storage or default_storage
    return image.name, storage or image.storage


def _renditions(name: str, storage: Storage, *, make: bool) -> tuple[Size, list[Size], bool]:
    """The upright size of image `name`, the sizes of its renditions, and whether any was made
    now; reads the original's header, and decodes it only if a rendition is missing."""
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        raise Unreadable("the file is missing") from None
    with file:
        try:
            image = Image.open(file)
        except UNREADABLE as error:
            raise Unreadable(f"{type(error).__name__}: {error}") from None
        with image:
            try:
                orientation = _orientation(image)
                turned = orientation in QUARTER_TURNS
                original = Size(*(reversed(image.size) if turned else image.size))
                suitable = not getattr(image, "is_animated", False) and (
                    original.width * original.height <= settings.CONTENT_IMAGE_MAX_PIXELS
                )
            except UNREADABLE as error:
                raise Unreadable(f"{type(error).__name__}: {error}") from None
            planned = sizes(original) if suitable else []
            missing = [size for size in planned if not storage.exists(rendition_name(name, size.width))]
            if not make:
                return original, [size for size in planned if size not in missing], False
            if missing:
                for size, data in _encoded(image, orientation, missing):
                    _store(storage, rendition_name(name, size.width), data)
            return original, planned, bool(missing)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation the image's header gives (1: upright, also for EXIF that cannot be
    read: the image itself can), read without decoding the image."""
    raw = image.info.get("exif")
    if not raw:
        return 1
    exif = Image.Exif()
    try:
        exif.load(raw)
        orientation = exif.get(ExifTags.Base.Orientation, 1)
    except Exception:  # malformed metadata (Pillow raises what its parser meets)
        return 1
    return orientation if orientation in range(1, 9) else 1


def _encoded(image: Image.Image, orientation: int, wanted: list[Size]):
    """(size, WebP bytes) of each wanted rendition of `image`, widest first."""
    wanted = sorted(wanted, key=lambda size: size.width, reverse=True)
    try:
        if image.format == "JPEG":  # decode at a reduced scale, still twice the widest rendition
            widest = wanted[0]
            turned = orientation in QUARTER_TURNS
            across, down = (widest.height, widest.width) if turned else (widest.width, widest.height)
            image.draft(None, (across * 2, down * 2))
        image.load()
        upright = ImageOps.exif_transpose(image) if orientation != 1 else image
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha else "RGB")
        profile = image.info.get("icc_profile") or b""
        keep = {"icc_profile": profile} if profile[16:20] == b"RGB " else {}  # an RGB profile only
        for size in wanted:
            copy = upright.resize((size.width, size.height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            copy.save(out, format="WEBP", quality=QUALITY, **keep)
            yield size, out.getvalue()
    except UNREADABLE as error:
        raise Unreadable(f"{type(error).__name__}: {error}") from None


def _store(storage: Storage, name: str, data: bytes) -> None:
    """Store a rendition under `name`; if another process stored it first, keep theirs."""
    stored = storage.save(name, ContentFile(data))
    if stored != name:  # the storage chose another name: `name` was taken meanwhile
        storage.delete(stored)
