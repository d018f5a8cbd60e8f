from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.care_emotion_entry import CAUSES
from ..models.care_emotion_label import EMOTION_LABELS
from ..models.care_follow_up import schedule_follow_up
from ..models.mail_activity import FOLLOW_UP_OUTCOMES


class CareFollowUpLog(models.TransientModel):
    """ "Log outcome" of a follow-up: marks the activity done (Odoo's
    ``action_feedback``, which posts it on the record), keeps the outcome on
    the done activity, records the customer's emotion in the journal, and
    plans the next contact when the customer asked to be called later."""

    _name = "care.follow.up.log"
    _description = "Log a Follow-up Outcome"

    activity_id = fields.Many2one(
        "mail.activity",
        string="Follow-up",
        required=True,
        ondelete="cascade",
        domain=[("care_follow_up", "=", True)],
    )
    partner_id = fields.Many2one(related="activity_id.care_partner_id")
    outcome = fields.Selection(FOLLOW_UP_OUTCOMES, required=True, default="reached")
    notes = fields.Text(help="What the customer said, what you agreed.")
    log_emotion = fields.Boolean(string="Record Customer Mood", default=True)
    emotion = fields.Selection(
        EMOTION_LABELS,
        string="Customer Mood",
        compute="_compute_emotion",
        store=True,
        readonly=False,
        help="Detected from your notes; change it if the customer felt otherwise.",
    )
    intensity = fields.Integer(compute="_compute_emotion", store=True, readonly=False)
    cause = fields.Selection(CAUSES)
    next_due_at = fields.Datetime(
        string="Contact Again At",
        help="Plan the next contact of the same kind (for example when the "
        "customer asked to be called later).",
    )

    @api.depends("notes")
    def _compute_emotion(self):
        Entry = self.env["care.emotion.entry"]
        for wizard in self:
            values = Entry._values_from_text(wizard.notes or "")
            wizard.emotion = values.get("label", "neutral")
            wizard.intensity = values.get("intensity", 1)

    def action_log(self):
        self.ensure_one()
        activity = self.activity_id
        if not activity.active:
            raise UserError(self.env._("This follow-up is already done."))
        if self.next_due_at and self.next_due_at <= fields.Datetime.now():
            raise UserError(self.env._("The next contact must be in the future."))
        record = self.env[activity.res_model].browse(activity.res_id)
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[
            self.outcome
        ]
        feedback = self.env._("Outcome: %(outcome)s", outcome=outcome)
        if self.notes:
            feedback = f"{feedback}\n{self.notes}"
        activity.care_outcome = self.outcome
        activity_type = activity.activity_type_id
        # Read before the activity is done (archived).
        values = {
            "team": activity.care_team_id,
            "channel": activity.care_channel,
            "reason": activity.care_reason,
            "user": activity.user_id,
        }
        message_id = activity.action_feedback(feedback=feedback)
        entry = self._record_emotion(activity, record, message_id)
        if self.next_due_at:
            self._plan_next(record, activity_type, values)
        if entry and message_id:
            entry.message_id = message_id
        return {"type": "ir.actions.act_window_close"}

    def _record_emotion(self, activity, record, message_id):
        partner = activity.care_partner_id
        if not (self.log_emotion and self.emotion and partner):
            return self.env["care.emotion.entry"]
        company = record.company_id if "company_id" in record._fields else None
        # sudo: only the customer's consent state is read. A customer who
        # objected to emotion analysis gets no entry; the outcome is logged.
        if not partner.sudo()._care_consent_allows("emotion", company or None):
            return self.env["care.emotion.entry"]
        Entry = self.env["care.emotion.entry"]
        ticket = record if record._name == "care.ticket" else None
        extra = {}
        if not ticket and record._name != "res.partner":
            extra = {"res_model": record._name, "res_id": record.id}
        detected = Entry._values_from_text(self.notes or "")
        source = "call_note" if activity.care_channel in (False, "phone") else "manual"
        return Entry.create(
            Entry._entry_vals(
                source,
                partner,
                ticket=ticket,
                values={
                    "label": self.emotion,
                    "intensity": min(max(self.intensity or 1, 1), 5),
                    "detected_label": detected.get("detected_label"),
                    "detected_intensity": detected.get("detected_intensity"),
                    "confidence": 1.0,
                },
                cause=self.cause,
                note=self.notes or False,
                **extra,
            )
        )

    def _plan_next(self, record, activity_type, values):
        note = Markup("<p>%s</p>") % self.env._(
            "Planned when logging the previous contact."
        )
        if record._name == "care.ticket":
            record._schedule_follow_up(
                activity_type,
                due_at=self.next_due_at,
                user=values["user"],
                channel=values["channel"],
                reason=values["reason"],
                note=note,
            )
        elif record._name == "res.partner":
            record._care_schedule_follow_up(
                activity_type,
                due_at=self.next_due_at,
                user=values["user"],
                channel=values["channel"],
                reason=values["reason"],
                note=note,
                team=values["team"],
            )
        else:  # a follow-up on another document of the customer (an order)
            schedule_follow_up(
                record,
                activity_type,
                team=values["team"],
                company=values["team"].company_id or self.env.company,
                user=values["user"],
                due_at=self.next_due_at,
                note=note,
                channel=values["channel"],
                reason=values["reason"],
            )
