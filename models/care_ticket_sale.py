"""Sales side of tickets: the customer's orders a ticket is about. Fields and
helpers that ``care.ticket`` (models/care_ticket.py) calls by name; no ORM
override lives here."""

from odoo import fields, models


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
        help="Orders of this ticket's customer that the request is about.",
    )
