"""Domain errors raised by services; every interface renders them the same way.

REST turns them into RFC 7807 problem+json (rustok.api.problems), GraphQL into an error whose
`extensions.code` is the upper-case code, commands into CommandError. Codes are stable and listed
in docs/api/errors.md.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of errors a service raises on purpose. `code` is snake_case and stable."""

    code = "domain_error"
    status = 400
    title = "The request cannot be carried out"

    def __init__(
        self,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        retry_after: float | None = None,
        **extra,
    ):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.retry_after = retry_after  # seconds, answered as Retry-After (429, 503)
        self.extra = extra


class InvalidInput(DomainError):
    """One or more fields are wrong; `errors` maps each field to its messages."""

    code = "invalid"
    status = 400
    title = "Invalid input"

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(f"{field}: {message}", errors={field: [message]})


class NotFound(DomainError):
    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(DomainError):
    """The request is valid but clashes with the current state (an illegal transition, a rule)."""

    code = "conflict"
    status = 409
    title = "Conflict with the current state"


class NotAuthenticated(DomainError):
    """The action needs a signed-in user and the request carries none."""

    code = "not_authenticated"
    status = 401
    title = "Authentication required"


class AuthenticationFailed(DomainError):
    """The credentials sent are wrong, expired, revoked or meant for another site."""

    code = "authentication_failed"
    status = 401
    title = "Authentication failed"


class PermissionDenied(DomainError):
    """The signed-in user lacks the permission the action needs."""

    code = "permission_denied"
    status = 403
    title = "Permission denied"


class ApiTokenNotAllowed(PermissionDenied):
    """The action is for a person signed in with their password; an API token may never do it,
    whatever its scopes (changing an account, managing users or tokens)."""

    code = "api_token_not_allowed"
    title = "Not allowed with an API token"


class Throttled(DomainError):
    """Too many attempts in a window; `retry_after` seconds until the next one is counted."""

    code = "throttled"
    status = 429
    title = "Too many requests"


class Unavailable(DomainError):
    """A dependency (the database) is down or busy; `retry_after` seconds until it is worth trying."""

    code = "service_unavailable"
    status = 503
    title = "Service unavailable"


class ModuleDisabled(DomainError):
    """The module owning the route or field is switched off for this tenant."""

    code = "module_disabled"
    status = 404
    title = "Module disabled"

    def __init__(self, module: str):
        super().__init__(f"The module '{module}' is not enabled for this site.", module=module)
        self.module = module


class ModuleDependencyError(Conflict):
    """A toggle would leave an enabled module without a module it depends on."""

    code = "module_dependency"
    title = "Module dependency"


class TransitionNotAllowed(Conflict):
    """A state-machine transition that the object's current state does not allow.

    `allowed` lists the transitions that are possible from the current state.
    """

    code = "transition_not_allowed"
    title = "Transition not allowed"

    def __init__(self, detail: str, *, transition: str, state: str, allowed: list[str]):
        super().__init__(detail, transition=transition, state=state, allowed=allowed)
        self.allowed = allowed
