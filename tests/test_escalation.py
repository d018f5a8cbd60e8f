from odoo.exceptions import UserError
from odoo.tests import freeze_time, users

from .test_care_sla import CareSlaCommon, local


class TestEscalation(CareSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_tech.is_specialist = True
        cls.reason = cls.env.ref("customer_care.care_escalation_reason_expertise")

    def _escalate(self, ticket, user=None, **values):
        values.setdefault("reason_id", self.reason.id)
        values.setdefault("team_id", self.team_tech.id)
        Wizard = self.env["care.ticket.escalate"].with_user(user or self.user_agent)
        wizard = Wizard.with_context(default_ticket_id=ticket.id).create(values)
        return wizard._escalate()

    def test_wizard_proposes_the_specialist_team(self):
        ticket = self._ticket()
        wizard = (
            self.env["care.ticket.escalate"]
            .with_user(self.user_agent)
            .with_context(default_ticket_id=ticket.id)
            .create({"reason_id": self.reason.id})
        )
        self.assertEqual(wizard.team_id, self.team_tech)

    def test_escalation_is_logged_with_a_hand_over_note(self):
        ticket = self._ticket(
            user_id=self.user_agent.id, description="<p>Máy kêu to</p>"
        )
        log = self._escalate(ticket, note="<p>Đã hướng dẫn khách vệ sinh lưới lọc.</p>")
        self.assertEqual(ticket.team_id, self.team_tech)
        # The agent is not in the specialist team: the ticket leaves her queue.
        self.assertFalse(ticket.user_id)
        self.assertEqual(
            (log.from_team_id, log.to_team_id, log.user_id, log.reason_id),
            (self.team, self.team_tech, self.user_agent, self.reason),
        )
        self.assertEqual(log.outcome, "open")
        self.assertEqual(ticket.escalation_ids, log)
        self.assertEqual((ticket.escalation_count, ticket.escalation_rate), (1, 100.0))
        note = ticket.message_ids[0]
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.author_id, self.user_agent.partner_id)
        for text in ("Kỹ thuật", "vệ sinh lưới lọc", "Máy kêu to", self.reason.name):
            self.assertIn(text, note.body)

    def test_escalation_to_a_chosen_agent(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        log = self._escalate(ticket, user_id=self.user_agent_3.id)
        self.assertEqual(ticket.user_id, self.user_agent_3)
        self.assertEqual(log.assignee_id, self.user_agent_3)
        self.assertIn(self.user_agent_3.partner_id, ticket.message_ids[0].partner_ids)

    def test_assignee_must_be_in_the_target_team(self):
        ticket = self._ticket()
        with self.assertRaises(UserError):
            self._escalate(ticket, user_id=self.user_agent_2.id)
        self.assertEqual(ticket.team_id, self.team)

    def test_closed_ticket_cannot_be_escalated(self):
        ticket = self._ticket()
        ticket.action_close()
        with self.assertRaises(UserError):
            self._escalate(ticket)
        self.assertFalse(ticket.escalation_ids)

    def test_outcome_follows_the_ticket(self):
        resolved, returned, forwarded = (self._ticket() for __ in range(3))
        logs = [self._escalate(t) for t in (resolved, returned, forwarded)]
        resolved.with_user(self.user_agent_3).action_close()
        returned.team_id = self.team
        team_3 = self.env["care.team"].create({"name": "Bảo hành"})
        second = self._escalate(forwarded, user=self.user_manager, team_id=team_3.id)
        self.assertEqual(
            [log.outcome for log in logs], ["resolved", "returned", "forwarded"]
        )
        self.assertEqual(second.outcome, "open")
        rate = self.env["care.ticket"]._read_group(
            [("id", "in", (resolved | returned | forwarded | self._ticket()).ids)],
            [],
            ["escalation_rate:avg"],
        )
        self.assertEqual(rate[0][0], 75.0, "three of four tickets were escalated")

    def test_sla_goes_on_without_restart(self):
        self._policy([("resolution", 8)])
        start = local(2026, 3, 10, 9, 0)  # Tuesday
        with freeze_time(start):
            ticket = self._create(start)
        line = self._line(ticket, "resolution")
        deadline = line.deadline
        with freeze_time(local(2026, 3, 10, 11, 0)):
            log = self._escalate(ticket)
        self.assertFalse(log.sla_restarted)
        self.assertEqual(self._line(ticket, "resolution"), line, "the same clock")
        self.assertEqual(line.deadline, deadline)
        self.assertEqual(deadline, local(2026, 3, 11, 9, 0))

    def test_sla_restarts_under_the_new_team(self):
        self._policy([("resolution", 8)], name="Standard")
        self._policy(
            [("resolution", 4)],
            name="Specialists",
            team_ids=[(6, 0, self.team_tech.ids)],
        )
        start = local(2026, 3, 10, 9, 0)
        with freeze_time(start):
            ticket = self._create(start)
        old = self._line(ticket, "resolution")
        escalated_at = local(2026, 3, 10, 11, 0)
        with freeze_time(escalated_at):
            log = self._escalate(ticket, restart_sla=True)
        self.assertTrue(log.sla_restarted)
        self.assertEqual(old.status, "cancelled", "kept as history")
        self.assertEqual(old.restarted_on, escalated_at)
        new = ticket.sla_line_ids - old
        self.assertEqual(len(new), 2, "both policies apply to the specialists")
        self.assertEqual(set(new.mapped("start_date")), {escalated_at})
        by_hours = {line.hours_allowed: line.deadline for line in new}
        # 11:00 + 4 h: 12:00, then 13:30-16:30 after the lunch break.
        self.assertEqual(by_hours[4], local(2026, 3, 10, 16, 30))
        self.assertEqual(by_hours[8], local(2026, 3, 11, 11, 0))
        self.assertEqual(ticket.sla_deadline, local(2026, 3, 10, 16, 30))
        # The history stays out of the engine: closing reaches the new lines
        # and leaves the old one as it was.
        with freeze_time(local(2026, 3, 10, 15, 0)):
            ticket.with_user(self.user_agent_3).action_close()
        self.assertEqual(set(new.mapped("status")), {"reached"})
        self.assertEqual(old.status, "cancelled")

    @users("cc_agent")
    def test_agent_keeps_seeing_her_escalation(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        log = self._escalate(ticket, user=self.env.user)
        rows = self.env["care.ticket.escalation"].search([("id", "=", log.id)])
        self.assertEqual(rows, log)
