"""An evidence pack checked offline: file hashes, the snapshot's hash, the signature.

``manifest.json`` lists the SHA-256 of every other file of the pack (``manifest.sig``
aside). With ``ENVLEDGER_EVIDENCE_SIGNING_KEY`` set, ``manifest.sig`` holds the Ed25519
signature of the exact bytes of ``manifest.json``, base64-encoded, and the manifest names
the SHA-256 of the raw public key (``signing.public_key_sha256``). Checking needs the zip
only (and the publisher's public key, to know who signed).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from envledger.errors import EnvledgerError
from envledger.services.publication.snapshot_content import content_hash

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ALGORITHM = "Ed25519"


def _read_key(path: Path, kind: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise EnvledgerError(f"the {kind} key {path} cannot be read: {error}") from None


def signing_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file ``path`` (unencrypted PKCS#8)."""
    try:
        key = load_pem_private_key(_read_key(path, "signing"), password=None)
    except (ValueError, TypeError) as error:
        raise EnvledgerError(f"{path} is not an unencrypted PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise EnvledgerError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def public_key_sha256(key: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: the name the manifest records."""
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


def sign(manifest: bytes, key: Ed25519PrivateKey) -> bytes:
    """``manifest.sig``: the base64 Ed25519 signature of the manifest's bytes."""
    return base64.b64encode(key.sign(manifest)) + b"\n"


@dataclass(frozen=True)
class PackCheck:
    """What checking a pack found: the problems (none = intact) and what it holds."""

    path: Path
    problems: list[str] = field(default_factory=list)
    signed: bool = False
    chain_head: str = ""
    snapshot: str = ""

    @property
    def ok(self) -> bool:
        """True when every file, the snapshot hash and any signature hold."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"path": str(self.path), "ok": self.ok, "signed": self.signed,
                "chain_head": self.chain_head, "snapshot": self.snapshot,
                "problems": self.problems}


def verify_pack(path: Path, public_key: Path | None = None) -> PackCheck:
    """Check the evidence pack at ``path`` offline (module docstring).

    ``public_key`` (PEM) is the publisher's key: the pack must be signed by it. Without
    it a signature is checked against the key it names only if that is all there is.
    """
    try:
        with zipfile.ZipFile(path) as pack:
            files = {name: pack.read(name) for name in pack.namelist()}
    except (OSError, zipfile.BadZipFile) as error:
        raise EnvledgerError(f"{path} is not a readable zip file: {error}") from None
    if MANIFEST not in files:
        raise EnvledgerError(f"{path} has no {MANIFEST}: it is not an envledger evidence pack")
    raw = files[MANIFEST]
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise EnvledgerError(f"{MANIFEST} in {path} is not JSON: {error}") from None
    problems = _file_problems(manifest.get("files", {}), files)
    problems += _snapshot_problems(manifest, files)
    problems += _signature_problems(manifest, raw, files.get(SIGNATURE), public_key)
    chain = manifest.get("audit_chain", {})
    snapshot = manifest.get("snapshot", {})
    return PackCheck(
        path, problems, SIGNATURE in files,
        f"{chain.get('head_seq')}:{chain.get('head_hash')}",
        f"{snapshot.get('year')} version {snapshot.get('version')}",
    )


def _file_problems(listed: dict[str, str], files: dict[str, bytes]) -> list[str]:
    problems = [f"{name} is listed in the manifest but missing" for name in listed
                if name not in files]
    problems += [f"{name} differs from the manifest (SHA-256 {digest[:12]}, listed"
                 f" {listed[name][:12]})" for name, data in files.items()
                 if name in listed and (digest := hashlib.sha256(data).hexdigest()) != listed[name]]
    problems += [f"{name} is in the pack but not in the manifest" for name in files
                 if name not in listed and name not in (MANIFEST, SIGNATURE)]
    return problems


def _snapshot_problems(manifest: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    recorded = manifest.get("snapshot", {}).get("content_hash")
    try:
        found = content_hash(json.loads(files["snapshot.json"]))
    except (KeyError, ValueError):
        return ["snapshot.json is missing or not JSON"]
    if found != recorded:
        return [f"snapshot.json gives content hash {found[:12]}, the manifest records"
                f" {str(recorded)[:12]}"]
    return []


def _signature_problems(
    manifest: dict[str, Any], raw: bytes, signature: bytes | None, public_key: Path | None
) -> list[str]:
    if signature is None:
        return ["the pack is not signed, but a public key was given"] if public_key else []
    named = manifest.get("signing", {}).get("public_key_sha256", "")
    if public_key is None:
        return [f"{SIGNATURE} is present: give the publisher's key (--public-key) to check it"
                f" (the manifest names key {named[:16]})"]
    try:
        key = load_pem_public_key(_read_key(public_key, "public"))
    except ValueError as error:
        raise EnvledgerError(f"{public_key} is not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise EnvledgerError(f"{public_key} is not an Ed25519 public key")
    try:
        key.verify(base64.b64decode(signature.strip(), validate=True), raw)
    except (InvalidSignature, ValueError):
        return [f"{SIGNATURE} is not a valid signature of {MANIFEST} by the key {public_key}"]
    if named and named != public_key_sha256(key):
        return [f"the manifest names key {named[:16]}, not {public_key}"]
    return []
