from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty

from ..models.care_ticket import PRIORITIES


class CareTicketLogContact(models.TransientModel):
    _name = "care.ticket.log.contact"
    _description = "Log a Call or Chat"

    channel = fields.Selection(
        [("phone", "Phone"), ("chat", "Chat"), ("walk_in", "Walk-in")],
        required=True,
        default="phone",
    )
    partner_id = fields.Many2one("res.partner", string="Customer")
    phone = fields.Char()
    email = fields.Char()
    ticket_id = fields.Many2one(
        "care.ticket",
        domain="[('partner_id', 'child_of', partner_id)]",
        help="Add the notes to this ticket; leave empty to open a new one.",
    )
    subject = fields.Char()
    notes = fields.Html(required=True)
    team_id = fields.Many2one(
        "care.team", default=lambda self: self.env["care.ticket"]._default_team_id()
    )
    type_id = fields.Many2one("care.ticket.type")
    priority = fields.Selection(PRIORITIES, default="1", required=True)

    @api.onchange("phone")
    def _onchange_phone(self):
        if self.phone and not self.partner_id:
            self.partner_id = self.env["res.partner"]._care_find_by_phone(self.phone)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.phone = self.phone or self.partner_id.phone
            self.email = self.email or self.partner_id.email
            if self.ticket_id and self.ticket_id.partner_id != self.partner_id:
                self.ticket_id = False

    def action_log(self):
        self.ensure_one()
        if is_html_empty(self.notes):
            raise UserError(self.env._("Write what the customer said."))
        partner = self.partner_id
        Ticket = self.env["care.ticket"]
        if not partner and (self.email or self.phone):
            partner = Ticket._find_or_create_partner(self.email, self.phone)
        channel_label = dict(self._fields["channel"]._description_selection(self.env))[
            self.channel
        ]
        header = self.env._(
            "%(channel)s logged by %(agent)s",
            channel=channel_label,
            agent=self.env.user.name,
        )
        if self.ticket_id:
            ticket = self.ticket_id
            ticket.message_post(
                body=Markup("<p><b>%s</b></p>%s") % (header, self.notes),
                subtype_xmlid="customer_care.mt_contact_logged",
                message_type="comment",
            )
        else:
            subject = (
                self.subject
                or (html2plaintext(self.notes).strip().splitlines() or [channel_label])[
                    0
                ][:80]
            )
            ticket = Ticket.create(
                {
                    "name": subject,
                    "description": self.notes,
                    "partner_id": partner.id,
                    "partner_phone": self.phone or partner.phone,
                    "team_id": self.team_id.id,
                    "type_id": self.type_id.id,
                    "priority": self.priority,
                    "channel": self.channel,
                    "user_id": self.env.uid,
                }
            )
            # The notes are the description; the note dates the contact (the
            # customer's 360° timeline lists it as a call).
            ticket.message_post(
                body=Markup("<p><b>%s</b></p>") % header,
                subtype_xmlid="customer_care.mt_contact_logged",
                message_type="comment",
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "care.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
