"""Fixtures of the reliability suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.cli_process import ForkServer, fork_server


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """Runs `envledger` commands as separate processes (see tests/support/cli_fork_server.py)."""
    with fork_server(tmp_path_factory.mktemp("cli")) as server:
        yield server
