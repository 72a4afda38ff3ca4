"""The `envledger` command line assembled from its command groups; nothing else lives here."""

from __future__ import annotations

import typer

from envledger.cli import (
    accounts,
    checks,
    commitments,
    coverage,
    demo,
    estimate,
    governance,
    instruments,
    inventory,
    ledger,
    publication,
    review,
    site,
)

app = typer.Typer(
    help="envledger: corporate GHG inventory, energy, water and waste ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(
    typer.Typer(help="Import activity data, facilities or factors (CSV or XLSX)."), name="import"
)
# Order is the order of `envledger --help`.
for group in (ledger, inventory, coverage, checks, demo, site, publication, commitments,
              instruments, governance, accounts, review, estimate):
    group.register(app)
