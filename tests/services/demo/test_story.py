"""`envledger demo` tells the publication story once; a second run is a no-op (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from envledger.cli import app
from envledger.store.db import get_engine
from envledger.store.models import AuditEvent
from envledger.store.publication import InventorySnapshot, MethodologyVersion, Restatement

runner = CliRunner()


def counts(url: str) -> list[int]:
    with get_engine(url).connect() as connection:
        return [
            connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
            for model in (InventorySnapshot, Restatement, MethodologyVersion, AuditEvent)
        ]


def cli(url: str, *args: str) -> str:
    result = runner.invoke(app, list(args), env={"ENVLEDGER_DATABASE_URL": url,
                                                 "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_publishes_restates_and_runs_twice_as_a_no_op(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = cli(url, "demo", "--data-dir", str(tmp_path / "data"))
    assert "Published 2020 as version 1" in first
    assert "recalculation REQUIRED" in first
    assert "Restated 2020 as version 3" in first
    assert "Restated total GHG emissions" in first
    after_first = counts(url)

    second = cli(url, "demo", "--data-dir", str(tmp_path / "data"))
    assert "already published; nothing changed" in second
    assert counts(url) == after_first

    history = json.loads(cli(url, "snapshots", "--year", "2020", "--format", "json"))
    assert [(s["version"], s["reason"]) for s in history] == [
        (1, None), (2, "structural_change"), (3, "methodology_change")
    ]
    assert [s["superseded_by"] for s in history] == [history[1]["id"], history[2]["id"], None]
    restated = json.loads(cli(url, "restatements", "--format", "json"))
    totals = [(r["year"], r["reason"]) for r in restated if r["figure"] == "emissions.total"]
    assert totals == [(2020, "structural_change"), (2020, "methodology_change"),
                      (2021, "methodology_change"), (2022, "methodology_change")]
    structural = next(r for r in restated if r["figure"] == "emissions.total")
    assert structural["difference"]["value"] == pytest.approx(
        structural["revised"]["value"] - structural["original"]["value"]
    )
    assert "WH-CD1 acquired 2021" in structural["note"]
    check = json.loads(cli(url, "base-year", "check", "--format", "json"))
    assert (check["base_year"], check["version"], check["required"]) == (2020, 3, False)
    methodology = json.loads(cli(url, "methodology", "show", "--format", "json"))
    assert (methodology["version"], methodology["excluded_series"]) == (2, [])
    assert "already published as version 1" in cli(url, "publish", "--year", "2023")
    assert "already in the 2020 boundary" in cli(
        url, "boundary", "set", "--facility", "WH-CD1", "--year", "2020", "--in",
        "--note", "WH-CD1 acquired 2021; base year restated as if owned (GHG Protocol ch. 5)",
    )
    assert counts(url) == after_first
