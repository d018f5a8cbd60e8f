from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from .care_ticket import PRIORITIES


class CareMacro(models.Model):
    """One click on a ticket: a reply to the customer, field changes and a
    follow-up, defined once by a manager and applied by agents
    (``care.ticket.apply.macro``).

    The reply is either an email template on tickets (rendered in the
    customer's language through the template's own ``lang``) or the macro's
    translated ``body``, read in the customer's language."""

    _name = "care.macro"
    _description = "Ticket Macro"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to offer the macro in every company.",
    )
    description = fields.Text(
        translate=True, help="When to use it, shown to agents when they choose."
    )
    # ---- reply ----
    template_id = fields.Many2one(
        "mail.template",
        string="Reply Template",
        domain=[("model", "=", "care.ticket")],
        help="Email template posted as the reply; rendered in the customer's "
        "language. Takes precedence over the reply text below.",
    )
    body = fields.Html(
        string="Reply",
        translate=True,
        help="Reply posted to the customer, in the customer's language when it "
        "is translated.",
    )
    # ---- changes ----
    stage_id = fields.Many2one("care.stage", string="Set Stage")
    type_id = fields.Many2one("care.ticket.type", string="Set Type")
    tag_ids = fields.Many2many(
        "care.tag",
        "care_macro_tag_rel",
        "macro_id",
        "tag_id",
        string="Add Tags",
    )
    priority = fields.Selection(PRIORITIES, string="Set Priority")
    team_id = fields.Many2one("care.team", string="Set Team", check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assign to",
        domain="[('share', '=', False)]",
    )
    assign_to_me = fields.Boolean(
        string="Assign to the Agent Applying It",
        help="The ticket goes to whoever applies the macro (overrides 'Assign to').",
    )
    # ---- follow-up ----
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up",
        domain="[('res_model', 'in', [False, 'care.ticket'])]",
    )
    activity_delay_days = fields.Integer(
        string="Follow-up in (days)",
        default=1,
        help="Days from the application of the macro to the follow-up's due date.",
    )
    activity_note = fields.Char(string="Follow-up Note", translate=True)
    use_count = fields.Integer(
        string="Used", readonly=True, copy=False, help="Times agents applied it."
    )

    _activity_delay_positive = models.Constraint(
        "CHECK (activity_delay_days >= 0)",
        "The follow-up delay cannot be negative.",
    )

    def _apply(self, ticket):
        """Apply the macro to ``ticket``, as the current user: the field
        changes, then the reply, then the follow-up; the use is counted."""
        self.ensure_one()
        ticket.ensure_one()
        ticket.check_access("write")
        if self.company_id and self.company_id != ticket.company_id:
            raise UserError(
                self.env._(
                    "The macro “%(macro)s” belongs to another company than the ticket.",
                    macro=self.name,
                )
            )
        vals = self._ticket_vals()
        if vals:
            ticket.write(vals)
        self._post_reply(ticket)
        self._schedule_follow_up(ticket)
        # sudo: agents use macros, only managers edit them; the counter is a
        # statistic every use adds to.
        self.sudo().use_count += 1

    def _ticket_vals(self):
        vals = {}
        if self.team_id:
            vals["team_id"] = self.team_id.id
        if self.stage_id:
            vals["stage_id"] = self.stage_id.id
        if self.type_id:
            vals["type_id"] = self.type_id.id
        if self.priority:
            vals["priority"] = self.priority
        if self.assign_to_me:
            vals["user_id"] = self.env.uid
        elif self.user_id:
            vals["user_id"] = self.user_id.id
        if self.tag_ids:
            vals["tag_ids"] = [(4, tag.id) for tag in self.tag_ids]
        return vals

    def _post_reply(self, ticket):
        if self.template_id:
            ticket.message_post_with_source(
                self.template_id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            return
        lang = ticket.partner_id.lang or self.env.lang
        body = self.with_context(lang=lang).body
        if not is_html_empty(body):
            ticket.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _schedule_follow_up(self, ticket):
        """The follow-up through the tickets' follow-up API
        (models/care_follow_up.py): one open follow-up of a kind per ticket,
        for the ticket's agent (else whoever applies the macro)."""
        if not self.activity_type_id:
            return
        ticket._schedule_follow_up(
            self.activity_type_id,
            due_at=fields.Datetime.now() + timedelta(days=self.activity_delay_days),
            user=ticket.user_id or self.env.user,
            # The note is for the agent: in the agent's language (self.env).
            note=self.activity_note or None,
            reason=self.name,
        )
