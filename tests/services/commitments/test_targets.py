"""Targets in the ledger: import, add, never overwrite; progress from inventory payloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envledger.errors import InputError
from envledger.services.commitments.targets import (
    add_target,
    import_targets,
    list_targets,
    target_progress,
)
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import AuditEvent

HEADER = ("name,kind,metric,basis,scope,group,base_year,target_year,set_in_year,"
          "reduction_pct,description")
TARGETS = (
    f"{HEADER}\n"
    "Energy pc,reduction,energy,per_capita,group,Offices,2020,2025,2021,15,\n"
    "Water pc,cap,water,per_capita,company,,2020,2025,2021,,\n"
    "GHG,reduction,ghg,absolute,company,,2020,2025,2021,10,\n"
    "Hazardous,qualitative,waste_hazardous,,,,,,2021,,Qualified third parties only\n"
    "Old base,reduction,ghg,absolute,company,,2019,2025,,10,\n"
    "Plant,reduction,energy,absolute,group,Plant,2020,2025,,10,\n"
)


def q(value: float | None, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


def payload(energy_pc: float, water_t: float, ghg_t: float) -> dict[str, Any]:
    """A minimal envledger.inventory/1 payload: 100 people, one group 'Offices'."""
    measures = {"emissions": {"total": q(ghg_t, "tCO2e")}, "energy": {"total": q(0.0, "MWh")},
                "water": {"running": q(water_t, "t")}, "headcount": q(100.0, "person"),
                "floor_area": q(1000.0, "m2")}
    return {"company": measures, "groups": [{"name": "Offices", **measures}],
            "intensities": [{"group": "Offices", "indicator": "energy_per_capita",
                             "intensity": q(energy_pc, "MWh/person")}]}


def test_import_add_and_progress(ledger_url: str, tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(TARGETS)
    result = import_targets(ledger_url, path, actor="ann")
    assert (result.rows_read, result.rows_added) == (6, 6)
    assert import_targets(ledger_url, path).already_imported
    changed = tmp_path / "changed.csv"
    changed.write_text(TARGETS.replace("2021,15,", "2021,20,"))
    with pytest.raises(InputError, match="row 2, column 'reduction_pct': target 'Energy pc'"):
        import_targets(ledger_url, changed)
    fields = {"name": "Floor", "metric": "energy", "basis": "per_floor_area",
              "base_year": "2020", "target_year": "2030", "reduction_pct": "5"}
    assert add_target(ledger_url, fields) == "Added target 'Floor'."
    assert "already in the ledger unchanged" in add_target(ledger_url, fields)
    assert len(list_targets(ledger_url)) == 7
    with session_scope(ledger_url) as session:
        actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["import.targets", "add.target"]

    # 2020 base, 2023 latest
    payloads = {2020: payload(10.0, 1000.0, 500.0), 2023: payload(9.0, 1100.0, 480.0)}
    status = {s.target["name"]: s for s in target_progress(Settings(database_url=ledger_url),
                                                           payloads)}
    energy = status["Energy pc"].to_dict()
    # target 10 x 0.85 = 8.5; path 2023 = 10 - 3/5 x 1.5 = 9.1; 9.0 <= 9.1 on track
    assert (energy["target_value"]["value"], energy["path_value"]["value"]) == pytest.approx(
        (8.5, 9.1))
    assert (energy["on_track"], energy["status"], energy["latest_value"]["unit"]) == (
        True, "on track", "MWh/person")
    # cap: 1000/100 = 10 t/person in 2020, 1100/100 = 11 in 2023 > 10
    water = status["Water pc"].to_dict()
    assert (water["base_value"]["value"], water["latest_value"]["value"]) == (10.0, 11.0)
    assert water["status"] == "not on track"
    # GHG: target 450 t, path 2023 = 500 - 3/5 x 50 = 470; 480 > 470
    ghg = status["GHG"].to_dict()
    assert (ghg["path_value"]["value"], ghg["on_track"]) == (pytest.approx(470.0), False)
    assert ghg["change_pct"]["value"] == pytest.approx(-4.0)  # (480 - 500) / 500
    assert status["Hazardous"].status == "qualitative target"
    assert status["Old base"].status == "no inventory for 2019"
    assert status["Plant"].status == "group 'Plant' is not in the 2020 inventory"
    assert status["Floor"].progress is not None  # 0 MWh / 1000 m2 is a value, 0.0
