"""Odoo's return wizard, started from a care ticket: the return is linked
back to the ticket (``care_ticket_id`` in the context)."""

from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _create_return(self):
        picking = super()._create_return()
        ticket_id = self.env.context.get("care_ticket_id")
        if ticket_id:
            self.env["care.ticket"]._link_after_sales(ticket_id, pickings=picking)
        return picking
