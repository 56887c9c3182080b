"""A throw-away database for benchmarks, on the server of DATABASE_URL (or the local default),
and the site the benchmarks measure: one tenant with published pages and posts."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse

import psycopg
from psycopg import sql

OWNER_EMAIL = "owner@bench.test"
OWNER_PASSWORD = "bench-passphrase"
BODY = "## A heading\n\n" + "Some **bold** words and a [link](https://example.test). " * 40


@contextmanager
def scratch_database(name: str, *, keep: bool = False):
    """Create database `name`, point DATABASE_URL at it for the block, drop it afterwards."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rustok")
    url = urlparse(base)._replace(path=f"/{name}").geturl()
    _drop(url)
    _admin(url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            _drop(url)


def _admin(url: str, statement: sql.Composed) -> None:
    admin = urlparse(url)._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def _drop(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    _admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class Site:
    """The seeded site: its tenant, its owner (an `owner` role) and the slug of one of its posts."""

    tenant: object
    owner: object
    post_slug: str


def seed_content(owner, count: int) -> None:
    """`count` published pages and as many posts in two languages, each with 3 categories and
    3 tags and a body of about 2,400 characters, written through the services."""
    from apps.content import services

    categories = [
        services.create_category(actor=owner, texts={"en": {"name": f"Category {n}"}}) for n in range(3)
    ]
    tags = [services.create_tag(actor=owner, texts={"en": {"name": f"tag {n}"}}) for n in range(3)]
    for kind in ("page", "post"):
        for n in range(count):
            texts = {
                "en": {"title": f"{kind} {n}", "body": BODY},
                "ru": {"title": f"{kind} {n} ru", "body": BODY},
            }
            node = services.create_node(actor=owner, kind=kind, texts=texts, categories=categories, tags=tags)
            services.transition_node(actor=owner, node=node, name="publish")


def seed_site(*, slug: str, domain: str, nodes: int, settings: dict | None = None) -> Site:
    """Migrate the (empty) database, create the tenant `slug` at `domain` with its owner, seed
    `nodes` pages and posts, apply the site `settings` and deliver every event the writes queued
    (so projections and read models are built before anything is measured)."""
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from apps.accounts.models import User
    from apps.core import services
    from apps.events.services import relay_all
    from apps.site import services as site

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    services.ensure_public_tenant()
    services.ensure_template_schema()
    tenant = services.create_tenant(
        slug=slug, name=slug.title(), domain=domain, admin_email=OWNER_EMAIL, admin_password=OWNER_PASSWORD
    )
    with schema_context(tenant.schema_name):
        owner = User.objects.get(email=OWNER_EMAIL)
        seed_content(owner, nodes)
        if settings:
            site.update_settings(actor=owner, values=settings)
        relay_all()
        from apps.content.models import Node

        post = Node.objects.filter(kind="post").order_by("-id").first()
        return Site(tenant=tenant, owner=owner, post_slug=post.slug_en if post else "")


def seed_catalog(count: int, batch: int = 5_000) -> None:
    """`count` active products in the active schema, written with bulk inserts (the services would
    take far longer to seed this many): each with two variants (sizes M and L) priced in USD and
    EUR, a filterable colour, a category of a two-level tree and a description in English;
    names and slugs in English and Russian. Their documents are not made: rebuild or deliver."""
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.catalog import services
    from apps.catalog.models import (
        AttributeValue,
        Price,
        Product,
        Variant,
    )

    owner = User.objects.get(role="owner")
    services.update_shop_settings(actor=owner, currencies=["EUR"])
    size = services.create_attribute(
        actor=owner, slug="size", input_type="choice", choices=[{"slug": s} for s in ("s", "m", "l")]
    )
    colour = services.create_attribute(
        actor=owner,
        slug="colour",
        input_type="swatch",
        filterable=True,
        choices=[
            {"slug": c, "color": h}
            for c, h in (("red", "#ff0000"), ("blue", "#0000ff"), ("green", "#00ff00"))
        ],
    )
    shirts = services.create_product_type(
        actor=owner, slug="shirt", attributes=[(size, "variant"), (colour, "product")]
    )
    top = services.create_category(actor=owner, texts={"en": {"name": "Clothes"}, "ru": {"name": "Одежда"}})
    leaves = [
        services.create_category(
            actor=owner, texts={"en": {"name": f"Line {n}"}, "ru": {"name": f"Линия {n}"}}, parent=top
        )
        for n in range(10)
    ]
    sizes = {c.slug: c for c in size.choices.all()}
    colours = list(colour.choices.all())
    now = timezone.now()
    description = "A shirt of **cotton**, cut for summer. " * 8
    html = "<p>" + "A shirt of <strong>cotton</strong>, cut for summer. " * 8 + "</p>"
    text = description.replace("**", "")
    through = Product.categories.through
    choices = AttributeValue.choices.through
    for start in range(0, count, batch):
        numbers = range(start, min(count, start + batch))
        products = Product.objects.bulk_create(
            Product(
                product_type=shirts,
                name_en=f"Shirt {n}",
                name_ru=f"Рубашка {n}",
                slug_en=f"shirt-{n}",
                slug_ru=f"рубашка-{n}",
                description_en=description,
                description_html_en=html,
                description_text_en=text,
                status="active",
                activated_at=now,
            )
            for n in numbers
        )
        through.objects.bulk_create(through(product=p, productcategory=leaves[p.pk % 10]) for p in products)
        values = AttributeValue.objects.bulk_create(
            AttributeValue(attribute=colour, product=p) for p in products
        )
        choices.objects.bulk_create(
            choices(attributevalue=v, attributechoice=colours[i % 3]) for i, v in enumerate(values)
        )
        variants = Variant.objects.bulk_create(
            Variant(product=p, sku=f"SKU-{p.pk}-{s}", options_key=f"size:{s}", position=i)
            for p in products
            for i, s in enumerate(("m", "l"))
        )
        Price.objects.bulk_create(
            Price(variant=v, currency=c, amount=1000 + v.pk % 5000, compare_at_amount=None)
            for v in variants
            for c in ("USD", "EUR")
        )
        options = AttributeValue.objects.bulk_create(
            AttributeValue(attribute=size, variant=v) for v in variants
        )
        choices.objects.bulk_create(
            choices(attributevalue=o, attributechoice=sizes[v.sku.rsplit("-", 1)[1]])
            for o, v in zip(options, variants, strict=True)
        )
        print(f"  seeded {min(count, start + batch):,} products", flush=True)
