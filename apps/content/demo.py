"""Sample pages (the home page, and pages of the menu with a sub-menu), categories and tags of the
demo site, in English and Russian (idempotent).

Written through the services, as the site's owner, so the demo has revisions, events and search
documents like any real site. Seeded by `rustok demo`.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import Role, User
from apps.content import services
from apps.content.models import Category, Node, Tag

CATEGORIES = [
    ({"en": {"name": "News"}, "ru": {"name": "Новости"}}, None),
    ({"en": {"name": "Guides"}, "ru": {"name": "Руководства"}}, None),
    ({"en": {"name": "Tea"}, "ru": {"name": "Чай"}}, "guides"),
]
TAGS = [
    {"en": {"name": "green tea"}, "ru": {"name": "зелёный чай"}},
    {"en": {"name": "brewing"}, "ru": {"name": "заваривание"}},
    {"en": {"name": "announcements"}, "ru": {"name": "объявления"}},
]
# (texts, parent's slug, shown in the menu)
PAGES = [
    (
        {
            "en": {
                "title": "Welcome",
                "excerpt": "Tea from family gardens, brewed well.",
                "body": "Welcome to the **RusToK demo tea house**.\n\n"
                "Learn [who we are](/pages/about-us/), read the [blog](/blog/) or search for a tea above.",
            },
            "ru": {
                "title": "Добро пожаловать",
                "excerpt": "Чай из семейных садов, заваренный как следует.",
                "body": "Добро пожаловать в **демо-чайный дом RusToK**.\n\n"
                "Узнайте, [кто мы](/pages/about-us/?lang=ru), читайте [блог](/blog/?lang=ru) "
                "или найдите чай поиском.",
            },
        },
        None,
        False,
    ),
    (
        {
            "en": {
                "title": "About us",
                "excerpt": "Who we are and what we do.",
                "body": "We are a small **tea house** that ships leaves from family gardens.\n\n"
                "Read our [guides](/blog/) to brew better tea.",
                "seo_title": "About the RusToK demo tea house",
            },
            "ru": {
                "title": "О нас",
                "excerpt": "Кто мы и чем занимаемся.",
                "body": "Мы — небольшой **чайный дом**, который привозит чай из семейных садов.",
            },
        },
        None,
        True,
    ),
    (
        {
            "en": {"title": "Our team", "body": "Three people, one kettle, and a lot of tasting."},
            "ru": {"title": "Наша команда", "body": "Три человека, один чайник и много дегустаций."},
        },
        "about-us",
        True,
    ),
    (
        {
            "en": {"title": "Contact", "body": "Write to **hello@demo.localhost**; we answer within a day."},
            "ru": {
                "title": "Контакты",
                "body": "Пишите на **hello@demo.localhost** — ответим в течение дня.",
            },
        },
        None,
        True,
    ),
]


def picture(name: str, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> SimpleUploadedFile:
    """A 1200x675 JPEG made here (the demo downloads nothing): a gradient from `top` to `bottom`
    with a low sun and hills, enough to show the storefront's pictures and their renditions."""
    width, height = 1200, 675
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    draw.ellipse((820, 140, 980, 300), fill=(250, 236, 190))
    for offset, shade in ((420, 0.55), (500, 0.35)):
        hill = tuple(round(channel * shade) for channel in bottom)
        draw.polygon(
            [
                (0, height),
                (0, offset),
                (400, offset - 90),
                (800, offset + 10),
                (width, offset - 60),
                (width, height),
            ],
            fill=hill,
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def owner() -> User | None:
    return User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()


def category(slug: str) -> Category | None:
    return Category.objects.filter(slug_en=slug).first()


def tag(slug: str) -> Tag | None:
    return Tag.objects.filter(slug_en=slug).first()


def seed(tenant) -> None:
    actor = owner()
    if actor is None:
        return
    for texts, parent in CATEGORIES:
        if not Category.objects.filter(name_en=texts["en"]["name"]).exists():
            services.create_category(actor=actor, texts=texts, parent=category(parent) if parent else None)
    for texts in TAGS:
        if not Tag.objects.filter(name_en=texts["en"]["name"]).exists():
            services.create_tag(actor=actor, texts=texts)
    for position, (texts, parent, in_menu) in enumerate(PAGES):
        existing = Node.objects.filter(kind="page", title_en=texts["en"]["title"]).first()
        if existing is not None:
            if existing.show_in_menus != in_menu:  # a demo seeded before pages had menus
                existing = services.update_node(actor=actor, node=existing, show_in_menus=in_menu)
                if existing.has_unpublished_changes:  # a live page's change waits to be published
                    services.transition_node(actor=actor, node=existing, name="publish")
            continue
        parent_node = Node.objects.filter(kind="page", slug_en=parent).first() if parent else None
        node = services.create_node(
            actor=actor,
            kind="page",
            texts=texts,
            parent=parent_node,
            position=position,
            show_in_menus=in_menu,
        )
        services.transition_node(actor=actor, node=node, name="publish")
