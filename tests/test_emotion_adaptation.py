"""Learning from each shop's corrections (issue 16): the daily job adapts the
detector of one company from its agents' corrections, never another's."""

from datetime import timedelta

from odoo import api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..lib.emotion import detect
from ..lib.emotion.model import model_fingerprint
from .common import CareCommon

PRODUCTS = [
    "nồi chiên",
    "áo khoác",
    "tai nghe",
    "máy xay",
    "giày chạy bộ",
    "quạt điện",
    "bình giữ nhiệt",
    "ốp lưng",
    "balo",
    "đèn bàn",
]
SLANG = [
    "bá cháy luôn shop ơi",
    "chất phát ngất",
    "bá cháy bọ chét",
    "chất lừ phát ngất",
]
CONFIRMED = [
    "Giao hàng trễ quá, rất bực!",
    "Cho em hỏi đơn hàng giao chưa ạ",
    "Hàng đẹp, cảm ơn shop",
    "Sản phẩm bị lỗi, tôi rất thất vọng",
]
# The shop's slang for "awesome" on products the corrections never mention.
UNSEEN = "Kem chống nắng chất lừ phát ngất"


@tagged("post_install", "-at_install")
class TestEmotionAdaptation(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Adaptation = cls.env["care.emotion.adaptation"]
        cls.Entry = cls.env["care.emotion.entry"]
        cls.ticket = cls._ticket(user_id=cls.user_agent.id)
        cls.company.write(
            {"care_emotion_learning": True, "care_emotion_learning_min": 20}
        )
        cls.team_2 = cls.env["care.team"].create(
            {"name": "Đà Nẵng", "company_id": cls.company_2.id}
        )
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "Võ Thị Mai", "email": "mai@example.com"}
        )
        cls.ticket_2 = cls._ticket(
            team_id=cls.team_2.id,
            company_id=cls.company_2.id,
            partner_id=cls.customer_2.id,
        )

    def _run_cron(self):
        """Run the scheduled action as the cron runner does, in its own
        transaction (commits between companies)."""
        cron_record = self.env.ref("customer_care.ir_cron_care_emotion_adaptation")
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cron, __ = (
                env["ir.cron"]
                .browse(cron_record.id)
                .with_context(cron_id=cron_record.id)
                ._add_progress()
            )
            env["care.emotion.adaptation"].with_context(
                **cron.env.context
            )._cron_train()
        self.env.invalidate_all()

    def _customer_says(self, text, ticket=None):
        ticket = ticket or self.ticket
        message = ticket.message_post(
            body=text,
            author_id=ticket.partner_id.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        return self.Entry.search([("message_id", "=", message.id)])

    def _teach(self, ticket=None, count=None):
        """Agents correct the slang to delighted; older messages they left as
        detected count as confirmed."""
        texts = [f"{p.capitalize()} {s}" for p in PRODUCTS for s in SLANG][:count]
        for text in texts:
            entry = self._customer_says(text, ticket)
            if entry.label != "delighted":
                entry.with_user(self.user_agent).with_context(
                    care_label="delighted"
                ).action_correct_label()
        old = fields.Datetime.now() - timedelta(days=5)
        for text in CONFIRMED * 3:
            entry = self._customer_says(text, ticket)
            self.env.cr.execute(
                "UPDATE care_emotion_entry SET create_date = %s WHERE id = %s",
                (old, entry.id),
            )
        self.Entry.invalidate_model(["create_date"])

    def test_shipped_detector_misreads_the_slang(self):
        self.assertNotEqual(detect(UNSEEN)["label"], "delighted")
        self.assertNotEqual(self._customer_says(UNSEEN).label, "delighted")

    def test_job_adapts_the_company_and_only_it(self):
        self._teach()
        self._run_cron()
        record = self.Adaptation.search([("company_id", "=", self.company.id)])
        self.assertEqual(record.state, "active")
        self.assertGreater(record.adapted_accuracy, record.base_accuracy)
        self.assertGreaterEqual(record.n_corrections, 20)
        # New messages of this company are read the shop's way…
        self.assertEqual(self._customer_says(UNSEEN).label, "delighted")
        # …what the shipped model got right stays right…
        self.assertEqual(
            self._customer_says("Giao hàng trễ quá, rất bực!").label, "angry"
        )
        # …and the other company's messages are read by the shipped model.
        self.company_2.care_emotion_learning = True
        self.assertNotEqual(
            self._customer_says(UNSEEN, self.ticket_2).label, "delighted"
        )
        self.assertFalse(
            self.Adaptation.search([("company_id", "=", self.company_2.id)])
        )

    def test_switch_off_or_too_few_corrections_learn_nothing(self):
        self.company.care_emotion_learning = False
        self._teach()
        self._run_cron()
        self.assertFalse(self.Adaptation.search([]))
        self.company.write(
            {"care_emotion_learning": True, "care_emotion_learning_min": 500}
        )
        self._run_cron()
        self.assertFalse(self.Adaptation.search([]))
        with self.assertRaises(UserError):
            self.Adaptation.with_user(self.user_manager).action_train_now()

    def test_switch_off_stops_using_the_layer(self):
        self._teach()
        self._run_cron()
        self.assertEqual(self._customer_says(UNSEEN).label, "delighted")
        self.company.care_emotion_learning = False
        self.assertNotEqual(self._customer_says(UNSEEN).label, "delighted")

    def test_second_run_without_new_corrections_changes_nothing(self):
        self._teach()
        self._run_cron()
        record = self.Adaptation.search([])
        trained_at = record.trained_at
        self._run_cron()
        self.assertEqual(self.Adaptation.search([]), record)
        self.assertEqual(record.trained_at, trained_at)

    def test_layer_of_another_shipped_model_is_learnt_again(self):
        """An update ships a new model: the layer learnt on the old one is
        set aside (the shipped model reads the messages) until the job has
        learnt it again on the new one."""
        self._teach()
        self._run_cron()
        record = self.Adaptation.search([])
        self.assertEqual(record.base_model, model_fingerprint())
        record.write(
            {
                "base_model": "0" * 16,
                "trained_at": fields.Datetime.now() - timedelta(days=1),
            }
        )
        self.assertNotEqual(self._customer_says(UNSEEN).label, "delighted")
        self._run_cron()
        record.invalidate_recordset()
        self.assertEqual(record.base_model, model_fingerprint())
        self.assertEqual(record.state, "active")
        self.assertEqual(self._customer_says(UNSEEN).label, "delighted")

    def test_correction_rate_before_and_after(self):
        self._teach()
        self._run_cron()
        record = self.Adaptation.search([])
        self.assertGreater(record.detected_before, 0)
        self.assertGreater(record.rate_before, 0.0)
        # Since the layer, nothing was corrected yet.
        self._customer_says(UNSEEN)
        record.invalidate_recordset(["rate_after", "detected_after"])
        record.trained_at = fields.Datetime.now() - timedelta(seconds=1)
        self.assertEqual(record.rate_after, 0.0)

    def test_managers_only_and_their_companies_only(self):
        self._teach()
        self._run_cron()
        record = self.Adaptation.search([])
        with self.assertRaises(AccessError):
            record.with_user(self.user_agent).read(["state"])
        self.assertEqual(
            self.Adaptation.with_user(self.user_manager).search([]), record
        )
        # A manager of the other company only does not see this company's layer.
        self.user_manager.write(
            {"company_ids": [(4, self.company_2.id)], "company_id": self.company_2.id}
        )
        self.assertFalse(
            self.Adaptation.with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company_2.id])
            .search([])
        )
