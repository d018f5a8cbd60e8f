import re
from datetime import datetime, timedelta

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import format_date

from .common import CareCommon

NOW = datetime(2026, 3, 20, 5, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPortalLastUpdate(HttpCase, CareCommon):
    """The portal's "Last Update" is the ticket's last message either way or
    change of status, not the last write of any field (issue 11: demo tickets
    all showed the install day)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.customer_company
        cls.ticket_old = cls._ticket(
            name="Tủ lạnh không lạnh",
            partner_id=cls.customer_colleague.id,
            date_last_stage_update=NOW - timedelta(days=20),
        )
        cls.ticket_recent = cls._ticket(
            name="Máy lạnh chảy nước",
            partner_id=company.id,
            date_last_stage_update=NOW - timedelta(days=10),
        )

    def _rows(self, sortby):
        self.authenticate("cc_portal", "cc_portal")
        response = self.url_open(f"/my/tickets?sortby={sortby}")
        self.assertEqual(response.status_code, 200)
        return re.findall(
            r'class="o_care_portal_ticket_row">(.*?)</tr>', response.text, re.S
        )

    def test_last_update_is_the_last_visible_activity(self):
        self.assertEqual(self.ticket_old.date_last_update, NOW - timedelta(days=20))
        # Internal work (priority, assignment, a note) is no update for the
        # customer...
        self.ticket_old.write({"priority": "2", "user_id": self.user_agent.id})
        self.ticket_old.message_post(body="Gọi lại kho", subtype_xmlid="mail.mt_note")
        self.assertEqual(self.ticket_old.date_last_update, NOW - timedelta(days=20))
        rows = self._rows("update")
        self.assertIn(self.ticket_recent.number, rows[0])
        self.assertIn(self.ticket_old.number, rows[1])
        date_recent = format_date(self.env, NOW - timedelta(days=10))
        self.assertIn(date_recent, rows[0])
        # ...a message of the customer is.
        self.ticket_old.message_post(
            body="Em vẫn chờ kỹ thuật viên ạ.",
            author_id=self.customer_colleague.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(self.ticket_old.date_last_update, NOW)
        rows = self._rows("update")
        self.assertIn(self.ticket_old.number, rows[0])
        self.assertIn(format_date(self.env, NOW), rows[0])
