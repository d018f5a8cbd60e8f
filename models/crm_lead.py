"""Customer Care seen from CRM: the tickets of an opportunity, the customer's
mood and open tickets, a new ticket from the opportunity, and the open
opportunity whose salesperson the care scenarios notify."""

from markupsafe import Markup

from odoo import api, fields, models

from .care_emotion_entry import TRENDS
from .care_emotion_label import EMOTION_LABELS
from .res_partner import CARE_GROUP, CARE_MANAGER


class CrmLead(models.Model):
    _inherit = "crm.lead"

    care_ticket_ids = fields.One2many(
        "care.ticket", "lead_id", string="Care Tickets", groups=CARE_GROUP
    )
    care_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_care_ticket_count", groups=CARE_GROUP
    )
    care_open_ticket_count = fields.Integer(
        string="Open Tickets",
        compute="_compute_care_ticket_count",
        groups=CARE_GROUP,
        help="Tickets of the customer (and of its contacts) not closed yet.",
    )
    # The customer's mood, read like the partner's (res_partner._read_format):
    # managers see every customer's, an agent the mood of customers who have a
    # ticket she can read, empty elsewhere.
    care_mood = fields.Selection(
        EMOTION_LABELS,
        string="Customer Mood",
        compute="_compute_care_mood",
        groups=CARE_GROUP,
    )
    care_mood_score = fields.Float(
        string="Customer Mood Score", compute="_compute_care_mood", groups=CARE_GROUP
    )
    care_mood_trend = fields.Selection(
        TRENDS,
        string="Customer Mood Trend",
        compute="_compute_care_mood",
        groups=CARE_GROUP,
    )

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_care_ticket_count(self):
        Ticket = self.env["care.ticket"]
        linked = dict(
            Ticket._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
        )
        customers = self.partner_id.commercial_partner_id
        open_counts = dict(
            Ticket._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("is_closed", "=", False),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.care_ticket_count = linked.get(lead._origin, 0)
            lead.care_open_ticket_count = open_counts.get(
                lead.partner_id.commercial_partner_id, 0
            )

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_care_mood(self):
        customers = self.partner_id.commercial_partner_id
        if self.env.su or self.env.user.has_group(CARE_MANAGER):
            visible = set(customers.ids)
        else:
            visible = customers._care_journal_visible_ids()
        for lead in self:
            customer = lead.partner_id.commercial_partner_id
            shown = customer.id in visible
            lead.care_mood = customer.care_mood if shown else False
            lead.care_mood_score = customer.care_mood_score if shown else 0.0
            lead.care_mood_trend = customer.care_mood_trend if shown else False

    def action_care_new_ticket(self):
        """A new care ticket for the opportunity's customer, linked to it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Care Ticket"),
            "res_model": "care.ticket",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_lead_id": self.id,
                "default_name": self.name,
                "default_company_id": (self.company_id or self.env.company).id,
                "default_partner_email": self.email_from or self.partner_id.email,
                "default_partner_phone": self.phone or self.partner_id.phone,
            },
        }

    def action_care_view_tickets(self):
        """The tickets of this opportunity and the open tickets of its customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        domain = [("lead_id", "=", self.id)]
        if self.partner_id:
            domain = [
                "|",
                ("lead_id", "=", self.id),
                "&",
                (
                    "commercial_partner_id",
                    "=",
                    self.partner_id.commercial_partner_id.id,
                ),
                ("is_closed", "=", False),
            ]
        action["domain"] = domain
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_lead_id": self.id,
        }
        return action

    def _care_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.id,
            "views": [(False, "form")],
        }

    @api.model
    def _care_open_opportunity(self, partner, ticket=None):
        """The customer's open opportunity with a salesperson: the ticket's own
        when it is still open, else the most recent one of the customer (its
        company and contacts). Empty recordset when there is none."""
        if (
            ticket
            and ticket.lead_id.active
            and ticket.lead_id.type == "opportunity"
            and ticket.lead_id.won_status == "pending"
            and ticket.lead_id.user_id
        ):
            return ticket.lead_id
        if not partner:
            return self.browse()
        return self.search(
            [
                ("partner_id", "child_of", partner.commercial_partner_id.id),
                ("type", "=", "opportunity"),
                ("won_status", "=", "pending"),
                ("user_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        )

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """An opportunity a ticket of the person became (care.ticket.crm)
        holds what the module copied into it: the ticket's subject and
        description, and a note quoting the customer's messages. Those go on
        erasure; the rest of the opportunity and its chatter belong to CRM
        (Odoo's Privacy Lookup, offered by the erasure wizard)."""
        tickets = self.env["care.ticket"].search(
            [("partner_id", "in", partners.ids), ("lead_id", "!=", False)]
        )
        leads = tickets.lead_id
        notes = self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("body", "ilike", 'data-oe-model="care.ticket"'),
            ]
        )
        placeholder = self.env._("(erased)")
        return [
            {
                "records": leads,
                "export": ["name", "stage_id", "user_id", "description"],
                "erase": {
                    "name": placeholder,
                    "description": False,
                    "contact_name": False,
                    "partner_name": False,
                    "email_from": False,
                    "phone": False,
                },
                "chatter": False,
            },
            {
                "records": notes,
                "export": ["date", "model", "res_id", "body"],
                "erase": {"body": Markup("<p>%s</p>") % placeholder},
                "sequence": 20,
            },
        ]
