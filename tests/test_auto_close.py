import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, freeze_time, tagged

from .test_care_sla import CareSlaCommon, local

REMINDER = "waiting for your answer"
CLOSING = "has been closed"


def count(ticket, text):
    return len(ticket.message_ids.filtered(lambda m: text in (m.subject or "")))


class TestAutoClose(CareSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({"auto_close_reminder_days": 2, "auto_close_days": 3})

    def _waiting_ticket(self):
        with freeze_time(local(2026, 3, 12, 9, 0)):  # Thursday
            ticket = self._ticket()
        with freeze_time(local(2026, 3, 12, 10, 0)):
            ticket.with_user(self.user_agent).stage_id = self.stage_waiting
        return ticket

    def _run(self, when):
        with freeze_time(when):
            return self.env["care.ticket"]._auto_close_batch(fields.Datetime.now())

    def test_reminder_then_closing(self):
        ticket = self._waiting_ticket()
        # Two working days: Friday, then Monday (the weekend does not count),
        # when Monday's work begins.
        self.assertEqual(ticket.auto_close_at, local(2026, 3, 16, 8, 0))
        self.assertEqual(self._run(local(2026, 3, 16, 7, 59)), 0, "not yet due")
        self.assertEqual(count(ticket, REMINDER), 0)

        reminded_at = local(2026, 3, 16, 10, 5)
        self.assertEqual(self._run(reminded_at), 1)
        self.assertEqual(ticket.auto_close_reminded_at, reminded_at)
        self.assertEqual(count(ticket, REMINDER), 1)
        self.assertFalse(ticket.is_closed)
        self.assertFalse(ticket.date_first_reply, "the reminder is no agent reply")
        # Three working days after the reminder.
        self.assertEqual(ticket.auto_close_at, local(2026, 3, 19, 8, 0))
        # The job runs again: nothing is due, no second mail.
        self.assertEqual(self._run(local(2026, 3, 16, 10, 6)), 0)
        self.assertEqual(count(ticket, REMINDER), 1)

        self.assertEqual(self._run(local(2026, 3, 19, 8, 10)), 1)
        self.assertTrue(ticket.is_closed)
        self.assertFalse(ticket.auto_close_at)
        self.assertEqual(count(ticket, CLOSING), 1)
        self.assertEqual(count(ticket, "has been solved"), 0, "one closing mail")
        self.assertEqual(self._run(local(2026, 3, 20, 10, 0)), 0)
        self.assertEqual((count(ticket, REMINDER), count(ticket, CLOSING)), (1, 1))

    def test_customer_reply_cancels(self):
        ticket = self._waiting_ticket()
        self._run(local(2026, 3, 16, 10, 5))
        self.assertEqual(count(ticket, REMINDER), 1)
        with freeze_time(local(2026, 3, 17, 8, 30)):
            self._customer_message(ticket)
        self.assertFalse(ticket.is_waiting, "back to work")
        self.assertFalse(ticket.auto_close_at)
        self.assertEqual(self._run(local(2026, 3, 25, 10, 0)), 0)
        self.assertFalse(ticket.is_closed)
        # Waiting again: a new reminder first, not the closing.
        with freeze_time(local(2026, 3, 18, 9, 0)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(ticket.auto_close_at, local(2026, 3, 20, 8, 0))
        self.assertEqual(self._run(local(2026, 3, 20, 8, 1)), 1)
        self.assertFalse(ticket.is_closed)
        self.assertEqual(count(ticket, REMINDER), 2)

    def test_teams_without_auto_close(self):
        ticket = self._waiting_ticket()
        ticket.team_id = self.team_tech
        self.assertFalse(ticket.auto_close_at)
        ticket.team_id = self.team
        self.assertTrue(ticket.auto_close_at)
        self.team.auto_close_reminder_days = 0
        self.assertFalse(ticket.auto_close_at, "the team's delays are followed")

    def test_reminded_ticket_stays_open_without_closing_delay(self):
        self.team.auto_close_days = 0
        ticket = self._waiting_ticket()
        self._run(local(2026, 3, 16, 10, 5))
        self.assertEqual(count(ticket, REMINDER), 1)
        self.assertFalse(ticket.auto_close_at)
        self.assertEqual(self._run(local(2026, 4, 16, 10, 5)), 0)
        self.assertFalse(ticket.is_closed)


@tagged("post_install", "-at_install")
class TestAutoCloseConcurrency(TransactionCase):
    """Two workers run the job at once: each ticket is reminded once and the
    late worker logs no error (same discipline as the notice job, see
    test_concurrency.py)."""

    @classmethod
    def _cursor(cls):
        cr = sql_db.db_connect(cls.env.cr.dbname).cursor()
        cr.transaction = Transaction(cls.registry)
        cr.execute("SET lock_timeout = '30s'")
        return cr

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:8]
        cls.addClassCleanup(cls._remove_committed_data)
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"care_no_ack": True})
            team = env["care.team"].create(
                {
                    "name": f"Auto-close {cls.tag}",
                    "auto_close_reminder_days": 1,
                    "auto_close_days": 1,
                }
            )
            customer = env["res.partner"].create(
                {"name": "Nguyễn Văn An", "email": f"an.{cls.tag}@example.com"}
            )
            tickets = env["care.ticket"].create(
                [
                    {
                        "name": f"Chờ khách {i}",
                        "team_id": team.id,
                        "partner_id": customer.id,
                    }
                    for i in range(3)
                ]
            )
            tickets.stage_id = env.ref("customer_care.care_stage_waiting")
            tickets.flush_recordset()
            # As if the working days had passed.
            cr.execute(
                "UPDATE care_ticket SET auto_close_at = %s WHERE id IN %s",
                (fields.Datetime.now() - timedelta(minutes=1), tuple(tickets.ids)),
            )
            cls.team_id, cls.customer_id = team.id, customer.id
            cls.ticket_ids = tickets.ids

    @classmethod
    def _remove_committed_data(cls):
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["care.ticket"].browse(cls.ticket_ids).exists().unlink()
            env["care.team"].browse(cls.team_id).exists().unlink()
            env["res.partner"].browse(cls.customer_id).exists().unlink()

    def test_job_after_another_worker_committed(self):
        late_cr = self._cursor()
        try:
            late = api.Environment(late_cr, SUPERUSER_ID, {})
            due = [
                ("id", "in", self.ticket_ids),
                ("auto_close_at", "<=", fields.Datetime.now()),
            ]
            # Its snapshot: the three tickets due.
            self.assertEqual(late["care.ticket"].search_count(due), 3)
            with self._cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["care.ticket"]._cron_auto_close()
            with self.assertNoLogs(level="ERROR"):
                late["care.ticket"]._cron_auto_close()
            late_cr.commit()
        finally:
            late_cr.close()
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["care.ticket"].browse(self.ticket_ids)
            self.assertEqual([count(t, REMINDER) for t in tickets], [1, 1, 1])
            self.assertTrue(all(tickets.mapped("auto_close_reminded_at")))
            self.assertFalse(any(tickets.mapped("is_closed")))
