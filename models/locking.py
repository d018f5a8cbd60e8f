"""Row locks for jobs that run side by side (two cron workers, two fetchers).

Odoo runs each transaction in REPEATABLE READ. A job reads what is due, then
locks it with ``SKIP LOCKED``: rows another worker holds are skipped. A row that
another worker *committed* after this transaction's first query cannot be
locked at all: PostgreSQL raises a serialization failure, which
``try_lock_for_update`` logs as a "bad query" error and which aborts the
transaction. That is no error for a job: the other worker handled the row, and
a new transaction sees it as it is now.
"""

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

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
