"""`envledger evidence verify`: a pack checked offline, unsigned and signed with Ed25519."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from typer.testing import CliRunner

from envledger.cli import app
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.evidence.pack_verify import verify_pack
from envledger.services.publication.publishing import publish
from envledger.settings import Settings
from tests.support.publication import company_ledger


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The small company with 2022 published (SQLite: the check reads only the zip)."""
    folder = tmp_path_factory.mktemp("company")
    settings = company_ledger(f"sqlite:///{folder / 'ledger.db'}", folder)
    publish(settings, 2022)
    return settings


def _keys(folder: Path) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private, public = folder / "signing.pem", folder / "public.pem"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(Encoding.PEM,
                                                     PublicFormat.SubjectPublicKeyInfo))
    return private, public


def _rewrite(pack: Path, out: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            target.writestr(item, data if item == name else source.read(item))


def test_an_unsigned_pack_verifies_and_an_edited_file_is_named(
    company: Settings, tmp_path: Path
) -> None:
    pack = write_evidence_pack(company, 2022, tmp_path / "pack.zip").path
    check = verify_pack(pack)
    assert check.ok and not check.signed and check.snapshot == "2022 version 1"
    with zipfile.ZipFile(pack) as z:
        figures = z.read("figures.csv").replace(b"21.06", b"10.53")
    _rewrite(pack, tmp_path / "edited.zip", "figures.csv", figures)
    problems = verify_pack(tmp_path / "edited.zip").problems
    assert len(problems) == 1 and problems[0].startswith("figures.csv differs")


def test_a_signed_pack_verifies_with_the_public_key_only(
    company: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private, public = _keys(tmp_path)
    (tmp_path / "other").mkdir()
    _, other = _keys(tmp_path / "other")
    signed = Settings(database_url=company.database_url, evidence_signing_key=private)
    pack = write_evidence_pack(signed, 2022, tmp_path / "signed.zip").path
    assert verify_pack(pack, public).problems == []
    assert "not a valid signature" in verify_pack(pack, other).problems[0]
    # a consistent edit (file and its hash in the manifest) breaks the signature
    with zipfile.ZipFile(pack) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest["audit_chain"]["head_seq"] += 1
    _rewrite(pack, tmp_path / "forged.zip", "manifest.json", json.dumps(manifest).encode())
    assert "not a valid signature" in verify_pack(tmp_path / "forged.zip", public).problems[0]
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", company.database_url)
    runner = CliRunner()
    ok = runner.invoke(app, ["evidence", "verify", str(pack), "--public-key", str(public)])
    assert ok.exit_code == 0 and "signed by the given key" in ok.output
    bad = runner.invoke(app, ["evidence", "verify", str(tmp_path / "forged.zip"),
                              "--public-key", str(public)])
    assert bad.exit_code == 1 and "BROKEN" in bad.output
    missing = runner.invoke(app, ["evidence", "verify", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 1 and "not a readable zip file" in missing.output
