"""A verifier's re-performance of an evidence pack, from the pack's files alone.

Standard library only (csv, json, zipfile, math): nothing here knows envledger, so it
re-adds the figures the way a verifier's spreadsheet would. :func:`reperform` checks
every activity row and calculation line and returns the re-performed figures in the
shape of the published results, for comparison with ``snapshot.json``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

REL = 1e-9
#: every measure path of a facility, group and the company
PATHS = (
    "emissions.scope1", "emissions.scope2_location", "emissions.scope2_market",
    "emissions.total", "energy.direct", "energy.indirect", "energy.total",
    "energy.standard_coal", "water.running", "water.reclaimed", "water.total",
    "waste.hazardous", "waste.non_hazardous", "floor_area", "headcount",
)


def close(a: float | None, b: float | None) -> bool:
    """Equal to a relative 1e-9 (an absolute 1e-9 around zero); "not reported" (None)
    equals only itself."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-9)


def _add(measures: dict[str, float | None], path: str, value: float) -> None:
    """Add to a measure; a measure nothing was added to stays None (not reported)."""
    measures[path] = (measures[path] or 0.0) + value


def _plus(a: float | None, b: float | None) -> float | None:
    """a + b of two measures: None only when both are."""
    return None if a is None and b is None else (a or 0.0) + (b or 0.0)


def _table(pack: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.TextIOWrapper(pack.open(name), encoding="utf-8")))


def _rows(pack: zipfile.ZipFile) -> dict[tuple[str, str, str, str], float]:
    """Check each activity row's canonical quantity; sum them per line key."""
    conversions = {(u["activity"], u["unit"]): float(u["to_canonical"])
                   for u in _table(pack, "unit_conversions.csv")}
    sums: dict[tuple[str, str, str, str], float] = defaultdict(float)
    for row in _table(pack, "activity_rows.csv"):
        to_canonical = conversions[(row["activity"], row["unit"])]
        assert float(row["to_canonical"]) == to_canonical
        canonical = float(row["quantity"]) * float(row["share_in_year"]) * to_canonical
        assert close(canonical, float(row["quantity_canonical"])), row
        assert row["batch_id"] and row["source_row"]
        sums[(row["facility_code"], row["activity"], row["variant"], row["gas"])] += canonical
    return sums


#: Sources whose AR6 methane is non-fossil (27.0): combustion and biogenic (README.md).
_NON_FOSSIL = {"stationary_combustion", "mobile_combustion", "purchased_electricity",
               "purchased_heat", "wastewater"}


def _ar6_methane(line: dict[str, str]) -> float | None:
    """AR6 CH4 GWP by origin: non-fossil 27.0, fossil (fugitive) 29.8; None otherwise."""
    if (line["gwp_set"], line["gas"]) != ("AR6", "CH4"):
        return None
    return 27.0 if line["source"] in _NON_FOSSIL else 29.8


def _lines(pack: zipfile.ZipFile, sums: dict) -> list[dict[str, Any]]:
    """Check each calculation line against the rows, factors, blends and GWPs."""
    gwp = {g["gas"]: float(g["value"]) for g in _table(pack, "gwp.csv")}
    factors = {f["factor_id"]: float(f["value"]) for f in _table(pack, "factors.csv")}
    blends = {(b["blend"], b["component"]): float(b["mass_fraction"])
              for b in _table(pack, "blends.csv")}
    lines = []
    for line in _table(pack, "calculation_lines.csv"):
        key = (line["facility_code"], line["activity"], line["variant"], line["activity_gas"])
        quantity, kg = sums[key], float(line["kg_per_canonical"])
        assert close(quantity, float(line["quantity"])), line
        line_gwp = _ar6_methane(line) or gwp[line["gas"]]
        assert float(line["gwp"]) == line_gwp
        if line["factor_id"]:
            assert float(line["factor_value"]) == factors[line["factor_id"]]
        else:
            assert kg == (blends[(line["blend"], line["gas"])] if line["blend"] else 1.0)
        t_co2e = quantity * kg * line_gwp / 1000
        assert close(t_co2e, float(line["t_co2e"])), line
        lines.append({**line, "gas_kg": quantity * kg, "t_co2e": t_co2e})
    return lines


