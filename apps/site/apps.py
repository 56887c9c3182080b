from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's own settings (name, tagline, logo, colours, home page) and the storefront frame."""

    name = "apps.site"
    label = "site"
    verbose_name = "Site"
