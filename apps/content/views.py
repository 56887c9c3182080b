"""Storefront pages of the content module: published pages, and preview links for any node.

Readers see published nodes only, whoever they are, read from their documents
(apps.content.readings); editors read drafts in the admin or through a preview link, which reads
the node itself. Views only read.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language_info

from apps.content import kinds, markup, readings
from apps.content import preview as previews
from apps.content.models import Category, Node, Tag
from apps.content.readings import Link, Reading
from apps.content.selectors import draft_of, picture_of, with_drafts
from apps.site.frame import LanguageLink
from rustok.i18n import current_language, for_language, language_codes
from rustok.texts import column

PAGE = "page"
DESCRIPTION_CHARS = 200  # a meta description made from the body, when none is written

__all__ = ["Link", "node_url", "reading_context", "with_language"]


def with_language(path: str, language: str | None = None) -> str:
    """`path` for readers of `language` (default: the active one): `?lang=` unless it is the site's
    default language, so every language of a page has an address of its own."""
    return iri_to_uri(for_language(path, language))


def node_url(node: Node, language: str | None = None) -> str:
    """Where readers of `language` read `node` (its slug in that language, else the fallback's)."""
    language = language or current_language()
    slug = getattr(node, column("slug", language)) or node.slug
    return iri_to_uri(kinds.get(node.kind).url(slug, language))


def alternates(request: HttpRequest, node: Node) -> list[LanguageLink]:
    """The node's address in each language it has a title in (for hreflang links)."""
    return [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"],
            url=request.build_absolute_uri(node_url(node, code)),
            current=code == current_language(),
        )
        for code in language_codes()
        if getattr(node, column("title", code))
    ]


def safe_body(node: Node) -> SafeString:
    """The node's body as HTML to insert as is.

    body_html is rendered and reduced to an allowlist by rustok.markup whenever the body is
    written, so it is the one field of a node a template may show unescaped.
    """
    return mark_safe(node.body_html or "")  # noqa: S308


def node_context(request: HttpRequest, node: Node) -> dict:
    """What the page of one node shows, read from the node itself (previews): its text, SEO
    fields, author, taxonomy and languages.

    The frame around it (site name, menu, language switcher, footer) comes from the layout's
    context processor (apps.site), so this is the node's own content only.
    """
    return {
        "node": node,
        "body": safe_body(node),
        "page_title": node.seo_title or node.title,
        "description": node.seo_description
        or node.excerpt
        or Truncator(node.body_text or "").chars(DESCRIPTION_CHARS),
        "author_name": node.author.display_name if node.author else "",
        "reading_time": node.reading_time or 1,
        "canonical": request.build_absolute_uri(node_url(node)),
        "alternates": alternates(request, node),
        "og_type": "article",
        "og_image": request.build_absolute_uri(node.featured_image.url) if node.featured_image else "",
        # The renditions already made (those of a published image); a new image shows as it is.
        "picture": picture_of(node),
    }


def reading_context(request: HttpRequest, reading: Reading) -> dict:
    """What the page of a published node shows readers, from its document (see node_context)."""
    return {
        "node": reading,
        "body": reading.body,
        "page_title": reading.seo_title or reading.title,
        "description": reading.description,
        "author_name": reading.author_name,
        "reading_time": reading.reading_time,
        "canonical": request.build_absolute_uri(reading.url),
        "alternates": [
            {"code": alternate["code"], "url": request.build_absolute_uri(alternate["url"])}
            for alternate in reading.alternates
        ],
        "og_type": "article",
        "og_image": request.build_absolute_uri(reading.image) if reading.image else "",
        "picture": reading.picture,
    }


def node_template(node: Node):
    """The template of a node's kind: storefront/<module>/<kind>.html, else the page template."""
    kind = kinds.get(node.kind)
    return select_template([f"storefront/{kind.module}/{kind.slug}.html", "storefront/content/page.html"])


def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A published page, by its slug in the active language or a fallback one."""
    reading = readings.by_slug(PAGE, slug)
    if reading is None:
        raise Http404("No such page.")
    return render(request, "storefront/content/page.html", reading_context(request, reading))


def preview(request: HttpRequest, token: str) -> HttpResponse:
    """Any node of this site, draft or not, to whoever holds a genuine, unexpired preview link.

    The node shows as it will once published (a published node with its unpublished changes),
    under a "Preview" banner; search engines are asked not to index it and the link is never
    sent on as a referrer.
    """
    node_id = previews.node_id_from(token)
    node = None
    if node_id is not None:
        node = (
            with_drafts(Node.objects.filter(pk=node_id, kind__in=kinds.enabled_kinds(request.tenant)))
            .select_related("author")
            .first()
        )
    if node is None:
        raise Http404("This preview link is not valid.")
    categories, tags = node.categories.all(), node.tags.all()
    draft = draft_of(node)
    if draft is not None:
        node = draft.node
        markup.render_node(node)  # the derived fields of the changes, as publishing makes them
        categories = Category.objects.filter(pk__in=draft.categories)
        tags = Tag.objects.filter(pk__in=draft.tags)
    context = {
        **node_context(request, node),
        "preview": True,
        "canonical": None,
        "alternates": [],
        "categories": [Link(category.name, "") for category in categories.order_by("position", "id")],
        "tags": [Link(tag.name, "") for tag in tags.order_by("id")],
    }
    response = HttpResponse(node_template(node).render(context, request))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response
