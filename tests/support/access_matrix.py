"""The role x route table of tests/web/test_access_matrix.py: one row per route.

``allowed`` names the roles (``public`` = anonymous) for which the route must work and
answer ``ok``; every other role must be refused (401, 403 or 404). ``form`` is posted
(with the caller's CSRF token) for POST rows. Rows run in order, once per role, so a
state-changing row must be repeatable by its allowed roles (or allowed to one role).
Add a row for every protected page and API route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC = "public"
ADMIN = "admin"
OWNER = "inventory_owner"
SITE = "facility_owner"  # the facility owner of CD-OF
REVIEWER = "reviewer"
VERIFIER = "verifier"
EVERYONE = frozenset({PUBLIC, ADMIN, OWNER, SITE, REVIEWER, VERIFIER})
SIGNED_IN = EVERYONE - {PUBLIC}


@dataclass(frozen=True)
class Route:
    """A route, who may call it, and the status an allowed call answers."""

    method: str
    path: str
    allowed: frozenset[str]
    ok: int = 200
    form: dict[str, str | list[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROUTES: list[Route] = [
    # The published data stays public.
    Route("GET", "/", EVERYONE),
    Route("GET", "/api/v1/years", EVERYONE),
    Route("GET", "/api/v1/inventory/2022", EVERYONE),
    Route("GET", "/api/v1/me", EVERYONE),
    Route("GET", "/login", EVERYONE),
    # The ledger, in each caller's facility scope.
    Route("GET", "/api/v1/ledger/facilities", SIGNED_IN),
    Route("GET", "/api/v1/ledger/coverage?year=2022", SIGNED_IN),
    Route("GET", "/api/v1/ledger/facilities/CD-OF/activities?year=2022", SIGNED_IN),
    Route("GET", "/api/v1/ledger/facilities/WH-CD/activities?year=2022", SIGNED_IN - {SITE}),
    Route("GET", "/api/v1/evidence/2022", frozenset({ADMIN, OWNER, VERIFIER})),
    # Review workflow: upload, submissions, facility data, audit log. Batch 2 is the
    # owner's import of both sites (outside the CD-OF owner's scope), approved on import:
    # deciding it again is refused with 409 once the role check has let the caller in.
    Route("GET", "/upload", frozenset({ADMIN, OWNER, SITE})),
    Route("GET", "/submissions", SIGNED_IN),
    Route("GET", "/api/v1/submissions?status=approved", SIGNED_IN),
    Route("GET", "/submissions/2", SIGNED_IN - {SITE}),
    Route("GET", "/api/v1/submissions/2", SIGNED_IN - {SITE}),
    Route("POST", "/submissions/2/reject", frozenset({ADMIN, OWNER, REVIEWER}), 409,
          {"comment": "matrix"}),
    Route("GET", "/facilities", SIGNED_IN),
    Route("GET", "/coverage?year=2022", SIGNED_IN),
    Route("GET", "/facilities/CD-OF?year=2022", SIGNED_IN),
    Route("GET", "/facilities/WH-CD?year=2022", SIGNED_IN - {SITE}),
    Route("GET", "/api/v1/facilities/CD-OF/data?year=2022", SIGNED_IN),
    Route("GET", "/api/v1/facilities/WH-CD/data?year=2022", SIGNED_IN - {SITE}),
    Route("GET", "/checks?year=2022", SIGNED_IN),
    Route("GET", "/api/v1/ledger/checks?year=2022", SIGNED_IN),
    # A key that is not a flag: reviewers get through the role check to the 404.
    Route("POST", "/checks/dismiss", frozenset({ADMIN, OWNER, REVIEWER}), 404,
          {"key": "zero_month:CD-OF:electricity:::2022-07", "comment": "matrix"}),
    Route("GET", "/audit", frozenset({ADMIN, OWNER, REVIEWER, VERIFIER})),
    Route("GET", "/api/v1/audit?limit=5", frozenset({ADMIN, OWNER, REVIEWER, VERIFIER})),
    # User administration.
    Route("GET", "/admin/users", frozenset({ADMIN})),
    Route("GET", "/api/v1/admin/users", frozenset({ADMIN})),
    Route("POST", "/admin/users", frozenset({ADMIN}), 303, {
        "username": "matrix-new", "password": "a long enough password",
        "role": "verifier",
    }),
    Route("POST", "/admin/users/target/role", frozenset({ADMIN}), 303, {
        "role": "facility_owner", "facilities": "WH-CD CD-OF",
    }),
    Route("POST", "/admin/users/target/tokens", frozenset({ADMIN}), 200, {
        "name": "matrix", "scopes": ["read"],
    }),
    Route("POST", "/admin/tokens/1/revoke", frozenset({ADMIN}), 303),
    Route("POST", "/admin/users/target/disable", frozenset({ADMIN}), 303),
    Route("POST", "/admin/users/target/enable", frozenset({ADMIN}), 303),
]
