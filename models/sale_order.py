"""Care tickets seen from the sales order."""

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    care_ticket_ids = fields.Many2many(
        "care.ticket",
        "care_ticket_sale_order_rel",
        "order_id",
        "ticket_id",
        string="Care Tickets",
        copy=False,
    )
