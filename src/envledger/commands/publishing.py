"""CLI: methodology, publish, snapshots, restatements, base-year and boundary commands."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from envledger.methods.base_year import RECALCULATION_TRIGGERS
from envledger.services.base_year import BaseYearCheck, check_base_year, recalculate_base_year
from envledger.services.boundary import set_boundary
from envledger.services.demo_story import DemoStory
from envledger.services.methodology import Methodology, current_methodology, set_methodology
from envledger.services.publishing import (
    PublishResult,
    RestatedFigure,
    publish,
    published_payload,
    published_years,
    restatements,
    snapshot_history,
)
from envledger.settings import Settings


class Format(StrEnum):
    table = "table"
    json = "json"


Reason = StrEnum("Reason", {code: code for code in RECALCULATION_TRIGGERS})  # type: ignore[misc]


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
NoteOption = Annotated[str, typer.Option(help="Free text kept with the record.")]


def register(app: typer.Typer) -> None:
    """Add the publication commands and groups to the `envledger` app."""
    from envledger.cli import _ready, _user_errors, console

    methodology_app = typer.Typer(help="The methodology held in the ledger (GWP, factor series).")
    base_year_app = typer.Typer(help="Base-year recalculation policy (GHG Protocol ch. 5).")
    boundary_app = typer.Typer(help="Change a facility's boundary in one year (audited).")
    app.add_typer(methodology_app, name="methodology")
    app.add_typer(base_year_app, name="base-year")
    app.add_typer(boundary_app, name="boundary")

    @methodology_app.command("show")
    def methodology_show(format: FormatOption = Format.table) -> None:
        """Show the current methodology (Settings defaults until one is set)."""
        with _user_errors():
            current = current_methodology(_ready())
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
        with _user_errors():
            result, changed = set_methodology(
                _ready(), gwp_set=gwp, series_priority=_split(series_priority),
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
    ) -> None:
        """Freeze a year's inventory as an immutable snapshot (restating needs a reason)."""
        with _user_errors():
            result = publish(_ready(), year, reason.value if reason else None, note)
        _report_publish(console, result)

    @app.command("snapshots")
    def snapshots_command(
        year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List published snapshots: version, hash, reason, superseded by."""
        with _user_errors():
            history = snapshot_history(_ready(), year)
        _emit(console, format, [s.as_dict() for s in history], lambda: _snapshot_table(history))

    @app.command("restatements")
    def restatements_command(
        year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List restated figures: original beside revised, the difference and the reason."""
        with _user_errors():
            rows = restatements(_ready(), year)
        _emit(console, format, [r.as_dict() for r in rows], lambda: restatement_table(rows))

    @base_year_app.command("check")
    def base_year_check(format: FormatOption = Format.table) -> None:
        """Compare the published base year with the current ledger; apply the threshold."""
        with _user_errors():
            check = check_base_year(_ready())
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
    ) -> None:
        """Publish a new version of the base year, with restatements."""
        with _user_errors():
            result = recalculate_base_year(_ready(), reason.value, note,
                                           published_methodology=keep_methodology)
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
        with _user_errors():
            change = set_boundary(_ready(), facility, year, inside, note)
        console.print(change.message, style="green" if change.changed else "yellow",
                      highlight=False)


def print_demo_story(
    console: Console, settings: Settings, story: DemoStory, organization: str
) -> None:
    """The demo's publication steps, base-year check, published headline figures and
    restated GHG figures."""
    from envledger.render import headline_table

    for step in story.steps:
        if isinstance(step, BaseYearCheck):
            console.print(base_year_table(step))
            console.print(step.verdict, highlight=False)
        else:
            console.print(step, highlight=False)
    payloads = [published_payload(settings, year) for year in published_years(settings)]
    console.print(headline_table(payloads, title=f"{organization} — headline figures as published"))
    restated = [r for r in restatements(settings) if r.figure == "emissions.total"]
    if restated:
        console.print(_summary_table(restated))


def _summary_table(rows: list[RestatedFigure]) -> Table:
    table = Table(
        title="Restated total GHG emissions (tCO2e)",
        caption="Every restated figure, with notes: envledger restatements",
    )
    table.add_column("Year")
    for column in ("Original", "Revised", "Difference"):
        table.add_column(column, justify="right")
    table.add_column("Reason")
    for r in rows:
        table.add_row(str(r.year), _number(r.original), _number(r.revised),
                      _number(r.difference, sign=True), r.reason)
    return table


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


def restatement_table(rows: list[RestatedFigure], title: str = "Restatements") -> Table:
    """Restated figures: year, figure, original, revised, difference [unit], reason, note."""
    table = Table(title=title, caption="Figures rounded for display.")
    for column in ("Year", "Figure", "Unit"):
        table.add_column(column)
    for column in ("Original", "Revised", "Difference"):
        table.add_column(column, justify="right")
    table.add_column("Reason")
    table.add_column("Note")
    for r in rows:
        table.add_row(str(r.year), r.figure, r.unit, _number(r.original), _number(r.revised),
                      _number(r.difference, sign=True), r.reason, r.note)
    return table


def base_year_table(check: BaseYearCheck) -> Table:
    """The effects of a base-year check by cause [tCO2e] and share of the base year."""
    table = Table(title=f"Base year {check.base_year}: what changed since publication")
    table.add_column("Cause")
    table.add_column("Effect (tCO2e)", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Details")
    for effect in check.effects:
        share = "n/a" if effect.share is None else f"{effect.share:+.2%}"
        table.add_row(effect.cause, _number(effect.t_co2e, sign=True), share,
                      "\n".join(effect.details))
    for line in check.not_triggers:
        table.add_row("not a trigger", "", "", line)
    return table


def _number(value: float | None, sign: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+,.2f}" if sign else f"{value:,.2f}"
