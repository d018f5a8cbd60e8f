"""What the customer sees of her orders (issue 12, scope 3): the ticket page
shows delivery and invoice status of her own orders only; the order's portal
page offers "Need help with this order?"."""

from odoo.tests import HttpCase, tagged

from .sale_common import CareSaleCommon


@tagged("post_install", "-at_install")
class TestCareSalePortal(HttpCase, CareSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.is_published = True
        cls.topic = cls.env["care.topic"].create(
            {"name": "Orders and delivery", "team_id": cls.team.id}
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "customer_care.intake_min_seconds", 0
        )
        cls._deliver(cls.order_a)
        cls.invoice_a = cls._invoice(cls.order_a)
        cls.ticket_a = cls._ticket(partner_id=cls.customer_colleague.id)
        cls.ticket_a.sale_order_ids = cls.order_a | cls.order_a2
        cls.ticket_b = cls._ticket(partner_id=cls.other_customer.id)
        cls.ticket_b.sale_order_ids = cls.order_b
        cls.ticket_a._portal_ensure_token()
        cls.ticket_b._portal_ensure_token()

    def test_ticket_page_shows_delivery_and_invoice_status(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_portal_orders", res.text)
        self.assertIn(self.order_a.name, res.text)
        self.assertIn(self.order_a2.name, res.text)
        self.assertIn("Fully Delivered", res.text)
        self.assertIn("delivered on", res.text)
        self.assertIn("Not Delivered", res.text, "the second order is not delivered")
        self.assertIn(self.invoice_a.name, res.text)
        self.assertIn("Not Paid", res.text)
        self.assertNotIn(self.order_b.name, res.text)

    def test_other_customer_ticket_and_order_stay_hidden(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{self.ticket_b.id}")
        self.assertEqual(res.status_code, 404)
        self.assertNotIn(self.order_b.name, res.text)

    def test_token_link_shows_the_orders_of_that_ticket_only(self):
        self.authenticate(None, None)
        res = self.url_open(self.ticket_b.get_portal_url())
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.order_b.name, res.text)
        self.assertNotIn(self.order_a.name, res.text)

    def test_expected_delivery_date_of_an_open_delivery(self):
        order = self._order(self.customer_colleague, product=self.fan)
        self.ticket_a.sale_order_ids |= order
        digest = {row["name"]: row for row in self.ticket_a._sale_order_digest(True)}
        self.assertEqual(
            digest[order.name]["expected_date"], order.picking_ids.scheduled_date
        )
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertIn("expected on", res.text)

    def test_order_page_offers_help_with_the_order(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/orders/{self.order_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_order_help", res.text)
        self.assertIn(f"/my/tickets/new?order_reference={self.order_a.name}", res.text)
        self.authenticate(None, None)
        res = self.url_open(self.order_b.get_portal_url())
        self.assertIn(f"/help/new?order_reference={self.order_b.name}", res.text)

    def test_tour_customer_asks_help_on_an_order_then_sees_the_delivery(self):
        order = self._order(self.customer_colleague)
        self.start_tour(
            f"/my/orders/{order.id}", "care_sale_order_help", login="cc_portal"
        )
        ticket = self.env["care.ticket"].search(
            [("name", "=", "Khi nào giao tủ lạnh?")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.sale_order_ids, order)
        self.assertEqual(ticket.order_reference, order.name)
        # The agent ships the order and answers the customer.
        self._deliver(order)
        ticket.with_user(self.user_agent).message_post(
            body="Đơn của chị đã giao hôm nay.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.start_tour(
            f"/my/tickets/{ticket.id}", "care_sale_delivery_status", login="cc_portal"
        )
        self.assertEqual(ticket.sale_order_ids.delivery_status, "full")
