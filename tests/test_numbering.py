import threading

from odoo import SUPERUSER_ID, api, sql_db
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(TransactionCase):
    """Two workers creating tickets at the same moment never share a number.

    Each thread uses its own database connection (as two Odoo workers do) and
    rolls back at the end, so the test leaves nothing behind.
    """

    def _create_in_own_transaction(self, barrier, numbers, errors):
        try:
            with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '20s'")
                # The registry is passed in: looking it up by name would wait on
                # the registry lock that the test runner holds.
                cr.transaction = Transaction(self.env.registry)
                env = api.Environment(cr, SUPERUSER_ID, {"care_no_ack": True})
                barrier.wait(timeout=30)
                tickets = env["care.ticket"].create(
                    [{"name": f"Yêu cầu {i}", "team_id": False} for i in range(25)]
                )
                numbers.extend(tickets.mapped("number"))
                cr.rollback()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    def test_concurrent_creation_unique_numbers(self):
        barrier = threading.Barrier(2)
        numbers, errors = [], []
        threads = [
            threading.Thread(
                target=self._create_in_own_transaction,
                args=(barrier, numbers, errors),
            )
            for __ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors, errors)
        self.assertEqual(len(numbers), 50)
        self.assertEqual(len(set(numbers)), 50, "no number is given twice")
