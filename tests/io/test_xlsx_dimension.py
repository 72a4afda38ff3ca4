"""An XLSX sheet whose declared <dimension> is stale must still be read to its last row."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from envledger.io import read_activities, read_table

HEADER = ["facility_code", "period_start", "period_end", "activity", "quantity", "unit",
          "data_source", "gas", "treatment", "disposal_route", "reference"]


def with_dimension(path: Path, ref: str) -> None:
    """Rewrite the first sheet's <dimension ref> in place, as a careless writer leaves it."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', sheet)
    assert count == 1
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_a_stale_dimension_does_not_drop_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for month in range(1, 12):
        sheet.append(["CD-OF", f"2024-{month:02d}-01", f"2024-{month:02d}-28", "electricity",
                      1000 + month, "kWh", "invoice", None, None, None, f"M-{month}"])
    path = tmp_path / "stale.xlsx"
    book.save(path)
    with_dimension(path, "A1:K2")  # declares the header and ONE data row; 11 are there

    assert read_table(path).num_rows == 11
    activities = read_activities(path)
    assert activities.column("reference").to_pylist() == [f"M-{m}" for m in range(1, 12)]
    assert activities.column("source_row").to_pylist() == list(range(2, 13))


def test_a_dimension_narrower_than_the_cells_keeps_every_column(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["a", "b", "c"])
    book.active.append(["1", "2", "3"])
    path = tmp_path / "narrow.xlsx"
    book.save(path)
    with_dimension(path, "A1:A1")

    assert read_table(path).to_pylist() == [{"a": "1", "b": "2", "c": "3"}]
