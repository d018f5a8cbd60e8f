from odoo import api, fields, models

from ..models.care_emotion_entry import CAUSES
from ..models.care_emotion_label import EMOTION_LABELS


class CareTicketLogContact(models.TransientModel):
    """The customer's mood in the Log Call/Chat wizard: detected from the
    agent's notes as they type, changeable, and saved in the journal with the
    source "agent call note"."""

    _inherit = "care.ticket.log.contact"

    care_log_mood = fields.Boolean(string="Record Customer Mood", default=True)
    care_mood = fields.Selection(
        EMOTION_LABELS,
        string="Customer Mood",
        compute="_compute_care_mood",
        store=True,
        readonly=False,
        help="Detected from your notes; change it if the customer felt otherwise.",
    )
    care_mood_intensity = fields.Integer(
        string="Intensity", compute="_compute_care_mood", store=True, readonly=False
    )
    care_mood_cause = fields.Selection(CAUSES, string="Cause")

    @api.depends("notes")
    def _compute_care_mood(self):
        Entry = self.env["care.emotion.entry"]
        for wizard in self:
            values = Entry._values_from_text(wizard.notes or "")
            wizard.care_mood = values.get("label", "neutral")
            wizard.care_mood_intensity = values.get("intensity", 1)

    def action_log(self):
        action = super().action_log()
        if self.care_log_mood and self.care_mood and action.get("res_id"):
            ticket = self.env["care.ticket"].browse(action["res_id"])
            partner = ticket.partner_id or self.partner_id
            if partner:
                # What the detector says about the notes, to count the
                # agent's change as a correction.
                Entry = self.env["care.emotion.entry"]
                detected = Entry._values_from_text(self.notes or "")
                Entry.create(
                    Entry._entry_vals(
                        "call_note",
                        partner,
                        ticket=ticket,
                        values={
                            "label": self.care_mood,
                            "intensity": min(max(self.care_mood_intensity or 1, 1), 5),
                            "detected_label": detected.get("detected_label"),
                            "detected_intensity": detected.get("detected_intensity"),
                            "confidence": 1.0,
                        },
                        cause=self.care_mood_cause,
                        message_id=ticket.message_ids[:1].id
                        if self.ticket_id
                        else False,
                    )
                )
        return action
