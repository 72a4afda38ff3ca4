"""The demo company's commitments: targets, reduction measures and contractual instruments.

Written beside the files of ``generate_demo`` for *Lanting Electronics Co., Ltd.*; every
number, certificate id and registry reference is invented. The targets follow the
disclosure of DISCLOSURE.md (set in 2021 for the office areas in mainland China, base
year 2020, target year 2025). The instruments include one deliberately bad certificate
(vintage 2020 claimed for 2023) that the inventory reports as excluded.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from envledger.demo.generate import OFFICE_GROUP

_TARGET_HEADER = ("name", "kind", "metric", "basis", "scope", "group", "base_year",
                  "target_year", "set_in_year", "reduction_pct", "description")
_TARGETS = (
    ("Office energy per capita -10 % by 2025", "reduction", "energy", "per_capita", "group",
     OFFICE_GROUP, "2020", "2025", "2021", "10",
     "Total energy consumption per capita reduced by 10 % by 2025 vs 2020"),
    ("Office GHG per capita -10 % by 2025", "reduction", "ghg", "per_capita", "group",
     OFFICE_GROUP, "2020", "2025", "2021", "10",
     "GHG emissions (Scope 1 + 2, location-based) per capita reduced by 10 % by 2025 vs 2020"),
    ("Office running water per capita no higher than 2020", "cap", "water", "per_capita",
     "group", OFFICE_GROUP, "2020", "2025", "2021", "",
     "Running water consumption per capita no higher than the base year 2020"),
    ("Non-hazardous waste sorted by category", "qualitative", "waste_non_hazardous", "",
     "group", OFFICE_GROUP, "", "", "2021", "",
     "Non-hazardous waste sorted by category at every office"),
    ("Hazardous waste handled by qualified third parties", "qualitative", "waste_hazardous",
     "", "group", OFFICE_GROUP, "", "", "2021", "",
     "All hazardous waste handled by qualified third parties"),
)

_MEASURE_HEADER = ("name", "category", "year", "facility_code", "savings_tco2e",
                   "savings_mwh", "savings_water_t", "estimate_method", "description")
_ESTIMATE = "Demo: metered consumption before and after, scaled to a year (fictional)"
_MEASURES = (
    ("Chiller plant setpoint optimisation", "temperature_control", "2020", "BJ-HQ", "118.4",
     "165.0", "", _ESTIMATE, "Chilled-water supply raised from 7 to 9 degC"),
    ("LED retrofit, office floors", "lighting", "2020", "SH-OF1", "52.6", "90.2", "",
     _ESTIMATE, "1,900 fluorescent fittings replaced"),
    ("Smart energy management system", "facilities", "2021", "", "310.0", "520.0", "",
     "Demo: EMS baseline model vs actual (fictional)", "Sub-metering at 12 offices"),
    ("Rooftop solar, smart factory", "renewable_energy", "2021", "SF-WUH", "402.5", "693.0",
     "", "Demo: inverter generation x grid factor (fictional)", "650 kWp self-consumed"),
    ("Low-flow fixtures", "water_saving", "2021", "", "", "", "8200",
     "Demo: fixture flow rates x occupancy (fictional)", "Taps and toilets at all offices"),
    ("Data center hot-aisle containment", "temperature_control", "2022", "DC-GY", "265.1",
     "685.0", "", _ESTIMATE, "PUE from 1.58 to 1.49"),
    ("Green building retrofit, Shenzhen", "building", "2022", "SZ-OF1", "61.9", "160.0", "",
     _ESTIMATE, "Facade shading and insulation"),
    ("Occupancy-sensor lighting, stores", "lighting", "2022", "", "84.0", "150.0", "",
     "Demo: sensor logs x fitting power (fictional)", "All self-operated stores"),
    ("Reclaimed water for cooling towers", "water_saving", "2022", "SF-WUH", "", "", "15600",
     "Demo: reclaimed water meter (fictional)", "Running water replaced by reclaimed"),
    ("Heat-pump water heaters, canteens", "facilities", "2023", "BJ-HQ", "35.2", "61.0", "",
     _ESTIMATE, "Replaces electric boilers"),
    ("Variable-speed drives on AHU fans", "temperature_control", "2023", "SH-OF1", "40.7",
     "74.0", "", _ESTIMATE, "24 air-handling units"),
    ("Green electricity certificates", "renewable_energy", "2023", "", "", "", "",
     "", "GEC and I-REC purchases; counted in market-based Scope 2, not as savings"),
)

_INSTRUMENT_HEADER = ("instrument_id", "type", "energy", "volume_mwh", "vintage", "market",
                      "facility_code", "retired", "retirement_reference",
                      "emission_rate_t_per_mwh", "claimed_year", "note")
_NOTE = "Fictional demo certificate (not real data)"
_INSTRUMENTS = (
    ("DEMO-GEC-2022-BJ-0001", "GEC", "electricity", "1200", "2022", "CN", "BJ-HQ", "yes",
     "DEMO-GEC-RET-2022-117", "", "2022", _NOTE),
    ("DEMO-GEC-2023-BJ-0001", "GEC", "electricity", "1500", "2023", "CN", "BJ-HQ", "yes",
     "DEMO-GEC-RET-2023-031", "", "2023", _NOTE),
    ("DEMO-GEC-2023-SF-0001", "GEC", "electricity", "2500", "2023", "CN", "SF-WUH", "yes",
     "DEMO-GEC-RET-2023-032", "", "2023", _NOTE),
    ("DEMO-GEC-2023-CN-0001", "GEC", "electricity", "2000", "2022", "CN", "", "yes",
     "DEMO-GEC-RET-2023-033", "", "2023", f"{_NOTE}; company-wide, pro rata in China"),
    ("DEMO-IREC-2023-IN-0001", "I-REC", "electricity", "300", "2023", "IN", "", "yes",
     "DEMO-IREC-CANCEL-88120", "", "2023", f"{_NOTE}; company-wide, pro rata in India"),
    ("DEMO-GEC-2020-SH-0001", "GEC", "electricity", "800", "2020", "CN", "SH-OF1", "yes",
     "DEMO-GEC-RET-2023-034", "", "2023", f"{_NOTE}; vintage too old: excluded"),
)


@dataclass(frozen=True)
class CommitmentFiles:
    """Paths of the demo company's targets, measures and instruments files."""

    targets_csv: Path
    measures_csv: Path
    instruments_csv: Path


def write_demo_targets(out_dir: Path) -> Path:
    """Write ``targets.csv``: the office-area targets of the demo disclosure."""
    return _write(out_dir / "targets.csv", _TARGET_HEADER, _TARGETS)


def write_demo_measures(out_dir: Path) -> Path:
    """Write ``measures.csv``: twelve reduction measures 2020-2023 across categories."""
    return _write(out_dir / "measures.csv", _MEASURE_HEADER, _MEASURES)


def write_demo_instruments(out_dir: Path) -> Path:
    """Write ``instruments.csv``: GECs for Chinese sites, an Indian I-REC, one bad GEC."""
    return _write(out_dir / "instruments.csv", _INSTRUMENT_HEADER, _INSTRUMENTS)


def write_demo_commitments(out_dir: Path) -> CommitmentFiles:
    """Write the three files into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return CommitmentFiles(
        write_demo_targets(out_dir), write_demo_measures(out_dir),
        write_demo_instruments(out_dir),
    )


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
