"""The demo company's reporting history: earlier reports, then a base-year restatement.

After the demo files are imported, :func:`tell_demo_story` plays the history a real
company goes through: its first reports (2020-2022) used the national carbon-market
grid factor for China only; then the Chengdu warehouse acquired in 2021 is brought
into the 2020 base year, the company moves to the local and regional MEE grid factors,
checks the base-year policy, restates 2020 in two steps (one reason each), restates
2021-2022 for the methodology change and publishes 2023.
"""

from __future__ import annotations

from dataclasses import dataclass

from envledger.demo.generate import ENTERING_FACILITY, DemoFiles
from envledger.services.inventory.methodology import set_methodology
from envledger.services.ledger.boundary import set_boundary
from envledger.services.publication.base_year import (
    BaseYearCheck,
    check_base_year,
    recalculate_base_year,
)
from envledger.services.publication.publishing import publish, published_years
from envledger.settings import Settings

NATIONAL_ONLY = ["cn_mee_nbs_electricity"]
"""Series left out by the first methodology: only the carbon-market factor for China."""

STRUCTURAL_NOTE = (
    f"{ENTERING_FACILITY} acquired 2021; base year restated as if owned"
    " (GHG Protocol ch. 5)"
)
METHODOLOGY_NOTE = (
    "location-based Scope 2 now uses the local and regional MEE grid factors"
    " instead of the national carbon-market factor"
)


@dataclass(frozen=True)
class DemoStory:
    """What the story did, step by step: a line per step, the base-year check in place."""

    told: bool
    steps: list[str | BaseYearCheck]


def tell_demo_story(settings: Settings, files: DemoFiles, actor: str = "demo") -> DemoStory:
    """Publish and restate the demo years; a no-op if the ledger already holds publications."""
    if published_years(settings):
        return DemoStory(False, ["The demo's reports are already published; nothing changed."])
    *earlier, latest = files.years
    steps: list[str | BaseYearCheck] = []
    set_methodology(
        settings, organization=files.organization, base_year=files.base_year,
        excluded_series=NATIONAL_ONLY, actor=actor,
        note="first reports: national carbon-market grid factor for China only",
    )
    for year in earlier:
        result = publish(settings, year, note="published in an earlier report", actor=actor)
        steps.append(result.message)
    change = set_boundary(
        settings, ENTERING_FACILITY, files.base_year, True, STRUCTURAL_NOTE, actor=actor
    )
    steps.append(change.message)
    set_methodology(settings, excluded_series=[], note=METHODOLOGY_NOTE, actor=actor)
    steps.append("Methodology changed: " + METHODOLOGY_NOTE + ".")
    steps.append(check_base_year(settings))
    steps.append(recalculate_base_year(
        settings, "structural_change", STRUCTURAL_NOTE, actor, published_methodology=True
    ).message)
    steps.append(
        recalculate_base_year(settings, "methodology_change", METHODOLOGY_NOTE, actor).message
    )
    for year in earlier:
        if year != files.base_year:
            steps.append(
                publish(settings, year, "methodology_change", METHODOLOGY_NOTE, actor).message
            )
    steps.append(publish(settings, latest, actor=actor).message)
    return DemoStory(True, steps)
