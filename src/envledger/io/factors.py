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
from envledger.methods.units import factor_to_canonical

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
    unit = check.text("unit")
    check.flag(pc.equal(unit, ""), "unit", "is empty: expected e.g. kg/kWh, t/MWh, kg/TJ")
    _check_units(check, activity, catalog)
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


def _check_units(check: TableCheck, activity: pa.ChunkedArray, catalog: pa.Table) -> None:
    """Flag units that cannot be brought to the activity's canonical unit (once per pair)."""
    canonical = dict(zip(
        catalog.column("activity").to_pylist(), catalog.column("canonical_unit").to_pylist(),
        strict=True,
    ))
    unit = check.text("unit")
    pairs = pa.table({"activity": activity, "unit": unit}).group_by(["activity", "unit"])
    pairs = pairs.aggregate([])
    errors: dict[str, str] = {}
    for name, text in zip(pairs["activity"].to_pylist(), pairs["unit"].to_pylist(), strict=True):
        if name is None or not text:
            continue
        try:
            factor_to_canonical(1.0, text, name, canonical[name], load_fuel_properties())
        except UnitError as error:
            errors[f"{name} {text}"] = f"'{text}' cannot be used for {name}: {error}"
    if errors:
        key = pc.binary_join_element_wise(activity, unit, " ")
        check.flag(
            pc.is_in(key, pa.array(list(errors))), "unit",
            lambda row: errors[f"{row['activity'].lower()} {row['unit']}"],
        )
