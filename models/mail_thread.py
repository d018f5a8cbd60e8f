import logging

from odoo import models

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


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Flag robot mail in the context so care tickets skip their automatic
        acknowledgement. The gateway only hands parsed values to ``message_new``,
        which no longer carry the headers that tell a robot from a person."""
        if any(route[0] == "care.ticket" for route in routes or ()):
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
