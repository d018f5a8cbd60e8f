from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tests import tagged, users

from .common import CareCommon
from .test_portal import CarePortalCommon

ANGRY = "Giao hàng trễ quá, rất bực! Tôi muốn hoàn tiền ngay, lừa đảo à?"
DISAPPOINTED = "Thất vọng quá, sửa ba lần vẫn hỏng."


class ConsentMixin:
    """Helpers shared by the model and the portal tests."""

    def _customer_says(self, ticket, text, author=None):
        message = ticket.message_post(
            body=text,
            author_id=(author or ticket.partner_id).id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        return self.env["care.emotion.entry"].search([("message_id", "=", message.id)])

    def _mailing_subscription(self, email):
        mailing_list = self.env["mailing.list"].create({"name": "Khuyến mãi Tết"})
        contact = self.env["mailing.contact"].create(
            {"name": "Subscriber", "email": email, "list_ids": [(4, mailing_list.id)]}
        )
        return contact.subscription_ids


class TestCareConsent(ConsentMixin, CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["care.consent.event"]
        cls.ticket = cls._ticket(user_id=cls.user_agent.id)

    def test_state_follows_the_latest_event(self):
        self.assertEqual(self.customer.care_consent_marketing, "unknown")
        self.Event._record(self.customer, "marketing", True, "agent", proof="Call")
        self.assertEqual(self.customer.care_consent_marketing, "given")
        self.assertTrue(self.customer.care_consent_marketing_date)
        self.Event._record(self.customer, "marketing", False, "portal")
        self.assertEqual(self.customer.care_consent_marketing, "withdrawn")
        self.assertEqual(
            self.Event.search([("partner_id", "=", self.customer.id)]).mapped(
                "channel"
            ),
            ["portal", "agent"],
        )
        # The same decision again records nothing new.
        self.assertFalse(
            self.Event._record(self.customer, "marketing", False, "portal")
        )

    def test_company_consent_applies_to_contacts(self):
        self.Event._record(self.customer_colleague, "emotion", False, "agent")
        event = self.Event.search([("purpose", "=", "emotion")])
        self.assertEqual(event.partner_id, self.customer_company)
        self.assertTrue(self.customer_company.care_emotion_objected)
        self.assertTrue(self.customer_colleague.care_emotion_objected)
        contact = self.env["res.partner"].create(
            {"name": "Đỗ Văn Hùng", "parent_id": self.customer_company.id}
        )
        self.assertEqual(contact.care_consent_emotion, "withdrawn")

    def test_objection_stops_new_journal_entries(self):
        self.assertEqual(len(self._customer_says(self.ticket, ANGRY)), 1)
        self.Event._record(self.customer, "emotion", False, "agent", proof="Call")
        self.assertFalse(self._customer_says(self.ticket, DISAPPOINTED))
        # The ticket still hears the customer (the message is there).
        self.assertIn(DISAPPOINTED, self.ticket.message_ids[0].body)
        # A rating is not analysed either.
        self.ticket.rating_apply(1, token=self.ticket._rating_get_access_token())
        self.assertFalse(
            self.env["care.emotion.entry"].search(
                [("ticket_id", "=", self.ticket.id), ("source", "=", "rating")]
            )
        )

    def test_agent_entry_for_objecting_customer_is_refused(self):
        self.Event._record(self.customer, "emotion", False, "agent")
        with self.assertRaises(UserError):
            self.env["care.emotion.entry"].with_user(self.user_agent).create(
                {
                    "partner_id": self.customer.id,
                    "ticket_id": self.ticket.id,
                    "label": "angry",
                    "source": "manual",
                }
            )

    def test_company_default_needs_explicit_consent(self):
        self.env.company.care_consent_emotion_default = "not_given"
        self.assertFalse(self._customer_says(self.ticket, ANGRY))
        self.Event._record(self.customer, "emotion", True, "agent", proof="Form")
        self.assertEqual(len(self._customer_says(self.ticket, ANGRY)), 1)

    def test_marketing_withdrawal_leaves_mailings_only(self):
        subscription = self._mailing_subscription("An.Nguyen@example.com")
        other = self._mailing_subscription("mai.vo@example.com")
        self.Event._record(self.customer, "marketing", False, "portal")
        self.assertTrue(subscription.opt_out)
        self.assertFalse(other.opt_out, "another customer stays subscribed")
        self.assertFalse(
            self.env["mail.blacklist"].search([]),
            "withdrawing marketing blacklists nothing",
        )

    def test_marketing_domain_honours_consent_and_blacklist(self):
        Partner = self.env["res.partner"]
        self.Event._record(
            self.customer | self.other_customer, "marketing", True, "public_form"
        )
        domain = Partner._care_marketing_domain()
        self.assertEqual(
            Partner.search(domain & Domain("id", "in", self.partners.ids)),
            self.customer | self.other_customer,
        )
        self.env["mail.blacklist"]._add(self.other_customer.email)
        self.assertEqual(
            Partner.search(domain & Domain("id", "in", self.partners.ids)),
            self.customer,
        )

    def test_partner_mailing_skips_customers_without_consent(self):
        self.Event._record(self.customer, "marketing", True, "public_form")
        self.Event._record(self.other_customer, "marketing", False, "portal")
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Ưu đãi Tết",
                "body_html": "<p>Giảm 20%</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", self.partners.ids)]),
            }
        )
        opt_out = mailing._get_opt_out_list()
        self.assertNotIn("an.nguyen@example.com", opt_out)
        self.assertIn("mai.vo@example.com", opt_out, "withdrawn")
        self.assertIn("trang@minhan.example.com", opt_out, "never asked")

    @property
    def partners(self):
        return self.customer | self.other_customer | self.customer_colleague

    def test_history_is_append_only(self):
        event = self.Event.with_user(self.user_agent).create(
            {
                "partner_id": self.customer.id,
                "purpose": "marketing",
                "given": True,
                "channel": "agent",
                "proof": "Gọi điện",
            }
        )
        self.assertEqual(event.user_id, self.user_agent)
        with self.assertRaises(AccessError):
            event.with_user(self.user_agent).write({"given": False})
        with self.assertRaises(AccessError):
            event.with_user(self.user_manager).unlink()

    @users("cc_agent")
    def test_agent_records_consent_with_note(self):
        wizard = self.env["care.consent.update"].create(
            {
                "partner_id": self.customer.id,
                "purpose": "marketing",
                "decision": "given",
                "note": "Khách đồng ý qua điện thoại",
            }
        )
        wizard.action_apply()
        event = self.env["care.consent.event"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(event.channel, "agent")
        self.assertEqual(event.proof, "Khách đồng ý qua điện thoại")
        self.assertEqual(event.user_id, self.user_agent)
        self.assertEqual(self.customer.care_consent_marketing, "given")


@tagged("post_install", "-at_install")
class TestCareConsentPortal(ConsentMixin, CarePortalCommon):
    def test_portal_withdrawal_stops_journal_and_mailings(self):
        partner = self.user_portal.partner_id
        self.assertEqual(len(self._customer_says(self.ticket_a, ANGRY, partner)), 1)
        subscription = self._mailing_subscription(partner.email)
        self.Event = self.env["care.consent.event"]
        self.Event._record(partner, "marketing", True, "public_form")
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open("/my/privacy")
        self.assertEqual(res.status_code, 200)
        self.assertIn('name="emotion"', res.text)
        # Both switches off.
        res = self._post("/my/privacy", {})
        self.assertEqual(res.status_code, 303)
        self.assertIn("/my/privacy?saved=1", res.headers["Location"])
        company = self.customer_company
        self.assertEqual(company.care_consent_emotion, "withdrawn")
        self.assertEqual(company.care_consent_marketing, "withdrawn")
        events = self.Event.search([("partner_id", "=", company.id)])
        self.assertEqual(set(events.mapped("channel")), {"portal", "public_form"})
        # No entry for a new message; the existing ones were erased.
        self.assertFalse(self._customer_says(self.ticket_a, DISAPPOINTED, partner))
        self.assertFalse(
            self.env["care.emotion.entry"].search([("partner_id", "=", partner.id)])
        )
        self.assertTrue(subscription.opt_out)
        res = self.url_open("/my/privacy?saved=1")
        self.assertIn("o_care_privacy_saved", res.text)

    def test_mail_link_withdraws_with_token_only(self):
        Event = self.env["care.consent.event"]
        partner = self.customer
        url = partner._care_consent_url("emotion")
        self.authenticate(None, None)
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(partner.care_consent_emotion, "unknown", "GET changes nothing")
        bad = url.rsplit("/", 1)[0] + "/" + "0" * 64
        self.assertEqual(self._post(bad).status_code, 404)
        other = url.replace(f"/{partner.id}/", f"/{self.other_customer.id}/")
        self.assertEqual(self._post(other).status_code, 404)
        res = self._post(url)
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_consent_done", res.text)
        partner.invalidate_recordset()
        self.assertEqual(partner.care_consent_emotion, "withdrawn")
        self.assertEqual(
            Event.search([("partner_id", "=", partner.id)]).channel, "mail_link"
        )

    def test_acknowledgement_carries_the_withdrawal_links(self):
        ticket = self._ticket(partner_id=self.customer.id)
        self.env["care.ticket"]._send_pending_notices()
        mail = self.env["mail.mail"].search(
            [("model", "=", "care.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertIn(self.customer._care_consent_url("emotion"), mail.body_html)
        self.assertIn(self.customer._care_consent_url("marketing"), mail.body_html)

    def test_public_form_box_is_explicit(self):
        data = {
            "form_token": self._form_token(),
            "name": "Lý Thu Hà",
            "email": "thuha@example.com",
            "topic_id": str(self.topic_orders.id),
            "subject": "Tủ lạnh không lạnh",
            "description": "Ngăn dưới không lạnh",
        }
        self.authenticate(None, None)
        res = self.url_open("/help/new")
        self.assertIn('name="marketing_consent"', res.text)
        self.assertNotIn("checked", res.text.split('name="marketing_consent"')[1][:40])
        self._post("/help/new", data)
        partner = self.env["res.partner"].search([("email", "=", "thuha@example.com")])
        self.assertEqual(partner.care_consent_marketing, "unknown", "unticked box")
        self._post(
            "/help/new",
            dict(data, form_token=self._form_token(), marketing_consent="on"),
        )
        partner.invalidate_recordset()
        self.assertEqual(partner.care_consent_marketing, "given")
        event = self.env["care.consent.event"].search([("partner_id", "=", partner.id)])
        self.assertEqual(event.channel, "public_form")


@tagged("post_install", "-at_install")
class TestCareConsentTour(CarePortalCommon):
    def test_customer_withdraws_consent_on_the_portal(self):
        company = self.user_portal.partner_id.commercial_partner_id
        self.assertEqual(company.care_consent_emotion, "unknown")
        self.start_tour("/my/privacy", "care_portal_privacy", login="cc_portal")
        company.invalidate_recordset()
        self.assertEqual(company.care_consent_emotion, "withdrawn")
        event = self.env["care.consent.event"].search([("partner_id", "=", company.id)])
        self.assertEqual(event.channel, "portal")
        self.assertEqual(event.user_id, self.user_portal)
