"""Writing import templates: the header, realistic example rows and (XLSX) a column guide."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter

from envledger.data import load_activity_catalog
from envledger.errors import InputError, InputProblem
from envledger.io import activities, facilities, factors, instruments, measures, targets

KINDS = ("facilities", "activities", "factors", "targets", "measures", "instruments")

Cell = str | int | float | date


@dataclass(frozen=True)
class Column:
    """One column of an import file as the template explains it."""

    name: str
    unit: str
    allowed: str


@dataclass(frozen=True)
class Template:
    """Columns in file order, the required ones, and example rows."""

    columns: tuple[Column, ...]
    required: tuple[str, ...]
    examples: tuple[tuple[Cell, ...], ...]


def write_template(kind: str, path: Path | str) -> Path:
    """Write an import template for `kind` (facilities, activities, factors) as CSV or XLSX."""
    path = Path(path)
    if kind not in KINDS:
        raise InputError([InputProblem(
            path.name, None, None, f"unknown template '{kind}': expected one of {', '.join(KINDS)}"
        )])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError([InputProblem(
            path.name, None, None, f"unsupported file type '{suffix}': expected .csv or .xlsx"
        )])
    template = _template(kind)
    if suffix == ".csv":
        _write_csv(template, path)
    else:
        _write_xlsx(template, path)
    return path


def _template(kind: str) -> Template:
    if kind == "facilities":
        return _facilities()
    if kind == "activities":
        return _activities()
    if kind == "factors":
        return _factors()
    return {"targets": _targets, "measures": _measures, "instruments": _instruments}[kind]()


def _facilities() -> Template:
    columns = (
        Column("code", "", "Your short, unique facility code, used in activity files"),
        Column("name", "", "Facility name as reported"),
        Column("type", "", ", ".join(facilities.TYPES)),
        Column("country", "", "ISO 3166-1 alpha-2 code, e.g. CN, IN"),
        Column("province", "", "ISO 3166-2 code, e.g. CN-GD; may be empty"),
        Column("grid_region", "", "Electricity grid region, e.g. CN-South, IN-All; may be empty"),
        Column("sector", "", "commercial or manufacturing; empty = from type "
               "(factory -> manufacturing, else commercial)"),
        Column("groups", "", "Optional facility groups, separated by ';'"),
        Column("year", "", "Reporting year, 1990..2100"),
        Column("floor_area_m2", "m2", "Floor area in the year, 0 or more"),
        Column("headcount", "persons", "Average headcount in the year, 0 or more"),
        Column("in_boundary", "", "yes/no (or true/false, 1/0): inside the reporting boundary"),
        Column("boundary_note", "", "Optional: why the facility is in or out of the boundary"),
        Column("expected_activities", "", "Optional activities the facility must report in "
               "the year (beyond those of the year before or after), separated by ';'"),
        Column("in_boundary_from", "", "Optional ISO date within the year: first day inside "
               "the boundary (acquisition); empty = 1 January"),
        Column("in_boundary_to", "", "Optional ISO date within the year: last day inside "
               "the boundary (divestment); empty = 31 December"),
    )
    examples = (
        ("SH-HQ", "Shanghai headquarters", "office", "CN", "CN-SH", "CN-East", "",
         "Office areas in mainland China", 2024, 5200, 310, "yes", "",
         "water_running; waste_non_hazardous", "", ""),
        ("GZ-P1", "Guangzhou plant", "factory", "CN", "CN-GD", "CN-South", "",
         "Manufacturing sites", 2024, 18500, 640, "yes", "Acquired on 1 July 2024", "",
         date(2024, 7, 1), ""),
        ("PN-WH", "Pune warehouse", "warehouse", "IN", "IN-MH", "IN-All", "", "", 2024, 7200, 45,
         "no", "Leased; the landlord has operational control", "", "", ""),
    )
    return Template(columns, facilities.REQUIRED, examples)


def _activities() -> Template:
    catalog = load_activity_catalog().to_pylist()
    columns = (
        Column("facility_code", "", "Code of a facility already in the ledger"),
        Column("period_start", "date", "First day of the period, YYYY-MM-DD"),
        Column("period_end", "date", "Last day of the period (inclusive), YYYY-MM-DD"),
        Column("activity", "", "; ".join(f"{a['activity']} ({a['label']})" for a in catalog)),
        Column("quantity", "see unit", "Amount in the period, 0 or more, '.' as decimal point"),
        Column("unit", "", "; ".join(f"{a['activity']}: {a['units']}" for a in catalog)),
        Column("data_source", "", ", ".join(activities.DATA_SOURCES)),
        Column("gas", "", "Gas or blend, e.g. HFC-134a, R-410A: only for refrigerant and "
               "fire_suppressant"),
        Column("treatment", "", "Only for wastewater_cod: " + ", ".join(activities.TREATMENTS)),
        Column("disposal_route", "", "Optional, waste activities only, e.g. recycling, landfill"),
        Column("reference", "", "Optional: invoice or meter number"),
        Column("technology", "", "Only for gasoline_vehicle, optional: "
               + ", ".join(activities.VEHICLE_TECHNOLOGIES) + " (empty = uncontrolled)"),
        Column("uncertainty_pct", "%", "Optional: the row's relative 95 % uncertainty, e.g. 50"
               " for an estimate from a benchmark; empty = the default of data_source"),
    )
    examples = (
        ("SH-HQ", date(2024, 1, 1), date(2024, 1, 31), "electricity", 182400, "kWh", "invoice",
         "", "", "", "SGCC bill 3100-2401", "", ""),
        ("GZ-P1", date(2024, 1, 1), date(2024, 3, 31), "natural_gas", 41250.5, "m3", "measured",
         "", "", "", "meter NG-01", "", ""),
        ("GZ-P1", date(2024, 5, 12), date(2024, 5, 12), "refrigerant", 12.5, "kg", "invoice",
         "R-410A", "", "", "service ticket 5531", "", ""),
        ("GZ-P1", date(2024, 1, 1), date(2024, 12, 31), "wastewater_cod", 8600, "kg", "measured",
         "", "anaerobic_reactor", "", "COD lab reports 2024", "", ""),
    )
    return Template(columns, activities.REQUIRED, examples)


def _factors() -> Template:
    columns = (
        Column("factor_id", "", "Unique id of the factor"),
        Column("series", "", "Name of the factor series (publication or supplier)"),
        Column("activity", "", ", ".join(load_activity_catalog().column("activity").to_pylist())),
        Column("variant", "", "Only for wastewater_cod: " + ", ".join(activities.TREATMENTS)
               + "; gasoline_vehicle: " + ", ".join(activities.VEHICLE_TECHNOLOGIES)),
        Column("gas", "", "CO2, CH4, N2O, ... (the numerator of the unit)"),
        Column("value", "see unit", "0 or more"),
        Column("unit", "", "<mass>/<activity unit>, e.g. kg/kWh, t/MWh, kg/TJ, kg/m3;"
               " the gas may be written in it (kgCO2/L, tCO2e/MWh, gCH4/GJ) if it is the"
               " row's gas"),
        Column("tier", "", ", ".join(factors.TIERS) + " (best first)"),
        Column("geography_code", "", "facility code (measured, supplier), province (local), grid "
               "region (regional), country (industry, national), * (international)"),
        Column("sector", "", "Optional: commercial or manufacturing; required for industry"),
        Column("data_year", "year", "Optional: the year the data describe"),
        Column("valid_from", "year", "Optional: first reporting year the factor may be used"),
        Column("valid_to", "year", "Optional: last reporting year the factor may be used"),
        Column("citation", "", "Required: publication, table, edition or document reference"),
        Column("confidence", "", ", ".join(factors.CONFIDENCE)),
        Column("note", "", "Optional"),
    )
    examples = (
        ("gz_power_supplier_2024", "gz_power_supplier", "electricity", "", "CO2", 0.4312,
         "kg/kWh", "supplier", "GZ-P1", "", 2024, 2024, 2024,
         "Guangzhou Power Supply Co., supplier emission factor letter GPS-2024-117", "V2", ""),
        ("gz_p1_natural_gas_co2_2024", "gz_p1_fuel_analysis", "natural_gas", "", "CO2", 2.162,
         "kg/m3", "measured", "GZ-P1", "", 2024, 2024, "",
         "GZ-P1 fuel gas analysis report LAB-2024-031 (carbon content, ISO 6974)", "V1",
         "Measured carbon content x 44/12"),
    )
    return Template(columns, factors.REQUIRED, examples)


def _targets() -> Template:
    columns = (
        Column("name", "", "Unique name of the target"),
        Column("kind", "", "reduction (default when reduction_pct is given), cap (no higher "
               "than the base year) or qualitative (text only)"),
        Column("metric", "", ", ".join(targets.METRICS) + " (water = running water); empty "
               "for qualitative targets"),
        Column("basis", "", ", ".join(targets.BASES) + "; empty = absolute"),
        Column("scope", "", "company (all in-boundary facilities) or group; empty = company"),
        Column("group", "", "Facility group of a group target, as in the facilities file"),
        Column("base_year", "year", "Year the target is measured against"),
        Column("target_year", "year", "Year the target is to be met, after base_year"),
        Column("set_in_year", "year", "Optional: year the target was set"),
        Column("reduction_pct", "%", "Reduction targets: 15 = reduce by 15 %; else empty"),
        Column("description", "", "Optional; the text of a qualitative target"),
    )
    group = "Office areas in mainland China"
    examples = (
        ("Office energy per capita -10 %", "reduction", "energy", "per_capita", "group", group,
         2020, 2025, 2021, 10, ""),
        ("Office water per capita cap", "cap", "water", "per_capita", "group", group,
         2020, 2025, 2021, "", "No higher than the base year"),
        ("Hazardous waste handling", "qualitative", "waste_hazardous", "", "", "", "", "", 2021,
         "", "All hazardous waste handled by qualified third parties"),
    )
    return Template(columns, targets.REQUIRED, examples)


def _measures() -> Template:
    columns = (
        Column("name", "", "Name of the measure"),
        Column("category", "", ", ".join(measures.CATEGORIES)),
        Column("year", "year", "Year the measure was implemented"),
        Column("facility_code", "", "Optional: facility in the ledger; empty = company-wide"),
        Column("savings_tco2e", "tCO2e", "Optional: estimated GHG reduction in the year"),
        Column("savings_mwh", "MWh", "Optional: estimated energy saved in the year"),
        Column("savings_water_t", "t", "Optional: estimated water saved in the year"),
        Column("estimate_method", "", "How the savings were estimated (required with savings)"),
        Column("description", "", "Optional"),
    )
    examples = (
        ("LED retrofit, floors 3-12", "lighting", 2023, "SH-HQ", 41.2, 72.3, "",
         "metered before/after, 3 months each, scaled to a year", "1,850 fittings replaced"),
        ("Rainwater harvesting", "water_saving", 2023, "GZ-P1", "", "", 1250,
         "tank level logs", ""),
    )
    return Template(columns, measures.REQUIRED, examples)


def _instruments() -> Template:
    columns = (
        Column("instrument_id", "", "Certificate serial number or range, or contract id"),
        Column("type", "", ", ".join(instruments.INSTRUMENT_TYPES)),
        Column("energy", "", "electricity (default) or heat"),
        Column("volume_mwh", "MWh", "Volume of the instrument, above 0"),
        Column("vintage", "year", "Year of generation the instrument certifies"),
        Column("market", "", "Country of the market, ISO 3166-1 alpha-2, e.g. CN, IN"),
        Column("facility_code", "", "Optional: facility it is bought for; empty = company-wide "
               "(allocated pro rata in its market)"),
        Column("retired", "", "yes/no: retired or cancelled on behalf of the company"),
        Column("retirement_reference", "", "Registry retirement or cancellation reference"),
        Column("emission_rate_t_per_mwh", "tCO2e/MWh", "Empty = 0 for certificates, PPAs "
               "and green tariffs; required for supplier_rate"),
        Column("claimed_year", "year", "Reporting year the instrument is claimed for"),
        Column("note", "", "Optional"),
    )
    examples = (
        ("GEC-2024-000123-000622", "GEC", "electricity", 500, 2024, "CN", "SH-HQ", "yes",
         "China GEC platform retirement 2024-118", "", 2024, ""),
        ("IREC-IN-2024-88", "I-REC", "electricity", 300, 2024, "IN", "", "yes",
         "I-REC registry cancellation 77812", "", 2024, "company-wide, India"),
        ("GZ-POWER-2024", "supplier_rate", "electricity", 2000, 2024, "CN", "GZ-P1", "no", "",
         0.4312, 2024, "supplier disclosure GPS-2024-117"),
    )
    return Template(columns, instruments.REQUIRED, examples)


def _text(value: Cell) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv(template: Template, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([column.name for column in template.columns])
        writer.writerows([[_text(v) for v in row] for row in template.examples])


def _write_xlsx(template: Template, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    try:
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        data = book.add_worksheet("data")
        for col, column in enumerate(template.columns):
            data.write_string(0, col, column.name, header)
            data.set_column(col, col, max(12, len(column.name) + 2))
        for row, values in enumerate(template.examples, start=1):
            for col, value in enumerate(values):
                if isinstance(value, date):
                    data.write_datetime(row, col, value, day)
                elif isinstance(value, int | float):
                    data.write_number(row, col, value)
                elif value:
                    data.write_string(row, col, value)
        data.freeze_panes(1, 0)
        guide = book.add_worksheet("columns")
        for col, title in enumerate(("column", "required", "unit", "allowed values / meaning")):
            guide.write_string(0, col, title, header)
        for row, column in enumerate(template.columns, start=1):
            guide.write_string(row, 0, column.name)
            guide.write_string(row, 1, "yes" if column.name in template.required else "no")
            guide.write_string(row, 2, column.unit)
            guide.write_string(row, 3, column.allowed)
        guide.set_column(0, 0, 18)
        guide.set_column(3, 3, 100)
    finally:
        book.close()
