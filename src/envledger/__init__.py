"""envledger: a corporate environmental ledger and GHG inventory engine."""

from envledger.errors import (
    EnvledgerError,
    InputError,
    InputProblem,
    MissingFactorError,
    NotFoundError,
    ReferenceDataError,
    UnitError,
)

__version__ = "0.1.0"

__all__ = [
    "EnvledgerError",
    "InputError",
    "InputProblem",
    "MissingFactorError",
    "NotFoundError",
    "ReferenceDataError",
    "UnitError",
    "__version__",
]
