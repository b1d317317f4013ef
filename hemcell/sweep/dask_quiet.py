"""A Dask worker's heartbeat cut off by its own shutdown is not an error.

``distributed.Worker.close`` sets the worker's status to ``closing``, stops its
periodic callbacks and then closes its connection pool. A heartbeat already on its way
to the scheduler at that moment reads from a closed stream, and ``Worker.heartbeat``
logs ``Failed to communicate with scheduler during heartbeat.`` at ERROR with two
tracebacks (distributed 2026.8, ``worker.py``; the same race is reported in
dask/distributed#9032 and LiberTEM/LiberTEM#1643). Whether a heartbeat is in flight
depends on load, so a sweep that finished cleanly printed tracebacks on a busy
machine. :class:`ClosingHeartbeatFilter` drops exactly that record when the worker
that logged it is closing or closed; every other record, and that record from a
running worker (a scheduler that really went away), still reaches the user.

:func:`quiet_closing_heartbeats` installs the filter in this process (workers of an
in-process cluster) and, through :class:`QuietClosingHeartbeats`, in the worker
processes of a cluster the sweep started itself. Workers of a scheduler the user
passed by address are the user's, and are left as they are.
"""

from __future__ import annotations

import logging
from typing import Any

from distributed import WorkerPlugin
from distributed.core import Status
from distributed.worker import Worker

#: The record ``Worker.heartbeat`` logs when the heartbeat's stream is closed.
HEARTBEAT_FAILED = "Failed to communicate with scheduler during heartbeat"
#: Worker states in which its connections are being or have been closed.
SHUTTING_DOWN = frozenset({Status.closing, Status.closing_gracefully, Status.closed})
#: The logger ``distributed.worker`` logs the heartbeat failure to.
WORKER_LOGGER = "distributed.worker"


def heartbeat_worker(record: logging.LogRecord) -> Worker | None:
    """The worker whose ``Worker.heartbeat`` logged ``record`` (from its traceback).

    ``logger.exception`` inside ``heartbeat`` attaches the exception, whose traceback
    starts at that method's frame; its ``self`` is the worker. ``None`` for a record
    without one.
    """
    tb = record.exc_info[2] if record.exc_info else None
    while tb is not None:
        me = tb.tb_frame.f_locals.get("self")
        if tb.tb_frame.f_code.co_name == "heartbeat" and isinstance(me, Worker):
            return me
        tb = tb.tb_next
    return None


class ClosingHeartbeatFilter(logging.Filter):
    """Drop the heartbeat failure a worker's own shutdown causes (see the module)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False only for the heartbeat failure of a worker that is shutting down."""
        if not str(record.msg).startswith(HEARTBEAT_FAILED):
            return True
        worker = heartbeat_worker(record)
        return worker is None or worker.status not in SHUTTING_DOWN


def quiet_closing_heartbeats() -> None:
    """Install :class:`ClosingHeartbeatFilter` on ``distributed.worker`` once."""
    logger = logging.getLogger(WORKER_LOGGER)
    if not any(isinstance(f, ClosingHeartbeatFilter) for f in logger.filters):
        logger.addFilter(ClosingHeartbeatFilter())


class QuietClosingHeartbeats(WorkerPlugin):
    """Installs :class:`ClosingHeartbeatFilter` in each worker's process."""

    name = "hemcell-quiet-closing-heartbeats"

    def setup(self, worker: Any) -> None:
        """Called by the worker when the plugin is registered."""
        quiet_closing_heartbeats()
