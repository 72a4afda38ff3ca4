"""CLI: activity submissions (list, approve, reject) and locks on reporting years."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from envledger.cli._common import Format, FormatOption, console, ready, user_errors
from envledger.services.governance.period_locks import (
    lock_history,
    lock_year,
    locked_years,
    unlock_year,
)
from envledger.services.governance.review import Submission, approve, list_submissions, reject


class Status(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


CommentOption = Annotated[str, typer.Option(help="Why (kept with the decision and audited).")]
ActorOption = Annotated[str, typer.Option(help="Who decides (recorded in the audit trail).")]
YearOption = Annotated[int, typer.Option(help="Reporting year.")]


def register(app: typer.Typer) -> None:
    """Add `submissions`, `approve`, `reject`, `lock`, `unlock` and `locks` to the app."""

    @app.command("submissions")
    def submissions(
        status: Annotated[Status | None, typer.Option(help="Only this status.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List activity submissions (newest first) and their review state."""
        with user_errors():
            found = list_submissions(ready().database_url, status.value if status else None)
        if format is Format.json:
            sys.stdout.write(json.dumps([s.as_dict() for s in found], indent=2) + "\n")
            return
        if not found:
            console.print(f"No {status.value + ' ' if status else ''}submissions.")
            return
        table = Table("Batch", "File", "Rows", "Facilities", "Period", "Status",
                      "Submitted by", "Reviewer", "Comment")
        for item in found:
            table.add_row(str(item.batch_id), item.file_name, f"{item.row_count:,}",
                          _facilities(item), f"{item.first_day}..{item.last_day}",
                          item.status, item.submitted_by, item.reviewer or "", item.comment)
        console.print(table)

    @app.command("approve")
    def approve_command(
        batch: int, comment: CommentOption, actor: ActorOption = "cli",
    ) -> None:
        """Approve a pending submission: its rows enter the next calculation."""
        with user_errors():
            _done(console, approve(ready().database_url, batch, actor, comment))

    @app.command("reject")
    def reject_command(
        batch: int, comment: CommentOption, actor: ActorOption = "cli",
    ) -> None:
        """Reject a pending submission: its rows are kept for the record, never calculated."""
        with user_errors():
            _done(console, reject(ready().database_url, batch, actor, comment))

    @app.command("lock")
    def lock(year: YearOption) -> None:
        """Lock a year's activity data (publishing a year locks it too)."""
        with user_errors():
            changed = lock_year(ready().database_url, year)
        console.print(f"[green]{year} is locked.[/]" if changed
                      else f"[yellow]{year} was already locked; nothing changed.[/]")

    @app.command("unlock")
    def unlock(
        year: YearOption,
        reason: Annotated[str, typer.Option(help="Why the data must change (audited).")],
    ) -> None:
        """Unlock a year's activity data; its next changed publication is a restatement."""
        with user_errors():
            unlock_year(ready().database_url, year, reason)
        console.print(
            f"[green]{year} is unlocked.[/] Once its data change, publish it again with"
            f" --reason (e.g. error_correction): that publication is a restatement.",
            highlight=False,
        )

    @app.command("locks")
    def locks(format: FormatOption = Format.table) -> None:
        """Show which years are locked and every lock and unlock."""
        with user_errors():
            url = ready().database_url
            locked, history = locked_years(url), lock_history(url)
        if format is Format.json:
            payload = {"locked": locked, "history": [event.as_dict() for event in history]}
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
            return
        console.print(f"Locked years: {', '.join(map(str, locked)) or 'none'}")
        table = Table("Year", "Action", "At (UTC)", "By", "Reason")
        for event in history:
            table.add_row(str(event.year), "lock" if event.locked else "unlock",
                          f"{event.at:%Y-%m-%d %H:%M}", event.actor, event.reason)
        console.print(table)


def _facilities(item: Submission) -> str:
    shown = item.facilities
    return ", ".join(shown) if len(shown) <= 3 else f"{len(shown)} facilities"


def _done(console: Console, item: Submission) -> None:
    console.print(
        f"Submission {item.batch_id} ({item.file_name}) is {item.status} by {item.reviewer}.",
        highlight=False,
    )
