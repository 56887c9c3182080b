"""Nothing a page loads comes from another host: every page with a template, in every interface.

The demo site is crawled as readers, editors, admins and the platform's operator see it:
storefront pages (from the home page, following the site's own links, in each language), the
admin (from its index, following its links), the API docs, GraphiQL, and the error pages. Each
page's scripts, styles, images, fonts and frames, and what the style sheets they load fetch in
turn, must be the site's own. Every template of the project must have been rendered by the
crawl, so a new page cannot escape the check.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.test.signals import template_rendered
from django_tenants.utils import schema_context

from tests.conftest import ALPHA_HOST
from tests.pages import css_addresses, loaded_addresses, outside, start_tags

ROOT = Path(settings.BASE_DIR)
DEMO = "demo.localhost"
PLATFORM = "localhost"
HTML = "text/html,application/xhtml+xml"
MAX_PAGES = 300  # per visit: each start (storefront, admin, platform) gets its own budget
# Admin pages of objects of one kind are one template with other rows: a few of each kind suffice
# (the demo shop alone has hundreds: products, variants, stock rows, movements).
SAME_SHAPE = 3
NUMBERS = re.compile(r"/\d+/")
# Addresses a crawl must not follow: they change state or sign out.
SKIP = ("/logout/", "/delete/", "/password_change/", "/password/", "/history/")


def links_of(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in start_tags(html) if tag == "a" and attrs.get("href")]


def project_templates() -> set[str]:
    """Every template the project ships (not those of libraries)."""
    names = set()
    for folder in [ROOT / "templates", *ROOT.glob("apps/*/templates")]:
        names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
    return names


class Crawl:
    def __init__(self) -> None:
        self.rendered: set[str] = set()
        self.pages: list[str] = []
        self.outside: list[tuple[str, str]] = []
        self.failures: list[tuple[str, int]] = []

    def record(self, sender, template, context, **kwargs):
        if template.name:
            self.rendered.add(template.name)

    def check(self, where: str, html: str, host: str) -> None:
        addresses = loaded_addresses(html)
        for address in outside(addresses, host):
            self.outside.append((where, address))
        for address in addresses:
            path = urlsplit(address).path
            if path.startswith(settings.STATIC_URL) and path.endswith(".css"):
                found = finders.find(path.removeprefix(settings.STATIC_URL))
                if found:
                    css = Path(found).read_text(errors="replace")
                    for fetched in outside(css_addresses(css)):
                        self.outside.append((f"{where} -> {path}", fetched))

    def visit(self, client: Client, host: str, starts: list[str], within: str, *, expect=(200,), **headers):
        """Follow the links of `host` under `within` from `starts`, checking each HTML page."""
        queue = deque(starts)
        seen = set(starts)
        shapes: dict[str, int] = {}
        budget = len(self.pages) + MAX_PAGES
        while queue and len(self.pages) < budget:
            path = queue.popleft()
            response = client.get(path, **headers)
            if response.status_code in (301, 302) and path not in starts:
                continue  # a link to a page this visitor is sent elsewhere from (to sign in)
            if response.status_code not in (expect if path in starts else (200,)):
                where = response.get("Location", "")
                self.failures.append((f"{host}{path}{' -> ' + where if where else ''}", response.status_code))
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            self.pages.append(f"{host}{path}")
            html = response.content.decode()
            self.check(f"{host}{path}", html, host)
            for link in links_of(html):
                if link.startswith("#"):
                    continue  # a place on this page (the skip link), not another page
                address = urlsplit(urljoin(f"http://{host}{path}", link))
                if address.netloc not in ("", host) or not address.path.startswith(within):
                    continue
                if any(skip in address.path for skip in SKIP):
                    continue
                if expect != (200,) and address.path in {urlsplit(start).path for start in starts}:
                    continue  # an error page's own address in another language: the same error
                # Admin filters and sorting are the same templates with other rows.
                target = (
                    address.path
                    if within == "/admin/"
                    else address.path
                    + (f"?{address.query}" if address.query and "lang=" in address.query else "")
                )
                if target in seen:
                    continue
                seen.add(target)
                if within == "/admin/":
                    shape = NUMBERS.sub("/<id>/", target)
                    shapes[shape] = shapes.get(shape, 0) + 1
                    if shapes[shape] > SAME_SHAPE:
                        continue
                queue.append(target)


@pytest.fixture
def crawl():
    found = Crawl()
    template_rendered.connect(found.record)
    try:
        yield found
    finally:
        template_rendered.disconnect(found.record)


def compare_address(crawl: Crawl) -> str:
    """The admin's comparison of a demo node's first two revisions (a form's answer, no link)."""
    from apps.content.models import Revision

    with schema_context("demo"):
        node_id = Revision.objects.filter(number=2).values_list("node_id", flat=True).first()
    revisions = next(page for page in crawl.pages if page.endswith(f"/{node_id}/revisions/"))
    return f"{revisions.removeprefix(DEMO)}compare/?a=1&b=2"


def signed_in(host: str, schema: str, email: str) -> Client:
    from apps.accounts.models import User

    client = Client(HTTP_HOST=host)
    with schema_context(schema):
        client.force_login(User.objects.get(email__iexact=email))
    return client


def bulk_form(crawl: Crawl, client: Client) -> None:
    """The product list's asking action (its form is the answer to a POST, no link leads to it)."""
    from apps.catalog.models import Product

    with schema_context("demo"):
        product = Product.objects.order_by("pk").values_list("pk", flat=True).first()
    response = client.post(
        "/admin/catalog/product/", {"action": "change_prices", "_selected_action": [product]}
    )
    assert response.status_code == 200, response.status_code
    crawl.check("/admin/catalog/product/ (change prices)", response.content.decode(), DEMO)


def shop_pages(crawl: Crawl, reader: Client) -> None:
    """The shop's pages no anonymous link leads to: a customer's account (its overview, profile,
    orders and address book), the reset page a mail links to, a guest's checkout with a line in
    the cart, and an order's page by its signed link; and the cards of its lists, rendered when
    the product documents are written."""
    from apps.accounts.models import User
    from apps.accounts.services.users import reset_link
    from apps.catalog.models import Status, Variant
    from apps.index import projections
    from apps.orders.links import guest_key
    from apps.orders.models import Order

    customer = signed_in(DEMO, "demo", f"customer@{DEMO}")
    crawl.visit(customer, DEMO, ["/account/"], "/account/", HTTP_ACCEPT=HTML)
    with schema_context("demo"):
        reset = reset_link(User.objects.get(email__iexact=f"customer@{DEMO}"), f"http://{DEMO}")
        variant = Variant.objects.filter(product__status=Status.ACTIVE).order_by("pk").first()
        order = Order.objects.order_by("pk").first()
        key = guest_key(order)
    crawl.visit(reader, DEMO, [reset.removeprefix(f"http://{DEMO}")], "/account/reset/")
    shopper = Client(HTTP_HOST=DEMO, HTTP_ACCEPT=HTML)
    assert shopper.post("/cart/add/", {"variant": variant.pk, "quantity": 1}).status_code == 302
    crawl.visit(shopper, DEMO, ["/checkout/"], "/checkout/")
    crawl.visit(reader, DEMO, [f"/orders/view/?key={key}"], "/orders/view/")
    # A card is rendered when its product's documents are written (the projection keeps its
    # markup): written again, as the relay does after an edit, then shown on the shop's page.
    with schema_context("demo"):
        projections.apply(projections.get("catalog.products"), [variant.product_id])
    crawl.visit(reader, DEMO, ["/shop/"], "/shop/")


def error_pages(crawl: Crawl) -> None:
    """The pages shown in states a crawl does not reach (a suspended site, a lockout, too many
    requests, the database down), rendered as their views render them."""
    from django.shortcuts import render
    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_HOST=DEMO)
    for name in sorted(project_templates()):
        shown_on_errors = name.startswith("errors/") or name == "storefront/500.html"
        if shown_on_errors and name not in crawl.rendered and name != "errors/base.html":
            context = {"title": "Title", "detail": "Detail", "retry_after": 30}
            crawl.check(name, render(request, name, context).content.decode(), DEMO)


