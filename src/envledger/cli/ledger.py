"""CLI: the ledger itself: version, init, import templates and the core import kinds."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from envledger import __version__
from envledger.cli._common import (
    activity_progress,
    add_import_command,
    console,
    import_group,
    ready,
    user_errors,
)
from envledger.errors import EnvledgerError
from envledger.io.limits import ReadLimits
from envledger.io.templates import write_template
from envledger.services.ledger import importing
from envledger.services.ledger.database import printable_url
from envledger.services.ledger.importing import ImportResult
from envledger.settings import Settings


class TemplateKind(StrEnum):
    facilities = "facilities"
    activities = "activities"
    factors = "factors"
    targets = "targets"
    measures = "measures"
    instruments = "instruments"


def register(app: typer.Typer) -> None:
    """Add `version`, `init`, `template` and `import facilities|factors|activities`."""
    import_app = import_group(app)

    @app.command()
    def version() -> None:
        """Print the envledger version."""
        console.print(__version__)

    @app.command()
    def init() -> None:
        """Create or upgrade the ledger and load the built-in reference library."""
        with user_errors():
            settings = ready(create=True)
        console.print(f"Ledger ready at {printable_url(settings.database_url)}")

    add_import_command(
        import_app, "facilities",
        "Import facilities and their yearly attributes (floor area, headcount, boundary).",
        lambda settings, file, limits: importing.import_facilities(
            settings.database_url, file, limits=limits),
    )
    add_import_command(
        import_app, "factors",
        "Import the company's own emission factors (measured, supplier-specific, local).",
        lambda settings, file, limits: importing.import_factors(
            settings.database_url, file, limits=limits),
    )
    add_import_command(
        import_app, "activities", "Import activity rows: meter readings, invoices, estimates.",
        _import_activities,
    )

    @app.command()
    def template(
        kind: TemplateKind,
        out: Annotated[Path | None, typer.Option(help="File to write (.csv or .xlsx).")] = None,
    ) -> None:
        """Write an import template with example rows (CSV or XLSX by the file extension)."""
        path = out or Path(f"{kind.value}-template.csv")
        with user_errors():
            if path.exists():
                raise EnvledgerError(f"{path} exists; choose another --out (nothing overwritten)")
            write_template(kind.value, path)
        console.print(f"Wrote {path}")


def _import_activities(settings: Settings, file: Path, limits: ReadLimits) -> ImportResult:
    with activity_progress() as advance:
        return importing.import_activities(
            settings.database_url, file, progress=advance, limits=limits
        )
