from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time

from .common import CareCommon

NOW = datetime(2026, 3, 2, 9, 0)


@freeze_time(NOW)
class TestCareMoodAccess(CareCommon):
    """What an agent sees of a customer's mood is the same in every place:
    reading, searching, grouping, the ticket, the scenario runs (issue 11).

    user_agent works in self.team; self.other_customer only has a ticket with
    the technical team (user_agent_3), so user_agent may not see its mood."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["care.emotion.entry"]
        cls.ticket = cls._ticket(user_id=cls.user_agent.id)
        cls.tech_ticket = cls._ticket(
            partner_id=cls.other_customer.id, team_id=cls.team_tech.id
        )
        # other_customer: angry and getting worse; customer: disappointed.
        cls._entry(cls.other_customer, "satisfied", 60, ticket_id=cls.tech_ticket.id)
        for days in (3, 2, 1):
            cls._entry(cls.other_customer, "angry", days, ticket_id=cls.tech_ticket.id)
        cls._entry(cls.customer, "disappointed", 1, ticket_id=cls.ticket.id)

    @classmethod
    def _entry(cls, partner, label, days=0.0, **values):
        return cls.Entry.create(
            {
                "partner_id": partner.id,
                "label": label,
                "intensity": values.pop("intensity", 4),
                "date": NOW - timedelta(days=days),
                **values,
            }
        )

    def _partners(self, user, domain):
        """The customers of this test that ``user`` finds with ``domain``."""
        ours = self.customer | self.other_customer | self.customer_company
        return (
            self.env(user=user)["res.partner"]
            .search(domain + [("id", "in", ours.ids)])
            .sudo()
        )

    def test_stored_moods(self):
        self.assertEqual(self.other_customer.care_mood, "angry")
        self.assertTrue(self.other_customer.care_is_unhappy)
        self.assertEqual(self.other_customer.care_mood_trend, "worsening")
        self.assertEqual(self.customer.care_mood, "disappointed")

    def test_search_follows_what_the_agent_reads(self):
        agent = self.user_agent
        # The filter "Unhappy Customers" lists only the unhappy she can see...
        self.assertEqual(
            self._partners(agent, [("care_is_unhappy", "=", True)]), self.customer
        )
        # ...and "Mood Worsening" nobody: she reads no trend for other_customer.
        self.assertFalse(self._partners(agent, [("care_mood_trend", "=", "worsening")]))
        self.assertFalse(self._partners(agent, [("care_mood", "=", "angry")]))
        self.assertEqual(
            self._partners(agent, [("care_mood_score", "<", 0)]), self.customer
        )
        self.assertEqual(
            self._partners(agent, [("care_last_contact_date", "!=", False)]),
            self.customer,
        )
        # Customers she reads with an empty mood are found by the empty value.
        self.assertIn(
            self.other_customer,
            self._partners(agent, [("care_is_unhappy", "=", False)]),
        )
        self.assertIn(
            self.other_customer, self._partners(agent, [("care_mood", "=", False)])
        )
        self.assertIn(
            self.other_customer,
            self._partners(agent, [("care_mood", "not in", ["angry"])]),
        )
        self.assertEqual(
            self.env(user=agent)["res.partner"]
            .browse(self.other_customer.id)
            .read(["care_mood", "care_is_unhappy"])[0],
            {
                "id": self.other_customer.id,
                "care_mood": False,
                "care_is_unhappy": False,
            },
        )
        # Tickets filtered on their customer's mood: the same answer.
        Ticket = self.env(user=agent)["care.ticket"]
        self.assertEqual(
            Ticket.search([("commercial_partner_id.care_is_unhappy", "=", True)]),
            self.ticket,
        )

    def test_agent_of_the_customer_and_manager_find_all(self):
        self.assertEqual(
            self._partners(self.user_agent_3, [("care_mood_trend", "=", "worsening")]),
            self.other_customer,
        )
        self.assertEqual(
            self._partners(self.user_manager, [("care_is_unhappy", "=", True)]),
            self.customer | self.other_customer,
        )
        self.assertEqual(
            self._partners(self.user_manager, [("care_mood", "=", "angry")]),
            self.other_customer,
        )

    def test_group_by_mood_counts_what_the_agent_reads(self):
        domain = [("id", "in", (self.customer | self.other_customer).ids)]
        Partner = self.env(user=self.user_agent)["res.partner"]
        groups = dict(Partner._read_group(domain, ["care_mood"], ["__count"]))
        self.assertEqual(groups, {"disappointed": 1, False: 1})
        groups = dict(Partner._read_group(domain, ["care_is_unhappy"], ["__count"]))
        self.assertEqual(groups, {True: 1, False: 1})
        # The average score leaves her out of other_customer's score.
        [[average]] = Partner._read_group(domain, [], ["care_mood_score:avg"])
        self.assertAlmostEqual(average, self.customer.care_mood_score / 2, places=2)
        # A manager's groups are the stored values.
        Manager = self.env(user=self.user_manager)["res.partner"]
        groups = dict(Manager._read_group(domain, ["care_mood"], ["__count"]))
        self.assertEqual(groups, {"disappointed": 1, "angry": 1})

    # ---- scenario runs read like their journal entry ----

    def test_scenario_runs_follow_the_journal(self):
        scenario = self.env.ref("customer_care.care_scenario_angry_callback")
        Run = self.env["care.scenario.run"]
        entries = self.Entry.search([])
        foreign = entries.filtered(lambda e: e.partner_id == self.other_customer)[0]
        mine = entries.filtered(lambda e: e.partner_id == self.customer)
        runs = Run.search([("entry_id", "in", entries.ids)])
        runs |= Run.create(
            [
                {"scenario_id": scenario.id, "entry_id": entry.id}
                for entry in (foreign | mine) - runs.entry_id
            ]
        )
        foreign_runs = runs.filtered(
            lambda r: r.entry_id.partner_id == self.other_customer
        )
        my_runs = runs.filtered(lambda r: r.entry_id == mine)
        self.assertTrue(foreign_runs and my_runs)
        AgentRun = self.env(user=self.user_agent)["care.scenario.run"]
        self.assertEqual(AgentRun.search([("id", "in", runs.ids)]), my_runs)
        with self.assertRaises(AccessError):
            AgentRun.browse(foreign_runs[0].id).read(["note"])
        self.assertEqual(
            self.env(user=self.user_agent_3)["care.scenario.run"].search(
                [("id", "in", runs.ids)]
            ),
            foreign_runs,
        )
        self.assertEqual(
            self.env(user=self.user_manager)["care.scenario.run"].search(
                [("id", "in", runs.ids)]
            ),
            runs,
        )
        # The scenario's run counter counts what she can open.
        self.assertEqual(
            scenario.with_user(self.user_agent).run_count,
            len(my_runs.filtered(lambda r: r.scenario_id == scenario)),
        )

    def test_scenario_runs_of_another_company(self):
        scenario = self.env.ref("customer_care.care_scenario_angry_callback")
        partner = self.env["res.partner"].create({"name": "Khách Đà Nẵng"})
        entry = self.Entry.create(
            {
                "partner_id": partner.id,
                "label": "worried",
                "company_id": self.company_2.id,
            }
        )
        run = self.env["care.scenario.run"].create(
            {"scenario_id": scenario.id, "entry_id": entry.id}
        )
        manager = self.env(
            user=self.user_manager, context={"allowed_company_ids": [self.company.id]}
        )
        self.assertFalse(manager["care.scenario.run"].search([("id", "=", run.id)]))

    # ---- the ticket shows the customer's mood (the company of a contact) ----

    def test_ticket_of_a_contact_shows_the_company_mood(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        company_ticket = self._ticket(partner_id=self.customer_company.id)
        for days in (3, 2, 1):
            self._entry(
                self.customer_company, "angry", days, ticket_id=company_ticket.id
            )
        self.assertEqual(ticket.commercial_partner_id, self.customer_company)
        self.assertEqual(ticket.care_mood, "angry")
        self.assertEqual(ticket.care_mood_trend, self.customer_company.care_mood_trend)
        self.assertEqual(ticket.care_mood_score, self.customer_company.care_mood_score)
        as_agent = ticket.with_user(self.user_agent)
        self.assertEqual(as_agent.read(["care_mood"])[0]["care_mood"], "angry")
        # The contact moves to another company: the ticket follows the new one.
        self.customer_colleague.parent_id = False
        self.assertFalse(ticket.care_mood)
