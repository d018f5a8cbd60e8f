import base64
from datetime import datetime

from odoo.tests import freeze_time, tagged

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

MAIL = """Return-Path: {return_path}
From: {email_from}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
Date: Mon, 02 Mar 2026 09:15:00 +0700
MIME-Version: 1.0
{extra}Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""

MAIL_BROKEN_MIME = """Return-Path: <an.nguyen@example.com>
From: An <an.nguyen@example.com>
To: hotro@test.mycompany.com
Subject: =?utf-8?b?xJDGoW4gaMOgbmcgbOG7l2k=?=
Message-ID: <broken-mime-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="NEVER-CLOSED"

--NEVER-CLOSED
Content-Type: text/plain; charset="x-unknown-charset"
Content-Transfer-Encoding: quoted-printable

M=C3=A1y gi=E1=BA=B7t b=E1=BB=8B h=E1=BB=8Fng, mong h=E1=BB=97 tr=E1=BB=A3
--NEVER-CLOSED
Content-Type: application/octet-stream; name="hoa-don.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJ
"""

MAIL_WITH_ATTACHMENTS = """Return-Path: <an.nguyen@example.com>
From: An <an.nguyen@example.com>
To: hotro@test.mycompany.com
Subject: {subject}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

Em gửi ảnh sản phẩm bị lỗi.
{parts}--BOUNDARY--
"""

PART = """--BOUNDARY
Content-Type: application/octet-stream; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{content}
"""

BOUNCE = """Return-Path: <>
From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
To: bounce.test@test.mycompany.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Final-Recipient: rfc822; nobody@example.com
Action: failed
Status: 5.1.1

