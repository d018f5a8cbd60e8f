from odoo import fields
from odoo.tests import Form, freeze_time, tagged, users

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import CareCommon


@tagged("post_install", "-at_install")
class TestCareTicket(CareCommon):
    def test_number_from_company_sequence(self):
        ticket = self._ticket()
        year = fields.Date.today().year
        self.assertRegex(ticket.number, rf"^CC/{year}/\d{{5}}$")
        other = self._ticket()
        self.assertNotEqual(ticket.number, other.number)
        self.assertIn(ticket.number, ticket.display_name)

    def test_number_per_company(self):
        ticket = self._ticket()
        team_2 = self.env["care.team"].create(
            {"name": "Đà Nẵng", "company_id": self.company_2.id}
        )
        ticket_2 = self.env["care.ticket"].create(
            {"name": "Hỏi giá", "team_id": team_2.id, "company_id": self.company_2.id}
        )
        seq = self.env["ir.sequence"].search(
            [("code", "=", "care.ticket"), ("company_id", "=", self.company_2.id)]
        )
        self.assertEqual(len(seq), 1, "a new company gets its own sequence")
        self.assertTrue(ticket_2.number.endswith("00001"))
        self.assertNotEqual(ticket.number, ticket_2.number or "")

    def test_first_stage_of_team(self):
        intake = self.env["care.stage"].create(
            {"name": "Tiếp nhận", "sequence": 0, "team_ids": [(6, 0, self.team.ids)]}
        )
        self.assertEqual(self._ticket().stage_id, intake)
        other = self._ticket(team_id=self.team_tech.id)
        self.assertEqual(other.stage_id, self.stage_new, "not another team's stage")

    def test_team_change_keeps_allowed_stage(self):
        ticket = self._ticket()
        ticket.stage_id = self.stage_waiting
        ticket.team_id = self.team_tech
        self.assertEqual(ticket.stage_id, self.stage_waiting, "shared stage is kept")

    def test_close_sets_date_and_reopen_counts(self):
        ticket = self._ticket()
        with freeze_time("2026-03-02 09:00:00"):
            ticket.action_close()
            self.assertTrue(ticket.is_closed)
            self.assertEqual(
                ticket.date_closed, fields.Datetime.to_datetime("2026-03-02 09:00:00")
            )
        ticket.action_reopen()
        self.assertFalse(ticket.is_closed)
        self.assertFalse(ticket.date_closed)
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_partner_fields_follow_customer(self):
        ticket = self._ticket()
        self.assertEqual(ticket.partner_email, "an.nguyen@example.com")
        self.assertEqual(ticket.partner_phone, "0912.345.678")
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        token = ticket._portal_ensure_token()
        ticket.partner_id = self.other_customer
        self.assertEqual(ticket.partner_email, "mai.vo@example.com")
        self.assertNotEqual(
            ticket._portal_ensure_token(), token, "a new customer gets a new link"
        )
        self.assertIn(self.other_customer, ticket.message_partner_ids)

    def test_customer_email_stored_bare_and_lowercase(self):
        partner = self.env["res.partner"].create(
            {"name": "Phan Văn Đức", "email": '"Đức" <Duc.Phan@Example.COM>'}
        )
        ticket = self._ticket(partner_id=partner.id)
        self.assertEqual(ticket.partner_email, "duc.phan@example.com")
        # Odoo's loop detection then finds the sender's tickets by index.
        domain = self.env["care.ticket"]._detect_loop_sender_domain(
            "duc.phan@example.com"
        )
        self.assertEqual(self.env["care.ticket"].search(domain), ticket)

    def test_customer_is_follower(self):
        ticket = self._ticket()
        self.assertIn(self.customer, ticket.message_partner_ids)

    def _mail_env(self):
        """Tickets as users make them: BaseCommon disables tracking, creation
        messages and subscriptions."""
        return self.env["care.ticket"].with_context(
            **dict.fromkeys(DISABLED_MAIL_CONTEXT, False)
        )

    def _subtypes_of(self, ticket, partner):
        follower = ticket.message_follower_ids.filtered(
            lambda f: f.partner_id == partner
        )
        self.assertEqual(len(follower), 1, f"{partner.name} follows once")
        return follower.subtype_ids

    def test_followers_of_new_tickets(self):
        """The creator, the assignee and the customer follow a new ticket, each
        with the subtypes mail.thread would give them; nobody follows "Ticket
        Created", so the creation message is logged, not sent."""
        new_subtype = self.env.ref("customer_care.mt_ticket_new")
        comment = self.env.ref("mail.mt_comment")
        self.team.message_unsubscribe(self.team.message_partner_ids.ids)
        tickets = (
            self._mail_env()
            .with_user(self.user_agent)
            .create(
                [
                    {
                        "name": f"Máy lạnh số {i}",
                        "team_id": self.team.id,
                        "partner_id": partner.id,
                        "user_id": self.user_agent_2.id,
                    }
                    for i, partner in enumerate((self.customer, self.other_customer))
                ]
            )
        )
        for ticket in tickets:
            self.assertEqual(
                ticket.message_partner_ids,
                self.user_agent.partner_id
                | self.user_agent_2.partner_id
                | ticket.partner_id,
            )
            customer_subtypes = self._subtypes_of(ticket, ticket.partner_id)
            self.assertIn(comment, customer_subtypes)
            self.assertFalse(customer_subtypes.filtered("internal"))
            self.assertNotIn(
                new_subtype, self._subtypes_of(ticket, self.user_agent_2.partner_id)
            )
            creation = ticket.message_ids.filtered(
                lambda m: m.message_type == "notification"
            )
            self.assertEqual(len(creation), 1, "one creation message per ticket")
            self.assertIn("created", creation.body)
            self.assertFalse(creation.notification_ids, "nobody to notify")

    def test_assignee_from_context_default_follows(self):
        ticket = (
            self._mail_env()
            .with_context(default_user_id=self.user_agent_2.id)
            .create({"name": "Gọi lại cho khách", "team_id": self.team_tech.id})
        )
        self.assertEqual(ticket.user_id, self.user_agent_2)
        self.assertIn(self.user_agent_2.partner_id, ticket.message_partner_ids)

    def test_team_follower_notified_of_new_ticket(self):
        """A user following the team (default subtypes include "Ticket
        Created") follows each new ticket of the team and is notified of it,
        once, as mail.thread does for a project's followers."""
        new_subtype = self.env.ref("customer_care.mt_ticket_new")
        watcher = self.user_manager.partner_id
        self.team.message_subscribe(watcher.ids)
        tickets = self._mail_env().create(
            [
                {"name": "Giao nhầm màu", "team_id": self.team.id},
                {"name": "Hỏi giá", "team_id": self.team_tech.id},
            ]
        )
        ticket, other = tickets
        self.assertIn(new_subtype, self._subtypes_of(ticket, watcher))
        creation = ticket.message_ids.filtered(lambda m: m.subtype_id == new_subtype)
        self.assertEqual(len(creation), 1)
        self.assertEqual(creation.notification_ids.res_partner_id, watcher)
        self.assertNotIn(watcher, other.message_partner_ids, "not the other team")
        self.assertFalse(
            other.message_ids.filtered(lambda m: m.subtype_id == new_subtype)
        )

    def test_no_creation_message_when_asked(self):
        ticket = (
            self._mail_env()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create({"name": "Nhập từ Excel", "team_id": self.team.id})
        )
        self.assertFalse(ticket.message_ids)
        self.assertNotIn(self.env.user.partner_id, ticket.message_partner_ids)

    # ---- customer matching ----

    def test_find_partner_by_email(self):
        Ticket = self.env["care.ticket"]
        found = Ticket._find_or_create_partner('"An" <AN.Nguyen@Example.com>')
        self.assertEqual(found, self.customer)

    def test_find_partner_by_phone_spellings(self):
        Ticket = self.env["care.ticket"]
        for phone in ("+84 912 345 678", "84912345678", "0912345678", "(091) 234-5678"):
            self.assertEqual(
                Ticket._find_or_create_partner(None, phone), self.customer, phone
            )

    def test_create_partner_when_unknown(self):
        Ticket = self.env["care.ticket"]
        partner = Ticket._find_or_create_partner("Bùi Thị Hoa <hoa.bui@example.com>")
        self.assertEqual(partner.name, "Bùi Thị Hoa")
        self.assertEqual(partner.email, "hoa.bui@example.com")
        self.assertFalse(Ticket._find_or_create_partner(None, "12"), "too short")

    def test_ticket_from_email_and_phone_values(self):
        ticket = self.env["care.ticket"].create(
            {
                "name": "Hỏi bảo hành",
                "team_id": self.team.id,
                "partner_phone": "+84 912 345 678",
            }
        )
        self.assertEqual(ticket.partner_id, self.customer)

    # ---- accent-insensitive search ----

    def test_search_ignores_accents(self):
        ticket = self._ticket(name="Đơn hàng bị lỗi màn hình")
        Ticket = self.env["care.ticket"]
        for term in (
            "don hang",
            "ĐƠN HÀNG",
            "loi man hinh",
            "nguyen van an",
            ticket.number,
        ):
            self.assertIn(ticket, Ticket.search([("text_search", "ilike", term)]), term)
        self.assertIn(ticket, Ticket.search([("text_search", "ilike", "0912 345 678")]))
        self.assertNotIn(ticket, Ticket.search([("text_search", "ilike", "tu lanh")]))
        self.assertIn(ticket, Ticket.search([("display_name", "ilike", "bi loi")]))
        self.assertNotIn(
            ticket, Ticket.search([("text_search", "not ilike", "don hang")])
        )

    # ---- replies and reopening ----

    def test_first_reply_only_by_agent_public_message(self):
        ticket = self._ticket()
        ticket_agent = ticket.with_user(self.user_agent)
        ticket_agent.message_post(body="Ghi chú nội bộ", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.date_first_reply, "an internal note is not a reply")
        ticket.message_post(
            body="Tôi vẫn chờ",
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.date_first_reply, "the customer is not an agent")
        self.assertTrue(ticket.date_last_customer_message)
        with freeze_time("2026-05-04 10:00:00"):
            ticket_agent.message_post(
                body="Chào anh, em đã kiểm tra",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(
            ticket.date_first_reply, fields.Datetime.to_datetime("2026-05-04 10:00:00")
        )
        self.assertEqual(ticket.date_last_agent_reply, ticket.date_first_reply)

    def test_customer_message_reopens_closed_ticket(self):
        ticket = self._ticket()
        ticket.action_close()
        ticket.message_post(
            body="Vẫn chưa sửa được",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.is_closed)
        self.assertEqual(ticket.reopen_count, 1)

    # ---- log call / chat ----

    @users("cc_agent")
    def test_log_call_creates_ticket(self):
        form = Form(self.env["care.ticket.log.contact"])
        form.phone = "+84 912 345 678"
        self.assertEqual(form.partner_id, self.customer, "matched by phone")
        form.notes = "<p>Khách gọi hỏi lịch giao tủ lạnh đơn SV-2026-10452</p>"
        form.team_id = self.team
        wizard = form.save()
        action = wizard.action_log()
        ticket = self.env["care.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.channel, "phone")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.user_id, self.env.user)
        self.assertIn("SV-2026-10452", ticket.name)

    @users("cc_agent")
    def test_log_chat_on_existing_ticket(self):
        ticket = self._ticket().with_user(self.env.user)
        wizard = self.env["care.ticket.log.contact"].create(
            {
                "channel": "chat",
                "ticket_id": ticket.id,
                "partner_id": self.customer.id,
                "notes": "<p>Khách nhắn Zalo hỏi tiến độ</p>",
            }
        )
        wizard.action_log()
        self.assertIn("Zalo", ticket.message_ids[0].body)
        self.assertTrue(ticket.message_ids[0].subtype_id.internal)
        self.assertEqual(
            self.env["care.ticket"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )

    # ---- dashboard ----

    def test_team_dashboard_counters(self):
        self._ticket(user_id=self.user_agent.id)
        self._ticket(priority="3")
        self._ticket().action_close()
        team = self.team.with_user(self.user_agent)
        self.assertEqual(team.ticket_open_count, 2)
        self.assertEqual(team.ticket_unassigned_count, 1)
        self.assertEqual(team.ticket_urgent_count, 1)
        self.assertEqual(team.ticket_mine_count, 1)
        action = team.action_view_unassigned()
        self.assertEqual(
            self.env["care.ticket"].search_count(action["domain"]),
            2,
            "the action shows the team's unassigned tickets (open and closed)",
        )

    def test_partner_ticket_count_includes_contacts(self):
        self._ticket(partner_id=self.customer_colleague.id)
        self._ticket(partner_id=self.customer_company.id)
        self.assertEqual(self.customer_company.care_ticket_count, 2)
        self.assertEqual(self.customer_colleague.care_ticket_count, 1)
