"""GraphQL of the accounts module: `me`, `users`, `apiTokens`, `auditLog`, and the sign-in
mutations of /api/auth/.

The users that tokens, audit entries and other modules' types point at (a node's author) are read
by one loader, `users_by_id`: one query for all of them (rustok.dataloaders).

The mutations carry the same names as the REST routes (register, login, refresh, logout,
passwordChange, passwordReset, passwordResetConfirm) and call the same services. In cookie mode
the tokens are set as cookies on the GraphQL response, exactly as REST sets them.
"""

from __future__ import annotations

import graphene
from django.conf import settings

from apps.accounts import services
from apps.accounts.auth_api import REGISTER_DETAIL, clear_auth_cookies, set_auth_cookies
from apps.accounts.authentication import enforce_csrf
from apps.accounts.models import ApiToken, AuditEntry, Role, TokenFamily, User
from apps.accounts.serializers import permissions_of
from rustok.api.problems import Refusal
from rustok.api.throttling import SignInThrottle
from rustok.dataloaders import Loader
from rustok.errors import AuthenticationFailed, InvalidInput, Throttled
from rustok.net import site_url
from rustok.permissions import PERSON, PUBLIC, SIGNED_IN, declare

RoleEnum = graphene.Enum.from_enum(Role, description="What a user may do on the site.")
ModeEnum = graphene.Enum("AuthMode", [("BEARER", "bearer"), ("COOKIE", "cookie")])
AuditActionEnum = graphene.Enum.from_enum(
    AuditEntry.Action, name="AuditAction", description="What an audit entry records."
)
AUDIT_PAGE = 50

users_by_id = Loader("accounts.users", lambda request, ids: User.objects.in_bulk(ids))


def _user_of(info, pk):
    return users_by_id.load(info, pk) if pk is not None else None


