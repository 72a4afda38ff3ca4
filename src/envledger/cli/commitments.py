"""CLI: environmental targets and their progress, and the reduction-measures register."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from envledger.cli._common import (
    Format,
    FormatOption,
    add_import_command,
    console,
    import_group,
    ready,
    user_errors,
)
from envledger.cli.render import ROUNDING_NOTE, figure
from envledger.services.commitments.measures import (
    UNITS,
    import_measures,
    list_measures,
    savings_by_category,
)
from envledger.services.commitments.targets import add_target, import_targets, target_progress
from envledger.services.inventory.calculate import calculate, reporting_years


def register(app: typer.Typer) -> None:
    """Add `targets`, `targets add`, `measures` and `import targets|measures` to the app."""

    import_app = import_group(app)
    targets_app = typer.Typer(
        help="Environmental targets and their progress (`targets add` adds one).",
        invoke_without_command=True,
    )
    app.add_typer(targets_app, name="targets")

    add_import_command(
        import_app, "targets", "Import environmental targets (reduction, cap or qualitative).",
        lambda settings, file, limits: import_targets(settings.database_url, file, limits=limits),
    )
    add_import_command(
        import_app, "measures", "Import reduction measures and their estimated savings.",
        lambda settings, file, limits: import_measures(
            settings.database_url, file, limits=limits),
    )

    @targets_app.callback()
    def targets(ctx: typer.Context, format: FormatOption = Format.table) -> None:
        """Show every target with its progress by the latest inventory year."""
        if ctx.invoked_subcommand is not None:
            return
        with user_errors():
            settings = ready()
            payloads = {year: calculate(settings, year).to_dict()
                        for year in reporting_years(settings)}
            rows = [status.to_dict() for status in target_progress(settings, payloads)]
        if format is Format.json:
            sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        else:
            console.print(_targets_table(rows))

    @targets_app.command("add")
    def add(
        name: Annotated[str, typer.Option(help="Unique name of the target.")],
        kind: Annotated[str, typer.Option(help="reduction, cap or qualitative.")] = "",
        metric: Annotated[str, typer.Option(
            help="energy, ghg, water, waste_hazardous or waste_non_hazardous.")] = "",
        basis: Annotated[str, typer.Option(
            help="absolute, per_capita or per_floor_area.")] = "",
        scope: Annotated[str, typer.Option(help="company or group.")] = "",
        group: Annotated[str, typer.Option(help="Facility group of a group target.")] = "",
        base_year: Annotated[str, typer.Option(help="Base year.")] = "",
        target_year: Annotated[str, typer.Option(help="Target year.")] = "",
        set_in_year: Annotated[str, typer.Option(help="Year the target was set.")] = "",
        reduction_pct: Annotated[str, typer.Option(help="Reduction [%], e.g. 15.")] = "",
        description: Annotated[str, typer.Option(help="Text of the target.")] = "",
    ) -> None:
        """Add one target (checked like a row of a targets file)."""
        fields = {
            "name": name, "kind": kind, "metric": metric, "basis": basis, "scope": scope,
            "group": group, "base_year": base_year, "target_year": target_year,
            "set_in_year": set_in_year, "reduction_pct": reduction_pct,
            "description": description,
        }
        with user_errors():
            console.print(add_target(ready().database_url, fields), highlight=False)

    @app.command("measures")
    def measures(
        year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """List reduction measures with their estimated savings, and totals by category."""
        with user_errors():
            rows = list_measures(ready().database_url, year)
        totals = savings_by_category(rows)
        if format is Format.json:
            document = {"measures": rows, "totals_by_category": totals, "units": UNITS}
            sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            return
        console.print(_measures_table(rows))
        console.print(_totals_table(totals))


def _q(node: dict[str, Any] | None, digits: int = 2) -> str:
    return "" if node is None else f"{figure(node, digits)} {node['unit']}"


def _targets_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Environmental targets", caption=ROUNDING_NOTE)
    for column in ("Target", "Scope", "Base", "Target value", "Latest", "Path value",
                   "Change", "Status"):
        table.add_column(column)
    for r in rows:
        if r["kind"] == "qualitative":
            table.add_row(r["name"], r["group"] or r["scope"], "", "", "", "", "",
                          r["description"])
            continue
        base = f"{r['base_year']}: {_q(r['base_value'], 4)}" if r["base_value"] else ""
        latest = f"{r['latest_year']}: {_q(r['latest_value'], 4)}" if r["latest_year"] else ""
        goal = f"{r['target_year']}: {_q(r['target_value'], 4)}" if r["target_value"] else ""
        table.add_row(r["name"], r["group"] or r["scope"], base, goal, latest,
                      _q(r["path_value"], 4), _q(r["change_pct"], 1), r["status"])
    return table


def _measures_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Reduction measures", caption=ROUNDING_NOTE)
    for column in ("Year", "Category", "Measure", "Facility", "tCO2e", "MWh", "Water [t]"):
        table.add_column(column, justify="right" if column[0] in "tMW" else "left")
    for r in rows:
        table.add_row(str(r["year"]), r["category"], r["name"], r["facility_code"] or "company",
                      *(_number(r[name]) for name in UNITS))
    return table


def _totals_table(totals: list[dict[str, Any]]) -> Table:
    table = Table(title="Estimated savings by year and category", caption=ROUNDING_NOTE)
    for column in ("Year", "Category", "Measures", "tCO2e", "MWh", "Water [t]"):
        table.add_column(column, justify="left" if column in ("Year", "Category") else "right")
    for r in totals:
        table.add_row(str(r["year"]), r["category"], str(r["measures"]),
                      *(_number(r[name]) for name in UNITS))
    return table


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"
