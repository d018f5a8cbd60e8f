"""Live chat → ticket (issue 14, scope 1): the /ticket command of Odoo's live
chat makes one ticket with the transcript, the visitor as customer and a
journal entry per customer message; later lines follow the open ticket."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CareCommon

LINES = [
    "Chào shop, máy giặt của tôi không vắt được.",
    "Email của tôi là khach.moi@example.com, số 0903 123 456",
    "Bực mình quá! Gọi 5 lần không ai nghe máy, làm ăn kiểu gì vậy?",
]


class TestLivechatTicket(CareCommon):
    @classmethod
    def default_env_context(cls):
        return {"mail_notrack": True, "no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Hỗ trợ trực tuyến", "user_ids": [Command.link(cls.user_agent.id)]}
        )
        cls.public = cls.env.ref("base.public_user")

    def _chat(self, visitor=None):
        """A live chat between the agent and a guest (or ``visitor``, a user)."""
        guest = self.env["mail.guest"].create({"name": "Khách truy cập"})
        visitor_member = (
            {"partner_id": visitor.partner_id.id} if visitor else {"guest_id": guest.id}
        )
        channel = self.env["discuss.channel"].create(
            {
                "name": "Khách truy cập, Nguyễn Thị Lan",
                "channel_type": "livechat",
                "livechat_channel_id": self.livechat.id,
                "livechat_operator_id": self.user_agent.partner_id.id,
                "channel_member_ids": [
                    Command.create(
                        {
                            "partner_id": self.user_agent.partner_id.id,
                            "livechat_member_type": "agent",
                        }
                    ),
                    Command.create(
                        {**visitor_member, "livechat_member_type": "visitor"}
                    ),
                ],
            }
        )
        return channel, guest

    def _say(self, channel, body, guest=None, user=None):
        if user:
            poster = channel.with_user(user)
        else:
            poster = channel.with_user(self.public).with_context(guest=guest)
        # sudo: the tests post as the visitor without a web session.
        return poster.sudo().message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def test_chat_becomes_one_ticket_with_transcript_and_journal(self):
        channel, guest = self._chat()
        for line in LINES[:2]:
            self._say(channel, line, guest=guest)
        self._say(channel, "Dạ em kiểm tra ngay ạ", user=self.user_agent)
        self._say(channel, LINES[2], guest=guest)
        channel.with_user(self.user_agent).execute_command_ticket(
            body="/ticket Máy giặt không vắt"
        )
        ticket = channel.care_ticket_id
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Máy giặt không vắt")
        self.assertEqual(ticket.channel, "chat")
        self.assertEqual(ticket.partner_id.email, "khach.moi@example.com")
        self.assertEqual(ticket.partner_id.name, "Khách truy cập")
        self.assertEqual(ticket.livechat_channel_ids, channel)
        transcript = ticket.message_ids.filtered(
            lambda m: "Live chat transcript" in str(m.body)
        )
        self.assertEqual(len(transcript), 1, "one transcript")
        for line in [*LINES, "Dạ em kiểm tra ngay ạ"]:
            self.assertIn(line, str(transcript.body))
        self.assertTrue(transcript.subtype_id.internal, "a note, not mailed")
        entries = ticket.emotion_entry_ids
        self.assertEqual(len(entries), 3, "one entry per customer message")
        self.assertEqual(set(entries.mapped("source")), {"message"})
        self.assertEqual(set(entries.message_id.mapped("model")), {"discuss.channel"})
        self.assertIn("angry", entries.mapped("label"))
        self.assertEqual(entries.partner_id, ticket.partner_id)
        # The same command again makes no second ticket.
        channel.with_user(self.user_agent).execute_command_ticket(body="/ticket")
        self.assertEqual(
            self.env["care.ticket"].search_count(
                [("partner_id", "=", ticket.partner_id.id)]
            ),
            1,
        )

    def test_later_lines_follow_the_open_ticket(self):
        channel, guest = self._chat()
        self._say(channel, LINES[0], guest=guest)
        self._say(channel, LINES[1], guest=guest)
        channel.with_user(self.user_agent).execute_command_ticket(body="/ticket")
        ticket = channel.care_ticket_id
        self.assertEqual(ticket.name, LINES[0], "subject from the first message")
        self.assertEqual(len(ticket.emotion_entry_ids), 2)
        self._say(channel, "Em đã tạo phiếu cho anh ạ", user=self.user_agent)
        self.assertTrue(ticket.date_last_agent_reply)
        self._say(channel, LINES[2], guest=guest)
        lines = ticket.message_ids.filtered(lambda m: LINES[2] in str(m.body))
        self.assertEqual(len(lines), 1, "the line is in the ticket's chatter")
        self.assertEqual(lines.author_id, ticket.partner_id)
        self.assertEqual(len(ticket.emotion_entry_ids), 3)
        self.assertEqual(ticket.emotion_entry_ids.sorted("id")[-1].label, "angry")
        # A closed ticket no longer takes the chat's lines.
        ticket.action_close()
        count = len(ticket.message_ids)
        self._say(channel, "Cảm ơn shop", guest=guest)
        self.assertEqual(len(ticket.message_ids), count)

    def test_logged_in_visitor_attaches_to_their_open_ticket(self):
        existing = self._ticket(partner_id=self.user_portal.partner_id.id)
        channel, __ = self._chat(visitor=self.user_portal)
        self._say(channel, "Phiếu của tôi vẫn chưa xong", user=self.user_portal)
        channel.with_user(self.user_agent).execute_command_ticket(
            body=f"/ticket {existing.number}"
        )
        self.assertEqual(channel.care_ticket_id, existing)
        self.assertEqual(
            self.env["care.ticket"].search_count(
                [("partner_id", "=", self.user_portal.partner_id.id)]
            ),
            1,
            "attached, not created",
        )
        self.assertEqual(len(existing.emotion_entry_ids), 1)

    def test_only_care_users_make_tickets(self):
        channel, guest = self._chat()
        self._say(channel, LINES[0], guest=guest)
        clerk = self.env["res.users"].create(
            {
                "name": "Kế toán",
                "login": "cc_clerk",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        channel.channel_member_ids = [
            Command.create({"partner_id": clerk.partner_id.id})
        ]
        channel.with_user(clerk).execute_command_ticket(body="/ticket")
        self.assertFalse(channel.care_ticket_id)


@tagged("post_install", "-at_install")
class TestLivechatTicketTour(HttpCase, CareCommon):
    def test_operator_types_ticket_command(self):
        livechat = self.env["im_livechat.channel"].create(
            {
                "name": "Hỗ trợ trực tuyến",
                "user_ids": [Command.link(self.user_agent.id)],
            }
        )
        guest = self.env["mail.guest"].create({"name": "Khách truy cập"})
        channel = self.env["discuss.channel"].create(
            {
                "name": "Khách truy cập, Nguyễn Thị Lan",
                "channel_type": "livechat",
                "livechat_channel_id": livechat.id,
                "livechat_operator_id": self.user_agent.partner_id.id,
                "channel_member_ids": [
                    Command.create(
                        {
                            "partner_id": self.user_agent.partner_id.id,
                            "livechat_member_type": "agent",
                        }
                    ),
                    Command.create(
                        {"guest_id": guest.id, "livechat_member_type": "visitor"}
                    ),
                ],
            }
        )
        public = self.env.ref("base.public_user")
        for line in LINES[:2]:
            channel.with_user(public).with_context(guest=guest).sudo().message_post(
                body=line, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.start_tour(
            f"/odoo/discuss?active_id=discuss.channel_{channel.id}",
            "care_livechat_ticket",
            login="cc_agent",
            timeout=120,
        )
        ticket = channel.care_ticket_id
        self.assertEqual(ticket.name, "Máy giặt không vắt")
        self.assertEqual(ticket.partner_id.email, "khach.moi@example.com")
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: LINES[0] in str(m.body)),
            "the transcript is in the chatter",
        )
