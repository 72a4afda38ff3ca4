"""kill -9 during `envledger import activities`: all or nothing, and the audit chain verifies.

Each import runs in its own process (forked from tests/support/cli_fork_server.py, so that
it starts in milliseconds) and is killed with SIGKILL at a seeded random moment between
its start and the time a complete import took, i.e. while it reads the file, checks it,
writes the rows or commits.
"""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_facilities
from envledger.store.db import get_engine
from envledger.store.models import ActivityRecord, AuditEvent, ImportBatch
from tests.support.cli_process import FACILITIES, ForkServer, write_activities

KILLS = 20
ROWS = 2_000
SEED = 9
BUDGET = 60  # [s] for one backend, the complete import included


def batches_are_whole(url: str) -> list[int]:
    """Assert every activities batch has all its rows and its audit event; return their ids."""
    with get_engine(url).connect() as connection:
        batches = connection.execute(
            sa.select(ImportBatch.id, ImportBatch.row_count).where(ImportBatch.kind == "activities")
        ).all()
        stored = dict(connection.execute(
            sa.select(ActivityRecord.batch_id, sa.func.count()).group_by(ActivityRecord.batch_id)
        ).all())
        events = connection.execute(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "import.activities")
        ).scalars().all()
    assert set(stored) <= {batch.id for batch in batches}, "rows without their batch"
    for batch in batches:
        assert stored.get(batch.id) == batch.row_count == ROWS, (batch, stored.get(batch.id))
    assert sorted(event["batch_id"] for event in events) == sorted(b.id for b in batches)
    return [batch.id for batch in batches]


def test_kill_9_during_imports_leaves_whole_batches(
    ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    prepare_ledger(ledger_url)
    (tmp_path / "facilities.csv").write_text(FACILITIES)
    import_facilities(ledger_url, tmp_path / "facilities.csv")
    started = time.monotonic()

    def file(n: int) -> Path:
        # Each file its own days, so that a batch that did commit never clashes with the next.
        first = date(2000, 1, 1) + timedelta(days=n * ROWS)
        return write_activities(tmp_path / f"readings-{n}.csv", ROWS, first)

    clock = time.monotonic()
    status, output = cli.run(ledger_url, "import", "activities", str(file(0)))
    full = time.monotonic() - clock
    assert status == 0, output
    assert len(batches_are_whole(ledger_url)) == 1

    rng = random.Random(SEED)
    outcomes = {"killed": 0, "finished": 0}
    for n in range(1, KILLS + 1):
        path = file(n)
        process = cli.start(ledger_url, "import", "activities", str(path))
        time.sleep(rng.uniform(0, full))
        # Not reaped before `wait`, so the pid is still this child even if it has finished.
        os.kill(process.pid, signal.SIGKILL)
        status, output = process.wait()
        outcomes["killed" if status == -signal.SIGKILL else "finished"] += 1
        assert status in (0, -signal.SIGKILL), output
        batches_are_whole(ledger_url)
    assert outcomes["killed"] >= KILLS // 4, outcomes

    status, output = cli.run(ledger_url, "audit", "verify")
    assert status == 0 and output.startswith("OK"), output
    # A killed import left nothing behind that stops the same file being imported again.
    status, output = cli.run(ledger_url, "import", "activities", str(path))
    assert status == 0, output
    batches_are_whole(ledger_url)
    assert time.monotonic() - started < BUDGET
