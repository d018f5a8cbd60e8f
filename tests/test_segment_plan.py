"""Segments, call campaigns and care plans (issue 15, items 1-2)."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CareCommon


@tagged("post_install", "-at_install")
class TestSegmentPlan(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.Segment = cls.env["care.segment"]
        cls.Entry = cls.env["care.emotion.entry"]
        cls.complaint = cls.env.ref("customer_care.care_ticket_type_complaint")
        cls.question = cls.env.ref("customer_care.care_ticket_type_question")
        cls.vi = cls.env["res.lang"]._activate_lang("vi_VN")
        names = [
            "Angry An",
            "Happy Bình",
            "Objecting Chi",
            "Buyer Dũng",
            "Complaint Em",
        ]
        cls.angry, cls.happy, cls.objecting, cls.buyer, cls.complainer = Partner.create(
            [
                {"name": name, "email": f"p{i}@example.com", "lang": "en_US"}
                for i, name in enumerate(names)
            ]
        )
        cls.happy.lang = "vi_VN"
        now = fields.Datetime.now()
        for partner, label in (
            (cls.angry, "angry"),
            (cls.happy, "delighted"),
            (cls.objecting, "angry"),
        ):
            cls.Entry.create(
                cls.Entry._entry_vals(
                    "manual",
                    partner,
                    values={"label": label, "intensity": 4},
                    date=now - timedelta(days=2),
                )
            )
        cls._consent(cls.objecting, "emotion", False)
        cls.categ = cls.env["product.category"].create({"name": "Nồi chiên"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Nồi chiên không dầu 5L",
                "categ_id": cls.categ.id,
                "list_price": 1.9e6,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "order_line": [(0, 0, {"product_id": cls.product.id})],
            }
        )
        cls.order.action_confirm()
        cls.order.date_order = now - timedelta(days=30)
        cls._ticket(partner_id=cls.complainer.id, type_id=cls.complaint.id)
        cls._ticket(partner_id=cls.buyer.id, type_id=cls.question.id)

    @classmethod
    def _consent(cls, partner, purpose, given):
        cls.env["care.consent.event"].create(
            {
                "partner_id": partner.id,
                "purpose": purpose,
                "given": given,
                "channel": "agent",
            }
        )

    def _members(self, **criteria):
        segment = self.Segment.create({"name": "Test", **criteria})
        ours = self.angry | self.happy | self.objecting | self.buyer | self.complainer
        found = self.env["res.partner"].search(segment._member_domain()) & ours
        # The mailing's view of the members is the same set.
        via_field = (
            self.env["res.partner"].search([("care_segment_ids", "in", segment.ids)])
            & ours
        )
        self.assertEqual(found, via_field)
        return found

    # ---- segments ----

    def test_segment_members_match_hand_built_lists(self):
        angry = self.env.ref("customer_care.care_emotion_label_angry")
        self.assertEqual(self._members(mood_label_ids=[(6, 0, angry.ids)]), self.angry)
        self.assertEqual(
            self._members(negative_within_days=7), self.angry, "objector left out"
        )
        self.assertEqual(self._members(open_complaint="yes"), self.complainer)
        self.assertEqual(
            self._members(ticket_type_ids=[(6, 0, self.question.ids)]), self.buyer
        )
        self.assertEqual(
            self._members(product_categ_ids=[(6, 0, self.categ.ids)]), self.buyer
        )
        self.assertEqual(self._members(last_order_days_min=20), self.buyer)
        self.assertFalse(self._members(last_order_days_min=40))
        self.assertEqual(self._members(lang_ids=[(6, 0, self.vi.ids)]), self.happy)
        self.assertEqual(
            self._members(extra_domain="[('name', 'ilike', 'Bình')]"), self.happy
        )
        # Criteria add up.
        self.assertFalse(
            self._members(
                open_complaint="yes", product_categ_ids=[(6, 0, self.categ.ids)]
            )
        )

    def test_invalid_extra_domain_is_refused(self):
        with self.assertRaises(UserError):
            self.Segment.create({"name": "Bad", "extra_domain": "[('nope', '=', 1)]"})

    def test_mailing_goes_to_members_who_agreed(self):
        self._consent(self.angry, "marketing", True)
        segment = self.Segment.create(
            {"name": "Everyone", "extra_domain": "[('email', 'like', '@example.com')]"}
        )
        action = segment.action_create_mailing()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        recipients = self.env["res.partner"].browse(mailing._get_recipients())
        self.assertIn(self.angry, recipients)
        self.assertNotIn(self.happy, recipients, "no consent given")
        # Withdrawn later: gone from the same mailing's recipients.
        self._consent(self.angry, "marketing", False)
        self.env.invalidate_all()
        self.assertNotIn(
            self.angry, self.env["res.partner"].browse(mailing._get_recipients())
        )

    # ---- call campaign ----

    @freeze_time("2026-12-07 01:00:00")  # a Monday, 08:00 in Hà Nội
    def test_call_campaign_spreads_calls_in_working_hours(self):
        self.company.resource_calendar_id = self.env.ref(
            "customer_care.resource_calendar_vn"
        )
        segment = self.Segment.create(
            {"name": "Callers", "extra_domain": "[('email', 'like', '@example.com')]"}
        )
        wizard = (
            self.env["care.call.campaign"]
            .with_user(self.user_manager)
            .create(
                {
                    "segment_id": segment.id,
                    "user_ids": [(6, 0, (self.user_agent | self.user_agent_2).ids)],
                    "date_start": "2026-12-07",
                    "days": 2,
                    "reason": "Hỏi thăm sau mua",
                }
            )
        )
        members = wizard._members()
        activities = self.env["mail.activity"].search(wizard.action_launch()["domain"])
        self.assertEqual(len(activities), len(members))
        self.assertEqual(set(activities.user_id), {self.user_agent, self.user_agent_2})
        calendar = self.company.resource_calendar_id
        self.assertEqual(calendar.tz, "Asia/Ho_Chi_Minh")
        for activity in activities:
            due = activity.care_due_at
            self.assertTrue(due, activity)
            local = fields.Datetime.context_timestamp(
                self.env["res.partner"].with_context(
                    tz=calendar.tz or "Asia/Ho_Chi_Minh"
                ),
                due,
            )
            self.assertIn(local.date().isoformat(), ("2026-12-07", "2026-12-08"))
            hour = local.hour + local.minute / 60
            self.assertTrue(8 <= hour < 17.5, local)
            self.assertFalse(12 <= hour < 13.5, f"{local}: lunch break")

    # ---- care plans ----

    def _plan(self, **values):
        check_in = self.env.ref("customer_care.mail_activity_type_care_check_in")
        return self.env["care.plan"].create(
            {
                "name": "Hỏi thăm định kỳ",
                "action": "follow_up",
                "activity_type_id": check_in.id,
                "period_days": 180,
                **values,
            }
        )

    def test_plan_contacts_each_customer_once_per_period(self):
        segment = self.Segment.create(
            {"name": "All", "extra_domain": "[('email', 'like', '@example.com')]"}
        )
        self._consent(self.happy, "marketing", False)
        plan = self._plan(segment_id=segment.id)
        plan.action_run_now()
        contacted = plan.contact_ids.partner_id
        self.assertIn(self.angry, contacted)
        self.assertIn(self.buyer, contacted)
        self.assertNotIn(self.happy, contacted, "objected to being contacted")
        self.assertNotIn(self.complainer, contacted, "open complaint")
        count = len(plan.contact_ids)
        plan.action_run_now()
        self.assertEqual(len(plan.contact_ids), count, "same period: nobody twice")
        # After the period, the same customers are due again.
        later = datetime.now() + timedelta(days=181)
        with freeze_time(later):
            plan.action_run_now()
        self.assertEqual(len(plan.contact_ids), 2 * count)

    def test_plan_during_open_complaint_when_allowed(self):
        segment = self.Segment.create({"name": "Complaints", "open_complaint": "yes"})
        self.assertFalse(self._plan(segment_id=segment.id)._candidates())
        plan = self._plan(segment_id=segment.id, include_open_complaints=True)
        self.assertEqual(list(plan._candidates()), [self.complainer])

    def test_plan_after_purchase_of_a_category(self):
        plan = self._plan(
            name="Gọi sau 30 ngày mua nồi chiên",
            trigger="purchase",
            product_categ_id=self.categ.id,
            delay_days=30,
        )
        self.assertEqual(plan._candidates(), {self.buyer: self.order})
        # A care manager without sales or contact rights runs it.
        plan.with_user(self.user_manager).action_run_now()
        self.assertEqual(plan.contact_ids.sale_order_id, self.order)
        self.assertFalse(plan._candidates())

    def test_mail_plan_only_to_customers_who_agreed(self):
        template = self.env["mail.template"].create(
            {
                "name": "Cảm ơn",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Cảm ơn quý khách",
                "body_html": "<p>Cảm ơn quý khách đã tin dùng.</p>",
            }
        )
        segment = self.Segment.create(
            {"name": "All", "extra_domain": "[('email', 'like', '@example.com')]"}
        )
        self._consent(self.buyer, "marketing", True)
        plan = self._plan(
            segment_id=segment.id, action="mail", mail_template_id=template.id
        )
        plan.action_run_now()
        self.assertEqual(plan.contact_ids.partner_id, self.buyer)


@tagged("post_install", "-at_install")
class TestSegmentTour(HttpCase):
    def test_manager_builds_a_segment_and_sends_a_mailing(self):
        manager = mail_new_test_user(
            self.env,
            login="cc_seg_manager",
            name="Đặng Hoàng Nam",
            email="nam.seg@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_manager,"
            "mass_mailing.group_mass_mailing_user",
        )
        angry = self.env["res.partner"].create(
            {"name": "Khách Bực", "email": "buc@example.com"}
        )
        Entry = self.env["care.emotion.entry"]
        Entry.create(
            Entry._entry_vals(
                "manual", angry, values={"label": "angry", "intensity": 4}
            )
        )
        self.start_tour("/odoo", "care_segment_mailing", login=manager.login)
        segment = self.env["care.segment"].search(
            [("name", "=", "Khách hàng đang bực")]
        )
        self.assertEqual(len(segment), 1)
        self.assertEqual(
            self.env["res.partner"].search(segment._member_domain()), angry
        )
        mailing = self.env["mailing.mailing"].search(
            [("subject", "=", "Khách hàng đang bực")]
        )
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertIn(str(segment.id), mailing.mailing_domain)
