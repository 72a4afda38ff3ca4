"""The system of record: SQLAlchemy models and Alembic migrations.

Importing this package registers every model module on ``Base.metadata`` so that
migrations and the schema test see the whole ledger.
"""

from envledger.store import models
from envledger.store.models import Base

__all__ = ["Base", "models"]
