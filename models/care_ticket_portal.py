"""Portal side of tickets: what customers may see, choose and do themselves."""

import os
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

DEFAULT_REOPEN_DAYS = 7
# Files customers may send from the portal and the public form.
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".heic",
    ".txt",
    ".csv",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".zip",
    ".mp4",
    ".mov",
}
# Content that a browser could run if served from our domain, whatever the name.
FORBIDDEN_MIMETYPES = {
    "text/html",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "application/xhtml+xml",
    "application/x-msdownload",
}
ACCEPTED_TYPES = ", ".join(sorted(ALLOWED_EXTENSIONS))


class CareTeam(models.Model):
    _inherit = "care.team"

    is_published = fields.Boolean(
        string="Visible on the Portal",
        help="Customers may choose this team as the topic of a new ticket on the "
        "portal and the public help form.",
    )


class CareTicketType(models.Model):
    _inherit = "care.ticket.type"

    is_published = fields.Boolean(
        string="Visible on the Portal",
        default=True,
        help="Customers may choose this type when they open a ticket on the portal.",
    )


class CareStage(models.Model):
    _inherit = "care.stage"

    allow_customer_close = fields.Boolean(
        string="Customer Can Close",
        default=True,
        help="Customers may close their ticket from the portal while it is in "
        "this stage.",
    )


class CareTicket(models.Model):
    _inherit = "care.ticket"

    parent_ticket_id = fields.Many2one(
        "care.ticket",
        string="Follow-up of",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The closed ticket the customer wrote to again after the reopening "
        "grace period: this ticket continues it.",
    )
    order_reference = fields.Char(
        copy=False,
        help="Order reference given by the customer on the portal form, as typed "
        "(not checked against sales orders).",
    )

    # ---- portal helpers ----

    @api.model
    def _care_reopen_days(self):
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

    def _care_can_reopen(self):
        """A closed ticket may be reopened by its customer within the grace
        period counted from its closing date."""
        self.ensure_one()
        if not self.is_closed:
            return False
        closed = self.date_closed or self.date_last_stage_update
        if not closed:
            return True
        limit = closed + timedelta(days=self._care_reopen_days())
        return fields.Datetime.now() <= limit

    def _care_can_customer_close(self):
        self.ensure_one()
        return not self.is_closed and self.stage_id.allow_customer_close

    def _care_reopen_or_follow_up(self, message=None):
        """A customer wrote on closed tickets: reopen those within the grace
        period; for the others open a new ticket linked to the old one.

        Returns the follow-up tickets created."""
        reopen = self.filtered(lambda t: t._care_can_reopen())
        reopen._reopen()
        follow_ups = self.env["care.ticket"]
        for ticket in self.filtered("is_closed") - reopen:
            follow_ups |= ticket._care_create_follow_up(message)
        return follow_ups

    def _care_create_follow_up(self, message=None):
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

    def message_post(self, **kwargs):
        # Customers may also post through Odoo's standard portal chatter routes
        # (/mail/message/post with a token): the same file rules apply there.
        if self.env.user.share and kwargs.get("attachment_ids"):
            attachments = (
                self.env["ir.attachment"].sudo().browse(kwargs["attachment_ids"])
            )
            self._care_check_customer_files(
                [(a.name, a.file_size, a.mimetype) for a in attachments]
            )
        return super().message_post(**kwargs)

    @api.model
    def _care_check_customer_files(self, files):
        """Raise when a customer's file breaks the portal rules.

        ``files`` is a list of ``(name, size in bytes, mimetype)``."""
        rules = self._care_attachment_rules()
        errors = [self._care_file_count_error(len(files), rules)]
        errors += [self._care_file_error(*file, rules) for file in files]
        error = next(filter(None, errors), None)
        if error:
            raise UserError(error)

    @api.model
    def _care_file_count_error(self, count, rules):
        """The portal rules on files, shared by the portal routes and the
        chatter: the error of too many files, or None."""
        if count > rules["max_count"]:
            return self.env._(
                "You can attach at most %(count)s files.", count=rules["max_count"]
            )
        return None

    @api.model
    def _care_file_error(self, name, size, mimetype, rules):
        """The error of one file (too large, or not an accepted type), or None."""
        extension = os.path.splitext(name or "")[1].lower()
        if (size or 0) > rules["max_bytes"]:
            return self.env._(
                "The file %(name)s is too large: the limit is %(limit)s MB.",
                name=name,
                limit=rules["max_mb"],
            )
        if extension not in ALLOWED_EXTENSIONS or mimetype in FORBIDDEN_MIMETYPES:
            return self.env._(
                "The file %(name)s is not an accepted type. Accepted: %(types)s.",
                name=name,
                types=ACCEPTED_TYPES,
            )
        return None

    def rating_apply(self, rate, *args, **kwargs):
        # Ratings from the portal page or from the /rate/<token> email link are
        # posted as the customer's comment: flag them so they neither reopen the
        # ticket nor count as the customer writing again.
        return super(CareTicket, self.with_context(care_rating=True)).rating_apply(
            rate, *args, **kwargs
        )

    def _care_message_kind(self, message, msg_vals):
        # A rating given on the portal is posted as a comment by the customer; it
        # must not count as the customer writing again (it would reopen).
        if self.env.context.get("care_rating"):
            return None
        return super()._care_message_kind(message, msg_vals)

    def _care_portal_timeline(self):
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

    def _care_portal_messages(self):
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

    @api.model
    def _care_attachment_rules(self):
        params = self.env["ir.config_parameter"].sudo()
        max_mb = float(params.get_param("customer_care.max_attachment_mb", 25) or 25)
        max_count = int(params.get_param("customer_care.max_attachments", 20) or 20)
        return {
            "max_bytes": int(max_mb * 1024 * 1024),
            "max_mb": max_mb,
            "max_count": max_count,
        }
