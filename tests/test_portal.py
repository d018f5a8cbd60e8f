import re
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.misc import hash_sign

from odoo.addons.customer_care.controllers.intake import FORM_SCOPE, HONEYPOT
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CareCommon


class CarePortalCommon(HttpCase, CareCommon):
    """Two customers: A (cc_portal, company Minh An) and B (cc_portal_b)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.is_published = True
        cls.team_tech.is_published = False
        # Customer-facing topics: the form lists these, never the team names.
        cls.type_order = cls.env.ref("customer_care.care_ticket_type_order_issue")
        cls.topic_orders = cls.env["care.topic"].create(
            {
                "name": "Orders and delivery",
                "team_id": cls.team.id,
                "type_id": cls.type_order.id,
            }
        )
        cls.topic_repairs = cls.env["care.topic"].create(
            {"name": "Warranty and repairs", "team_id": cls.team_tech.id}
        )
        cls.topic_hidden = cls.env["care.topic"].create(
            {
                "name": "Internal escalations",
                "team_id": cls.team.id,
                "is_published": False,
            }
        )
        cls.user_portal_b = mail_new_test_user(
            cls.env,
            login="cc_portal_b",
            name="Võ Thị Mai",
            email="mai.portal@example.com",
            groups="base.group_portal",
        )
        cls.ticket_a = cls._ticket(
            name="Máy giặt kêu to", partner_id=cls.customer_colleague.id
        )
        cls.ticket_b = cls._ticket(
            name="Ti vi mất tiếng", partner_id=cls.user_portal_b.partner_id.id
        )
        cls.ticket_a._portal_ensure_token()
        cls.ticket_b._portal_ensure_token()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("customer_care.intake_min_seconds", 0)
        params.set_param("customer_care.max_attachment_mb", 1)

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _form_token(self, age=10):
        return hash_sign(
            self.env(su=True),
            FORM_SCOPE,
            {"ts": int(time.time()) - age},
            expiration_hours=24,
        )

    def _assert_ack_queued(self, ticket):
        """The acknowledgement is queued at creation (``ack_pending`` + the
        acknowledgement job); running the job queues the mail itself."""
        self.assertTrue(ticket.ack_pending, "acknowledgement queued")
        # The deferred sender of models/care_ticket.py (what its cron runs).
        self.env["care.ticket"]._send_pending_notices()
        mail = self.env["mail.mail"].search(
            [("model", "=", "care.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertTrue(mail, "the acknowledgement mail is queued")
        self.assertEqual(mail.state, "outgoing")
        return mail

    def _state(self, ticket):
        ticket.invalidate_recordset()
        return (
            ticket.stage_id,
            len(ticket.message_ids),
            len(ticket.rating_ids),
            ticket.access_token,
        )


@tagged("post_install", "-at_install")
class TestCarePortalAccess(CarePortalCommon):
    # ---- list and home ----

    def test_list_shows_only_own_company_tickets(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open("/my/tickets")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.ticket_a.number, res.text)
        self.assertNotIn(self.ticket_b.number, res.text)
        self.authenticate("cc_portal_b", "cc_portal_b")
        res = self.url_open("/my/tickets?filterby=all&groupby=stage&sortby=priority")
        self.assertIn(self.ticket_b.number, res.text)
        self.assertNotIn(self.ticket_a.number, res.text)

    def test_home_shows_ticket_entry_even_at_zero(self):
        user = mail_new_test_user(
            self.env, login="cc_portal_new", groups="base.group_portal"
        )
        self.assertFalse(
            self.env["care.ticket"].search_count(
                [("commercial_partner_id", "=", user.partner_id.id)]
            )
        )
        self.authenticate("cc_portal_new", "cc_portal_new")
        res = self.url_open("/my")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_portal_home_entry", res.text)
        self.assertIn('href="/my/tickets/new"', res.text)
        self.assertRegex(res.text, r'o_care_ticket_count">0<')

    def test_list_search_ignores_accents_and_filters(self):
        self._ticket(name="Điều hòa chảy nước", partner_id=self.customer_colleague.id)
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open("/my/tickets?search=dieu+hoa")
        self.assertIn("Điều hòa chảy nước", res.text)
        self.assertNotIn(self.ticket_a.number, res.text)
        self.ticket_a.action_close()
        res = self.url_open("/my/tickets?filterby=closed")
        self.assertIn(self.ticket_a.number, res.text)
        self.assertNotIn("Điều hòa chảy nước", res.text)
        res = self.url_open("/my/tickets?filterby=open&groupby=team&sortby=stage")
        self.assertIn("Điều hòa chảy nước", res.text)
        self.assertNotIn(self.ticket_a.number, res.text)

    def test_anonymous_list_redirects_to_login(self):
        res = self.url_open("/my/tickets", allow_redirects=False)
        self.assertIn(res.status_code, (302, 303))
        self.assertIn("/web/login", res.headers["Location"])

    # ---- opening a ticket ----

    def test_owner_opens_ticket(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Máy giặt kêu to", res.text)
        self.assertIn(self.ticket_a.number, res.text)

    def test_other_customer_cannot_open(self):
        self.authenticate("cc_portal_b", "cc_portal_b")
        url = f"/my/tickets/{self.ticket_a.id}"
        for query in (
            "",
            f"?access_token={self.ticket_b.access_token}",
            f"?access_token={self.ticket_a.access_token[:-1]}",
            f"?access_token={self.ticket_a.access_token}x",
            "?access_token=00000000-0000-0000-0000-000000000000",
        ):
            res = self.url_open(url + query, allow_redirects=False)
            self.assertEqual(res.status_code, 404, query)
            self.assertNotIn("Máy giặt kêu to", res.text)
        missing_id = (
            self.env["care.ticket"].search([], order="id desc", limit=1).id + 99
        )
        res = self.url_open(f"/my/tickets/{missing_id}", allow_redirects=False)
        self.assertEqual(res.status_code, 404, "a missing ticket looks the same")

    def test_anonymous_access_by_token_only(self):
        url = f"/my/tickets/{self.ticket_a.id}"
        res = self.url_open(url, allow_redirects=False)
        self.assertIn(res.status_code, (302, 303))
        self.assertIn("/web/login", res.headers["Location"])
        res = self.url_open(f"{url}?access_token={self.ticket_a.access_token}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Máy giặt kêu to", res.text)
        # The token of ticket A never opens ticket B.
        res = self.url_open(
            f"/my/tickets/{self.ticket_b.id}?access_token={self.ticket_a.access_token}",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 404)
        self.assertNotIn("Ti vi mất tiếng", res.text)
        for token in (
            self.ticket_a.access_token[:8],
            self.ticket_b.access_token,
            "forged",
        ):
            res = self.url_open(f"{url}?access_token={token}", allow_redirects=False)
            self.assertEqual(res.status_code, 404)

    def test_token_revoked_when_customer_changes(self):
        old_token = self.ticket_a.access_token
        self.ticket_a.partner_id = self.customer
        self.assertFalse(self.ticket_a.access_token)
        res = self.url_open(
            f"/my/tickets/{self.ticket_a.id}?access_token={old_token}",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 404)
        new_token = self.ticket_a._portal_ensure_token()
        self.assertNotEqual(new_token, old_token)
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}?access_token={new_token}")
        self.assertEqual(res.status_code, 200)

    # ---- state changes by someone else ----

    def test_other_customer_cannot_change_ticket(self):
        self.ticket_a.action_close()
        closed_state = self._state(self.ticket_a)
        self.authenticate("cc_portal_b", "cc_portal_b")
        routes = [
            ("reply", {"body": "Tôi là B"}),
            ("close", {}),
            ("reopen", {}),
            ("rate", {"score": "1", "feedback": "B"}),
        ]
        tokens = ["", self.ticket_b.access_token, self.ticket_a.access_token[:-2]]
        for route, data in routes:
            for token in tokens:
                query = f"?access_token={token}" if token else ""
                res = self._post(f"/my/tickets/{self.ticket_a.id}/{route}{query}", data)
                self.assertEqual(res.status_code, 404, f"{route} {token}")
        self.assertEqual(self._state(self.ticket_a), closed_state)
        self.assertFalse(self.ticket_a.is_closed is False)

    def test_anonymous_cannot_change_ticket_without_token(self):
        self.authenticate(None, None)
        state = self._state(self.ticket_a)
        for route in ("reply", "close", "rate"):
            res = self._post(
                f"/my/tickets/{self.ticket_a.id}/{route}?access_token=forged",
                {"body": "spam", "score": "5"},
            )
            self.assertEqual(res.status_code, 404)
            res = self._post(f"/my/tickets/{self.ticket_a.id}/{route}", {"body": "x"})
            self.assertIn(res.status_code, (302, 303))
            self.assertIn("/web/login", res.headers["Location"])
        self.assertEqual(self._state(self.ticket_a), state)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(
            f"/my/tickets/{self.ticket_a.id}/close",
            data={"x": "1"},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self.ticket_a.is_closed)

    def test_rpc_write_is_refused(self):
        # The refusals are logged as warnings by odoo.http: expected here.
        with self.assertLogs("odoo.http", "WARNING"):
            self._rpc_write_attempts()
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.name, "Máy giặt kêu to")
        self.assertFalse(self.ticket_a.is_closed)

    def _rpc_write_attempts(self):
        for login in ("cc_portal", "cc_portal_b"):
            self.authenticate(login, login)
            calls = [
                ("write", [[self.ticket_a.id], {"name": "hacked"}]),
                ("action_close", [[self.ticket_a.id]]),
            ]
            if login == "cc_portal_b":
                # The owner may post through the standard portal chatter
                # (_mail_post_access = "read"); nobody else may.
                calls.append(("message_post", [[self.ticket_a.id]]))
            for method, args in calls:
                with self.assertRaises(JsonRpcException, msg=f"{login} {method}"):
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {
                            "model": "care.ticket",
                            "method": method,
                            "args": args,
                            "kwargs": {"body": "x"} if method == "message_post" else {},
                        },
                    )

    def test_rpc_read_limited_to_own_company(self):
        self.authenticate("cc_portal_b", "cc_portal_b")
        ids = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "care.ticket",
                "method": "search",
                "args": [[]],
                "kwargs": {},
            },
        )
        self.assertIn(self.ticket_b.id, ids)
        self.assertNotIn(self.ticket_a.id, ids)

    # ---- content shown to the customer ----

    def test_internal_notes_never_reach_portal(self):
        agent_ticket = self.ticket_a.with_user(self.user_agent)
        note = agent_ticket.message_post(
            body="GHI CHU NOI BO khach kho tinh",
            subtype_xmlid="mail.mt_note",
            attachments=[("bien-ban-noi-bo.txt", b"secret")],
        )
        agent_ticket.message_post(
            body="Tra loi cong khai cho khach",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("huong-dan.txt", b"public")],
        )
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertIn("Tra loi cong khai cho khach", res.text)
        self.assertIn("huong-dan.txt", res.text)
        self.assertNotIn("GHI CHU NOI BO", res.text)
        self.assertNotIn("bien-ban-noi-bo.txt", res.text)
        res = self.url_open(
            f"/my/tickets/{self.ticket_a.id}/attachment/{note.attachment_ids.id}"
        )
        self.assertEqual(res.status_code, 404)
        # The standard portal chatter filter agrees.
        public = self.ticket_a._portal_messages()
        self.assertNotIn(note, public)

    def test_script_is_shown_as_text(self):
        script = "<script>alert('x')</script>"
        evil_name = "<img src=x onerror=alert(1)>"
        ticket = self._ticket(
            name=f"Lỗi {script}",
            partner_id=self.customer_colleague.id,
            description=f"<p>Mô tả</p>{script}",
        )
        self.assertNotIn("<script>", ticket.description, "backend: sanitized")
        self.authenticate("cc_portal", "cc_portal")
        res = self._post(
            f"/my/tickets/{ticket.id}/reply",
            {"body": f"Tin nhắn {script}"},
            files={"attachments": (f"{evil_name}.txt", b"hello", "text/plain")},
        )
        self.assertIn(res.status_code, (302, 303))
        message = ticket.message_ids.filtered(lambda m: "Tin nhắn" in (m.body or ""))
        self.assertTrue(message)
        self.assertNotIn("<script>", message.body, "backend: stored escaped")
        self.assertIn("&lt;script&gt;", message.body)
        self.assertEqual(message.attachment_ids.name, f"{evil_name}.txt")
        res = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertNotIn(script, res.text)
        self.assertNotIn(evil_name, res.text)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;.txt", res.text)
        self.assertIn("&lt;script&gt;alert(", res.text)

    def test_status_timeline_and_sla_hook(self):
        self.authenticate("cc_portal", "cc_portal")
        # Closing through the portal tracks the stage change in a real request.
        self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self.assertEqual(len(self.ticket_a._portal_timeline()), 2)
        res = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        timeline = re.search(
            r'<ol class="list-unstyled o_care_timeline.*?</ol>', res.text, re.S
        )
        self.assertTrue(timeline)
        self.assertIn(self.stage_solved.name, timeline.group(0))
        if "sla_deadline" not in self.ticket_a._fields:
            self.assertNotIn("o_care_sla_deadline", res.text)


@tagged("post_install", "-at_install")
class TestCarePortalActions(CarePortalCommon):
    def test_reply_with_attachment(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self._post(
            f"/my/tickets/{self.ticket_a.id}/reply",
            {"body": "Em gửi ảnh"},
            files={"attachments": ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "")},
        )
        self.assertIn(res.status_code, (302, 303))
        message = self.ticket_a.message_ids.filtered(
            lambda m: "Em gửi ảnh" in (m.body or "")
        )
        self.assertTrue(message)
        self.assertEqual(message.author_id, self.user_portal.partner_id)
        self.assertEqual(message.attachment_ids.name, "anh.png")
        self.assertTrue(self.ticket_a.date_last_customer_message)
        res = self.url_open(
            f"/my/tickets/{self.ticket_a.id}/attachment/{message.attachment_ids.id}"
        )
        self.assertEqual(res.status_code, 200)

    def test_reply_limits_keep_text(self):
        self.authenticate("cc_portal", "cc_portal")
        count = len(self.ticket_a.message_ids)
        big = b"a" * (1024 * 1024 + 1)
        for name, content, expected in (
            ("lon.txt", big, "too large"),
            ("virus.exe", b"MZ", "not an accepted type"),
            ("trang.html", b"<html><body>x</body></html>", "not an accepted type"),
        ):
            res = self._post(
                f"/my/tickets/{self.ticket_a.id}/reply",
                {"body": "Nội dung giữ lại"},
                files={"attachments": (name, content, "application/octet-stream")},
            )
            self.assertEqual(res.status_code, 200, name)
            self.assertIn(expected, res.text)
            self.assertIn("Nội dung giữ lại", res.text, "what was typed is kept")
        res = self._post(f"/my/tickets/{self.ticket_a.id}/reply", {"body": " "})
        self.assertIn("Please write a message", res.text)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(len(self.ticket_a.message_ids), count)

    def test_close_reopen_rate(self):
        self.authenticate("cc_portal", "cc_portal")
        url = f"/my/tickets/{self.ticket_a.id}"
        self._post(f"{url}/close")
        self.assertTrue(self.ticket_a.is_closed)
        self._post(f"{url}/reopen")
        self.ticket_a.invalidate_recordset()
        self.assertFalse(self.ticket_a.is_closed)
        self.assertEqual(self.ticket_a.reopen_count, 1)
        res = self._post(f"{url}/rate", {"score": "5"})
        self.assertIn("alert=cannot_rate", res.headers["Location"])
        self.assertFalse(self.ticket_a.rating_ids.filtered("consumed"))
        self._post(f"{url}/close")
        self._post(f"{url}/rate", {"score": "5", "feedback": "Nhanh"})
        rating = self.ticket_a.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.partner_id, self.customer_colleague)
        self.ticket_a.invalidate_recordset()
        self.assertTrue(self.ticket_a.is_closed, "rating does not reopen")
        res = self._post(f"{url}/rate", {"score": "1"})
        self.assertIn("alert=cannot_rate", res.headers["Location"])
        self.assertEqual(len(self.ticket_a.rating_ids.filtered("consumed")), 1)
        self.assertEqual(rating.rating, 5, "rated once")

    def test_close_only_when_stage_allows(self):
        self.stage_new.allow_customer_close = False
        self.authenticate("cc_portal", "cc_portal")
        res = self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self.assertIn("alert=cannot_close", res.headers["Location"])
        self.assertFalse(self.ticket_a.is_closed)

    def test_token_holder_acts_as_customer(self):
        self.authenticate(None, None)
        token = self.ticket_a.access_token
        self._post(
            f"/my/tickets/{self.ticket_a.id}/reply?access_token={token}",
            {"body": "Qua đường link"},
        )
        message = self.ticket_a.message_ids.filtered(
            lambda m: "Qua đường link" in (m.body or "")
        )
        self.assertTrue(message)
        self.assertEqual(message.author_id, self.customer_colleague)

    def test_reply_after_grace_opens_follow_up(self):
        self.ticket_a.action_close()
        self.ticket_a.date_closed = fields.Datetime.now() - timedelta(days=10)
        self.authenticate("cc_portal", "cc_portal")
        res = self._post(f"/my/tickets/{self.ticket_a.id}/reopen")
        self.assertIn("alert=cannot_reopen", res.headers["Location"])
        self.assertTrue(self.ticket_a.is_closed)
        res = self._post(
            f"/my/tickets/{self.ticket_a.id}/reply", {"body": "Lại hỏng rồi"}
        )
        follow_up = self.env["care.ticket"].search(
            [("parent_ticket_id", "=", self.ticket_a.id)]
        )
        self.assertEqual(len(follow_up), 1)
        self.assertIn(f"/my/tickets/{follow_up.id}", res.headers["Location"])
        self.assertTrue(self.ticket_a.is_closed, "the old ticket stays closed")
        self.assertEqual(follow_up.partner_id, self.customer_colleague)
        self.assertEqual(follow_up.team_id, self.team)
        self.assertIn("Lại hỏng rồi", follow_up.description)


@tagged("post_install", "-at_install")
class TestCarePublicForm(CarePortalCommon):
    def _submit(self, url="/help/new", files=None, **values):
        data = {
            "form_token": self._form_token(),
            "name": "Lý Thu Hà",
            "email": "thuha@example.com",
            "phone": "0987 654 321",
            "team_id": str(self.team.id),
            "subject": "Tủ lạnh không lạnh",
            "description": "Ngăn dưới không lạnh",
        }
        data.update(values)
        return self._post(url, data, files=files)

    def _tickets(self, email="thuha@example.com"):
        return self.env["care.ticket"].search([("partner_email", "=", email)])

    def test_visitor_creates_ticket_and_ack_is_queued(self):
        self.authenticate(None, None)
        res = self._submit(order_reference="SO-2026-0042")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_ticket_thanks", res.text)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.number, res.text)
        self.assertNotIn(ticket.access_token or "no-token", res.text)
        self.assertEqual(ticket.channel, "web_form")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.order_reference, "SO-2026-0042")
        self.assertEqual(ticket.partner_id.email, "thuha@example.com")
        mail = self._assert_ack_queued(ticket)
        self.assertIn(ticket.partner_id, mail.recipient_ids)

    def test_privileged_fields_are_ignored(self):
        self.authenticate(None, None)
        company = self.company_2
        self._submit(
            user_id=str(self.user_agent.id),
            stage_id=str(self.stage_solved.id),
            company_id=str(company.id),
            priority="3",
            channel="phone",
            partner_id=str(self.customer.id),
        )
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.company_id, self.team.company_id)
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(ticket.channel, "web_form")
        self.assertNotEqual(ticket.partner_id, self.customer)

    def test_unpublished_team_is_refused(self):
        self.authenticate(None, None)
        res = self._submit(team_id=str(self.team_tech.id))
        self.assertIn("Please choose a topic from the list", res.text)
        self.assertIn("Tủ lạnh không lạnh", res.text, "typed values are kept")
        self.assertFalse(self._tickets())

    def test_form_lists_topics_not_teams(self):
        self.authenticate(None, None)
        res = self.url_open("/help/new")
        self.assertEqual(res.status_code, 200)
        self.assertIn('name="topic_id"', res.text)
        self.assertIn("Orders and delivery", res.text)
        self.assertIn("Warranty and repairs", res.text)
        self.assertNotIn("Internal escalations", res.text, "unpublished topic")
        self.assertNotIn(self.team.name, res.text, "team names are internal")
        self.assertNotIn(self.team_tech.name, res.text)
        self.assertNotIn('name="team_id"', res.text)

    def test_form_without_topics_hides_select(self):
        self.env["care.topic"].search([]).action_archive()
        self.authenticate(None, None)
        res = self.url_open("/help/new")
        self.assertNotIn('name="topic_id"', res.text)
        self.assertNotIn(self.team.name, res.text, "no fallback to team names")
        res = self._submit(team_id="")
        self.assertIn("o_care_ticket_thanks", res.text)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.team_id, "the default team, as before topics")
        self.assertEqual(ticket.team_id.company_id, self.env.company)

    def test_topic_routes_ticket_to_its_team_and_type(self):
        self.authenticate(None, None)
        res = self._submit(team_id="", topic_id=str(self.topic_orders.id))
        self.assertIn("o_care_ticket_thanks", res.text)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.company_id, self.team.company_id)
        self.assertEqual(ticket.type_id, self.type_order, "the topic's type")
        # The team's own publication does not matter: the topic is published.
        feedback = self.env.ref("customer_care.care_ticket_type_feedback")
        self._submit(
            email="repairs@example.com",
            team_id=str(self.team.id),
            topic_id=str(self.topic_repairs.id),
            type_id=str(feedback.id),
        )
        ticket = self._tickets("repairs@example.com")
        self.assertEqual(ticket.team_id, self.team_tech, "the topic wins")
        self.assertEqual(ticket.type_id, feedback, "a chosen type is kept")

    def test_unpublished_or_archived_topic_is_refused(self):
        self.authenticate(None, None)
        res = self._submit(team_id="", topic_id=str(self.topic_hidden.id))
        self.assertIn("Please choose a topic from the list", res.text)
        self.assertIn("Tủ lạnh không lạnh", res.text, "typed values are kept")
        self.topic_repairs.action_archive()
        res = self._submit(team_id="", topic_id=str(self.topic_repairs.id))
        self.assertIn("Please choose a topic from the list", res.text)
        self.assertIn("Ngăn dưới không lạnh", res.text, "typed values are kept")
        res = self._submit(team_id="", topic_id="not-a-number")
        self.assertIn("Please choose a topic from the list", res.text)
        res = self._submit(team_id="")
        self.assertIn("Please choose a topic.", res.text)
        self.assertFalse(self._tickets())

    def test_topic_names_in_visitor_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.topic_orders.with_context(lang="vi_VN").name = "Đơn hàng và giao hàng"
        self.authenticate(None, None)
        res = self.url_open("/help/new")
        self.assertIn("Orders and delivery", res.text, "English source name")
        res = self.url_open("/vi/help/new")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Đơn hàng và giao hàng", res.text)
        self.assertNotIn("Orders and delivery", res.text)

    def test_honeypot_and_timing(self):
        self.authenticate(None, None)
        res = self._submit(**{HONEYPOT: "http://spam.example.com"})
        self.assertIn("could not be sent", res.text)
        res = self._submit(form_token="forged")
        self.assertIn("expired", res.text)
        self.env["ir.config_parameter"].sudo().set_param(
            "customer_care.intake_min_seconds", 60
        )
        res = self._submit()
        self.assertIn("too quickly", res.text)
        self.assertIn("Ngăn dưới không lạnh", res.text)
        res = self._submit(form_token=self._form_token(age=120))
        self.assertIn("o_care_ticket_thanks", res.text)
        self.assertEqual(len(self._tickets()), 1)

    def test_rate_limit_per_email_and_ip(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("customer_care.intake_max_per_email", 2)
        self.authenticate(None, None)
        for __ in range(3):
            res = self._submit()
        self.assertIn("several requests in a short time", res.text)
        self.assertEqual(len(self._tickets()), 2)
        self.assertEqual(
            self.env["care.intake.throttle"].search_count([("key_type", "=", "email")]),
            2,
        )
        throttle = self.env["care.intake.throttle"].search([], limit=1)
        self.assertNotIn("thuha", throttle.key_hash, "only hashes are stored")
        params.set_param("customer_care.intake_max_per_ip", 2)
        res = self._submit(email="other@example.com")
        self.assertIn("several requests in a short time", res.text)
        self.assertFalse(self._tickets("other@example.com"))

    def test_size_limits_and_validation(self):
        self.authenticate(None, None)
        res = self._submit(subject="x" * 201, email="not-an-email")
        self.assertIn("too long", res.text)
        self.assertIn("valid email", res.text)
        res = self._submit(
            files={"attachments": ("lon.pdf", b"%PDF" + b"a" * (1024 * 1024), "")}
        )
        self.assertIn("too large", res.text)
        self.assertFalse(self._tickets())

    def test_known_email_is_not_revealed(self):
        self.authenticate(None, None)
        known = self._submit(email=self.user_portal.email)
        unknown = self._submit(email="nobody.new@example.com")

        def strip(text):
            text = re.sub(r'o_care_thanks_number">[^<]*<', "", text)
            return re.sub(r"(csrf_token|odoo\.csrf_token)[^\n]*", "", text)

        self.assertIn("o_care_ticket_thanks", known.text)
        self.assertEqual(strip(known.text), strip(unknown.text))
        ticket = self._tickets(self.user_portal.email)
        self.assertEqual(ticket.partner_id, self.user_portal.partner_id)

    def test_logged_in_customer_creates_ticket(self):
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open("/my/tickets/new")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_care_ticket_form", res.text)
        self.assertNotIn('name="email"', res.text, "the account's email is used")
        self.assertIn(self.topic_orders.name, res.text)
        self.assertNotIn(self.team.name, res.text, "team names are internal")
        self.assertNotIn(self.team_tech.name, res.text, "unpublished team hidden")
        res = self._submit(
            url="/my/tickets/new",
            email="ignored@example.com",
            files={"attachments": ("hoa-don.pdf", b"%PDF-1.4 test", "")},
        )
        self.assertIn(res.status_code, (302, 303))
        ticket = self.env["care.ticket"].search(
            [("partner_id", "=", self.user_portal.partner_id.id)]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.partner_email, self.user_portal.email)
        self.assertIn(f"/my/tickets/{ticket.id}", res.headers["Location"])
        self.assertEqual(ticket.message_ids.attachment_ids.name, "hoa-don.pdf")
        res = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertIn("hoa-don.pdf", res.text)


@tagged("post_install", "-at_install")
class TestCareHelpCentre(CarePortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["care.article.category"].create({"name": "Bảo hành"})
        cls.article = cls.env["care.article"].create(
            {
                "name": "Cách kiểm tra bảo hành điện thoại",
                "body": "<p>Nhập số IMEI trên trang bảo hành.</p>",
                "category_id": cls.category.id,
                "is_published": True,
            }
        )
        cls.draft = cls.env["care.article"].create(
            {"name": "Bảo hành nội bộ chưa đăng", "is_published": False}
        )

    def test_help_pages_and_accent_free_search(self):
        res = self.url_open("/help")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Cách kiểm tra bảo hành điện thoại", res.text)
        self.assertNotIn("chưa đăng", res.text)
        res = self.url_open("/help?search=kiem+tra+bao+hanh")
        self.assertIn("Cách kiểm tra bảo hành điện thoại", res.text)
        res = self.url_open("/help?search=IMEI")
        self.assertIn("Cách kiểm tra bảo hành điện thoại", res.text)
        res = self.url_open(self.article._help_path())
        self.assertEqual(res.status_code, 200)
        self.assertIn("Nhập số IMEI", res.text)
        res = self.url_open(f"/help/{self.draft.id}")
        self.assertEqual(res.status_code, 404)

    def test_suggest_and_deflection(self):
        self.authenticate(None, None)
        result = self.make_jsonrpc_request(
            "/help/suggest", {"query": "bao hanh dien thoai"}
        )
        self.assertEqual([r["id"] for r in result], [self.article.id])
        self.assertEqual(self.make_jsonrpc_request("/help/suggest", {"query": "b"}), [])
        self._post(f"/help/{self.article.id}/solved")
        self._post(f"/help/{self.article.id}/solved")
        self.article.invalidate_recordset()
        self.assertEqual(self.article.deflection_count, 1, "once per visitor session")
        res = self._post(f"/help/{self.draft.id}/solved")
        self.assertEqual(res.status_code, 404)
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.deflection_count, 0)

    def test_agents_get_a_canned_reply_per_article(self):
        canned = self.article.canned_response_id
        self.assertEqual(canned.source, f"kb{self.article.id}")
        self.assertIn(self.article._help_path(), canned.substitution)
        self.assertFalse(self.draft.canned_response_id)
        self.article.is_published = False
        self.assertFalse(canned.exists())


@tagged("post_install", "-at_install")
class TestCarePortalTours(CarePortalCommon):
    def test_tour_visitor_public_form(self):
        self.start_tour("/help/new", "care_portal_public_form")
        ticket = self.env["care.ticket"].search(
            [("partner_email", "=", "thuha.tour@example.com")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "web_form")
        self._assert_ack_queued(ticket)

    def test_tour_customer_replies_closes_rates(self):
        self.start_tour("/my/tickets", "care_portal_customer", login="cc_portal")
        message = self.ticket_a.message_ids.filtered(
            lambda m: "tem bảo hành" in (m.body or "")
        )
        self.assertEqual(message.attachment_ids.name, "tem-bao-hanh.txt")
        self.assertTrue(self.ticket_a.is_closed)
        self.assertEqual(self.ticket_a.rating_ids.filtered("consumed").rating, 5)


class TestCareReopenGrace(CareCommon):
    def _customer_mail(self, ticket):
        ticket.message_post(
            body="Cho em hỏi thêm về hóa đơn",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def test_mail_within_grace_reopens(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
            ticket.action_close()
            self.env.flush_all()  # compute the closing date at the frozen time
        with freeze_time("2026-03-08 09:00:00"):
            self._customer_mail(ticket)
        self.assertFalse(ticket.is_closed)
        self.assertFalse(
            self.env["care.ticket"].search([("parent_ticket_id", "=", ticket.id)])
        )

    def test_mail_after_grace_opens_linked_ticket(self):
        self.env["ir.config_parameter"].sudo().set_param("customer_care.reopen_days", 3)
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
            ticket.action_close()
            self.env.flush_all()  # compute the closing date at the frozen time
        with freeze_time("2026-03-06 09:00:00"):
            self._customer_mail(ticket)
        self.assertTrue(ticket.is_closed)
        follow_up = self.env["care.ticket"].search(
            [("parent_ticket_id", "=", ticket.id)]
        )
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.channel, "email")
        self.assertEqual(follow_up.partner_id, self.customer)
        self.assertFalse(follow_up.is_closed)

    def test_standard_portal_chatter_follows_file_rules(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        Attachment = self.env["ir.attachment"]
        page = Attachment.create(
            {"name": "trang.html", "raw": b"<html><script>x</script></html>"}
        )
        photo = Attachment.create({"name": "anh.png", "raw": b"\x89PNG\r\n\x1a\n0"})
        # As the standard portal chatter posts: the customer's user, the thread
        # in sudo after its own access check.
        portal_ticket = ticket.with_user(self.user_portal).sudo()
        with self.assertRaises(UserError):
            portal_ticket.message_post(
                body="Xem tệp", message_type="comment", attachment_ids=page.ids
            )
        message = portal_ticket.message_post(
            body="Ảnh chụp", message_type="comment", attachment_ids=photo.ids
        )
        self.assertIn("Ảnh chụp", message.body, "accepted files do not block")

    def test_rating_from_email_link_does_not_reopen(self):
        ticket = self._ticket()
        ticket.action_close()
        token = ticket._rating_get_access_token()
        ticket.rating_apply(5, token=token, feedback="Nhân viên rất nhiệt tình")
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.reopen_count, 0)
        self.assertEqual(ticket.rating_ids.rating, 5)


class TestCareArticleSearch(CareCommon):
    def test_search_covers_every_language_without_accents(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        article = self.env["care.article"].create(
            {
                "name": "How to check my warranty",
                "body": "<p>Type the IMEI number.</p>",
                "is_published": True,
            }
        )
        article.with_context(lang="vi_VN").write(
            {
                "name": "Cách kiểm tra bảo hành",
                "body": "<p>Nhập số IMEI trên máy.</p>",
            }
        )
        Article = self.env["care.article"]
        for query in ("kiem tra bao hanh", "KIỂM TRA", "warranty", "nhap so imei"):
            self.assertEqual(
                Article.search(Article._match_domain(query)), article, query
            )
        article.is_published = False
        self.assertFalse(Article.search(Article._match_domain("warranty")))
