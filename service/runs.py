"""Whether a crawl run is still going: a run row says ``running`` until its process finishes it,
so a process killed mid-run (kill -9, power cut) would otherwise look busy forever."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine (signal 0 checks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def shown_status(status: str, pid: int | None) -> str:
    """What to show for a run: ``interrupted`` for a ``running`` run whose process is gone (until
    the next crawl records it so in the database)."""
    if status == "running" and (pid is None or not process_alive(pid)):
        return "interrupted"
    return status
