"""CSAT and NPS (issue 13, scopes 2 and 3): the rating link of the "solved"
mail, the NPS answer pages, the NPS sending job and the detractor's
follow-up."""

import re
from datetime import datetime

from odoo import http
from odoo.tests import HttpCase, freeze_time, tagged

from .common import CareCommon

DETRACTOR = "customer_care.mail_activity_type_care_nps_detractor"


class NpsCommon(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "care_nps_enabled": True,
                "care_nps_delay_days": 3,
                "care_nps_throttle_days": 90,
            }
        )

    def _answer(self, partner=None, **values):
        return self.env["care.nps.answer"].create(
            {"partner_id": (partner or self.customer).id, **values}
        )

    def _detractor_follow_ups(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.env.ref(DETRACTOR).id),
            ]
        )

    def _solved(self, when, partner=None, **values):
        with freeze_time(when):
            ticket = self._ticket(partner_id=(partner or self.customer).id, **values)
            ticket.stage_id = self.stage_solved
            self.env.flush_all()
        return ticket


class TestNpsAnswer(NpsCommon):
    def test_categories_and_partner_fields(self):
        for score, category in (
            (10, "promoter"),
            (9, "promoter"),
            (8, "passive"),
            (7, "passive"),
            (6, "detractor"),
            (0, "detractor"),
        ):
            answer = self._answer(partner=self.other_customer)
            answer._record_score(score)
            self.assertEqual(answer.category, category, score)
            self.assertEqual(self.other_customer.care_nps_category, category)
            self.assertEqual(self.other_customer.care_nps_score, score)

    def test_second_click_updates_within_a_day_until_the_comment(self):
        with freeze_time(datetime(2026, 3, 10, 9, 0)):
            answer = self._answer()
            self.assertTrue(answer._record_score(3))
        with freeze_time(datetime(2026, 3, 10, 9, 5)):
            self.assertTrue(answer._record_score(9), "changed within the day")
        self.assertEqual(answer.score, 9)
        self.assertEqual(answer.answered_at, datetime(2026, 3, 10, 9, 0))
        with freeze_time(datetime(2026, 3, 11, 9, 1)):
            self.assertFalse(answer._record_score(2), "more than 24 h later")
        self.assertEqual(answer.score, 9)
        other = self._answer(partner=self.other_customer)
        other._record_score(8)
        other._record_comment("Dịch vụ ổn")
        self.assertFalse(other._record_score(10), "the comment was sent")
        self.assertEqual(other.score, 8)

    def test_answers_are_journal_entries(self):
        answer = self._answer()
        answer._record_score(2)
        entry = answer.entry_id
        self.assertEqual(entry.source, "survey")
        self.assertTrue(entry.is_negative)
        answer._record_score(10)
        self.assertEqual(answer.entry_id, entry, "one entry per answer")
        self.assertEqual(entry.label, "delighted")
        answer._record_comment("Nhân viên rất nhiệt tình, tôi rất hài lòng!")
        self.assertEqual(entry.note, "Nhân viên rất nhiệt tình, tôi rất hài lòng!")

    def test_detractor_creates_exactly_one_follow_up(self):
        answer = self._answer()
        answer._record_score(4)
        answer._record_score(5)
        second = self._answer()
        second._record_score(1)
        follow_ups = self._detractor_follow_ups(self.customer)
        self.assertEqual(len(follow_ups), 1)
        self.assertIn("4/10", follow_ups.care_reason)
        promoter = self._answer(partner=self.other_customer)
        promoter._record_score(9)
        self.assertFalse(self._detractor_follow_ups(self.other_customer))

    def test_nps_value(self):
        Answer = self.env["care.nps.answer"]
        for score in (7, 8, 8):
            self._answer()._record_score(score)
        self.assertEqual(Answer._nps(), 0.0, "only passives: 0")
        for score in (10, 9, 3):
            self._answer()._record_score(score)
        self._answer()  # not answered: left out
        # 2 promoters, 1 detractor of 6 answers: (2 - 1) / 6 = 16.7
        self.assertEqual(Answer._nps(), 16.7)


