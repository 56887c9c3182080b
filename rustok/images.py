"""Uploaded images (featured images, a site's logo): checked by content (not by name), size and
dimensions before they are stored."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from rustok.errors import InvalidInput

# Pillow's format name -> the extension the stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def check_image(upload: UploadedFile, field: str = "featured_image") -> str:
    """The extension for a valid image upload; InvalidInput naming `field` for anything else."""
    limit = settings.CONTENT_IMAGE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise InvalidInput.for_field(field, f"The image is larger than {limit // 1024} KiB.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput.for_field(field, "The file is not an image that can be read.") from None
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        allowed = ", ".join(sorted(FORMATS))
        raise InvalidInput.for_field(field, f"Images must be one of {allowed}; this one is {image_format}.")
    if width * height > settings.CONTENT_IMAGE_MAX_PIXELS:
        raise InvalidInput.for_field(field, f"The image is too large ({width}x{height} pixels).")
    return FORMATS[image_format]