class UserType(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    display_name = graphene.String(required=True)
    preferred_language = graphene.String(required=True)
    role = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    date_joined = graphene.DateTime(required=True)
    last_login = graphene.DateTime()


class ApiTokenType(graphene.ObjectType):
    """A credential of an integration; its secret was shown once, when it was made."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    prefix = graphene.String(required=True)
    scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
    user = graphene.Field(UserType, required=True, description="The user the token acts as.")
    created_by = graphene.Field(UserType)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime()
    last_used_at = graphene.DateTime()
    revoked_at = graphene.DateTime()

    @staticmethod
    def resolve_user(token, info):
        return _user_of(info, token.user_id)

    @staticmethod
    def resolve_created_by(token, info):
        return _user_of(info, token.created_by_id)


class AuditEntryType(graphene.ObjectType):
    """Who did what to whom, when and from where."""

    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    actor = graphene.Field(UserType, description="Who did it, while their account exists.")
    actor_email = graphene.String(required=True, description="Who did it, as they were then.")
    action = graphene.Field(AuditActionEnum, required=True)
    target_type = graphene.String(required=True)
    target_id = graphene.String(required=True)
    target_label = graphene.String(required=True)
    ip_address = graphene.String()
    data = graphene.JSONString(required=True)

    @staticmethod
    def resolve_actor(entry, info):
        return _user_of(info, entry.actor_id)


class MeType(UserType):
    permissions = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_permissions(user, info):
        return permissions_of(user)


class AuthPayload(graphene.ObjectType):
    """Tokens are null in cookie mode: they are in the response's HttpOnly cookies."""

    token_type = graphene.String()
    access_token = graphene.String()
    refresh_token = graphene.String()
    expires_in = graphene.Int(required=True)
    user = graphene.Field(MeType, required=True)


def _csrf(info) -> None:
    try:
        enforce_csrf(info.context)
    except Refusal as refusal:
        raise refusal.error from None


def _attempt(info) -> None:
    """Count a sign-in style attempt: per field, so aliases cannot multiply them in one request."""
    throttle = SignInThrottle()
    if not throttle.allow_request(info.context, None):
        raise Throttled("Too many attempts; try again later.", retry_after=throttle.wait())


def _payload(info, tokens: services.Tokens) -> AuthPayload:
    lifetime = int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
    if tokens.family.mode == TokenFamily.Mode.COOKIE:
        _on_response(info, lambda response: set_auth_cookies(response, tokens))
        return AuthPayload(expires_in=lifetime, user=tokens.family.user)
    return AuthPayload(
        token_type="Bearer",
        access_token=tokens.access,
        refresh_token=tokens.refresh,
        expires_in=lifetime,
        user=tokens.family.user,
    )


def _on_response(info, finish) -> None:
    request = info.context
    if not hasattr(request, "on_graphql_response"):
        request.on_graphql_response = []
    request.on_graphql_response.append(finish)


class Query(graphene.ObjectType):
    me = graphene.Field(MeType, description="The signed-in user.")
    users = graphene.List(
        graphene.NonNull(UserType),
        role=RoleEnum(),
        is_active=graphene.Boolean(),
        description="The site's users (admins).",
    )
    api_tokens = graphene.List(
        graphene.NonNull(ApiTokenType), description="Every API token of the site, newest first."
    )
    audit_log = graphene.List(
        graphene.NonNull(AuditEntryType),
        description="Sign-ins, role changes and token events, newest first.",
        action=AuditActionEnum(),
        limit=graphene.Int(
            default_value=AUDIT_PAGE, description=f"At most {settings.GRAPHQL_MAX_PAGE_SIZE}."
        ),
        offset=graphene.Int(default_value=0),
    )

    @staticmethod
    @declare(SIGNED_IN)
    def resolve_me(root, info):
        return info.context.user

    @staticmethod
    @declare("accounts.view_user")
    def resolve_users(root, info, role=None, is_active=None):
        users = User.objects.order_by("email")
        if role is not None:
            users = users.filter(role=getattr(role, "value", role))
        if is_active is not None:
            users = users.filter(is_active=is_active)
        return users

    @staticmethod
    @declare("accounts.manage_api_tokens")
    def resolve_api_tokens(root, info):
        return ApiToken.objects.order_by("-created_at", "-id")

    @staticmethod
    @declare("accounts.view_audit_log")
    def resolve_audit_log(root, info, limit, offset, action=None):
        for field, value in (("limit", limit), ("offset", offset)):
            if value < 0:
                raise InvalidInput.for_field(field, "Must be zero or more.")
        entries = AuditEntry.objects.order_by("-at", "-id")
        if action is not None:
            entries = entries.filter(action=getattr(action, "value", action))
        return entries[offset : offset + min(limit, settings.GRAPHQL_MAX_PAGE_SIZE)]


class Register(graphene.Mutation):
    """Sign up as a customer (if the site allows it); then sign in with `login`.

    The answer is the same whether the address was free or taken, as with REST's register/.
    """

    access = PUBLIC
    signs_in = True  # reads no credentials (rustok.graphql.SIGN_IN_FIELDS)

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        display_name = graphene.String()
        preferred_language = graphene.String()

    ok = graphene.Boolean(required=True)
    detail = graphene.String(required=True)

    @staticmethod
    def mutate(root, info, email, password, display_name="", preferred_language=""):
        _attempt(info)
        request = info.context
        services.register_customer(
            tenant=request.tenant,
            email=email,
            password=password,
            display_name=display_name,
            preferred_language=preferred_language,
            base_url=site_url(request),
            request=request,
        )
        return Register(ok=True, detail=REGISTER_DETAIL)


class Login(graphene.Mutation):
    """Sign in with e-mail and password."""

    access = PUBLIC
    signs_in = True  # reads no credentials (rustok.graphql.SIGN_IN_FIELDS)

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        mode = ModeEnum()

    Output = AuthPayload

    @staticmethod
    def mutate(root, info, email, password, mode="bearer"):
        _attempt(info)
        mode = getattr(mode, "value", mode)
        if mode == TokenFamily.Mode.COOKIE:
            _csrf(info)
        return _payload(
            info, services.sign_in(request=info.context, email=email, password=password, mode=mode)
        )


def _refresh_raw(info, refresh_token: str | None) -> str:
    if refresh_token:
        return refresh_token
    raw = info.context.COOKIES.get(settings.AUTH_REFRESH_COOKIE)
    if not raw:
        raise AuthenticationFailed("Send the refresh token (or its cookie).", reason="missing")
    _csrf(info)
    return raw


class Refresh(graphene.Mutation):
    """Exchange a refresh token (argument or cookie) for a new pair; each works once."""

    access = PUBLIC
    signs_in = True  # reads no credentials (rustok.graphql.SIGN_IN_FIELDS)

    class Arguments:
        refresh_token = graphene.String()

    Output = AuthPayload

    @staticmethod
    def mutate(root, info, refresh_token=None):
        _attempt(info)
        raw = _refresh_raw(info, refresh_token)
        return _payload(info, services.refresh_session(raw_refresh=raw, request=info.context))


class Logout(graphene.Mutation):
    """End the sign-in of this request (or of the refresh token given)."""

    access = PUBLIC

    class Arguments:
        refresh_token = graphene.String()

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info, refresh_token=None):
        request = info.context
        family = getattr(request, "auth", None)
        if not isinstance(family, TokenFamily):
            family = services.family_of_refresh(_refresh_raw(info, refresh_token))
        services.end_session(family=family, request=request)
        _on_response(info, clear_auth_cookies)
        return Logout(ok=True)


