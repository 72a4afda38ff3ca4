"""CLI: the demo company, loaded, published and restated, with the story it tells."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from envledger.cli._common import activity_progress, console, ready, report_import, user_errors
from envledger.cli.render import base_year_table, headline_table, restated_totals_table
from envledger.demo.generate import DEMO_SEED
from envledger.services.demo.load import load_demo_company
from envledger.services.demo.story import DemoStory
from envledger.services.publication.base_year import BaseYearCheck
from envledger.services.publication.publishing import (
    published_payload,
    published_years,
    restatements,
)
from envledger.settings import Settings


def register(app: typer.Typer) -> None:
    """Add `demo` to the app."""

    @app.command()
    def demo(
        data_dir: Annotated[
            Path, typer.Option(help="Where the demo company's CSV files are written.")
        ] = Path("demo-data"),
        seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = DEMO_SEED,
    ) -> None:
        """Load the fictional demo company, publish and restate its years, print the figures."""
        with user_errors():
            settings = ready(create=True)
            with activity_progress() as advance:
                loaded = load_demo_company(settings, data_dir, seed, progress=advance)
            for result in loaded.imports:
                report_import(result)
            print_demo_story(console, settings, loaded.story, loaded.files.organization)
        console.print(
            "Explore: [bold]envledger inventory --year 2023[/], "
            "[bold]envledger explain --year 2023 --facility BJ-HQ[/]"
        )


def print_demo_story(
    console: Console, settings: Settings, story: DemoStory, organization: str
) -> None:
    """The demo's publication steps, base-year check, published headline figures and
    restated GHG figures."""
    for step in story.steps:
        if isinstance(step, BaseYearCheck):
            console.print(base_year_table(step))
            console.print(step.verdict, highlight=False)
        else:
            console.print(step, highlight=False)
    payloads = [published_payload(settings, year) for year in published_years(settings)]
    console.print(headline_table(payloads, title=f"{organization} — headline figures as published"))
    restated = [r for r in restatements(settings) if r.figure == "emissions.total"]
    if restated:
        console.print(restated_totals_table(restated))
