"""Row locks for jobs that run side by side (two cron workers, two fetchers).

Odoo runs each transaction in REPEATABLE READ. A job reads what is due, then
locks it with ``SKIP LOCKED``: rows another worker holds are skipped. A row that
another worker *committed* after this transaction's first query cannot be
locked at all: PostgreSQL raises a serialization failure, which
``try_lock_for_update`` logs as a "bad query" error and which aborts the
transaction. That is no error for a job: the other worker handled the row, and
a new transaction sees it as it is now.
"""

import logging

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# psycopg2's LockNotAvailable, SerializationFailure and DeadlockDetected: the
# errors Odoo's RPC and HTTP layers retry (odoo.service.model.retrying).
CONCURRENCY_ERRORS = PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
# A job starts over in a new transaction that many times in a row when another
# worker commits the rows it is about to take, then leaves them to its next run.
MAX_JOB_CONFLICTS = 3


def lock_free_rows(records, *, allow_referencing=True):
    """``records.try_lock_for_update()``, quiet on conflicts: return the
    records whose rows could be locked, skipping those another transaction
    holds.

    When a row changed after this transaction began, the psycopg2 error of
    ``CONCURRENCY_ERRORS`` is raised, without an error log and with the
    transaction still usable (the lock runs in a savepoint): the caller
    commits and starts over with fresh data.
    """
    ids = tuple(id_ for id_ in records._ids if id_)
    if not ids:
        return records
    lock = "FOR NO KEY UPDATE" if allow_referencing else "FOR UPDATE"
    cr = records.env.cr
    with cr.savepoint(flush=False):
        cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s %s SKIP LOCKED",
                SQL.identifier(records._table),
                ids,
                SQL(lock),
            ),
            log_exceptions=False,
        )
        locked = {id_ for (id_,) in cr.fetchall()}
    return records.browse(id_ for id_ in records._ids if id_ in locked)


def run_job_batches(env, process_batch, count_remaining, label):
    """Run a scheduled job batch after batch, as the ticket notices and the
    SLA job do: each batch in a savepoint, committed by
    ``ir.cron._commit_progress`` with the count still to do, so that a run
    stopped on its time budget is taken up again at once.

    ``process_batch()`` locks its rows with :func:`lock_free_rows` and
    returns how many it handled (0: nothing it could take, what is left is
    another worker's). When this transaction saw rows another worker has
    just committed, the batch starts over in a new transaction, quietly: a
    few times at most, then the rest waits for the next run.

    Outside a cron run ``_commit_progress`` commits: tests call
    ``process_batch`` itself, never this loop.
    """
    cron = env["ir.cron"]
    conflicts = 0
    while True:
        try:
            with env.cr.savepoint():
                done = process_batch()
        except CONCURRENCY_ERRORS:
            conflicts += 1
            if conflicts > MAX_JOB_CONFLICTS:
                _logger.info("%s: rows in use by another worker, next run", label)
                cron._commit_progress(remaining=0)
                return
            cron._commit_progress()  # a new transaction, fresh rows
            continue
        remaining = count_remaining() if done else 0
        time_left = cron._commit_progress(done, remaining=remaining)
        if not remaining or time_left <= 0:
            return
