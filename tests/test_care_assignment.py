from collections import Counter

from odoo.tests import users

from .common import CareCommon


class TestCareAssignment(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.member_ids = cls.user_agent | cls.user_agent_2 | cls.user_agent_3
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Khách {i}", "email": f"khach{i}@example.com"}
                for i in range(10)
            ]
        )

    def test_manual_leaves_unassigned(self):
        ticket = self._ticket()
        self.assertFalse(ticket.user_id)

    def test_round_robin_fair_over_100_tickets(self):
        self.team.assign_method = "round_robin"
        tickets = self.env["care.ticket"]
        for i in range(40):  # one by one, as tickets arrive
            tickets |= self._ticket(partner_id=self.customers[i % 10].id)
        tickets |= self.env["care.ticket"].create(  # and in one batch
            [
                {
                    "name": f"Lô {i}",
                    "team_id": self.team.id,
                    "partner_id": self.customers[i % 10].id,
                }
                for i in range(60)
            ]
        )
        counts = Counter(t.user_id.id for t in tickets)
        self.assertEqual(
            sorted(counts.values()), [33, 33, 34], "each agent gets a third"
        )
        self.assertTrue(all(tickets.mapped("date_assigned")))
        users = [t.user_id.id for t in tickets.sorted("id")]
        self.assertTrue(
            all(a != b for a, b in zip(users, users[1:], strict=False)),
            "never the same agent twice in a row",
        )

    @users("cc_agent")
    def test_agent_creates_in_round_robin_team(self):
        self.team.sudo().assign_method = "round_robin"
        tickets = self.env["care.ticket"].create(
            [{"name": f"Gọi lại {i}", "team_id": self.team.id} for i in range(3)]
        )
        self.assertEqual(len(set(tickets.user_id.ids)), 3, "one each, as an agent")
        self.assertEqual(self.team.sudo().assign_last_user_id, tickets[-1].user_id)

    def test_balanced_picks_least_loaded(self):
        self.team.assign_method = "balanced"
        for __ in range(3):
            self._ticket(user_id=self.user_agent.id)
        self._ticket(user_id=self.user_agent_2.id)
        self._ticket(user_id=self.user_agent_3.id).action_close()  # closed: no load
        ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.user_agent_3)
        batch = self.env["care.ticket"].create(
            [{"name": f"B{i}", "team_id": self.team.id} for i in range(3)]
        )
        # loads were 3 / 1 / 1 -> agent2 and agent3 fill up before agent 1
        self.assertEqual(
            Counter(t.user_id.id for t in batch),
            Counter({self.user_agent_2.id: 2, self.user_agent_3.id: 1}),
        )

    def test_returning_customer_keeps_agent(self):
        self.team.write({"assign_method": "round_robin", "assign_keep_customer": True})
        first = self._ticket(partner_id=self.customers[0].id)
        owner = first.user_id
        for i in range(1, 5):
            self._ticket(partner_id=self.customers[i].id)
        again = self._ticket(partner_id=self.customers[0].id)
        self.assertEqual(again.user_id, owner)
        # An agent who left the team is not kept.
        self.team.member_ids -= owner
        third = self._ticket(partner_id=self.customers[0].id)
        self.assertNotEqual(third.user_id, owner)
        self.assertTrue(third.user_id)

    def test_returning_customer_by_company(self):
        self.team.write({"assign_method": "manual", "assign_keep_customer": True})
        self._ticket(partner_id=self.customer_company.id, user_id=self.user_agent_2.id)
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        self.assertEqual(ticket.user_id, self.user_agent_2, "same company, same agent")

    def test_escalation_to_other_team_reassigns(self):
        self.team_tech.assign_method = "round_robin"
        ticket = self._ticket(user_id=self.user_agent.id)
        ticket.team_id = self.team_tech
        self.assertEqual(ticket.user_id, self.user_agent_3)
        kept = self._ticket(user_id=self.user_agent_3.id)
        kept.team_id = self.team_tech
        self.assertEqual(kept.user_id, self.user_agent_3, "a member keeps the ticket")
