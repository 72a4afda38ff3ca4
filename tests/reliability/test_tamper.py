"""The tamper suite: every kind of direct database edit is named by `envledger verify`.

One ledger is built through the application (imports, a rejected submission, two
publications and a restatement, users, a token, user factors, a boundary change), then
each case copies it, edits the copy with plain SQL as someone with database access
would, and checks that verification names the table and the row (docs/audit-and-
evidence.md lists each kind and what detects it). Batches: 1 facilities, 2 activities,
3 late activities, 4 the rejected submission, 5 user factors, 6 targets, 7 reduction
measures, 8 contractual instruments; snapshots 1 (2021), 2 (2022 v1), 3 (2022 v2,
restating 2).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from envledger.cli.main import app
from envledger.errors import PublicationError
from envledger.services.access.accounts import add_user, set_role
from envledger.services.access.api_tokens import issue_token
from envledger.services.access.roles import Role
from envledger.services.audit.chain import event_hash, verify_chain
from envledger.services.commitments.instruments import import_instruments
from envledger.services.commitments.measures import import_measures
from envledger.services.commitments.targets import add_target, import_targets
from envledger.services.evidence.ledger_verify import verify_ledger
from envledger.services.governance.review import reject
from envledger.services.inventory.methodology import set_methodology
from envledger.services.ledger.boundary import set_boundary
from envledger.services.ledger.importing import import_activities, import_factors
from envledger.services.publication.publishing import publish, snapshot_content
from envledger.settings import Settings
from envledger.store.db import get_engine
from tests.support.publication import ACTIVITIES, add_rows, company_ledger

FACTORS = (
    "factor_id,series,activity,variant,gas,value,unit,tier,geography_code,sector,data_year,"
    "valid_from,valid_to,citation,confidence,note\n"
    "acme_supplier_CD-OF,acme_supplier,electricity,,CO2,0.5,t/MWh,supplier,CD-OF,,2020,2020,2020,"
    "supply contract 2020,V1,\n"
)


def build_ledger(url: str, folder: Path) -> Settings:
    """The ledger every case starts from (module docstring)."""
    settings = company_ledger(url, folder)
    publish(settings, 2021)
    publish(settings, 2022)
    add_rows(settings, folder, "late.csv", "CD-OF,2022-12-01,2022-12-31,diesel,100,L,invoice\n")
    publish(settings, 2022, reason="error_correction", note="late diesel invoice",
            accept_gaps="CD-OF buys generator diesel in December only")
    submission = folder / "submission.csv"
    submission.write_text(ACTIVITIES + "WH-CD,2020-06-01,2020-06-30,diesel,50,L,invoice\n")
    batch = import_activities(url, submission, actor="fo", submit=True).batch_id
    reject(url, batch, actor="rev", comment="wrong meter")
    add_user(url, "ana", "correct horse battery", Role.admin)
    add_user(url, "rev", "correct horse battery", Role.reviewer)
    set_role(url, "rev", Role.verifier)
    issue_token(url, "ana", "script", ["read"], days=30)
    factors = folder / "factors.csv"
    factors.write_text(FACTORS)
    import_factors(url, factors)
    set_boundary(settings, "WH-CD", 2020, True, "acquisition backdated")
    set_methodology(settings, organization="Lanting Test Co.", note="name recorded")
    _add_commitments(url, folder)
    return settings


def _add_commitments(url: str, folder: Path) -> None:
    """Batch 6 targets, 7 measures, 8 instruments (for 2020, which is not published), and
    one target added by hand."""
    targets, measures, instruments = (folder / n for n in ("t.csv", "m.csv", "i.csv"))
    targets.write_text("name,kind,metric,basis,scope,group,base_year,target_year,set_in_year,"
                       "reduction_pct,description\nEnergy,,energy,,,,2020,2025,2021,15,\n")
    import_targets(url, targets)
    add_target(url, {"name": "Waste", "kind": "qualitative", "set_in_year": "2021",
                     "description": "All hazardous waste to qualified firms"})
    measures.write_text("name,category,year,facility_code,savings_tco2e,savings_mwh,"
                        "savings_water_t,estimate_method,description\n"
                        "LED,lighting,2021,CD-OF,10.5,20,,metered,\n")
    import_measures(url, measures)
    instruments.write_text("instrument_id,type,energy,volume_mwh,vintage,market,facility_code,"
                           "retired,retirement_reference,emission_rate_t_per_mwh,claimed_year,"
                           "note\nG1,GEC,,40,2020,CN,CD-OF,yes,r1,,2020,\n")
    import_instruments(url, instruments)


@dataclass(frozen=True)
class Edit:
    """A direct database edit and the table and row verification must name."""

    kind: str
    sql: tuple[str, ...]
    table: str
    row: str


ACTIVITY_2 = "(SELECT MIN(id) FROM activity_record WHERE batch_id = 2)"
EDITS = [
    Edit("audit row changed", ("UPDATE audit_event SET actor = 'mallory' WHERE seq = 3",),
         "audit_event", "seq=3"),
    Edit("audit row deleted", ("DELETE FROM audit_event WHERE seq = 4",),
         "audit_event", "seq=4"),
    Edit("audit rows reordered", (
        "UPDATE audit_event SET seq = -1 WHERE seq = 3",
        "UPDATE audit_event SET seq = 3 WHERE seq = 4",
        "UPDATE audit_event SET seq = 4 WHERE seq = -1",
    ), "audit_event", "seq=3"),
    Edit("audit prev_hash changed",
         ("UPDATE audit_event SET prev_hash = hash WHERE seq = 5",), "audit_event", "seq=5"),
    Edit("audit chain head changed", ("UPDATE audit_chain_head SET seq = seq - 1",),
         "audit_event", "seq="),
    Edit("activity quantity halved",
         (f"UPDATE activity_record SET quantity = quantity / 2 WHERE id = {ACTIVITY_2}",),
         "activity_record", "batch_id=2"),
    Edit("activity unit changed",
         (f"UPDATE activity_record SET unit = 'MWh' WHERE id = {ACTIVITY_2}",),
         "activity_record", "batch_id=2"),
    Edit("activity period changed",
         (f"UPDATE activity_record SET period_end = period_start WHERE id = {ACTIVITY_2}",),
         "activity_record", "batch_id=2"),
    Edit("activity moved to another facility", (
        "UPDATE activity_record SET facility_id = 3 - facility_id WHERE batch_id = 3",
    ), "activity_record", "batch_id=3"),
    Edit("activity row deleted", (f"DELETE FROM activity_record WHERE id = {ACTIVITY_2}",),
         "activity_record", "batch_id=2"),
    Edit("activity row inserted into a batch", (
        "INSERT INTO activity_record (batch_id, source_row, facility_id, period_start,"
        " period_end, activity, quantity, unit, gas, variant, data_source, reference)"
        " VALUES (2, 99, 1, '2019-01-01', '2019-12-31', 'electricity', 1, 'kWh', '', '',"
        " 'invoice', '')",
    ), "activity_record", "batch_id=2"),
    Edit("rejected row changed",
         ("UPDATE rejected_activity SET quantity = 5",), "activity_record", "batch_id=4"),
    Edit("rejected rows moved back", (
        "INSERT INTO activity_record (batch_id, source_row, facility_id, period_start,"
        " period_end, activity, quantity, unit, gas, variant, data_source, reference)"
        " SELECT batch_id, source_row, facility_id, period_start, period_end, activity,"
        " quantity, unit, gas, variant, data_source, reference FROM rejected_activity",
        "DELETE FROM rejected_activity",
    ), "activity_record", "batch_id=4"),
    Edit("import batch file hash changed",
         ("UPDATE import_batch SET file_sha256 = 'ff' WHERE id = 2",), "import_batch", "id=2"),
    Edit("snapshot figure halved", (
        # the 2022 total, 21.32 tCO2e, becomes 10.66 (the colon escaped from bind syntax)
        "UPDATE inventory_snapshot SET content = REPLACE(content, '\"value\"\\:21.32',"
        " '\"value\"\\:10.66') WHERE id = 3",
    ), "inventory_snapshot", "id=3"),
    Edit("snapshot hash column changed",
         ("UPDATE inventory_snapshot SET content_hash = 'ab' WHERE id = 1",),
         "inventory_snapshot", "id=1"),
    Edit("latest snapshot version deleted", (
        "DELETE FROM restatement WHERE revised_snapshot_id = 3",
        "DELETE FROM snapshot_supersession WHERE superseded_by = 3",
        "DELETE FROM inventory_snapshot WHERE id = 3",
    ), "inventory_snapshot", "id=3"),
    Edit("restatement value changed",
         ("UPDATE restatement SET original_value = 20 WHERE id = 2",), "restatement", "id=2"),
    Edit("supersession deleted", ("DELETE FROM snapshot_supersession",),
         "snapshot_supersession", "snapshot_id=2"),
    Edit("review decision flipped", (
        "UPDATE batch_review SET status = 'approved' WHERE batch_id = 4",
    ), "batch_review", "batch_id=4"),
    Edit("reviewer changed",
         ("UPDATE batch_review SET reviewer = 'fo' WHERE batch_id = 4",),
         "batch_review", "batch_id=4"),
    Edit("period lock deleted", ("DELETE FROM period_lock WHERE id = 1",),
         "period_lock", "id=1"),
    Edit("period unlocked by a forged row", (
        "INSERT INTO period_lock (year, locked, reason, at, actor)"
        " VALUES (2021, false, 'x', '2026-01-01 00:00:00', 'mallory')",
    ), "period_lock", "id=5"),
    Edit("user role raised", ("UPDATE app_user SET role = 'admin' WHERE username = 'rev'",),
         "app_user", "id=2"),
    Edit("user enabled/disabled", ("UPDATE app_user SET active = false WHERE id = 1",),
         "app_user", "id=1"),
    Edit("user password hash replaced",
         ("UPDATE app_user SET password_hash = 'x' WHERE id = 1",), "app_user", "id=1"),
    Edit("user inserted", (
        "INSERT INTO app_user (username, display_name, password_hash, role, active,"
        " failed_logins, created_at) VALUES ('eve', 'eve', 'x', 'admin', true, 0,"
        " '2026-01-01 00:00:00')",
    ), "app_user", "id=3"),
    Edit("token scope widened",
         ("UPDATE api_token SET scopes = '[\"read\", \"admin\"]'",), "api_token", "id=1"),
    Edit("token expiry removed", ("UPDATE api_token SET expires_at = NULL",),
         "api_token", "id=1"),
    Edit("built-in factor value changed", (
        "UPDATE emission_factor SET value = value / 2 WHERE factor_id = 'cn_ets_grid_2021'",
    ), "emission_factor", "batch_id=null"),
    Edit("user factor value changed", (
        "UPDATE emission_factor SET value = 0.1 WHERE factor_id = 'acme_supplier_CD-OF'",
    ), "emission_factor", "batch_id=5"),
    Edit("GWP value changed",
         ("UPDATE gwp_value SET value = 1 WHERE gas = 'CH4'",), "gwp_value", "all"),
    Edit("facility-year floor area changed", (
        "UPDATE facility_year SET floor_area_m2 = 1 WHERE facility_id = 1 AND year = 2022",
    ), "facility_year", "facility_id=1,year=2022"),
    Edit("facility-year boundary changed", (
        "UPDATE facility_year SET in_boundary = false WHERE facility_id = 2 AND year = 2022",
    ), "facility_year", "facility_id=2,year=2022"),
    Edit("facility grid region changed",
         ("UPDATE facility SET grid_region = 'CN-East' WHERE id = 1",), "facility", "id=1"),
    Edit("imported target changed", ("UPDATE target SET reduction_pct = 50 WHERE batch_id = 6",),
         "target", "batch_id=6"),
    Edit("target added by hand changed",
         ("UPDATE target SET description = 'none' WHERE batch_id IS NULL",),
         "target", "batch_id=null"),
    Edit("reduction measure savings raised",
         ("UPDATE reduction_measure SET savings_tco2e = 99",), "reduction_measure", "batch_id=7"),
    Edit("instrument volume raised", ("UPDATE contractual_instrument SET volume_mwh = 4000",),
         "contractual_instrument", "batch_id=8"),
    Edit("organization renamed", ("UPDATE organization SET name = 'Forged Co.'",),
         "organization", "all"),
    Edit("reference library version changed",
         ("UPDATE reference_data_version SET version = '1999.1.1'",),
         "reference_data_version", "all"),
]
POSTGRES_SUBSET = {
    "audit row changed", "activity quantity halved", "snapshot figure halved",
    "review decision flipped", "period lock deleted", "user role raised",
    "token scope widened", "facility-year floor area changed",
}


def _named(url: str, edit: Edit) -> None:
    with get_engine(url).begin() as connection:
        for statement in edit.sql:
            connection.execute(sa.text(statement))
    get_engine(url).dispose()
    report = verify_ledger(Settings(database_url=url))
    named = [(d.table, d.row) for d in report.divergences]
    assert any(t == edit.table and edit.row in r for t, r in named), (edit.kind, named)


@pytest.fixture(scope="module")
def sqlite_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tamper")
    url = f"sqlite:///{folder / 'ledger.db'}"
    build_ledger(url, folder)
    get_engine(url).dispose()
    return folder / "ledger.db"


@pytest.fixture(scope="module")
def postgres_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    server = request.getfixturevalue("postgres_server")
    name = f"envledger_tamper_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + f"/{name}"
    build_ledger(url, tmp_path_factory.mktemp("tamper_pg"))
    get_engine(url).dispose()
    yield server, name
    admin.dispose()


def test_the_built_ledger_verifies(sqlite_ledger: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{sqlite_ledger}"
    report = verify_ledger(Settings(database_url=url), recompute=True)
    assert report.ok, report.divergences
    assert report.recomputed_years == [2021, 2022]


@pytest.mark.parametrize("edit", EDITS, ids=[e.kind for e in EDITS])
def test_sqlite_edit_is_named(edit: Edit, sqlite_ledger: Path, tmp_path: Path) -> None:
    shutil.copy(sqlite_ledger, tmp_path / "ledger.db")
    _named(f"sqlite:///{tmp_path / 'ledger.db'}", edit)


@pytest.mark.postgres
@pytest.mark.parametrize("edit", [e for e in EDITS if e.kind in POSTGRES_SUBSET],
                         ids=lambda e: e.kind)
def test_postgres_edit_is_named(edit: Edit, postgres_template: tuple[str, str]) -> None:
    server, template = postgres_template
    name = f"envledger_tamper_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    _named(server.rsplit("/", 1)[0] + f"/{name}", edit)


def test_a_forged_snapshot_is_refused_and_the_cli_names_it(
    sqlite_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(sqlite_ledger, tmp_path / "ledger.db")
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    forged = next(e for e in EDITS if e.kind == "snapshot figure halved")
    with get_engine(url).begin() as connection:
        connection.execute(sa.text(forged.sql[0]))
    with pytest.raises(PublicationError, match=r"snapshot 3 \(2022 version 2\) was changed"):
        snapshot_content(Settings(database_url=url), 3)
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(app, ["verify"]).exit_code == 1
    result = runner.invoke(app, ["verify", "--format", "json"])
    named = {(d["table"], d["row"]) for d in json.loads(result.output)["divergences"]}
    assert result.exit_code == 1 and ("inventory_snapshot", "id=3") in named
    site = runner.invoke(app, ["build-site", "--out", str(tmp_path / "site")])
    assert site.exit_code == 1 and "was changed outside envledger" in site.output
    evidence = runner.invoke(app, ["evidence", "--year", "2022", "--out", str(tmp_path / "p.zip")])
    assert evidence.exit_code == 1 and "was changed outside envledger" in evidence.output


def test_a_rewritten_chain_is_caught_by_an_anchor(sqlite_ledger: Path, tmp_path: Path) -> None:
    """Edit event 16 (the role change) and re-chain every later event and the head: the
    chain alone holds, an anchor published before does not."""
    shutil.copy(sqlite_ledger, tmp_path / "ledger.db")
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    head = verify_chain(url)
    anchor = (head.head_seq, head.head_hash)
    with get_engine(url).begin() as connection:
        rows = connection.execute(sa.text(
            "SELECT seq, at, actor, action, entity, detail, prev_hash FROM audit_event"
            " WHERE seq >= 16 ORDER BY seq")).all()
        prev = rows[0].prev_hash
        for row in rows:
            actor = "mallory" if row.seq == 16 else row.actor
            at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
            detail = json.loads(row.detail) if isinstance(row.detail, str) else row.detail
            digest = event_hash(row.seq, at, actor, row.action, row.entity, detail, prev)
            connection.execute(sa.text(
                "UPDATE audit_event SET actor = :actor, prev_hash = :prev, hash = :hash"
                " WHERE seq = :seq"), {"actor": actor, "prev": prev, "hash": digest,
                                       "seq": row.seq})
            prev = digest
        connection.execute(sa.text("UPDATE audit_chain_head SET hash = :hash"), {"hash": prev})
    get_engine(url).dispose()
    settings = Settings(database_url=url)
    assert verify_ledger(settings).ok
    anchored = verify_ledger(settings, anchor=anchor)
    assert not anchored.ok and anchored.chain.broken is not None
    assert anchored.chain.broken.problem == "anchor_mismatch"


def test_the_site_footer_publishes_the_chain_head(
    sqlite_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(sqlite_ledger, tmp_path / "ledger.db")
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["build-site", "--out", str(tmp_path / "site")])
    head = verify_chain(url)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f"<code>{head.head_seq}:{head.head_hash}</code>" in page


def test_a_seal_makes_the_current_rows_the_baseline(
    sqlite_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger from before fingerprints (here: a row no event records) is sealed once."""
    shutil.copy(sqlite_ledger, tmp_path / "ledger.db")
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    inserted = next(e for e in EDITS if e.kind == "user inserted")
    with get_engine(url).begin() as connection:
        connection.execute(sa.text(inserted.sql[0]))
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(app, ["verify"]).exit_code == 1
    sealed = runner.invoke(app, ["audit", "seal", "--reason", "upgraded from 0.1"])
    assert sealed.exit_code == 0 and "Sealed" in sealed.output
    assert runner.invoke(app, ["verify"]).exit_code == 0
    deleted = next(e for e in EDITS if e.kind == "period lock deleted")
    with get_engine(url).begin() as connection:
        connection.execute(sa.text(deleted.sql[0]))
    refused = runner.invoke(app, ["audit", "seal", "--reason", "again"])
    assert refused.exit_code == 1 and "period_lock id=1" in refused.output
