"""Run one sync in a child process and kill it (SIGKILL) at its Nth SQL statement.

The child is forked (it starts at once, with everything imported) and killed in the middle
of whatever it is doing — a transaction on upstream or on the replica — as when a laptop is
shut or loses its connection during a sync. Used by test_interruptions.py.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from mou_desk.services.desk import Desk
from mou_desk.services.sync import sync


def _run(replica: Path, limit: int, on: str | None) -> None:
    desk = Desk.open(replica, clerk="Laptop")
    seen = 0

    def count(connection: Any, *_args: Any) -> None:
        nonlocal seen
        mine = replica.name in str(connection.engine.url)
        if (on == "replica" and not mine) or (on == "upstream" and mine):
            return
        seen += 1
        if seen >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", count)
    sync(desk)


def sync_killed_at(replica: Path, limit: int, *, on: str | None = None) -> bool:
    """Sync in a child killed at statement ``limit`` (counting only those on the "replica"
    or on "upstream" when ``on`` says so); True if it was killed, False if the sync finished
    first."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test run
        code = 0
        try:
            _run(replica, limit, on)
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0, "the sync failed in the child"
    return False
