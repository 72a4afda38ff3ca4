"""What every command module shares: consoles, error handling, readiness, output formats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from envledger.errors import EnvledgerError
from envledger.io.limits import MB, ReadLimits
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import ImportResult
from envledger.settings import Settings, get_settings

console = Console()
errors = Console(stderr=True)

PROGRESS_THRESHOLD = 2_000  # rows; smaller imports finish before a bar would be useful


class OutputFormat(StrEnum):
    """Output of commands that print a table of figures."""

    table = "table"
    json = "json"
    csv = "csv"


class Format(StrEnum):
    """Output of commands that print a listing."""

    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
MaxFileMb = Annotated[float | None, typer.Option(
    "--max-file-mb", min=0, help="Largest file [MB]; default ENVLEDGER_MAX_IMPORT_MB (50).",
)]
MaxRows = Annotated[int | None, typer.Option(
    "--max-rows", min=1,
    help="Most rows below the header; default ENVLEDGER_MAX_IMPORT_ROWS (2,000,000).",
)]
MaxUnzippedMb = Annotated[float | None, typer.Option(
    "--max-unzipped-mb", min=0,
    help="Largest unzipped size of an XLSX [MB]; default ENVLEDGER_MAX_XLSX_UNZIPPED_MB (500).",
)]


def import_limits(
    settings: Settings, max_file_mb: float | None, max_rows: int | None,
    max_unzipped_mb: float | None,
) -> ReadLimits:
    """The settings' import limits with the command line's overrides."""
    limits = ReadLimits.from_settings(settings)
    return replace(
        limits,
        max_bytes=limits.max_bytes if max_file_mb is None else int(max_file_mb * MB),
        max_rows=max_rows or limits.max_rows,
        max_unzipped_bytes=(limits.max_unzipped_bytes if max_unzipped_mb is None
                            else int(max_unzipped_mb * MB)),
    )


Importer = Callable[[Settings, Path, ReadLimits], ImportResult]
"""Imports one file into the ledger of the settings, within the limits."""


def add_import_command(import_app: typer.Typer, kind: str, summary: str,
                       importer: Importer) -> None:
    """Add `envledger import KIND FILE` with the limit options, calling ``importer``."""

    def command(
        file: Path, max_file_mb: MaxFileMb = None, max_rows: MaxRows = None,
        max_unzipped_mb: MaxUnzippedMb = None,
    ) -> None:
        with user_errors():
            settings = ready()
            limits = import_limits(settings, max_file_mb, max_rows, max_unzipped_mb)
            report_import(importer(settings, file, limits))

    import_app.command(kind, help=summary)(command)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn envledger's own errors into a readable message and exit status 1."""
    try:
        yield
    except EnvledgerError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(1) from None


def ready(*, create: bool = False) -> Settings:
    """The settings, with the ledger upgraded and reference data loaded.

    Only ``create`` (init, demo) gives a database its ledger; any other command refuses
    a database without one, so a mistyped path is an error and not an empty ledger.
    """
    settings = get_settings()
    prepare_ledger(settings.database_url, create=create)
    return settings


def report_import(result: ImportResult) -> None:
    """One line on what an import did (yellow when the file was already imported)."""
    style = "yellow" if result.already_imported else "green"
    console.print(f"[{style}]{result.message}[/]", highlight=False)
    for warning in result.warnings:
        console.print(f"[yellow]warning: {warning}[/]", highlight=False)


def import_group(app: typer.Typer) -> typer.Typer:
    """The `envledger import` group that import commands of every module join."""
    return next(g.typer_instance for g in app.registered_groups if g.name == "import")


@contextmanager
def activity_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr that shows itself once an import is large enough."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("Importing activities", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, visible=total >= PROGRESS_THRESHOLD)

        yield advance
