"""Who may do what: roles, permissions, token scopes and the caller (``Principal``).

Pure rules, no database: the web layer resolves a Principal (services.access.web_sessions,
services.access.api_tokens) and every service that reads or writes facility data checks it
with :func:`require_permission` and :func:`require_facility`, so changing an id in a URL
never reaches another facility's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from envledger.errors import NotFoundError, PermissionDeniedError


class Role(StrEnum):
    """A user's role; ``public`` is the anonymous reader and is never assigned to a user."""

    admin = "admin"
    inventory_owner = "inventory_owner"
    facility_owner = "facility_owner"
    reviewer = "reviewer"
    verifier = "verifier"
    public = "public"


class Permission(StrEnum):
    """An action a route or service checks for."""

    read_ledger = "read_ledger"  # activity data, submissions, facility views
    write_activities = "write_activities"  # import or edit activity data (as submissions)
    review = "review"  # approve or reject submissions
    manage_periods = "manage_periods"  # lock and unlock reporting years, publish
    read_audit = "read_audit"  # the audit log
    download_evidence = "download_evidence"  # verification packs
    manage_users = "manage_users"  # users, roles, tokens


ASSIGNABLE_ROLES = tuple(role for role in Role if role is not Role.public)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.inventory_owner: frozenset({
        Permission.read_ledger, Permission.write_activities, Permission.review,
        Permission.manage_periods, Permission.read_audit, Permission.download_evidence,
    }),
    Role.facility_owner: frozenset({Permission.read_ledger, Permission.write_activities}),
    Role.reviewer: frozenset({Permission.read_ledger, Permission.review, Permission.read_audit}),
    Role.verifier: frozenset({
        Permission.read_ledger, Permission.read_audit, Permission.download_evidence,
    }),
    Role.public: frozenset(),
}

TOKEN_SCOPES: dict[str, frozenset[Permission]] = {
    "read": frozenset({
        Permission.read_ledger, Permission.read_audit, Permission.download_evidence,
    }),
    "write:activities": frozenset({Permission.write_activities}),
    "review": frozenset({Permission.review}),
    "admin": frozenset({Permission.manage_periods, Permission.manage_users}),
}
"""API token scope -> permissions it can carry (never more than the owner's role has)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user (by session or token) or the anonymous public.

    ``facilities`` holds the facility codes of a facility owner's scope (empty for every
    other role, whose scope is the whole ledger); ``permissions`` is what this call may do:
    the role's permissions, narrowed to the token's scopes for a token.
    """

    username: str | None
    role: Role
    permissions: frozenset[Permission]
    facilities: frozenset[str] = frozenset()
    via: str = "anonymous"  # anonymous | session | token

    @property
    def actor(self) -> str:
        """The name audit events record for this caller."""
        return self.username or "public"

    @property
    def authenticated(self) -> bool:
        """True for a signed-in user, False for the public."""
        return self.username is not None

    def can(self, permission: Permission) -> bool:
        """True when this caller holds ``permission``."""
        return permission in self.permissions

    def sees_facility(self, code: str) -> bool:
        """True when ``code`` is inside this caller's facility scope."""
        return self.role is not Role.facility_owner or code in self.facilities


PUBLIC = Principal(username=None, role=Role.public, permissions=frozenset())
"""The anonymous reader: published data only."""


def user_principal(
    username: str, role: Role, facilities: frozenset[str], via: str,
    scopes: frozenset[str] | None = None,
) -> Principal:
    """The Principal of a user; a token's ``scopes`` narrow the role's permissions."""
    permissions = ROLE_PERMISSIONS[role]
    if scopes is not None:
        granted = frozenset().union(*(TOKEN_SCOPES.get(scope, frozenset()) for scope in scopes))
        permissions = permissions & granted
    owned = facilities if role is Role.facility_owner else frozenset()
    return Principal(username, role, permissions, owned, via)


def require_permission(principal: Principal, permission: Permission) -> None:
    """Raise PermissionDeniedError unless ``principal`` holds ``permission``."""
    if not principal.can(permission):
        who = principal.username or "the public"
        raise PermissionDeniedError(f"{who} ({principal.role}) may not {permission}")


def require_facility(principal: Principal, code: str) -> None:
    """Raise NotFoundError when facility ``code`` is outside the caller's scope.

    The error is the one an unknown facility gives, so a facility owner cannot learn
    which other facilities exist by trying codes.
    """
    if not principal.sees_facility(code):
        raise NotFoundError(f"no facility '{code}' in the ledger")
