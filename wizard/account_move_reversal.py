"""Odoo's reversal wizard, started from a care ticket: the credit notes are
linked back to the ticket (``care_ticket_id`` in the context)."""

from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        action = super().reverse_moves(is_modify=is_modify)
        ticket_id = self.env.context.get("care_ticket_id")
        if ticket_id:
            # With "modify", new_move_ids are the new invoices: the credit
            # notes are then the reversals of the original invoices.
            refunds = (self.new_move_ids | self.move_ids.reversal_move_ids).filtered(
                lambda m: m.move_type == "out_refund"
            )
            self.env["care.ticket"]._link_after_sales(ticket_id, moves=refunds)
        return action
