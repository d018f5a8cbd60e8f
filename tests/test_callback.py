"""Call-back requests (issue 14, scope 2): a moment inside the team's working
hours becomes the owner's call-back follow-up; lunch, holidays (Tết), days
off and the past are refused with a clear message; a second request moves
the follow-up."""

from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from ..models.care_ticket_callback import CALLBACK_TYPES
from .common import CareCommon
from .test_portal import CarePortalCommon

MONDAY = "2026-02-02 02:00:00"  # 09:00 in Hanoi, two weeks before Tết 2026


class CallbackMixin:
    def _callbacks(self, ticket):
        types = self.env["mail.activity.type"]
        for xmlid in CALLBACK_TYPES:
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id in types)


@freeze_time(MONDAY)
class TestCallback(CallbackMixin, CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.resource_calendar_id = cls.env.ref(
            "customer_care.resource_calendar_vn"
        )

    def test_slot_becomes_the_owners_follow_up(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        slot = ticket._request_callback("2026-02-03T10:00", phone="0912 345 678")
        self.assertEqual(slot, datetime(2026, 2, 3, 3, 0), "10:00 in Hanoi")
        self.assertEqual(ticket.callback_at, slot)
        activity = self._callbacks(ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_agent)
        self.assertEqual(str(activity.date_deadline), "2026-02-03")
        self.assertIn("0912 345 678", str(activity.note))

    def test_second_request_moves_the_follow_up(self):
        ticket = self._ticket()
        ticket._request_callback("2026-02-03T10:00")
        ticket._request_callback("2026-02-04T15:30")
        activity = self._callbacks(ticket)
        self.assertEqual(len(activity), 1, "updated, not piled up")
        self.assertEqual(activity.user_id, self.user_manager, "nobody owns it: leader")
        self.assertEqual(str(activity.date_deadline), "2026-02-04")
        self.assertEqual(ticket.callback_at, datetime(2026, 2, 4, 8, 30))

    def test_refused_slots_say_why(self):
        ticket = self._ticket()
        cases = {
            "2026-02-03T12:30": "lunch break",
            "2026-02-03T18:00": "working hours only",
            "2026-02-17T10:00": "holiday",  # Tết
            "2026-02-07T10:00": "We do not work on",  # a Saturday
            "2026-02-02T08:30": "already passed",
            "next week": "choose a day and a time",
        }
        for value, reason in cases.items():
            with self.subTest(value=value), self.assertRaises(UserError) as caught:
                ticket._request_callback(value)
            self.assertIn(reason, str(caught.exception))
        self.assertFalse(ticket.callback_at)
        self.assertFalse(self._callbacks(ticket))


@tagged("post_install", "-at_install")
class TestCallbackPortal(CallbackMixin, CarePortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.resource_calendar_id = cls.env.ref(
            "customer_care.resource_calendar_vn"
        )

    @freeze_time(MONDAY)
    def test_portal_refuses_lunch_then_books(self):
        self.authenticate("cc_portal", "cc_portal")
        url = f"/my/tickets/{self.ticket_a.id}/callback"
        res = self._post(url, {"callback_at": "2026-02-03T12:30"})
        self.assertEqual(res.status_code, 200)
        self.assertIn("lunch break", res.text)
        self.assertFalse(self.ticket_a.callback_at)
        res = self._post(url, {"callback_at": "2026-02-03T14:00", "phone": "0912"})
        self.assertEqual(res.status_code, 303)
        self.assertEqual(self.ticket_a.callback_at, datetime(2026, 2, 3, 7, 0))
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertIn("o_care_callback_at", page.text)
        self.assertIn("2026-02-03T14:00", page.text)

    @freeze_time(MONDAY)
    def test_other_customers_ticket_is_not_found(self):
        self.authenticate("cc_portal_b", "cc_portal_b")
        res = self._post(
            f"/my/tickets/{self.ticket_a.id}/callback",
            {"callback_at": "2026-02-03T14:00"},
        )
        self.assertNotEqual(res.status_code, 200)
        self.assertFalse(self.ticket_a.callback_at)

    @freeze_time(MONDAY)
    def test_public_form_and_acknowledgement_link(self):
        self.authenticate(None, None)
        base = {
            "form_token": self._form_token(),
            "name": "Lý Thu Hà",
            "email": "thuha@example.com",
            "phone": "0987 654 321",
            "topic_id": str(self.topic_orders.id),
            "subject": "Tủ lạnh không lạnh",
            "description": "Ngăn dưới không lạnh",
        }
        res = self._post("/help/new", {**base, "callback_at": "2026-02-17T09:00"})
        self.assertIn("holiday", res.text, "Tết is refused on the form")
        Ticket = self.env["care.ticket"]
        self.assertFalse(Ticket.search([("partner_email", "=", "thuha@example.com")]))
        res = self._post("/help/new", {**base, "callback_at": "2026-02-03T09:15"})
        self.assertEqual(res.status_code, 200)
        ticket = Ticket.search([("partner_email", "=", "thuha@example.com")])
        self.assertEqual(ticket.callback_at, datetime(2026, 2, 3, 2, 15))
        self.assertEqual(len(self._callbacks(ticket)), 1)
        self.env["care.ticket"]._send_pending_notices()
        mails = self.env["mail.mail"].search(
            [("model", "=", "care.ticket"), ("res_id", "=", ticket.id)]
        )
        ack = mails.filtered(lambda m: ticket.partner_id in m.recipient_ids)
        self.assertEqual(len(ack), 1, "the acknowledgement")
        self.assertIn("#care_callback", str(ack.body_html))
        self.assertIn("access_token=", str(ack.body_html))
