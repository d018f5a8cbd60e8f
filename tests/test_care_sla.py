import time
from datetime import datetime, timedelta

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time

from odoo.addons.customer_care.models.care_ticket_sla_engine import LINE_DEFAULTS

from .common import CareCommon

# Asia/Ho_Chi_Minh is UTC+7 all year: local 08:00 is 01:00 UTC.
VN = timedelta(hours=7)


def local(*args):
    """Naive UTC datetime of a Vietnamese local time."""
    return datetime(*args) - VN


class CareSlaCommon(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The shipped sample policies would add their own lines: keep the
        # tests to the policies they create.
        cls.env["care.sla"].search([]).action_archive()
        cls.calendar_vn = cls.env.ref("customer_care.resource_calendar_vn")
        (cls.team | cls.team_tech).resource_calendar_id = cls.calendar_vn
        cls.Sla = cls.env["care.sla"]

    @classmethod
    def _policy(cls, targets, **values):
        values.setdefault("name", "Test policy")
        values["target_ids"] = [
            (0, 0, {"kind": kind, "hours": hours, **extra})
            for kind, hours, extra in (
                target if len(target) == 3 else (*target, {}) for target in targets
            )
        ]
        return cls.env["care.sla"].create(values)

    def _create(self, when, **values):
        """A ticket created at ``when`` (naive UTC), the moment its SLA starts."""
        values.setdefault("create_date", when)
        return self._ticket(**values)

    def _line(self, ticket, kind):
        lines = ticket.sla_line_ids.filtered(lambda line: line.kind == kind)
        self.assertEqual(len(lines), 1, f"one {kind} line")
        return lines

    def _agent_reply(self, ticket, user=None):
        ticket.with_user(user or self.user_agent).message_post(
            body="Chào anh, chúng tôi đã kiểm tra đơn hàng.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _customer_message(self, ticket):
        ticket.message_post(
            body="Tôi vẫn chưa nhận được hàng.",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )


class TestCareSlaDeadlines(CareSlaCommon):
    def test_deadline_across_lunch_break(self):
        self._policy([("first_response", 2)], warning_percent=80)
        start = local(2026, 3, 10, 11, 0)  # Tuesday 11:00
        with freeze_time(start):
            ticket = self._create(start)
        line = self._line(ticket, "first_response")
        # 11:00-12:00 then 13:30-14:30: the lunch break does not count.
        self.assertEqual(line.deadline, local(2026, 3, 10, 14, 30))
        # 80 % of 2 h = 1 h 36: 12:00 + 36 min after lunch.
        self.assertEqual(line.warning_at, local(2026, 3, 10, 14, 6))
        self.assertEqual(ticket.sla_deadline, line.deadline)
        self.assertEqual(ticket.sla_status, "ongoing")

    def test_deadline_across_weekend(self):
        self._policy([("first_response", 4)])
        start = local(2026, 3, 13, 16, 0)  # Friday 16:00
        with freeze_time(start):
            ticket = self._create(start)
        # Friday 16:00-17:30 (1.5 h), then Monday 08:00 + 2.5 h.
        self.assertEqual(
            self._line(ticket, "first_response").deadline,
            local(2026, 3, 16, 10, 30),
        )

    def test_deadline_across_tet(self):
        self._policy([("resolution", 4)])
        self._policy([("first_response", 4, {"working_time": False})], name="24/7")
        start = local(2026, 2, 13, 15, 0)  # Friday before Tết 2026
        with freeze_time(start):
            ticket = self._create(start)
        # Friday 15:00-17:30 (2.5 h); Tết holiday 14-22 Feb; Monday 23 Feb
        # 08:00 + 1.5 h.
        self.assertEqual(
            self._line(ticket, "resolution").deadline, local(2026, 2, 23, 9, 30)
        )
        # A target in calendar hours ignores the working calendar.
        self.assertEqual(
            self._line(ticket, "first_response").deadline, start + timedelta(hours=4)
        )
        self.assertEqual(ticket.sla_deadline, start + timedelta(hours=4))

    def test_working_hours_match_resource_calendar(self):
        """The fast working-time arithmetic agrees with resource.calendar."""
        schedule = self.Sla._get_schedule(self.team, self.company, {})
        start, stop = local(2026, 2, 10, 9, 15), local(2026, 3, 2, 15, 45)
        expected = self.calendar_vn.get_work_hours_count(
            start, stop, compute_leaves=True
        )
        self.assertAlmostEqual(expected, 77.0, 4, "the days of Tết are not counted")
        self.assertAlmostEqual(schedule.hours_between(start, stop), expected, 4)
        self.assertEqual(schedule.add_hours(start, expected), stop)

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Không có giờ làm", "attendance_ids": [], "tz": "Asia/Bangkok"}
        )
        empty.attendance_ids.unlink()
        self.team.resource_calendar_id = empty
        self._policy([("first_response", 4)])
        with self.assertRaises(UserError) as error:
            self._ticket()
        self.assertIn("no working time", str(error.exception))

    def test_calendar_whose_leaves_cover_everything(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Nghỉ dài",
                "calendar_id": self.calendar_vn.id,
                "date_from": datetime(2026, 1, 1),
                "date_to": datetime(2031, 1, 1),
            }
        )
        self._policy([("first_response", 4)])
        with freeze_time(local(2026, 3, 10, 9, 0)), self.assertRaises(UserError):
            self._create(local(2026, 3, 10, 9, 0))


