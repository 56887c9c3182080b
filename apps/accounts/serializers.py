"""Shapes of the accounts API: input is parsed here, rules live in the services."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from apps.accounts.models import ApiToken, AuditEntry, Role, TokenFamily, User
from apps.accounts.services.api_tokens import known_permissions
from rustok.api import serializers as strict


def permissions_of(user: User) -> list[str]:
    """The permissions `user` holds on the site in general (object rules may narrow them)."""
    return [name for name in sorted(known_permissions()) if user.has_perm(name)]


class UserSerializer(serializers.ModelSerializer):
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_blank=True,
        read_only=True,
        help_text='"" when the user has not chosen one (the site\'s language applies).',
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "preferred_language",
            "role",
            "is_active",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


class MeSerializer(UserSerializer):
    permissions = serializers.SerializerMethodField(help_text="Permission names the user holds.")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "permissions"]
        read_only_fields = fields

    def get_permissions(self, user) -> list[str]:
        return permissions_of(user)


class ProfileSerializer(strict.Serializer):
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    preferred_language = serializers.ChoiceField(required=False, allow_blank=True, choices=settings.LANGUAGES)


MODE_CHOICES = TokenFamily.Mode.values


class LoginSerializer(strict.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=4096)
    mode = serializers.ChoiceField(
        choices=MODE_CHOICES,
        default=TokenFamily.Mode.BEARER,
        help_text="`bearer`: tokens in the body. `cookie`: HttpOnly cookies (send X-CSRFToken).",
    )


class RegisterSerializer(strict.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=4096)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    preferred_language = serializers.ChoiceField(
        required=False, allow_blank=True, default="", choices=settings.LANGUAGES
    )


class RegisterAcceptedSerializer(serializers.Serializer):
    """The answer to a sign-up, the same whether the address was free or taken."""

    detail = serializers.CharField()


class RefreshSerializer(strict.Serializer):
    refresh = serializers.CharField(
        required=False, help_text="The refresh token; omit in cookie mode (it is read from the cookie)."
    )


class TokenPairSerializer(serializers.Serializer):
    """What a bearer-mode sign-in or refresh answers."""

    token_type = serializers.CharField(default="Bearer")
    access = serializers.CharField()
    refresh = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the access token lives.")
    user = MeSerializer()


class SessionSerializer(serializers.Serializer):
    """What a cookie-mode sign-in or refresh answers (the tokens are in cookies)."""

    mode = serializers.CharField(default="cookie")
    expires_in = serializers.IntegerField()
    user = MeSerializer()


class PasswordChangeSerializer(strict.Serializer):
    current_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)


class PasswordResetSerializer(strict.Serializer):
    email = serializers.CharField(max_length=254)


class PasswordResetConfirmSerializer(strict.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(trim_whitespace=False)


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField()


class InviteSerializer(strict.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.CUSTOMER)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    password = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Omit to mail the user a link to choose one."
    )


class RoleSerializer(strict.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id", "name", "prefix", "user", "scopes", "created_by",
            "created_at", "expires_at", "last_used_at", "revoked_at",
        ]  # fmt: skip
        read_only_fields = fields


class ApiTokenCreateSerializer(strict.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False)
    user = serializers.IntegerField(
        required=False, help_text="Id of the user the token acts as (default: you)."
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="The secret. It is shown once; send it as `Authorization: Token ...`."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_email",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "ip_address",
            "data",
        ]
        read_only_fields = fields
