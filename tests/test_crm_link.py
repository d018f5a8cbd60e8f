from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, users

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CareCommon

ANGRY = "Giao hàng trễ quá, rất bực! Tôi muốn hoàn tiền ngay, lừa đảo à?"


class TestCrmLink(CareCommon):
    """Ticket → opportunity → ticket, the customer's care on the opportunity,
    and the salesperson the care scenarios notify."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An agent who also sells: converting needs the sales rights.
        cls.agent_seller = mail_new_test_user(
            cls.env,
            login="cc_agent_seller",
            name="Lý Thị Thu",
            email="thu@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.team.member_ids += cls.agent_seller
        cls.salesman = mail_new_test_user(
            cls.env,
            login="cc_salesman",
            name="Bùi Văn Hải",
            email="hai@saoviet.example.com",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.account_manager = mail_new_test_user(
            cls.env,
            login="cc_account",
            name="Đỗ Thị Hà",
            email="ha@saoviet.example.com",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.customer.user_id = cls.account_manager

    def _customer_message(self, ticket, body):
        return ticket.message_post(
            body=body,
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @users("cc_agent_seller")
    def test_round_trip_ticket_opportunity_ticket(self):
        ticket = self._ticket(name="Hỏi mua 10 điều hòa cho văn phòng")
        ticket = ticket.with_user(self.env.user)
        self._customer_message(ticket.sudo(), "Báo giá giúp tôi 10 máy 12000 BTU")
        action = ticket.action_care_convert_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.user_id, self.account_manager, "customer's salesperson")
        self.assertEqual(ticket.lead_id, lead)
        self.assertEqual(lead.care_ticket_ids, ticket)
        note = lead.message_ids.filtered(lambda m: ticket.number in (m.body or ""))
        self.assertTrue(note, "the opportunity links back to the ticket")
        self.assertIn("10 máy 12000 BTU", note.body, "the conversation comes along")
        self.assertIn(lead.name, ticket.message_ids[0].body)
        # Converting again opens the same opportunity.
        again = ticket.action_care_convert_opportunity()
        self.assertEqual(again["res_id"], lead.id)
        self.assertEqual(
            self.env["crm.lead"].search_count([("name", "=", lead.name)]), 1
        )

        # From the opportunity, a new ticket prefilled and linked.
        action = lead.action_care_new_ticket()
        form = Form(self.env["care.ticket"].with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.name, lead.name)
        second = form.save()
        self.assertEqual(second.lead_id, lead)
        self.assertEqual(lead.care_ticket_ids, ticket | second)
        self.assertEqual(lead.care_ticket_count, 2)
        self.assertEqual(lead.care_open_ticket_count, 2)

    def test_convert_needs_a_customer(self):
        ticket = self._ticket(partner_id=False, partner_email=False)
        with self.assertRaises(UserError):
            ticket.action_care_convert_opportunity()
        self.assertFalse(ticket.lead_id)

    def test_own_pipeline_salesperson_keeps_the_opportunity(self):
        agent = mail_new_test_user(
            self.env,
            login="cc_agent_own_leads",
            name="Mai Thị Hồng",
            email="hong@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user,"
            "sales_team.group_sale_salesman",
        )
        self.team.member_ids += agent
        ticket = self._ticket().with_user(agent)
        action = ticket.action_care_convert_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.user_id, agent, "she may not assign it to others")
        self.assertEqual(ticket.lead_id, lead)

    def test_agent_without_sales_rights_cannot_convert(self):
        ticket = self._ticket().with_user(self.user_agent_2)
        with self.assertRaises(AccessError):
            ticket.action_care_convert_opportunity()
        self.assertFalse(ticket.sudo().lead_id)

    def test_lead_shows_mood_as_the_journal_rules_say(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        self._customer_message(ticket, ANGRY)
        lead = self.env["crm.lead"].create(
            {
                "name": "Máy lạnh văn phòng",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
            }
        )
        self.assertEqual(self.customer.care_mood, "angry")
        self.assertEqual(lead.with_user(self.user_manager).care_mood, "angry")
        self.assertEqual(lead.with_user(self.user_agent).care_mood, "angry")
        self.assertEqual(lead.with_user(self.user_agent).care_open_ticket_count, 1)
        # An agent with no ticket of this customer sees no mood (as on the partner).
        outsider = lead.with_user(self.user_outsider)
        self.assertFalse(outsider.care_mood)
        self.assertFalse(
            self.customer.with_user(self.user_outsider).read(["care_mood"])[0][
                "care_mood"
            ]
        )

    def test_salesperson_notified_is_the_opportunity_one(self):
        angry = self.env["care.emotion.label"].search([("code", "=", "angry")])
        scenario = self.env["care.scenario"].create(
            {
                "name": "Khách giận: báo người bán",
                "label_ids": [(6, 0, angry.ids)],
                "notify_salesperson": True,
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tủ lạnh cho chuỗi quán",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
            }
        )
        ticket = self._ticket()
        self._customer_message(ticket, ANGRY)
        run = self.env["care.scenario.run"].search([("scenario_id", "=", scenario.id)])
        self.assertEqual(len(run), 1)
        self.assertIn(self.salesman.name, run.note)
        activity = lead.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertEqual(len(activity), 1, "a to-do on the opportunity")
        self.assertFalse(
            self.customer.activity_ids.filtered(
                lambda a: a.user_id == self.account_manager
            ),
            "not the customer's salesperson",
        )
        # A won opportunity is not open: the customer's salesperson again.
        lead.action_set_won()
        entry = self.env["care.emotion.entry"].create(
            {"ticket_id": ticket.id, "label": "angry", "intensity": 5}
        )
        self.assertIn(self.account_manager.name, scenario._notify_salesperson(entry))
        self.assertTrue(
            self.customer.activity_ids.filtered(
                lambda a: a.user_id == self.account_manager
            )
        )
