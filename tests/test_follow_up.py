"""Follow-ups (issue 13, scope 1): the scheduling API, the after-resolution
job and the "Log outcome" wizard."""

from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.tests import HttpCase, freeze_time, tagged, users
from odoo.tools import mute_logger

from .common import CareCommon

CALL_BACK = "customer_care.mail_activity_type_care_call_back"
AFTER_RESOLUTION = "customer_care.mail_activity_type_care_after_resolution"
VN = timedelta(hours=7)


def local(*args):
    """A Hanoi wall-clock time as the naive UTC datetime the ORM stores."""
    return datetime(*args) - VN


class FollowUpCommon(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday 08:00-12:00, 13:30-17:30 in Hanoi, no holidays.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Giờ hành chính",
                "tz": "Asia/Ho_Chi_Minh",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for period, start, stop in (
                        ("morning", 8, 12),
                        ("afternoon", 13.5, 17.5),
                    )
                ],
            }
        )
        cls.team.resource_calendar_id = cls.calendar
        (cls.user_agent | cls.user_agent_2 | cls.user_manager).tz = "Asia/Ho_Chi_Minh"

    def _open_follow_ups(self, record, xmlid=None):
        domain = [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
            ("care_follow_up", "=", True),
        ]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].search(domain)


class TestFollowUpApi(FollowUpCommon):
    @users("cc_agent")
    def test_schedule_once_per_kind(self):
        ticket = self._ticket(user_id=self.user_agent.id).with_user(self.env.user)
        with freeze_time(local(2026, 3, 10, 11, 0)):
            first = ticket._schedule_follow_up(CALL_BACK, reason="Khách hẹn gọi lại")
            second = ticket._schedule_follow_up(
                CALL_BACK, due_at=local(2026, 3, 11, 9, 0)
            )
        self.assertEqual(first, second, "the open call-back is returned")
        self.assertEqual(len(self._open_follow_ups(ticket, CALL_BACK)), 1)
        self.assertEqual(first.care_due_at, local(2026, 3, 11, 9, 0))
        self.assertEqual(str(first.date_deadline), "2026-03-11")
        self.assertEqual(first.user_id, self.user_agent, "the ticket owner")
        self.assertEqual(first.care_partner_id, self.customer)
        self.assertEqual(first.care_team_id, self.team)
        self.assertEqual(first.care_reason, "Khách hẹn gọi lại")

    def test_default_due_in_working_hours(self):
        ticket = self._ticket()
        # Friday 16:30: two working hours end on Monday at 09:00.
        with freeze_time(local(2026, 3, 13, 16, 30)):
            activity = ticket._schedule_follow_up(CALL_BACK)
        self.assertEqual(activity.care_due_at, local(2026, 3, 16, 9, 0))
        self.assertEqual(str(activity.date_deadline), "2026-03-16")
        self.assertEqual(activity.user_id, self.user_manager, "the team leader")

    def test_due_date_in_assignee_timezone(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        # 08:00 in Hanoi on the 17th is still the 16th in UTC.
        activity = ticket._schedule_follow_up(
            CALL_BACK, due_at=local(2026, 3, 17, 6, 0)
        )
        self.assertEqual(str(activity.date_deadline), "2026-03-17")

    def test_second_open_follow_up_by_hand_refused(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        ticket._schedule_follow_up(CALL_BACK)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            ticket.activity_schedule(CALL_BACK, user_id=self.user_agent.id)
            self.env.flush_all()
        self.assertEqual(len(self._open_follow_ups(ticket, CALL_BACK)), 1)

    def test_done_follow_up_allows_a_new_one(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        first = ticket._schedule_follow_up(CALL_BACK)
        first.action_feedback(feedback="Đã gọi")
        second = ticket._schedule_follow_up(CALL_BACK)
        self.assertNotEqual(first, second)
        self.assertFalse(first.active)
        self.assertTrue(second.active)

    def test_partner_follow_up(self):
        self._ticket(user_id=self.user_agent_2.id)
        activity = self.customer._care_schedule_follow_up(
            "customer_care.mail_activity_type_care_check_in"
        )
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.care_partner_id, self.customer)
        self.assertEqual(activity.user_id, self.user_agent_2, "last ticket's agent")
        self.assertEqual(activity.care_team_id, self.team)
        again = self.customer._care_schedule_follow_up(
            "customer_care.mail_activity_type_care_check_in"
        )
        self.assertEqual(again, activity)

    def test_overdue_search(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            activity = ticket._schedule_follow_up(
                CALL_BACK, due_at=local(2026, 3, 10, 10, 0)
            )
        Activity = self.env["mail.activity"]
        with freeze_time(local(2026, 3, 10, 9, 30)):
            self.assertNotIn(
                activity, Activity.search([("care_is_overdue", "=", True)])
            )
        with freeze_time(local(2026, 3, 10, 10, 30)):
            self.assertIn(activity, Activity.search([("care_is_overdue", "=", True)]))
            self.assertTrue(activity.care_is_overdue)


class TestFollowUpAfterSolve(FollowUpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.follow_up_after_solve_days = 2

    def _solved_ticket(self, when, **values):
        with freeze_time(when):
            ticket = self._ticket(user_id=self.user_agent.id, **values)
            ticket.stage_id = self.stage_solved
            self.env.flush_all()  # the closing date is computed at flush
        self.assertEqual(ticket.date_closed, when)
        return ticket

    def _run(self, when):
        with freeze_time(when):
            return self.env["care.ticket"]._follow_up_after_solve()

    def test_after_two_working_days(self):
        # Solved on Thursday afternoon: due on Monday when work begins.
        ticket = self._solved_ticket(local(2026, 3, 12, 15, 0))
        self._run(local(2026, 3, 14, 10, 0))  # Saturday: not yet
        self.assertFalse(self._open_follow_ups(ticket))
        self.assertFalse(ticket.after_solve_follow_up_done)
        self._run(local(2026, 3, 16, 8, 30))
        follow_up = self._open_follow_ups(ticket, AFTER_RESOLUTION)
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.care_due_at, local(2026, 3, 16, 8, 0))
        self.assertEqual(follow_up.user_id, self.user_agent)
        self.assertTrue(ticket.after_solve_follow_up_done)
        # Run again, and after the agent did it: no second follow-up.
        self._run(local(2026, 3, 16, 9, 0))
        follow_up.action_feedback(feedback="OK")
        self._run(local(2026, 3, 16, 10, 0))
        self.assertFalse(self._open_follow_ups(ticket))

    def test_not_for_a_customer_who_rated_well(self):
        ticket = self._solved_ticket(local(2026, 3, 12, 15, 0))
        ticket.rating_apply(5, token=ticket._rating_get_access_token())
        unhappy = self._solved_ticket(
            local(2026, 3, 12, 15, 0), partner_id=self.other_customer.id
        )
        unhappy.rating_apply(1, token=unhappy._rating_get_access_token())
        self._run(local(2026, 3, 16, 9, 0))
        self.assertFalse(self._open_follow_ups(ticket))
        self.assertTrue(ticket.after_solve_follow_up_done)
        self.assertEqual(len(self._open_follow_ups(unhappy, AFTER_RESOLUTION)), 1)

    def test_team_without_setting_or_cancelled(self):
        other = self._solved_ticket(
            local(2026, 3, 12, 15, 0), team_id=self.team_tech.id
        )
        with freeze_time(local(2026, 3, 12, 15, 0)):
            cancelled = self._ticket()
            cancelled.stage_id = self.env.ref("customer_care.care_stage_cancelled")
            self.env.flush_all()
        self._run(local(2026, 3, 17, 9, 0))
        self.assertFalse(self._open_follow_ups(other))
        self.assertFalse(self._open_follow_ups(cancelled))


class TestFollowUpLog(FollowUpCommon):
    @users("cc_agent")
    def test_log_outcome_with_emotion(self):
        ticket = self._ticket(user_id=self.user_agent.id).with_user(self.env.user)
        activity = ticket._schedule_follow_up(CALL_BACK)
        wizard = self.env["care.follow.up.log"].create(
            {
                "activity_id": activity.id,
                "outcome": "reached",
                "notes": "Khách rất hài lòng, máy chạy tốt rồi.",
                "emotion": "satisfied",
                "intensity": 4,
            }
        )
        wizard.action_log()
        self.assertFalse(activity.active, "done")
        self.assertEqual(activity.care_outcome, "reached")
        entry = self.env["care.emotion.entry"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.label, "satisfied")
        self.assertEqual(entry.intensity, 4)
        self.assertEqual(entry.source, "call_note")
        self.assertEqual(entry.user_id, self.user_agent, "a recorded entry")
        self.assertTrue(entry.message_id, "linked to the done message")
        self.assertIn("Reached", entry.message_id.body)

    def test_no_mood_for_a_customer_who_objected(self):
        self.env["care.consent.event"]._record(
            self.customer, "emotion", False, "portal"
        )
        ticket = self._ticket(user_id=self.user_agent.id)
        activity = ticket._schedule_follow_up(CALL_BACK)
        self.env["care.follow.up.log"].create(
            {"activity_id": activity.id, "outcome": "resolved", "emotion": "angry"}
        ).action_log()
        self.assertEqual(activity.care_outcome, "resolved", "the outcome is logged")
        self.assertFalse(
            self.env["care.emotion.entry"].search([("ticket_id", "=", ticket.id)])
        )

    @users("cc_agent")
    def test_call_later_plans_the_next_contact(self):
        ticket = self._ticket(user_id=self.user_agent.id).with_user(self.env.user)
        with freeze_time(local(2026, 3, 10, 9, 0)):
            activity = ticket._schedule_follow_up(CALL_BACK)
            self.env["care.follow.up.log"].create(
                {
                    "activity_id": activity.id,
                    "outcome": "call_later",
                    "log_emotion": False,
                    "next_due_at": local(2026, 3, 11, 14, 0),
                }
            ).action_log()
        follow_up = self._open_follow_ups(ticket, CALL_BACK)
        self.assertEqual(len(follow_up), 1)
        self.assertNotEqual(follow_up, activity)
        self.assertEqual(follow_up.care_due_at, local(2026, 3, 11, 14, 0))
        self.assertFalse(
            self.env["care.emotion.entry"].search([("ticket_id", "=", ticket.id)])
        )


@tagged("post_install", "-at_install")
class TestFollowUpTour(HttpCase, FollowUpCommon):
    def test_agent_logs_outcome_in_browser(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        activity = ticket._schedule_follow_up(CALL_BACK)
        self.start_tour("/odoo", "care_follow_up_log_tour", login="cc_agent")
        self.assertFalse(activity.active)
        self.assertEqual(activity.care_outcome, "reached")
        entry = self.env["care.emotion.entry"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(entry.label, "delighted")
        self.assertEqual(entry.user_id, self.user_agent)
        self.assertEqual(entry.note, "Khách đã nhận máy, rất hài lòng.")


class TestFollowUpAfterDelivery(FollowUpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.care_follow_up_after_delivery_days = 2
        cls.product = cls.env["product.product"].create(
            {"name": "Máy lọc nước", "type": "consu", "list_price": 100}
        )

    def _delivered_order(self, when):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with freeze_time(when):
            picking._action_done()
        self.assertEqual(picking.state, "done")
        picking.date_done = when
        return picking

    def _run(self, when):
        with freeze_time(when):
            return self.env["stock.picking"]._care_follow_up_after_delivery()

    def test_once_per_delivery(self):
        picking = self._delivered_order(local(2026, 3, 10, 10, 0))
        self._run(local(2026, 3, 11, 10, 0))
        self.assertFalse(self._open_follow_ups(self.customer), "not yet")
        self._run(local(2026, 3, 12, 10, 30))
        follow_up = self._open_follow_ups(
            self.customer, "customer_care.mail_activity_type_care_after_delivery"
        )
        self.assertEqual(len(follow_up), 1)
        self.assertIn(picking.sale_id.name, follow_up.care_reason)
        self.assertTrue(picking.care_follow_up_planned)
        follow_up.action_feedback(feedback="OK")
        self._run(local(2026, 3, 12, 11, 30))
        self.assertFalse(self._open_follow_ups(self.customer), "once per delivery")
