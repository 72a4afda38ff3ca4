"""Seeded generator of the fictional demo company.

``generate_demo(out_dir, seed=20231231)`` writes three import files (formats of
docs/internals.md, "Import files") for *Lanting Electronics Co., Ltd.*, a fictional
electronics maker shaped like the disclosure in DISCLOSURE.md. Every number is
invented; nothing describes a real company, site or supplier.

Shape of the company
--------------------
40 facilities, reporting years 2020-2023, base year 2020:

- 17 offices in mainland China on all seven grid regions (North: Beijing HQ, Beijing,
  Tianjin, Hebei; Northeast: Liaoning; Northwest: Shaanxi; East: Shanghai x2,
  Zhejiang, Jiangsu, Anhui, Fujian; South: Guangdong x2, Guangxi; Southwest:
  Sichuan; Central: Hubei) - group "Office areas in mainland China";
- the smart factory ``SF-WUH`` in Wuhan (type factory, sector manufacturing) -
  group "The smart factory";
- 4 warehouses; ``WH-CD1`` was acquired in 2021: its 2020 facility row has
  ``in_boundary = no`` while its 2020 activity data are present (for a later
  base-year recalculation);
- the data center ``DC-GY`` in Guiyang;
- 14 retail stores - group "Self-operated retail stores in mainland China";
- overseas offices in Bangalore and Mumbai (grid region ``IN-All``) and Singapore
  (``SG-All``, whose electricity has a supplier factor (market-based) and a grid
  average (location-based) in the demo's own factors file).

How the numbers are made
------------------------
One ``random.Random(seed)`` drives everything in a fixed order, so the same seed
gives byte-identical files. Floor area is mostly constant (an occasional 5-15 %
extension); headcount grows 1-5 % a year. Monthly activity rows (first to last day
of the month) follow:

- electricity = floor area x an intensity drawn per site [kWh/m2/yr] (offices
  85-145, retail 250-400, warehouses 30-60, factory ~150, data center ~1,250)
  x a 2 %/yr efficiency trend x a seasonal profile (cooling and heating weights
  by grid region, damped for the factory and the data center) x noise (sd 4 %);
  offices and stores in February/March 2020 are lower (closures);
- heat [GJ] for northern offices, November-March only, 0.25-0.40 GJ/m2/yr;
- natural gas at the factory and the Beijing HQ canteen, LPG at the Chengdu
  canteen, fleet gasoline and diesel, generator diesel and a little stationary
  gasoline in irregular months;
- refrigerant top-ups (1-3 a year per site and gas), rare fire-suppressant
  releases, wastewater COD at the factory (anaerobic reactor and aerobic);
- running water per capita (reclaimed water at four sites), non-hazardous waste
  per capita split into recycling and landfill or incineration (recycling share
  rising), hazardous waste by licensed third parties.

Months without an event have no row (about 6,700 activity rows in all, 160
facility-year rows, 8 factors; generation takes well under a second). Data
sources are mostly ``invoice`` and ``measured``; some store months are
``estimated``. Quantities have 2 decimals.
"""

from __future__ import annotations

import calendar
import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ORGANIZATION = "Lanting Electronics Co., Ltd."
BASE_YEAR = 2020
YEARS = (2020, 2021, 2022, 2023)
OFFICE_GROUP = "Office areas in mainland China"
FACTORY_GROUP = "The smart factory"
RETAIL_GROUP = "Self-operated retail stores in mainland China"
GROUPS = (OFFICE_GROUP, FACTORY_GROUP, RETAIL_GROUP)
ENTERING_FACILITY = "WH-CD1"


@dataclass(frozen=True)
class DemoFiles:
    """Paths and facts of a generated demo company."""

    facilities_csv: Path
    activities_csv: Path
    factors_csv: Path
    organization: str = ORGANIZATION
    base_year: int = BASE_YEAR
    years: tuple[int, ...] = YEARS
    groups: tuple[str, ...] = GROUPS


@dataclass(frozen=True)
class _Site:
    code: str
    name: str
    type: str
    province: str
    grid_region: str
    area: float  # [m2] in the base year
    headcount: int  # [persons] in the base year

    @property
    def country(self) -> str:
        return self.province[:2]


