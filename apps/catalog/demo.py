# ruff: noqa: E501  (the tables of sample products read best one product to a line)
"""The demo site's shop: teas and teaware in English and Russian, priced in US dollars and euros,
with pictures drawn here (never downloaded), in categories and a collection (idempotent).

Written through the services, as the site's owner, so the demo has events and product documents
like any real shop. Seeded by `rustok demo`; the inventory module stocks it.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import Role, User
from apps.catalog import services
from apps.catalog.models import Attribute, Collection, Product, ProductCategory, ProductType

EUR_CENTS_PER_DOLLAR = 92  # the demo's euro prices
ATTRIBUTES = [
    # slug, type, (name en, name ru), options; choices as (slug, en, ru[, colour])
    ("pack", "choice", ("Pack", "Упаковка"), {"choices": [("50g", "50 g", "50 г"), ("100g", "100 g", "100 г"), ("250g", "250 g", "250 г")]}),
    ("caffeine", "choice", ("Caffeine", "Кофеин"), {"filterable": True, "choices": [("low", "Low", "Низкий"), ("medium", "Medium", "Средний"), ("high", "High", "Высокий")]}),
    ("origin", "text", ("Origin", "Происхождение"), {}),
    ("organic", "boolean", ("Organic", "Органический"), {"filterable": True}),
    ("colour", "swatch", ("Colour", "Цвет"), {"filterable": True, "choices": [("white", "White", "Белый", "#f4f1ea"), ("celadon", "Celadon", "Селадон", "#9fc5a8"), ("black", "Black", "Чёрный", "#222222"), ("natural", "Natural", "Натуральный", "#c4aa78")]}),
    ("capacity", "number", ("Capacity", "Объём"), {"unit": "ml"}),
    ("material", "text", ("Material", "Материал"), {}),
]  # fmt: skip
PACKS = [("50g", 100), ("100g", 190), ("250g", 450)]  # pack, price as a percentage of the 50 g one
CATEGORIES = [
    ("tea", ("Tea", "Чай"), None),
    ("green-tea", ("Green tea", "Зелёный чай"), "tea"),
    ("black-tea", ("Black tea", "Чёрный чай"), "tea"),
    ("oolong", ("Oolong", "Улун"), "tea"),
    ("teaware", ("Teaware", "Посуда"), None),
]
# name en, name ru, category, caffeine, organic, origin (en, ru), price of 50 g in cents
TEAS = [
    ("Sencha", "Сенча", "green-tea", "medium", True, ("Shizuoka, Japan", "Сидзуока, Япония"), 900),
    ("Gyokuro", "Гёкуро", "green-tea", "high", False, ("Uji, Japan", "Удзи, Япония"), 2400),
    ("Dragon Well", "Колодец дракона", "green-tea", "medium", True, ("Hangzhou, China", "Ханчжоу, Китай"), 1600),
    ("Bi Luo Chun", "Би Ло Чунь", "green-tea", "medium", False, ("Jiangsu, China", "Цзянсу, Китай"), 1500),
    ("Genmaicha", "Генмайча", "green-tea", "low", True, ("Kyoto, Japan", "Киото, Япония"), 700),
    ("Matcha", "Маття", "green-tea", "high", True, ("Nishio, Japan", "Нисио, Япония"), 2800),
    ("Assam", "Ассам", "black-tea", "high", False, ("Assam, India", "Ассам, Индия"), 800),
    ("Darjeeling", "Дарджилинг", "black-tea", "medium", True, ("Darjeeling, India", "Дарджилинг, Индия"), 1400),
    ("Ceylon", "Цейлон", "black-tea", "high", False, ("Nuwara Eliya, Sri Lanka", "Нувара-Элия, Шри-Ланка"), 750),
    ("Keemun", "Цимэнь", "black-tea", "medium", False, ("Anhui, China", "Аньхой, Китай"), 1100),
    ("Lapsang Souchong", "Лапсанг Сушонг", "black-tea", "medium", False, ("Fujian, China", "Фуцзянь, Китай"), 1000),
    ("Dian Hong", "Дянь Хун", "black-tea", "medium", True, ("Yunnan, China", "Юньнань, Китай"), 1200),
    ("Krasnodar black", "Краснодарский чёрный", "black-tea", "medium", True, ("Krasnodar, Russia", "Краснодар, Россия"), 650),
    ("Tie Guan Yin", "Те Гуань Инь", "oolong", "medium", False, ("Anxi, China", "Аньси, Китай"), 1700),
    ("Da Hong Pao", "Да Хун Пао", "oolong", "high", False, ("Wuyi, China", "Уишань, Китай"), 2600),
    ("Milk oolong", "Молочный улун", "oolong", "low", False, ("Taiwan", "Тайвань"), 1300),
    ("Oriental Beauty", "Восточная красавица", "oolong", "low", True, ("Hsinchu, Taiwan", "Синьчжу, Тайвань"), 2200),
    ("Dong Ding", "Дун Дин", "oolong", "medium", False, ("Nantou, Taiwan", "Наньтоу, Тайвань"), 1800),
]  # fmt: skip
# name en, name ru, colours (a variant each), capacity in ml, material (en, ru), price in cents
TEAWARE = [
    ("Kyusu teapot", "Чайник кюсу", ("white", "celadon", "black"), 350, ("Tokoname clay", "Глина токонамэ"), 6500),
    ("Gaiwan", "Гайвань", ("white", "celadon"), 150, ("Porcelain", "Фарфор"), 2400),
    ("Tea bowl", "Пиала", ("white", "celadon", "black"), 120, ("Stoneware", "Керамика"), 1200),
    ("Glass teapot", "Стеклянный чайник", ("natural",), 600, ("Borosilicate glass", "Боросиликатное стекло"), 3200),
    ("Matcha whisk", "Венчик для маття", ("natural",), None, ("Bamboo", "Бамбук"), 1900),
    ("Travel tumbler", "Термокружка", ("white", "black"), 400, ("Steel", "Сталь"), 2800),
    ("Cast-iron kettle", "Чугунный чайник", ("black",), 800, ("Cast iron", "Чугун"), 9800),
    ("Tea strainer", "Ситечко", ("natural",), None, ("Steel", "Сталь"), 600),
    ("Tea caddy", "Чайница", ("black", "celadon"), 250, ("Tin", "Жесть"), 1500),
    ("Cup set", "Набор чашек", ("white", "celadon"), 90, ("Porcelain", "Фарфор"), 3600),
    ("Fairness pitcher", "Чахай", ("natural",), 250, ("Glass", "Стекло"), 1700),
    ("Tea towel", "Чайное полотенце", ("natural",), None, ("Linen", "Лён"), 900),
]  # fmt: skip
SWATCHES = {
    "white": (244, 241, 234),
    "celadon": (159, 197, 168),
    "black": (50, 50, 50),
    "natural": (196, 170, 120),
}
LEAVES = {"green-tea": (104, 142, 62), "black-tea": (112, 58, 36), "oolong": (160, 110, 48)}
COLLECTION = ("Staff picks", "Выбор команды")
PICKS = ["Gyokuro", "Darjeeling", "Oriental Beauty", "Kyusu teapot", "Gaiwan"]


def picture(name: str, colour: tuple[int, int, int], *, cup: bool) -> SimpleUploadedFile:
    """A product picture drawn with Pillow: a tin of tea or a cup in `colour`, on a light ground."""
    width, height = 600, 600
    image = Image.new("RGB", (width, height), (247, 244, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 480, 500, 533), fill=(226, 220, 208))  # the shadow
    if cup:
        draw.pieslice((133, 167, 467, 507), 0, 180, fill=colour)
        draw.rectangle((133, 320, 467, 337), fill=colour)
        draw.ellipse((427, 333, 520, 427), outline=colour, width=18)
    else:
        draw.rounded_rectangle((173, 147, 427, 507), radius=24, fill=colour)
        draw.rounded_rectangle((163, 127, 437, 173), radius=14, fill=tuple(max(0, c - 40) for c in colour))
        draw.rectangle((200, 280, 400, 373), fill=(250, 248, 240))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def owner() -> User | None:
    return User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()


def _texts(en: str, ru: str, field: str = "name") -> dict:
    return {"en": {field: en}, "ru": {field: ru}}


def _prices(cents: int) -> list[dict]:
    return [
        {"currency": "USD", "amount": cents},
        {"currency": "EUR", "amount": round(cents * EUR_CENTS_PER_DOLLAR / 100)},
    ]


def _attributes(actor) -> None:
    for slug, kind, (en, ru), extra in ATTRIBUTES:
        if Attribute.objects.filter(slug=slug).exists():
            continue
        choices = [
            {
                "slug": c[0],
                "texts": _texts(c[1], c[2]),
                **({"color": c[3]} if len(c) > 3 else {}),
            }
            for c in extra.get("choices", ())
        ]
        services.create_attribute(
            actor=actor,
            slug=slug,
            input_type=kind,
            texts=_texts(en, ru),
            unit=extra.get("unit", ""),
            filterable=extra.get("filterable", False),
            choices=choices,
        )


def _types(actor) -> tuple[ProductType, ProductType]:
    by_slug = {a.slug: a for a in Attribute.objects.all()}
    tea = ProductType.objects.filter(slug="tea").first() or services.create_product_type(
        actor=actor,
        slug="tea",
        texts=_texts("Tea", "Чай"),
        attributes=[
            (by_slug["pack"], "variant"),
            (by_slug["caffeine"], "product"),
            (by_slug["origin"], "product"),
            (by_slug["organic"], "product"),
        ],
    )
    teaware = ProductType.objects.filter(slug="teaware").first() or services.create_product_type(
        actor=actor,
        slug="teaware",
        texts=_texts("Teaware", "Посуда"),
        attributes=[
            (by_slug["colour"], "variant"),
            (by_slug["capacity"], "product"),
            (by_slug["material"], "product"),
        ],
    )
    return tea, teaware


def _categories(actor) -> dict[str, ProductCategory]:
    found = {}
    for slug, (en, ru), parent in CATEGORIES:
        found[slug] = ProductCategory.objects.filter(slug_en=slug).first() or services.create_category(
            actor=actor,
            texts={"en": {"name": en, "slug": slug}, "ru": {"name": ru}},
            parent=found.get(parent),
        )
    return found


def _product(actor, product_type, en, ru, category, attributes, description, picture_file) -> Product:
    product = services.create_product(
        actor=actor,
        product_type=product_type,
        texts={
            "en": {"name": en, "description": description[0]},
            "ru": {"name": ru, "description": description[1]},
        },
        categories=[category.pk],
        attributes=attributes,
    )
    services.add_product_image(actor=actor, product=product, upload=picture_file, texts=_texts(en, ru, "alt"))
    return product


def seed(tenant) -> None:
    actor = owner()
    if actor is None or Product.objects.exists():
        return
    services.update_shop_settings(actor=actor, default_currency="USD", currencies=["EUR"])
    _attributes(actor)
    tea, teaware = _types(actor)
    categories = _categories(actor)
    made: dict[str, Product] = {}
    for en, ru, category, caffeine, organic, origin, cents in TEAS:
        product = _product(
            actor,
            tea,
            en,
            ru,
            categories[category],
            {"caffeine": caffeine, "organic": organic, "origin": {"en": origin[0], "ru": origin[1]}},
            (
                f"**{en}** from {origin[0]}: loose leaves, packed the week they arrive.",
                f"**{ru}**, {origin[1]}: листовой чай, упакованный в неделю поступления.",
            ),
            picture(f"{en}.jpg", LEAVES[category], cup=False),
        )
        for position, (pack, percent) in enumerate(PACKS):
            services.create_variant(
                actor=actor,
                product=product,
                sku=f"TEA-{product.pk:03d}-{pack.upper()}",
                attributes={"pack": pack},
                prices=_prices(round(cents * percent / 100)),
                weight_grams=int(pack.removesuffix("g")),
                position=position,
            )
        made[en] = services.transition_product(actor=actor, product=product, name="activate")
    for en, ru, colours, capacity, material, cents in TEAWARE:
        attributes = {"material": {"en": material[0], "ru": material[1]}}
        if capacity:
            attributes["capacity"] = capacity
        product = _product(
            actor,
            teaware,
            en,
            ru,
            categories["teaware"],
            attributes,
            (f"{en} of {material[0].lower()}.", f"{ru}: {material[1].lower()}."),
            picture(f"{en}.jpg", SWATCHES[colours[0]], cup=True),
        )
        for position, colour in enumerate(colours):
            services.create_variant(
                actor=actor,
                product=product,
                sku=f"WARE-{product.pk:03d}-{colour.upper()}",
                attributes={"colour": colour},
                prices=_prices(cents),
                position=position,
            )
        made[en] = services.transition_product(actor=actor, product=product, name="activate")
    if not Collection.objects.exists():
        services.create_collection(
            actor=actor, texts=_texts(*COLLECTION), products=[made[name].pk for name in PICKS]
        )
