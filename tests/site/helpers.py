"""Reading a storefront page as a browser would: its tags and their attributes."""

from html.parser import HTMLParser

from tests.pages import elements

HTML = {"HTTP_ACCEPT": "text/html"}


def meta(response) -> dict[str, str]:
    """<meta name|property=... content=...> of the page."""
    found = {}
    for tag, attrs in elements(response):
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                found[key] = attrs["content"]
    return found


def link_hrefs(response, rel: str) -> dict:
    """<link rel=`rel`> addresses by hreflang (None without one); feed links (with a type) left out."""
    return {
        attrs.get("hreflang"): attrs["href"]
        for tag, attrs in elements(response)
        if tag == "link" and attrs.get("rel") == rel and "type" not in attrs
    }


def menu_links(response) -> list[tuple[str, str, bool]]:
    """(href, label, current) of the links inside the site's menu, in document order."""
    html = response.content.decode()
    start = html.find('<nav class="menu"')
    if start < 0:
        return []
    end = html.find("</nav>", start)
    parser = _Links()
    parser.feed(html[start:end])
    return parser.links


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            self._open = [attrs["href"], "", "aria-current" in attrs]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append(tuple(self._open))
            self._open = None
