"""The `envledger` command line: parse, call a service, render. No methodology here."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from envledger import __version__
from envledger.demo.generate import DEMO_SEED
from envledger.errors import EnvledgerError
from envledger.io.templates import write_template
from envledger.services import importing
from envledger.services.inventory import calculate, explain, prepare_ledger
from envledger.settings import Settings, get_settings

app = typer.Typer(
    help="envledger: corporate GHG inventory, energy, water and waste ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import activity data, facilities or factors (CSV or XLSX).")
app.add_typer(import_app, name="import")
console = Console()
errors = Console(stderr=True)

PROGRESS_THRESHOLD = 2_000  # rows; smaller imports finish before a bar would be useful


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class TemplateKind(StrEnum):
    facilities = "facilities"
    activities = "activities"
    factors = "factors"
    targets = "targets"
    measures = "measures"
    instruments = "instruments"


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn envledger's own errors into a readable message and exit status 1."""
    try:
        yield
    except EnvledgerError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(1) from None


def _ready() -> Settings:
    settings = get_settings()
    prepare_ledger(settings.database_url)
    return settings


@app.command()
def version() -> None:
    """Print the envledger version."""
    console.print(__version__)


@app.command()
def init() -> None:
    """Create or upgrade the ledger and load the built-in reference library."""
    with _user_errors():
        settings = _ready()
    console.print(f"Ledger ready at {settings.database_url}")


def _report(result: importing.ImportResult) -> None:
    style = "yellow" if result.already_imported else "green"
    console.print(f"[{style}]{result.message}[/]", highlight=False)


@import_app.command("facilities")
def import_facilities(file: Path) -> None:
    """Import facilities and their yearly attributes (floor area, headcount, boundary)."""
    with _user_errors():
        settings = _ready()
        _report(importing.import_facilities(settings.database_url, file))


@import_app.command("factors")
def import_factors(file: Path) -> None:
    """Import the company's own emission factors (measured, supplier-specific, local)."""
    with _user_errors():
        settings = _ready()
        _report(importing.import_factors(settings.database_url, file))


@import_app.command("activities")
def import_activities(file: Path) -> None:
    """Import activity rows: meter readings, invoices, estimates."""
    with _user_errors():
        settings = _ready()
        _report(_import_activities_with_progress(settings, file))


@contextmanager
def _activity_progress() -> Iterator[Callable[[int, int], None]]:
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


def _import_activities_with_progress(settings: Settings, file: Path) -> importing.ImportResult:
    with _activity_progress() as advance:
        return importing.import_activities(settings.database_url, file, progress=advance)


@app.command()
def template(
    kind: TemplateKind,
    out: Annotated[Path | None, typer.Option(help="File to write (.csv or .xlsx).")] = None,
) -> None:
    """Write an import template with example rows (CSV or XLSX by the file extension)."""
    path = out or Path(f"{kind.value}-template.csv")
    with _user_errors():
        if path.exists():
            raise EnvledgerError(f"{path} exists; choose another --out (nothing overwritten)")
        write_template(kind.value, path)
    console.print(f"Wrote {path}")


GwpOption = Annotated[str | None, typer.Option("--gwp", help="GWP set: AR4, AR5 or AR6.")]


@app.command()
def inventory(
    year: Annotated[int, typer.Option(help="Reporting year.")],
    gwp: GwpOption = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
) -> None:
    """Compute the GHG, energy, water and waste inventory of one year."""
    with _user_errors():
        result = calculate(_ready(), year, gwp)
    payload = result.to_dict()
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif format is OutputFormat.csv:
        _write_long_csv(payload)
    else:
        from envledger.render import render_inventory

        render_inventory(console, payload)


def _write_long_csv(payload: dict) -> None:
    from envledger.render import long_rows

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["year", "level", "name", "metric", "value", "unit"])
    writer.writerows(long_rows(payload))


@app.command(name="explain")
def explain_command(
    year: Annotated[int, typer.Option(help="Reporting year.")],
    facility: Annotated[str, typer.Option(help="Facility code.")],
    gwp: GwpOption = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
) -> None:
    """Show how each figure of a facility was computed: records, factor, conversion, GWP."""
    with _user_errors():
        table = explain(_ready(), year, facility, gwp)
    rows = table.to_pylist()
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2, default=str, ensure_ascii=False) + "\n")
    elif format is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=table.column_names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from envledger.render import render_explanation

        render_explanation(console, facility, year, table)


@app.command()
def demo(
    data_dir: Annotated[
        Path, typer.Option(help="Where the demo company's CSV files are written.")
    ] = Path("demo-data"),
    seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = DEMO_SEED,
) -> None:
    """Load the fictional demo company, publish and restate its years, print the figures."""
    from envledger.commands.publishing import print_demo_story
    from envledger.services.demo import load_demo_company

    with _user_errors():
        settings = _ready()
        with _activity_progress() as advance:
            loaded = load_demo_company(settings, data_dir, seed, progress=advance)
        for result in loaded.imports:
            _report(result)
        print_demo_story(console, settings, loaded.story, loaded.files.organization)
    console.print(
        "Explore: [bold]envledger inventory --year 2023[/], "
        "[bold]envledger explain --year 2023 --facility BJ-HQ[/]"
    )



TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", help="Disclosure template (YAML); default follows DISCLOSURE.md."),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    template: TemplateOption = None,
) -> None:
    """Serve the disclosure site and its JSON API (http://HOST:PORT, /api/v1/, /docs)."""
    from envledger.web import serve as run_server

    with _user_errors():
        settings = _ready()
        console.print(f"Disclosure site on http://{host}:{port}/ (Ctrl+C to stop)")
        run_server(settings, host=host, port=port, template_path=template)


@app.command("build-site")
def build_site_command(
    out: Annotated[Path, typer.Option(help="Folder for the static site.")] = Path("site"),
    template: TemplateOption = None,
) -> None:
    """Build the disclosure site as static files (any static host, or file://)."""
    from envledger.web import build_site

    with _user_errors():
        if out.exists() and any(out.iterdir()) and not (out / "api" / "v1").is_dir():
            raise EnvledgerError(
                f"{out} is not empty and holds no earlier envledger site; choose another --out"
            )
        index = build_site(_ready(), out, template_path=template)
    console.print(f"Wrote {index} (open it in a browser, or publish the folder)")


# Command groups that live in their own modules register themselves here.
from envledger.commands import publishing as _publishing  # noqa: E402

_publishing.register(app)
from envledger.commands import instruments as _instruments  # noqa: E402
from envledger.commands import targets as _targets  # noqa: E402

_targets.register(app)
_instruments.register(app)
from envledger.commands import governance as _governance  # noqa: E402

_governance.register(app)
from envledger.commands import accounts as _accounts  # noqa: E402

_accounts.register(app)
from envledger.commands import review as _review  # noqa: E402

_review.register(app)
