import base64

from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .common import CareCommon


class TestMerge(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 02:00:00"):
            cls.older = cls._ticket(name="Máy giặt báo lỗi E21")
        with freeze_time("2026-03-03 02:00:00"):
            cls.newer = cls._ticket(name="Máy giặt vẫn báo lỗi E21")

    def _merge(self, tickets, user=None, target=None, **context):
        wizard = (
            self.env["care.ticket.merge"]
            .with_user(user or self.user_agent)
            .with_context(active_model="care.ticket", active_ids=tickets.ids, **context)
            .create({})
        )
        if target:
            wizard.target_id = target
        wizard.action_merge()
        return wizard

    def test_other_open_tickets_of_the_customer(self):
        self.assertEqual(self.older.customer_open_ticket_count, 1)
        action = self.older.action_view_customer_open_tickets()
        self.assertEqual(self.env["care.ticket"].search(action["domain"]), self.newer)

    def test_merge_moves_everything_into_the_oldest(self):
        newer = self.newer
        newer.message_post(
            body="Tôi gửi ảnh màn hình lỗi.",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            attachments=[("loi-e21.jpg", b"jpeg bytes")],
        )
        newer.with_user(self.user_agent).message_post(
            body="Ghi chú nội bộ", subtype_xmlid="mail.mt_note"
        )
        self.env["ir.attachment"].create(
            {
                "name": "hoa-don.pdf",
                "datas": base64.b64encode(b"pdf"),
                "res_model": "care.ticket",
                "res_id": newer.id,
            }
        )
        entry = self.env["care.emotion.entry"].create(
            {
                "partner_id": self.customer.id,
                "ticket_id": newer.id,
                "label": "angry",
                "intensity": 4,
            }
        )
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        newer.sale_order_ids = order
        newer.message_subscribe(partner_ids=self.other_customer.ids)
        activity = newer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_agent.id
        )
        sla_lines = newer.sla_line_ids
        messages = newer.message_ids
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "care.ticket"), ("res_id", "=", newer.id)]
        )
        self.assertEqual(len(files), 2)

        wizard = self._merge(self.older | newer)

        self.assertEqual(wizard.target_id, self.older, "the oldest by default")
        self.assertLessEqual(messages, self.older.message_ids, "every message moved")
        self.assertEqual(set(files.mapped("res_id")), {self.older.id})
        self.assertEqual(entry.ticket_id, self.older)
        self.assertEqual(activity.res_id, self.older.id)
        self.assertIn(order, self.older.sale_order_ids)
        self.assertIn(order, newer.sale_order_ids, "the duplicate keeps its link")
        self.assertIn(self.other_customer, self.older.message_partner_ids)
        self.assertEqual(newer.sla_line_ids, sla_lines, "SLA history stays")
        self.assertTrue(newer.is_closed)
        self.assertEqual(newer.merged_into_id, self.older)
        self.assertEqual(self.older.merged_ticket_ids, newer)
        self.assertFalse(self.older.is_closed)
        # The duplicate's chatter: the link, and the notice to the customer.
        notice = newer.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(self.older.number, notice.body)
        self.assertIn(self.customer, newer.message_partner_ids, "the customer is told")
        note = self.older.message_ids[0]
        self.assertIn(newer.number, note.body)
        # Counted once.
        self.assertEqual(
            self.env["care.ticket"].search_count(
                [
                    ("id", "in", (self.older | newer).ids),
                    ("merged_into_id", "=", False),
                ]
            ),
            1,
        )

    def test_chosen_target(self):
        self._merge(self.older | self.newer, target=self.newer)
        self.assertEqual(self.older.merged_into_id, self.newer)
        self.assertFalse(self.newer.merged_into_id)

    def test_refuses_another_customer(self):
        foreign = self._ticket(partner_id=self.other_customer.id)
        with self.assertRaisesRegex(UserError, "same customer"):
            self._merge(self.older | foreign)
        self.assertFalse(foreign.merged_into_id or self.older.merged_into_id)

    def test_same_company_contacts_may_merge(self):
        first = self._ticket(partner_id=self.customer_colleague.id)
        second = self._ticket(partner_id=self.customer_company.id)
        self._merge(first | second)
        self.assertEqual(second.merged_into_id, first)

    def test_refuses_another_company(self):
        self.user_manager.company_ids |= self.company_2
        other = self.env["care.ticket"].create(
            {
                "name": "Máy giặt Đà Nẵng",
                "partner_id": self.customer.id,
                "company_id": self.company_2.id,
                "team_id": False,
            }
        )
        with self.assertRaisesRegex(UserError, "same company"):
            self._merge(
                self.older | other,
                user=self.user_manager,
                allowed_company_ids=(self.company | self.company_2).ids,
            )
        self.assertFalse(other.merged_into_id)

    def test_refuses_a_ticket_already_merged(self):
        self._merge(self.older | self.newer)
        third = self._ticket()
        with self.assertRaises(UserError):
            self._merge(self.newer | third)
        self.assertFalse(third.merged_into_id)
