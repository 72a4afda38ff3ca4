"""The public JSON contract of an inventory, ``envledger.inventory/1``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from envledger.engine.quality import add_quality, quality_lookup
from envledger.engine.totals import MEASURES

if TYPE_CHECKING:
    from envledger.engine.inventory import Inventory

SCHEMA = "envledger.inventory/1"

#: totals column -> path in a ``measures`` object
_PATHS: dict[str, tuple[str, ...]] = {
    "scope1_t": ("emissions", "scope1"),
    "scope2_location_t": ("emissions", "scope2_location"),
    "scope2_market_t": ("emissions", "scope2_market"),
    "total_t": ("emissions", "total"),
    "direct_mwh": ("energy", "direct"),
    "indirect_mwh": ("energy", "indirect"),
    "total_mwh": ("energy", "total"),
    "tce": ("energy", "standard_coal"),
    "water_running_t": ("water", "running"),
    "water_reclaimed_t": ("water", "reclaimed"),
    "water_total_t": ("water", "total"),
    "waste_hazardous_t": ("waste", "hazardous"),
    "waste_non_hazardous_t": ("waste", "non_hazardous"),
    "floor_area_m2": ("floor_area",),
    "headcount": ("headcount",),
}


def quantity(value: float | None, unit: str) -> dict[str, Any]:
    """A figure with its unit, the only way a number appears in the contract."""
    return {"value": value, "unit": unit}


def _measures(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, path in _PATHS.items():
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = quantity(row[column], MEASURES[column])
    return out


def _factors_used(lines: pa.Table) -> list[dict[str, Any]]:
    keys = [
        "factor_id", "factor_series", "factor_tier", "activity", "variant", "gas",
        "factor_value", "factor_unit", "canonical_unit", "kg_per_canonical",
        "factor_data_year", "data_year_note", "factor_citation", "factor_confidence",
        "conversion_note",
    ]
    used = (
        lines.filter(pc.is_valid(lines["factor_id"]))
        .group_by(keys, use_threads=False)
        .aggregate([("facility_code", "count_distinct"), ("t_co2e", "sum")])
        .sort_by([("activity", "ascending"), ("gas", "ascending"), ("factor_id", "ascending")])
    )
    return [
        {
            "factor_id": r["factor_id"],
            "series": r["factor_series"],
            "tier": r["factor_tier"],
            "activity": r["activity"],
            "variant": r["variant"],
            "gas": r["gas"],
            "factor": quantity(r["factor_value"], r["factor_unit"]),
            "kg_per_canonical": quantity(
                r["kg_per_canonical"], f"kg {r['gas']}/{r['canonical_unit']}"
            ),
            "conversion_note": r["conversion_note"],
            "data_year": r["factor_data_year"],
            "data_year_note": r["data_year_note"],
            "citation": r["factor_citation"],
            "confidence": r["factor_confidence"],
            "facilities": quantity(r["facility_code_count_distinct"], "facility"),
            "emissions": quantity(r["t_co2e_sum"], "tCO2e"),
        }
        for r in used.to_pylist()
    ]


#: ISO 14064-1:2018, 5.2.4: the GHG emission categories of an inventory.
ISO_CATEGORIES: dict[int, str] = {
    1: "Direct GHG emissions and removals",
    2: "Indirect GHG emissions from imported energy",
    3: "Indirect GHG emissions from transportation",
    4: "Indirect GHG emissions from products used by the organization",
    5: "Indirect GHG emissions associated with the use of products from the organization",
    6: "Indirect GHG emissions from other sources",
}


def _iso_categories(company: dict[str, Any]) -> list[dict[str, Any]]:
    """Category 1 = Scope 1, 2 = Scope 2 location-based; 3-6 are not quantified (null)."""
    values = {1: company["scope1_t"], 2: company["scope2_location_t"]}
    return [
        {"category": number, "label": label,
         "emissions": quantity(values.get(number), "tCO2e"),
         "status": "quantified" if number in values else "not quantified"}
        for number, label in ISO_CATEGORIES.items()
    ]


def _instruments(claims: pa.Table) -> dict[str, list[dict[str, Any]]]:
    """Contractual instruments of the year: the volume applied and the volume refused."""
    applied, excluded = [], []
    for r in claims.to_pylist():
        about = {"instrument_id": r["instrument_id"], "type": r["type"], "energy": r["energy"],
                 "facility": r["facility_code"] or None, "market": r["market"],
                 "vintage": r["vintage"]}
        if r["applied_mwh"] > 0:
            rate = r["emission_rate_t_per_mwh"]
            applied.append({**about, "volume": quantity(r["applied_mwh"], "MWh"),
                            "emission_rate": quantity(rate, "tCO2e/MWh"),
                            "emissions": quantity(r["applied_mwh"] * rate, "tCO2e")})
        if r["reason"] is not None:
            excluded.append({**about, "reason": r["reason"],
                             "volume": quantity(r["excluded_mwh"], "MWh")})
    return {"applied": applied, "excluded": excluded}


def _market_basis(market_lines: pa.Table) -> list[dict[str, Any]]:
    """Company market-based Scope 2 by hierarchy level (and residual-mix factor)."""
    if market_lines.num_rows == 0:
        return []
    keys = ["basis", "activity", "factor_id", "data_year", "data_year_note"]
    rows = (
        market_lines.group_by(keys, use_threads=False)
        .aggregate([("mwh", "sum"), ("t_co2e", "sum")])
        .sort_by([("activity", "ascending"), ("basis", "ascending")])
        .to_pylist()
    )
    return [
        {"basis": r["basis"], "activity": r["activity"], "factor_id": r["factor_id"],
         "data_year": r["data_year"], "data_year_note": r["data_year_note"],
         "consumption": quantity(r["mwh_sum"], "MWh"),
         "emissions": quantity(r["t_co2e_sum"], "tCO2e")}
        for r in rows
    ]


def _energy_by_carrier(table: pa.Table) -> dict[str, Any]:
    """Energy by carrier [MWh] and [tce] for the company, each facility and each group."""
    levels: dict[str, dict[str, list[dict[str, Any]]]] = {
        "company": {}, "facility": {}, "group": {},
    }
    for r in table.to_pylist():
        levels[r["level"]].setdefault(r["name"], []).append(
            {"carrier": r["carrier"], "energy": quantity(r["mwh"], "MWh"),
             "standard_coal": quantity(r["tce"], "tce")}
        )
    return {
        "company": levels["company"].get("", []),
        "facilities": [{"code": code, "carriers": rows}
                       for code, rows in sorted(levels["facility"].items())],
        "groups": [{"name": name, "carriers": rows}
                   for name, rows in sorted(levels["group"].items())],
    }


def inventory_to_dict(inventory: Inventory) -> dict[str, Any]:
    """The inventory as the versioned public JSON contract ``envledger.inventory/1``.

    Every figure is an object ``{"value": <float|null>, "unit": <str>}`` holding the
    unrounded value (rounding is for display only). Identifiers (``year``, ``scope``,
    ``data_year``, ``vintage``, ``category``) are plain integers. Lists are sorted by
    their keys. Shape::

        {
          "schema": "envledger.inventory/1",
          "year": 2023,                      # reporting calendar year
          "gwp_set": "AR5",                  # IPCC assessment report of the GWP-100
          "series_priority": ["user", ...],  # factor series preferred at equal tier
          "excluded_series": [],             # factor series the company chose not to use
          "company": MEASURES,               # in-boundary facilities summed
          "by_scope": [
            {"scope": 1, "method": null,       "emissions": {"value": .., "unit": "tCO2e"}},
            {"scope": 2, "method": "location", "emissions": {"value": .., "unit": "tCO2e"}},
            {"scope": 2, "method": "market",   "emissions": {"value": .., "unit": "tCO2e"}}
          ],
          "by_iso_category": [               # ISO 14064-1:2018, 5.2.4
            {"category": 1, "label": "Direct GHG emissions and removals",
             "emissions": Q[tCO2e], "status": "quantified"},      # = Scope 1
            {"category": 2, "label": "Indirect GHG emissions from imported energy",
             "emissions": Q[tCO2e], "status": "quantified"},      # = Scope 2, location
            {"category": 3, ..., "emissions": {"value": null, ..}, "status": "not quantified"},
            ...                                                     # 4, 5, 6 likewise
          ],
          "instruments": {                   # market-based Scope 2 contractual instruments
            "applied": [{"instrument_id": "GEC-..", "type": "GEC", "energy": "electricity",
                         "facility": "BJ-HQ" | null, "market": "CN", "vintage": 2023,
                         "volume": Q[MWh], "emission_rate": Q[tCO2e/MWh],
                         "emissions": Q[tCO2e]}, ...],
            "excluded": [{"instrument_id": .., "type": .., "energy": .., "facility": ..,
                          "market": .., "vintage": .., "reason": "vintage 2020 is ...",
                          "volume": Q[MWh]}, ...]
          },
          "scope2_market_basis": [{"basis": "contractual_instruments" | "supplier_rate" |
                                   "residual_mix" | "grid_average",
                                   "activity": "electricity", "factor_id": null | "..",
                                   "data_year": null | 2023, "data_year_note": "",
                                   "consumption": Q[MWh], "emissions": Q[tCO2e]}, ...],
          "by_source": [{"scope": 1, "source": "stationary_combustion",
                         "emissions": {.., "unit": "tCO2e"}}, ...],
          "by_gas": [{"gas": "HFC-32", "gas_group": "HFCs",
                      "mass": {.., "unit": "kg"}, "emissions": {.., "unit": "tCO2e"}}, ...],
          "facilities": [{"code": "F001", **MEASURES}, ...],
          "groups": [{"name": "Offices in mainland China", **MEASURES}, ...],
          "intensities": [{"group": "...", "indicator": "ghg_per_capita",
                           "intensity": {"value": 1.2, "unit": "tCO2e/person"}}, ...],
          "factors_used": [FACTOR, ...],
          "energy_by_carrier": {             # HKEX KPI A2.1: energy by type
            "company": [CARRIER, ...],
            "facilities": [{"code": "F001", "carriers": [CARRIER, ...]}, ...],
            "groups": [{"name": "...", "carriers": [CARRIER, ...]}, ...]
          }
        }

    ``CARRIER`` is ``{"carrier": "diesel", "energy": Q[MWh], "standard_coal": Q[tce]}``,
    one per carrier with data (a carrier without data is absent, not zero), sorted by
    carrier; diesel in generators and in vehicles is one carrier.

    ``MEASURES`` is::

        {
          "emissions": {"scope1": Q[tCO2e], "scope2_location": Q[tCO2e],
                        "scope2_market": Q[tCO2e], "total": Q[tCO2e]},
          "energy": {"direct": Q[MWh], "indirect": Q[MWh], "total": Q[MWh],
                     "standard_coal": Q[tce]},
          "water": {"running": Q[t], "reclaimed": Q[t], "total": Q[t]},
          "waste": {"hazardous": Q[t], "non_hazardous": Q[t]},
          "floor_area": Q[m2],
          "headcount": Q[person]
        }

    where ``Q[u]`` is ``{"value": float, "unit": "u"}``. The emissions (scope1,
    scope2_location, total), energy, water and waste figures also carry
    ``"uncertainty": Q[%]``, the relative 95 % uncertainty (IPCC 2006 Vol. 1 ch. 3,
    Approach 1), and ``"data_quality": {"measured": Q[%], "invoice": Q[%],
    "estimated": Q[%], "unstated": Q[%]}``, the share of the figure resting on each
    data source (by emissions for GHG, by quantity otherwise); null when the figure
    has no data (engine.quality). ``total`` emissions are
    scope 1 + scope 2 location-based; ``scope2_market`` is market-based Scope 2 (GHG
    Protocol Scope 2 Guidance, 2015): contractual instruments that meet the Scope 2
    Quality Criteria, then supplier rates, the residual mix and the grid average, so it
    is reported every year, with or without instruments; energy ``direct`` is fuel
    burned on site and ``indirect`` purchased electricity and heat (GB/T 2589-2020);
    ``standard_coal`` in tonnes of standard coal equivalent.

    Intensity indicators (``value`` null when the denominator is zero):
    ``energy_per_floor_area`` [MWh/m2], ``energy_per_capita`` [MWh/person],
    ``ghg_per_floor_area`` [tCO2e/m2], ``ghg_per_capita`` [tCO2e/person],
    ``water_running_per_capita`` [t/person], ``waste_hazardous_per_capita`` and
    ``waste_non_hazardous_per_capita`` [t/person].

    ``FACTOR`` is one emission factor that contributed, with how it was used::

        {
          "factor_id": "cn_ets_2022_grid", "series": "cn_ets_grid", "tier": "national",
          "activity": "electricity", "variant": "", "gas": "CO2",
          "factor": {"value": 0.5703, "unit": "t/MWh"},              # as published
          "kg_per_canonical": {"value": 570.3, "unit": "kg CO2/MWh"}, # as applied
          "conversion_note": "...", "data_year": 2022, "data_year_note": "...",
          "citation": "...", "confidence": "V2",
          "facilities": {"value": 12, "unit": "facility"},  # facilities it served
          "emissions": {"value": 1234.5, "unit": "tCO2e"}   # emissions it produced
        }

    ``factors_not_used`` lists the company's own (imported) factors that matched a
    facility but were not used, so none loses silently::

        {
          "factor_id": "my_cn", "activity": "electricity", "variant": "", "gas": "CO2",
          "used_factor_id": "south_grid",           # null: a Scope 2 own rate
          "reason": "regional > national", "facilities": ["F1"],
          "message": "your factor my_cn was not used: south_grid ranks higher"
                     " (regional > national)"
        }

    Refrigerant and fire-suppressant lines use no emission factor (the emitted mass is
    measured) and so do not appear in ``factors_used``; their gases do in ``by_gas``.
    """
    company = inventory.company_totals.to_pylist()[0]
    quality = quality_lookup(inventory.quality)
    scope1 = quantity(company["scope1_t"], "tCO2e")
    scope2 = quantity(company["scope2_location_t"], "tCO2e")
    scope2_market = quantity(company["scope2_market_t"], "tCO2e")
    return {
        "schema": SCHEMA,
        "year": inventory.year,
        "gwp_set": inventory.gwp_set,
        "series_priority": list(inventory.series_priority),
        "excluded_series": list(inventory.excluded_series),
        "company": add_quality(_measures(company), _PATHS, quality, "company", ""),
        "by_scope": [
            {"scope": 1, "method": None, "emissions": scope1},
            {"scope": 2, "method": "location", "emissions": scope2},
            {"scope": 2, "method": "market", "emissions": scope2_market},
        ],
        "by_iso_category": _iso_categories(company),
        "instruments": _instruments(inventory.instrument_claims),
        "scope2_market_basis": _market_basis(inventory.market_lines),
        "by_source": [
            {"scope": r["scope"], "source": r["source"],
             "emissions": quantity(r["t_co2e"], "tCO2e")}
            for r in inventory.by_source.to_pylist()
        ],
        "by_gas": [
            {"gas": r["gas"], "gas_group": r["gas_group"],
             "mass": quantity(r["gas_kg"], "kg"),
             "emissions": quantity(r["t_co2e"], "tCO2e")}
            for r in inventory.by_gas.to_pylist()
        ],
        "facilities": [
            {"code": r["facility_code"],
             **add_quality(_measures(r), _PATHS, quality, "facility", r["facility_code"])}
            for r in inventory.facility_totals.to_pylist()
        ],
        "groups": [
            {"name": r["group_name"],
             **add_quality(_measures(r), _PATHS, quality, "group", r["group_name"])}
            for r in inventory.group_totals.to_pylist()
        ],
        "intensities": [
            {"group": r["group_name"], "indicator": r["indicator"],
             "intensity": quantity(r["value"], r["unit"])}
            for r in inventory.intensities.to_pylist()
        ],
        "factors_used": _factors_used(inventory.lines),
        "factors_not_used": _factors_not_used(inventory.factors_not_used),
        "energy_by_carrier": _energy_by_carrier(inventory.energy_by_carrier),
    }


def _factors_not_used(table: pa.Table) -> list[dict[str, Any]]:
    """The company's own factors that lost under the hierarchy, each with why."""
    return [
        {**{key: row[key] for key in ("factor_id", "activity", "variant", "gas",
                                      "used_factor_id", "reason")},
         "facilities": row["facilities"].split(", "), "message": row["message"]}
        for row in table.to_pylist()
    ]
