"""Live chat side of tickets (Odoo's ``im_livechat``): the conversations a
ticket came from, their transcript and the lines written after the ticket
was made. Fields and helpers that ``care.ticket`` (models/care_ticket.py) and
``discuss.channel`` (models/discuss_channel.py) call by name; no ORM override
lives here."""

import re

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import html2plaintext

# What a visitor types to be called or written back: the first address and
# the first Vietnamese phone number of their messages.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
SUBJECT_CHARS = 80


class CareTicketLivechat(models.AbstractModel):
    _name = "care.ticket.livechat"
    _description = "Ticket Live Chats"

    livechat_channel_ids = fields.One2many(
        "discuss.channel",
        "care_ticket_id",
        string="Live Chats",
        groups="customer_care.customer_care_group_user",
        help="Live chat conversations this ticket was made from or attached to. "
        "While the ticket is open, what is written in them is added to its chatter.",
    )
    livechat_channel_count = fields.Integer(
        compute="_compute_livechat_channel_count",
        groups="customer_care.customer_care_group_user",
    )

    def _compute_livechat_channel_count(self):
        # sudo: counts the conversations linked to tickets the user reads.
        counts = dict(
            self.env["discuss.channel"]
            .sudo()
            ._read_group(
                [("care_ticket_id", "in", self.ids)], ["care_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.livechat_channel_count = counts.get(ticket, 0)

    def action_view_livechats(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "im_livechat.discuss_channel_action"
        )
        action["domain"] = [("care_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ---- from a conversation ----

    def _livechat_attach(self, channel):
        """Link ``channel`` (a live chat) to this ticket: its transcript goes
        to the chatter as a note, and each of the customer's messages gets its
        own journal entry, as if each had come by mail."""
        self.ensure_one()
        # sudo: the operator reads her own conversation; messages of a live
        # chat are read through its membership, which sudo skips here.
        channel = channel.sudo()
        channel.care_ticket_id = self
        transcript = channel._get_channel_history()
        self.message_post(
            body=Markup("<p><strong>%s</strong></p>%s")
            % (
                self.env._("Live chat transcript (%(chat)s)", chat=channel.name),
                transcript,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._livechat_journal(channel._care_customer_messages())

    def _livechat_journal(self, messages):
        """One journal entry per customer message of a live chat (``messages``:
        ``mail.message`` of the channel), linked to that message."""
        self.ensure_one()
        # sudo: the journal is written for care users whoever chats.
        Entry = self.env["care.emotion.entry"].sudo()
        vals_list = []
        for message in messages:
            text = str(message.body or "")
            values = Entry._values_from_text(text) if html2plaintext(text) else {}
            partner = message.author_id or self.partner_id
            if values and partner:
                vals_list.append(
                    Entry._entry_vals(
                        "message",
                        partner,
                        ticket=self,
                        values=values,
                        date=message.date,
                        message_id=message.id,
                    )
                )
        return Entry.create(vals_list)

    def _livechat_message(self, message, kind):
        """A line written in a linked live chat after the ticket was made:
        logged in the ticket's chatter (no one is notified: everyone saw it
        in the chat), then it counts as a mail of its ``kind`` would
        (reply dates, stage, SLA clocks, journal)."""
        self.ensure_one()
        author = message.author_id or (
            self.partner_id if kind == "customer" else self.env["res.partner"]
        )
        body = Markup("<p>%s</p>%s") % (self.env._("In the live chat:"), message.body)
        # sudo: the chat line is copied as it was written, by whoever wrote it.
        logged = self.sudo()._message_log(
            body=body, author_id=author.id, message_type="comment"
        )
        self._message_effects(
            logged,
            {"body": message.body, "date": message.date},
            kind,
            self.browse(),
        )

    # ---- the customer of a conversation ----

    def _livechat_subject(self, channel, messages):
        """A subject for a ticket made from ``channel``: the beginning of the
        customer's first message, else the conversation's name."""
        for message in messages:
            text = " ".join(html2plaintext(str(message.body or "")).split())
            if text:
                if len(text) > SUBJECT_CHARS:
                    text = text[: SUBJECT_CHARS - 1].rstrip() + "…"
                return text
        return self.env._("Live chat: %(chat)s", chat=channel.name)

    def _livechat_contact(self, messages):
        """``(email, phone)`` the visitor gave in ``messages``, or ``None``s."""
        text = "\n".join(html2plaintext(str(m.body or "")) for m in messages)
        email = EMAIL_RE.search(text)
        phone = PHONE_RE.search(text)
        return (email and email.group(0)), (phone and phone.group(0))
