"""Reading CSV and XLSX import files into string tables and checked, typed tables."""

from __future__ import annotations

from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook

from envledger.errors import InputError
from envledger.io.activities import read_activities
from envledger.io.factors import read_factors
from envledger.io.tables import parse_table, read_table

HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source"


def test_csv_with_bom_trims_and_lowercases_headers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeff Code , NAME\n  SH-HQ , Shanghai \n".encode())
    table = read_table(path)
    assert table.column_names == ["code", "name"]
    assert table.to_pylist() == [{"code": "SH-HQ", "name": "Shanghai"}]
    assert table.schema.field("code").type == pa.string()


def test_csv_keeps_digits_as_text() -> None:
    table = parse_table(b"code,year\n007,2024\n", "f.csv")
    assert table.to_pylist() == [{"code": "007", "year": "2024"}]


def test_xlsx_cells_become_the_text_a_user_sees(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Quantity", "Start", "When", "Flag", "Note"])
    sheet.append([12.0, date(2024, 1, 31), datetime(2024, 2, 1), True, "  x "])
    sheet.append([0.1 + 0.2, datetime(2024, 2, 1, 8, 30), None, 7, None])
    sheet.append([None, None, None, None, None])
    book.create_sheet("ignored").append(["other"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    rows = read_table(path).to_pylist()
    assert rows == [
        {"quantity": "12", "start": "2024-01-31", "when": "2024-02-01", "flag": "true",
         "note": "x"},
        {"quantity": "0.3", "start": "2024-02-01 08:30:00", "when": "", "flag": "7", "note": ""},
    ]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.txt", b"x\n", "unsupported file type '.txt': expected one of .csv, .xlsx"),
        ("a.csv", "code\nGZ\u00e9\n".encode("latin-1"), "is not UTF-8 text"),
        ("a.csv", b"", "is empty: expected a header row"),
        ("a.xlsx", b"not a zip", "is not a readable XLSX workbook"),
        ("a.csv", b"a,b\n1,2\n3,4,5\n", "row 3: has 3 values but the header has 2"),
        ("a.csv", b"a,A\n1,2\n", "column 'a': appears twice in the header"),
    ],
)
def test_unreadable_files_are_refused(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_table(data, name)
    assert expected in str(caught.value)
    assert name in str(caught.value)


def test_blank_rows_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    path.write_text(
        f"{HEADER}\nGZ,2024-01-01,2024-01-31,electricity,10,kWh,measured\n\n"
        "GZ,2024-02-01,2024-02-29,electricity,x,kWh,measured\n"
    )
    with pytest.raises(InputError) as caught:
        read_activities(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("act.csv", 4, "quantity")


def test_activities_are_typed_and_units_spelled_as_the_catalog(tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    path.write_text(
        f"{HEADER},treatment,gas,reference\n"
        "GZ,2024-01-01,2024-01-31,Electricity,1200.5,kwh,Measured,,,M-1\n"
        "GZ,2024-01-01,2024-01-31,diesel,40,litres,invoice,,,\n"
        "GZ,2024-01-01,2024-12-31,wastewater_cod,8600,kg,measured,Anaerobic_Reactor,,\n"
        "GZ,2024-05-12,2024-05-12,refrigerant,12.5,kg,invoice,,R-410A,\n"
    )
    table = read_activities(path)
    assert table.column("source_row").to_pylist() == [2, 3, 4, 5]
    assert table.column("activity").to_pylist()[0] == "electricity"
    assert table.column("unit").to_pylist() == ["kWh", "L", "kg", "kg"]
    assert table.column("variant").to_pylist() == ["", "", "anaerobic_reactor", ""]
    assert table.column("gas").to_pylist() == ["", "", "", "R-410A"]
    assert table.column("data_source").to_pylist()[0] == "measured"
    assert table.column("period_end").to_pylist()[2] == date(2024, 12, 31)
    assert table.schema.field("quantity").type == pa.float64()


def test_many_identical_problems_are_capped_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    rows = "".join(f"GZ,2024-01-{d:02d},2024-01-{d:02d},electricity,-1,kWh,measured\n"
                   for d in range(1, 31))
    path.write_text(f"{HEADER}\n{rows}")
    with pytest.raises(InputError) as caught:
        read_activities(path)
    problems = caught.value.problems
    assert len(problems) == 21
    assert "and 10 more rows like row 2" in problems[-1].message


def test_shipped_factor_library_passes_the_factor_checks() -> None:
    table = read_factors(Path(str(files("envledger.data") / "factors.csv")))
    assert table.num_rows > 0
    assert table.schema.field("data_year").type == pa.int32()


def test_gasoline_vehicle_technology_becomes_the_variant(tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    path.write_text(
        f"{HEADER},technology\n"
        "GZ,2024-01-01,2024-01-31,gasoline_vehicle,400,L,invoice,Oxidation_Catalyst\n"
        "GZ,2024-02-01,2024-02-29,gasoline_vehicle,400,L,invoice,\n"
    )
    assert read_activities(path).column("variant").to_pylist() == ["oxidation_catalyst", ""]


def test_technology_is_checked_against_the_list_and_the_activity(tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    path.write_text(
        f"{HEADER},technology\n"
        "GZ,2024-01-01,2024-01-31,gasoline_vehicle,400,L,invoice,euro6\n"
        "GZ,2024-01-01,2024-01-31,diesel_vehicle,400,L,invoice,uncontrolled\n"
    )
    with pytest.raises(InputError) as caught:
        read_activities(path)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "technology", "'euro6' is not allowed: expected one of uncontrolled,"
                          " oxidation_catalyst, low_mileage_1995"),
        (3, "technology", "'uncontrolled' given for diesel_vehicle: technology is only for"
                          " gasoline_vehicle"),
    ]
