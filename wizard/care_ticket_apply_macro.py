from odoo import fields, models


class CareTicketApplyMacro(models.TransientModel):
    """The "Macros" button of the ticket form: choose a macro, see what it
    does, apply it."""

    _name = "care.ticket.apply.macro"
    _description = "Apply a Macro"

    ticket_id = fields.Many2one("care.ticket", required=True, readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id")
    macro_id = fields.Many2one(
        "care.macro",
        required=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    description = fields.Text(related="macro_id.description")
    body = fields.Html(related="macro_id.body", string="Reply")
    template_id = fields.Many2one(related="macro_id.template_id")

    def action_apply(self):
        self.ensure_one()
        self.macro_id._apply(self.ticket_id)
        return {"type": "ir.actions.act_window_close"}
