"""Use case: load the fictional demo company end to end, as `envledger demo` does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from envledger.demo import DemoFiles, generate_demo
from envledger.demo.commitments import write_demo_commitments
from envledger.services.commitments.instruments import import_instruments
from envledger.services.commitments.measures import import_measures
from envledger.services.commitments.targets import import_targets
from envledger.services.demo.story import DemoStory, tell_demo_story
from envledger.services.ledger import importing
from envledger.settings import Settings


@dataclass(frozen=True)
class DemoLoad:
    """The demo's files, what each import did, and the publication story."""

    files: DemoFiles
    imports: list[importing.ImportResult]
    story: DemoStory


def load_demo_company(
    settings: Settings,
    data_dir: Path,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> DemoLoad:
    """Generate the demo files, import them, and publish/restate its years (idempotent)."""
    url = settings.database_url
    files = generate_demo(data_dir, seed=seed)
    commitments = write_demo_commitments(data_dir)
    imports = [
        importing.import_facilities(url, files.facilities_csv),
        importing.import_factors(url, files.factors_csv),
        importing.import_activities(url, files.activities_csv, progress=progress),
        import_targets(url, commitments.targets_csv),
        import_measures(url, commitments.measures_csv),
        import_instruments(url, commitments.instruments_csv),
    ]
    return DemoLoad(files, imports, tell_demo_story(settings, files))
