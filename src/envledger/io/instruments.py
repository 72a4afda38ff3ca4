"""Reading contractual-instrument files (certificates, PPAs, green tariffs, supplier rates)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from envledger.io.checks import TableCheck, all_of
from envledger.io.facilities import BOOLEANS
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table
from envledger.methods.scope2_market import ENERGIES, INSTRUMENT_TYPES

REQUIRED = (
    "instrument_id", "type", "volume_mwh", "vintage", "market", "retired", "claimed_year",
)
OPTIONAL = (
    "energy", "facility_code", "retirement_reference", "emission_rate_t_per_mwh", "note",
)
WIDTH = len(REQUIRED) + len(OPTIONAL)

# Database lengths [characters] of the columns stored as typed (store.instruments);
# columns checked against a list or pattern need none.
LENGTHS = {"instrument_id": 100, "facility_code": 50, "retirement_reference": 200, "note": 500}

SCHEMA = pa.schema([
    ("instrument_id", pa.string()), ("type", pa.string()), ("energy", pa.string()),
    ("volume_mwh", pa.float64()), ("vintage", pa.int32()), ("market", pa.string()),
    ("facility_code", pa.string()), ("retired", pa.bool_()),
    ("retirement_reference", pa.string()), ("emission_rate_t_per_mwh", pa.float64()),
    ("claimed_year", pa.int32()), ("note", pa.string()), ("source_row", pa.int32()),
])


def read_instruments(path: Path | str, limits: ReadLimits | None = None) -> pa.Table:
    """Read and check an instruments file; volume [MWh], emission rate [tCO2e/MWh]."""
    return check_instruments(read_table(path, limits, WIDTH), Path(path).name)


def parse_instruments(
    data: bytes, file_name: str, limits: ReadLimits | None = None
) -> pa.Table:
    """Parse and check the bytes of an instruments file (see `read_instruments`)."""
    return check_instruments(parse_table(data, file_name, limits, WIDTH), file_name)


def check_instruments(table: pa.Table, file_name: str) -> pa.Table:
    """Check a table of instrument strings; return it typed as `SCHEMA` or raise InputError.

    Only the file's own consistency is checked here. Market, vintage, retirement,
    double claims and excess volume are Scope 2 Quality Criteria that the engine
    applies per reporting year, reporting a failing instrument as excluded. An empty
    energy is electricity; an empty emission rate is 0 except for a supplier_rate,
    which must state it; a retired instrument needs its retirement_reference.
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS)
    check.required("instrument_id")
    kind = check.one_of("type", INSTRUMENT_TYPES)
    energy = check.one_of("energy", ENERGIES, empty_ok=True)
    energy = pc.if_else(pc.equal(energy, ""), "electricity", energy)
    volume = check.number("volume_mwh")
    check.flag(pc.equal(volume, 0), "volume_mwh", "is 0: expected a volume above 0 MWh")
    vintage = check.integer("vintage", low=1990, high=2100)
    market = pc.utf8_upper(check.text("market"))
    check.flag(pc.invert(pc.match_substring_regex(market, r"^[A-Z]{2}$")), "market",
               "'{market}' is not a country code: expected 2 letters (ISO 3166-1), e.g. CN")
    retired_text = check.one_of("retired", list(BOOLEANS))
    retired = pc.is_in(retired_text, pa.array([k for k, v in BOOLEANS.items() if v]))
    check.flag(all_of(retired, pc.equal(check.text("retirement_reference"), "")),
               "retirement_reference", "is empty: a retired instrument names its retirement")
    rate = check.number("emission_rate_t_per_mwh", empty_ok=True)
    check.flag(all_of(pc.equal(kind, "supplier_rate"), pc.is_null(rate),
                      pc.equal(check.text("emission_rate_t_per_mwh"), "")),
               "emission_rate_t_per_mwh", "is empty: a supplier_rate states its emission rate")
    typed = pa.table(
        [check.text("instrument_id"), kind, energy, volume, vintage, market,
         check.text("facility_code"), retired, check.text("retirement_reference"),
         pc.fill_null(rate, 0.0), check.integer("claimed_year", low=1990, high=2100),
         check.text("note"), check.text("source_row")],
        schema=SCHEMA,
    )
    check.done()
    return typed
