"""Bodies of nodes to HTML and the text derived from it, by the kernel's markup (rustok.markup)."""

from __future__ import annotations

from rustok.i18n import language_codes
from rustok.markup import derive, render
from rustok.texts import column


def render_node(node) -> None:
    """Set every language's body_html, body_text, summary and reading time of `node` (in memory)
    from its body, format and excerpt: what the services store when those are written, and
    what a preview of unpublished changes shows."""
    for language in language_codes():
        body = getattr(node, column("body", language)) or ""
        html = render(body, node.body_format) if body else ""  # an empty body needs no renderer
        derived = derive(html, getattr(node, column("excerpt", language)) or "")
        setattr(node, column("body_html", language), html)
        setattr(node, column("body_text", language), derived.text)
        setattr(node, column("summary", language), derived.summary)
        setattr(node, column("reading_time", language), derived.reading_time)
