"""Issue 11, scope item 1: what closing a ticket does to its SLA lines, and a
customer's message on a ticket that waits on them."""

from datetime import timedelta

from odoo.tests import freeze_time

from .test_care_sla import CareSlaCommon, local


class TestCareSlaClosing(CareSlaCommon):
    """A closed ticket has no ongoing line: each is reached, failed or
    cancelled (the rules: care.ticket.sla._settle)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_cancelled = cls.env.ref("customer_care.care_stage_cancelled")

    def test_closing_in_time_cancels_what_no_longer_applies(self):
        self._policy(
            [
                ("first_response", 4),
                ("resolution", 8),
                ("every_response", 2),
                ("stage", 8, {"stage_id": self.stage_cancelled.id}),
            ]
        )
        start = local(2026, 3, 10, 8, 0)  # Tuesday 08:00
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            self._customer_message(ticket)
        with freeze_time(local(2026, 3, 10, 10, 0)):
            ticket.action_close()
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertFalse(
            ticket.sla_line_ids.filtered(
                lambda li: li.status in ("ongoing", "at_risk")
            ),
            "no line of a closed ticket is ongoing",
        )
        self.assertEqual(self._line(ticket, "resolution").status, "reached")
        for kind in ("first_response", "every_response", "stage"):
            line = self._line(ticket, kind)
            self.assertEqual(line.status, "cancelled", kind)
            self.assertFalse(line.reached_at, kind)
        self.assertEqual(ticket.sla_status, "reached", "cancelled ranks below reached")
        self.assertFalse(ticket.sla_deadline)

    def test_closing_late_fails_an_unanswered_first_response(self):
        self._policy([("first_response", 1), ("resolution", 8), ("every_response", 2)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._customer_message(ticket)
        # 11:00: the first response (09:00) and the cycle (10:30) are both
        # overdue, and the scheduled action has not run yet.
        with freeze_time(local(2026, 3, 10, 11, 0)):
            ticket.action_close()
        first = self._line(ticket, "first_response")
        self.assertEqual(first.status, "failed", "the customer waited too long")
        self.assertFalse(first.reached_at, "not reached: never answered")
        self.assertFalse(first.escalated_at, "a closed ticket is not escalated")
        self.assertEqual(self._line(ticket, "resolution").status, "reached")
        self.assertEqual(
            self._line(ticket, "every_response").status,
            "cancelled",
            "closing ends a response cycle",
        )
        self.assertEqual(ticket.sla_status, "failed")

    def test_closing_while_paused(self):
        self._policy([("first_response", 4)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            ticket.stage_id = self.stage_waiting
        # Days later, the clock was stopped with 3 h left: not late.
        with freeze_time(local(2026, 3, 13, 9, 0)):
            ticket.action_close()
        line = self._line(ticket, "first_response")
        self.assertEqual(line.status, "cancelled")
        self.assertAlmostEqual(line.remaining_hours, 3.0)

    def test_reopening_restarts_cancelled_lines(self):
        self._policy([("first_response", 4), ("resolution", 8)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            ticket.action_close()
        first = self._line(ticket, "first_response")
        self.assertEqual(first.status, "cancelled")
        with freeze_time(local(2026, 3, 11, 9, 0)):  # Wednesday 09:00
            ticket.action_reopen()
        self.assertFalse(ticket.is_closed)
        self.assertEqual(first.status, "ongoing", "the target applies again")
        self.assertFalse(first.paused_since)
        # 3 h were left at the closing: Wednesday 09:00 + 3 h.
        self.assertEqual(first.deadline, local(2026, 3, 11, 12, 0))
        self.assertEqual(
            self._line(ticket, "resolution").status,
            "reached",
            "a reached line stays reached (as before)",
        )
        with freeze_time(local(2026, 3, 11, 10, 0)):
            self._agent_reply(ticket)
        self.assertEqual(first.status, "reached")

    def test_customer_reopening_keeps_one_cycle(self):
        self._policy([("every_response", 2)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            self._customer_message(ticket)
        with freeze_time(local(2026, 3, 10, 9, 30)):
            ticket.action_close()
        cycle = self._line(ticket, "every_response")
        self.assertEqual(cycle.status, "cancelled")
        with freeze_time(local(2026, 3, 10, 14, 0)):
            self._customer_message(ticket)
        self.assertEqual(ticket.stage_id, self.stage_new, "reopened (as before)")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(
            self._line(ticket, "every_response"), cycle, "the cycle restarts"
        )
        self.assertEqual(cycle.status, "ongoing")
        self.assertFalse(cycle.paused_since)
        # 1.5 h were left at 09:30: 14:00 + 1.5 h.
        self.assertEqual(cycle.deadline, local(2026, 3, 10, 15, 30))

    def test_customer_message_past_grace_leaves_old_lines_settled(self):
        self._policy([("first_response", 4), ("every_response", 2)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
            ticket.action_close()
            self.env.flush_all()  # the closing date, as the request would
        with freeze_time(start + timedelta(days=60)):
            self._customer_message(ticket)
        self.assertTrue(ticket.is_closed, "a follow-up is opened instead")
        self.assertFalse(
            ticket.sla_line_ids.filtered(
                lambda li: li.status in ("ongoing", "at_risk")
            ),
            "no cycle opens on the closed ticket",
        )

    def test_policy_applied_to_a_closed_ticket(self):
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start, priority="1")
        with freeze_time(local(2026, 3, 10, 9, 0)):
            ticket.action_close()
            self.env.flush_all()  # the closing date, as the request would
        self._policy([("first_response", 4)], priority="3")
        with freeze_time(local(2026, 3, 10, 10, 0)):
            ticket.priority = "3"
        line = self._line(ticket, "first_response")
        self.assertEqual(line.status, "cancelled", "settled as at the closing")
        self.assertEqual(line.paused_since, local(2026, 3, 10, 9, 0))

    def test_report_leaves_cancelled_lines_out_of_the_rate(self):
        self._policy([("first_response", 1)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            reached = self._create(start)
            cancelled = self._create(start)
            failed = self._create(start)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._agent_reply(reached)
            cancelled.action_close()
        with freeze_time(local(2026, 3, 10, 10, 0)):
            failed.action_close()
        self.env.flush_all()
        Report = self.env["care.sla.report"]
        groups = Report._read_group(
            [("team_id", "=", self.team.id)],
            ["team_id"],
            ["success_rate:avg", "failed_count:sum", "cancelled_count:sum"],
        )
        self.assertEqual(len(groups), 1)
        __, rate, failures, cancellations = groups[0]
        self.assertAlmostEqual(rate, 50.0, msg="1 reached of 2 decided")
        self.assertEqual(failures, 1)
        self.assertEqual(cancellations, 1)
        rows = Report.search([("team_id", "=", self.team.id)])
        self.assertEqual(
            {row.ticket_id: (row.status, row.failure_cause) for row in rows},
            {
                reached: ("reached", False),
                cancelled: ("cancelled", False),
                failed: ("failed", "not_reached"),
            },
        )


class TestCareTicketFlow(CareSlaCommon):
    """A customer's message on a ticket that waits on them moves it back to
    the team's working stage, before the SLA step."""

    def _stage_tracked(self, ticket):
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking is written at commit
        return ticket.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "stage_id"
        )

    def _tracked(self, ticket):
        """``ticket`` with the stage tracking on (the tests turn it off)."""
        return ticket.with_context(tracking_disable=False, mail_notrack=False)

    def _waiting_ticket(self, **values):
        self._policy([("first_response", 4), ("every_response", 2)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start, **values)
        with freeze_time(local(2026, 3, 10, 8, 30)):
            self._agent_reply(ticket)
            ticket.stage_id = self.stage_waiting
        self._stage_tracked(ticket)
        return ticket

    def test_customer_reply_moves_waiting_ticket_to_work(self):
        ticket = self._waiting_ticket()
        tracked = self._stage_tracked(ticket)
        with freeze_time(local(2026, 3, 10, 10, 0)):
            self._customer_message(self._tracked(ticket))
        self.assertEqual(ticket.stage_id, self.stage_progress)
        cycle = self._line(ticket, "every_response")
        self.assertEqual(cycle.status, "ongoing")
        self.assertFalse(cycle.paused_since, "the clock runs")
        self.assertEqual(cycle.deadline, local(2026, 3, 10, 12, 0))
        self.assertEqual(ticket.sla_deadline, cycle.deadline)
        moves = self._stage_tracked(ticket) - tracked
        self.assertEqual(len(moves), 1, "the move is tracked in the chatter")
        self.assertEqual(moves.old_value_char, self.stage_waiting.name)
        self.assertEqual(moves.new_value_char, self.stage_progress.name)

    def test_portal_customer_reply_moves_waiting_ticket(self):
        ticket = self._waiting_ticket(partner_id=self.customer_colleague.id)
        # As the portal chatter posts: access checked, then sudo() to post,
        # the author staying the portal user (who may not change the stage).
        with freeze_time(local(2026, 3, 10, 10, 0)):
            self._tracked(ticket).with_user(self.user_portal).sudo().message_post(
                body="Tôi đã gửi ảnh hoá đơn.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(self._line(ticket, "every_response").paused_since)
        moves = self._stage_tracked(ticket).filtered(
            lambda value: value.new_value_char == self.stage_progress.name
        )
        self.assertEqual(moves.mail_message_id.author_id, self.user_portal.partner_id)

    def test_agent_reply_keeps_waiting_ticket(self):
        ticket = self._waiting_ticket()
        with freeze_time(local(2026, 3, 10, 10, 0)):
            self._agent_reply(ticket)
            ticket.with_user(self.user_agent).message_post(
                body="Ghi chú nội bộ",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertFalse(
            ticket.sla_line_ids.filtered(lambda li: li.kind == "every_response"),
            "no cycle: the customer did not write",
        )

    def test_working_stage_of_the_team(self):
        stage_lab = self.env["care.stage"].create(
            {
                "name": "Đang kiểm tra kỹ thuật",
                "sequence": 5,
                "team_ids": [(6, 0, self.team_tech.ids)],
            }
        )
        Ticket = self.env["care.ticket"]
        self.assertEqual(Ticket._working_stage(self.team), self.stage_progress)
        self.assertEqual(Ticket._working_stage(self.team_tech), stage_lab)
        with freeze_time(local(2026, 3, 10, 8, 0)):
            ticket = self._ticket(team_id=self.team_tech.id)
            ticket.stage_id = self.stage_waiting
            self._customer_message(ticket)
        self.assertEqual(ticket.stage_id, stage_lab)

    def test_customer_reply_on_closed_ticket_reopens_it(self):
        self._policy([("first_response", 4)])
        start = local(2026, 3, 10, 8, 0)
        with freeze_time(start):
            ticket = self._create(start)
            ticket.action_close()
        with freeze_time(local(2026, 3, 10, 9, 0)):
            self._customer_message(ticket)
        self.assertEqual(ticket.stage_id, self.stage_new, "reopened, as before")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(self._line(ticket, "first_response").status, "ongoing")
