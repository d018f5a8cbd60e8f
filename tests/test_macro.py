from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged, users

from .common import CareCommon

EN = "<p>Please send us your order number.</p>"


class TestMacro(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.customer.lang = "vi_VN"
        cls.other_customer.lang = "en_US"
        cls.tag = cls.env["care.tag"].create({"name": "Thiếu thông tin"})
        cls.macro = cls.env["care.macro"].create(
            {
                "name": "Ask for the order number",
                "body": EN,
                "stage_id": cls.stage_waiting.id,
                "priority": "2",
                "tag_ids": [(6, 0, cls.tag.ids)],
                "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id,
                "activity_delay_days": 2,
                "activity_note": "Check the order",
            }
        )
        # Html(translate=True) is translated term by term (html_translate).
        cls.macro.update_field_translations(
            "body",
            {
                "vi_VN": {
                    "Please send us your order number.": (
                        "Anh/chị vui lòng gửi giúp chúng tôi mã đơn hàng."
                    )
                }
            },
        )

    def _apply(self, ticket, macro=None, user=None):
        wizard = (
            self.env["care.ticket.apply.macro"]
            .with_user(user or self.env.user)
            .with_context(default_ticket_id=ticket.id)
            .create({"macro_id": (macro or self.macro).id})
        )
        wizard.action_apply()

    @users("cc_agent")
    def test_macro_changes_fields_and_answers_in_vietnamese(self):
        ticket = self._ticket(user_id=self.user_agent.id).with_user(self.env.user)
        with freeze_time("2026-03-10 03:00:00"):
            self._apply(ticket)
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertEqual(ticket.priority, "2")
        self.assertIn(self.tag, ticket.tag_ids)
        reply = ticket.message_ids[0]
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(reply.author_id, self.user_agent.partner_id)
        self.assertIn("vui lòng gửi giúp", reply.body)
        self.assertTrue(ticket.date_first_reply, "the macro's reply is the agent's")
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_agent)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(activity.care_due_at, datetime(2026, 3, 12, 3, 0))
        self.assertEqual(activity.care_reason, "Ask for the order number")
        self.assertEqual(self.macro.sudo().use_count, 1)

    def test_english_customer_gets_english(self):
        ticket = self._ticket(partner_id=self.other_customer.id)
        self._apply(ticket)
        self.assertIn("Please send us your order number", ticket.message_ids[0].body)
        self._apply(ticket)
        self.assertEqual(self.macro.use_count, 2)

    def test_template_reply_and_assignment(self):
        macro = self.env["care.macro"].create(
            {
                "name": "Solved",
                "template_id": self.env.ref(
                    "customer_care.mail_template_care_ticket_solved"
                ).id,
                "assign_to_me": True,
                "team_id": self.team_tech.id,
            }
        )
        ticket = self._ticket(partner_id=self.other_customer.id)
        self._apply(ticket, macro, user=self.user_manager)
        self.assertEqual(ticket.team_id, self.team_tech)
        self.assertEqual(ticket.user_id, self.user_manager)
        reply = ticket.message_ids[0]
        self.assertIn(ticket.number, reply.subject)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))

    @users("cc_agent")
    def test_agents_use_macros_managers_define_them(self):
        macro = self.macro.with_user(self.env.user)
        self.assertEqual(macro.name, "Ask for the order number")
        with self.assertRaises(AccessError):
            macro.name = "Changed"
        with self.assertRaises(AccessError):
            self.env["care.macro"].create({"name": "Mine"})

    def test_macro_of_another_company_is_refused(self):
        macro = self.macro.copy({"company_id": self.company_2.id})
        ticket = self._ticket()
        with self.assertRaises(UserError):
            self._apply(ticket, macro)
        self.assertEqual(ticket.stage_id, self.stage_new)


@tagged("post_install", "-at_install")
class TestMacroTour(HttpCase, CareCommon):
    def test_agent_applies_a_macro(self):
        macro = self.env["care.macro"].create(
            {
                "name": "Ask for the order number",
                "body": EN,
                "stage_id": self.stage_waiting.id,
            }
        )
        ticket = self._ticket(user_id=self.user_agent.id)
        self.start_tour(
            f"/odoo/action-customer_care.care_ticket_action/{ticket.id}",
            "care_apply_macro",
            login="cc_agent",
            timeout=120,
        )
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertEqual(macro.use_count, 1)
        # The stage change is tracked too (tracking is on in this class).
        replies = ticket.message_ids.filtered(lambda m: "order number" in m.body)
        self.assertEqual(replies.subtype_id, self.env.ref("mail.mt_comment"))
