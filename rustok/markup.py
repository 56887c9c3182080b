"""Rich text to HTML (content's bodies, the catalogue's descriptions): Markdown rendered with
markdown-it, and all HTML sanitised with nh3.

Whatever an author (or an integration) sends, the HTML a page shows has only the tags and
attributes of the allowlist below: no script or style, no event-handler attribute, no
`javascript:` or `data:` URL, and links to other sites get rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import nh3
from django.utils.text import Truncator
from markdown_it import MarkdownIt

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "code": {"class"},
    "abbr": {"title"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}
WORDS_PER_MINUTE = 200
SUMMARY_WORDS = 50  # a summary made from the body, when there is no excerpt

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").enable("strikethrough")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def sanitize(markup: str) -> str:
    """HTML reduced to the allowlist."""
    return nh3.clean(
        markup,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(body: str, body_format: str) -> str:
    """The safe HTML of `body`, written in `body_format` ("markdown" or "html")."""
    if not body:
        return ""
    markup = _markdown.render(body) if body_format == "markdown" else body
    return sanitize(markup)


# Tags that break the text (a paragraph, a list item, a cell, a line break): a space stands where
# they were. Inline tags (strong, a, code, ...) are part of a word's run and leave none, so
# "<strong>80 °C</strong>: boiling" reads "80 °C: boiling".
_BREAKING_TAG = re.compile(
    r"<(?=/?(?:address|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|h[1-6]|hr|img|li|ol|p|pre"
    r"|table|tbody|td|tfoot|th|thead|tr|ul)\b)",
    re.IGNORECASE,
)


def plain_text(markup: str) -> str:
    """The text of some HTML, without tags, entities decoded, whitespace collapsed; block tags
    and line breaks become a space, inline tags nothing."""
    text = nh3.clean(_BREAKING_TAG.sub(" <", markup), tags=set())
    return _SPACE.sub(" ", html.unescape(text)).strip()


def reading_time(text: str) -> int:
    """Minutes to read `text` (plain) at WORDS_PER_MINUTE, at least one."""
    return max(1, math.ceil(len(_WORD.findall(text)) / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Derived:
    """What readers are shown of a body besides its HTML, computed once when it is written."""

    text: str  # the plain text (search, meta descriptions)
    summary: str  # the excerpt, else the first SUMMARY_WORDS words of the text
    reading_time: int | None  # minutes; None without a body


def derive(body_html: str, excerpt: str = "") -> Derived:
    """The plain text, summary and reading time of a rendered body and its excerpt."""
    text = plain_text(body_html) if body_html else ""
    summary = excerpt or Truncator(text).words(SUMMARY_WORDS)
    return Derived(text=text, summary=summary, reading_time=reading_time(text) if text else None)
