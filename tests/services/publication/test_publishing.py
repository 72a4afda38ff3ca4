"""Published snapshots: frozen content, no-op republish, restatements with a reason."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger import __version__, data
from envledger.errors import PublicationError
from envledger.services.publication import publishing
from envledger.services.publication.publishing import (
    published_payload,
    published_years,
    restatements,
    snapshot_content,
    snapshot_history,
)
from envledger.services.publication.snapshot_content import content_hash
from envledger.services.publication.snapshot_diff import describe_changes
from envledger.settings import Settings
from envledger.store.db import get_engine, session_scope
from envledger.store.models import AuditEvent
from envledger.store.publication import (
    InventorySnapshot,
    Restatement,
    SnapshotSupersession,
)
from tests.support.postgres import fresh_postgres_database
from tests.support.publication import BACKENDS, add_rows, company_ledger, module_company

LOCAL_SC = "cn_mee_nbs_electricity_CN-SC_2022"  # 0.1404 kg/kWh = 0.1404 t/MWh


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The small company of publication_helpers, one ledger per backend for this module."""
    yield from module_company(request, tmp_path_factory)


def publish(settings: Settings, year: int, **kwargs: str) -> publishing.PublishResult:
    return publishing.publish(settings, year, **kwargs)


def raw_rows(settings: Settings, table: sa.Table) -> list[tuple]:
    with get_engine(settings.database_url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(table).order_by(*table.c))]


def test_publish_freezes_the_year_and_publishing_again_is_a_no_op(company: Settings) -> None:
    first = publish(company, 2020)
    assert (first.created, first.snapshot.version, first.snapshot.reason) == (True, 1, None)
    content = snapshot_content(company, first.snapshot.id)
    # 2020: only CD-OF is in the boundary: 100 MWh x 0.1404 t/MWh = 14.04 t
    assert content["results"]["company"]["emissions"]["total"]["value"] == pytest.approx(14.04)
    assert content["boundary"] == [
        {"code": "CD-OF", "in_boundary": True, "note": ""},
        {"code": "WH-CD", "in_boundary": False, "note": "acquired 2021"},
    ]
    # The inputs hash is the SHA-256 of the one canonical row of CD-OF (WH-CD is out).
    line = "CD-OF\t2020-01-01\t2020-12-31\telectricity\t\t\t100000\tkWh\tinvoice\t\n"
    sha = hashlib.sha256(line.encode()).hexdigest()
    assert content["inputs"] == {"sha256": sha, "rows": 1,
                                 "facilities": {"CD-OF": {"sha256": sha, "rows": 1}}}
    assert first.snapshot.inputs_hash == sha
    assert content["factors"]["library_version"] == data.library_version()
    assert [f["factor_id"] for f in content["factors"]["used"]] == [LOCAL_SC]
    assert content["code_version"] == __version__
    assert content["libraries"] == {
        name: metadata.version(name)
        for name in ("duckdb", "pyarrow", "pint", "globalwarmingpotentials")
    }
    other_stack = copy.deepcopy(content)
    other_stack["libraries"]["duckdb"] = "0.9.0"
    assert describe_changes(content, other_stack) == [
        f"duckdb {metadata.version('duckdb')} -> 0.9.0"
    ]
    assert content_hash(other_stack) != content_hash(content)
    assert content["methodology"] == {
        "gwp_set": "AR5", "series_priority": list(company.series_priority),
        "excluded_series": [],
    }
    assert first.snapshot.content_hash == content_hash(content)

    again = publish(company, 2020)
    assert (again.created, again.snapshot.id) == (False, first.snapshot.id)
    assert "identical content" in again.message
    assert [s.version for s in snapshot_history(company, 2020)] == [1]
    assert 2020 in published_years(company)
    assert published_payload(company, 2020)["publication"]["restatements"] == []
    with pytest.raises(PublicationError, match="reason 'growth' is not one of"):
        publish(company, 2020, reason="growth")
    with session_scope(company.database_url) as session:
        events = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "inventory.publish",
            AuditEvent.detail["year"].as_integer() == 2020,
        )).all()
    assert len(events) == 1


