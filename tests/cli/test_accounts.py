"""`envledger users ...` and `envledger tokens ...`: thin calls of the account services."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from envledger.cli import app
from envledger.services.access.api_tokens import token_principal


def test_users_and_tokens_commands(
    sqlite_ledger_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    monkeypatch.setenv("ENVLEDGER_NEW_PASSWORD", "correct horse battery")
    runner = CliRunner()
    added = runner.invoke(app, ["user", "add", "ana", "--role", "inventory_owner",
                                "--name", "Ana Lima"])
    assert added.exit_code == 0, added.output
    bad = runner.invoke(app, ["user", "add", "bo", "--role", "public"])
    assert bad.exit_code == 1 and "unknown role 'public'" in bad.output

    issued = runner.invoke(app, ["token", "create", "ana", "--name", "ci", "--scope", "read"])
    assert issued.exit_code == 0, issued.output
    secret = issued.stdout.strip().splitlines()[-1]
    assert token_principal(sqlite_ledger_url, secret).username == "ana"

    assert runner.invoke(app, ["user", "set-role", "ana", "--role", "verifier"]).exit_code == 0
    assert runner.invoke(app, ["user", "disable", "ana"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["user", "list", "--format", "json"]).stdout)
    assert [(u["username"], u["display_name"], u["role"], u["active"]) for u in listed] == [
        ("ana", "Ana Lima", "verifier", False)]

    assert runner.invoke(app, ["token", "revoke", "1"]).exit_code == 0
    tokens = json.loads(runner.invoke(app, ["token", "list", "--format", "json"]).stdout)
    assert tokens == [{"id": 1, "username": "ana", "name": "ci", "scopes": ["read"],
                       "revoked": True}]
    missing = runner.invoke(app, ["token", "revoke", "7"])
    assert missing.exit_code == 1 and "no API token with id 7" in missing.output


def test_the_last_active_admin_is_kept(
    sqlite_ledger_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    monkeypatch.setenv("ENVLEDGER_NEW_PASSWORD", "correct horse battery")
    runner = CliRunner()
    assert runner.invoke(app, ["user", "add", "root", "--role", "admin"]).exit_code == 0
    for command in (["user", "disable", "root"], ["user", "set-role", "root", "--role",
                                                   "reviewer"]):
        refused = runner.invoke(app, command)
        assert refused.exit_code == 1, refused.output
        assert "'root' is the last active admin" in refused.output
        assert "Traceback" not in refused.output
    listed = json.loads(runner.invoke(app, ["user", "list", "--format", "json"]).stdout)
    assert [(u["role"], u["active"]) for u in listed] == [("admin", True)]
