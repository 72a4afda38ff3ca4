"""CLI: methodology, publish, snapshots, restatements, base-year and boundary commands."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from envledger.cli._common import Format, FormatOption, console, ready, user_errors
from envledger.cli.render import base_year_table, restatement_table
from envledger.methods.base_year import RECALCULATION_TRIGGERS
from envledger.services.inventory.methodology import (
    Methodology,
    current_methodology,
    set_methodology,
)
from envledger.services.ledger.boundary import set_boundary
from envledger.services.publication.base_year import (
    check_base_year,
    recalculate_base_year,
)
from envledger.services.publication.publishing import (
    PublishResult,
    publish,
    restatements,
    snapshot_history,
)

Reason = StrEnum("Reason", {code: code for code in RECALCULATION_TRIGGERS})  # type: ignore[misc]


NoteOption = Annotated[str, typer.Option(help="Free text kept with the record.")]


AcceptGapsOption = Annotated[str | None, typer.Option(
    "--accept-gaps",
    help="Publish a year whose coverage has gaps; the reason and the gaps are stated in the"
    " snapshot and on the site.",
)]


def register(app: typer.Typer) -> None:
    """Add the publication commands and groups to the `envledger` app."""

    methodology_app = typer.Typer(help="The methodology held in the ledger (GWP, factor series).")
    base_year_app = typer.Typer(help="Base-year recalculation policy (GHG Protocol ch. 5).")
    boundary_app = typer.Typer(help="Change a facility's boundary in one year (audited).")
    app.add_typer(methodology_app, name="methodology")
    app.add_typer(base_year_app, name="base-year")
    app.add_typer(boundary_app, name="boundary")

    @methodology_app.command("show")
    def methodology_show(format: FormatOption = Format.table) -> None:
        """Show the current methodology (Settings defaults until one is set)."""
        with user_errors():
            current = current_methodology(ready())
        _emit(console, format, current.as_dict(), lambda: _methodology_table(current))

    @methodology_app.command("set")
    def methodology_set(
        gwp: Annotated[str | None, typer.Option("--gwp", help="GWP set: AR4, AR5, AR6.")] = None,
        series_priority: Annotated[str | None, typer.Option(
            help="Factor series preferred at equal tier, comma-separated ('user' = imported)."
        )] = None,
        exclude_series: Annotated[str | None, typer.Option(
            help="Factor series never used, comma-separated; '' for none."
        )] = None,
        base_year: Annotated[int | None, typer.Option(help="Base year.")] = None,
        threshold: Annotated[float | None, typer.Option(
            help="Significance threshold for base-year recalculation, a share (0.05 = 5 %)."
        )] = None,
        name: Annotated[str | None, typer.Option(help="Organization name.")] = None,
        note: NoteOption = "",
    ) -> None:
        """Record a new methodology version; options left out keep their value."""
        with user_errors():
            result, changed = set_methodology(
                ready(), gwp_set=gwp, series_priority=_split(series_priority),
                excluded_series=_split(exclude_series), base_year=base_year,
                significance_threshold=threshold, organization=name, note=note,
            )
        if changed:
            console.print(f"[green]Methodology version {result.version} recorded.[/]")
        else:
            console.print("[yellow]The methodology is already so; nothing changed.[/]")
        console.print(_methodology_table(result))

    @app.command("publish")
    def publish_command(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        reason: Annotated[Reason | None, typer.Option(
            help="Why a published year is restated (required when its content changed)."
        )] = None,
        note: NoteOption = "",
        accept_gaps: AcceptGapsOption = None,
    ) -> None:
        """Freeze a year's inventory as an immutable snapshot (restating needs a reason).

        A year with coverage gaps is refused unless --accept-gaps gives a reason.
        """
        with user_errors():
            result = publish(
                ready(), year, reason.value if reason else None, note,
                accept_gaps=accept_gaps,
            )
        _report_publish(console, result)

    @app.command("snapshots")
    def snapshots_command(
        year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List published snapshots: version, hash, reason, superseded by."""
        with user_errors():
            history = snapshot_history(ready(), year)
        _emit(console, format, [s.as_dict() for s in history], lambda: _snapshot_table(history))

    @app.command("restatements")
    def restatements_command(
        year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List restated figures: original beside revised, the difference and the reason."""
        with user_errors():
            rows = restatements(ready(), year)
        _emit(console, format, [r.as_dict() for r in rows], lambda: restatement_table(rows))

    @base_year_app.command("check")
    def base_year_check(format: FormatOption = Format.table) -> None:
        """Compare the published base year with the current ledger; apply the threshold."""
        with user_errors():
            check = check_base_year(ready())
        _emit(console, format, check.as_dict(), lambda: base_year_table(check))
        if format is Format.table:
            console.print(check.verdict, highlight=False)

    @base_year_app.command("recalculate")
    def base_year_recalculate(
        reason: Annotated[Reason, typer.Option(help="Why the base year is restated.")],
        note: Annotated[str, typer.Option(help="What changed, kept with the restatement.")],
        keep_methodology: Annotated[bool, typer.Option(
            help="Keep the published base year's methodology (restate a structural change"
                 " or error on its own before a methodology change)."
        )] = False,
        accept_gaps: AcceptGapsOption = None,
    ) -> None:
        """Publish a new version of the base year, with restatements."""
        with user_errors():
            result = recalculate_base_year(ready(), reason.value, note,
                                           published_methodology=keep_methodology,
                                           accept_gaps=accept_gaps)
        _report_publish(console, result)

    @boundary_app.command("set")
    def boundary_set(
        facility: Annotated[str, typer.Option(help="Facility code.")],
        year: Annotated[int, typer.Option(help="Reporting year.")],
        inside: Annotated[bool, typer.Option(
            "--in/--out", help="Put the facility in or out of the year's boundary."
        )],
        note: Annotated[str, typer.Option(help="Why, e.g. 'acquired 2021; base year restated'.")],
    ) -> None:
        """Put a facility in or out of one year's boundary (a structural change), audited."""
        with user_errors():
            change = set_boundary(ready(), facility, year, inside, note)
        console.print(change.message, style="green" if change.changed else "yellow",
                      highlight=False)


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


def _emit(console: Console, format: Format, data: Any, table: Any) -> None:
    if format is Format.json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        console.print(table())


def _report_publish(console: Console, result: PublishResult) -> None:
    console.print(result.message, style="green" if result.created else "yellow",
                  highlight=False)
    for line in result.changes:
        console.print(f"  - {line}", highlight=False)
    if result.restated:
        console.print(restatement_table(result.restated))


def _methodology_table(methodology: Methodology) -> Table:
    table = Table(title="Methodology" + (
        f" version {methodology.version}" if methodology.version else " (Settings defaults)"
    ))
    table.add_column("Setting")
    table.add_column("Value")
    for key, value in methodology.as_dict().items():
        shown = ", ".join(value) if isinstance(value, list) else value
        table.add_row(key, "" if shown is None else str(shown))
    return table


def _snapshot_table(history: list) -> Table:
    table = Table(title="Published snapshots")
    for column in ("Year", "Version", "Content hash", "Published", "By", "Reason",
                   "Superseded by"):
        table.add_column(column)
    for s in history:
        table.add_row(
            str(s.year), str(s.version), s.content_hash[:12],
            f"{s.published_at:%Y-%m-%d %H:%M}", s.published_by, s.reason or "",
            "" if s.superseded_by is None else f"snapshot {s.superseded_by}",
        )
    return table
