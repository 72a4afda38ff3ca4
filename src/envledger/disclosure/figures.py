"""The figures a disclosure section shows, read from ``envledger.inventory/1`` payloads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from envledger.data import load_energy_carriers

#: metric -> path in the payload's ``company`` measures, per section kind, in display order
COMPANY_METRICS: dict[str, dict[str, tuple[str, ...]]] = {
    "ghg": {
        "total": ("emissions", "total"),
        "scope1": ("emissions", "scope1"),
        "scope2_location": ("emissions", "scope2_location"),
        "scope2_market": ("emissions", "scope2_market"),
    },
    "energy": {
        "total": ("energy", "total"),
        "direct": ("energy", "direct"),
        "indirect": ("energy", "indirect"),
        "standard_coal": ("energy", "standard_coal"),
    },
    "water": {
        "total": ("water", "total"),
        "running": ("water", "running"),
        "reclaimed": ("water", "reclaimed"),
    },
    "waste": {
        "non_hazardous": ("waste", "non_hazardous"),
        "hazardous": ("waste", "hazardous"),
    },
}

#: metrics a section shows unless the template lists its own; a metric the payloads lack
#: (market-based Scope 2 until the engine computes it) is left out
DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    "ghg": ("total", "scope1", "scope2_location", "scope2_market"),
    "energy": ("total", "direct", "indirect"),
    "water": ("total", "running", "reclaimed"),
    "waste": ("non_hazardous", "hazardous"),
}

#: energy metrics ``carrier.<carrier>`` read ``energy_by_carrier`` [MWh] (HKEX KPI A2.1)
CARRIER_METRIC = "carrier."

def shipped_carriers() -> tuple[str, ...]:
    """The carriers of data/energy_carriers.csv in file order, the display order."""
    return tuple(dict.fromkeys(load_energy_carriers().column("carrier").to_pylist()))


def carrier_metrics(payloads: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ``carrier.<carrier>`` metrics of every carrier some payload holds, in order."""
    held = {
        row["carrier"]
        for payload in payloads
        for row in payload.get("energy_by_carrier", {}).get("company", [])
    }
    rank = {carrier: i for i, carrier in enumerate(shipped_carriers())}
    ordered = sorted(held, key=lambda c: (rank.get(c, len(rank)), c))
    return [CARRIER_METRIC + carrier for carrier in ordered]


#: intensity indicators of the contract, in display order
Indicator = Literal[
    "energy_per_floor_area",
    "energy_per_capita",
    "ghg_per_floor_area",
    "ghg_per_capita",
    "water_running_per_capita",
    "waste_non_hazardous_per_capita",
    "waste_hazardous_per_capita",
]
INDICATORS: tuple[str, ...] = get_args(Indicator)


@dataclass(frozen=True)
class DataSection:
    """A section with its own year selector: company figures or one group's intensities.

    ``units`` maps each shown metric to its contract unit; ``years`` are the reporting
    years that hold the section's data, oldest first.
    """

    id: str
    kind: str  # ghg | energy | water | waste | intensity
    title: Mapping[str, str]  # language -> title
    metrics: tuple[str, ...]
    units: Mapping[str, str]
    years: tuple[int, ...]
    group: str | None = None  # facility group of an intensity section
    show_uncertainty: bool = False  # a "± x %" column (IPCC 95 % uncertainty)

    @property
    def digits(self) -> int:
        """Decimals shown on the page: 4 for intensities, 2 for t, tCO2e and MWh."""
        return 4 if self.kind == "intensity" else 2


@dataclass(frozen=True)
class Figure:
    """One figure of a section in one year: unrounded ``value`` [unit], change [%]."""

    metric: str
    value: float | None
    unit: str
    change_pct: float | None  # [%] vs the previous reporting year; None when undefined
    uncertainty_pct: float | None = None  # [%] relative 95 %; None when not computed


def read_quantity(
    payload: Mapping[str, Any], kind: str, metric: str, group: str | None = None
) -> Mapping[str, Any] | None:
    """The ``{"value", "unit"}`` of a metric in one payload, or None when it has none."""
    if kind == "intensity":
        for row in payload["intensities"]:
            if row["group"] == group and row["indicator"] == metric:
                return row["intensity"]
        return None
    if kind == "energy" and metric.startswith(CARRIER_METRIC):
        carrier = metric.removeprefix(CARRIER_METRIC)
        for row in payload.get("energy_by_carrier", {}).get("company", []):
            if row["carrier"] == carrier:
                return row["energy"]
        return None
    node: Mapping[str, Any] = payload["company"]
    for key in COMPANY_METRICS[kind][metric]:
        if key not in node:
            return None
        node = node[key]
    return node


def change_pct(current: float | None, previous: float | None) -> float | None:
    """Relative change from ``previous`` to ``current`` [%]; None if either is missing or 0."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous) * 100.0


def _value(payload: Mapping[str, Any] | None, section: DataSection, metric: str) -> float | None:
    quantity = None if payload is None else read_quantity(
        payload, section.kind, metric, section.group
    )
    return None if quantity is None else quantity["value"]


def _uncertainty(payload: Mapping[str, Any], section: DataSection, metric: str) -> float | None:
    """The figure's relative 95 % uncertainty [%] (engine.quality); None when absent."""
    if section.kind == "intensity":
        return None
    quantity = read_quantity(payload, section.kind, metric)
    return None if quantity is None else (quantity.get("uncertainty") or {}).get("value")


def section_figures(
    section: DataSection, payloads: Mapping[int, Mapping[str, Any]], year: int
) -> list[Figure]:
    """The figures ``section`` shows for ``year``, with the change vs the year before."""
    previous_year = max((y for y in section.years if y < year), default=None)
    previous = None if previous_year is None else payloads[previous_year]
    return [
        Figure(
            metric=metric,
            value=_value(payloads[year], section, metric),
            unit=section.units[metric],
            change_pct=change_pct(
                _value(payloads[year], section, metric), _value(previous, section, metric)
            ),
            uncertainty_pct=_uncertainty(payloads[year], section, metric),
        )
        for metric in section.metrics
    ]
