"""CLI: contractual instruments for market-based Scope 2 (import, applied and excluded)."""

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
from envledger.services.commitments.instruments import import_instruments, instrument_report


def register(app: typer.Typer) -> None:
    """Add `instruments` and `import instruments` to the `envledger` app."""

    import_app = import_group(app)

    add_import_command(
        import_app, "instruments",
        "Import contractual instruments (GEC, I-REC, REC, GO, PPA, green tariff, supplier).",
        lambda settings, file, limits: import_instruments(
            settings.database_url, file, limits=limits),
    )

    @app.command("instruments")
    def instruments(
        year: Annotated[int, typer.Option(help="Reporting year.")],
        format: FormatOption = Format.table,
    ) -> None:
        """Market-based Scope 2 of a year: instruments applied and excluded, with reasons."""
        with user_errors():
            report = instrument_report(ready(), year)
        if format is Format.json:
            sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            return
        for table in _tables(report):
            console.print(table)


def _tables(report: dict[str, Any]) -> list[Table]:
    year = report["year"]
    scope2 = Table(title=f"Scope 2 {year}", caption=ROUNDING_NOTE)
    for column in ("Method", "Basis", "Activity", "Factor", "MWh", "tCO2e"):
        scope2.add_column(column, justify="right" if column in ("MWh", "tCO2e") else "left")
    for row in report["scope2"]:
        scope2.add_row(row["method"], "total", "", "", "", figure(row["emissions"]))
    for row in report["scope2_market_basis"]:
        scope2.add_row("market", row["basis"], row["activity"], row["factor_id"] or "",
                       figure(row["consumption"]), figure(row["emissions"]))
    applied = Table(title=f"Instruments applied in {year}")
    for column in ("Instrument", "Type", "Facility", "Market", "Vintage", "MWh", "tCO2e/MWh"):
        applied.add_column(column)
    for r in report["instruments"]["applied"]:
        applied.add_row(r["instrument_id"], r["type"], r["facility"] or "company",
                        r["market"], str(r["vintage"]), figure(r["volume"]),
                        figure(r["emission_rate"], 4))
    excluded = Table(title=f"Instruments excluded in {year} (not counted)")
    for column in ("Instrument", "Type", "MWh", "Reason"):
        excluded.add_column(column, overflow="fold")
    for r in report["instruments"]["excluded"]:
        excluded.add_row(r["instrument_id"], r["type"], figure(r["volume"]), r["reason"])
    return [scope2, applied, excluded]