class TestNpsSending(NpsCommon):
    def _send(self, when):
        with freeze_time(when):
            return self.env["care.nps.answer"]._send_surveys()

    def _answers(self, partner):
        return self.env["care.nps.answer"].search([("partner_id", "=", partner.id)])

    def test_sent_after_delay_once_per_throttle(self):
        self._solved(datetime(2026, 3, 10, 9, 0))
        self._send(datetime(2026, 3, 12, 9, 0))
        self.assertFalse(self._answers(self.customer), "not yet: 3 days")
        self._send(datetime(2026, 3, 13, 10, 0))
        answer = self._answers(self.customer)
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.sent_at, datetime(2026, 3, 13, 10, 0))
        mail = self.env["mail.mail"].search(
            [("model", "=", "care.nps.answer"), ("res_id", "=", answer.id)]
        )
        self.assertEqual(len(mail), 1)
        links = re.findall(r"/care/nps/([\w-]+)/(\d+)", mail.body_html)
        self.assertEqual([int(score) for __, score in links], list(range(11)))
        self.assertEqual({token for token, __ in links}, {answer.sudo().access_token})
        # The job again, and another solved ticket within 90 days: not asked.
        self._send(datetime(2026, 3, 13, 11, 0))
        self._solved(datetime(2026, 4, 1, 9, 0))
        self._send(datetime(2026, 4, 5, 9, 0))
        self.assertEqual(len(self._answers(self.customer)), 1, "throttled")
        # After 90 days, asked again.
        self._solved(datetime(2026, 6, 20, 9, 0))
        self._send(datetime(2026, 6, 24, 9, 0))
        self.assertEqual(len(self._answers(self.customer)), 2)

    def test_never_during_an_open_complaint(self):
        self._solved(datetime(2026, 3, 10, 9, 0))
        self._ticket(
            type_id=self.env.ref("customer_care.care_ticket_type_complaint").id
        )
        self._send(datetime(2026, 3, 13, 10, 0))
        self.assertFalse(self._answers(self.customer))
        # A question open is no complaint.
        self._solved(datetime(2026, 3, 10, 9, 0), partner=self.other_customer)
        self._ticket(
            partner_id=self.other_customer.id,
            type_id=self.env.ref("customer_care.care_ticket_type_question").id,
        )
        self._send(datetime(2026, 3, 13, 10, 0))
        self.assertEqual(len(self._answers(self.other_customer)), 1)

    def test_not_to_a_customer_who_withdrew_consent(self):
        self.env["care.consent.event"]._record(
            self.customer, "marketing", False, "portal"
        )
        self._solved(datetime(2026, 3, 10, 9, 0))
        self._send(datetime(2026, 3, 13, 10, 0))
        self.assertFalse(self._answers(self.customer))

    def test_not_when_disabled(self):
        self.company.care_nps_enabled = False
        self._solved(datetime(2026, 3, 10, 9, 0))
        self.assertEqual(self._send(datetime(2026, 3, 13, 10, 0)), 0)
        self.assertFalse(self._answers(self.customer))


@tagged("post_install", "-at_install")
class TestCsatNpsPages(HttpCase, NpsCommon):
    def test_nps_link_records_the_score(self):
        self.authenticate(None, None)  # a visitor's session (the form's CSRF token)
        answer = self._answer()
        token = answer.sudo().access_token
        res = self.url_open(f"/care/nps/{token}/3")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(answer.score, 3)
        self.assertIn("o_care_nps_comment_form", res.text)
        self.assertEqual(len(self._detractor_follow_ups(self.customer)), 1)
        res = self.url_open(
            f"/care/nps/{token}/comment",
            data={
                "comment": "Giao hàng chậm",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(res.status_code, 200)
        self.assertEqual(answer.comment, "Giao hàng chậm")
        res = self.url_open(f"/care/nps/{token}/10")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(answer.score, 3, "the answer is final after the comment")
        self.assertIn("o_care_nps_final", res.text)

    def test_forged_token_is_a_404(self):
        answer = self._answer()
        token = answer.sudo().access_token
        forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
        missing = self.url_open("/care/nps/no-such-page/9")
        res = self.url_open(f"/care/nps/{forged}/9")
        self.assertEqual(res.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(self.url_open(f"/care/nps/{token}/11").status_code, 404)
        self.assertFalse(answer.answered_at)

    def test_solved_mail_rating_link(self):
        self.authenticate(None, None)
        ticket = self._ticket(user_id=self.user_agent.id)
        ticket.stage_id = self.stage_solved
        # The mail the "Solved" stage sends to the customer.
        template = self.stage_solved.template_id
        body = template._render_field("body_html", ticket.ids)[ticket.id]
        tokens = set(re.findall(r"/rate/([\w-]+)/[135]\b", str(body)))
        self.assertEqual(len(tokens), 1, "the solved mail carries rating links")
        token = tokens.pop()
        res = self.url_open(f"/rate/{token}/5")
        self.assertEqual(res.status_code, 200)
        self.assertIn(f"/rate/{token}/submit_feedback", res.text)
        res = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={
                "rate": 5,
                "feedback": "Cảm ơn, rất nhanh!",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(res.status_code, 200)
        rating = ticket.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Cảm ơn, rất nhanh!")
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(rating.parent_res_id, self.team.id, "rated for the team")
        entry = self.env["care.emotion.entry"].search([("rating_id", "=", rating.id)])
        self.assertEqual(entry.label, "satisfied")
        self.assertFalse(ticket.stage_id != self.stage_solved, "not reopened")

    def test_team_public_ratings_page(self):
        ticket = self._ticket(user_id=self.user_agent.id)
        ticket.rating_apply(5, token=ticket._rating_get_access_token())
        other = self._ticket(partner_id=self.other_customer.id)
        other.rating_apply(1, token=other._rating_get_access_token())
        self.assertEqual(
            self.url_open(f"/help/ratings/{self.team.id}").status_code, 404
        )
        self.team.is_published = True
        res = self.url_open(f"/help/ratings/{self.team.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("50% satisfied", res.text)
        self.assertNotIn(self.customer.name, res.text, "no customer names")
        self.assertEqual(self.url_open("/help/ratings/999999").status_code, 404)
