"""Sample posts of the demo site in English and Russian: published ones (with pictures made by
apps.content.demo.picture), one in review, one scheduled for tomorrow (idempotent). Seeded by
`rustok demo` after the content module's sample."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.blog.kinds import POST
from apps.content import services
from apps.content.demo import category, owner, picture, tag
from apps.content.models import Node

POSTS = [
    {
        "texts": {
            "en": {
                "title": "How to brew green tea",
                "excerpt": "Cooler water, shorter steeps.",
                "body": "## Water\n\nUse water at **75–80 °C**: boiling water makes green tea bitter.\n\n"
                "## Time\n\nSteep for two minutes, then taste. Good leaves give three or four infusions.",
            },
            "ru": {
                "title": "Как заваривать зелёный чай",
                "excerpt": "Вода прохладнее, настой короче.",
                "body": "## Вода\n\nВода **75–80 °C**: кипяток делает зелёный чай горьким.\n\n"
                "## Время\n\nНастаивайте две минуты и пробуйте. Хороший лист выдерживает три-четыре заварки.",
            },
        },
        "categories": ["guides", "tea"],
        "tags": ["green-tea", "brewing"],
        "state": "published",
        "author": Role.EDITOR,
        "picture": ((196, 224, 170), (58, 110, 64)),
    },
    {
        "texts": {
            "en": {
                "title": "Our spring harvest has arrived",
                "excerpt": "First flush teas from three gardens.",
                "body": "The first flush is here: light, floral and in short supply.",
            },
            "ru": {
                "title": "Весенний урожай уже у нас",
                "excerpt": "Чаи первого сбора из трёх садов.",
                "body": "Первый сбор приехал: лёгкий, цветочный и его немного.",
            },
        },
        "categories": ["news"],
        "tags": ["announcements"],
        "state": "published",
        "author": Role.OWNER,
        "picture": ((250, 214, 165), (150, 96, 60)),
    },
    {
        "texts": {
            "en": {"title": "Oolong, explained", "body": "Between green and black: a draft in review."}
        },
        "categories": ["guides"],
        "tags": [],
        "state": "in_review",
        "author": Role.EDITOR,
    },
    {
        "texts": {
            "en": {
                "title": "Winter tasting evening",
                "body": "Join us for a tasting. Published automatically.",
            },
            "ru": {"title": "Зимний вечер дегустации", "body": "Приходите на дегустацию."},
        },
        "categories": ["news"],
        "tags": ["announcements"],
        "state": "scheduled",
        "author": Role.OWNER,
    },
]


def seed(tenant) -> None:
    publisher = owner()
    if publisher is None:
        return
    for post in POSTS:
        title = post["texts"]["en"]["title"]
        if Node.objects.filter(kind=POST, title_en=title).exists():
            continue
        author = User.objects.filter(role=post["author"], is_active=True).order_by("pk").first() or publisher
        node = services.create_node(
            actor=author,
            kind=POST,
            texts=post["texts"],
            categories=[c for c in map(category, post["categories"]) if c],
            tags=[t for t in map(tag, post["tags"]) if t],
        )
        if "picture" in post:
            upload = picture(f"{node.slug}.jpg", *post["picture"])
            node = services.set_featured_image(actor=author, node=node, upload=upload)
        if post["state"] == "published":
            services.transition_node(actor=publisher, node=node, name="publish")
        elif post["state"] == "in_review":
            services.transition_node(actor=author, node=node, name="submit")
        elif post["state"] == "scheduled":
            at = timezone.now() + dt.timedelta(days=1)
            services.schedule_node(actor=publisher, node=node, publish_at=at)
