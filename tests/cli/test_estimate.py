"""`envledger estimate`: a dry run prints the arithmetic and writes nothing; a run submits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app
from envledger.services.governance.review import list_submissions
from tests.support.ledger import row_counts
from tests.support.scenario_estimation import build_company

ARGS = ["estimate", "--year", "2024", "--facility", "OF-A", "--activity", "electricity"]


def test_dry_run_then_submit_and_an_error_without_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = build_company(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path)
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    before = row_counts(url)
    dry = runner.invoke(app, [*ARGS, "--method", "previous_year", "--months", "2024-05,2024-06",
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    # May 2023 14 MWh x 1,200 m2 / 1,000 m2 = 16.8 MWh; June 15 x 1.2 = 18 MWh.
    assert "14 MWh (2023-05) x 1,200 m2 / 1,000 m2 = 16.8 MWh" in dry.output
    assert "15 MWh (2023-06) x 1,200 m2 / 1,000 m2 = 18 MWh" in dry.output
    assert "Dry run: nothing was submitted." in dry.output
    assert row_counts(url) == before
    as_json = runner.invoke(app, [*ARGS, "--method", "previous_year", "--by", "headcount",
                                  "--dry-run", "--format", "json"])
    payload = json.loads(as_json.output)
    # 45 / 50 people = 0.9; May..December 2023 = 14 + ... + 21 = 140 MWh -> 126 MWh.
    assert (payload["quantity"], payload["unit"], payload["batch_id"]) == (
        pytest.approx(126.0), "MWh", None)
    assert payload["parameters"]["by"] == "headcount"
    done = runner.invoke(app, [*ARGS, "--method", "covered_average", "--actor", "ana"])
    assert done.exit_code == 0, done.output
    assert "Submitted 8 estimated rows (covered_average)" in done.output
    assert [(s.status, s.submitted_by) for s in list_submissions(url, "pending")] == [
        ("pending", "ana")]

    missing = runner.invoke(app, ["estimate", "--year", "2024", "--facility", "OF-F",
                                  "--activity", "electricity", "--method", "group_intensity"])
    assert missing.exit_code == 1
    assert "OF-F belongs to no facility group" in missing.output
