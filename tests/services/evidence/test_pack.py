"""The evidence pack of a published year: contents, hashes, and the cases it refuses.

The small company of publication_helpers, 2022: CD-OF 100,000 kWh and WH-CD 50 MWh of
electricity, both at the local CN-SC factor 0.1404 kg/kWh = 0.1404 t/MWh.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app
from envledger.errors import EnvledgerError, NotFoundError, PublicationError
from envledger.services.audit.chain import verify_chain
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.publication.publishing import publish
from envledger.settings import Settings
from tests.support.publication import BACKENDS, add_rows, module_company, write_company

LOCAL_SC = "cn_mee_nbs_electricity_CN-SC_2022"


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The small company with 2022 published, one ledger per backend for this module."""
    for settings in module_company(request, tmp_path_factory):
        publish(settings, 2022)
        yield settings


def _csv(pack: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.TextIOWrapper(pack.open(name), encoding="utf-8")))


def test_the_pack_holds_the_published_figures_and_their_evidence(
    company: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "evidence-2022.zip"
    result = write_evidence_pack(company, 2022, out)
    with zipfile.ZipFile(out) as pack:
        manifest = json.loads(pack.read("manifest.json"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(pack.read(name)).hexdigest() == digest
        assert set(manifest["files"]) | {"manifest.json"} == set(pack.namelist())
        snapshot = json.loads(pack.read("snapshot.json"))
        lines = _csv(pack, "calculation_lines.csv")
        rows = _csv(pack, "activity_rows.csv")
        batches = _csv(pack, "import_batches.csv")
        approvals = _csv(pack, "approvals.csv")
        figures = {r["figure"]: r for r in _csv(pack, "figures.csv")}
        factors = _csv(pack, "factors.csv")
        readme = pack.read("README.md").decode()
    assert manifest["snapshot"]["content_hash"] == result.snapshot.content_hash
    assert snapshot["results"]["year"] == 2022
    head = verify_chain(company.database_url)
    assert manifest["audit_chain"] == {"head_seq": head.head_seq, "head_hash": head.head_hash,
                                       "verified": True, "broken": None}
    assert manifest["approvals"] == "approvals.csv" and "review" in manifest["approvals_note"]
    # CD-OF: 100,000 kWh x 0.001 MWh/kWh = 100 MWh x 140.4 kg/MWh x GWP 1 / 1000 = 14.04 t
    # WH-CD: 50 MWh x 140.4 / 1000 = 7.02 t
    by_facility = {line["facility_code"]: line for line in lines}
    assert float(by_facility["CD-OF"]["t_co2e"]) == pytest.approx(14.04, rel=1e-12)
    assert float(by_facility["WH-CD"]["t_co2e"]) == pytest.approx(7.02, rel=1e-12)
    assert {line["factor_id"] for line in lines} == {LOCAL_SC}
    # the residual mix serves market-based Scope 2 (no instruments)
    assert [f["factor_id"] for f in factors] == [LOCAL_SC, "cn_mee_nbs_residual_mix_CN_2022"]
    assert all(f["citation"] and f["confidence"] for f in factors)
    office = next(r for r in rows if r["facility_code"] == "CD-OF")
    assert (office["quantity"], office["unit"], office["to_canonical"]) == (
        "100000", "kWh", "0.001")
    assert office["source_row"] == "6"  # header row 1, then 2020, 2021 rows of two sites
    assert {b["kind"] for b in batches} == {"facilities", "activities"}
    batch = next(b for b in batches if b["batch_id"] == office["batch_id"])
    _, activities = write_company(tmp_path / "same-files")  # byte for byte the imported file
    assert (batch["file_name"], batch["file_sha256"]) == (
        "activities.csv", hashlib.sha256(activities.read_bytes()).hexdigest())
    (approval,) = approvals  # the owner's import, approved on import by its importer
    assert (approval["batch_id"], approval["status"], approval["reviewer"]) == (
        batch["batch_id"], "approved", "cli")
    # 14.04 + 7.02 = 21.06 t
    assert float(figures["company.emissions.total"]["value"]) == pytest.approx(21.06)
    assert figures["facility[CD-OF].emissions.scope2_location"]["re_perform"] == (
        "sum t_co2e of calculation_lines.csv where scope = 2 (facility_code = CD-OF)")
    assert f"head event {head.head_seq}" in readme and "Approvals" in readme


def test_an_unpublished_year_and_an_existing_file_are_refused(
    company: Settings, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match="2021 has no published snapshot"):
        write_evidence_pack(company, 2021, tmp_path / "e.zip")
    assert not (tmp_path / "e.zip").exists()
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"keep me")
    with pytest.raises(EnvledgerError, match="never overwritten"):
        write_evidence_pack(company, 2022, taken)
    assert taken.read_bytes() == b"keep me"


def test_the_evidence_command(
    company: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", company.database_url)
    out = tmp_path / "pack.zip"
    result = CliRunner().invoke(app, ["evidence", "--year", "2022", "--out", str(out)])
    assert result.exit_code == 0 and "2022 version 1" in result.output and out.exists()
    again = CliRunner().invoke(app, ["evidence", "--year", "2022", "--out", str(out)])
    assert again.exit_code == 1 and "never overwritten" in again.output


def test_a_ledger_that_no_longer_reproduces_the_snapshot_is_refused(
    company: Settings, tmp_path: Path
) -> None:
    # last in the module: it changes the ledger (an unpublished 2022 row)
    add_rows(company, tmp_path, "late.csv",
             "CD-OF,2022-06-01,2022-06-30,electricity,1000,kWh,invoice\n")
    with pytest.raises(PublicationError, match="no longer reproduces 2022"):
        write_evidence_pack(company, 2022, tmp_path / "stale.zip")
    assert not (tmp_path / "stale.zip").exists()
