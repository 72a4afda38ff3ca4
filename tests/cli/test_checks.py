"""`envledger check`: the flags as table, JSON and CSV; exit codes; `check dismiss`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app
from tests.support.scenario_checks import build_company

ZERO = "zero_month:SH-HQ:natural_gas:::2025-07"


@pytest.fixture
def runner(sqlite_ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    build_company(sqlite_ledger_url, tmp_path)
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_check_lists_flags_and_exits_0_unless_asked_to_fail(runner: CliRunner) -> None:
    table = runner.invoke(app, ["check", "--year", "2025"])
    assert table.exit_code == 0, table.output
    assert "6 open, 0 dismissed" in table.output
    assert "likely cause: x1000 unit slip: quantity in kWh entered as MWh" in table.output
    assert f"key: {ZERO}" in table.output
    payload = json.loads(runner.invoke(app, ["check", "--year", "2025", "--format", "json"])
                         .output)
    assert len(payload["flags"]) == 6
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(app, ["check", "--year", "2025", "--format", "csv"]).output)))
    assert {row["key"] for row in rows} == {flag["key"] for flag in payload["flags"]}
    assert runner.invoke(app, ["check", "--year", "2025", "--fail-on-flags"]).exit_code == 3
    assert runner.invoke(app, ["check", "--year", "2023", "--fail-on-flags"]).exit_code == 0
    assert runner.invoke(app, ["check"]).exit_code == 2  # --year is needed


def test_check_dismiss_records_who_and_why(runner: CliRunner) -> None:
    blank = runner.invoke(app, ["check", "dismiss", ZERO, "--comment", " "])
    assert blank.exit_code == 1 and "give a comment" in blank.output
    unknown = runner.invoke(app, ["check", "dismiss", ZERO[:-1] + "8", "--comment", "x"])
    assert unknown.exit_code == 1 and "envledger check --year 2025" in unknown.output
    done = runner.invoke(app, ["check", "dismiss", ZERO, "--comment", "Boiler overhaul",
                               "--actor", "rita"])
    assert done.exit_code == 0 and f"Flag {ZERO} dismissed by rita." in done.output
    listed = runner.invoke(app, ["check", "--year", "2025"]).output
    assert "5 open, 1 dismissed" in listed and "dismissed by rita" in listed
    assert "Boiler overhaul" in listed
