"""The department's KPIs (models/care_kpi.py) on crafted data, each against
a value computed by hand in the test's comments."""

from datetime import date, timedelta

from odoo import api, fields
from odoo.tests import freeze_time

from .test_care_sla import CareSlaCommon, local

# The period of the tests: March 2026, Vietnamese days (UTC+7).
START = local(2026, 3, 1)
STOP = local(2026, 4, 1)


class CareKpiCommon(CareSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Kpi = cls.env["care.kpi"]
        cls.env.user.tz = "Asia/Ho_Chi_Minh"
        cls.type_complaint = cls.env.ref("customer_care.care_ticket_type_complaint")
        cls.type_question = cls.env.ref("customer_care.care_ticket_type_question")

    def _create(self, when, **values):
        with freeze_time(when):
            ticket = super()._create(when, **values)
            self.env.flush_all()
        return ticket

    def _kpis(self, **filters):
        return self.Kpi.compute(START, STOP, **filters)

    # Each step is flushed inside its moment: the stored computes (the closing
    # date) and the write dates are those of the moment, not of the flush.

    def _solve(self, ticket, when):
        with freeze_time(when):
            ticket.action_close()
            self.env.flush_all()
        self.assertTrue(ticket.is_closed)

    def _reply(self, ticket, when, user=None):
        with freeze_time(when):
            self._agent_reply(ticket, user)
            self.env.flush_all()

    def _write(self, ticket, when):
        with freeze_time(when):
            self._customer_message(ticket)
            self.env.flush_all()


class TestKpiTickets(CareKpiCommon):
    def test_fcr_reopen_resolution_rate(self):
        """4 tickets created in March: one solved with one reply (FCR), one
        with two replies, one reopened then solved again, one still open.
        Solved 3: FCR 1/3, reopen 1/3; resolution rate 3 solved / 4 created."""
        day = local(2026, 3, 10, 8)
        fcr = self._create(day)
        self._reply(fcr, day + timedelta(hours=1))
        self._solve(fcr, day + timedelta(hours=2))
        two = self._create(day)
        self._reply(two, day + timedelta(hours=1))
        self._reply(two, day + timedelta(hours=2))
        self._solve(two, day + timedelta(hours=3))
        reopened = self._create(day)
        self._reply(reopened, day + timedelta(hours=1))
        self._solve(reopened, day + timedelta(hours=2))
        with freeze_time(day + timedelta(hours=3)):
            reopened.action_reopen()
            self.env.flush_all()
        self._solve(reopened, day + timedelta(hours=4))
        self._create(day)
        self.assertEqual(fcr.agent_reply_count, 1)
        self.assertEqual(two.agent_reply_count, 2)
        self.assertEqual(reopened.reopen_count, 1)
        kpis = self._kpis()
        self.assertEqual(kpis["created"], 4)
        self.assertEqual(kpis["solved"], 3)
        self.assertEqual(kpis["fcr"], 1, "a reopened ticket is not FCR")
        self.assertAlmostEqual(kpis["fcr_rate"], 100 / 3)
        self.assertAlmostEqual(kpis["reopen_rate"], 100 / 3)
        self.assertAlmostEqual(kpis["resolution_rate"], 75.0)
        self.assertEqual(kpis["backlog"], 1)

    def test_durations_in_working_hours(self):
        """Working hours Mon-Fri 08:00-12:00, 13:30-17:30 (Asia/Ho_Chi_Minh).

        * A: Tue 08:00, reply 09:00 (1 h), solved 12:00 (4 h);
        * B: Fri 17:00, reply and solved on Saturday (outside working hours):
          first response 0.5 h, resolution 0.5 h (17:00-17:30 on Friday);
        * C: Wed 08:00, reply 11:00 (3 h), solved Thu 08:00 (8 h).
        First response 1, 0.5, 3: median 1, average 1.5.
        Resolution 4, 0.5, 8: median 4, average 12.5 / 3."""
        self._policy([("first_response", 8), ("resolution", 40)])
        a = self._create(local(2026, 3, 10, 8))
        self._reply(a, local(2026, 3, 10, 9))
        self._solve(a, local(2026, 3, 10, 12))
        b = self._create(local(2026, 3, 13, 17))
        self._reply(b, local(2026, 3, 14, 10))
        self._solve(b, local(2026, 3, 14, 11))
        c = self._create(local(2026, 3, 11, 8))
        self._reply(c, local(2026, 3, 11, 11))
        self._solve(c, local(2026, 3, 12, 8))
        kpis = self._kpis()
        self.assertAlmostEqual(kpis["first_response_median"], 1.0)
        self.assertAlmostEqual(kpis["first_response_avg"], 1.5)
        self.assertAlmostEqual(kpis["resolution_median"], 4.0)
        self.assertAlmostEqual(kpis["resolution_avg"], 12.5 / 3)
        self.assertAlmostEqual(kpis["handling_avg"], 12.5 / 3, msg="no waiting")
        self.assertEqual(kpis["resolution_count"], 3)

    def test_handling_time_excludes_waiting_on_customer(self):
        """Tue 08:00 created, 09:00 waiting on the customer, 11:00 back to
        work, solved 12:00: resolution 4 h, handling 2 h (4 - 2 waiting)."""
        self._policy([("resolution", 40)])
        ticket = self._create(local(2026, 3, 10, 8))
        with freeze_time(local(2026, 3, 10, 9)):
            ticket.stage_id = self.stage_waiting
            self.env.flush_all()
        with freeze_time(local(2026, 3, 10, 11)):
            ticket.stage_id = self.stage_progress
            self.env.flush_all()
        self._solve(ticket, local(2026, 3, 10, 12))
        kpis = self._kpis()
        self.assertAlmostEqual(kpis["resolution_avg"], 4.0)
        self.assertAlmostEqual(kpis["handling_avg"], 2.0)

    def test_sla_success_and_response_rate(self):
        """First response within 1 h, every response within 2 h.
        T1: replied after 30 min (reached); the customer writes at 10:00, the
        reply comes 10:30 (reached). T2: replied after 3 h (failed).
        SLA success: 2 reached of 3 decided targets. Response rate: 3
        customer messages, 2 answered in time."""
        self._policy([("first_response", 1), ("every_response", 2)])
        day = local(2026, 3, 10, 8)
        t1 = self._create(day)
        self._reply(t1, day + timedelta(minutes=30))
        self._write(t1, local(2026, 3, 10, 10))
        self._reply(t1, local(2026, 3, 10, 10, 30))
        t2 = self._create(day)
        self._reply(t2, day + timedelta(hours=3))
        kpis = self._kpis()
        self.assertEqual((kpis["sla_reached"], kpis["sla_decided"]), (2, 3))
        self.assertAlmostEqual(kpis["sla_success"], 200 / 3)
        self.assertEqual((kpis["messages_answered"], kpis["messages_due"]), (2, 3))
        self.assertAlmostEqual(kpis["response_rate"], 200 / 3)

    def test_backlog_and_age(self):
        """At the end of March: one ticket open for 20 days, one for 10, one
        created 5 days before the end and solved before it (not in the
        backlog). Age: average 15, median 15, max 20 days."""
        self._create(STOP - timedelta(days=20))
        self._create(STOP - timedelta(days=10))
        solved = self._create(STOP - timedelta(days=5))
        self._solve(solved, STOP - timedelta(days=4))
        kpis = self._kpis()
        self.assertEqual(kpis["backlog"], 2)
        self.assertAlmostEqual(kpis["backlog_age_avg"], 15.0)
        self.assertAlmostEqual(kpis["backlog_age_median"], 15.0)
        self.assertAlmostEqual(kpis["backlog_age_max"], 20.0)

    def test_csat_excludes_unrated(self):
        """Three solved tickets rated 5, 2 and not rated: CSAT 1 / 2 = 50 %."""
        day = local(2026, 3, 10, 8)
        tickets = [self._create(day) for __ in range(3)]
        for ticket in tickets:
            self._solve(ticket, day + timedelta(hours=1))
        for ticket, value in zip(tickets, (5, 2), strict=False):
            with freeze_time(day + timedelta(hours=2)):
                ticket.rating_apply(value, token=ticket._rating_get_access_token())
                self.env.flush_all()
        kpis = self._kpis()
        self.assertEqual(kpis["rated"], 2, "no rating: excluded")
        self.assertEqual(kpis["satisfied"], 1)
        self.assertAlmostEqual(kpis["csat"], 50.0)

    def test_complaints_per_100_orders(self):
        """Two complaints and a question in March, four confirmed orders
        (and one quotation, one order of April): 2 / 4 * 100 = 50."""
        day = local(2026, 3, 10, 8)
        self._create(day, type_id=self.type_complaint.id)
        self._create(day, type_id=self.type_complaint.id)
        self._create(day, type_id=self.type_question.id)
        Order = self.env["sale.order"]
        for state, when in [("sale", day)] * 4 + [
            ("draft", day),
            ("sale", STOP + timedelta(days=1)),
        ]:
            Order.create(
                {"partner_id": self.customer.id, "state": state, "date_order": when}
            )
        kpis = self._kpis()
        self.assertEqual(kpis["complaints"], 2)
        self.assertEqual(kpis["orders"], 4)
        self.assertAlmostEqual(kpis["complaints_per_100_orders"], 50.0)

    def test_retention(self):
        """February: customers An (ticket) and Mai (order) are active; in
        March only An comes back: retention 1 / 2 = 50 %."""
        self._create(local(2026, 2, 10, 9), partner_id=self.customer.id)
        self.env["sale.order"].create(
            {
                "partner_id": self.other_customer.id,
                "state": "sale",
                "date_order": local(2026, 2, 12, 9),
            }
        )
        self._create(local(2026, 3, 10, 9), partner_id=self.customer.id)
        kpis = self._kpis()
        self.assertEqual(kpis["previous_customers"], 2)
        self.assertEqual(kpis["retained"], [self.customer.id])
        self.assertAlmostEqual(kpis["retention"], 50.0)

    def test_nps_only_passives_is_zero(self):
        if "care.nps.answer" not in self.env:
            self.skipTest("NPS answers (care.nps.answer) are not installed yet")
        Answer = self.env["care.nps.answer"]
        for score in (7, 8, 8):
            Answer.create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "score": score,
                    "answered_at": local(2026, 3, 10, 9),
                }
            )
        kpis = self._kpis()
        self.assertEqual(kpis["nps_passives"], 3)
        self.assertEqual(kpis["nps"], 0.0)

    def test_filters_and_workload(self):
        """Team, agent and channel filters; per-agent load."""
        day = local(2026, 3, 10, 8)
        self._create(day, user_id=self.user_agent.id, channel="email")
        self._create(day, user_id=self.user_agent.id, channel="phone")
        solved = self._create(day, user_id=self.user_agent_2.id)
        self._solve(solved, day + timedelta(hours=1))
        self._create(day, team_id=self.team_tech.id, user_id=self.user_agent_3.id)
        self.assertEqual(self._kpis()["created"], 4)
        self.assertEqual(self._kpis(team_ids=self.team.ids)["created"], 3)
        self.assertEqual(self._kpis(user_ids=self.user_agent.ids)["created"], 2)
        self.assertEqual(self._kpis(channels=["email"])["created"], 1)
        load = {
            row["user_id"]: row
            for row in self.Kpi._agent_load(START, STOP, {"team_ids": self.team.ids})
        }
        self.assertEqual(load[self.user_agent.id]["backlog"], 2)
        self.assertEqual(load[self.user_agent_2.id]["solved"], 1)
        self.assertNotIn(self.user_agent_3.id, load, "another team")

    def test_agent_sees_only_what_she_may_read(self):
        """The KPIs go through the record rules: an agent of the Hà Nội team
        does not count the technical team's tickets."""
        day = local(2026, 3, 10, 8)
        self._create(day)
        self._create(day, team_id=self.team_tech.id, user_id=self.user_agent_3.id)
        as_agent = self.Kpi.with_user(self.user_agent).compute(START, STOP)
        self.assertEqual(as_agent["created"], 1)
        self.assertEqual(self._kpis()["created"], 2)

    def test_drill_down_opens_the_counted_tickets(self):
        """A figure and the list it opens read the same domain."""
        with freeze_time(local(2026, 3, 20, 9)):
            day = local(2026, 3, 10, 8)
            fcr = self._create(day)
            self._reply(fcr, day + timedelta(hours=1))
            self._solve(fcr, day + timedelta(hours=2))
            self._create(day)
            Kpi = self.Kpi.with_user(self.user_manager)
            Kpi.env.user.tz = "Asia/Ho_Chi_Minh"
            dashboard = Kpi.get_dashboard(date(2026, 3, 1), date(2026, 3, 31))
            cards = {card["key"]: card for card in dashboard["cards"]}
            self.assertEqual(cards["fcr_rate"]["value"], 100.0)
            self.assertEqual(dashboard["scope"], "all", "managers see every team")
            action = Kpi.action_open(
                cards["fcr_rate"]["drill"], date(2026, 3, 1), date(2026, 3, 31)
            )
            self.assertEqual(action["res_model"], "care.ticket")
            self.assertEqual(
                self.env["care.ticket"].search(action["domain"]), fcr, "the FCR ticket"
            )
            action = Kpi.action_open("created", date(2026, 3, 1), date(2026, 3, 31))
            self.assertEqual(self.env["care.ticket"].search_count(action["domain"]), 2)

    def test_periods_together_count_as_their_domains(self):
        """The dashboard computes this month and the last in one query: each
        figure is the one of its period alone, and each count is the number
        of tickets its drill-down domain finds (one definition per KPI)."""
        self._policy([("first_response", 1), ("resolution", 16)])
        feb, mar = local(2026, 2, 10, 8), local(2026, 3, 10, 8)
        # February: one solved in February, one solved in March (late
        # first response: failed SLA), one complaint still open.
        quick = self._create(feb)
        self._reply(quick, feb + timedelta(minutes=30))
        self._solve(quick, feb + timedelta(hours=2))
        late = self._create(feb)
        self._reply(late, feb + timedelta(hours=3))
        self._solve(late, mar)
        self._create(feb, type_id=self.type_complaint.id)
        # March: one solved, rated 2, reopened and solved again; one open.
        rated = self._create(mar)
        self._reply(rated, mar + timedelta(minutes=10))
        self._solve(rated, mar + timedelta(hours=1))
        with freeze_time(mar + timedelta(hours=2)):
            rated.rating_apply(2, token=rated._rating_get_access_token())
            rated.action_reopen()
            self.env.flush_all()
        self._solve(rated, mar + timedelta(hours=3))
        self._create(mar)
        feb_start, feb_stop = local(2026, 2, 1), START
        together = self.Kpi._compute_periods([(START, STOP), (feb_start, feb_stop)], {})
        self.assertEqual(together[0], self.Kpi.compute(START, STOP))
        self.assertEqual(together[1], self.Kpi.compute(feb_start, feb_stop))
        Ticket = self.env["care.ticket"]
        for (start, stop), kpis in zip(
            [(START, STOP), (feb_start, feb_stop)], together, strict=True
        ):
            base = self.Kpi._base_domain(start, stop, {})
            for key, domain in self.Kpi._ticket_domains(start, stop).items():
                self.assertEqual(
                    kpis[key], Ticket.search_count(base & domain), f"{key} {start}"
                )
        # A few of them by hand.
        self.assertEqual((together[1]["created"], together[1]["solved"]), (3, 1))
        self.assertEqual((together[0]["created"], together[0]["solved"]), (2, 2))
        self.assertEqual(together[1]["sla_failed"], 1, "the late first response")
        self.assertEqual(together[1]["complaints"], 1)
        self.assertEqual(together[1]["backlog"], 2, "open at the end of February")
        self.assertEqual(together[0]["reopened"], 1)
        self.assertEqual(together[0]["unsatisfied"], 1)
        self.assertEqual(together[0]["first_response_count"], 1, "one replied")
        self.assertAlmostEqual(rated.first_response_hours, 10 / 60, places=3)
        self.assertTrue(rated.has_resolution_hours)

    def test_agent_dashboard_is_her_own(self):
        with freeze_time(local(2026, 3, 20, 9)):
            self._create(local(2026, 3, 10, 8), user_id=self.user_agent.id)
            self._create(local(2026, 3, 10, 8), user_id=self.user_agent_2.id)
            dashboard = self.Kpi.with_user(self.user_agent).get_dashboard(
                "2026-03-01", "2026-03-31"
            )
        self.assertEqual(dashboard["scope"], "mine")
        self.assertFalse(dashboard["is_manager"])
        cards = {card["key"]: card for card in dashboard["cards"]}
        self.assertEqual(cards["created"]["value"], 1)


