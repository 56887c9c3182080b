"""Featured images are checked by the kernel's image check (rustok.images), shared with the site's logo."""

from rustok.images import FORMATS, check_image

__all__ = ["FORMATS", "check_image"]
