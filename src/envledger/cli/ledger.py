"""CLI: the ledger itself: version, init, import templates and the core import kinds."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from envledger import __version__
from envledger.cli._common import (
    MaxFileMb,
    MaxRows,
    MaxUnzippedMb,
    activity_progress,
    console,
    import_group,
    import_limits,
    ready,
    report_import,
    user_errors,
)
from envledger.errors import EnvledgerError
from envledger.io.templates import write_template
from envledger.services.ledger import importing
from envledger.services.ledger.database import printable_url


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

    @import_app.command("facilities")
    def import_facilities(
        file: Path, max_file_mb: MaxFileMb = None, max_rows: MaxRows = None,
        max_unzipped_mb: MaxUnzippedMb = None,
    ) -> None:
        """Import facilities and their yearly attributes (floor area, headcount, boundary)."""
        with user_errors():
            settings = ready()
            limits = import_limits(settings, max_file_mb, max_rows, max_unzipped_mb)
            report_import(importing.import_facilities(settings.database_url, file, limits=limits))

    @import_app.command("factors")
    def import_factors(
        file: Path, max_file_mb: MaxFileMb = None, max_rows: MaxRows = None,
        max_unzipped_mb: MaxUnzippedMb = None,
    ) -> None:
        """Import the company's own emission factors (measured, supplier-specific, local)."""
        with user_errors():
            settings = ready()
            limits = import_limits(settings, max_file_mb, max_rows, max_unzipped_mb)
            report_import(importing.import_factors(settings.database_url, file, limits=limits))

    @import_app.command("activities")
    def import_activities(
        file: Path, max_file_mb: MaxFileMb = None, max_rows: MaxRows = None,
        max_unzipped_mb: MaxUnzippedMb = None,
    ) -> None:
        """Import activity rows: meter readings, invoices, estimates."""
        with user_errors():
            settings = ready()
            with activity_progress() as advance:
                result = importing.import_activities(
                    settings.database_url, file, progress=advance,
                    limits=import_limits(settings, max_file_mb, max_rows, max_unzipped_mb),
                )
            report_import(result)

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