_SITES = (
    _Site("BJ-HQ", "Beijing headquarters", "office", "CN-BJ", "CN-North", 42000, 3200),
    _Site("BJ-OF2", "Beijing Zhongguancun office", "office", "CN-BJ", "CN-North", 6500, 480),
    _Site("TJ-OF1", "Tianjin office", "office", "CN-TJ", "CN-North", 8000, 520),
    _Site("SJZ-OF1", "Shijiazhuang office", "office", "CN-HE", "CN-North", 3500, 210),
    _Site("SY-OF1", "Shenyang office", "office", "CN-LN", "CN-Northeast", 4200, 260),
    _Site("XA-OF1", "Xi'an office", "office", "CN-SN", "CN-Northwest", 5200, 380),
    _Site("SH-OF1", "Shanghai office 1", "office", "CN-SH", "CN-East", 18000, 1350),
    _Site("SH-OF2", "Shanghai office 2", "office", "CN-SH", "CN-East", 5000, 360),
    _Site("HZ-OF1", "Hangzhou office", "office", "CN-ZJ", "CN-East", 4500, 310),
    _Site("NJ-OF1", "Nanjing office", "office", "CN-JS", "CN-East", 4000, 290),
    _Site("HF-OF1", "Hefei office", "office", "CN-AH", "CN-East", 3800, 250),
    _Site("XM-OF1", "Xiamen office", "office", "CN-FJ", "CN-East", 3000, 190),
    _Site("SZ-OF1", "Shenzhen office", "office", "CN-GD", "CN-South", 15000, 1100),
    _Site("GZ-OF1", "Guangzhou office", "office", "CN-GD", "CN-South", 6000, 420),
    _Site("NN-OF1", "Nanning office", "office", "CN-GX", "CN-South", 2800, 160),
    _Site("CD-OF1", "Chengdu office", "office", "CN-SC", "CN-Southwest", 7500, 560),
    _Site("WUH-OF1", "Wuhan office", "office", "CN-HB", "CN-Central", 4800, 330),
    _Site("SF-WUH", "Wuhan smart factory", "factory", "CN-HB", "CN-Central", 68000, 1850),
    _Site("WH-TJ1", "Tianjin warehouse", "warehouse", "CN-TJ", "CN-North", 22000, 60),
    _Site("WH-SH1", "Shanghai Jiading warehouse", "warehouse", "CN-SH", "CN-East", 18000, 55),
    _Site("WH-GZ1", "Guangzhou warehouse", "warehouse", "CN-GD", "CN-South", 16000, 48),
    _Site("WH-CD1", "Chengdu warehouse", "warehouse", "CN-SC", "CN-Southwest", 12000, 35),
    _Site("DC-GY", "Guiyang data center", "data_center", "CN-GZ", "CN-South", 6000, 42),
    _Site("RS-BJ01", "Beijing store 1", "retail_store", "CN-BJ", "CN-North", 1100, 28),
    _Site("RS-BJ02", "Beijing store 2", "retail_store", "CN-BJ", "CN-North", 650, 16),
    _Site("RS-TJ01", "Tianjin store", "retail_store", "CN-TJ", "CN-North", 520, 14),
    _Site("RS-XA01", "Xi'an store", "retail_store", "CN-SN", "CN-Northwest", 480, 12),
    _Site("RS-SH01", "Shanghai store 1", "retail_store", "CN-SH", "CN-East", 1200, 30),
    _Site("RS-SH02", "Shanghai store 2", "retail_store", "CN-SH", "CN-East", 700, 18),
    _Site("RS-HZ01", "Hangzhou store", "retail_store", "CN-ZJ", "CN-East", 560, 14),
    _Site("RS-NJ01", "Nanjing store", "retail_store", "CN-JS", "CN-East", 540, 13),
    _Site("RS-SZ01", "Shenzhen store 1", "retail_store", "CN-GD", "CN-South", 950, 24),
    _Site("RS-SZ02", "Shenzhen store 2", "retail_store", "CN-GD", "CN-South", 600, 15),
    _Site("RS-SZ03", "Shenzhen store 3", "retail_store", "CN-GD", "CN-South", 420, 11),
    _Site("RS-GZ01", "Guangzhou store", "retail_store", "CN-GD", "CN-South", 800, 20),
    _Site("RS-CD01", "Chengdu store", "retail_store", "CN-SC", "CN-Southwest", 720, 18),
    _Site("RS-WUH01", "Wuhan store", "retail_store", "CN-HB", "CN-Central", 610, 15),
    _Site("IN-BLR", "Bangalore office", "office", "IN-KA", "IN-All", 3500, 280),
    _Site("IN-BOM", "Mumbai office", "office", "IN-MH", "IN-All", 1800, 120),
    _Site("SG-SIN", "Singapore office", "office", "SG-01", "SG-All", 1200, 80),
)

