"""The only code that writes users, sign-ins, API tokens and the audit log.

Split by concern; import from here: `from apps.accounts import services`.
"""

from apps.accounts.services.api_tokens import authenticate_api_token, create_api_token, revoke_api_token
from apps.accounts.services.audit import record
from apps.accounts.services.lockouts import clear_lockout
from apps.accounts.services.sessions import (
    Tokens,
    end_session,
    family_of_refresh,
    refresh_session,
    revoke_all_sessions,
    start_session,
    user_of_access,
)
from apps.accounts.services.users import (
    LoginLocked,
    activate_user,
    change_password,
    change_password_in_session,
    check_credentials,
    create_first_owner,
    create_platform_operator,
    deactivate_user,
    invite_user,
    register_customer,
    request_password_reset,
    reset_password,
    set_role,
    sign_in,
    sign_in_session,
    sign_out_session,
    update_profile,
    user_of_reset_link,
)

__all__ = [
    "LoginLocked",
    "Tokens",
    "activate_user",
    "authenticate_api_token",
    "change_password",
    "change_password_in_session",
    "check_credentials",
    "clear_lockout",
    "create_api_token",
    "create_first_owner",
    "create_platform_operator",
    "deactivate_user",
    "end_session",
    "family_of_refresh",
    "invite_user",
    "record",
    "refresh_session",
    "register_customer",
    "request_password_reset",
    "reset_password",
    "revoke_all_sessions",
    "revoke_api_token",
    "set_role",
    "sign_in",
    "sign_in_session",
    "sign_out_session",
    "start_session",
    "update_profile",
    "user_of_access",
    "user_of_reset_link",
]
