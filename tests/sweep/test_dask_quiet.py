"""The heartbeat failure a Dask worker's own shutdown causes is dropped, nothing else.

The race is produced on purpose, not waited for: the scheduler's heartbeat handler is
held until the worker has started to close, so the heartbeat is in flight when
``Worker.close`` closes the worker's connections — the order that printed two tracebacks
after a clean sweep on a busy machine (:mod:`hemcell.sweep.dask_quiet`).
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from distributed import Scheduler, Worker

from hemcell.sweep.dask_quiet import (
    HEARTBEAT_FAILED,
    WORKER_LOGGER,
    ClosingHeartbeatFilter,
    quiet_closing_heartbeats,
)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def _heartbeat_cut_off_by_close() -> None:
    async with Scheduler(dashboard_address=":0", port=0) as scheduler:
        worker = Worker(scheduler.address, nthreads=1, dashboard_address=":0")
        await worker
        arrived, never = asyncio.Event(), asyncio.Event()

        async def held_heartbeat(**kwargs):
            arrived.set()
            await never.wait()  # answered never: the worker closes first

        scheduler.handlers["heartbeat_worker"] = held_heartbeat
        beat = asyncio.ensure_future(worker.heartbeat())
        await arrived.wait()
        await worker.close()
        await beat


@pytest.fixture
def worker_log():
    logger = logging.getLogger(WORKER_LOGGER)
    handler = _Records()
    filters, level = list(logger.filters), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, handler
    logger.removeHandler(handler)
    logger.filters[:] = filters
    logger.setLevel(level)


def _heartbeat_failures(handler: _Records) -> list[str]:
    return [m for m in handler.messages if m.startswith(HEARTBEAT_FAILED)]


def test_without_the_filter_the_race_logs_the_failure(worker_log):
    logger, handler = worker_log
    logger.filters[:] = [f for f in logger.filters if not isinstance(f, ClosingHeartbeatFilter)]
    asyncio.run(_heartbeat_cut_off_by_close())
    assert len(_heartbeat_failures(handler)) == 1


def test_with_the_filter_the_race_is_silent_and_the_shutdown_still_logged(worker_log):
    logger, handler = worker_log
    quiet_closing_heartbeats()
    quiet_closing_heartbeats()  # once, however often a sweep connects
    assert sum(isinstance(f, ClosingHeartbeatFilter) for f in logger.filters) == 1
    asyncio.run(_heartbeat_cut_off_by_close())
    assert _heartbeat_failures(handler) == []
    assert any(m.startswith("Stopping worker") for m in handler.messages)


def test_a_running_worker_s_heartbeat_failure_still_reaches_the_user(worker_log):
    """The scheduler really went away: the worker is running, its failure is shown."""
    _, handler = worker_log
    quiet_closing_heartbeats()

    async def scheduler_gone() -> None:
        async with Scheduler(dashboard_address=":0", port=0) as scheduler:
            async with Worker(scheduler.address, nthreads=1, dashboard_address=":0") as worker:
                async def closed_stream(**kwargs):
                    raise OSError("the scheduler's stream is closed")

                worker.scheduler.heartbeat_worker = closed_stream
                await worker.heartbeat()

    asyncio.run(scheduler_gone())
    assert len(_heartbeat_failures(handler)) == 1