class TestCareSlaClocks(CareSlaCommon):
    def test_pause_and_resume(self):
        self._policy([("first_response", 4)])
        start = local(2026, 3, 10, 8, 0)  # Tuesday 08:00
        with freeze_time(start):
            ticket = self._create(start)
        line = self._line(ticket, "first_response")
        self.assertEqual(line.deadline, local(2026, 3, 10, 12, 0))
        with freeze_time(local(2026, 3, 10, 9, 0)):
            ticket.stage_id = self.stage_waiting
        self.assertTrue(line.paused_since, "waiting on the customer stops the clock")
        self.assertAlmostEqual(line.remaining_hours, 3.0)
        self.assertFalse(ticket.sla_deadline, "a paused clock has no deadline")
        with freeze_time(local(2026, 3, 11, 9, 0)):  # Wednesday 09:00
            ticket.stage_id = self.stage_progress
        self.assertFalse(line.paused_since)
        # 3 h were left: Wednesday 09:00 + 3 h = 12:00.
        self.assertEqual(line.deadline, local(2026, 3, 11, 12, 0))
        self.assertEqual(ticket.sla_deadline, line.deadline)
        # Tuesday 09:00-17:30 (7 h) and Wednesday 08:00-09:00 were paused.
        self.assertAlmostEqual(line.paused_hours, 8.0)
        with freeze_time(local(2026, 3, 11, 10, 0)):
            self._agent_reply(ticket)
        self.assertEqual(line.status, "reached")
        self.assertAlmostEqual(line.hours_used, 2.0, msg="paused time is not used")

    def test_first_response_only_by_agent_public_reply(self):
        self._policy([("first_response", 4)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        line = self._line(ticket, "first_response")
        with freeze_time(start + timedelta(minutes=10)):
            ticket._send_acknowledgement()
            ticket.with_user(self.user_agent).message_post(
                body="Ghi chú nội bộ",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            self._customer_message(ticket)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: m.subtype_id == self.env.ref("customer_care.mt_ticket_ack")
            ),
            "the acknowledgement was posted",
        )
        self.assertFalse(line.reached_at, "ack, note and customer do not count")
        self.assertEqual(line.status, "ongoing")
        reply_at = start + timedelta(minutes=45)
        with freeze_time(reply_at):
            self._agent_reply(ticket)
        self.assertEqual(line.reached_at, reply_at)
        self.assertEqual(line.status, "reached")
        self.assertAlmostEqual(line.hours_used, 0.75)
        self.assertEqual(ticket.sla_status, "reached")

    def test_every_response_cycles(self):
        self._policy([("every_response", 2)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        self.assertFalse(ticket.sla_line_ids, "no cycle before a customer message")
        with freeze_time(local(2026, 3, 10, 9, 0)):
            self._customer_message(ticket)
        with freeze_time(local(2026, 3, 10, 9, 30)):
            self._customer_message(ticket)
        first = self._line(ticket, "every_response")
        self.assertEqual(first.deadline, local(2026, 3, 10, 11, 0), "from 1st message")
        with freeze_time(local(2026, 3, 10, 10, 0)):
            self._agent_reply(ticket)
        self.assertEqual(first.status, "reached")
        with freeze_time(local(2026, 3, 10, 11, 0)):
            self._customer_message(ticket)
        second = ticket.sla_line_ids - first
        self.assertEqual(len(second), 1, "a new cycle")
        # 11:00-12:00 and 13:30-14:30.
        self.assertEqual(second.deadline, local(2026, 3, 10, 14, 30))
        with freeze_time(local(2026, 3, 10, 16, 0)):
            self._agent_reply(ticket)
        self.assertEqual(second.status, "failed", "answered late")
        self.assertAlmostEqual(second.hours_exceeded, 1.5)
        self.assertEqual(ticket.sla_status, "failed")

    def test_resolution_and_stage_targets(self):
        self._policy(
            [("resolution", 8), ("stage", 2, {"stage_id": self.stage_progress.id})]
        )
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._line(ticket, "stage").status, "reached")
        self.assertEqual(self._line(ticket, "resolution").status, "ongoing")
        with freeze_time(local(2026, 3, 10, 14, 0)):
            ticket.action_close()
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.status, "reached")
        self.assertAlmostEqual(resolution.hours_used, 4.5)

    def test_reevaluation_on_priority_change(self):
        base = self._policy([("first_response", 8), ("resolution", 40)], name="Base")
        urgent = self._policy(
            [("first_response", 1), ("resolution", 5)], name="Urgent", priority="3"
        )
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start, priority="1")
        self.assertEqual(ticket.sla_line_ids.sla_id, base)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._agent_reply(ticket)
        with freeze_time(local(2026, 3, 10, 10, 0)):
            ticket.priority = "3"
        lines = ticket.sla_line_ids.filtered(lambda line: line.sla_id == urgent)
        self.assertEqual(len(lines), 2, "the new policy applies")
        resolution = lines.filtered(lambda line: line.kind == "resolution")
        self.assertEqual(
            resolution.deadline, local(2026, 3, 10, 14, 30), "counted from creation"
        )
        first = lines - resolution
        self.assertEqual(first.status, "reached", "the reply made before counts")
        self.assertEqual(first.reached_at, local(2026, 3, 10, 8, 30))
        with freeze_time(local(2026, 3, 10, 10, 30)):
            ticket.priority = "1"
        self.assertFalse(resolution.exists(), "the dropped policy's line disappears")
        self.assertTrue(first.exists(), "a reached line stays reached")
        self.assertEqual(first.status, "reached")
        base_lines = ticket.sla_line_ids.filtered(lambda li: li.sla_id == base)
        self.assertEqual(len(base_lines), 2)

    def test_policy_conditions(self):
        tag = self.env["care.tag"].create({"name": "VIP"})
        vip = self._policy([("first_response", 1)], tag_ids=[(6, 0, tag.ids)])
        company = self._policy(
            [("first_response", 2)], partner_ids=[(6, 0, self.customer_company.ids)]
        )
        tech = self._policy(
            [("first_response", 3)],
            team_ids=[(6, 0, self.team_tech.ids)],
            domain="[('channel', '=', 'email')]",
        )
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        self.assertEqual(ticket.sla_line_ids.sla_id, company, "contact of the company")
        ticket.tag_ids = tag
        self.assertEqual(ticket.sla_line_ids.sla_id, vip | company)
        ticket.write({"team_id": self.team_tech.id, "channel": "email"})
        self.assertEqual(ticket.sla_line_ids.sla_id, vip | company | tech)


