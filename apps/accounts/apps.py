from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users: platform operators in the public schema, each tenant's own users in its schema."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from apps.accounts import openapi, services, signals  # noqa: F401  (security schemes, audit receivers)
        from apps.core.services import first_owner

        first_owner.provide(services.create_first_owner)  # the owner of a site the platform creates
