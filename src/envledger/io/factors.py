"""Reading emission-factor files (the columns of data/factors.csv) into a checked table."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from envledger.data import FACTOR_SCHEMA, load_activity_catalog, load_fuel_properties
from envledger.errors import UnitError
from envledger.io.activities import TREATMENTS, VEHICLE_TECHNOLOGIES
from envledger.io.checks import TableCheck, all_of, one_line
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table
from envledger.methods.units import factor_to_canonical, split_gas_unit

REQUIRED = (
    "factor_id", "series", "activity", "gas", "value", "unit", "tier", "geography_code",
    "citation", "confidence",
)
OPTIONAL = ("variant", "sector", "data_year", "valid_from", "valid_to", "note")
WIDTH = len(REQUIRED) + len(OPTIONAL)
TIERS = ("measured", "supplier", "local", "regional", "industry", "national", "international")
CONFIDENCE = ("V1", "V2", "NV")
SECTORS = ("commercial", "manufacturing")
# Database lengths [characters] of the columns stored as typed (store.models); columns
# checked against a list of allowed values need none.
LENGTHS = {"factor_id": 100, "series": 60, "gas": 30, "unit": 30, "geography_code": 50}
FREE_TEXT = ("citation", "note")
SCHEMA = FACTOR_SCHEMA.append(pa.field("source_row", pa.int32()))


def read_factors(path: Path | str, limits: ReadLimits | None = None) -> pa.Table:
    """Read and check a factors file; value [gas mass per activity unit, as in `unit`]."""
    return check_factors(read_table(path, limits, WIDTH), Path(path).name)


def parse_factors(
    data: bytes, file_name: str, limits: ReadLimits | None = None
) -> pa.Table:
    """Parse and check the bytes of a factors file (see `read_factors`)."""
    return check_factors(parse_table(data, file_name, limits, WIDTH), file_name)


def check_factors(table: pa.Table, file_name: str) -> pa.Table:
    """Check a table of factor strings; return it typed as `SCHEMA` or raise InputError.

    A factor without a citation is refused: every factor must say where it comes from.
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS, FREE_TEXT)
    catalog = load_activity_catalog()
    factor_id = check.required("factor_id")
    check.required("series")
    check.required("gas")
    check.required("geography_code")
    check.flag(
        pc.equal(check.text("citation"), ""), "citation",
        "is empty: a factor needs its source (publication, table, edition)",
    )
    activity = check.one_of("activity", catalog.column("activity").to_pylist())
    value = check.number("value")
    check.flag(pc.equal(check.text("unit"), ""), "unit",
               "is empty: expected e.g. kg/kWh, t/MWh, kg/TJ, kgCO2/L")
    unit = _check_units(check, activity, catalog)
    tier = check.one_of("tier", TIERS)
    confidence = check.one_of("confidence", CONFIDENCE)
    sector = check.one_of("sector", SECTORS, empty_ok=True)
    check.flag(
        all_of(pc.equal(tier, "industry"), pc.equal(sector, "")), "sector",
        f"is empty: an industry factor needs a sector ({one_line(SECTORS)})",
    )
    geography = check.text("geography_code")
    international = pc.equal(tier, "international")
    check.flag(
        all_of(international, pc.not_equal(geography, "*")), "geography_code",
        "'{geography_code}' for an international factor: expected '*'",
    )
    check.flag(
        all_of(pc.invert(international), pc.equal(geography, "*")), "geography_code",
        "'*' is only for international factors; a {tier} factor names its geography",
    )
    variant = pc.utf8_lower(check.text("variant"))
    rule = pc.take(catalog.column("variant_column"), pc.index_in(activity, catalog["activity"]))
    for kind, allowed in (("treatment", TREATMENTS), ("technology", VEHICLE_TECHNOLOGIES)):
        check.flag(
            all_of(
                pc.fill_null(pc.equal(rule, kind), False), pc.not_equal(variant, ""),
                pc.invert(pc.is_in(variant, pa.array(allowed))),
            ),
            "variant", f"'{{variant}}' is not a {kind}: expected one of {one_line(allowed)}",
        )
    check.flag(
        all_of(pc.invert(pc.fill_null(pc.is_in(rule, pa.array(["treatment", "technology"])),
                                      False)),
               pc.not_equal(variant, "")),
        "variant",
        "'{variant}' given for {activity}: variant is only for wastewater_cod (treatment)"
        " and gasoline_vehicle (technology)",
    )
    # uncontrolled vehicles are the generic (empty) variant, as in activity files
    variant = pc.if_else(pc.equal(variant, "uncontrolled"), "", variant)
    years = {
        name: check.integer(name, empty_ok=True, low=1900, high=2100)
        for name in ("data_year", "valid_from", "valid_to")
    }
    check.flag(
        pc.greater(years["valid_from"], years["valid_to"]), "valid_to",
        "{valid_to} is before valid_from {valid_from}",
    )
    check.duplicates(
        pa.table({"factor_id": factor_id, "source_row": check.text("source_row")}), "factor_id"
    )
    check.done()
    return pa.table(
        [
            factor_id, check.text("series"), activity, variant, check.text("gas"), value, unit,
            tier, geography, sector, years["data_year"], years["valid_from"], years["valid_to"],
            check.text("citation"), confidence, check.text("note"), check.text("source_row"),
        ],
        schema=SCHEMA,
    )


