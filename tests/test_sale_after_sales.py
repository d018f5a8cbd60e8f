"""Product questions become sales, and after-sales from the ticket (issue
12, scope 4–5): a quotation with the products asked about, its confirmation
counted; a return and a credit note started from the ticket and linked to it;
agents without the rights get a clear error."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .sale_common import CareSaleCommon


@tagged("post_install", "-at_install")
class TestCareSaleQuotation(CareSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_product = cls.env.ref("customer_care.care_ticket_type_product_info")
        cls.question = cls._ticket(
            name="Tủ lạnh 300L còn hàng không?",
            partner_id=cls.customer.id,
            type_id=cls.type_product.id,
            product_ids=[(6, 0, (cls.fridge | cls.fan).ids)],
        )

    def test_availability_is_shown_before_promising(self):
        self.assertEqual(self.question.sale_flow, "quotation")
        rows = {r["product"]: r for r in self.question._product_availability()}
        fridge = rows[self.fridge.display_name]
        self.assertEqual(fridge["on_hand"], 10)
        self.assertEqual(fridge["forecast"], 8, "orders A and B promise one each")
        self.assertTrue(fridge["date"], "in stock: a date can be promised")
        fan = rows[self.fan.display_name]
        self.assertFalse(fan["date"], "no stock, no receipt: no date")
        html = self.question.with_user(self.user_agent).product_availability
        self.assertIn(self.fridge.name, html)

    def test_quotation_carries_customer_and_products_and_is_counted(self):
        question = self.question.with_user(self.user_agent_sales)
        action = question.action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.product_id, self.fridge | self.fan)
        self.assertEqual(order.care_source_ticket_id, self.question)
        self.assertIn(order, self.question.sale_order_ids)
        self.assertEqual(self.question.quotation_count, 1)
        self.assertFalse(self.question.is_converted)
        order.with_user(self.user_agent_sales).action_confirm()
        self.assertTrue(self.question.is_converted)
        self.assertEqual(self.question.converted_amount, order.amount_untaxed)
        converted = self.env["care.ticket"].search([("is_converted", "=", True)])
        self.assertEqual(converted, self.question)

    def test_quotation_needs_sales_rights(self):
        with self.assertRaisesRegex(UserError, "Sales rights"):
            self.question.with_user(self.user_agent).action_create_quotation()
        self.assertFalse(self.question.quotation_ids)

    def test_agent_without_sales_rights_opens_the_product_question(self):
        form = Form(self.question.with_user(self.user_agent))
        self.assertIn(self.fridge.name, form.product_availability)


@tagged("post_install", "-at_install")
class TestCareAfterSales(CareSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery = cls._deliver(cls.order_a)
        cls.invoice = cls._invoice(cls.order_a)
        cls.claim = cls._ticket(
            name="Tủ lạnh hỏng, xin đổi trả",
            partner_id=cls.customer_colleague.id,
            type_id=cls.env.ref("customer_care.care_ticket_type_return").id,
        )
        cls.claim.sale_order_ids = cls.order_a

    def test_return_is_created_and_linked(self):
        claim = self.claim.with_user(self.user_agent_sales)
        action = claim.action_return_picking()
        self.assertEqual(action["res_model"], "stock.return.picking")
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.user_agent_sales)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.picking_id, self.delivery)
        wizard.product_return_moves.quantity = 1
        result = wizard.action_create_returns()
        back = self.env["stock.picking"].browse(result["res_id"])
        self.assertEqual(back.return_id, self.delivery)
        self.assertEqual(self.claim.return_picking_ids, back)
        self.assertTrue(
            self.claim.message_ids.filtered(lambda m: back.name in (m.body or ""))
        )

    def test_credit_note_is_created_and_linked(self):
        claim = self.claim.with_user(self.user_agent_sales)
        action = claim.action_credit_note()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.user_agent_sales)
            .with_context(**action["context"])
            .create({"reason": "Hàng lỗi", "journal_id": self.invoice.journal_id.id})
        )
        wizard.refund_moves()
        refund = self.invoice.reversal_move_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(self.claim.credit_note_ids, refund)
        digest = self.claim._sale_order_digest()[0]
        self.assertTrue(any(m["is_refund"] for m in digest["invoices"]))

    def test_agents_without_rights_get_a_clear_error(self):
        claim = self.claim.with_user(self.user_agent)
        with self.assertRaisesRegex(UserError, "Inventory rights"):
            claim.action_return_picking()
        with self.assertRaisesRegex(UserError, "Invoicing rights"):
            claim.action_credit_note()
        self.assertFalse(self.claim.return_picking_ids)
        self.assertFalse(self.claim.credit_note_ids)

    def test_nothing_to_return_without_a_delivered_order(self):
        claim = self._ticket(
            partner_id=self.customer_colleague.id,
            type_id=self.env.ref("customer_care.care_ticket_type_return").id,
        )
        with self.assertRaisesRegex(UserError, "No delivered order"):
            claim.with_user(self.user_agent_sales).action_return_picking()
        self.assertFalse(claim.return_picking_ids)