# Seasonal weights by month (January first).
_COOLING = (0.0, 0.0, 0.0, 0.1, 0.3, 0.7, 1.0, 1.0, 0.6, 0.2, 0.0, 0.0)
_HEATING = (1.0, 0.8, 0.4, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 0.9)
_HEAT_SEASON = (0.27, 0.21, 0.13, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.15, 0.24)
_CLIMATE = {  # (cooling, electric heating) amplitude by grid region
    "CN-North": (0.35, 0.10), "CN-Northeast": (0.25, 0.10), "CN-Northwest": (0.30, 0.10),
    "CN-East": (0.45, 0.25), "CN-Central": (0.50, 0.25), "CN-South": (0.60, 0.05),
    "CN-Southwest": (0.35, 0.20), "IN-All": (0.30, 0.0), "SG-All": (0.0, 0.0),
}
_WEATHER = {"office": 1.0, "retail_store": 1.0, "warehouse": 0.6, "factory": 0.4,
            "data_center": 0.15}
_ELECTRICITY = {"office": (85, 145), "retail_store": (250, 400), "warehouse": (30, 60),
                "factory": (140, 160), "data_center": (1150, 1350)}  # [kWh/m2/yr]
_WATER = {"office": (14, 22), "warehouse": (10, 16), "factory": (50, 70),
          "data_center": (900, 1200)}  # [t/person/yr]
_WASTE = {"office": (0.08, 0.15), "warehouse": (1.5, 2.5), "factory": (0.5, 0.7),
          "data_center": (0.4, 0.6)}  # non-hazardous [t/person/yr]
_RECLAIMED = {"BJ-HQ": 0.30, "TJ-OF1": 0.20, "SF-WUH": 0.25, "DC-GY": 0.35}  # share of running
_FLEET = {("BJ-HQ", "gasoline_vehicle"): 1800, ("SH-OF1", "gasoline_vehicle"): 700,
          ("SZ-OF1", "gasoline_vehicle"): 500, ("SF-WUH", "diesel_vehicle"): 3000,
          ("WH-TJ1", "diesel_vehicle"): 1200, ("WH-SH1", "diesel_vehicle"): 900}  # [L/month]
_REFRIGERANTS = {"BJ-HQ": ("R-410A", "HFC-134a"), "SH-OF1": ("R-410A",), "SZ-OF1": ("HFC-32",),
                 "GZ-OF1": ("R-410A",), "SF-WUH": ("R-407C", "HFC-32", "HFC-134a"),
                 "WH-SH1": ("R-404A",), "WH-GZ1": ("R-404A",), "DC-GY": ("HFC-134a", "R-407C"),
                 "RS-SH01": ("R-410A",), "RS-SZ01": ("R-410A",), "IN-BLR": ("R-410A",),
                 "SG-SIN": ("HFC-32",)}
_SUPPRESSANTS = (("DC-GY", "HFC-227ea", 35, 70), ("BJ-HQ", "HFC-227ea", 8, 20),
                 ("SF-WUH", "CO2", 20, 45))  # one release each [kg]
_TAGS = {"electricity": "E", "heat": "H", "natural_gas": "NG", "diesel": "DSL",
         "gasoline": "GSL", "lpg": "LPG", "diesel_vehicle": "DV", "gasoline_vehicle": "GV",
         "refrigerant": "REF", "fire_suppressant": "FS", "wastewater_cod": "COD",
         "water_running": "W", "water_reclaimed": "RW", "waste_hazardous": "HW",
         "waste_non_hazardous": "NHW"}

_FACILITY_HEADER = ("code", "name", "type", "country", "province", "grid_region", "sector",
                    "groups", "year", "floor_area_m2", "headcount", "in_boundary",
                    "boundary_note")
_ACTIVITY_HEADER = ("facility_code", "period_start", "period_end", "activity", "quantity",
                    "unit", "data_source", "gas", "treatment", "disposal_route", "reference")
_FACTOR_HEADER = ("factor_id", "series", "activity", "variant", "gas", "value", "unit", "tier",
                  "geography_code", "sector", "data_year", "valid_from", "valid_to", "citation",
                  "confidence", "note")

