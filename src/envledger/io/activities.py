"""Reading activity-data files (meter readings, invoices, estimates) into a checked table."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from envledger.data import (
    load_activity_catalog,
    load_fuel_properties,
    load_gwp_blends,
    load_quantity_ceilings,
)
from envledger.errors import UnitError
from envledger.io.checks import TableCheck, all_of, one_line
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table
from envledger.methods.gwp import KNOWN_GASES
from envledger.methods.units import build_unit_conversions, normalize_unit

REQUIRED = (
    "facility_code", "period_start", "period_end", "activity", "quantity", "unit", "data_source",
)
OPTIONAL = ("gas", "treatment", "disposal_route", "reference", "technology", "uncertainty_pct")
WIDTH = len(REQUIRED) + len(OPTIONAL)
DATA_SOURCES = ("measured", "invoice", "estimated")
#: Wastewater treatments (methods.wastewater.MCF_DEFAULTS): ``anaerobic_lagoon`` is the
#: shallow one (depth < 2 m, MCF 0.2), ``anaerobic_lagoon_deep`` deeper than 2 m (MCF 0.8).
TREATMENTS = (
    "aerobic_well_managed", "aerobic_primary", "anaerobic_reactor", "anaerobic_lagoon",
    "anaerobic_lagoon_deep",
)
#: Gasoline vehicle technologies (IPCC 2006 Vol. 2 Table 3.2.2 rows); empty = uncontrolled,
#: the row envledger applied before the choice existed (docs/methodology.md).
VEHICLE_TECHNOLOGIES = ("uncontrolled", "oxidation_catalyst", "low_mileage_1995")
#: Largest relative 95 % uncertainty [%] a row may state (envledger bound, NV: a
#: lognormal with a 95 % factor of 10 has U of about 480 %).
MAX_UNCERTAINTY_PCT = 1000.0
# Database lengths [characters] of the columns stored as typed (store.models); columns
# checked against a list of allowed values need none.
LENGTHS = {"facility_code": 50, "gas": 30, "disposal_route": 40, "reference": 200}
UNKNOWN_FACILITY = (
    "'{facility_code}' is not a facility in the ledger: import it with a facilities file first"
)
NATURAL_KEY = ("facility_code", "activity", "gas", "variant", "period_start", "period_end")

SCHEMA = pa.schema([
    ("facility_code", pa.string()),
    ("period_start", pa.date32()),
    ("period_end", pa.date32()),
    ("activity", pa.string()),
    ("quantity", pa.float64()),
    ("unit", pa.string()),
    ("gas", pa.string()),
    ("variant", pa.string()),
    ("data_source", pa.string()),
    ("reference", pa.string()),
    ("source_row", pa.int32()),
    ("uncertainty_pct", pa.float64()),
])


def read_activities(
    path: Path | str, limits: ReadLimits | None = None, facilities: pa.Array | None = None,
    unknown_facility: str = UNKNOWN_FACILITY,
) -> pa.Table:
    """Read and check an activities file; quantities [unit of the row's `unit`]."""
    return check_activities(
        read_table(path, limits, WIDTH), Path(path).name, facilities, unknown_facility
    )


def parse_activities(
    data: bytes, file_name: str, limits: ReadLimits | None = None,
    facilities: pa.Array | None = None, unknown_facility: str = UNKNOWN_FACILITY,
) -> pa.Table:
    """Parse and check the bytes of an activities file (see `read_activities`)."""
    return check_activities(
        parse_table(data, file_name, limits, WIDTH), file_name, facilities, unknown_facility
    )


def check_activities(
    table: pa.Table, file_name: str, facilities: pa.Array | None = None,
    unknown_facility: str = UNKNOWN_FACILITY,
) -> pa.Table:
    """Check a table of activity strings; return it typed as `SCHEMA` or raise InputError.

    Units are returned in the catalog's spelling (e.g. 'litre' -> 'L'); treatment,
    technology and disposal_route become `variant`; gas and variant are '' when empty.
    ``facilities`` (the codes in the ledger, or those the importer may write; None = not
    checked here) lets an unknown facility code be reported with every other problem of
    the file, not after they are fixed; ``unknown_facility`` is its message
    ({facility_code}).
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS)
    catalog = load_activity_catalog()
    activities = catalog.column("activity")

    facility = check.required("facility_code")
    if facilities is not None:
        check.flag(
            all_of(pc.not_equal(facility, ""),
                   pc.invert(pc.is_in(facility, value_set=facilities))),
            "facility_code", unknown_facility,
        )
    activity = check.one_of("activity", activities.to_pylist())
    start = check.date("period_start")
    end = check.date("period_end")
    check.flag(
        pc.less(end, start), "period_end",
        "{period_end} is before period_start {period_start}",
    )
    quantity = check.number("quantity")
    data_source = check.one_of("data_source", DATA_SOURCES)
    uncertainty = check.number("uncertainty_pct", empty_ok=True)
    check.flag(
        pc.or_(pc.equal(uncertainty, 0), pc.greater(uncertainty, MAX_UNCERTAINTY_PCT)),
        "uncertainty_pct",
        f"{{uncertainty_pct}} is outside the accepted range: expected the row's relative 95 %"
        f" uncertainty in %, above 0 and at most {MAX_UNCERTAINTY_PCT:g} (empty = the"
        " default of its data_source)",
    )
    unit = _check_units(check, activity, catalog)
    _check_ceilings(check, activity, unit, quantity)

    entry = pc.index_in(activity, value_set=activities)
    gas_rule = pc.take(catalog.column("gas_column"), entry)
    variant_rule = pc.take(catalog.column("variant_column"), entry)
    gas = check.text("gas")
    check.flag(
        all_of(pc.equal(gas_rule, "required"), pc.equal(gas, "")), "gas",
        "is empty: {activity} needs the gas or blend, e.g. HFC-134a or R-410A",
    )
    gases = _accepted_gases()
    check.flag(
        all_of(
            pc.equal(gas_rule, "required"), pc.not_equal(gas, ""),
            pc.invert(pc.is_in(gas, pa.array(gases))),
        ),
        "gas",
        "'{gas}' is not a Kyoto-basket gas or known blend: expected e.g. HFC-134a, HFC-32, "
        "R-410A, R-407C, HFC-227ea, CO2 (HCFCs such as R-22 are reported outside Scope 1 "
        "under the GHG Protocol)",
    )
    check.flag(
        all_of(pc.equal(gas_rule, "forbidden"), pc.not_equal(gas, "")), "gas",
        "'{gas}' given for {activity}: gas is only for "
        + one_line(_with_rule(catalog, "gas_column", "required")),
    )

    treatment = pc.utf8_lower(check.text("treatment"))
    is_treated = pc.fill_null(pc.equal(variant_rule, "treatment"), False)
    check.flag(
        all_of(is_treated, pc.equal(treatment, "")), "treatment",
        f"is empty: {{activity}} needs one of {one_line(TREATMENTS)}",
    )
    check.flag(
        all_of(
            is_treated, pc.not_equal(treatment, ""),
            pc.invert(pc.is_in(treatment, pa.array(TREATMENTS))),
        ),
        "treatment", f"'{{treatment}}' is not allowed: expected one of {one_line(TREATMENTS)}",
    )
    check.flag(
        all_of(pc.invert(is_treated), pc.not_equal(treatment, ""), pc.is_valid(entry)),
        "treatment",
        "'{treatment}' given for {activity}: treatment is only for "
        + one_line(_with_rule(catalog, "variant_column", "treatment")),
    )
    route = check.text("disposal_route")
    check.flag(
        all_of(pc.not_equal(variant_rule, "disposal_route"), pc.not_equal(route, "")),
        "disposal_route",
        "'{disposal_route}' given for {activity}: disposal_route is only for "
        + one_line(_with_rule(catalog, "variant_column", "disposal_route")),
    )
    technology = _check_technology(check, variant_rule, entry, catalog)
    variant = pc.if_else(
        pc.equal(treatment, ""), pc.if_else(pc.equal(technology, ""), route, technology),
        treatment,
    )
    keys = [
        facility, pc.utf8_lower(check.text("activity")), gas, variant,
        check.text("period_start"), check.text("period_end"),
    ]
    check.duplicates(
        pa.table([*keys, check.text("source_row")], names=[*NATURAL_KEY, "source_row"]),
        "facility, activity, gas, treatment/route and period",
    )
    check.done()
    typed = pa.table(
        [
            facility, start, end, activity, quantity, unit, gas, variant,
            data_source, check.text("reference"), check.text("source_row"), uncertainty,
        ],
        schema=SCHEMA,
    )
    return typed


def _check_technology(
    check: TableCheck, variant_rule: pa.ChunkedArray, entry: pa.Array, catalog: pa.Table
) -> pa.ChunkedArray:
    """Flag technologies not in the list or given for another activity; return the variant."""
    technology = pc.utf8_lower(check.text("technology"))
    is_vehicle = pc.fill_null(pc.equal(variant_rule, "technology"), False)
    check.flag(
        all_of(
            is_vehicle, pc.not_equal(technology, ""),
            pc.invert(pc.is_in(technology, pa.array(VEHICLE_TECHNOLOGIES))),
        ),
        "technology",
        f"'{{technology}}' is not allowed: expected one of {one_line(VEHICLE_TECHNOLOGIES)}",
    )
    check.flag(
        all_of(pc.invert(is_vehicle), pc.not_equal(technology, ""), pc.is_valid(entry)),
        "technology",
        "'{technology}' given for {activity}: technology is only for "
        + one_line(_with_rule(catalog, "variant_column", "technology")),
    )
    # uncontrolled is the default: stored as '' so that both spellings are one variant
    return pc.if_else(pc.equal(technology, "uncontrolled"), "", technology)


def _check_units(check: TableCheck, activity: pa.ChunkedArray, catalog: pa.Table) -> pa.Array:
    """Flag unknown units and units not allowed for the activity; return catalog spellings."""
    typed = check.text("unit")
    distinct = pc.unique(typed)
    spellings = {text: _catalog_spelling(text) for text in distinct.to_pylist()}
    unit = pc.take(
        pa.array([s for s, _ in spellings.values()], pa.string()),
        pc.index_in(typed, value_set=distinct),
    )
    check.flag(pc.equal(typed, ""), "unit", "is empty: a unit is required, e.g. kWh, m3, L, t")
    check.flag(
        all_of(pc.is_null(unit), pc.not_equal(typed, "")), "unit",
        lambda row: spellings[row["unit"]][1],
    )
    allowed = {
        name: units.split()
        for name, units in zip(
            catalog.column("activity").to_pylist(), catalog.column("units").to_pylist(),
            strict=True,
        )
    }
    pairs = pa.array([f"{name} {u}" for name, units in allowed.items() for u in units])
    pair = pc.binary_join_element_wise(activity, unit, " ")
    check.flag(
        all_of(
            pc.is_valid(unit), pc.is_in(activity, value_set=catalog.column("activity")),
            pc.invert(pc.is_in(pair, value_set=pairs)),
        ),
        "unit",
        lambda row: (
            f"'{row['unit']}' for {row['activity']}: expected one of "
            f"{one_line(allowed[row['activity'].lower()])}"
        ),
    )
    return unit


@cache
def _ceilings() -> tuple[pa.Table, dict[str, tuple[float, str]]]:
    """The (activity, unit) -> canonical multiplier table, and each activity's ceiling."""
    catalog = load_activity_catalog()
    conversions = build_unit_conversions(catalog, load_fuel_properties())
    table = load_quantity_ceilings()
    ceilings = {
        row["activity"]: (row["max_per_row"], row["unit"])
        for row in table.select(["activity", "max_per_row", "unit"]).to_pylist()
    }
    return conversions, ceilings


def _check_ceilings(
    check: TableCheck, activity: pa.ChunkedArray, unit: pa.Array, quantity: pa.ChunkedArray
) -> None:
    """Refuse a quantity above what one row of its activity may hold (an overflow or a
    unit slip such as 1e12 kWh); the bounds are data/quantity_ceilings.csv."""
    conversions, ceilings = _ceilings()
    keys = pc.binary_join_element_wise(
        conversions.column("activity"), conversions.column("unit"), " ")
    pair = pc.binary_join_element_wise(activity, unit, " ")
    to_canonical = pc.take(conversions.column("to_canonical"),
                           pc.index_in(pair, value_set=keys))
    limit = pa.array([value for value, _ in ceilings.values()], pa.float64())
    ceiling = pc.take(limit, pc.index_in(activity, value_set=pa.array(list(ceilings))))
    check.flag(
        pc.greater(pc.multiply(quantity, to_canonical), ceiling), "quantity",
        lambda row: (
            f"{row['quantity']} {row['unit']} is more than one row of "
            f"{row['activity']} can hold ({_ceiling_text(row['activity'])}): is the unit "
            "right (kWh typed as MWh, kg as t)?"
        ),
    )


def _ceiling_text(activity: str) -> str:
    value, unit = _ceilings()[1][activity.strip().lower()]
    return f"at most {value:,.0f} {unit}"


def _catalog_spelling(text: str) -> tuple[str | None, str]:
    """The catalog spelling of a unit as typed (None if unknown) and, if unknown, why
    (once per distinct string)."""
    try:
        return normalize_unit(text), ""
    except UnitError as error:
        if "ambiguous" in str(error):
            return None, str(error)
        return None, (
            f"'{text}' is not a unit envledger knows: expected e.g. kWh, MWh, GJ, m3, L,"
            " kg, t, therm, MMBtu, Mcf, US gal"
        )


def _with_rule(catalog: pa.Table, column: str, value: str) -> list[str]:
    """Activities whose catalog `column` equals `value`."""
    return catalog.filter(pc.equal(catalog.column(column), value)).column("activity").to_pylist()


def _accepted_gases() -> list[str]:
    """Gases with a GWP in envledger's sets, plus the shipped refrigerant blends."""
    return sorted({*KNOWN_GASES, *load_gwp_blends().column("blend").to_pylist()})
