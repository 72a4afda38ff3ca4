"""Cells too long for their column, control characters and facility codes (issue 9.9, 9.14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.demo.generate import generate_demo
from envledger.errors import InputError
from envledger.io import activities, facilities, factors, instruments, measures, targets
from envledger.io.checks import CELL_CHARACTERS, FREE_TEXT_CHARACTERS
from envledger.store.commitments import ReductionMeasure, Target
from envledger.store.instruments import ContractualInstrument
from envledger.store.models import ActivityRecord, EmissionFactor, Facility, FacilityGroup
from tests.support.ledger import HEADER, SH_2023

ACTIVITIES = "facility_code,period_start,period_end,activity,quantity,unit,data_source,reference"
READING = "SH-HQ,2024-01-01,2024-01-31,electricity,1200,kWh,invoice,"

# File column -> the model column it is stored in.
STORED = {
    activities: {"facility_code": ActivityRecord.facility_id, "gas": ActivityRecord.gas,
                 "disposal_route": ActivityRecord.variant, "reference": ActivityRecord.reference},
    facilities: {"code": Facility.code, "name": Facility.name,
                 "grid_region": Facility.grid_region},
    factors: {"factor_id": EmissionFactor.factor_id, "series": EmissionFactor.series,
              "gas": EmissionFactor.gas, "unit": EmissionFactor.unit,
              "geography_code": EmissionFactor.geography_code},
    targets: {"name": Target.name, "group": Target.group_name},
    measures: {"name": ReductionMeasure.name, "facility_code": ReductionMeasure.facility_code},
    instruments: {
        "instrument_id": ContractualInstrument.instrument_id,
        "facility_code": ContractualInstrument.facility_code,
        "retirement_reference": ContractualInstrument.retirement_reference,
        "note": ContractualInstrument.note,
    },
}


@pytest.mark.parametrize("module", list(STORED), ids=lambda m: m.__name__.rsplit(".")[-1])
def test_lengths_are_the_database_column_lengths(module) -> None:  # type: ignore[no-untyped-def]
    for name, length in module.LENGTHS.items():
        column = STORED[module][name].property.columns[0]
        if isinstance(column.type, sa.String) and column.type.length:
            assert length == column.type.length, name
        else:  # stored as an id: the referenced code's length
            assert length == Facility.code.property.columns[0].type.length, name
    for name in getattr(module, "FREE_TEXT", ()):
        assert name in module.REQUIRED + module.OPTIONAL
    assert FacilityGroup.name.property.columns[0].type.length == facilities.GROUP_NAME


def problems(parse, text: str, name: str = "file.csv") -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as raised:
        parse(text.encode(), name)
    return [str(p) for p in raised.value.problems]


def test_a_reference_one_character_too_long() -> None:
    ok = f"{ACTIVITIES}\n{READING}{'r' * 200}\n"
    assert activities.parse_activities(ok.encode(), "a.csv").column("reference")[0].as_py() == (
        "r" * 200)
    assert problems(activities.parse_activities, f"{ACTIVITIES}\n{READING}{'r' * 201}\n") == [
        "file.csv, row 2, column 'reference': is 201 characters long: at most 200 allowed"]


def test_a_megabyte_cell_is_refused_without_being_quoted() -> None:
    found = problems(activities.parse_activities, f"{ACTIVITIES}\n{READING}{'x' * 1_000_000}\n")
    assert found == [
        "file.csv, row 2, column 'reference': is 1,000,000 characters long: at most 200 allowed"]
    found = problems(activities.parse_activities,
                     f"{ACTIVITIES}\n{READING.replace('1200', '9' * 500)}\n")
    assert found == [f"file.csv, row 2, column 'quantity': is 500 characters long: at most"
                     f" {CELL_CHARACTERS} allowed"]


@pytest.mark.parametrize(("cell", "character", "at"), [
    ("INV\x00001", "U+0000", 4), ("\x07bell", "U+0007", 1), ("a\tb", "U+0009", 2),
    ("line\nbreak", "U+000A", 5), ("esc\x1b", "U+001B", 4),
])
def test_control_characters_are_refused_in_short_text(cell: str, character: str, at: int) -> None:
    text = f'{ACTIVITIES}\n{READING}"{cell}"\n'
    assert problems(activities.parse_activities, text) == [
        f"file.csv, row 2, column 'reference': contains the control character {character} at"
        f" character {at}: remove it (text may not hold invisible characters)"]


def test_free_text_keeps_tabs_and_line_breaks_but_not_nul() -> None:
    row = SH_2023.rstrip(",")
    ok = f'{HEADER}\n{row},"first line\nsecond\tline"\n'
    note = facilities.parse_facilities(ok.encode(), "f.csv").column("boundary_note")[0].as_py()
    assert note == "first line\nsecond\tline"
    assert problems(facilities.parse_facilities, f'{HEADER}\n{row},"a\x00b"\n') == [
        "file.csv, row 2, column 'boundary_note': contains the control character U+0000 at"
        " character 2: remove it (text may not hold invisible characters)"]
    long_note = "n" * (FREE_TEXT_CHARACTERS + 1)
    assert problems(facilities.parse_facilities, f"{HEADER}\n{row},{long_note}\n") == [
        f"file.csv, row 2, column 'boundary_note': is {FREE_TEXT_CHARACTERS + 1:,} characters"
        f" long: at most {FREE_TEXT_CHARACTERS:,} allowed"]


def test_a_group_name_too_long() -> None:
    row = SH_2023.replace("Offices; China", f"Offices; {'g' * 201}")
    assert problems(facilities.parse_facilities, f"{HEADER}\n{row}\n") == [
        "file.csv, row 2, column 'groups': names a group longer than 200 characters"]


@pytest.mark.parametrize("code", ["SH-HQ", "BJ-OF2", "a", "P1.2_b-3", "X" * 40])
def test_facility_codes_in_the_character_set(code: str) -> None:
    table = facilities.parse_facilities(
        f"{HEADER}\n{SH_2023.replace('SH-HQ', code)}\n".encode(), "f.csv")
    assert table.column("code")[0].as_py() == code


@pytest.mark.parametrize("code", ["-SH", ".hidden", "SH HQ", "SH/HQ", "上海", "X" * 41,
                                  "<b>", "SH;HQ", "a'b"])
def test_facility_codes_outside_the_character_set(code: str) -> None:
    text = f'{HEADER}\n{SH_2023.replace("SH-HQ", chr(34) + code + chr(34))}\n'
    assert problems(facilities.parse_facilities, text) == [
        f"file.csv, row 2, column 'code': '{code}' is not a facility code: expected 1 to 40"
        " letters (A-Z, a-z), digits, '.', '_' or '-', starting with a letter or digit,"
        " e.g. SH-HQ"]


def test_the_demo_company_files_pass(tmp_path: Path) -> None:
    files = generate_demo(tmp_path)
    assert facilities.read_facilities(files.facilities_csv).num_rows > 0
    assert activities.read_activities(files.activities_csv).num_rows > 0
    assert factors.read_factors(files.factors_csv).num_rows > 0
