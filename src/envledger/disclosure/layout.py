"""The page layout: the template's blocks resolved against the inventory payloads."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from envledger.disclosure.figures import (
    DEFAULT_METRICS,
    DataSection,
    carrier_metrics,
    read_quantity,
)
from envledger.disclosure.labels import LANGUAGES, Labels, localize
from envledger.disclosure.template import (
    DisclosureTemplate,
    FiguresBlock,
    GroupEntry,
    IntensityBlock,
    ListBlock,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Block:
    """One block of the page, in template order.

    ``sections`` holds the block's year-selectable data sections (one for GHG, energy,
    water and waste; one per facility group for intensity; none otherwise).
    """

    kind: str
    id: str
    title: Mapping[str, str]  # language -> heading
    text: Mapping[str, str] | None
    sections: tuple[DataSection, ...] = ()
    when_empty: str = "note"  # targets and measures: "note" or "hide"


def _title(given: Mapping[str, str] | None, key: str) -> dict[str, str]:
    return {lang: localize(given, lang) if given else Labels(lang)(key) for lang in LANGUAGES}


def _units(
    payloads: Mapping[int, Mapping[str, Any]], kind: str, metrics: list[str], group: str | None
) -> dict[str, str]:
    """Metric -> unit for the metrics some payload holds (others are not shown)."""
    units: dict[str, str] = {}
    for metric in metrics:
        for payload in payloads.values():
            quantity = read_quantity(payload, kind, metric, group)
            if quantity is not None:
                units[metric] = quantity["unit"]
                break
    return units


def _figures(block: FiguresBlock, payloads: Mapping[int, Mapping[str, Any]]) -> DataSection:
    metrics = list(block.metrics or DEFAULT_METRICS[block.kind])
    if block.metrics is None and block.kind == "energy":
        # Energy by type (HKEX KPI A2.1): one row per carrier any year holds.
        metrics += carrier_metrics(payloads.values())
    units = _units(payloads, block.kind, metrics, None)
    return DataSection(
        id=block.key,
        kind=block.kind,
        title=_title(block.title, f"section.{block.kind}"),
        metrics=tuple(m for m in metrics if m in units),
        units=units,
        years=tuple(payloads),
        show_uncertainty=block.uncertainty,
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30].strip("-")


def _groups(
    block: IntensityBlock, payloads: Mapping[int, Mapping[str, Any]]
) -> tuple[DataSection, ...]:
    present = sorted({g["name"] for p in payloads.values() for g in p["groups"]})
    entries = list(block.groups)
    for entry in entries:
        if entry.name not in present:
            log.warning("disclosure template: facility group %r is not in the ledger", entry.name)
    if block.other_groups:
        listed = {entry.name for entry in entries}
        entries += [GroupEntry(name=name) for name in present if name not in listed]
    sections = []
    for number, entry in enumerate(e for e in entries if e.name in present):
        indicators = list(entry.indicators or block.indicators)
        units = _units(payloads, "intensity", indicators, entry.name)
        sections.append(DataSection(
            id=entry.id or f"{block.key}-{_slug(entry.name) or number + 1}",
            kind="intensity",
            title={
                lang: localize(entry.title, lang) if entry.title else entry.name
                for lang in LANGUAGES
            },
            metrics=tuple(m for m in indicators if m in units),
            units=units,
            years=tuple(
                year for year, p in payloads.items()
                if any(g["name"] == entry.name for g in p["groups"])
            ),
            group=entry.name,
        ))
    return tuple(sections)


def resolve_layout(
    template: DisclosureTemplate, payloads: Mapping[int, Mapping[str, Any]]
) -> tuple[Block, ...]:
    """The page's blocks in template order, payloads by year (oldest first)."""
    blocks = []
    for block in template.sections:
        title = _title(block.title, f"section.{block.kind}")
        sections: tuple[DataSection, ...] = ()
        if isinstance(block, FiguresBlock) and payloads:
            sections = (_figures(block, payloads),)
        elif isinstance(block, IntensityBlock):
            sections = _groups(block, payloads)
        blocks.append(Block(
            kind=block.kind,
            id=block.key,
            title=title,
            text=block.text,
            sections=sections,
            when_empty=block.when_empty if isinstance(block, ListBlock) else "note",
        ))
    return tuple(blocks)
