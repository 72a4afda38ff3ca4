"""The site model: every reporting year's payload, notes and the resolved page layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from envledger.disclosure.figures import DataSection, Figure, section_figures
from envledger.disclosure.footnotes import Footnote
from envledger.disclosure.layout import Block
from envledger.errors import NotFoundError


def _names(things: list[Any]) -> str:
    return ", ".join(str(t) for t in things) or "none"


@dataclass(frozen=True)
class SiteData:
    """What the disclosure site shows, for all reporting years (oldest first).

    ``payloads`` are ``envledger.inventory/1`` documents by year; ``footnotes`` the
    numbered notes by year; ``blocks`` the page layout in template order.
    """

    company: str | None
    title: Mapping[str, str]  # language -> page heading
    intro: Mapping[str, str] | None
    payloads: Mapping[int, Mapping[str, Any]]
    footnotes: Mapping[int, tuple[Footnote, ...]]
    blocks: tuple[Block, ...]
    audit_head: str = ""  # "SEQ:HASH" of the audit chain when the site was built

    @property
    def years(self) -> list[int]:
        """Reporting years, oldest first."""
        return list(self.payloads)

    @property
    def latest(self) -> int | None:
        """The latest reporting year, or None for an empty ledger."""
        return max(self.payloads, default=None)

    @property
    def sections(self) -> list[DataSection]:
        """Every year-selectable data section in page order (groups included)."""
        return [section for block in self.blocks for section in block.sections]

    def payload(self, year: int) -> Mapping[str, Any]:
        """The inventory payload of ``year``."""
        if year not in self.payloads:
            raise NotFoundError(
                f"no inventory for year {year}; reporting years: {_names(self.years)}"
            )
        return self.payloads[year]

    def notes(self, year: int) -> tuple[Footnote, ...]:
        """The numbered notes of ``year``."""
        self.payload(year)
        return self.footnotes[year]

    def section(self, section_id: str) -> DataSection:
        """The data section whose id (URL key) is ``section_id``."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotFoundError(
            f"unknown section {section_id!r}; sections: {_names([s.id for s in self.sections])}"
        )

    def group(self, name: str) -> DataSection:
        """The intensity section of the facility group ``name``."""
        for section in self.sections:
            if section.group == name:
                return section
        groups = [s.group for s in self.sections if s.group]
        raise NotFoundError(f"unknown facility group {name!r}; groups: {_names(groups)}")

    def figures(self, section: DataSection, year: int) -> list[Figure]:
        """The figures ``section`` shows for ``year``."""
        if year not in section.years:
            raise NotFoundError(
                f"section {section.id!r} has no data for {year}; "
                f"years: {_names(list(section.years))}"
            )
        return section_figures(section, self.payloads, year)

    def listed(self, kind: str) -> list[Mapping[str, Any]]:
        """Targets or measures of the latest payload (empty until the engine records them)."""
        latest = self.latest
        return [] if latest is None else list(self.payloads[latest].get(kind) or [])
