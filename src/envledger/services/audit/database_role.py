"""Use case: the PostgreSQL role the application connects as, unable to rewrite the audit trail.

The role may read and write every ledger table except ``audit_event``, where it may
only SELECT and INSERT: the server itself refuses UPDATE, DELETE and TRUNCATE of audit
events. Run it as the owner of the ledger's tables (who ran the migrations), and again
after each migration, since new tables need their grants.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from envledger.errors import EnvledgerError
from envledger.services.audit.trail import record_event
from envledger.store.db import get_engine, session_scope

APPEND_ONLY_TABLES = ("audit_event",)
"""Tables on which the application role has SELECT and INSERT only."""

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_app_role(
    url: str, role: str, password: str | None = None, actor: str = "cli"
) -> list[str]:
    """Create ``role`` (LOGIN) if absent and grant it the application's privileges.

    Every table of the schema: SELECT, INSERT, UPDATE, DELETE, except the append-only
    tables (SELECT, INSERT; UPDATE, DELETE and TRUNCATE revoked); every sequence: USAGE,
    SELECT. ``password`` sets the role's password; None leaves it as it is. Records an
    audit event in the same transaction. Returns the statements run (password masked).

    Raises
    ------
    EnvledgerError
        On a SQLite ledger (it has no roles) or a role name that is not a plain
        lower-case identifier.
    """
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        raise EnvledgerError(
            "database roles exist on PostgreSQL only; protect a SQLite ledger file with"
            " file-system permissions"
        )
    if not _ROLE_NAME.fullmatch(role):
        raise EnvledgerError(f"role name '{role}' must match {_ROLE_NAME.pattern}")
    with session_scope(url) as session:
        connection = session.connection()
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
        database = connection.execute(sa.text("SELECT current_database()")).scalar_one()
        statements = _statements(role, schema, database)
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
        ).scalar()
        if not exists:
            statements.insert(0, f'CREATE ROLE "{role}" LOGIN')
        if password is not None:
            quoted = password.replace("'", "''")
            statements.append(f"ALTER ROLE \"{role}\" PASSWORD '{quoted}'")
        for statement in statements:
            connection.execute(sa.text(statement))
        record_event(session, actor, "database.grant_app_role", "database_role", {
            "role": role, "created": not exists, "password_set": password is not None,
            "append_only_tables": list(APPEND_ONLY_TABLES),
        })
    return [s.split(" PASSWORD ")[0] + " PASSWORD '***'" if " PASSWORD " in s else s
            for s in statements]


def _statements(role: str, schema: str, database: str) -> list[str]:
    who = f'"{role}"'
    where = f'"{schema}"'
    statements = [
        f'GRANT CONNECT ON DATABASE "{database}" TO {who}',
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {where}.{table} FROM {who}")
    return statements
