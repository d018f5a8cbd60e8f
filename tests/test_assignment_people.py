"""Assignment that knows people (issue 14, scope 7): agents away or at
capacity are skipped, angry openers go to the chosen agents, and the chatter
of each ticket says why it went where it went."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import users
from odoo.tools import mute_logger

from .common import CareCommon

ANGRY = "Bực mình quá! Gọi 5 lần không ai nghe máy, làm ăn kiểu gì vậy?"


class TestAssignmentPeople(CareCommon):
    @classmethod
    def default_env_context(cls):
        # The decisions are written in the tickets' creation messages.
        return {"mail_notrack": True, "no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "member_ids": [
                    (6, 0, (cls.user_agent | cls.user_agent_2 | cls.user_agent_3).ids)
                ],
                "assign_method": "balanced",
            }
        )

    def _creation_body(self, ticket):
        # The creation message: the ticket's first.
        return str(ticket.message_ids.sorted("id")[:1].body)

    def _leave(self, user, **values):
        resource = self.env["resource.resource"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "calendar_id": self.team.resource_calendar_id.id,
            }
        )
        now = fields.Datetime.now()
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Nghỉ phép",
                "resource_id": resource.id,
                "calendar_id": resource.calendar_id.id,
                "date_from": now - timedelta(hours=3),
                "date_to": now + timedelta(hours=8),
                **values,
            }
        )

    def test_skips_leave_and_capacity_and_explains(self):
        self.team.agent_capacity = 2
        self._leave(self.user_agent)
        for __ in range(2):
            self._ticket(user_id=self.user_agent_2.id)
        ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.user_agent_3)
        body = self._creation_body(ticket)
        self.assertIn(f"Assigned to {self.user_agent_3.name}: balanced", body)
        self.assertIn(f"{self.user_agent.name} is on leave", body)
        self.assertIn(f"{self.user_agent_2.name} is at capacity", body)
        # Batch: the capacity counts the tickets of the batch itself.
        batch = self.env["care.ticket"].create(
            [{"name": f"Lô {i}", "team_id": self.team.id} for i in range(3)]
        )
        self.assertEqual(batch[0].user_id, self.user_agent_3, "her second ticket")
        self.assertFalse(batch[1:].user_id, "everyone free is full: the queue")
        self.assertIn("nobody is free", self._creation_body(batch[2]))

    def test_leave_over_does_not_count(self):
        leave = self._leave(self.user_agent)
        leave.date_to = fields.Datetime.now() - timedelta(hours=1)
        self.team.member_ids = self.user_agent
        self.assertEqual(self._ticket().user_id, self.user_agent)

    def test_public_holiday_leaves_the_queue(self):
        now = fields.Datetime.now()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Giỗ Tổ Hùng Vương",
                "calendar_id": self.team.resource_calendar_id.id,
                "date_from": now - timedelta(hours=2),
                "date_to": now + timedelta(hours=10),
            }
        )
        ticket = self._ticket()
        self.assertFalse(ticket.user_id)
        self.assertIn(
            f"{self.user_agent.name} is on a public holiday",
            self._creation_body(ticket),
        )

    @users("cc_agent")
    def test_agent_switches_herself_off(self):
        self.env.user.care_unavailable = True
        self.assertTrue(self.user_agent.care_unavailable)
        self.team.sudo().assign_method = "round_robin"
        tickets = self.env["care.ticket"].create(
            [{"name": f"Gọi lại {i}", "team_id": self.team.id} for i in range(4)]
        )
        self.assertNotIn(self.user_agent, tickets.user_id)
        self.assertEqual(tickets.user_id, self.user_agent_2 | self.user_agent_3)
        self.assertIn(
            f"{self.user_agent.name} is unavailable", self._creation_body(tickets[0])
        )

    def test_out_of_office_is_away(self):
        self.user_agent_2.out_of_office_from = self.env.cr.now().replace(
            tzinfo=None
        ) - timedelta(days=1)
        self.team.member_ids = self.user_agent_2 | self.user_agent_3
        self.assertEqual(self._ticket().user_id, self.user_agent_3)

    def test_angry_opener_goes_to_the_leader_by_default(self):
        self.team.write({"angry_routing": True, "angry_min_intensity": 4})
        calm = self._ticket(name="Hỏi về bảo hành máy giặt")
        self.assertIn(calm.user_id, self.team.member_ids)
        angry = self._ticket(name="Máy giặt hỏng", description=f"<p>{ANGRY}</p>")
        self.assertEqual(angry.user_id, self.user_manager, "the leader")
        self.assertIn("angry opening message (intensity", self._creation_body(angry))

    def test_angry_opener_goes_to_the_chosen_agents(self):
        self.team.write(
            {
                "angry_routing": True,
                "angry_user_ids": [(6, 0, (self.user_agent | self.user_outsider).ids)],
            }
        )
        self._leave(self.user_agent)
        tickets = self.env["care.ticket"].create(
            [
                {"name": ANGRY, "team_id": self.team.id},
                {"name": "Hỏi giờ mở cửa", "team_id": self.team.id},
            ]
        )
        self.assertEqual(tickets[0].user_id, self.user_outsider, "not a member")
        self.assertIn(
            f"{self.user_agent.name} is on leave", self._creation_body(tickets[0])
        )
        self.assertIn(tickets[1].user_id, self.user_agent_2 | self.user_agent_3)
        # Above the threshold only.
        self.team.angry_min_intensity = 5
        ticket = self._ticket(name="Máy giặt hỏng", description=f"<p>{ANGRY}</p>")
        self.assertNotEqual(ticket.user_id, self.user_outsider)

    def test_returning_customer_on_leave_goes_to_the_method(self):
        self.team.assign_keep_customer = True
        self._ticket(user_id=self.user_agent.id)
        self.assertEqual(self._ticket().user_id, self.user_agent)
        self._leave(self.user_agent)
        ticket = self._ticket()
        self.assertNotEqual(ticket.user_id, self.user_agent)
        self.assertTrue(ticket.user_id)

    def test_reassignment_explains(self):
        self.team_tech.write(
            {
                "assign_method": "balanced",
                "member_ids": [(6, 0, (self.user_agent_3 | self.user_outsider).ids)],
                "agent_capacity": 1,
            }
        )
        self._ticket(team_id=self.team_tech.id, user_id=self.user_agent_3.id)
        ticket = self._ticket(user_id=self.user_agent.id)
        ticket.team_id = self.team_tech
        self.assertEqual(ticket.user_id, self.user_outsider)
        self.assertIn(
            f"{self.user_agent_3.name} is at capacity", str(ticket.message_ids[0].body)
        )

    @mute_logger("odoo.sql_db")
    def test_settings_are_checked(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.team.angry_min_intensity = 6
            self.team.flush_recordset()
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.team.agent_capacity = -1
            self.team.flush_recordset()
