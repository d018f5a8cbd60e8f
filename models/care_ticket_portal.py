"""Portal side of tickets: what customers may see and do themselves. Helpers
that ``care.ticket`` (models/care_ticket.py) and the portal controller call by
name; no ORM override lives here."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

DEFAULT_REOPEN_DAYS = 7


class CareTicketPortal(models.AbstractModel):
    _name = "care.ticket.portal"
    _description = "Ticket Portal Rules"

    @api.model
    def _reopen_days(self):
        # sudo: a configuration number, read by portal and public requests.
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("customer_care.reopen_days", DEFAULT_REOPEN_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_REOPEN_DAYS

    def _can_reopen(self):
        """A closed ticket may be reopened by its customer within the grace
        period counted from its closing date."""
        self.ensure_one()
        if not self.is_closed:
            return False
        closed = self.date_closed or self.date_last_stage_update
        if not closed:
            return True
        limit = closed + timedelta(days=self._reopen_days())
        return fields.Datetime.now() <= limit

    def _can_customer_close(self):
        self.ensure_one()
        return not self.is_closed and self.stage_id.allow_customer_close

    def _reopen_or_follow_up(self, message=None):
        """A customer wrote on closed tickets: reopen those within the grace
        period; for the others open a new ticket linked to the old one.

        Returns the follow-up tickets created."""
        reopen = self.filtered(lambda t: t._can_reopen())
        reopen._reopen()
        follow_ups = self.env["care.ticket"]
        for ticket in self.filtered("is_closed") - reopen:
            follow_ups |= ticket._create_follow_up(message)
        return follow_ups

    def _create_follow_up(self, message=None):
        self.ensure_one()
        body = message.body if message else False
        channel = "email" if message and message.message_type == "email" else "portal"
        # sudo: the customer's message was already accepted on this ticket; the
        # follow-up copies only this ticket's own team, type, customer and company.
        follow_up = (
            self.sudo()
            .with_context(mail_create_nolog=False)
            .create(
                {
                    "name": self.name,
                    "description": body,
                    "team_id": self.team_id.id,
                    "type_id": self.type_id.id,
                    "partner_id": self.partner_id.id,
                    "partner_email": self.partner_email,
                    "partner_phone": self.partner_phone,
                    "company_id": self.company_id.id,
                    "channel": channel,
                    "parent_ticket_id": self.id,
                    "priority": self.priority,
                }
            )
        )
        if message and message.attachment_ids:
            message.attachment_ids.sudo().copy(
                {"res_model": "care.ticket", "res_id": follow_up.id}
            )
        self.sudo().message_post(
            body=self.env._(
                "The customer wrote after the reopening period: follow-up ticket "
                "%(number)s was opened.",
                number=follow_up.number,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return follow_up

    def _portal_timeline(self):
        """Stage changes of this ticket, oldest first: [(date, stage name)].

        Tracking values are read in SQL, without access rules, because portal
        users have no access to ``mail.tracking.value``: callers must have checked
        access to the ticket itself first (``_document_check_access``). Only the
        stage field's values of this one ticket are read."""
        self.ensure_one()
        field_id = self.env["ir.model.fields"]._get_ids("care.ticket")["stage_id"]
        rows = self.env.execute_query(
            SQL(
                """SELECT v.create_date, v.new_value_char
                     FROM mail_tracking_value v
                     JOIN mail_message m ON m.id = v.mail_message_id
                    WHERE m.model = 'care.ticket' AND m.res_id = %s
                      AND v.field_id = %s
                 ORDER BY v.id""",
                self.id,
                field_id,
            )
        )
        timeline = [(self.create_date, None)]
        timeline += [(date, name) for date, name in rows]
        return timeline

    def _portal_messages(self):
        """Messages the customer may read: public comments and emails only.

        Same filter as the standard portal chatter (``_get_search_domain_share``):
        internal notes and internal subtypes never reach the portal."""
        self.ensure_one()
        Message = self.env["mail.message"].sudo()
        domain = (
            Domain(
                [
                    ("model", "=", "care.ticket"),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email", "email_outgoing")),
                ]
            )
            & Message._get_search_domain_share()
        )
        return Message.search(domain, order="id desc", limit=200)
