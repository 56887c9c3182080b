"""Users and API tokens, created in whatever schema is active (wrap in schema_context)."""

import factory

from apps.accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    """A customer with the password PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Faker("name")
    role = Role.CUSTOMER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


PASSWORD = "correct-horse-battery"


class OwnerFactory(UserFactory):
    role = Role.OWNER


class EditorFactory(UserFactory):
    role = Role.EDITOR


class SiteAdminFactory(UserFactory):
    role = Role.ADMIN


class OperatorFactory(UserFactory):
    """A platform operator (public schema)."""

    role = Role.OWNER
    is_superuser = True


def api_token_row(user, scopes: list[str], *, name: str = "legacy", expires_at=None) -> str:
    """An API token row written straight to the table, as an older release wrote it: with any
    scopes (even those today's rules refuse to grant, such as managing tokens) and any expiry
    (even one already past). Returns its secret."""
    import hashlib
    import secrets

    from apps.accounts.models import ApiToken

    prefix = secrets.token_hex(4)
    secret = f"rtk_{prefix}_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(
        name=name,
        user=user,
        prefix=prefix,
        key_hash=hashlib.sha256(secret.encode()).hexdigest(),
        scopes=sorted(scopes),
        created_by=user,
        expires_at=expires_at,
    )
    return secret


def legacy_api_token(user, scopes: list[str]) -> str:
    """An API token row with scopes today's rules refuse to grant (such as managing tokens);
    returns its secret. For tests of what the access layer refuses whatever a token's scopes say."""
    return api_token_row(user, scopes)
