from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CareCommon


class CareSaleCommon(CareCommon):
    """Orders of two customers (company Minh An, and Võ Thị Mai), stocked
    products, and two agents: one with sales, inventory and invoicing rights,
    one (``cc_agent``) with care rights only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_agent_sales = mail_new_test_user(
            cls.env,
            login="cc_agent_sales",
            name="Bùi Thị Hạnh",
            email="hanh@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user,"
            "sales_team.group_sale_salesman_all_leads,stock.group_stock_user,"
            "account.group_account_invoice",
        )
        cls.team.member_ids |= cls.user_agent_sales
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        Product = cls.env["product.product"]
        cls.fridge = Product.create(
            {
                "name": "Tủ lạnh Inverter 300L",
                "type": "consu",
                "is_storable": True,
                "list_price": 9_000_000,
                "sale_delay": 2,
            }
        )
        cls.fan = Product.create(
            {
                "name": "Quạt đứng",
                "type": "consu",
                "is_storable": True,
                "list_price": 800_000,
            }
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.fridge, cls.warehouse.lot_stock_id, 10)
        cls.order_a = cls._order(cls.customer_colleague, client_order_ref="PO-MA-17")
        cls.order_a2 = cls._order(cls.customer_company, product=cls.fan)
        cls.order_b = cls._order(cls.other_customer)

    @classmethod
    def _order(cls, partner, product=None, qty=1, confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": (product or cls.fridge).id,
                            "product_uom_qty": qty,
                        },
                    )
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, order):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        return picking

    @classmethod
    def _invoice(cls, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice
