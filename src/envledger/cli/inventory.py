"""CLI: the inventory of a year, and how each figure of a facility was computed."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer

from envledger.cli._common import OutputFormat, console, ready, user_errors
from envledger.cli.render import (
    long_rows,
    render_explanation,
    render_inventory,
    render_quality,
)
from envledger.io.cells import escape_formula
from envledger.services.inventory.calculate import calculate, explain

GwpOption = Annotated[str | None, typer.Option("--gwp", help="GWP set: AR4, AR5 or AR6.")]
OutputFormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def register(app: typer.Typer) -> None:
    """Add `inventory` and `explain` to the app."""

    @app.command()
    def inventory(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        gwp: GwpOption = None,
        format: OutputFormatOption = OutputFormat.table,
    ) -> None:
        """Compute the GHG, energy, water and waste inventory of one year."""
        with user_errors():
            result = calculate(ready(), year, gwp)
        payload = result.to_dict()
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        elif format is OutputFormat.csv:
            _write_long_csv(payload)
        else:
            render_inventory(console, payload)

    @app.command(name="explain")
    def explain_command(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        facility: Annotated[str, typer.Option(help="Facility code.")],
        gwp: GwpOption = None,
        format: OutputFormatOption = OutputFormat.table,
    ) -> None:
        """Show how each figure of a facility was computed: records, factor, conversion, GWP."""
        with user_errors():
            table = explain(ready(), year, facility, gwp)
        rows = table.to_pylist()
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps(rows, indent=2, default=str, ensure_ascii=False) + "\n")
        elif format is OutputFormat.csv:
            writer = csv.DictWriter(sys.stdout, fieldnames=table.column_names,
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
        else:
            render_explanation(console, facility, year, table)
            with user_errors():
                quality = calculate(ready(), year, gwp).quality.to_pylist()
            render_quality(console, facility, year, [
                r for r in quality if r["level"] == "facility" and r["name"] == facility
            ])


def _write_long_csv(payload: dict[str, Any]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["year", "level", "name", "metric", "value", "unit"])
    writer.writerows([_cell(value) for value in row] for row in long_rows(payload))


def _cell(value: Any) -> Any:
    """A CSV cell: texts a spreadsheet would run as formulas get a leading ' (io.cells)."""
    return escape_formula(value) if isinstance(value, str) else value