@override_settings(GRAPHIQL=True)
def test_no_page_loads_anything_from_another_host(demo_site, django_db_blocker, crawl, settings):
    rates = {name: "100000/min" for name in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    with django_db_blocker.unblock():
        reader = Client(HTTP_HOST=DEMO, HTTP_ACCEPT=HTML)
        crawl.visit(reader, DEMO, ["/", "/blog/", "/search/?q=tea", "/sitemap.xml"], "/")
        crawl.visit(reader, DEMO, ["/no-such-page/"], "/", expect=(404,))
        # A site with no home page chosen shows the default home.
        crawl.visit(Client(HTTP_HOST=ALPHA_HOST, HTTP_ACCEPT=HTML), ALPHA_HOST, ["/"], "/")
        crawl.visit(reader, DEMO, ["/api/docs/", "/api/redoc/"], "/api/docs/")
        crawl.visit(reader, DEMO, ["/api/graphql/"], "/api/graphql/")
        crawl.visit(Client(HTTP_HOST=DEMO), DEMO, ["/admin/login/"], "/admin/login/")
        owner = signed_in(DEMO, "demo", f"admin@{DEMO}")
        crawl.visit(owner, DEMO, ["/admin/"], "/admin/")
        crawl.visit(owner, DEMO, [compare_address(crawl)], "/admin/")
        bulk_form(crawl, owner)
        shop_pages(crawl, reader)
        editor = signed_in(DEMO, "demo", f"editor@{DEMO}")
        crawl.visit(editor, DEMO, ["/admin/"], "/admin/", expect=(200, 403))
        platform = Client(HTTP_HOST=PLATFORM, HTTP_ACCEPT=HTML)
        crawl.visit(platform, PLATFORM, ["/"], "/")
        crawl.visit(platform, PLATFORM, ["/no-such-page/"], "/", expect=(404,))
        operator = signed_in(PLATFORM, "public", f"admin@{PLATFORM}")
        crawl.visit(operator, PLATFORM, ["/admin/"], "/admin/")
        crawl.visit(
            Client(HTTP_HOST="nobody.example", HTTP_ACCEPT=HTML), "nobody.example", ["/"], "/", expect=(404,)
        )
        error_pages(crawl)

    assert crawl.outside == []
    assert crawl.failures == [], "\n".join(f"{status} {page}" for page, status in crawl.failures)
    missed = project_templates() - crawl.rendered
    assert missed == set(), f"templates no page rendered (make the crawl reach them): {sorted(missed)}"
