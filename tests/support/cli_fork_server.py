"""Runs envledger commands in forked processes, paying the CLI's import time once.

On a loaded machine `envledger` spends seconds importing its libraries before it touches
the ledger; the concurrency and kill tests need many processes whose ledger work overlaps.
Protocol, one JSON object per line on stdin, one answer per line on stdout:
``{"start": [args...], "env": {...}, "output": path}`` -> ``{"pid": N}`` (the child's
stdout and stderr go to ``output``); ``{"wait": N}`` -> ``{"status": S}`` (exit status, or
minus the signal that ended it).
"""

from __future__ import annotations

import json
import os
import sys
import traceback

from envledger.cli import app


def _child(args: list[str], env: dict[str, str], output: str) -> None:
    os.environ.update(env)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    status = 1
    try:
        app(args, prog_name="envledger")
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        # What the `envledger` script would print, so that tests can refuse it.
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "start" in request:
            pid = os.fork()
            if pid == 0:
                _child(request["start"], request["env"], request["output"])
            answer = {"pid": pid}
        else:
            _, code = os.waitpid(request["wait"], 0)
            answer = {"status": os.waitstatus_to_exitcode(code)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
