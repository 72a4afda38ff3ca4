"""One error family for envledger: every failure a user can cause is an EnvledgerError.

The tree (the CLI prints any of them as one line and exits 1; the web status in
brackets where it is not 400)::

    EnvledgerError
    ├── InputError                 a file or form refused, with every InputProblem
    ├── UnitError
    ├── MissingFactorError
    ├── ReferenceDataError
    ├── NotFoundError              (404)
    ├── PublicationError
    ├── MethodologyError
    ├── AuditTrailError
    ├── EstimationError
    ├── ConflictError              (409)
    │   └── ReviewConflictError    (also a ReviewError)
    ├── ReviewError
    │   ├── ReviewConflictError
    │   └── PeriodLockedError
    ├── AuthenticationError        (401)
    ├── PermissionDeniedError      (403)
    ├── LedgerUnavailableError
    └── LedgerBusyError            (503)
"""

from __future__ import annotations

from dataclasses import dataclass


class EnvledgerError(Exception):
    """Base class of every error envledger raises on purpose."""


@dataclass(frozen=True)
class InputProblem:
    """One bad cell or row: where it is and what was expected there."""

    file: str
    row: int | None  # 1-based spreadsheet row (the header is row 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(EnvledgerError):
    """Input that cannot be accepted; carries every problem found, nothing was changed."""

    def __init__(self, problems: list[InputProblem], limit: int = 50) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        super().__init__(
            f"{len(problems)} problem(s) found; nothing was imported:\n{shown}{more}"
        )


class UnitError(EnvledgerError):
    """A quantity's unit cannot be converted to the unit the method needs."""


class MissingFactorError(EnvledgerError):
    """No emission factor matches an activity at a facility in a year."""


class ReferenceDataError(EnvledgerError):
    """A shipped or imported reference table is inconsistent."""


class NotFoundError(EnvledgerError):
    """A named thing (facility, group, year, batch) does not exist in the ledger."""


class PublicationError(EnvledgerError):
    """A publication the ledger's history does not allow (e.g. a restatement without reason)."""


class MethodologyError(EnvledgerError):
    """A methodology setting that cannot be used (unknown GWP set or series, bad threshold)."""


class AuditTrailError(EnvledgerError):
    """A change to the audit trail the ledger refuses, or a trail that cannot be appended to."""


class ConflictError(EnvledgerError):
    """A change that another caller made first, or that was made already; nothing changed.

    The web answers 409 Conflict.
    """


class ReviewError(EnvledgerError):
    """A review step the workflow does not allow (e.g. approving a decided submission)."""


class ReviewConflictError(ReviewError, ConflictError):
    """A review decision or an unlock that someone else made first."""


class PeriodLockedError(ReviewError):
    """A change to activity data of a locked reporting year (unlock it first)."""


class AuthenticationError(EnvledgerError):
    """Who is calling is not established: wrong password, locked or disabled account, bad token."""


class PermissionDeniedError(EnvledgerError):
    """The caller is known, but their role or token scope does not allow the action."""


class LedgerUnavailableError(EnvledgerError):
    """The ledger database cannot be used: a bad URL, an unreachable server, no ledger there."""


class LedgerBusyError(EnvledgerError):
    """A write the ledger cannot take now; nothing was changed, trying again may succeed.

    Another writer held the ledger past the busy timeout, or kept committing changes that
    clash with this one.
    """


class EstimationError(EnvledgerError):
    """An estimate a method cannot make: what it rests on (previous-year data, covered
    months, group peers, a driver) is missing; the message names what."""