def _facilities(pack: zipfile.ZipFile, lines: list[dict[str, Any]]) -> dict[str, dict]:
    """Every measure of every in-boundary facility, by the rules of README.md."""
    energy = {e["activity"]: e for e in _table(pack, "energy_coefficients.csv")}
    measures: dict[str, dict[str, float | None]] = {}
    for year_row in _table(pack, "facility_years.csv"):
        if year_row["in_boundary"] == "true":
            measures[year_row["facility_code"]] = {
                **dict.fromkeys(PATHS), "floor_area": float(year_row["floor_area_m2"]),
                "headcount": float(year_row["headcount"])}
    for line in lines:
        scope = "emissions.scope1" if line["scope"] == "1" else "emissions.scope2_location"
        _add(measures[line["facility_code"]], scope, line["t_co2e"])
    for market in _table(pack, "market_lines.csv"):
        _add(measures[market["facility_code"]], "emissions.scope2_market",
             float(market["t_co2e"]))
    for row in _table(pack, "activity_rows.csv"):
        m, quantity = measures[row["facility_code"]], float(row["quantity_canonical"])
        if row["activity"] in energy:
            coefficient = energy[row["activity"]]
            _add(m, f"energy.{coefficient['energy_class']}",
                 quantity * float(coefficient["mwh_per_canonical"]))
            _add(m, "energy.standard_coal",
                 quantity * float(coefficient["kgce_per_canonical"]) / 1000)
        name = {"water_running": "water.running", "water_reclaimed": "water.reclaimed",
                "waste_hazardous": "waste.hazardous",
                "waste_non_hazardous": "waste.non_hazardous"}.get(row["activity"])
        if name:
            _add(m, name, quantity)
    for m in measures.values():
        m["emissions.total"] = _plus(m["emissions.scope1"], m["emissions.scope2_location"])
        m["energy.total"] = _plus(m["energy.direct"], m["energy.indirect"])
        m["water.total"] = _plus(m["water.running"], m["water.reclaimed"])
    return measures


def _summed(parts: list[dict[str, float | None]]) -> dict[str, float | None]:
    """The sum of each measure over ``parts``: None only when no part reports it."""
    total: dict[str, float | None] = dict.fromkeys(PATHS)
    for part in parts:
        for key, value in part.items():
            if value is not None:
                _add(total, key, value)
    return total


def reperform(path: Path) -> dict[str, Any]:
    """Re-perform the pack at ``path``; return the figures and the published results.

    Returns ``{"facilities", "company", "groups", "intensities", "by_source", "by_gas",
    "published"}``: measure dicts keyed by measure path (``emissions.scope1``, ...),
    intensities by (group, indicator), sums by (scope, source) and by gas, and the
    ``results`` of snapshot.json.
    """
    with zipfile.ZipFile(path) as pack:
        lines = _lines(pack, _rows(pack))
        facilities = _facilities(pack, lines)
        members: dict[str, list[str]] = defaultdict(list)
        for member in _table(pack, "group_members.csv"):
            members[member["group_name"]].append(member["facility_code"])
        formulas = json.loads(pack.read("formulas.json"))
        published = json.loads(pack.read("snapshot.json"))["results"]
    groups = {name: _summed([facilities[c] for c in codes if c in facilities])
              for name, codes in members.items()}
    intensities = {}
    for name, group in groups.items():
        for indicator, rule in formulas["intensities"].items():
            numerator, denominator = group[rule["numerator"]], group[rule["denominator"]]
            intensities[(name, indicator)] = (
                numerator / denominator if denominator and numerator is not None else None)
    by_source: dict[tuple[int, str], float] = defaultdict(float)
    by_gas: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in lines:
        by_source[(int(line["scope"]), line["source"])] += line["t_co2e"]
        by_gas[line["gas"]][0] += line["gas_kg"]
        by_gas[line["gas"]][1] += line["t_co2e"]
    return {
        "facilities": facilities, "company": _summed(list(facilities.values())),
        "groups": groups, "intensities": intensities, "by_source": by_source,
        "by_gas": by_gas, "published": published,
    }


def measure(node: dict[str, Any], path: str) -> float:
    """The value of a measure path (``energy.total``) in a published measures object."""
    for key in path.split("."):
        node = node[key]
    return node["value"]