class TestKpiChurn(CareKpiCommon):
    def _refresh(self):
        """Run the churn job as the scheduler would, committing its batches
        in the test transaction."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            return env["care.churn"]._cron_refresh()

    def test_churn_refresh_touches_only_changed_customers(self):
        day = local(2026, 3, 10, 8)
        for __ in range(3):
            self._create(day, type_id=self.type_complaint.id)
        bad = self._create(day)
        self._solve(bad, day + timedelta(hours=1))
        with freeze_time(day + timedelta(hours=2)):
            bad.rating_apply(1, token=bad._rating_get_access_token())
            self.env.flush_all()
        with freeze_time(day + timedelta(days=1)):
            self.assertEqual(self._refresh(), 1, "An, the only customer with data")
        customer = self.customer.sudo()
        customer.invalidate_recordset()
        # 3 complaints: 10; one bad rating: 7.5; plus the mood of the rating's
        # journal entry, whatever it is: at least 18.
        self.assertGreaterEqual(customer.care_churn_risk, 18)
        self.assertTrue(customer.care_churn_risk_level)
        self.assertFalse(customer.care_churn_dirty)
        self.assertFalse(self.other_customer.sudo().care_churn_risk_level)
        # The job ran after everything above was written (a transaction has
        # one clock, cr.now(): the next moments are set by hand). Then only
        # Mai's ticket changes: the next run scores Mai alone.
        customer.care_churn_risk = 99
        written = self.env.cr.now()
        self.env["ir.config_parameter"].set_param(
            "customer_care.churn_refreshed_at",
            fields.Datetime.to_string(written + timedelta(seconds=1)),
        )
        ticket = self._create(day, partner_id=self.other_customer.id)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE care_ticket SET write_date = %s WHERE id = %s",
            (written + timedelta(seconds=2), ticket.id),
        )
        self.assertEqual(
            self.env["care.churn"]._changed_customer_ids(
                written + timedelta(seconds=1), written + timedelta(seconds=3)
            ),
            [self.other_customer.id],
        )
        self.assertEqual(self._refresh(), 1, "only Mai was scored")
        customer.invalidate_recordset()
        self.assertEqual(customer.care_churn_risk, 99, "An was not touched")
        self.assertEqual(self.other_customer.sudo().care_churn_risk_level, "low")


class TestKpiDigest(CareKpiCommon):
    def test_digest_values(self):
        day = local(2026, 3, 10, 8)
        ticket = self._create(day)
        self._reply(ticket, day + timedelta(hours=1))
        self._solve(ticket, day + timedelta(hours=2))
        digest = (
            self.env["digest.digest"]
            .with_context(start_datetime=START, end_datetime=STOP)
            .with_user(self.user_manager)
            .sudo()
            .create(
                {"name": "Care", "kpi_care_tickets_solved": True, "kpi_care_fcr": True}
            )
            .sudo(False)
        )
        self.assertEqual(digest.env.user, self.user_manager)
        self.assertEqual(digest.kpi_care_tickets_solved_value, 1)
        self.assertEqual(digest.kpi_care_fcr_value, 100.0)
        kpis = digest._compute_kpis(self.company, self.user_manager)
        self.assertIn("kpi_care_tickets_solved", [kpi["kpi_name"] for kpi in kpis])
