"""`envledger coverage`, the import warning and `publish --accept-gaps` on the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app

FACILITIES = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary\n"
    "SH-HQ,HQ,office,CN,CN-SH,CN-East,2024,1000,50,yes\n"
    "GZ-P1,Plant,factory,CN,CN-GD,CN-South,2023,1000,50,yes\n"
)
ACTIVITIES = (
    "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"
    "SH-HQ,2024-01-01,2024-03-31,electricity,30000,kWh,invoice\n"
    "GZ-P1,2024-01-01,2024-01-31,electricity,10000,kWh,invoice\n"
)


def test_coverage_formats_warning_and_the_gate(
    sqlite_ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    runner = CliRunner()
    (tmp_path / "f.csv").write_text(FACILITIES)
    (tmp_path / "a.csv").write_text(ACTIVITIES)
    assert runner.invoke(app, ["import", "facilities", str(tmp_path / "f.csv")]).exit_code == 0
    imported = runner.invoke(app, ["import", "activities", str(tmp_path / "a.csv")])
    assert imported.exit_code == 0
    assert "warning: GZ-P1 has 1 activity rows in 2024 but no facility-year" in imported.output
    document = json.loads(runner.invoke(app, ["coverage", "--year", "2024", "--format",
                                              "json"]).output)
    # SH-HQ electricity: January-March held, April-December (275 days) missing
    assert document["gaps"] == [{"facility": "SH-HQ", "activity": "electricity",
                                 "months": list(range(4, 13)),
                                 "missing_days": {"value": 275, "unit": "d"}}]
    assert document["facilities_without_facility_year"] == [
        {"facility": "GZ-P1", "records": 1}]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        app, ["coverage", "--year", "2024", "--format", "csv"]).output)))
    assert len(rows) == 12 and rows[3]["covered_share"] == "0.0"
    table = runner.invoke(app, ["coverage", "--year", "2024"])
    assert table.exit_code == 0 and "SH-HQ electricity: Apr-Dec (275 days missing)" in (
        table.output)
    refused = runner.invoke(app, ["publish", "--year", "2024", "--accept-gaps", "late"])
    assert refused.exit_code == 1 and "GZ-P1: 1 activity rows in 2024" in refused.output
