"""Tickets ↔ sales orders (issue 12, scope 1–2): only the customer's own
orders are linked, in the backend, from a mail, the portal form and the
public form; an agent without sales rights reads their summary."""

import time

from odoo.exceptions import AccessError, ValidationError
from odoo.http import Request
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.misc import hash_sign

from odoo.addons.customer_care.controllers.intake import FORM_SCOPE

from .sale_common import CareSaleCommon

MAIL = """From: {email_from}
To: {to}
Subject: {subject}
Message-ID: <{msg_id}@example.com>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestCareSaleLink(CareSaleCommon):
    def test_backend_links_orders_of_the_commercial_customer_only(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        # The colleague's own order and her company's order: the same customer.
        ticket.sale_order_ids = self.order_a | self.order_a2
        self.assertEqual(ticket.sale_order_ids, self.order_a | self.order_a2)
        self.assertEqual(self.order_a.care_ticket_ids, ticket, "the inverse link")
        with self.assertRaises(ValidationError):
            ticket.sale_order_ids = self.order_b
        # A new customer cannot keep the previous customer's orders.
        with self.assertRaises(ValidationError):
            ticket.partner_id = self.other_customer
        ticket.invalidate_recordset()
        self.assertEqual(ticket.sale_order_ids, self.order_a | self.order_a2)

    def test_order_of_another_company_is_refused(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_colleague.id,
                "company_id": self.company_2.id,
                "order_line": [(0, 0, {"product_id": self.fan.id})],
            }
        )
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        with self.assertRaises(ValidationError):
            ticket.sale_order_ids = order
        self.assertFalse(ticket.sale_order_ids)

    def test_field_domain_offers_the_customer_orders(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        domain = ticket._fields["sale_order_ids"].domain
        offered = self.env["sale.order"].search(
            [
                (
                    "partner_id.commercial_partner_id",
                    "=",
                    ticket.commercial_partner_id.id,
                )
            ]
        )
        self.assertIn("commercial_partner_id", domain)
        self.assertEqual(offered, self.order_a | self.order_a2)

    def test_summary_shows_state_delivery_invoice_and_amount(self):
        self._deliver(self.order_a)
        invoice = self._invoice(self.order_a)
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        ticket.sale_order_ids = self.order_a | self.order_a2
        digest = {row["name"]: row for row in ticket._sale_order_digest()}
        row = digest[self.order_a.name]
        self.assertEqual(row["delivery_key"], "full")
        self.assertEqual(row["pickings"][0]["state_key"], "done")
        self.assertTrue(row["pickings"][0]["done"])
        self.assertEqual(row["invoices"][0]["name"], invoice.name)
        self.assertEqual(row["invoices"][0]["payment_key"], "not_paid")
        self.assertEqual(digest[self.order_a2.name]["delivery_key"], "pending")
        self.assertEqual(ticket.sale_order_count, 2)
        self.assertIn(self.order_a.name, ticket.sale_order_summary)
        self.assertIn(invoice.name, ticket.sale_order_summary)

    def test_agent_without_sales_rights_reads_the_summary(self):
        self._deliver(self.order_a)
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        ticket.sale_order_ids = self.order_a
        agent = self.user_agent
        self.assertFalse(agent.has_group("sales_team.group_sale_salesman"))
        with self.assertRaises(AccessError):
            self.order_a.with_user(agent).check_access("read")
        # The form as she loads it (her view, her fields): no access error.
        form = Form(ticket.with_user(agent))
        self.assertIn(self.order_a.name, form.sale_order_summary)
        values = ticket.with_user(agent).read(["sale_order_count", "product_ids"])
        self.assertEqual(values[0]["sale_order_count"], 1)

    def test_new_ticket_from_order_is_prefilled(self):
        action = self.order_a.with_user(self.user_agent_sales).action_new_care_ticket()
        ticket = (
            self.env["care.ticket"]
            .with_user(self.user_agent_sales)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(ticket.partner_id, self.customer_colleague)
        self.assertEqual(ticket.sale_order_ids, self.order_a)
        self.assertEqual(ticket.product_ids, self.fridge)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(self.order_a.care_ticket_count, 1)
        tickets = self.order_a.action_view_care_tickets()
        self.assertEqual(self.env["care.ticket"].search(tickets["domain"]), ticket)


@tagged("post_install", "-at_install", "mail_gateway")
class TestCareSaleMail(CareSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "cc-sale.example.com"})
        cls.company.alias_domain_id = domain
        cls.team.write({"alias_name": "donhang", "alias_domain_id": domain.id})
        cls.order_c = cls._order(cls.customer, client_order_ref="AN-889123")

    def _mail(self, subject, body, email_from="An <an.nguyen@example.com>", extra=""):
        self._n = getattr(self, "_n", 0) + 1
        raw = MAIL.format(
            email_from=email_from,
            to="donhang@cc-sale.example.com",
            subject=subject,
            msg_id=f"cc-sale-{self._n}",
            extra=extra,
            body=body,
        )
        self.env["mail.thread"].sudo().message_process(None, raw.encode())
        return self.env["care.ticket"].search([("name", "=", subject)])

    def test_mail_links_the_sender_order_never_another_customer(self):
        body = (
            f"Đơn {self.order_c.name.lower()} chưa giao. "
            f"Còn đơn {self.order_b.name} của chị Mai thì sao?"
        )
        ticket = self._mail("Chưa nhận được hàng", body)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.sale_order_ids, self.order_c)

    def test_reference_in_mail_links_only_for_its_owner(self):
        ticket = self._mail(
            "Hỏi đơn của người khác",
            f"Cho tôi hỏi đơn {self.order_c.name} và mã AN-889123",
            email_from="Mai <mai.vo@example.com>",
        )
        self.assertEqual(ticket.partner_id, self.other_customer)
        self.assertFalse(ticket.sale_order_ids)

    def test_reply_links_the_customer_reference(self):
        ticket = self._mail("Giao hàng", "Khi nào giao ạ?")
        self.assertFalse(ticket.sale_order_ids)
        self._mail(
            f"Re: {ticket.number} Giao hàng",
            "Mã đơn của tôi là AN-889123",
            extra=f"In-Reply-To: <cc-sale-{self._n}@example.com>\n",
        )
        self.assertEqual(ticket.sale_order_ids, self.order_c)
        self.assertEqual(
            len(
                self.env["care.ticket"].search([("partner_id", "=", self.customer.id)])
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestCareSaleIntake(HttpCase, CareSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.is_published = True
        cls.topic = cls.env["care.topic"].create(
            {"name": "Orders and delivery", "team_id": cls.team.id}
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "customer_care.intake_min_seconds", 0
        )

    def _submit(self, url, **values):
        data = {
            "csrf_token": Request.csrf_token(self),
            "form_token": hash_sign(
                self.env(su=True), FORM_SCOPE, {"ts": int(time.time()) - 10}
            ),
            "topic_id": str(self.topic.id),
            "subject": values.pop("subject", "Hỏi về đơn hàng"),
            "description": "Khi nào giao?",
            **values,
        }
        return self.url_open(url, data=data, allow_redirects=False)

    def _last_ticket(self):
        return self.env["care.ticket"].search([], order="id desc", limit=1)

    def test_portal_form_links_own_order_only(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self._submit(
            "/my/tickets/new",
            subject="Đơn người khác",
            order_reference=self.order_b.name,
        )
        self.assertEqual(res.status_code, 303)
        foreign = self._last_ticket()
        self.assertEqual(foreign.name, "Đơn người khác")
        self.assertFalse(foreign.sale_order_ids)
        self.assertEqual(foreign.order_reference, self.order_b.name, "text kept")
        res = self._submit(
            "/my/tickets/new", subject="Đơn của tôi", order_reference="po-ma-17"
        )
        self.assertEqual(res.status_code, 303)
        own = self._last_ticket()
        self.assertEqual(own.name, "Đơn của tôi")
        self.assertEqual(own.sale_order_ids, self.order_a)

    def test_public_form_links_only_when_the_email_is_the_order_customer(self):
        self.authenticate(None, None)
        res = self._submit(
            "/help/new",
            subject="Khách lạ",
            name="Khách lạ",
            email="stranger@example.com",
            order_reference=self.order_b.name,
        )
        stranger = self._last_ticket()
        self.assertEqual(stranger.name, "Khách lạ")
        self.assertFalse(stranger.sale_order_ids)
        self.assertNotIn(self.order_b.name, res.text, "nothing said about the order")
        self._submit(
            "/help/new",
            subject="Chị Mai hỏi đơn",
            name="Võ Thị Mai",
            email="mai.vo@example.com",
            order_reference=self.order_b.name,
        )
        owner = self._last_ticket()
        self.assertEqual(owner.name, "Chị Mai hỏi đơn")
        self.assertEqual(owner.partner_id, self.other_customer)
        self.assertEqual(owner.sale_order_ids, self.order_b)

    def test_form_is_prefilled_with_the_order_reference(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/new?order_reference={self.order_a.name}")
        self.assertEqual(res.status_code, 200)
        self.assertIn(f'value="{self.order_a.name}"', res.text)
