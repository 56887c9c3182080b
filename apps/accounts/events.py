"""Events of the accounts module: users joining, changing role, leaving."""

from rustok.events import Event


class UserRegistered(Event):
    """Someone signed up by themselves (as a customer)."""

    type = "accounts.user.registered"
    version = 1

    user_id: int
    email: str
    preferred_language: str


class SignUpAttempted(Event):
    """Someone tried to sign up with the address of an existing user (who is told by mail)."""

    type = "accounts.user.signup_attempted"
    version = 1

    user_id: int
    base_url: str


class UserCreated(Event):
    """A staff member created (invited) a user with a role."""

    type = "accounts.user.created"
    version = 1

    user_id: int
    email: str
    role: str
    actor_id: int | None
    invited_by: str = ""
    set_password_base_url: str = ""  # set when the user must choose a password from a mailed link


class UserRoleChanged(Event):
    """A user was given another role."""

    type = "accounts.user.role_changed"
    version = 1

    user_id: int
    previous: str
    role: str
    actor_id: int | None


class UserDeactivated(Event):
    """A user can no longer sign in."""

    type = "accounts.user.deactivated"
    version = 1

    user_id: int
    actor_id: int | None


class UserActivated(Event):
    """A deactivated user may sign in again."""

    type = "accounts.user.activated"
    version = 1

    user_id: int
    actor_id: int | None


class PasswordResetRequested(Event):
    """Someone asked for a password reset link for an existing, active user."""

    type = "accounts.password_reset.requested"
    version = 1

    user_id: int
    base_url: str
