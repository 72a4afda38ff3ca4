"""Templates: written as CSV or XLSX, they pass the checks of their own import."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from envledger.errors import InputError
from envledger.io.activities import read_activities
from envledger.io.facilities import read_facilities
from envledger.io.factors import read_factors
from envledger.io.tables import read_table
from envledger.io.templates import write_template
from envledger.services.ledger.importing import import_activities, import_facilities, import_factors

READERS = {"facilities": read_facilities, "activities": read_activities, "factors": read_factors}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", list(READERS))
def test_template_reads_back_as_valid(kind: str, suffix: str, tmp_path: Path) -> None:
    path = write_template(kind, tmp_path / f"{kind}{suffix}")
    table = READERS[kind](path)
    assert 2 <= table.num_rows <= 4


@pytest.mark.parametrize("kind", list(READERS))
def test_xlsx_template_explains_every_column(kind: str, tmp_path: Path) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    book = load_workbook(path, read_only=True)
    guide = [row for row in book["columns"].iter_rows(values_only=True)]
    book.close()
    assert guide[0] == ("column", "required", "unit", "allowed values / meaning")
    assert [row[0] for row in guide[1:]] == read_table(path).column_names
    assert all(row[3] for row in guide[1:])


def test_templates_import_into_a_ledger(ledger_url: str, tmp_path: Path) -> None:
    for kind, importer in (("facilities", import_facilities), ("activities", import_activities),
                           ("factors", import_factors)):
        result = importer(ledger_url, write_template(kind, tmp_path / f"{kind}.xlsx"))
        assert result.rows_added == result.rows_read


def test_unknown_kind_or_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown template 'sites'"):
        write_template("sites", tmp_path / "x.csv")
    with pytest.raises(InputError, match=r"unsupported file type '\.ods'"):
        write_template("factors", tmp_path / "x.ods")
