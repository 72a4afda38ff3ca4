"""The layout's rules hold: import direction (pyproject.toml contracts), self-contained
migrations, and a docstring on every package saying what it owns."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

from importlinter.cli import lint_imports

import envledger

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(envledger.__file__).parent


def test_import_contracts_are_kept() -> None:
    """methods <- engine <- services <- web/cli, store only under services, no circles."""
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True,
                        no_logo=True)
    assert code == 0, "an import breaks a contract: run `.venv/bin/lint-imports` to see which"


def test_migrations_import_nothing_from_envledger() -> None:
    """A migration is history: today's code must not change what it does."""
    versions = sorted((PACKAGE / "store" / "migrations" / "versions").glob("*.py"))
    assert versions
    for path in versions:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in imported if name.split(".")[0] == "envledger"}, path.name


def test_every_package_says_what_it_owns() -> None:
    packages = [
        module.name for module in pkgutil.walk_packages(envledger.__path__, "envledger.")
        if module.ispkg and ".migrations" not in module.name
    ]
    assert "envledger.services.publication" in packages
    for name in packages:
        doc = importlib.import_module(name).__doc__
        assert doc and len(doc.split()) >= 8, f"{name} has no docstring on what it owns"
