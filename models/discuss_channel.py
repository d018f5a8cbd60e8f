"""Live chats (``im_livechat``) and care tickets: the ``/ticket`` command
and the posted-message hook of ``discuss.channel`` (this file owns its
overrides). The ticket side is models/care_ticket_livechat.py."""

from odoo import fields, models
from odoo.tools import html2plaintext

from .care_ticket import CARE_GROUP

COMMAND = "/ticket"


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    care_ticket_id = fields.Many2one(
        "care.ticket",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups=CARE_GROUP,
        help="The ticket this live chat became or was attached to: while it is "
        "open, what is written here is added to its chatter.",
    )

    # ---- /ticket ----

    def execute_command_ticket(self, **kwargs):
        """``/ticket [subject]``: a care ticket from this live chat, with its
        transcript and the visitor as customer. ``/ticket <number>`` of an
        open ticket of the same customer attaches the chat to it instead.
        Answered, as Odoo's ``/lead``, by a message only the operator sees."""
        self.ensure_one()
        text = html2plaintext(kwargs.get("body") or "").strip()
        argument = text[len(COMMAND) :].strip() if text.startswith(COMMAND) else text
        if self.channel_type != "livechat":
            message = self.env._("Tickets are made from live chats only.")
        elif not self.env.user.has_group(CARE_GROUP):
            message = self.env._("Only Customer Care users can make tickets.")
        elif self.sudo().care_ticket_id:
            message = self.env._(
                "This chat already goes to ticket %(ticket)s.",
                ticket=self.sudo().care_ticket_id._get_html_link(),
            )
        else:
            ticket, attached = self._care_make_ticket(argument)
            link = ticket._get_html_link()
            message = (
                self.env._("Chat attached to ticket %(ticket)s.", ticket=link)
                if attached
                else self.env._("Ticket %(ticket)s created.", ticket=link)
            )
        self.env.user._bus_send_transient_message(self, message)

    def _care_make_ticket(self, argument=""):
        """Make (or find, when ``argument`` is the number of an open ticket of
        the visitor) the ticket of this live chat, attach the chat to it and
        return ``(ticket, attached_to_an_existing_one)``."""
        self.ensure_one()
        Ticket = self.env["care.ticket"]
        messages = self._care_customer_messages()
        customer = self._care_customer(messages)
        if argument and customer:
            existing = Ticket.search(
                [
                    ("number", "=", argument),
                    ("is_closed", "=", False),
                    (
                        "commercial_partner_id",
                        "=",
                        customer.commercial_partner_id.id,
                    ),
                ],
                limit=1,
            )
            if existing:
                existing._livechat_attach(self)
                return existing, True
        first = messages[:1]
        ticket = Ticket.create(
            {
                "name": argument or Ticket._livechat_subject(self, messages),
                "channel": "chat",
                "partner_id": customer.id,
                # The visitor's opening words, which the assignment reads
                # (angry customers) as it reads a mail's.
                "description": first.body if first else False,
                "date_last_customer_message": first.date if first else False,
            }
        )
        ticket._livechat_attach(self)
        return ticket, False

    def _care_customer_messages(self):
        """The visitor's messages of this live chat, oldest first: neither an
        operator's nor the chatbot's, nor Odoo's notifications."""
        self.ensure_one()
        # sudo: the operator reads the conversation she is in; members of a
        # live chat are technical records.
        channel = self.sudo()
        customers = channel.livechat_customer_partner_ids
        guests = channel.livechat_customer_guest_ids
        # A search rather than message_ids: messages written by other means
        # than message_post (an import, the demo) may be missing from its cache.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "!=", "notification"),
                ],
                order="id",
            )
        )
        return messages.filtered(
            lambda m: (
                m.author_guest_id in guests
                if m.author_guest_id
                else m.author_id in customers
            )
        )

    def _care_customer(self, messages=None):
        """The visitor as a customer: the partner they are logged in as, else
        the customer with the email or phone number they typed in the chat
        (created when nobody matches), else none."""
        self.ensure_one()
        # sudo: as _care_customer_messages.
        customers = self.sudo().livechat_customer_partner_ids.filtered(
            lambda p: p.active and not p.is_public
        )
        if customers:
            return customers[:1].with_env(self.env)
        Ticket = self.env["care.ticket"]
        email, phone = Ticket._livechat_contact(
            self._care_customer_messages() if messages is None else messages
        )
        guest = self.sudo().livechat_customer_guest_ids[:1]
        # sudo: agents may not create contacts; the visitor's own name, email
        # and phone make the contact a mail from them would make (the mail
        # gateway creates it as the superuser), found first when it exists.
        return (
            Ticket.sudo()
            ._find_or_create_partner(email, phone, guest.name or None)
            .with_env(self.env)
        )

    # ---- lines written after the ticket was made ----

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        # sudo: whoever writes in the chat (the visitor too) adds the line to
        # the ticket the chat goes to; the link is read, never shown.
        ticket = self.sudo().care_ticket_id
        if ticket and not ticket.is_closed and self.channel_type == "livechat":
            kind = self._care_message_kind(message, msg_vals)
            if kind:
                ticket._livechat_message(message, kind)
        return res

    def _care_message_kind(self, message, msg_vals):
        """``"agent"``, ``"customer"`` or ``None`` (the chatbot, Odoo's
        notifications) for a message of this live chat, as
        ``care.ticket._message_kind`` says for a mail."""
        if msg_vals.get("message_type", message.message_type) != "comment":
            return None
        channel = self.sudo()
        author = message.author_id
        if not author:
            return "customer" if message.author_guest_id else None
        if author in channel.livechat_bot_partner_ids:
            return None
        if author in channel.livechat_customer_partner_ids:
            return "customer"
        users = author.sudo().user_ids
        return "agent" if users and not all(u.share for u in users) else None