class TestCareSlaNewLines(CareSlaCommon):
    """The first lines of a new ticket are created for the whole batch in one
    create() (_sla_apply): they are what create() writes, with its defaults."""

    def test_new_lines_as_create_writes_them(self):
        policy = self._policy(
            [("first_response", 2), ("resolution", 8)], warning_percent=80
        )
        start = local(2026, 3, 10, 11, 0)
        with freeze_time(start):
            ticket = self._create(start, priority="2")
        lines = ticket.sla_line_ids
        self.assertEqual(len(lines), 2, "the ticket sees its new lines at once")
        self.assertEqual(lines.sla_id, policy)
        self.assertEqual(set(lines.mapped("status")), {"ongoing"})
        self.assertTrue(all(lines.mapped("working_time")))
        self.assertEqual(lines.company_id, ticket.company_id)
        self.assertEqual(lines.create_uid, self.env.user)
        self.assertEqual(lines.write_uid, self.env.user)
        # create() stamps the transaction's time, not the (frozen) clock.
        self.assertEqual(set(lines.mapped("create_date")), {self.env.cr.now()})
        # Fields no value was given for stay unset, as with create().
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COUNT(*) FROM care_ticket_sla WHERE ticket_id = %s "
            "AND reached_at IS NULL AND hours_used IS NULL",
            [ticket.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 2)

    def test_new_ticket_summary_equals_its_compute(self):
        self._policy([("first_response", 2), ("resolution", 8)])
        self._policy([("first_response", 1)], name="Gấp")
        start = local(2026, 3, 10, 11, 0)
        with freeze_time(start):
            ticket = self._create(start)
            plain = self._create(start, channel="walk_in")
        self.env.flush_all()
        self.env.invalidate_all()
        stored = (ticket.sla_deadline, ticket.sla_status)
        self.assertEqual(stored, (local(2026, 3, 10, 12, 0), "ongoing"))
        for field in ("sla_deadline", "sla_status"):
            self.env.add_to_compute(ticket._fields[field], ticket | plain)
        self.env.flush_all()
        self.assertEqual((ticket.sla_deadline, ticket.sla_status), stored)

    def test_line_defaults_match_the_fields(self):
        Line = self.env["care.ticket.sla"]
        defaults = Line.default_get(list(Line._fields))
        self.assertEqual(
            {k: v for k, v in defaults.items() if k in LINE_DEFAULTS},
            LINE_DEFAULTS,
        )
        self.assertLessEqual(
            set(defaults) - {"company_id"},
            set(LINE_DEFAULTS),
            "a new field default must be added to LINE_DEFAULTS",
        )

    def test_imported_lines_are_not_doubled(self):
        """Lines given with the values (an import) count as the policy's lines:
        create() adds none for that policy."""
        policy = self._policy([("first_response", 2)])
        target = policy.target_ids
        start = local(2026, 3, 10, 11, 0)
        with freeze_time(start):
            ticket = self._create(
                start,
                sla_line_ids=[
                    (
                        0,
                        0,
                        {
                            "sla_id": policy.id,
                            "target_id": target.id,
                            "kind": "first_response",
                            "company_id": self.company.id,
                            "start_date": start,
                            "deadline": start + timedelta(hours=2),
                        },
                    )
                ],
            )
        self.assertEqual(len(ticket.sla_line_ids), 1)

    def test_ticket_without_policy(self):
        with freeze_time(local(2026, 3, 10, 11, 0)):
            ticket = self._create(local(2026, 3, 10, 11, 0))
        self.assertFalse(ticket.sla_line_ids)
        self.assertFalse(ticket.sla_deadline)
        self.assertFalse(ticket.sla_status)


