"""Run callables at the same moment in real threads and collect what each returned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TIMEOUT = 20.0
"""Longest a race may take before the test fails instead of hanging [s]."""


@dataclass(frozen=True)
class Outcome:
    """What one contender got: a result, or the error it raised."""

    result: Any = None
    error: BaseException | None = None


def race(*contenders: Callable[[], Any]) -> list[Outcome]:
    """Start every contender in its own thread (its own database connection), released
    together by a barrier; their outcomes in the order given."""
    barrier = threading.Barrier(len(contenders), timeout=TIMEOUT)
    outcomes: list[Outcome | None] = [None] * len(contenders)

    def run(index: int, contender: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            outcomes[index] = Outcome(result=contender())
        except Exception as error:  # the test inspects every outcome
            outcomes[index] = Outcome(error=error)

    threads = [threading.Thread(target=run, args=(index, contender), daemon=True)
               for index, contender in enumerate(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), f"a race took over {TIMEOUT} s"
    return [outcome for outcome in outcomes if outcome is not None]
