from odoo import fields, models

from ..models.care_consent_event import PURPOSES


class CareConsentUpdate(models.TransientModel):
    """An agent records what a customer told them (phone, counter, letter):
    a consent event of channel "agent", with the agent's note as proof."""

    _name = "care.consent.update"
    _description = "Record a Customer's Consent"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    purpose = fields.Selection(PURPOSES, required=True, default="marketing")
    decision = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        required=True,
        default="withdrawn",
    )
    note = fields.Text(
        required=True,
        help="How the customer told you: call, visit, letter, and when.",
    )
    erase_journal = fields.Boolean(
        string="Erase the existing emotion journal",
        help="The customer also asks that what was recorded so far be erased "
        "(Customer Care administrators only).",
    )

    def action_apply(self):
        self.ensure_one()
        given = self.decision == "given"
        self.env["care.consent.event"]._record(
            self.partner_id, self.purpose, given, "agent", proof=self.note
        )
        if self.erase_journal and self.purpose == "emotion" and not given:
            return (
                self.partner_id.commercial_partner_id.action_care_erase_emotion_data()
            )
        return {"type": "ir.actions.act_window_close"}
