import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.orm import environments
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models import ir_cron as ir_cron_module
from odoo.addons.mail.tests.common import mail_new_test_user

from ..models import care_ticket as care_ticket_module
from .common import CareCommon

MAIL = """From: {sender}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Máy lạnh chảy nước, nhờ anh chị kiểm tra giúp.
"""


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    """Creators, mail fetchers and jobs working at the same moment, each with
    its own database connection and transactions, as two Odoo workers do.

    What they need is committed in setUpClass and removed again at the end
    (tickets, partners, teams, users): the other tests see nothing of it.
    """

    @classmethod
    def _cursor(cls):
        """A connection of its own (committed when used as a context manager).
        The registry is passed in: looking it up by name would wait on the
        registry lock that the test runner holds."""
        cr = sql_db.db_connect(cls.env.cr.dbname).cursor()
        cr.transaction = Transaction(cls.registry)
        # A safety net against a hung test, not a timing: nothing waits so long.
        cr.execute("SET lock_timeout = '30s'")
        return cr

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:8]
        cls.addClassCleanup(cls._remove_committed_data)
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agents = env["res.users"]
            for i in range(3):
                agents |= mail_new_test_user(
                    env,
                    login=f"cc_conc_{cls.tag}_{i}",
                    name=f"Agent {i}",
                    email=f"agent{i}.{cls.tag}@saoviet.example.com",
                    groups="base.group_user,customer_care.customer_care_group_user",
                )
            domain = env["mail.alias.domain"].create({"name": f"{cls.tag}.example.com"})
            Team = env["care.team"].with_context(mail_create_nolog=True)
            team_rr = Team.create(
                {
                    "name": f"Round-robin {cls.tag}",
                    "member_ids": [(6, 0, agents.ids)],
                    "assign_method": "round_robin",
                    "alias_name": "hotro",
                    "alias_domain_id": domain.id,
                }
            )
            team_balanced = Team.create(
                {
                    "name": f"Balanced {cls.tag}",
                    "member_ids": [(6, 0, agents.ids)],
                    "assign_method": "balanced",
                }
            )
            customer = env["res.partner"].create(
                {"name": "Nguyễn Văn An", "email": f"an.{cls.tag}@example.com"}
            )
            server = env["fetchmail.server"].create(
                {"name": f"Inbox {cls.tag}", "server": "localhost"}
            )
            cls.agent_ids = agents.ids
            cls.team_rr_id, cls.team_balanced_id = team_rr.id, team_balanced.id
            cls.domain_id, cls.customer_id = domain.id, customer.id
            cls.server_id = server.id
            cls.alias_email = f"hotro@{domain.name}"

    @classmethod
    def _remove_committed_data(cls):
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["care.sla"].search([("name", "like", cls.tag)]).unlink()
            teams = env["care.team"].search([("name", "like", cls.tag)])
            partners = env["res.partner"].search([("email", "like", cls.tag)])
            env["care.ticket"].search(
                ["|", ("team_id", "in", teams.ids), ("partner_id", "in", partners.ids)]
            ).unlink()
            teams.unlink()
            env["fetchmail.server"].search([("name", "like", cls.tag)]).unlink()
            domains = env["mail.alias.domain"].search([("name", "like", cls.tag)])
            # The first alias domain of a database becomes the companies' default
            # and other apps' aliases (sales teams, live chat…) take it: detach
            # them so the domain can go.
            env["mail.alias"].search([("alias_domain_id", "in", domains.ids)]).write(
                {"alias_domain_id": False}
            )
            env["res.company"].search([("alias_domain_id", "in", domains.ids)]).write(
                {"alias_domain_id": False}
            )
            domains.unlink()
            users = env["res.users"].search([("login", "like", cls.tag)])
            partners |= users.partner_id
            users.unlink()
            partners.exists().unlink()

    def _in_parallel(self, *jobs):
        """Run each job in a thread of its own, released together; return the
        errors they raised."""
        barrier = threading.Barrier(len(jobs))
        errors = []

        def run(job):
            try:
                barrier.wait(timeout=30)
                job()
            except Exception as error:  # noqa: BLE001 - asserted by the caller
                errors.append(error)

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        return errors

    def _create_tickets(self, team_id, count, label):
        """A creator: ``count`` tickets, one transaction each (one request)."""
        for i in range(count):
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"care_no_ack": True})
                env["care.ticket"].create(
                    {
                        "name": f"{label} {i}",
                        "team_id": team_id,
                        "partner_id": self.customer_id,
                    }
                )

    def _read(self, function):
        with self._cursor() as cr:
            return function(api.Environment(cr, SUPERUSER_ID, {}))

    def _team_tickets(self, team_id, name_like):
        """(name, agent id) of the team's tickets named ``=like name_like``:
        the tests share the committed teams."""
        domain = [("team_id", "=", team_id), ("name", "=like", name_like)]
        return self._read(
            lambda env: [
                (t.name, t.user_id.id) for t in env["care.ticket"].search(domain)
            ]
        )

    def _process(self, mail, fetcher=True):
        """Deliver ``mail`` as Odoo's mail fetcher does: its own transaction,
        committed after the mail."""
        with self._cursor() as cr:
            context = {"default_fetchmail_server_id": self.server_id} if fetcher else {}
            env = api.Environment(cr, SUPERUSER_ID, context)
            env["mail.thread"].message_process("care.ticket", mail)

    def _mail(self, subject, msg_id, extra=""):
        return MAIL.format(
            sender=f"Khách {subject} <{subject}.{self.tag}@example.com>",
            to=self.alias_email,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
        )

    def _two_creators(self, team_id, prefix):
        """Two creators of 30 tickets each at once: the agents' loads."""
        errors = self._in_parallel(
            lambda: self._create_tickets(team_id, 30, prefix + "A"),
            lambda: self._create_tickets(team_id, 30, prefix + "B"),
        )
        self.assertFalse(errors, "no creation is refused")
        tickets = self._team_tickets(team_id, prefix + "_ %")
        self.assertEqual(len(tickets), 60)
        self.assertTrue(all(user_id for __, user_id in tickets), "all assigned")
        split = Counter(user_id for __, user_id in tickets)
        self.assertEqual(set(split), set(self.agent_ids))
        return split

    def test_two_creators_round_robin(self):
        split = self._two_creators(self.team_rr_id, "R")
        self.assertLessEqual(max(split.values()) - min(split.values()), 1, split)

    def test_two_creators_balanced(self):
        split = self._two_creators(self.team_balanced_id, "B")
        # A creator does not see the ticket the other is creating at that
        # moment (at most a couple of them): the loads stay within that.
        self.assertLessEqual(max(split.values()) - min(split.values()), 3, split)

    def test_two_mails_to_the_same_alias_at_once(self):
        for round_ in range(3):
            mails = [
                self._mail(f"m{round_}x{i}", f"<m{round_}x{i}.{self.tag}@example.com>")
                for i in range(2)
            ]
            errors = self._in_parallel(
                lambda m=mails[0]: self._process(m),
                lambda m=mails[1]: self._process(m, fetcher=False),
            )
            self.assertFalse(errors, "no mail is refused")
        tickets = self._team_tickets(self.team_rr_id, "m_x_")
        self.assertEqual(len(tickets), 6, "one ticket per mail")
        self.assertTrue(all(user_id for __, user_id in tickets), "all assigned")

    def test_reply_to_a_ticket_held_by_an_agent_is_retried(self):
        """The agent's transaction commits a change of the ticket after the
        fetcher's transaction began: the fetcher's write fails with a
        serialization error, and the mail is processed again instead of
        being marked as seen and lost."""
        first = f"<first.{self.tag}@example.com>"
        self._process(self._mail("hold", first))
        ticket_id = self._read(
            lambda env: env["mail.message"].search([("message_id", "=", first)]).res_id
        )
        reply_id = f"<reply.{self.tag}@example.com>"
        reply = self._mail("hold", reply_id, extra=f"In-Reply-To: {first}\n")
        agent_cr = self._cursor()
        try:
            agent = api.Environment(agent_cr, SUPERUSER_ID, {})
            agent["care.ticket"].browse(ticket_id).priority = "2"
            agent.flush_all()  # the row is held until the agent commits
            errors = []

            def fetch():
                try:
                    self._process(reply)
                except Exception as error:  # noqa: BLE001 - asserted below
                    errors.append(error)

            fetcher = threading.Thread(target=fetch)
            Ticket = self.registry["care.ticket"]
            update = Ticket.message_update
            attempts = []

            def counted_update(ticket, *args, **kwargs):
                attempts.append(ticket.ids)
                return update(ticket, *args, **kwargs)

            with (
                patch.object(Ticket, "message_update", counted_update),
                # A retry resets the transaction, which looks the registry up
                # by name: that waits on the registry lock the test runner
                # holds (a server holds it only while loading). Same registry.
                patch.object(environments, "Registry", lambda __: self.registry),
                mute_logger("odoo.sql_db", "odoo.service.model"),  # the first try
            ):
                fetcher.start()
                self._wait_for_a_lock_wait()
                agent_cr.commit()
                fetcher.join(timeout=120)
        finally:
            agent_cr.close()
        self.assertFalse(errors, "the reply is not refused")
        self.assertEqual(attempts, [[ticket_id]] * 2, "refused once, then retried")
        messages = self._read(
            lambda env: [
                (m.model, m.res_id)
                for m in env["mail.message"].search([("message_id", "=", reply_id)])
            ]
        )
        self.assertEqual(messages, [("care.ticket", ticket_id)], "kept, once")
        priority = self._read(lambda env: env["care.ticket"].browse(ticket_id).priority)
        self.assertEqual(priority, "2", "the agent's change is kept too")

    def _wait_for_a_lock_wait(self):
        """Until a connection of this database waits on a row lock (a
        synchronisation, bounded; the outcome is asserted by the caller)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with self._cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cr.fetchone()[0]:
                    return
            time.sleep(0.05)

    def test_notice_job_after_another_worker_committed(self):
        """A worker whose transaction began before another worker committed
        the same notices starts over quietly: each notice is sent once and
        nothing is logged as an error."""
        self._create_tickets(self.team_rr_id, 4, "N")
        late_cr = self._cursor()
        try:
            late = api.Environment(late_cr, SUPERUSER_ID, {})
            # Its snapshot: the four notices still pending.
            self.assertEqual(late["care.ticket"].search_count(self._pending()), 4)
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["care.ticket"]._cron_send_notices()
            with self.assertNoLogs(level="ERROR"):
                late["care.ticket"]._cron_send_notices()
            late_cr.commit()
        finally:
            late_cr.close()
        notices = self._read(
            lambda env: Counter(
                env["mail.message"]
                .search(
                    [
                        ("model", "=", "care.ticket"),
                        ("res_id", "in", env["care.ticket"].search(self._mine()).ids),
                        ("message_type", "=", "user_notification"),
                    ]
                )
                .mapped("res_id")
            )
        )
        self.assertEqual(len(notices), 4)
        self.assertEqual(set(notices.values()), {1}, "each agent is told once")
        self.assertFalse(
            self._read(lambda env: env["care.ticket"].search(self._pending()))
        )

    def test_sla_job_after_another_worker_committed(self):
        """Same for SLA escalations: each breach is escalated once, and the
        late worker logs no error."""
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            policy = env["care.sla"].create(
                {
                    "name": f"Gold {self.tag}",
                    "team_ids": [(6, 0, [self.team_rr_id])],
                    "target_ids": [(0, 0, {"kind": "first_response", "hours": 1})],
                    "escalate_raise_priority": True,
                    "escalate_notify_leader": False,
                }
            )
            policy_id = policy.id
        self._create_tickets(self.team_rr_id, 3, "S")
        with self._cursor() as cr:  # as if the hour had passed
            cr.execute(
                "UPDATE care_ticket_sla SET deadline = %s WHERE sla_id = %s",
                (fields.Datetime.now() - timedelta(minutes=1), policy_id),
            )
        # The other worker escalates the lines and commits between this
        # worker's read of its batch and its lock on it.
        Sla = self.registry["care.ticket.sla"]
        search = Sla.search
        interleaved = []

        def search_then_other_worker_commits(model, *args, **kwargs):
            lines = search(model, *args, **kwargs)
            if lines and kwargs.get("limit") and not interleaved:
                interleaved.append(lines.ids)
                with self._cursor() as cr:
                    api.Environment(cr, SUPERUSER_ID, {})[
                        "care.ticket.sla"
                    ]._cron_process_due()
            return lines

        with self._cursor() as cr:
            late = api.Environment(cr, SUPERUSER_ID, {})
            with (
                patch.object(Sla, "search", search_then_other_worker_commits),
                self.assertNoLogs(level="ERROR"),
            ):
                late["care.ticket.sla"]._cron_process_due()
        self.assertEqual(len(interleaved), 1)

        def escalations(env):
            lines = env["care.ticket.sla"].search([("sla_id", "=", policy_id)])
            return [
                (
                    line.status,
                    line.ticket_id.priority,
                    len(
                        line.ticket_id.message_ids.filtered(
                            lambda m: "SLA breached" in (m.body or "")
                        )
                    ),
                )
                for line in lines
            ]

        self.assertEqual(self._read(escalations), [("failed", "2", 1)] * 3)

    def _mine(self):
        return [("team_id", "=", self.team_rr_id), ("name", "=like", "N %")]

    def _pending(self):
        return self._mine() + [("assign_notice_pending", "=", True)]


class TestJobProgress(CareCommon):
    def test_notice_job_stopped_on_its_time_budget_runs_again_at_once(self):
        tickets = self.env["care.ticket"].create(
            [
                {
                    "name": f"Hỏi bảo hành {i}",
                    "team_id": self.team.id,
                    "partner_id": self.customer.id,
                }
                for i in range(5)
            ]
        )
        self.assertTrue(all(tickets.mapped("ack_pending")))
        cron = self.env.ref("customer_care.ir_cron_care_ticket_ack")
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        job = {
            **cron.read(load=None)[0],
            "done": 0,
            "remaining": 0,
            "timed_out_counter": 0,
        }
        self.env.flush_all()
        with (
            # No time left after the first batch of two, one run per job.
            patch.object(ir_cron_module, "MIN_TIME_PER_JOB", 0),
            patch.object(ir_cron_module, "MIN_RUNS_PER_JOB", 1),
            patch.object(care_ticket_module, "NOTICE_BATCH_SIZE", 2),
            self.enter_registry_test_mode(),
            self.registry.cursor() as cr,
        ):
            self.registry["ir.cron"]._process_job(cr, job)
        self.env.invalidate_all()
        self.assertEqual(len(tickets.filtered("ack_pending")), 3, "stopped")
        asap = Trigger.search(
            [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())]
        )
        self.assertTrue(asap, "work is left: the job runs again at once")
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (2, 3))
