from odoo import api, fields, models

CARE_GROUP = "customer_care.customer_care_group_user"


class CareTicket(models.Model):
    """The emotion journal on tickets: an entry for every customer message,
    and the customer's mood shown to agents."""

    _inherit = "care.ticket"

    emotion_entry_ids = fields.One2many(
        "care.emotion.entry", "ticket_id", string="Emotion Journal", groups=CARE_GROUP
    )
    emotion_entry_count = fields.Integer(
        compute="_compute_emotion_entry_count", groups=CARE_GROUP
    )
    care_mood = fields.Selection(
        string="Customer Mood",
        related="partner_id.care_mood",
        groups=CARE_GROUP,
    )
    care_mood_score = fields.Float(
        string="Mood Score", related="partner_id.care_mood_score", groups=CARE_GROUP
    )
    care_mood_trend = fields.Selection(
        string="Mood Trend",
        related="partner_id.care_mood_trend",
        groups=CARE_GROUP,
    )

    care_review_url = fields.Char(
        compute="_compute_care_review_url",
        help="Technical: where the thank-you mail invites the customer to write a "
        "review (system parameter customer_care.review_url, else the company "
        "website).",
    )

    def _compute_care_review_url(self):
        # sudo: reads one system parameter, a public URL.
        url = (
            self.env["ir.config_parameter"].sudo().get_param("customer_care.review_url")
        )
        for ticket in self:
            ticket.care_review_url = url or ticket.company_id.website or False

    @api.depends("emotion_entry_ids")
    def _compute_emotion_entry_count(self):
        counts = dict(
            self.env["care.emotion.entry"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.emotion_entry_count = counts.get(ticket, 0)

    def action_view_emotion_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_emotion_entry_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_source": "manual",
        }
        return action

    def _message_post_after_hook(self, message, msg_vals):
        # Read before super(): a customer message reopens a closed ticket, and
        # "disappointed after closing" must still see it closed.
        closed = self.filtered("is_closed")
        res = super()._message_post_after_hook(message, msg_vals)
        ctx = self.env.context
        if (
            ctx.get("care_ack")
            or ctx.get("care_no_emotion")
            # An auto-reply or a bounce says nothing about how the customer feels.
            or ctx.get("care_mail_auto_submitted")
        ):
            return res
        rating_id = msg_vals.get("rating_id")
        if rating_id:
            # The rating already made its entry: only link the message to it.
            # sudo: the poster may be the customer, who cannot read the journal.
            entries = (
                self.env["care.emotion.entry"]
                .sudo()
                .search([("rating_id", "=", rating_id), ("message_id", "=", False)])
            )
            entries.message_id = message
            return res
        if self._care_is_customer_message(message, msg_vals):
            self._care_log_message_emotion(message, msg_vals, closed)
        return res

    def _care_is_customer_message(self, message, msg_vals):
        """A customer's email, portal or chat message, including the email that
        opens a ticket (see ``_care_message_kind``)."""
        return self._care_message_kind(message, msg_vals) == "customer"

    def _care_log_message_emotion(self, message, msg_vals, closed):
        """Create the journal entry of one customer message: ``detect()`` takes
        well under a millisecond, the entry is one INSERT in the same
        transaction as the message."""
        Entry = self.env["care.emotion.entry"]
        text = Entry._message_text(message, msg_vals)
        if not text:
            return Entry
        values = Entry._values_from_text(text)
        if not values:
            return Entry
        author = message.author_id
        vals_list = []
        for ticket in self:
            # A customer message has no internal author (_care_message_kind).
            partner = author or ticket.partner_id
            if not partner:
                continue
            vals_list.append(
                {
                    **values,
                    "partner_id": partner.id,
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id,
                    "date": msg_vals.get("date") or fields.Datetime.now(),
                    "source": "message",
                    "message_id": message.id,
                    "ticket_closed": ticket in closed,
                    "user_id": False,
                }
            )
        # sudo: the author is a customer (portal user, or the mail gateway
        # acting for an email sender); the journal is for care users only.
        return Entry.sudo().create(vals_list)
