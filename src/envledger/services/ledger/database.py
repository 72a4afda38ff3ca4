"""Opening the ledger's database: a URL that holds no ledger is one clear line, not a traceback."""

from __future__ import annotations

from envledger.store.db import check_ledger, shown


def open_ledger(url: str, *, create: bool = False) -> None:
    """Check that ``url`` holds a ledger or, with ``create``, can hold a new one.

    Raises LedgerUnavailableError (bad URL, unreachable server, in-memory SQLite, missing
    directory, no ledger schema); creates nothing, so a mistyped SQLite path stays absent.
    """
    check_ledger(url, create=create)


def printable_url(url: str) -> str:
    """The ledger's URL as it may be printed: the password hidden."""
    return shown(url)
