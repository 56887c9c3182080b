"""Reading a page as a browser would: its elements, and what it loads.

`elements` lists every start tag with its attributes. `loaded_addresses` and `outside` prove that
nothing a page loads (scripts, styles, images, fonts, frames) comes from another host.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes through which a page makes the browser fetch something.
LOADING = {
    "script": ("src",),
    "link": ("href",),  # stylesheets, icons, preloads (not <a>: a link is followed, not loaded)
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def start_tags(html: str) -> list[tuple[str, dict]]:
    """Every element a browser would build from `html`, as (tag, attributes)."""
    parser = _StartTags()
    parser.feed(html)
    return parser.found


def elements(response) -> list[tuple[str, dict]]:
    """Every element of a response's page, as (tag, attributes)."""
    return start_tags(response.content.decode())


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and not (attrs.get("rel") or "").strip():
            return
        for name in LOADING.get(tag, ()):
            value = attrs.get(name)
            if not value:
                continue
            if name == "srcset":
                self.addresses.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())
            else:
                self.addresses.append(value.strip())
        if attrs.get("style"):
            self.addresses.extend(css_addresses(attrs["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.addresses.extend(css_addresses(data))


def css_addresses(css: str) -> list[str]:
    """The addresses a style sheet fetches (url(...) and @import)."""
    return [*CSS_URL.findall(css), *CSS_IMPORT.findall(css)]


def loaded_addresses(html: str) -> list[str]:
    """Every address the browser fetches to show `html` (not links a reader may follow)."""
    parser = _Loads()
    parser.feed(html)
    return [address for address in parser.addresses if not address.startswith(("data:", "#"))]


def outside(addresses, host: str | None = None) -> list[str]:
    """The addresses among `addresses` that point at another host than `host` (relative ones and
    those of `host` itself are the site's own)."""
    found = []
    for address in addresses:
        if address.startswith(("data:", "#", "about:")):
            continue
        parts = urlsplit(address)
        if parts.scheme in ("", "http", "https") and not parts.netloc:
            continue
        if host is not None and parts.netloc == host:
            continue
        found.append(address)
    return found
