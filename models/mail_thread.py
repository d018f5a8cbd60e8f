import codecs
import functools
import logging

from odoo import api, models
from odoo.service.model import retrying

_logger = logging.getLogger(__name__)

AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")


def is_auto_submitted(message):
    """Return the reason why ``message`` (an ``email.message``) was sent by a
    robot, or ``""`` when a person wrote it.

    Such mail may still open or update a ticket, but never receives an automatic
    answer: answering robots is how mail loops start (RFC 3834).
    """
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if message.get("X-Loop"):
        return "X-Loop"
    for header in AUTO_HEADERS:
        if message.get(header):
            return header
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing list"
    return_path = message.get("Return-Path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        return "empty Return-Path"
    return ""


def _charset_known(charset):
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """Retry a mail that meets a transient conflict instead of losing it.

        Odoo's mail fetcher (``fetchmail.server._fetch_mail``) processes each
        mail in its own transaction, and on *any* exception rolls it back and
        still marks the mail as seen (IMAP) or deletes it (POP): a
        serialization failure, because an agent or another fetcher wrote the
        same ticket at that moment, would lose the customer's mail. There,
        the mail goes through Odoo's own ``retrying`` (what RPC and HTTP
        requests get): on a concurrency error the transaction is rolled back
        and the mail processed again, up to 5 times with a random back-off.

        Elsewhere (mail gateway script over XML-RPC, HTTP), the caller already
        retries the whole request, and the transaction may hold the caller's
        work: the error is left to it.
        """
        process = functools.partial(
            super().message_process,
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )
        # The fetcher's context; its cursor holds only this mail's work.
        if not self.env.context.get("default_fetchmail_server_id"):
            return process()
        return retrying(process, self.env)

    def _message_parse_extract_payload(
        self, message, message_dict, save_original=False
    ):
        """Read mail whose parts declare a charset Python does not know.

        The standard parser raises ``LookupError`` on such a part and the whole
        message is lost at the gateway. Those parts are read as UTF-8 with
        replacement characters instead, and the fact is logged.
        """
        try:
            return super()._message_parse_extract_payload(
                message, message_dict, save_original=save_original
            )
        except LookupError as error:
            _logger.warning(
                "Mail %s from %s declares an unknown charset (%s): read as UTF-8",
                message.get("Message-Id"),
                message.get("From"),
                error,
            )
            for part in message.walk():
                charset = part.get_param("charset")
                if isinstance(charset, str) and not _charset_known(charset):
                    part.set_param("charset", "utf-8")
            return super()._message_parse_extract_payload(
                message, message_dict, save_original=save_original
            )

    def _message_route_process(self, message, message_dict, routes):
        """Flag robot mail in the context so care tickets skip their automatic
        acknowledgement. The gateway only hands parsed values to ``message_new``,
        which no longer carry the headers that tell a robot from a person.

        The e-mails an incoming message triggers (the assigned agent, the team's
        followers) go to Odoo's mail queue instead of being sent right after
        each message: a slow SMTP server must not slow the intake of the next
        hundred mails down.
        """
        if any(route[0] == "care.ticket" for route in routes or ()):
            self = self.with_context(mail_notify_force_send=False)
            reason = is_auto_submitted(message)
            if reason:
                _logger.info(
                    "Mail %s from %s is automatic (%s): no acknowledgement",
                    message_dict.get("message_id"),
                    message_dict.get("email_from"),
                    reason,
                )
                self = self.with_context(care_mail_auto_submitted=reason)
        return super()._message_route_process(message, message_dict, routes)