class PasswordChange(graphene.Mutation):
    """Change one's password (not with an API token); other sign-ins of the user end."""

    access = PERSON

    class Arguments:
        current_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info, current_password, new_password):
        request = info.context
        family = getattr(request, "auth", None)
        services.change_password(
            user=request.user,
            current_password=current_password,
            new_password=new_password,
            keep=family if isinstance(family, TokenFamily) else None,
            request=request,
        )
        return PasswordChange(ok=True)


class PasswordReset(graphene.Mutation):
    """Mail a reset link if a user has this address; the answer is the same either way."""

    access = PUBLIC
    signs_in = True  # reads no credentials (rustok.graphql.SIGN_IN_FIELDS)

    class Arguments:
        email = graphene.String(required=True)

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info, email):
        _attempt(info)
        request = info.context
        services.request_password_reset(email=email, base_url=site_url(request), request=request)
        return PasswordReset(ok=True)


class PasswordResetConfirm(graphene.Mutation):
    access = PUBLIC
    signs_in = True  # reads no credentials (rustok.graphql.SIGN_IN_FIELDS)

    class Arguments:
        uid = graphene.String(required=True)
        token = graphene.String(required=True)
        new_password = graphene.String(required=True)

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info, uid, token, new_password):
        _attempt(info)
        services.reset_password(uid=uid, token=token, new_password=new_password, request=info.context)
        return PasswordResetConfirm(ok=True)


def _user(pk) -> User:
    from rustok.errors import NotFound

    user = User.objects.filter(pk=int(pk)).first() if str(pk).isascii() and str(pk).isdecimal() else None
    if user is None:
        raise NotFound("No such user.")
    return user


class SetUserRole(graphene.Mutation):
    access = "accounts.manage_users"

    class Arguments:
        id = graphene.ID(required=True)
        role = RoleEnum(required=True)

    user = graphene.Field(UserType, required=True)

    @staticmethod
    def mutate(root, info, id, role):
        user = services.set_role(
            actor=info.context.user, target=_user(id), role=getattr(role, "value", role), request=info.context
        )
        return SetUserRole(user=user)


class DeactivateUser(graphene.Mutation):
    access = "accounts.manage_users"

    class Arguments:
        id = graphene.ID(required=True)

    user = graphene.Field(UserType, required=True)

    @staticmethod
    def mutate(root, info, id):
        user = services.deactivate_user(actor=info.context.user, target=_user(id), request=info.context)
        return DeactivateUser(user=user)


class Mutation(graphene.ObjectType):
    register = Register.Field()
    login = Login.Field()
    refresh = Refresh.Field()
    logout = Logout.Field()
    password_change = PasswordChange.Field()
    password_reset = PasswordReset.Field()
    password_reset_confirm = PasswordResetConfirm.Field()
    set_user_role = SetUserRole.Field()
    deactivate_user = DeactivateUser.Field()
