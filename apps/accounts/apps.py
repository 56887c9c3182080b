from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users: platform operators in the public schema, each tenant's own users in its schema."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from apps.accounts import openapi, signals  # noqa: F401  (security schemes, audit receivers)
