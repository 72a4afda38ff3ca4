"""CLI: plausibility checks of a year (anomaly flags) and dismissing a flag."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer

from envledger.cli._common import OutputFormat, console, ready, user_errors
from envledger.io.cells import escape_formula
from envledger.services.inventory.checks import dismiss, year_flags

_CSV_COLUMNS = ("key", "rule", "facility_code", "activity", "variant", "gas", "period_start",
                "period_end", "value", "unit", "expected_low", "expected_high", "reference",
                "cause", "detail", "dismissed", "dismissed_by", "dismissed_at", "comment")


def register(app: typer.Typer) -> None:
    """Add the `check` group (the flags of a year; `check dismiss`) to the app."""
    group = typer.Typer(
        help="Plausibility checks: anomaly flags of a year, and dismissing one.",
        invoke_without_command=True, no_args_is_help=False,
    )

    @group.callback()
    def check(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help="Reporting year.")] = None,
        format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
        = OutputFormat.table,
        fail_on_flags: Annotated[bool, typer.Option(
            "--fail-on-flags",
            help="Exit with status 3 when a flag is not dismissed (for CI); default 0.",
        )] = False,
    ) -> None:
        """List the anomaly flags of a year (docs/data-quality.md, "Plausibility checks").

        Exit status 0 even with flags: a flag asks for a look, it is not an error.
        With --fail-on-flags, 3 when any flag is not dismissed.
        """
        if ctx.invoked_subcommand is not None:
            return
        if year is None:
            raise typer.BadParameter("give --year", param_hint="--year")
        with user_errors():
            flags = year_flags(ready().database_url, year)
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps({"year": year, "flags": flags}, indent=2,
                                        ensure_ascii=False) + "\n")
        elif format is OutputFormat.csv:
            writer = csv.DictWriter(sys.stdout, fieldnames=_CSV_COLUMNS, lineterminator="\n",
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: escape_formula(v) if isinstance(v, str) else v
                              for k, v in flag.items()} for flag in flags)
        else:
            _render(year, flags)
        if fail_on_flags and any(not flag["dismissed"] for flag in flags):
            raise typer.Exit(3)

    @group.command("dismiss")
    def dismiss_command(
        key: Annotated[str, typer.Argument(help="The flag's key (as `check` lists it).")],
        comment: Annotated[str, typer.Option(help="Why the flag is not a problem (audited).")],
        actor: Annotated[str, typer.Option(help="Who dismisses (recorded in the audit trail).")]
        = "cli",
    ) -> None:
        """Dismiss a flag with a comment; it stays listed as dismissed (who, when, why)."""
        with user_errors():
            flag = dismiss(ready().database_url, key, actor, comment)
        console.print(f"Flag {flag['key']} dismissed by {flag['dismissed_by']}.",
                      highlight=False)

    app.add_typer(group, name="check")


def _render(year: int, flags: list[dict[str, Any]]) -> None:
    """One block per flag: what, where, value against the expected range, cause, key."""
    if not flags:
        console.print(f"No plausibility flags in {year}.")
        return
    live = sum(not flag["dismissed"] for flag in flags)
    console.print(f"[bold]Plausibility flags, {year}[/]: {live} open,"
                  f" {len(flags) - live} dismissed (values rounded for display)")
    for flag in flags:
        activity = "/".join(p for p in (flag["activity"], flag["variant"], flag["gas"]) if p)
        expected = ("" if flag["expected_low"] is None else
                    f", expected {flag['expected_low']:,.6g} to {flag['expected_high']:,.6g}")
        state = (f"[dim]dismissed by {flag['dismissed_by']} at {flag['dismissed_at'][:16]}"
                 f" UTC: {flag['comment']}[/]" if flag["dismissed"] else "[yellow]open[/]")
        console.print(
            f"\n{flag['facility_code']} {activity} {flag['period_start']}..{flag['period_end']}"
            f" ({flag['rule']}) {state}\n"
            f"  value {flag['value']:,.6g} {flag['unit']}{expected}\n"
            f"  likely cause: {flag['cause']}\n  {flag['detail']}\n  key: {flag['key']}",
            highlight=False, markup=True,
        )
