"""Plays the sales history of the demo (data/care_sale_demo.xml) on dates
relative to the install, the way a shop lives it: confirm, deliver (late or
not), invoice, get paid, take a product back; then links the demo tickets to
their orders and opportunities. Called once, by the demo data file."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

VND_PER_UNIT = 26000.0  # the đồng against the company currency when it has no rate
# order xml id: (days ago ordered, delivered, invoiced, paid or None)
ORDERS = {
    "sale_order_10412_demo": (85, 81, 81, 75),
    "sale_order_11876_demo": (56, 53, 53, 53),
    "sale_order_16057_demo": (45, 39, 38, None),  # overdue invoice
    "sale_order_13377_demo": (37, 30, 30, 28),  # delivered 3 days late
    "sale_order_15210_demo": (30, 27, 27, 27),  # returned, see RETURNS
    "sale_order_19001_demo": (25, 15, 15, 10),  # the quotation won from an enquiry
    "sale_order_16140_demo": (20, 9, 20, 20),  # delivered 5 days late, paid upfront
    "sale_order_12325_demo": (12, None, 12, None),  # promised 6 days ago, not delivered
    "sale_order_18667_demo": (8, None, None, None),  # on its way, promised in 2 days
}
# order xml id: (days ago the goods came back, the ticket that asked for it)
RETURNS = {"sale_order_15210_demo": (10, "care_ticket_demo_026")}
# ticket xml id: (order xml ids, opportunity xml id)
TICKETS = {
    "care_ticket_demo_001": (["sale_order_11876_demo"], None),
    "care_ticket_demo_003": (["sale_order_16057_demo"], None),
    "care_ticket_demo_011": (["sale_order_16140_demo"], "crm_lead_bao_aircon_demo"),
    "care_ticket_demo_014": (["sale_order_19001_demo"], None),
    "care_ticket_demo_016": (["sale_order_18667_demo"], None),
    "care_ticket_demo_018": (["sale_order_12325_demo"], None),
    "care_ticket_demo_026": (["sale_order_15210_demo"], "crm_lead_hai_tv_demo"),
}
LIST_PRICES = {  # in đồng
    "product_fridge_demo": 9490000,
    "product_washer_demo": 8290000,
    "product_aircon_demo": 10990000,
    "product_tv_demo": 12490000,
}
EXPECTED_REVENUE = {  # in đồng
    "crm_lead_bao_aircon_demo": 21980000,
    "crm_lead_hai_tv_demo": 12490000,
}


class CareSaleDemo(models.AbstractModel):
    _name = "care.sale.demo"
    _description = "Customer Care Sales Demo"

    def _ref(self, xmlid):
        return self.env.ref(f"customer_care.{xmlid}")

    @api.model
    def _play(self):
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                care_no_ack=True,
                care_no_scenario=True,
            )
        )
        self = self.with_env(env)
        company = self.env.company
        vnd = self.env.ref("base.VND")
        today = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        if company.currency_id != vnd and not vnd.rate_ids.filtered(
            lambda r: r.company_id == company
        ):
            self.env["res.currency.rate"].create(
                {
                    "currency_id": vnd.id,
                    "company_id": company.id,
                    "name": today.date() - relativedelta(years=1),
                    "rate": VND_PER_UNIT,
                }
            )

        def from_vnd(amount):
            return vnd._convert(amount, company.currency_id, company, today.date())

        for xmlid, price in LIST_PRICES.items():
            self._ref(xmlid).lst_price = from_vnd(price)
        for xmlid, revenue in EXPECTED_REVENUE.items():
            self._ref(xmlid).expected_revenue = from_vnd(revenue)

        for xmlid, (ordered, delivered, invoiced, paid) in ORDERS.items():
            order = self._ref(xmlid)
            order.action_confirm()
            order.date_order = today - relativedelta(days=ordered)
            if delivered is not None:
                self._deliver(order.picking_ids, today - relativedelta(days=delivered))
            if invoiced is not None:
                invoice = order._create_invoices()
                invoice.invoice_date = (today - relativedelta(days=invoiced)).date()
                invoice.action_post()
                if paid is not None:
                    self.env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    ).create(
                        {"payment_date": (today - relativedelta(days=paid)).date()}
                    )._create_payments()
        returns = {}
        for xmlid, (days, ticket_xmlid) in RETURNS.items():
            picking = self._return(self._ref(xmlid), today - relativedelta(days=days))
            returns[ticket_xmlid] = picking

        Entry = self.env["care.emotion.entry"]
        for xmlid, (orders, lead) in TICKETS.items():
            ticket = self.env.ref(f"customer_care.{xmlid}", raise_if_not_found=False)
            if not ticket:
                continue
            vals = {"sale_order_ids": [(4, self._ref(o).id) for o in orders]}
            if lead:
                vals["lead_id"] = self._ref(lead).id
            if xmlid in returns:
                # The ticket's return (models/care_ticket_sale.py), without the
                # note of the wizard: a note would be dated today.
                vals["return_picking_ids"] = [(4, returns[xmlid].id)]
            ticket.write(vals)
            # The journal of these tickets now knows the order and opportunity.
            for entry in Entry.search([("ticket_id", "=", ticket.id)]):
                entry.write(Entry._document_vals(ticket, entry.date))

    def _deliver(self, pickings, date):
        pickings.filtered(lambda p: p.state == "draft").action_confirm()
        for picking in pickings.filtered(lambda p: p.state not in ("done", "cancel")):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            # No backorder question, and no "send an SMS to the customer?"
            # question of stock_sms (the demo customers have phone numbers).
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
            picking.date_done = date

    def _return(self, order, date):
        picking = order.picking_ids.filtered(lambda p: p.state == "done")[:1]
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = line.move_id.quantity
        returned = wizard._create_return()
        self._deliver(returned, date)
        return returned
