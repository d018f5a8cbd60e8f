"""The rules on files customers send, in one place: the mail gateway, the
portal reply, Odoo's portal chatter and the public form all read
``_attachment_rules`` (system parameters, set in the settings). Helpers that
``care.ticket`` and the controllers call by name; no ORM override lives here."""

import logging
import os

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Beyond these limits attachments are dropped (mail) or refused (portal, form),
# never the message.
DEFAULT_MAX_ATTACHMENTS = 20
DEFAULT_MAX_ATTACHMENT_MB = 25
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


class CareTicketAttachment(models.AbstractModel):
    _name = "care.ticket.attachment"
    _description = "Ticket Attachment Rules"

    @api.model
    def _attachment_rules(self):
        """``{max_count, max_mb, max_bytes}``: the limits on the files of one
        message, the same for mail, portal and the public form."""
        # sudo: two configuration numbers, read by portal and public requests.
        params = self.env["ir.config_parameter"].sudo()
        max_mb = float(
            params.get_param("customer_care.max_attachment_mb")
            or DEFAULT_MAX_ATTACHMENT_MB
        )
        max_count = int(
            params.get_param("customer_care.max_attachments") or DEFAULT_MAX_ATTACHMENTS
        )
        return {
            "max_bytes": int(max_mb * 1024 * 1024),
            "max_mb": max_mb,
            "max_count": max_count,
        }

    # ---- mail gateway: keep the message, leave out what is over the limits ----

    def _limit_attachments(self, attachments):
        """Keep incoming attachments within the limits: ``(kept, dropped)``.

        Oversized files are left out (with a note on the ticket and a log line)
        rather than the whole mail being refused: the customer's message is
        never lost. Mail keeps every file type (agents read them in Odoo).
        """
        if not attachments:
            return attachments, []
        rules = self._attachment_rules()
        kept, dropped = [], []
        for attachment in attachments:
            name, content = attachment[0], attachment[1]
            size = len(content or b"")
            if size > rules["max_bytes"]:
                dropped.append((name, size, "size"))
            elif len(kept) >= rules["max_count"]:
                dropped.append((name, size, "count"))
            else:
                kept.append(attachment)
        return kept, dropped

    def _note_dropped_attachments(self, dropped):
        names = ", ".join(f"{name} ({size // 1024} KB)" for name, size, __ in dropped)
        _logger.warning(
            "Ticket %s: %d attachment(s) over the limits were not saved: %s",
            self.number,
            len(dropped),
            names,
        )
        # sudo: a note of the gateway on a ticket the mail was routed to.
        self.sudo().message_post(
            body=self.env._(
                "Some attachments of this message were not saved because they "
                "exceed the limits (size or number of files): %(files)s",
                files=names,
            ),
            subtype_xmlid="mail.mt_note",
            message_type="notification",
        )

    # ---- portal, chatter and public form: refuse what breaks the rules ----

    @api.model
    def _check_customer_files(self, files):
        """Raise when a customer's file breaks the portal rules.

        ``files`` is a list of ``(name, size in bytes, mimetype)``."""
        rules = self._attachment_rules()
        errors = [self._file_count_error(len(files), rules)]
        errors += [self._file_error(*file, rules) for file in files]
        error = next(filter(None, errors), None)
        if error:
            raise UserError(error)

    @api.model
    def _file_count_error(self, count, rules):
        """The portal rules on files, shared by the portal routes and the
        chatter: the error of too many files, or None."""
        if count > rules["max_count"]:
            return self.env._(
                "You can attach at most %(count)s files.", count=rules["max_count"]
            )
        return None

    @api.model
    def _file_error(self, name, size, mimetype, rules):
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