def _check_units(
    check: TableCheck, activity: pa.ChunkedArray, catalog: pa.Table
) -> pa.ChunkedArray:
    """Flag units that cannot be used (once per activity, unit and gas); return the units
    without the gas people write in them (``kgCO2/L`` -> ``kg/L``).

    The gas in the unit must be the row's gas. ``CO2e`` is accepted only on a CO2 row of
    an activity that needs no other gas (electricity, heat): there it is applied with
    GWP 1; on a fuel it would count CH4 and N2O twice, on a CH4 row apply a GWP twice.
    """
    canonical = dict(zip(
        catalog.column("activity").to_pylist(), catalog.column("canonical_unit").to_pylist(),
        strict=True,
    ))
    required = dict(zip(
        catalog.column("activity").to_pylist(), catalog.column("required_gases").to_pylist(),
        strict=True,
    ))
    written, gas = check.text("unit"), check.text("gas")
    triples = pa.table({"activity": activity, "unit": written, "gas": gas})
    triples = triples.group_by(["activity", "unit", "gas"]).aggregate([])
    errors: dict[tuple[str, str, str], str] = {}
    plain: dict[str, str] = {}
    for name, text, row_gas in zip(
        triples["activity"].to_pylist(), triples["unit"].to_pylist(),
        triples["gas"].to_pylist(), strict=True,
    ):
        if not text:
            continue
        rate, named = split_gas_unit(text)
        plain[text] = rate
        if name is None:
            continue
        problem = _gas_problem(text, rate, named, row_gas, name, required[name].split())
        if problem is None:
            try:
                factor_to_canonical(1.0, rate, name, canonical[name], load_fuel_properties())
            except UnitError as error:
                problem = f"'{text}' cannot be used for {name}: {error}"
        if problem:
            errors[(name, text, row_gas)] = problem
    if errors:
        key = pc.binary_join_element_wise(pc.utf8_lower(activity), written, gas, "\x1f")
        check.flag(
            pc.is_in(key, pa.array(["\x1f".join(k) for k in errors])), "unit",
            lambda row: errors[(row["activity"].lower(), row["unit"], row["gas"])],
        )
    return pc.fill_null(
        pc.take(pa.array(list(plain.values()), pa.string()),
                pc.index_in(written, pa.array(list(plain), pa.string()))),
        written,
    )


def _gas_problem(
    text: str, rate: str, named: str | None, row_gas: str, activity: str,
    required: list[str],
) -> str | None:
    """Why a gas written in the unit cannot go with the row's gas, and what to write."""
    if named is None or named.lower() == row_gas.lower():
        return None
    mass, _, per = rate.partition("/")
    if named != "CO2e":
        return (f"'{text}' names {named} but the gas column says {row_gas}: write '{rate}'"
                f" with gas {named}, or '{mass}{row_gas}/{per}'")
    if row_gas.upper() != "CO2":
        return (f"'{text}' is CO2-equivalent: it would be multiplied by the GWP of"
                f" {row_gas} again; write the factor in {mass} {row_gas} ('{rate}')")
    others = [g for g in required if g != "CO2"]
    if others:
        return (f"'{text}' for {activity} already includes {' '.join(others)}, which"
                f" envledger adds from their own factors: give the CO2 factor"
                f" ('{mass}CO2/{per}') and import {' and '.join(others)} factors if you"
                " have them")
    return None
