"""Crawl runs as the database records them: preparing the database once per process
(``prepare_database``), each source's last and next run, one run's row from start to finish
(``RunRecord``), and whether a run is still going: a run row says ``running`` until its process
finishes it, so a process killed mid-run (kill -9, power cut) would otherwise look busy forever."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime

from service.db import StoreConfig, open_store
from service.outlets import OutletRegistry, sync_outlets


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


def prepare_database(database: StoreConfig, sources: Iterable[tuple[str, str, str]],
                     outlets: OutletRegistry) -> None:
    """Once per process, before any crawl or scheduled job: apply migrations, mirror the
    configured sources (name, kind, url) and outlets, and mark runs whose process died as interrupted."""
    store = open_store(database)
    try:
        store.sync_sources(sources)
        sync_outlets(store, outlets)
        store.close_dead_runs(process_alive)
    finally:
        store.close()


def source_last_runs(database: StoreConfig) -> dict[str, datetime | None]:
    """Each known source's last run (None if it never ran): the scheduler starts from them."""
    store = open_store(database)
    try:
        return {name: datetime.fromisoformat(at.replace("Z", "+00:00")) if at else None
                for name, at in store.last_runs().items()}
    finally:
        store.close()


def record_next_runs(database: StoreConfig, next_runs: Mapping[str, datetime | None]) -> None:
    """Write each source's next scheduled run where /crawl/status reads it."""
    store = open_store(database)
    try:
        store.set_next_runs(next_runs)
    finally:
        store.close()


class RunRecord:
    """The row of one crawl run, on its own connection: ``running`` from ``start_run`` until
    ``finish`` gives its status; ``close`` the connection afterwards."""

    def __init__(self, database: StoreConfig, *, trigger: str, now: datetime, pid: int) -> None:
        self._store = open_store(database)
        try:
            self.run_id = self._store.start_run(trigger=trigger, now=now, pid=pid)
        except BaseException:
            self._store.close()
            raise

    def finish(self, *, now: datetime, status: str) -> None:
        self._store.finish_run(self.run_id, now=now, status=status)

    def close(self) -> None:
        self._store.close()

