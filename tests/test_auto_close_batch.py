from odoo import fields
from odoo.tests import freeze_time

from .test_care_sla import CareSlaCommon, local

REMINDER = {
    "en_US": ("We are waiting for your answer", "We are still waiting for your answer"),
    "vi_VN": (
        "Chúng tôi đang chờ quý khách trả lời",
        "Chúng tôi vẫn đang chờ quý khách trả lời",
    ),
}
CLOSING = {
    "en_US": "Your request has been closed",
    "vi_VN": "Yêu cầu của quý khách đã được đóng",
}


class TestAutoCloseBatch(CareSlaCommon):
    """The job mails a whole batch at once (Odoo's mass mode): each customer
    gets their mail in their own language, and each ticket's chatter logs
    its one mail, sent to its customer."""

    @classmethod
    def default_env_context(cls):
        return {}  # with tracking: the closing's stage change is checked

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_care"], ["vi_VN"], overwrite=True
        )
        cls.team.write({"auto_close_reminder_days": 2, "auto_close_days": 3})
        cls.customer.lang = "en_US"
        cls.other_customer.lang = "vi_VN"

    def _run(self, when):
        with freeze_time(when):
            done = self.env["care.ticket"]._auto_close_batch(fields.Datetime.now())
        self.env.cr.precommit.run()  # the tracking of the closing
        return done

    def _mail_logged(self, ticket, subject):
        """The one message of ``subject`` on the ticket and its mail."""
        messages = ticket.message_ids.filtered(
            lambda m: m.subject == f"[{ticket.number}] {subject}"
        )
        self.assertEqual(len(messages), 1, f"one '{subject}' on {ticket.number}")
        self.assertEqual(messages.notification_ids.res_partner_id, ticket.partner_id)
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", messages.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, ticket.partner_id)
        self.assertEqual(mail.state, "outgoing", "queued for the mail queue")
        return messages, mail

    def test_batch_in_each_customer_language(self):
        with freeze_time(local(2026, 3, 12, 9, 0)):  # Thursday
            tickets = (
                self._ticket(partner_id=self.customer.id)
                | self._ticket(partner_id=self.other_customer.id)
                | self._ticket(partner_id=self.other_customer.id, name="Tủ lạnh kêu to")
            )
        with freeze_time(local(2026, 3, 12, 10, 0)):
            tickets.with_user(self.user_agent).stage_id = self.stage_waiting
        # A mail about the customer's own ticket: the mass-mailing blacklist
        # does not stop it.
        self.env["mail.blacklist"]._add(self.customer.email)
        langs = ["en_US", "vi_VN", "vi_VN"]

        self.assertEqual(self._run(local(2026, 3, 16, 10, 5)), 3)
        for ticket, lang in zip(tickets, langs, strict=True):
            subject, text = REMINDER[lang]
            message, mail = self._mail_logged(ticket, subject)
            self.assertIn(text, message.body)
            self.assertIn(text, mail.body_html)
            # The layout's header names the ticket, the button opens it.
            self.assertIn(ticket.display_name.replace("/", "-"), mail.body_html)
            self.assertIn(f"/my/tickets/{ticket.id}?access_token=", mail.body_html)
            self.assertFalse(ticket.is_closed)
        self.assertEqual(self._run(local(2026, 3, 16, 10, 6)), 0, "nothing twice")

        self.assertEqual(self._run(local(2026, 3, 19, 8, 10)), 3)
        for ticket, lang in zip(tickets, langs, strict=True):
            self.assertEqual(ticket.stage_id, self.stage_solved)
            self._mail_logged(ticket, REMINDER[lang][0])  # still one reminder
            self._mail_logged(ticket, CLOSING[lang])
            tracked = ticket.message_ids.tracking_value_ids.filtered(
                lambda v: v.field_id.name == "stage_id"
            )
            self.assertIn(ticket.stage_id.id, tracked.mapped("new_value_integer"))
            self.assertEqual(
                len(
                    ticket.message_ids.filtered(
                        lambda m: "Closed automatically" in (m.body or "")
                    )
                ),
                1,
            )
