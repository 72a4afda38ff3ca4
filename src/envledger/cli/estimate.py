"""CLI: `envledger estimate`: fill missing months by a documented method, for review."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from envledger.cli._common import Format, FormatOption, console, ready, user_errors
from envledger.services.ledger.estimation import EstimatePlan, plan_estimate, submit_estimate
from envledger.services.ledger.estimation_plan import EstimateRequest


class Method(StrEnum):
    previous_year = "previous_year"
    covered_average = "covered_average"
    group_intensity = "group_intensity"


class Driver(StrEnum):
    floor_area = "floor_area"
    headcount = "headcount"


def register(app: typer.Typer) -> None:
    """Add `estimate` to the app."""

    @app.command()
    def estimate(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        facility: Annotated[str, typer.Option(help="Facility code.")],
        activity: Annotated[str, typer.Option(help="Activity, e.g. electricity.")],
        method: Annotated[Method, typer.Option(help=(
            "previous_year: same months of the year before x driver ratio; covered_average:"
            " average per day of the covered months x days; group_intensity: the group's"
            " quantity per m2 and day x the facility's floor area."))],
        months: Annotated[str | None, typer.Option(help=(
            "Months to estimate, e.g. 2024-05,2024-06; default: every month of the year"
            " with no data for the facility and activity."))] = None,
        variant: Annotated[str, typer.Option(help="Treatment or disposal route.")] = "",
        by: Annotated[Driver, typer.Option(help="Driver of previous_year.")] = Driver.floor_area,
        group: Annotated[str | None, typer.Option(
            help="Group of group_intensity, when the facility is in several.")] = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="Print the rows and their arithmetic; submit nothing.")] = False,
        actor: Annotated[str, typer.Option(help="Who submits (recorded and audited).")] = "cli",
        format: FormatOption = Format.table,
    ) -> None:
        """Estimate missing months and submit them for review (data_source=estimated)."""
        request = EstimateRequest(
            year, facility, activity, method.value,
            tuple(m.strip() for m in months.split(",") if m.strip()) if months else (),
            variant, by.value, group,
        )
        with user_errors():
            url = ready().database_url
            plan = plan_estimate(url, request)
            result = None if dry_run else submit_estimate(url, request, actor)
        if format is Format.json:
            payload = {**plan.as_dict(), "dry_run": dry_run,
                       "batch_id": result.batch_id if result else None}
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
            return
        _show(plan)
        if result is None:
            console.print("[yellow]Dry run: nothing was submitted.[/]")
        else:
            style = "yellow" if result.already_imported else "green"
            console.print(f"[{style}]{result.message}[/]", highlight=False)


def _show(plan: EstimatePlan) -> None:
    r = plan.request
    table = Table("Month", "Period", f"Quantity [{plan.unit}]", "Arithmetic",
                  title=(f"{r.method}: {r.facility} {r.activity} {r.year}, "
                         f"{len(plan.months)} months, {plan.quantity:,.6g} {plan.unit}"))
    for month in plan.months:
        table.add_row(month.month, f"{month.period_start}..{month.period_end}",
                      f"{month.quantity:,.6g}", month.arithmetic)
    console.print(table)
