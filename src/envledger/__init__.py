"""envledger: a corporate environmental ledger and GHG inventory engine."""

from envledger.errors import (
    AuditTrailError,
    AuthenticationError,
    ConflictError,
    EnvledgerError,
    EstimationError,
    InputError,
    InputProblem,
    LedgerBusyError,
    LedgerUnavailableError,
    MethodologyError,
    MissingFactorError,
    NotFoundError,
    PeriodLockedError,
    PermissionDeniedError,
    PublicationError,
    ReferenceDataError,
    ReviewConflictError,
    ReviewError,
    UnitError,
)

__version__ = "0.1.0"

__all__ = [
    "AuditTrailError",
    "AuthenticationError",
    "ConflictError",
    "EnvledgerError",
    "EstimationError",
    "InputError",
    "InputProblem",
    "LedgerBusyError",
    "LedgerUnavailableError",
    "MethodologyError",
    "MissingFactorError",
    "NotFoundError",
    "PeriodLockedError",
    "PermissionDeniedError",
    "PublicationError",
    "ReferenceDataError",
    "ReviewConflictError",
    "ReviewError",
    "UnitError",
    "__version__",
]
