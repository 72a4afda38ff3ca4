"""The targets, measures and instruments commands: thin wrappers over the services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app


def test_commands(sqlite_ledger_url: str, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    runner = CliRunner()
    for kind in ("targets", "measures", "instruments"):
        out = tmp_path / f"{kind}.xlsx"
        assert runner.invoke(app, ["template", kind, "--out", str(out)]).exit_code == 0
    template = tmp_path / "targets.csv"
    assert runner.invoke(app, ["template", "targets", "--out", str(template)]).exit_code == 0
    result = runner.invoke(app, ["import", "targets", str(template)])
    assert result.exit_code == 0 and "Imported 3 targets" in result.output
    result = runner.invoke(app, ["targets", "add", "--name", "GHG", "--metric", "ghg",
                                 "--base-year", "2020", "--target-year", "2030",
                                 "--reduction-pct", "30"])
    assert result.exit_code == 0 and "Added target 'GHG'" in result.output
    bad = runner.invoke(app, ["targets", "add", "--name", "X", "--reduction-pct", "120"])
    assert bad.exit_code == 1 and "reduction_pct" in bad.output
    result = runner.invoke(app, ["targets", "--format", "json"])
    rows = json.loads(result.output)
    # no inventory yet: quantitative targets say so, qualitative ones are text
    assert {r["name"]: r["status"] for r in rows}["GHG"] == "no inventory for 2020"
    assert runner.invoke(app, ["measures", "--format", "json"]).exit_code == 0
    result = runner.invoke(app, ["instruments", "--year", "2023"])
    assert result.exit_code == 1 and "no activity data for 2023" in result.output
