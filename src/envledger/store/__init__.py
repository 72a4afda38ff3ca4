"""The system of record: SQLAlchemy models and Alembic migrations.

Importing this package registers every model module on ``Base.metadata`` so that
migrations and the schema test see the whole ledger.
"""

from envledger.store import (
    accounts,  # noqa: F401  (registers its tables)
    audit,  # noqa: F401  (registers its table and the append-only guard)
    checks,  # noqa: F401  (registers its table)
    commitments,  # noqa: F401  (registers its tables)
    estimation,  # noqa: F401  (registers its table)
    instruments,  # noqa: F401  (registers its tables)
    models,
    publication,  # noqa: F401  (registers its tables)
    review,  # noqa: F401  (registers its tables)
)
from envledger.store.models import Base

__all__ = ["Base", "models"]
