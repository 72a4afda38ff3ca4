"""The lock files pin every dependency pyproject.toml declares, inside its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(lock: str) -> dict[str, str]:
    """``name==version`` lines of a uv/pip-tools lock file, by canonical name."""
    found = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)", line)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


@pytest.mark.parametrize(("lock", "extras"), [
    ("requirements.lock", []),
    ("requirements-dev.lock", ["dev", "postgres"]),
])
def test_every_declared_dependency_is_pinned_within_its_range(
    lock: str, extras: list[str]
) -> None:
    pinned = pins(lock)
    declared = list(PROJECT["dependencies"])
    for extra in extras:
        declared += PROJECT["optional-dependencies"][extra]
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock} does not pin {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]} outside {requirement.specifier}: run `make lock`"
        )
