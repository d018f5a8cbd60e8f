"""Sales side of tickets: the customer's orders a ticket is about, what the
agent and the customer see of them, the quotation a product question becomes,
and the return and credit note of an after-sales ticket.

Fields and helpers that ``care.ticket`` (models/care_ticket.py), the portal
and intake controllers and the wizards call by name; no ORM override lives
here.

Access, in one place:

* Linking: only orders of the ticket's commercial customer and company
  (``_check_sale_orders``, plus the field's domain in the form). Intake
  (mail, portal, public form) links through ``_link_orders_from_text``, which
  looks only among that customer's orders: a reference of someone else's
  order links nothing and is answered by nothing.
* Reading: the summary of the linked orders (``sale_order_summary``) is read
  with ``sudo()`` from the linked orders of a ticket the reader may read, so a
  care agent without sales rights sees it without an access error; the order
  form itself stays behind the sales groups.
* Acting (quotation, return, credit note): the agent's own rights on sales,
  inventory and invoicing decide, checked first with a clear message.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import clean_context, format_amount, format_date, format_datetime

from ..lib.orderref import order_ref_candidates

# Linked orders found in one message, at most.
MAX_LINKED_PER_MESSAGE = 5


class CareTicketSale(models.AbstractModel):
    _name = "care.ticket.sale"
    _description = "Ticket Sales Links"

    sale_order_ids = fields.Many2many(
        "sale.order",
        "care_ticket_sale_order_rel",
        "ticket_id",
        "order_id",
        string="Sales Orders",
        copy=False,
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id)]",
        help="Orders of this ticket's customer that the request is about.",
    )
    sale_order_count = fields.Integer(
        string="Orders", compute="_compute_sale_order_summary"
    )
    sale_order_summary = fields.Html(
        string="Orders Summary",
        compute="_compute_sale_order_summary",
        sanitize=False,
        help="State, deliveries, invoices and amounts of the linked orders.",
    )
    product_ids = fields.Many2many(
        "product.product",
        "care_ticket_product_rel",
        "ticket_id",
        "product_id",
        string="Products",
        copy=False,
        domain="[('sale_ok', '=', True)]",
        help="Products the request is about: the products asked about, or the "
        "products of the order concerned.",
    )

    # ---- product questions become sales (types with sale_flow "quotation") ----
    product_availability = fields.Html(
        compute="_compute_product_availability",
        sanitize=False,
        help="On hand, forecast and the delivery date that can be promised for "
        "each product, in the warehouse of the ticket's company.",
    )
    quotation_ids = fields.One2many(
        "sale.order", "care_source_ticket_id", string="Quotations"
    )
    # ---- after-sales (types with sale_flow "after_sales") ----
    return_picking_ids = fields.Many2many(
        "stock.picking",
        "care_ticket_return_picking_rel",
        "ticket_id",
        "picking_id",
        string="Returns",
        copy=False,
        readonly=True,
        help="Returns of delivered goods started from this ticket.",
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "care_ticket_credit_note_rel",
        "ticket_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
        help="Credit notes (reversals of customer invoices) issued from this ticket.",
    )

    @api.depends("sale_order_ids")
    def _compute_sale_order_summary(self):
        for ticket in self:
            digest = ticket._sale_order_digest()
            ticket.sale_order_count = len(digest)
            ticket.sale_order_summary = (
                ticket._render_order_summary(digest) if digest else False
            )

    # The amount is taken when the state changes (confirmation): depending on
    # sale.order.amount_untaxed (not precomputed) would cost every new ticket
    # an UPDATE of its row after the INSERT.
    @api.depends("quotation_ids.state")
    def _compute_conversion(self):
        for ticket in self:
            quotations = ticket.quotation_ids
            confirmed = quotations.filtered(lambda o: o.state == "sale")
            ticket.quotation_count = len(quotations)
            ticket.is_converted = bool(confirmed)
            ticket.converted_amount = sum(
                order.currency_id._convert(
                    order.amount_untaxed,
                    ticket.company_id.currency_id,
                    ticket.company_id,
                    fields.Date.to_date(order.date_order),
                )
                for order in confirmed
            )

    @api.depends("product_ids")
    def _compute_product_availability(self):
        for ticket in self:
            rows = ticket._product_availability() if ticket.product_ids else []
            ticket.product_availability = (
                ticket._render_availability(rows) if rows else False
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("sale_order_ids", "partner_id", "company_id")
    def _check_sale_orders(self):
        for ticket in self:
            # sudo: checks the orders just linked; the agent may lack sales
            # rights, the rule (same customer, same company) must still hold.
            orders = ticket.sudo().sale_order_ids
            if not orders:
                continue
            customer = ticket.commercial_partner_id
            foreign = orders.filtered(
                lambda o, c=customer, t=ticket: (
                    o.partner_id.commercial_partner_id != c
                    or o.company_id != t.company_id
                )
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: only orders of its customer "
                        "(%(customer)s) in its company can be linked. Not: "
                        "%(orders)s.",
                        ticket=ticket.display_name,
                        customer=customer.display_name or self.env._("no customer set"),
                        orders=", ".join(foreign.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # Linking at intake (mail, portal, public form)
    # ------------------------------------------------------------------

    @api.model
    def _match_customer_orders(self, texts, customer, company, email=None):
        """Orders of ``customer``'s commercial partner in ``company`` named
        in ``texts`` (by their number or the customer's own reference).

        One query on ``sale_order`` (its partner index, through the
        commercial partner's index on ``res_partner``), after a regex picked
        the candidate words (``lib/orderref.py``). With ``email`` (the public
        form), the order's customer must also have this address."""
        candidates = order_ref_candidates(*texts)
        commercial = customer.commercial_partner_id
        if not candidates or not commercial:
            return self.env["sale.order"]
        domain = (
            Domain("partner_id.commercial_partner_id", "=", commercial.id)
            & Domain("company_id", "=", company.id)
            & (
                Domain("name", "in", candidates)
                | Domain("client_order_ref", "in", candidates)
            )
        )
        if email:
            domain &= Domain("partner_id.email_normalized", "=", email)
        # sudo: the search is bound to this customer's own orders above; the
        # caller (mail gateway, portal customer, visitor) may not read orders.
        return (
            self.env["sale.order"]
            .sudo()
            .search(domain, order="id desc", limit=MAX_LINKED_PER_MESSAGE)
        )

    def _link_orders_from_text(self, *texts, email=None):
        """Link to each ticket the orders of its customer named in ``texts``;
        return the orders newly linked. Orders of other customers are never
        found, so nothing tells whether a guessed reference exists."""
        linked = self.env["sale.order"]
        for ticket in self:
            if not ticket.partner_id:
                continue
            orders = self._match_customer_orders(
                texts, ticket.partner_id, ticket.company_id, email=email
            )
            # sudo: reading the current links; the gateway user may lack
            # sales rights.
            orders -= ticket.sudo().sale_order_ids
            if orders:
                # sudo: only orders of the ticket's own customer (found above).
                ticket.sudo().write(
                    {"sale_order_ids": [Command.link(o.id) for o in orders]}
                )
                linked |= orders
        return linked

    # ------------------------------------------------------------------
    # What the agent and the customer see of the orders
    # ------------------------------------------------------------------

    def _sale_order_digest(self, customer_only=False):
        """The linked orders as plain values, newest first: state, deliveries,
        invoices, amounts. One definition for the ticket form's summary and
        the customer's portal page.

        sudo: the orders are those linked to this ticket, which the caller may
        read (a form, or the portal after ``_document_check_access``); a care
        agent without sales rights sees this digest, not the orders.
        ``customer_only`` keeps only the orders of the ticket's customer (the
        portal's second lock besides ``_check_sale_orders``)."""
        self.ensure_one()
        orders = self.sudo().sale_order_ids.sorted("id", reverse=True)
        if customer_only:
            customer = self.sudo().commercial_partner_id
            orders = orders.filtered(
                lambda o: customer and o.partner_id.commercial_partner_id == customer
            )
        if not orders:
            return []
        env = self.env
        labels = {
            name: dict(field._description_selection(env))
            for name, field in (
                ("order", orders._fields["state"]),
                ("delivery", orders._fields["delivery_status"]),
                ("invoice", orders._fields["invoice_status"]),
                ("picking", env["stock.picking"]._fields["state"]),
                ("move", env["account.move"]._fields["state"]),
                ("payment", env["account.move"]._fields["payment_state"]),
            )
        }
        has_tracking = "carrier_tracking_ref" in env["stock.picking"]._fields
        # One read of the orders' columns shown, one search for the deliveries
        # and returns of all of them (instead of every picking of each order,
        # then its type, filtered in Python); invoices through Odoo's own
        # invoice_ids, prefetched for all the orders at once.
        orders.fetch(
            [
                "name",
                "client_order_ref",
                "date_order",
                "state",
                "delivery_status",
                "effective_date",
                "invoice_status",
                "amount_total",
                "currency_id",
            ]
        )
        picking_fields = [
            "sale_id",
            "name",
            "state",
            "scheduled_date",
            "date_done",
            "return_id",
        ]
        if has_tracking:
            picking_fields.append("carrier_tracking_ref")
        pickings_by_order = {}
        # orders.env is sudo (see above): the deliveries of the linked orders
        # only, for an agent who may lack inventory rights.
        for picking in orders.env["stock.picking"].search_fetch(
            [
                ("sale_id", "in", orders.ids),
                ("state", "!=", "cancel"),
                "|",
                ("picking_type_code", "=", "outgoing"),
                ("return_id", "!=", False),
            ],
            picking_fields,
        ):
            pickings_by_order.setdefault(picking.sale_id.id, []).append(picking)
        digest = []
        for order in orders:
            pickings = pickings_by_order.get(order.id, [])
            invoices = order.invoice_ids.filtered(
                lambda m: (
                    m.state != "cancel" and m.move_type in ("out_invoice", "out_refund")
                )
            )
            undelivered = [p for p in pickings if p.state != "done"]
            digest.append(
                {
                    "id": order.id,
                    "name": order.name,
                    "client_ref": order.client_order_ref or "",
                    "date": order.date_order,
                    "state": labels["order"].get(order.state, ""),
                    "state_key": order.state,
                    "delivery": labels["delivery"].get(order.delivery_status, "")
                    if order.delivery_status
                    else "",
                    "delivery_key": order.delivery_status or "",
                    "expected_date": min(p.scheduled_date for p in undelivered)
                    if undelivered
                    else False,
                    "delivered_date": order.effective_date,
                    "invoice": labels["invoice"].get(order.invoice_status, ""),
                    "amount_total": format_amount(
                        env, order.amount_total, order.currency_id
                    ),
                    "pickings": [
                        {
                            "name": p.name,
                            "state": labels["picking"].get(p.state, ""),
                            "state_key": p.state,
                            "scheduled": p.scheduled_date,
                            "done": p.date_done,
                            "tracking": (p.carrier_tracking_ref or "")
                            if has_tracking
                            else "",
                            "is_return": bool(p.return_id),
                        }
                        for p in pickings
                    ],
                    "invoices": [
                        {
                            "name": m.name,
                            "is_refund": m.move_type == "out_refund",
                            "state": labels["move"].get(m.state, ""),
                            "payment": labels["payment"].get(m.payment_state, "")
                            if m.state == "posted"
                            else "",
                            "payment_key": m.payment_state,
                            "amount": format_amount(env, m.amount_total, m.currency_id),
                            "residual": format_amount(
                                env, m.amount_residual, m.currency_id
                            ),
                            "due": m.invoice_date_due,
                        }
                        for m in invoices
                    ],
                }
            )
        return digest

    def _render_order_summary(self, digest):
        """The digest as a small HTML table for the ticket form (built here:
        values are escaped by Markup; no template round trip per form load)."""
        env = self.env
        rows = []
        for order in digest:
            deliveries = Markup("<br/>").join(
                Markup("%s: %s%s%s%s")
                % (
                    (
                        env._("Return %(name)s", name=p["name"])
                        if p["is_return"]
                        else p["name"]
                    ),
                    p["state"],
                    (
                        Markup(" · ")
                        + env._(
                            "planned %(date)s",
                            date=format_datetime(env, p["scheduled"]),
                        )
                        if p["scheduled"] and not p["done"]
                        else ""
                    ),
                    (
                        Markup(" · ")
                        + env._("done %(date)s", date=format_datetime(env, p["done"]))
                        if p["done"]
                        else ""
                    ),
                    (
                        Markup(" · ") + env._("tracking %(ref)s", ref=p["tracking"])
                        if p["tracking"]
                        else ""
                    ),
                )
                for p in order["pickings"]
            )
            invoices = Markup("<br/>").join(
                Markup("%s: %s%s · %s")
                % (
                    (
                        env._("Credit note %(name)s", name=m["name"])
                        if m["is_refund"]
                        else m["name"]
                    ),
                    m["state"],
                    Markup(", ") + m["payment"] if m["payment"] else "",
                    m["amount"],
                )
                for m in order["invoices"]
            )
            rows.append(
                Markup(
                    "<tr><td><strong>%s</strong>%s<br/><small>%s</small></td>"
                    "<td>%s</td><td>%s%s</td><td>%s%s</td>"
                    "<td class='text-end text-nowrap'>%s</td></tr>"
                )
                % (
                    order["name"],
                    Markup(" <small class='text-muted'>(%s)</small>")
                    % order["client_ref"]
                    if order["client_ref"]
                    else "",
                    format_date(env, order["date"]),
                    order["state"],
                    Markup("<strong>%s</strong><br/>") % order["delivery"]
                    if order["delivery"]
                    else "",
                    deliveries or env._("No delivery"),
                    Markup("<strong>%s</strong><br/>") % order["invoice"]
                    if order["invoice"]
                    else "",
                    invoices or env._("No invoice"),
                    order["amount_total"],
                )
            )
        head = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th class='text-end'>%s</th></tr></thead>"
        ) % (
            env._("Order"),
            env._("Status"),
            env._("Delivery"),
            env._("Invoices"),
            env._("Total"),
        )
        return Markup(
            "<table class='table table-sm o_care_order_summary mb-0'>"
            "%s<tbody>%s</tbody></table>"
        ) % (head, Markup("").join(rows))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_sale_orders(self):
        self.ensure_one()
        if not self.env["sale.order"].has_access("read"):
            raise UserError(
                self.env._(
                    "You need access to Sales to open orders. The ticket shows "
                    "their summary on the Orders tab."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        orders = self.sale_order_ids
        action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {"create": False}
        if len(orders) == 1:
            action.update(views=[(False, "form")], res_id=orders.id)
        return action

    def action_create_quotation(self):
        """A quotation for the customer with the products asked about, linked
        to the ticket (its confirmation counts as the ticket's conversion)."""
        self.ensure_one()
        if not self.env["sale.order"].has_access("create"):
            raise UserError(
                self.env._(
                    "You need Sales rights to create a quotation. Ask a "
                    "salesperson, or your administrator for the rights."
                )
            )
        if not self.partner_id:
            raise UserError(self.env._("Set the customer of the ticket first."))
        # The form's context may carry defaults for the ticket (a ticket
        # opened from an order: default_name...): not for the quotation.
        Order = self.env["sale.order"].with_context(clean_context(self.env.context))
        order = Order.create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.number,
                "care_source_ticket_id": self.id,
                "order_line": [
                    Command.create({"product_id": product.id})
                    for product in self.product_ids
                ],
            }
        )
        self.sale_order_ids = [Command.link(order.id)]
        self.message_post(
            body=self.env._("Quotation %(order)s created.", order=order.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_return_picking(self):
        """Odoo's return wizard on the latest done delivery of the linked
        orders; the return it creates is linked to the ticket
        (wizard/stock_return_picking.py)."""
        self.ensure_one()
        if not (
            self.env["stock.return.picking"].has_access("create")
            and self.env["stock.picking"].has_access("create")
        ):
            raise UserError(
                self.env._(
                    "You need Inventory rights to return goods. Ask the "
                    "warehouse team, or your administrator for the rights."
                )
            )
        # sudo: only the ids of the linked orders' deliveries; they are read
        # below with the agent's own (inventory) rights.
        picking_ids = self.sudo().sale_order_ids.picking_ids.ids
        pickings = (
            self.env["stock.picking"]
            .browse(picking_ids)
            ._filtered_access("read")
            .filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing")
        )
        if not pickings:
            raise UserError(
                self.env._(
                    "No delivered order to return: link the customer's order "
                    "(with a done delivery) to the ticket first."
                )
            )
        picking = pickings.sorted(lambda p: (p.date_done, p.id))[-1]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.act_stock_return_picking"
        )
        action["context"] = {
            "active_id": picking.id,
            "active_ids": picking.ids,
            "active_model": "stock.picking",
            "care_ticket_id": self.id,
        }
        return action

    def action_credit_note(self):
        """Odoo's reversal wizard on the posted customer invoices of the
        linked orders; the credit notes it creates are linked to the ticket
        (wizard/account_move_reversal.py)."""
        self.ensure_one()
        if not (
            self.env["account.move.reversal"].has_access("create")
            and self.env["account.move"].has_access("create")
        ):
            raise UserError(
                self.env._(
                    "You need Invoicing rights to issue a credit note. Ask "
                    "the accounting team, or your administrator for the rights."
                )
            )
        # sudo: only the ids of the linked orders' invoices; they are read
        # below with the agent's own (invoicing) rights.
        invoice_ids = self.sudo().sale_order_ids.invoice_ids.ids
        invoices = (
            self.env["account.move"]
            .browse(invoice_ids)
            ._filtered_access("read")
            .filtered(
                lambda m: (
                    m.move_type == "out_invoice"
                    and m.state == "posted"
                    and m.payment_state != "reversed"
                )
            )
        )
        if not invoices:
            raise UserError(
                self.env._(
                    "No posted invoice to credit: link the customer's invoiced "
                    "order to the ticket first."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_view_account_move_reversal"
        )
        action["context"] = {
            "active_model": "account.move",
            "active_ids": invoices.ids,
            "care_ticket_id": self.id,
        }
        return action

    # ------------------------------------------------------------------
    # Helpers of the after-sales wizards and of availability
    # ------------------------------------------------------------------

    @api.model
    def _link_after_sales(self, ticket_id, pickings=None, moves=None):
        """Link a return or credit notes that a wizard created from a ticket
        (its id in the context: ``care_ticket_id``) to that ticket, with a
        note in its chatter. The agent must be allowed to edit the ticket."""
        ticket = self.env["care.ticket"].browse(ticket_id).exists()
        if not ticket:
            return
        ticket.check_access("write")
        if pickings:
            ticket.return_picking_ids = [Command.link(p.id) for p in pickings]
            ticket.message_post(
                body=self.env._(
                    "Return %(names)s started from this ticket.",
                    names=", ".join(pickings.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        if moves:
            ticket.credit_note_ids = [Command.link(m.id) for m in moves]
            ticket.message_post(
                body=self.env._(
                    "Credit note %(names)s issued from this ticket.",
                    # A draft credit note has no number yet: its display name.
                    names=", ".join(moves.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _availability_warehouse(self):
        self.ensure_one()
        return (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )

    def _product_availability(self):
        """For each product: on hand, forecast and the date a delivery can be
        promised (today plus the product's customer lead time and the
        company's security lead when in stock, else after the next receipt).

        sudo: stock figures of the products on a ticket the agent reads; an
        agent without inventory rights sees these numbers, not the stock."""
        self.ensure_one()
        warehouse = self._availability_warehouse()
        products = self.product_ids.sudo().with_context(
            warehouse_id=warehouse.id if warehouse else False
        )
        today = fields.Datetime.now()
        lead = self.company_id.sudo().security_lead or 0
        rows = []
        for product in products:
            free = product.free_qty
            date = False
            if free >= 1:
                date = today + timedelta(days=(product.sale_delay or 0) + lead)
            elif warehouse:
                incoming = (
                    self.env["stock.move"]
                    .sudo()
                    .search(
                        [
                            ("product_id", "=", product.id),
                            ("state", "not in", ("draft", "done", "cancel")),
                            ("location_dest_id.warehouse_id", "=", warehouse.id),
                            ("location_id.usage", "not in", ("internal", "transit")),
                        ],
                        order="date",
                        limit=1,
                    )
                )
                if incoming:
                    date = incoming.date + timedelta(
                        days=(product.sale_delay or 0) + lead
                    )
            rows.append(
                {
                    "product": product.display_name,
                    "on_hand": product.qty_available,
                    "forecast": product.virtual_available,
                    "free": free,
                    "uom": product.uom_id.name,
                    "date": date,
                }
            )
        return rows

    def _render_availability(self, rows):
        env = self.env
        body = Markup("").join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td>%s</td></tr>"
            )
            % (
                row["product"],
                f"{row['on_hand']:g} {row['uom']}",
                f"{row['forecast']:g} {row['uom']}",
                format_date(env, row["date"])
                if row["date"]
                else env._("Not available, no receipt planned"),
            )
            for row in rows
        )
        head = Markup(
            "<thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th>%s</th></tr></thead>"
        ) % (
            env._("Product"),
            env._("On Hand"),
            env._("Forecast"),
            env._("Delivery Possible On"),
        )
        return Markup(
            "<table class='table table-sm o_care_availability mb-0'>"
            "%s<tbody>%s</tbody></table>"
        ) % (head, body)
