from datetime import datetime, timedelta

from odoo.tests import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CareCommon

NOW = datetime(2026, 3, 2, 9, 0)


@freeze_time(NOW)
class TestPartner360(CareCommon):
    """The customer's 360° timeline (res.partner.care_timeline_read) and the
    order an emotion entry is about."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = mail_new_test_user(
            cls.env,
            login="cc_seller_agent",
            name="Lý Thị Thu",
            email="thu@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.team.member_ids += cls.seller
        cls.product = cls.env["product.product"].create(
            {"name": "Tủ lạnh Inverter 320L", "type": "consu", "list_price": 9500000}
        )
        cls.Entry = cls.env["care.emotion.entry"]

    def _order(self, days_ago, partner=None, confirm=True, commitment=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "date_order": NOW - timedelta(days=days_ago),
                "commitment_date": commitment,
                "order_line": [(0, 0, {"product_id": self.product.id})],
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = NOW - timedelta(days=days_ago)
        return order

    def _ticket_on(self, days_ago, **values):
        # Odoo takes create_date from the values while the module is installed
        # by the superuser (as the demo and tests/test_care_sla.py do).
        return self._ticket(create_date=NOW - timedelta(days=days_ago), **values)

    def _timeline(self, user, offset=0, limit=40, partner=None):
        partner = (partner or self.customer).with_user(user)
        return partner.care_timeline_read(offset=offset, limit=limit)

    def test_rows_in_date_order_and_pages(self):
        ticket_old = self._ticket_on(30)
        order = self._order(20)
        ticket_new = self._ticket_on(2)
        self.Entry.create(
            {
                "partner_id": self.customer.id,
                "ticket_id": ticket_new.id,
                "label": "worried",
                "date": NOW - timedelta(days=1),
            }
        )
        self._ticket_on(5, partner_id=self.other_customer.id)  # not this customer
        first = self._timeline(self.seller)
        rows = first["rows"]
        dates = [row["date"] for row in rows]
        self.assertEqual(dates, sorted(dates, reverse=True), "newest first")
        kinds = [row["kind"] for row in rows]
        self.assertIn("order", kinds)
        self.assertIn("delivery", kinds, "the confirmed order's delivery")
        # The undelivered order's delivery is dated when it is planned (later).
        self.assertLess(kinds.index("emotion"), kinds.index("ticket"))
        tickets = [(r["model"], r["id"]) for r in rows if r["kind"] == "ticket"]
        self.assertEqual(
            tickets, [("care.ticket", ticket_new.id), ("care.ticket", ticket_old.id)]
        )
        order_row = next(r for r in rows if r["kind"] == "order")
        self.assertEqual(
            (order_row["model"], order_row["id"]), ("sale.order", order.id)
        )
        self.assertEqual(first["counts"]["ticket"], 2)
        self.assertEqual(first["counts"]["order"], 1)
        self.assertFalse(first["has_more"])

        # Two per page: the same rows, in the same order, no repeat.
        paged, offset = [], 0
        while True:
            page = self._timeline(self.seller, offset=offset, limit=2)
            self.assertLessEqual(len(page["rows"]), 2)
            paged += page["rows"]
            offset += len(page["rows"])
            if not page["has_more"]:
                break
        self.assertEqual([r["key"] for r in paged], [r["key"] for r in rows])

    def test_agent_without_sales_rights_sees_no_orders(self):
        self._ticket_on(3)
        self._order(10)
        self.assertFalse(self.user_agent.has_group("sales_team.group_sale_salesman"))
        result = self._timeline(self.user_agent)
        kinds = {row["kind"] for row in result["rows"]}
        self.assertEqual(kinds, {"ticket"}, "no order, delivery or invoice rows")
        self.assertNotIn("order", result["counts"])
        seller_kinds = {row["kind"] for row in self._timeline(self.seller)["rows"]}
        self.assertIn("order", seller_kinds)

    def test_rows_follow_record_rules(self):
        self._ticket_on(3)  # team Hà Nội
        self._ticket_on(4, team_id=self.team_tech.id)  # cc_agent3 only
        rows = self._timeline(self.user_agent)["rows"]
        self.assertEqual(len(rows), 1, "only the ticket of her team")
        rows = self._timeline(self.user_agent_3)["rows"]
        self.assertEqual(len(rows), 1)

    def test_logged_call_and_contact_scope(self):
        ticket = self._ticket_on(3, partner_id=self.customer_colleague.id)
        wizard = (
            self.env["care.ticket.log.contact"]
            .with_user(self.user_agent)
            .create(
                {
                    "channel": "phone",
                    "ticket_id": ticket.id,
                    "partner_id": self.customer_colleague.id,
                    "notes": "<p>Khách gọi hỏi lịch lắp đặt</p>",
                    "care_log_mood": False,
                }
            )
        )
        wizard.action_log()
        # The company's page lists its contact's ticket and call.
        result = self._timeline(self.user_agent, partner=self.customer_company)
        call = [r for r in result["rows"] if r["kind"] == "call"]
        self.assertEqual(len(call), 1)
        self.assertIn("lịch lắp đặt", call[0]["title"])
        self.assertEqual((call[0]["model"], call[0]["id"]), ("care.ticket", ticket.id))

    def test_emotion_entry_carries_its_order(self):
        late = self._order(10, commitment=NOW - timedelta(days=3))
        ticket = self._ticket(sale_order_ids=[(6, 0, late.ids)])
        ticket.message_post(
            body="Đơn hàng giao trễ quá, tôi rất bực!",
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        entry = self.Entry.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.sale_order_id, late)
        self.assertEqual((entry.res_model, entry.res_id), ("sale.order", late.id))
        self.assertTrue(entry.delivery_late, "promised 3 days ago, not delivered")

        on_time = self._order(1, commitment=NOW + timedelta(days=3))
        entry = self.Entry.create(
            self.Entry._entry_vals(
                "manual",
                self.customer,
                ticket=self._ticket(sale_order_ids=[(6, 0, on_time.ids)]),
                values={"label": "worried"},
            )
        )
        self.assertEqual(entry.sale_order_id, on_time)
        self.assertFalse(entry.delivery_late)

        # Two orders: the entry cannot say which one.
        both = self._ticket(sale_order_ids=[(6, 0, (late | on_time).ids)])
        entry = self.Entry.create(
            self.Entry._entry_vals("manual", self.customer, ticket=both)
        )
        self.assertFalse(entry.sale_order_id)
        self.assertFalse(entry.res_model)

        # The pivot question: how customers feel about late deliveries.
        groups = self.Entry._read_group(
            [("sale_order_id", "!=", False)], ["delivery_late", "label"], ["__count"]
        )
        self.assertIn((True, "angry", 1), groups)
