"""The emotion journal of tickets: helpers that ``care.ticket`` calls by name
from its posted-message hook (models/care_ticket.py). No ORM override
lives here; the journal entry itself is built by
``care.emotion.entry._entry_vals``."""

from odoo import fields, models


class CareTicketEmotion(models.AbstractModel):
    """An entry for every customer message, and the link of a rating's entry
    to the message that carries the rating."""

    _name = "care.ticket.emotion"
    _description = "Ticket Emotion Journal"

    def _journal_message(self, message, msg_vals, kind, closed):
        """Step 4 of the posted-message hook of care.ticket: the journal entry of a
        customer's message (``kind`` from ``_message_kind``), or the link of
        the entry a rating made to its message. ``closed``: the tickets that
        were closed when the message arrived."""
        ctx = self.env.context
        if (
            ctx.get("care_no_emotion")
            # An auto-reply or a bounce says nothing about how the customer feels.
            or ctx.get("care_mail_auto_submitted")
        ):
            return self.env["care.emotion.entry"]
        # sudo: the poster may be the customer, who cannot read the journal; the
        # journal is for care users only.
        Entry = self.env["care.emotion.entry"].sudo()
        rating_id = msg_vals.get("rating_id")
        if rating_id:
            # The rating already made its entry: only link the message to it.
            entries = Entry.search(
                [("rating_id", "=", rating_id), ("message_id", "=", False)]
            )
            entries.message_id = message
            return entries
        if kind != "customer":
            return Entry
        # detect() takes well under a millisecond; the entry is one INSERT in
        # the same transaction as the message.
        text = Entry._message_text(message, msg_vals)
        values = Entry._values_from_text(text, self[:1].company_id) if text else {}
        if not values:
            return Entry
        date = msg_vals.get("date") or fields.Datetime.now()
        vals_list = [
            Entry._entry_vals(
                "message",
                # A customer message has no internal author (_message_kind).
                message.author_id or ticket.partner_id,
                ticket=ticket,
                values=values,
                date=date,
                message_id=message.id,
                ticket_closed=ticket in closed,
            )
            for ticket in self
            if message.author_id or ticket.partner_id
        ]
        return Entry.create(vals_list)