def test_a_changed_year_needs_a_reason_and_restating_keeps_the_original(
    company: Settings, tmp_path: Path,
) -> None:
    original = publish(company, 2021).snapshot  # 150 MWh x 0.1404 = 21.06 t
    # A June invoice of CD-OF turns up: 10,000 kWh = 10 MWh more.
    add_rows(company, tmp_path, "june.csv",
             "CD-OF,2021-06-01,2021-06-30,electricity,10000,kWh,invoice\n")
    before = [raw_rows(company, m.__table__)
              for m in (InventorySnapshot, Restatement, SnapshotSupersession)]
    with pytest.raises(PublicationError) as refused:
        publish(company, 2021)
    message = str(refused.value)
    # 160 MWh x 0.1404 = 22.464 t
    assert "emissions.total: 21.06 -> 22.46 tCO2e (+6.7%)" in message
    assert "activity data: 2 -> 3 rows; rows differ at 1 facilities (CD-OF)" in message
    assert "Nothing was changed" in message
    assert [raw_rows(company, m.__table__)
            for m in (InventorySnapshot, Restatement, SnapshotSupersession)] == before

    result = publish(company, 2021, reason="error_correction", note="June invoice found")
    revised = result.snapshot
    assert (result.created, revised.version, revised.reason) == (True, 2, "error_correction")
    # The original row is bit-for-bit what it was, and its hash still matches its content.
    assert raw_rows(company, InventorySnapshot.__table__)[: len(before[0])] == before[0]
    assert content_hash(snapshot_content(company, original.id)) == original.content_hash
    assert [(s.version, s.superseded_by) for s in snapshot_history(company, 2021)] == [
        (1, revised.id), (2, None)
    ]
    figures = {r.figure: r for r in restatements(company, 2021)}
    total = figures["emissions.total"]
    assert (total.original, total.revised, total.difference, total.unit) == (
        pytest.approx(21.06), pytest.approx(22.464), pytest.approx(1.404), "tCO2e"
    )  # 10 MWh x 0.1404 t/MWh = 1.404 t
    assert (total.reason, total.note) == ("error_correction", "June invoice found")
    assert (total.original_snapshot_id, total.revised_snapshot_id) == (original.id, revised.id)
    energy = figures["energy.total"]
    assert (energy.original, energy.revised, energy.difference, energy.unit) == (
        pytest.approx(150.0), pytest.approx(160.0), pytest.approx(10.0), "MWh"
    )
    # 10,000 kWh x 0.1229 kgce/kWh = 1,229 kgce = 1.229 tce
    assert figures["energy.standard_coal"].difference == pytest.approx(1.229)
    assert {"emissions.scope2_location", "energy.indirect"} <= set(figures)
    assert not {"emissions.scope1", "water.total", "headcount", "floor_area"} & set(figures)

    payload = published_payload(company, 2021)
    publication = payload["publication"]
    assert (publication["snapshot_id"], publication["version"]) == (revised.id, 2)
    assert publication["content_hash"] == revised.content_hash
    restated_total = next(
        r for r in publication["restatements"] if r["figure"] == "emissions.total"
    )
    assert restated_total["original"] == {"value": pytest.approx(21.06), "unit": "tCO2e"}
    assert restated_total["revised"] == {"value": pytest.approx(22.464), "unit": "tCO2e"}
    assert payload["company"]["emissions"]["total"]["value"] == pytest.approx(22.464)


def test_published_records_cannot_be_changed_or_deleted(
    company: Settings, tmp_path: Path,
) -> None:
    publish(company, 2022)
    add_rows(company, tmp_path, "dec.csv",
             "WH-CD,2022-12-01,2022-12-31,electricity,1,MWh,measured\n")
    result = publish(company, 2022, reason="error_correction", note="December reading")
    snapshot_id = result.snapshot.id
    attempts = [
        lambda s: setattr(s.get(InventorySnapshot, snapshot_id), "note", "edited"),
        lambda s: s.delete(s.get(InventorySnapshot, snapshot_id)),
        lambda s: setattr(s.scalars(sa.select(Restatement)).first(), "revised_value", 0.0),
        lambda s: s.delete(s.scalars(sa.select(SnapshotSupersession)).first()),
        lambda s: s.execute(sa.update(InventorySnapshot).values(note="edited")),
        lambda s: s.execute(sa.delete(Restatement)),
    ]
    before = raw_rows(company, InventorySnapshot.__table__)
    for attempt in attempts:
        with pytest.raises(PublicationError, match="append-only"), \
                session_scope(company.database_url) as session:
            attempt(session)
            session.flush()
    assert raw_rows(company, InventorySnapshot.__table__) == before
    # The service layer offers reading and publishing only.
    assert not [name for name in dir(publishing)
                if any(verb in name for verb in ("update", "delete", "remove", "edit"))]


@pytest.mark.postgres
def test_content_hash_is_the_same_on_sqlite_and_postgresql(
    postgres_server: str, tmp_path: Path,
) -> None:
    urls = [f"sqlite:///{tmp_path / 'a.db'}", fresh_postgres_database(postgres_server)]
    snapshots = []
    for url, folder in zip(urls, ("a", "b"), strict=True):
        settings = company_ledger(url, tmp_path / folder)
        snapshot = publish(settings, 2021).snapshot
        with get_engine(url).connect() as connection:
            text = connection.execute(sa.select(InventorySnapshot.content)).scalar_one()
        snapshots.append((snapshot.content_hash, snapshot.inputs_hash, text))
        get_engine(url).dispose()
    assert snapshots[0] == snapshots[1]
