"""Use case: the base-year recalculation policy (GHG Protocol Corporate Standard ch. 5).

:func:`check_base_year` compares the published base-year snapshot with a recalculation
from the current ledger and methodology, and attributes the difference step by step,
each step changing one thing (the steps telescope, so the effects add up exactly):

1. published total (E0) -> current activity data, published boundary and methodology
   (E1). Facilities whose base-year rows changed give the **error correction**; the rest
   of E1 - E0 (same rows, other factor values or code) is the **factor change**.
2. -> current boundary (E2): facilities that entered or left the base-year boundary,
   the **structural change**. A facility without base-year activity data did not exist
   then and adds nothing.
3. -> current methodology (E3): GWP set, series priority, excluded series, the
   **methodology change**.

Organic growth changes later years, never the base year, so it never shows here.
:func:`recalculate_base_year` publishes the base year again with a reason.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from envledger import __version__
from envledger.engine import Inventory, InventoryInputs, compute_inventory
from envledger.errors import MethodologyError, NotFoundError
from envledger.methods.base_year import relative_effect, requires_recalculation
from envledger.services.inventory.methodology import (
    CalculationMethod,
    Methodology,
    current_methodology,
)
from envledger.services.ledger.tables import load_inventory_inputs
from envledger.services.publication.publishing import (
    PublishResult,
    Snapshot,
    current_snapshot,
    publish,
    snapshot_content,
)
from envledger.services.publication.snapshot_content import (
    inputs_digest,
    library_version,
    read_boundary,
)
from envledger.settings import Settings


@dataclass(frozen=True)
class Effect:
    """The part of the base-year change due to one cause: [tCO2e] and share [1]."""

    cause: str
    t_co2e: float
    share: float | None
    details: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "cause": self.cause, "effect": {"value": self.t_co2e, "unit": "tCO2e"},
            "share": {"value": self.share, "unit": "1"}, "details": list(self.details),
        }


@dataclass(frozen=True)
class BaseYearCheck:
    """The outcome of a base-year check: effects by cause and the policy's verdict."""

    base_year: int
    snapshot: Snapshot
    published_t: float
    recalculated_t: float
    threshold: float
    effects: tuple[Effect, ...]
    not_triggers: tuple[str, ...]
    required: bool

    @property
    def cumulative_t(self) -> float:
        """Sum of the effects [tCO2e] = recalculated - published."""
        return sum(effect.t_co2e for effect in self.effects)

    @property
    def verdict(self) -> str:
        """One sentence: the cumulative effect against the threshold, and what follows."""
        share = relative_effect(self.cumulative_t, self.published_t)
        shown = "n/a" if share is None else f"{share:+.2%}"
        outcome = (
            "recalculation REQUIRED: restate the base year (envledger base-year recalculate)"
            if self.required else "no recalculation required"
        )
        return (
            f"Base year {self.base_year}: published {self.published_t:,.2f} tCO2e (version"
            f" {self.snapshot.version}), recalculated {self.recalculated_t:,.2f} tCO2e;"
            f" cumulative effect {self.cumulative_t:+,.2f} tCO2e ({shown}) against a"
            f" {self.threshold:.0%} threshold: {outcome}."
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "base_year": self.base_year, "snapshot_id": self.snapshot.id,
            "version": self.snapshot.version,
            "published": {"value": self.published_t, "unit": "tCO2e"},
            "recalculated": {"value": self.recalculated_t, "unit": "tCO2e"},
            "cumulative_effect": {"value": self.cumulative_t, "unit": "tCO2e"},
            "threshold": {"value": self.threshold, "unit": "1"},
            "effects": [effect.as_dict() for effect in self.effects],
            "not_triggers": list(self.not_triggers), "required": self.required,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class _Step:
    """One state of the attribution chain: total and per-facility emissions [tCO2e]."""

    total: float
    facilities: dict[str, float]
    factors: frozenset[str]

    @classmethod
    def of(cls, inventory: Inventory) -> _Step:
        return cls.of_payload(inventory.to_dict())

    @classmethod
    def of_payload(cls, payload: dict[str, Any]) -> _Step:
        return cls(
            payload["company"]["emissions"]["total"]["value"],
            {f["code"]: f["emissions"]["total"]["value"] for f in payload["facilities"]},
            frozenset(f["factor_id"] for f in payload["factors_used"]),
        )

    def facility(self, code: str) -> float:
        return self.facilities.get(code, 0.0)


def check_base_year(settings: Settings) -> BaseYearCheck:
    """Attribute the change of base-year emissions to its causes; apply the threshold.

    Raises
    ------
    MethodologyError
        If the methodology sets no base year.
    NotFoundError
        If the base year has not been published.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 5; ISO 14064-1:2018, 6.4.
    """
    methodology = current_methodology(settings)
    year = _base_year(methodology)
    snapshot = _published(settings, year)
    content = snapshot_content(settings, snapshot.id)
    url = settings.database_url
    published = _Step.of_payload(content["results"])
    old_method = CalculationMethod.from_dict(content["methodology"])
    new_method = methodology.calculation
    old_in = {row["code"] for row in content["boundary"] if row["in_boundary"]}
    new_in = {row["code"] for row in read_boundary(url, year) if row["in_boundary"]}
    inputs = load_inventory_inputs(url, year)

    digest = inputs_digest(url, year, sorted(old_in))["facilities"]
    corrected = sorted(
        code for code in set(digest) | set(content["inputs"]["facilities"])
        if digest.get(code) != content["inputs"]["facilities"].get(code)
    )
    versions = _version_changes(content, url)
    vintage = settings.instrument_vintage_years
    # Always recalculated: user factors imported since publication can change E1 too.
    step1 = _Step.of(_compute(_with_boundary(inputs, year, old_in), year, old_method, vintage))
    step2 = step1 if old_in == new_in else _Step.of(
        _compute(inputs, year, old_method, vintage)
    )
    step3 = step2 if new_method == old_method else _Step.of(
        _compute(inputs, year, new_method, vintage)
    )

    e0 = published.total
    error = {code: step1.facility(code) - published.facility(code) for code in corrected}
    structural, not_triggers = _structural_details(
        new_in - old_in, old_in - new_in, step1, step2, inputs, year
    )
    effects = (
        _effect("error_correction", sum(error.values()), e0,
                [f"base-year activity rows changed at {code}: {t:+,.2f} tCO2e"
                 for code, t in error.items()]),
        _effect("factor_change", step1.total - e0 - sum(error.values()), e0,
                versions + _factor_details(published, step1)),
        _effect("structural_change", step2.total - step1.total, e0, structural),
        _effect("methodology_change", step3.total - step2.total, e0, [
            f"{key}: {was} -> {new_method.as_dict()[key]}"
            for key, was in old_method.as_dict().items() if new_method.as_dict()[key] != was
        ]),
    )
    return BaseYearCheck(
        base_year=year, snapshot=snapshot, published_t=e0, recalculated_t=step3.total,
        threshold=methodology.significance_threshold, effects=effects,
        not_triggers=tuple(not_triggers),
        required=requires_recalculation(
            [e.t_co2e for e in effects], e0, methodology.significance_threshold
        ),
    )


def recalculate_base_year(
    settings: Settings, reason: str, note: str, actor: str = "cli",
    published_methodology: bool = False, accept_gaps: str | None = None,
) -> PublishResult:
    """Publish the base year again (a new version with restatements) with a reason.

    ``published_methodology`` keeps the calculation settings of the published base
    year, so that a structural change or an error correction is restated on its own
    before a methodology change; ``accept_gaps`` as in ``publish``.
    """
    methodology = current_methodology(settings)
    year = _base_year(methodology)
    if published_methodology:
        snapshot = _published(settings, year)
        old = CalculationMethod.from_dict(snapshot_content(settings, snapshot.id)["methodology"])
        methodology = replace(
            methodology, calculation=old, version=snapshot.methodology_version
        )
    return publish(
        settings, year, reason, note, actor, methodology=methodology, accept_gaps=accept_gaps
    )


def _base_year(methodology: Methodology) -> int:
    if methodology.base_year is None:
        raise MethodologyError(
            "the methodology sets no base year: envledger methodology set --base-year YEAR"
        )
    return methodology.base_year


def _published(settings: Settings, year: int) -> Snapshot:
    snapshot = current_snapshot(settings, year)
    if snapshot is None:
        raise NotFoundError(
            f"base year {year} has not been published: envledger publish --year {year}"
        )
    return snapshot


def _with_boundary(inputs: InventoryInputs, year: int, inside: Collection[str]) -> InventoryInputs:
    """``inputs`` with the boundary of ``year`` replaced: exactly ``inside`` is in."""
    rows = inputs.facility_years
    in_boundary = pc.if_else(
        pc.equal(rows.column("year"), year),
        pc.is_in(rows.column("facility_code"), pa.array(sorted(inside), pa.string())),
        rows.column("in_boundary"),
    )
    index = rows.schema.get_field_index("in_boundary")
    return replace(inputs, facility_years=rows.set_column(index, "in_boundary", in_boundary))


def _compute(
    inputs: InventoryInputs, year: int, method: CalculationMethod, vintage_years: int
) -> Inventory:
    return compute_inventory(
        inputs, year, method.gwp_set, list(method.series_priority), method.excluded_series,
        vintage_years,
    )


def _structural_details(
    entered: set[str], left: set[str], before: _Step, after: _Step,
    inputs: InventoryInputs, year: int,
) -> tuple[list[str], list[str]]:
    with_data = set(inputs.activities.column("facility_code").to_pylist())
    details, not_triggers = [], []
    for code in sorted(entered):
        if code in with_data:
            details.append(f"{code} entered the boundary: +{after.facility(code):,.2f} tCO2e")
        else:
            not_triggers.append(
                f"{code} entered the {year} boundary but has no {year} activity data: a"
                " facility that did not exist in the base year is not a trigger"
            )
    details += [
        f"{code} left the boundary: -{before.facility(code):,.2f} tCO2e" for code in sorted(left)
    ]
    return details, not_triggers


def _version_changes(content: dict[str, Any], url: str) -> list[str]:
    """The factor library or envledger version, where they differ from the snapshot's."""
    changes = []
    library = library_version(url)
    if library != content["factors"]["library_version"]:
        changes.append(f"factor library {content['factors']['library_version']} -> {library}")
    if __version__ != content["code_version"]:
        changes.append(f"envledger {content['code_version']} -> {__version__}")
    return changes


def _factor_details(published: _Step, step1: _Step) -> list[str]:
    added, dropped = step1.factors - published.factors, published.factors - step1.factors
    return (
        ([f"factors now chosen: {', '.join(sorted(added))}"] if added else [])
        + ([f"factors no longer chosen: {', '.join(sorted(dropped))}"] if dropped else [])
    )


def _effect(cause: str, t_co2e: float, base_t: float, details: list[str]) -> Effect:
    # Differences of sums that agree to the last bits are not an effect.
    if abs(t_co2e) <= 1e-9 * max(1.0, abs(base_t)):
        t_co2e = 0.0
    return Effect(cause, t_co2e, relative_effect(t_co2e, base_t), tuple(details))
