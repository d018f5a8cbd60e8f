"""CRM side of tickets: the opportunity a ticket became. Fields and helpers
that ``care.ticket`` (models/care_ticket.py) inherits; no ORM override lives
here."""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

# The customer's words copied into a new opportunity: the last ones are enough
# for the salesperson, and the note stays readable.
CONVERSATION_MAX_MESSAGES = 20


class CareTicketCrm(models.AbstractModel):
    _name = "care.ticket.crm"
    _description = "Ticket CRM Links"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        copy=False,
        check_company=True,
        ondelete="set null",
        help="The opportunity this ticket became, or the one it was opened from.",
    )

    def action_care_convert_opportunity(self):
        """Convert the ticket into an opportunity for its customer.

        The ticket stays open (the customer may still need care) and is linked
        to the opportunity both ways. The conversation goes with it the way
        Odoo's own conversions keep history: the opportunity's chatter gets one
        note with a link to the ticket and the customer's messages (author,
        date, text; the last ``CONVERSATION_MAX_MESSAGES``), and the ticket a
        note with a link to the opportunity. A ticket converted already opens
        its opportunity. The opportunity goes to the customer's salesperson
        (to the user herself when she sees her own pipeline only). Creating
        it needs the rights Odoo's sales groups give: the ORM refuses
        otherwise."""
        self.ensure_one()
        if self.lead_id:
            return self.lead_id._care_form_action()
        if not self.partner_id:
            raise UserError(
                self.env._("Set the customer of the ticket before converting it.")
            )
        partner = self.partner_id
        salesperson = partner.user_id or partner.commercial_partner_id.user_id
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            # A salesperson who sees only her own pipeline may not assign
            # opportunities to others: it is hers, as in CRM.
            salesperson = self.env.user
        vals = {
            "name": self.name,
            "type": "opportunity",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "description": self.description,
        }
        if salesperson:
            vals["user_id"] = salesperson.id
        lead = self.env["crm.lead"].create(vals)
        self.lead_id = lead
        lead.message_post(
            body=self._care_conversation_note(),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Converted into the opportunity %(lead)s.",
                lead=lead._get_html_link(),
            ),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        return lead._care_form_action()

    def action_care_view_lead(self):
        self.ensure_one()
        return self.lead_id._care_form_action()

    def _care_conversation_note(self):
        """HTML of the opportunity's first note: where it comes from and what
        the customer wrote on the ticket."""
        self.ensure_one()
        public = [
            self.env["ir.model.data"]._xmlid_to_res_id(xmlid)
            for xmlid in ("mail.mt_comment", "customer_care.mt_ticket_new")
        ]
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "=", self.id),
                ("message_type", "in", ("email", "comment")),
                ("subtype_id", "in", public),
            ],
            order="date desc, id desc",
            limit=CONVERSATION_MAX_MESSAGES,
        )
        parts = [
            Markup("<p>%s</p>")
            % self.env._(
                "Created from the care ticket %(ticket)s.",
                ticket=self._get_html_link(title=self.display_name),
            )
        ]
        for message in reversed(messages):
            if not html2plaintext(message.body or "").strip():
                continue
            parts.append(
                Markup("<p><b>%s</b> (%s)</p><blockquote>%s</blockquote>")
                % (
                    message.author_id.display_name or message.email_from or "",
                    fields.Datetime.to_string(message.date),
                    message.body,
                )
            )
        return Markup("").join(parts)
