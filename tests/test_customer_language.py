from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon

from .test_mail_gateway import MAIL

CREATED_VI = "Liên hệ được tạo"  # mail's "%s created" with base's "Contact"


@tagged("post_install", "-at_install", "mail_gateway")
class TestNewCustomerLanguage(MailCommon):
    """A customer created by an incoming mail or a form speaks the company's
    language (or the one the visitor chose), and the "Contact created" log is
    written in the company's language, not in the English of the mail
    gateway (issue 11)."""

    @classmethod
    def default_env_context(cls):
        return {}  # the creation log is what we check

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_care"], ["vi_VN"], overwrite=True
        )
        # base's translation of the model name ("Contact"), without loading the
        # whole of base's vi.po; mail's "%s created" comes from its code terms.
        cls.env["ir.model"]._get("res.partner").with_context(
            lang="vi_VN"
        ).name = "Liên hệ"
        cls.env.company.partner_id.lang = "vi_VN"
        cls.team = cls.env["care.team"].create(
            {"name": "Tổng đài Hà Nội", "alias_name": "hotro"}
        )
        cls.Ticket = cls.env["care.ticket"]

    def _creation_log(self, partner):
        return partner.message_ids.filtered(lambda m: m.message_type == "notification")

    def test_customer_created_by_mail_speaks_the_company_language(self):
        # The gateway runs as the superuser, in English.
        gateway = self.env["mail.thread"].sudo().with_context(lang="en_US")
        mail = MAIL.format(
            return_path="<hoa.bui@example.com>",
            email_from="Bùi Thị Hoa <hoa.bui@example.com>",
            to=f"hotro@{self.alias_domain}",
            subject="Hỏi giá điều hòa",
            msg_id="<cc-lang-1@example.com>",
            extra="",
            body="Cho em hỏi giá điều hòa Daikin 1 HP.",
        )
        with self.mock_mail_gateway():
            gateway.message_process(None, mail.encode())
            self.Ticket.sudo()._send_pending_notices()
        ticket = self.Ticket.search([("name", "=", "Hỏi giá điều hòa")])
        customer = ticket.partner_id
        self.assertEqual(customer.email, "hoa.bui@example.com")
        self.assertEqual(customer.lang, "vi_VN")
        # Odoo's gateway logs no creation message (mail_create_nolog): no
        # English line either.
        self.assertFalse(
            customer.message_ids.filtered(lambda m: "created" in (m.body or ""))
        )
        # The acknowledgement follows the customer's language.
        ack = self._new_mails.filtered(lambda m: customer in m.recipient_ids)
        self.assertIn("Chúng tôi đã nhận được yêu cầu", ack.body_html)

    def test_customer_created_in_english_env_logged_in_company_language(self):
        # The public form runs as sudo for a visitor, the Log Call wizard as
        # an agent: whatever the environment's language, the staff read the
        # log in the company's.
        customer = (
            self.Ticket.with_context(lang="en_US")
            .sudo()
            ._find_or_create_partner("lan.pham@example.com", "0987 654 321")
        )
        self.assertEqual(customer.lang, "vi_VN")
        log = self._creation_log(customer)
        self.assertEqual(len(log), 1)
        self.assertIn(CREATED_VI, log.body)
        self.assertNotIn("created", log.body)

    def test_visitor_language_kept_log_in_company_language(self):
        # An English-speaking visitor of the public form (the request's
        # language): she speaks English, the staff read the log in Vietnamese.
        customer = (
            self.Ticket.with_context(lang="en_US")
            .sudo()
            ._find_or_create_partner(
                "michael@example.com", None, "Michael Brown", lang="en_US"
            )
        )
        self.assertEqual(customer.lang, "en_US")
        self.assertIn(CREATED_VI, self._creation_log(customer).body)

    def test_english_company_logs_in_english(self):
        self.env.company.partner_id.lang = "en_US"
        customer = self.Ticket.with_context(lang="vi_VN")._find_or_create_partner(
            None, "0912 345 679"
        )
        self.assertEqual(customer.lang, "en_US")
        self.assertIn("Contact created", self._creation_log(customer).body)
