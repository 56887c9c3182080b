"""Tables of the site module (tenant schema): the site's settings (one row) and its social links.

Text a reader sees (tagline, footer text, meta description) is translated (translation.py).
Only apps.site.services writes these tables.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACCENT_PATTERN = r"^#[0-9a-fA-F]{6}$"
DEFAULT_ACCENT = "#0b5cad"
accent_validator = RegexValidator(ACCENT_PATTERN, _("Give a colour as #rrggbb, for example #0b5cad."))
# Items a list page of the storefront shows (the blog's posts, ...): bounds of the setting.
ITEMS_PER_PAGE_DEFAULT, ITEMS_PER_PAGE_MIN, ITEMS_PER_PAGE_MAX = 20, 1, 100


def logo_path(settings: SiteSettings, filename: str) -> str:
    """Uploads get a fresh name (never the uploader's) under the tenant's media root."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"site/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class SiteSettings(models.Model):
    """The settings of the site whose schema this is: one row (id 1), made on first read."""

    ONLY = 1

    name = models.CharField(
        _("site name"), max_length=200, blank=True, help_text=_("Leave empty to use the tenant's name.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    # A small PNG made from the logo when it is stored: the favicon (never made per request).
    icon = models.ImageField(_("icon"), upload_to=logo_path, blank=True, editable=False)
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default=DEFAULT_ACCENT, validators=[accent_validator]
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    meta_description = models.CharField(
        _("default meta description"),
        max_length=320,
        blank=True,
        help_text=_("What search engines show for pages that have no description of their own."),
    )
    allow_indexing = models.BooleanField(
        _("allow search engines"),
        default=True,
        help_text=_("Off: robots.txt disallows everything and every page asks not to be indexed."),
    )
    items_per_page = models.PositiveSmallIntegerField(
        _("items per page"),
        default=ITEMS_PER_PAGE_DEFAULT,
        validators=[MinValueValidator(ITEMS_PER_PAGE_MIN), MaxValueValidator(ITEMS_PER_PAGE_MAX)],
        help_text=_("How many items a list page shows, such as the posts of the blog's pages."),
    )
    home_page = models.PositiveIntegerField(
        _("home page"), null=True, blank=True, help_text=_("The page shown at the site's address.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(
                    items_per_page__gte=ITEMS_PER_PAGE_MIN, items_per_page__lte=ITEMS_PER_PAGE_MAX
                ),
                name="site_settings_items_per_page_bounds",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Site settings"))


class SocialLink(models.Model):
    """A link to the site's page on a social network, shown in the footer in `position` order."""

    class Network(models.TextChoices):
        MASTODON = "mastodon", "Mastodon"
        TELEGRAM = "telegram", "Telegram"
        VK = "vk", "VK"
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        YOUTUBE = "youtube", "YouTube"
        GITHUB = "github", "GitHub"
        LINKEDIN = "linkedin", "LinkedIn"
        OTHER = "other", _("Other")

    settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    url = models.URLField(_("address"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("social link")
        verbose_name_plural = _("social links")

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.url}"