class TestCareSlaCron(CareSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._policy(
            [("first_response", 2)],
            name="Gold",
            warning_percent=50,
            escalate_notify_leader=True,
            escalate_raise_priority=True,
            escalate_assign="leader",
        )
        cls.cron = cls.env.ref("customer_care.ir_cron_care_sla")

    def _run_cron(self, batch_size=200, interrupt=False):
        """Run the scheduled action as the cron runner does, in its own
        transaction; ``interrupt`` gives it no time, so it stops after its
        first batch."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cron, progress = (
                env.ref("customer_care.ir_cron_care_sla")
                .with_context(cron_id=self.cron.id)
                ._add_progress()
            )
            context = dict(cron.env.context)
            if interrupt:
                context["cron_end_time"] = time.monotonic() - 1
            env["care.ticket.sla"].with_context(**context)._cron_process_due(
                batch_size=batch_size
            )
            return progress.done

    def _logs(self, ticket, text):
        return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_warning_and_escalation_fire_once(self):
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            tickets = self.env["care.ticket"]
            for __ in range(5):
                tickets |= self._create(start, user_id=self.user_agent.id)
        lines = tickets.sla_line_ids
        self.assertEqual(len(lines), 5)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self.assertEqual(self._run_cron(), 0, "nothing due yet")
        with freeze_time(local(2026, 3, 10, 9, 5)):
            self.assertEqual(self._run_cron(batch_size=2, interrupt=True), 2)
            self.assertEqual(self._run_cron(batch_size=2), 3, "the rest, once")
            self.assertEqual(self._run_cron(), 0)
        self.assertEqual(set(lines.mapped("status")), {"at_risk"})
        for ticket in tickets:
            self.assertEqual(len(self._logs(ticket, "SLA at risk")), 1)
            activity = ticket.activity_ids.filtered(
                lambda a: "SLA at risk" in (a.summary or "")
            )
            self.assertEqual(activity.user_id, self.user_agent, "assignee warned")
            self.assertEqual(ticket.sla_status, "at_risk")
        with freeze_time(local(2026, 3, 10, 10, 1)):
            self.assertEqual(self._run_cron(batch_size=3, interrupt=True), 3)
            self.assertEqual(self._run_cron(batch_size=3, interrupt=True), 2)
            self.assertEqual(self._run_cron(), 0, "nothing is escalated twice")
        for ticket in tickets:
            self.assertEqual(len(self._logs(ticket, "SLA breached")), 1)
            self.assertEqual(len(self._logs(ticket, "SLA at risk")), 1)
            self.assertEqual(ticket.priority, "2", "priority raised once")
            self.assertEqual(ticket.user_id, self.user_manager, "given to the leader")
            self.assertEqual(ticket.sla_status, "failed")
            self.assertEqual(
                len(
                    ticket.activity_ids.filtered(
                        lambda a: "SLA breached" in (a.summary or "")
                    )
                ),
                1,
                "the team leader is notified once",
            )
        self.assertTrue(all(lines.mapped("escalated_at")))

    def test_a_failing_ticket_does_not_block_the_others(self):
        self.policy.write(
            {
                "escalate_assign": "team",
                "escalate_team_id": self.team_tech.id,
                "escalate_raise_priority": False,
            }
        )
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            good = self._create(start)
            broken = self._create(start)
        # Legacy data: the ticket's company no longer matches its team, so
        # moving it to another team of the first company is refused.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE care_ticket SET company_id = %s WHERE id = %s",
            (self.company_2.id, broken.id),
        )
        self.env.invalidate_all()
        logger = "odoo.addons.customer_care.models.care_ticket_sla"
        with freeze_time(local(2026, 3, 10, 12, 0)):
            with self.assertLogs(logger, "WARNING") as logs:
                self.assertEqual(self._run_cron(batch_size=10), 1)
            self.assertIn(f"ticket {broken.id}", "\n".join(logs.output))
            with self.assertLogs(logger, "WARNING"):
                self.assertEqual(self._run_cron(batch_size=10), 0, "retried")
        self.assertEqual(good.team_id, self.team_tech)
        self.assertEqual(len(self._logs(good, "SLA breached")), 1)
        self.assertEqual(broken.sla_line_ids.status, "ongoing", "still due")
        self.assertFalse(self._logs(broken, "SLA breached"))

    def test_reached_and_paused_lines_are_not_due(self):
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            answered = self._create(start)
            waiting = self._create(start)
            late = self._create(start)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._agent_reply(answered)
            waiting.stage_id = self.stage_waiting
        with freeze_time(local(2026, 3, 12, 8, 0)):
            self.assertEqual(self._run_cron(), 1, "only the unanswered ticket")
        self.assertEqual(late.sla_status, "failed")
        self.assertEqual(answered.sla_status, "reached")
        self.assertEqual(waiting.sla_status, "ongoing")
        self.assertFalse(self._logs(waiting, "SLA breached"))
        self.assertFalse(self._logs(waiting, "SLA at risk"))

    def test_escalation_to_another_team(self):
        self.team_tech.assign_method = "round_robin"
        self.policy.write(
            {
                "escalate_assign": "team",
                "escalate_team_id": self.team_tech.id,
                "escalate_raise_priority": False,
            }
        )
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start, user_id=self.user_agent.id)
        with freeze_time(local(2026, 3, 10, 12, 0)):
            self.assertEqual(self._run_cron(), 1)
        self.assertEqual(ticket.team_id, self.team_tech)
        self.assertEqual(ticket.user_id, self.user_agent_3, "the new team assigns")
        self.assertEqual(len(self._logs(ticket, "SLA breached")), 1)


class TestCareSlaReportAccess(CareSlaCommon):
    def test_report_success_rate(self):
        self._policy([("first_response", 1)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            in_time = self._create(start, user_id=self.user_agent.id)
            late = self._create(start, user_id=self.user_agent.id)
            self._create(start)  # still running: not counted in the rate
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._agent_reply(in_time)
        with freeze_time(local(2026, 3, 10, 10, 0)):
            self._agent_reply(late)
        self.env.flush_all()
        groups = self.env["care.sla.report"]._read_group(
            [("team_id", "=", self.team.id)],
            ["team_id"],
            ["success_rate:avg", "failed_count:sum", "first_response_hours:avg"],
        )
        self.assertEqual(len(groups), 1)
        __, rate, failures, first_response = groups[0]
        self.assertAlmostEqual(rate, 50.0)
        self.assertEqual(failures, 1)
        self.assertAlmostEqual(first_response, 1.25, msg="(0.5 h + 2 h) / 2")
        causes = self.env["care.sla.report"].search(
            [("team_id", "=", self.team.id), ("status", "=", "failed")]
        )
        self.assertEqual(causes.mapped("failure_cause"), ["late"])

    def test_access_rights(self):
        self._policy([("first_response", 4)])
        ticket = self._ticket()
        line = ticket.sla_line_ids.with_user(self.user_agent)
        self.assertEqual(line.status, "ongoing", "agents read their tickets' lines")
        with self.assertRaises(AccessError):
            line.write({"status": "reached"})
        with self.assertRaises(AccessError):
            self.env["care.sla"].with_user(self.user_agent).create(
                {"name": "Không được phép"}
            )
        with self.assertRaises(AccessError):
            line.with_user(self.user_portal).read(["status"])
        with self.assertRaises(AccessError):
            line.with_user(self.user_agent_3).read(["status"])  # another team
        self.env["care.sla"].with_user(self.user_manager).create(
            {"name": "Khách hàng vàng", "target_ids": [(0, 0, {"hours": 2})]}
        )
        self.assertTrue(
            self.env["care.sla"].search([("name", "=", "Khách hàng vàng")]),
            "managers configure policies",
        )

    def test_multi_company_rule(self):
        self._policy([("first_response", 4)], company_id=False)
        team_2 = self.env["care.team"].create(
            {"name": "Tổng đài Đà Nẵng", "company_id": self.company_2.id}
        )
        ticket = self._ticket(team_id=team_2.id, company_id=self.company_2.id)
        self.assertEqual(ticket.sla_line_ids.company_id, self.company_2)
        Line = self.env["care.ticket.sla"].with_user(self.user_manager)
        self.assertFalse(
            Line.search([("ticket_id", "=", ticket.id)]),
            "a manager of another company does not see the line",
        )
        self.user_manager.company_ids |= self.company_2
        self.assertEqual(
            Line.with_context(
                allowed_company_ids=[self.company.id, self.company_2.id]
            ).search([("ticket_id", "=", ticket.id)]),
            ticket.sla_line_ids,
        )
