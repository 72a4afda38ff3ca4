"""The envledger command line in separate processes, for concurrency and kill tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ACTIVITIES_HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source"
FACILITIES = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary\n"
    "SH-HQ,Shanghai headquarters,office,CN,CN-SH,CN-East,2024,5200,310,yes\n"
)


@dataclass
class CliProcess:
    """One running `envledger` process started by a ForkServer."""

    server: ForkServer
    pid: int
    output: Path

    def wait(self) -> tuple[int, str]:
        """Its exit status (minus the signal if killed) and its stdout + stderr."""
        status = self.server.ask({"wait": self.pid})["status"]
        return status, self.output.read_text()


class ForkServer:
    """A process that has imported envledger once and forks a child per command."""

    def __init__(self, process: subprocess.Popen[str], folder: Path) -> None:
        self.process = process
        self.folder = folder
        self.started = 0

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def start(self, url: str, *args: str, **settings: str) -> CliProcess:
        """Start `envledger args...` on ledger ``url`` with ENVLEDGER_* ``settings``."""
        self.started += 1
        output = self.folder / f"envledger-{self.started}.out"
        env = {"ENVLEDGER_DATABASE_URL": url, "COLUMNS": "400"}
        env.update({f"ENVLEDGER_{name.upper()}": value for name, value in settings.items()})
        pid = self.ask({"start": list(args), "env": env, "output": str(output)})["pid"]
        return CliProcess(self, pid, output)

    def run(self, url: str, *args: str, **settings: str) -> tuple[int, str]:
        """Run `envledger args...` to the end: exit status and stdout + stderr."""
        return self.start(url, *args, **settings).wait()


@contextmanager
def fork_server(folder: Path) -> Iterator[ForkServer]:
    """A ForkServer for the test's duration; child outputs are written to ``folder``."""
    script = Path(__file__).with_name("cli_fork_server.py")
    # rich sizes its consoles when envledger is imported: wide, so messages stay one line.
    process = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    try:
        server = ForkServer(process, folder)
        # The first answer comes once envledger is imported: timings start after that.
        server.run("sqlite://", "version")
        yield server
    finally:
        assert process.stdin
        process.stdin.close()
        process.wait(timeout=30)


def write_activities(path: Path, rows: int, first_day: date = date(2000, 1, 1)) -> Path:
    """An activities file of ``rows`` daily electricity readings [kWh] for SH-HQ."""
    lines = [ACTIVITIES_HEADER]
    for i in range(rows):
        day = (first_day + timedelta(days=i)).isoformat()
        lines.append(f"SH-HQ,{day},{day},electricity,{100 + i % 50},kWh,measured")
    path.write_text("\n".join(lines) + "\n")
    return path