Amount = Callable[[int, int], float]  # (year, month) -> expected quantity


@dataclass(frozen=True)
class _Year:
    area: float  # [m2]
    headcount: int  # [persons]


class _Ledger:
    """Collects activity rows; owns the random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[tuple[str, ...]] = []

    def add(self, site: _Site, year: int, month: int, activity: str, quantity: float,
            unit: str, source: str = "invoice", gas: str = "", treatment: str = "",
            route: str = "") -> None:
        last = calendar.monthrange(year, month)[1]
        label = gas or treatment or route
        tag = _TAGS[activity] + ("-" + label.replace("-", "").upper() if label else "")
        prefix = {"invoice": "INV", "measured": "MTR"}.get(source)
        reference = f"{prefix}-{year}-{month:02d}-{site.code}-{tag}" if prefix else ""
        self.rows.append((site.code, f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}",
                          activity, f"{quantity:.2f}", unit, source, gas, treatment, route,
                          reference))

    def monthly(self, site: _Site, activity: str, unit: str, amount: Amount,
                source: str = "invoice", estimated: float = 0.0, spread: float = 0.04,
                **variant: str) -> None:
        """One row per month with a positive expected amount, with noise; an explicit zero
        reading in the other months (a heat meter in summer), so coverage is complete."""
        for year in YEARS:
            for month in range(1, 13):
                expected = amount(year, month)
                if expected <= 0:
                    self.add(site, year, month, activity, 0.0, unit, source, **variant)
                    continue
                noise = min(1.25, max(0.75, self.rng.gauss(1.0, spread)))
                kind = "estimated" if self.rng.random() < estimated else source
                self.add(site, year, month, activity, expected * noise, unit, kind, **variant)

    def events(self, site: _Site, activity: str, unit: str, months: int,
               low: float, high: float, source: str = "invoice", **variant: str) -> None:
        """`months` rows per year in distinct random months, each uniform in [low, high];
        a zero row in the other months (nothing collected), so coverage is complete."""
        for year in YEARS:
            chosen = set(self.rng.sample(range(1, 13), months))
            for month in range(1, 13):
                quantity = self.rng.uniform(low, high) if month in chosen else 0.0
                self.add(site, year, month, activity, quantity, unit, source, **variant)


def _profile(weights: Sequence[float]) -> tuple[float, ...]:
    """Scale monthly weights to a mean of 1 (an annual total / 12 times this)."""
    mean = sum(weights) / 12
    return tuple(w / mean for w in weights)


def _closures(site: _Site, year: int, month: int) -> float:
    if year == 2020 and site.type in ("office", "retail_store") and site.country == "CN":
        return {2: 0.6, 3: 0.85}.get(month, 1.0)
    return 1.0


def _facility_years(site: _Site, rng: random.Random) -> dict[int, _Year]:
    area, heads = float(site.area), float(site.headcount)
    growth = rng.uniform(0.01, 0.05)
    years = {}
    for year in YEARS:
        if year > BASE_YEAR:
            heads *= 1 + growth + rng.uniform(-0.01, 0.01)
            if rng.random() < 0.15:
                area *= rng.uniform(1.05, 1.15)
        years[year] = _Year(round(area, -1), round(heads))
    return years


def _energy(led: _Ledger, site: _Site, fy: dict[int, _Year]) -> None:
    cool, heat = _CLIMATE[site.grid_region]
    sens = _WEATHER[site.type]
    shape = _profile([1 + sens * (cool * c + heat * h) for c, h in zip(_COOLING, _HEATING,
                                                                       strict=True)])
    intensity = led.rng.uniform(*_ELECTRICITY[site.type])
    big = site.type in ("factory", "data_center")
    scale = 1000.0 if big else 1.0

    def electricity(y: int, m: int) -> float:
        annual = fy[y].area * intensity * 0.98 ** (y - BASE_YEAR) / scale
        return annual / 12 * shape[m - 1] * _closures(site, y, m)

    led.monthly(site, "electricity", "MWh" if big else "kWh", electricity,
                "measured" if big else "invoice",
                estimated=0.04 if site.type == "retail_store" else 0.0)
    if site.type == "office" and site.grid_region in ("CN-North", "CN-Northeast", "CN-Northwest"):
        gj = led.rng.uniform(0.25, 0.40)
        severity = {y: led.rng.uniform(0.93, 1.07) for y in YEARS}
        led.monthly(site, "heat", "GJ", lambda y, m: fy[y].area * gj * 0.985 ** (y - BASE_YEAR)
                    * severity[y] * _HEAT_SEASON[m - 1])


def _fuels(led: _Ledger, site: _Site) -> None:
    gas_shape = _profile([1 + 0.6 * h for h in _HEATING])
    if site.code == "SF-WUH":
        led.monthly(site, "natural_gas", "m3", lambda y, m: 4200 * gas_shape[m - 1]
                    * 0.98 ** (y - BASE_YEAR), "measured")
        _irregular(led, site, "gasoline", 0.3, 15, 60)
    if site.code == "BJ-HQ":
        led.monthly(site, "natural_gas", "m3", lambda y, m: 1500 * _closures(site, y, m))
    if site.code == "CD-OF1":
        led.monthly(site, "lpg", "kg", lambda y, m: 350 * _closures(site, y, m))
    if site.code in ("SF-WUH", "DC-GY"):
        _irregular(led, site, "diesel", 0.4, 60, 400)
    for (code, activity), litres in _FLEET.items():
        if code == site.code:
            led.monthly(site, activity, "L", lambda y, m, q=litres: q * 0.97 ** (y - BASE_YEAR),
                        spread=0.08)


def _irregular(led: _Ledger, site: _Site, activity: str, chance: float, low: float,
               high: float) -> None:
    """Generator tests and small equipment: fuel in a month with probability `chance`, an
    explicit zero reading in the other months (so coverage is complete)."""
    for year in YEARS:
        for month in range(1, 13):
            litres = led.rng.uniform(low, high) if led.rng.random() < chance else 0.0
            led.add(site, year, month, activity, litres, "L", "measured")


def _fugitive(led: _Ledger, site: _Site) -> None:
    for gas in _REFRIGERANTS.get(site.code, ()):
        high = 60.0 if gas == "HFC-134a" and site.type != "office" else 15.0
        for year in YEARS:
            for month in sorted(led.rng.sample(range(1, 13), led.rng.randint(1, 3))):
                led.add(site, year, month, "refrigerant", led.rng.uniform(1.5, high), "kg",
                        gas=gas)
    for code, gas, low, high in _SUPPRESSANTS:
        if code == site.code:
            year, month = led.rng.choice(YEARS), led.rng.randint(1, 12)
            led.add(site, year, month, "fire_suppressant", led.rng.uniform(low, high), "kg",
                    gas=gas)
    if site.code == "SF-WUH":
        for treatment, kg in (("anaerobic_reactor", 1100), ("aerobic_well_managed", 250)):
            led.monthly(site, "wastewater_cod", "kg", lambda y, m, q=kg: q, "measured",
                        spread=0.1, treatment=treatment)


def _water_and_waste(led: _Ledger, site: _Site, fy: dict[int, _Year]) -> None:
    if site.type == "retail_store":
        return
    shape = _profile([1 + 0.3 * _WEATHER[site.type] * c for c in _COOLING])
    per_capita = led.rng.uniform(*_WATER[site.type])
    unit = led.rng.choice(("t", "m3"))

    def running(y: int, m: int) -> float:
        return fy[y].headcount * per_capita * 0.99 ** (y - BASE_YEAR) / 12 * shape[m - 1]

    led.monthly(site, "water_running", unit, running)
    if site.code in _RECLAIMED:
        share = _RECLAIMED[site.code]
        led.monthly(site, "water_reclaimed", unit, lambda y, m: running(y, m) * share, "measured")
    if site.country != "CN":
        return
    waste = led.rng.uniform(*_WASTE[site.type])
    kg = site.type == "office"
    residual = "incineration" if site.grid_region in ("CN-East", "CN-South") else "landfill"
    recycled = 0.4 + led.rng.uniform(-0.05, 0.05)
    scale = 1000.0 if kg else 1.0

    def share(year: int, route: str) -> float:
        part = recycled + 0.04 * (year - BASE_YEAR)
        return part if route == "recycling" else 1 - part

    for route in ("recycling", residual):
        led.monthly(site, "waste_non_hazardous", "kg" if kg else "t",
                    lambda y, m, r=route: fy[y].headcount * waste * share(y, r) / 12 * scale,
                    "measured", spread=0.1, route=route)
    _hazardous(led, site, fy)


def _hazardous(led: _Ledger, site: _Site, fy: dict[int, _Year]) -> None:
    route = "licensed_third_party"
    if site.type == "office":
        per_capita = led.rng.uniform(0.6, 1.4)  # [kg/person/yr], picked up quarterly
        led.monthly(site, "waste_hazardous", "kg",
                    lambda y, m: fy[y].headcount * per_capita / 4 if m % 3 == 0 else 0.0,
                    spread=0.15, route=route)
    elif site.type == "factory":
        led.monthly(site, "waste_hazardous", "t", lambda y, m: fy[y].headcount * 0.02 / 12,
                    "measured", spread=0.15, route=route)
    elif site.type == "data_center":  # UPS batteries, once a year
        led.events(site, "waste_hazardous", "t", 1, 0.8, 2.5, "measured", route="recycling")


def _factors() -> list[tuple[str, ...]]:
    note = "Fictional demo value (not real data)"
    rows = []
    for year, value in zip(YEARS, ("0.4212", "0.4168", "0.4131", "0.4094"), strict=True):
        rows.append((f"demo-sg-sin-electricity-{year}", "demo_supplier", "electricity", "",
                     "CO2", value, "t/MWh", "supplier", "SG-SIN", "", str(year), str(year), "",
                     "Demo: fictional supplier disclosure (not real data)", "NV",
                     f"{note}; Singapore office electricity retailer"))
    # The supplier rate counts market-based only (GHG Protocol Scope 2 Guidance ch. 6):
    # location-based Scope 2 in Singapore needs a grid average, which the library lacks.
    for year, value in zip(YEARS, ("0.4085", "0.4057", "0.4168", "0.4120"), strict=True):
        rows.append((f"demo-sg-grid-electricity-{year}", "demo_grid", "electricity", "",
                     "CO2", value, "t/MWh", "national", "SG", "", str(year), "", "",
                     "Demo: fictional grid average (not real data)", "NV",
                     f"{note}; Singapore grid average for location-based Scope 2"))
    for year, value in zip(YEARS, ("2.041", "2.056", "2.048", "2.052"), strict=True):
        rows.append((f"demo-sf-wuh-natural-gas-co2-{year}", "demo_measured", "natural_gas", "",
                     "CO2", value, "kg/m3", "measured", "SF-WUH", "", str(year), str(year), "",
                     "Demo: fictional gas composition analysis (not real data)", "NV",
                     f"{note}; CH4 and N2O come from the library"))
    return rows


def _group(site: _Site) -> str:
    if site.type == "office" and site.country == "CN":
        return OFFICE_GROUP
    return {"factory": FACTORY_GROUP, "retail_store": RETAIL_GROUP}.get(site.type, "")


def _write(path: Path, header: Sequence[str], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


DEMO_SEED = 20231231
"""The documented seed of the demo company."""


def generate_demo(out_dir: Path, seed: int = DEMO_SEED) -> DemoFiles:
    """Write the demo company's facilities, activities and factors CSV files.

    Parameters
    ----------
    out_dir : directory to write ``facilities.csv``, ``activities.csv`` and
        ``factors.csv`` into (created if missing).
    seed : seed of the random stream; the same seed gives byte-identical files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    led = _Ledger(random.Random(seed))
    facility_rows: list[tuple[str, ...]] = []
    for site in _SITES:
        fy = _facility_years(site, led.rng)
        for year, values in fy.items():
            entering = site.code == ENTERING_FACILITY and year == BASE_YEAR
            facility_rows.append((
                site.code, site.name, site.type, site.country, site.province, site.grid_region,
                "manufacturing" if site.type == "factory" else "", _group(site), str(year),
                f"{values.area:.0f}", str(values.headcount), "no" if entering else "yes",
                "entered boundary 2021 (acquired)" if entering else ""))
        _energy(led, site, fy)
        _fuels(led, site)
        _fugitive(led, site)
        _water_and_waste(led, site, fy)
    files = DemoFiles(out_dir / "facilities.csv", out_dir / "activities.csv",
                      out_dir / "factors.csv")
    _write(files.facilities_csv, _FACILITY_HEADER, facility_rows)
    _write(files.activities_csv, _ACTIVITY_HEADER, led.rows)
    _write(files.factors_csv, _FACTOR_HEADER, _factors())
    return files
