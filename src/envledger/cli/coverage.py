"""CLI: `envledger coverage`: which facility-activity-months of a year hold data."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from envledger.cli._common import OutputFormat, console, ready, user_errors
from envledger.engine.coverage import MONTHS, Coverage, coverage_to_dict, gap_lines
from envledger.services.inventory.coverage import year_coverage


def register(app: typer.Typer) -> None:
    """Add `coverage`."""

    @app.command("coverage")
    def coverage_command(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
            OutputFormat.table
        ),
    ) -> None:
        """Facility x activity x month coverage of a year, the share covered and the gaps."""
        with user_errors():
            coverage = year_coverage(ready(), year)
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps(coverage_to_dict(coverage), indent=2) + "\n")
        elif format is OutputFormat.csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(["year", "facility", "activity", "month", "expected_days",
                             "covered_days", "covered_share"])
            writer.writerows(
                [year, r["facility_code"], r["activity"], r["month"], r["expected_days"],
                 r["covered_days"], r["covered_share"]]
                for r in coverage.matrix.to_pylist()
            )
        else:
            _render(coverage)


def _render(coverage: Coverage) -> None:
    """The matrix as a table (one row per facility-activity, % of each month covered)."""
    table = Table(title=f"Coverage {coverage.year}")
    for name in ("facility", "activity", *MONTHS):
        table.add_column(name, justify="left" if name in ("facility", "activity") else "right")
    rows: dict[tuple[str, str], list[str]] = {}
    for r in coverage.matrix.to_pylist():
        share = r["covered_share"]
        cell = "·" if share is None else f"{share:.0%}"
        rows.setdefault((r["facility_code"], r["activity"]), []).append(
            cell if share is None or share == 1 else f"[red]{cell}[/]"
        )
    for (facility, activity), cells in rows.items():
        table.add_row(facility, activity, *cells)
    console.print(table)
    share = coverage.share_covered
    console.print(
        "Share covered: " + ("nothing expected" if share is None else f"{share:.1%}")
        + f" ({coverage.covered_days:,} of {coverage.expected_days:,} facility-activity-days;"
        " · = outside a part-year facility's boundary)"
    )
    lines = gap_lines(coverage)
    if lines:
        console.print(
            f"[red]{len(lines)} gaps[/] ({coverage.gap_months} facility-activity-months):"
        )
        for line in lines:
            console.print(f"  - {line}")
    else:
        console.print("[green]No gaps.[/]")