--B--
"""


@tagged("post_install", "-at_install", "mail_gateway")
class TestMailGateway(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = mail_new_test_user(
            cls.env,
            login="cc_mail_agent",
            name="Nguyễn Thị Lan",
            email="lan@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
            notification_type="email",
        )
        cls.team = cls.env["care.team"].create(
            {
                "name": "Tổng đài Hà Nội",
                "alias_name": "hotro",
                "member_ids": [(6, 0, cls.agent.ids)],
                "assign_method": "round_robin",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "email": "an.nguyen@example.com"}
        )
        cls.alias_email = f"hotro@{cls.alias_domain}"
        cls.Ticket = cls.env["care.ticket"]

    def _send(
        self,
        subject,
        email_from="Nguyễn Văn An <an.nguyen@example.com>",
        body="Tôi đặt tủ lạnh đơn SV-2026-10452 mà chưa thấy giao.",
        extra="",
        return_path=None,
        msg_id=None,
        to=None,
    ):
        self._msg_counter = getattr(self, "_msg_counter", 0) + 1
        mail = MAIL.format(
            return_path=return_path
            if return_path is not None
            else f"<{email_from.split('<')[-1].rstrip('>')}>",
            email_from=email_from,
            to=to or self.alias_email,
            subject=subject,
            msg_id=msg_id or f"<cc-test-{self._msg_counter}-{subject[:8]}@example.com>",
            extra=extra,
            body=body,
        )
        self.env["mail.thread"].sudo().message_process(None, mail.encode())
        self._acknowledge()
        return self.Ticket.search([("name", "=", subject)])

    def _acknowledge(self):
        """Run what the triggered acknowledgement job runs."""
        self.Ticket.sudo()._send_pending_notices()

    def test_reply_quoting_our_answer_is_scored_on_the_new_text(self):
        """A customer's mail that quotes our cheerful answer: the journal records
        her anger, not the quoted thanks."""
        with self.mock_mail_gateway():
            ticket = self._send("Đơn SV-2026-10452 chưa giao")
            ack = self._acks(ticket)
            self._send(
                "Re: Đơn SV-2026-10452 chưa giao",
                body="Giao hàng trễ quá, rất bực! Đã một tuần rồi.\n\n"
                "Vào ngày 2/3/2026, Điện Máy Sao Việt đã viết:\n"
                "> Dạ tuyệt vời ạ, cảm ơn anh rất nhiều, bên em rất vui được phục "
                "vụ!",
                extra=f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n",
            )
        reply = ticket.message_ids[0]
        self.assertIn("rất bực", reply.body)
        entry = self.env["care.emotion.entry"].search([("message_id", "=", reply.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.label, "angry")

    def _acks(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("customer_care.mt_ticket_ack")
        )

    # ---- new tickets ----

    def test_new_mail_creates_ticket_and_acknowledgement(self):
        with self.mock_mail_gateway():
            ticket = self._send("Đơn hàng chưa giao")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.customer, "known customer matched")
        self.assertEqual(ticket.user_id, self.agent, "team's round-robin assigned it")
        self.assertIn("SV-2026-10452", str(ticket.description))
        self.assertTrue(ticket.number.startswith("CC/"))
        self.assertIn(self.customer, ticket.message_partner_ids)
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1, "the customer's mail is on the ticket")
        self.assertEqual(len(self._acks(ticket)), 1)
        ack_mails = self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(ack_mails), 1)
        self.assertIn(ticket.number, ack_mails.subject)
        self.assertIn("access_token=", ack_mails.body_html, "portal link is in it")
        self.assertFalse(ticket.date_first_reply, "an acknowledgement is no reply")
        self.assertFalse(ticket.ack_pending)
        self._acknowledge()
        self.assertEqual(len(self._acks(ticket)), 1, "never acknowledged twice")

    def test_notices_are_sent_by_the_job(self):
        cron = self.env.ref("customer_care.ir_cron_care_ticket_ack")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        ticket = self.Ticket.create(
            {
                "name": "Hỏi lịch bảo trì",
                "team_id": self.team.id,
                "partner_id": self.customer.id,
            }
        )
        self.assertTrue(ticket.ack_pending)
        self.assertFalse(self._acks(ticket), "nothing rendered inside create")
        self.assertEqual(ticket.user_id, self.agent)
        self.assertTrue(ticket.assign_notice_pending)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "care.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertFalse(notices)
        self._acknowledge()
        self.assertFalse(ticket.ack_pending)
        self.assertFalse(ticket.assign_notice_pending)
        self.assertEqual(len(self._acks(ticket)), 1)
        notices = notices.search(
            [
                ("model", "=", "care.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(notices.partner_ids, self.agent.partner_id, "agent told once")

    def test_new_mail_unknown_sender_creates_customer(self):
        with self.mock_mail_gateway():
            ticket = self._send(
                "Hỏi giá điều hòa", email_from="Bùi Thị Hoa <hoa.bui@example.com>"
            )
        self.assertEqual(ticket.partner_id.email, "hoa.bui@example.com")
        self.assertEqual(ticket.partner_id.name, "Bùi Thị Hoa")
        self.assertEqual(len(self._acks(ticket)), 1)

    def test_reply_lands_on_same_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._send("Máy giặt kêu to")
            ack = self._acks(ticket)
            self._send(
                "Re: Máy giặt kêu to",
                body="Em bổ sung: máy mua tháng trước.",
                extra=f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n",
            )
        self.assertEqual(
            self.Ticket.search_count([("partner_id", "=", self.customer.id)]), 1
        )
        self.assertFalse(self.Ticket.search([("name", "=", "Re: Máy giặt kêu to")]))
        last = ticket.message_ids[0]
        self.assertIn("máy mua tháng trước", last.body)
        self.assertEqual(last.author_id, self.customer)
        self.assertTrue(ticket.date_last_customer_message)
        self.assertEqual(
            len(self._acks(ticket)), 1, "a reply is not acknowledged again"
        )

    def test_mail_opens_every_response_cycle_once(self):
        """The mail that opens a ticket is the customer's first message: its
        every-response cycle starts with the ticket, and only once."""
        self.env["care.sla"].search([]).action_archive()
        self.env["care.sla"].create(
            {
                "name": "Phản hồi email",
                "target_ids": [
                    (0, 0, {"kind": "first_response", "hours": 4}),
                    (0, 0, {"kind": "every_response", "hours": 2}),
                ],
            }
        )
        with self.mock_mail_gateway(), freeze_time("2026-03-10 02:00:00"):
            ticket = self._send("Máy sấy không nóng")
        self.assertEqual(
            sorted(ticket.sla_line_ids.mapped("kind")),
            ["every_response", "first_response"],
        )
        cycle = ticket.sla_line_ids.filtered(lambda line: line.kind == "every_response")
        self.assertEqual(cycle.start_date, datetime(2026, 3, 10, 2, 0))
        self.assertEqual(ticket.date_last_customer_message, cycle.start_date)
        self.assertEqual(cycle.status, "ongoing")

    def test_notifications_of_incoming_mail_wait_for_the_queue(self):
        """The assigned agent's e-mail about a customer reply is queued, not
        sent when the intake transaction commits; the mail queue sends it."""
        with self.mock_mail_gateway():
            ticket = self._send("Tủ lạnh không lạnh")
            self.assertEqual(ticket.user_id, self.agent)
            ack = self._acks(ticket)
            self._send(
                "Re: Tủ lạnh không lạnh",
                body="Em gửi thêm: ngăn đá vẫn đông.",
                extra=f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n",
            )
            reply = ticket.message_ids[0]
            notice = self.env["mail.mail"].search(
                [
                    ("mail_message_id", "=", reply.id),
                    ("recipient_ids", "in", self.agent.partner_id.ids),
                ]
            )
            self.assertEqual(len(notice), 1)
            self.env.cr.postcommit.run()  # what follows the intake's commit
            self.assertEqual(notice.state, "outgoing")

            def sent_to_agent():
                return [
                    m
                    for m in self._mails
                    if "ngăn đá vẫn đông" in (m.get("body") or "")
                    and any(self.agent.email in to for to in m["email_to"])
                ]

            self.assertFalse(sent_to_agent())
            notice.send()  # what the mail queue job does with it
            self.assertEqual(len(sent_to_agent()), 1)

    def test_agent_reply_by_email_posts_on_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._send("Bảo hành laptop")
            ack = self._acks(ticket)
            self._send(
                "Re: Bảo hành laptop",
                email_from="Nguyễn Thị Lan <lan@saoviet.example.com>",
                body="Chào anh, trung tâm bảo hành sẽ gọi anh chiều nay.",
                extra=f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n",
            )
        last = ticket.message_ids[0]
        self.assertEqual(last.author_id, self.agent.partner_id)
        self.assertFalse(last.subtype_id.internal, "a public answer to the customer")
        self.assertTrue(ticket.date_first_reply, "an agent's emailed answer is a reply")
        self.assertEqual(
            self.Ticket.search_count([("name", "ilike", "Bảo hành laptop")]), 1
        )

    # ---- robots ----

    def test_automatic_mail_gets_no_acknowledgement(self):
        robots = {
            "auto-replied": "Auto-Submitted: auto-replied\n",
            "bulk": "Precedence: bulk\n",
            "list": "List-Id: <khuyenmai.example.com>\n",
            "loop": "X-Loop: hotro@test.mycompany.com\n",
            "autoreply": "X-Autoreply: yes\n",
        }
        for name, extra in robots.items():
            with self.subTest(name), self.mock_mail_gateway():
                ticket = self._send(f"Out of office {name}", extra=extra)
                self.assertEqual(len(ticket), 1, "the message is kept as a ticket")
                self.assertFalse(self._acks(ticket), "but never answered")
                self.assertFalse(
                    self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
                )
        with self.mock_mail_gateway():
            ticket = self._send("Null sender", return_path="<>")
        self.assertFalse(self._acks(ticket), "empty Return-Path: no answer")

    def test_bounce_creates_no_ticket(self):
        count = self.Ticket.search_count([])
        self.env["mail.thread"].sudo().message_process(None, BOUNCE.encode())
        self.assertEqual(self.Ticket.search_count([]), count)

    def test_flooding_sender_is_throttled(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "mail.gateway.loop.threshold", 3
        )
        with self.mock_mail_gateway():
            for i in range(5):
                self._send(f"Spam {i}", email_from="Flood <flood@example.com>")
        tickets = self.Ticket.search([("partner_email", "=", "flood@example.com")])
        self.assertEqual(len(tickets), 3, "mail beyond the threshold opens no ticket")

    # ---- malformed mail ----

    def test_broken_mime_and_unknown_charset(self):
        with (
            self.mock_mail_gateway(),
            self.assertLogs("odoo.addons.customer_care", "WARNING") as logs,
        ):
            self.env["mail.thread"].sudo().message_process(
                None, MAIL_BROKEN_MIME.encode()
            )
        self.assertIn("unknown charset", logs.output[0])
        ticket = self.Ticket.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(ticket), 1, "the mail became a ticket")
        self.assertEqual(ticket.name, "Đơn hàng lỗi")
        body = " ".join(ticket.message_ids.mapped("body"))
        self.assertIn("hỏng", body + str(ticket.description), "text decoded as UTF-8")

    def test_oversized_and_too_many_attachments(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("customer_care.max_attachment_mb", 1)
        params.set_param("customer_care.max_attachments", 3)
        small = base64.b64encode(b"x" * 1000).decode()
        big = base64.b64encode(b"y" * (2 * 1024 * 1024)).decode()
        parts = PART.format(name="video-loi.mp4", content=big) + "".join(
            PART.format(name=f"anh-{i}.jpg", content=small) for i in range(5)
        )
        mail = MAIL_WITH_ATTACHMENTS.format(
            subject="Ảnh sản phẩm lỗi", msg_id="<att-1@example.com>", parts=parts
        )
        with (
            self.mock_mail_gateway(),
            self.assertLogs("odoo.addons.customer_care", "WARNING") as logs,
        ):
            self.env["mail.thread"].sudo().message_process(None, mail.encode())
        self.assertIn("over the limits were not saved", logs.output[0])
        ticket = self.Ticket.search([("name", "=", "Ảnh sản phẩm lỗi")])
        self.assertEqual(len(ticket), 1)
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(
            sorted(incoming.attachment_ids.mapped("name")),
            ["anh-0.jpg", "anh-1.jpg", "anh-2.jpg"],
        )
        note = ticket.message_ids.filtered(lambda m: "were not saved" in (m.body or ""))
        self.assertEqual(len(note), 1)
        for name in ("video-loi.mp4", "anh-3.jpg", "anh-4.jpg"):
            self.assertIn(name, note.body)

    # ---- stage templates ----

    def test_stage_template_mailed_to_customer(self):
        with self.mock_mail_gateway():
            ticket = self._send("Lắp đặt điều hòa")
            self.env.cr.precommit.run()  # the gateway commits each mail
            self._reset_mail_context(ticket).stage_id = self.env.ref(
                "customer_care.care_stage_solved"
            )
            self.env.flush_all()
            self.env.cr.precommit.run()  # tracking and its templates run at commit
        solved = self._new_mails.filtered(
            lambda m: self.customer in m.recipient_ids and "solved" in (m.subject or "")
        )
        self.assertEqual(len(solved), 1, self._new_mails.mapped("subject"))
        self.assertIn(ticket.number, solved.subject)

    # ---- languages ----

    def test_acknowledgement_in_customer_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_care"], ["vi_VN"], overwrite=True
        )
        vietnamese = self.customer
        vietnamese.lang = "vi_VN"
        english = self.env["res.partner"].create(
            {"name": "Michael Brown", "email": "michael@example.com", "lang": "en_US"}
        )
        with self.mock_mail_gateway():
            ticket_vi = self._send("Tivi không lên hình")
            ticket_en = self._send(
                "TV has no picture", email_from="Michael Brown <michael@example.com>"
            )
        mail_vi = self._new_mails.filtered(lambda m: vietnamese in m.recipient_ids)
        mail_en = self._new_mails.filtered(lambda m: english in m.recipient_ids)
        self.assertIn("Chúng tôi đã nhận được yêu cầu", mail_vi.body_html)
        self.assertIn(ticket_vi.number, mail_vi.body_html)
        self.assertIn("We have received your request", mail_en.body_html)
        self.assertIn(ticket_en.number, mail_en.body_html)
        # The backend speaks Vietnamese too.
        selection = dict(
            self.env["care.ticket"]
            .with_context(lang="vi_VN")
            .fields_get(["priority"])["priority"]["selection"]
        )
        self.assertEqual(selection["3"], "Khẩn cấp")
