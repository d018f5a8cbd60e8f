import io
import json
import zipfile
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import CareCommon
from .test_portal import CarePortalCommon

ANGRY = "Giao hàng trễ quá, rất bực! Tôi muốn hoàn tiền ngay, lừa đảo à?"
SECRET = "Số nhà 17 ngõ Hoa Sữa, mã đơn XJ-4471"
OTHER_SECRET = "Bà Mai ở tầng 9 chung cư Sông Hồng"
# Core tables the module writes into for a customer, beside its own care_*.
CORE_TABLES = [
    "mail_message",
    "mail_tracking_value",
    "mail_notification",
    "mail_mail",
    "ir_attachment",
    "res_partner",
    "rating_rating",
    "mail_activity",
    "crm_lead",
]


class PrivacyMixin:
    @classmethod
    def _customer_history(cls, partner, secret, when, filename="hoa_don.txt"):
        """Two tickets of ``partner`` with messages (theirs and an agent's),
        an attachment, a rating, journal entries, a follow-up and consent."""
        with freeze_time(when):
            tickets = cls._ticket(
                partner_id=partner.id, description=f"<p>{secret}</p>"
            ) | cls._ticket(partner_id=partner.id, name=f"Đơn hàng của {partner.name}")
            for ticket in tickets:
                ticket.message_post(
                    body=f"{ANGRY} {secret}",
                    author_id=partner.id,
                    message_type="email",
                    subtype_xmlid="mail.mt_comment",
                    attachments=[(filename, secret.encode())],
                )
                ticket.with_user(cls.user_agent).message_post(
                    body=f"Chào {partner.name}, chúng tôi đã nhận thông tin.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            tickets[0].rating_apply(
                2,
                token=tickets[0]._rating_get_access_token(),
                feedback=f"Chậm quá. {secret}",
            )
            tickets[1].activity_schedule(
                "mail.mail_activity_data_call",
                summary=f"Gọi lại cho {partner.name}",
                note=f"<p>{secret}</p>",
                user_id=cls.user_agent.id,
            )
            answer = cls.env["care.nps.answer"].create(
                {"partner_id": partner.id, "ticket_id": tickets[0].id}
            )
            answer._record_score(3)
            answer._record_comment(f"Không giới thiệu. {secret}")
            cls.env["care.consent.event"]._record(
                partner, "marketing", True, "agent", proof=f"Gọi điện: {secret}"
            )
        return tickets


class TestCarePrivacy(PrivacyMixin, CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Privacy = cls.env["care.privacy"]
        cls.tickets = cls._customer_history(
            cls.customer, SECRET, datetime(2026, 1, 12, 9, 0)
        )
        cls.other_tickets = cls._customer_history(
            cls.other_customer,
            OTHER_SECRET,
            datetime(2026, 2, 9, 9, 0),
            filename="bien_lai.txt",
        )

    def _export(self, partner):
        data, files = self.Privacy._export_data(self.Privacy._persons(partner))
        return data, dict(files)

    def test_escalation_note_is_exported_and_erased(self):
        escalation = self.env["care.ticket.escalation"].create(
            {
                "ticket_id": self.tickets[0].id,
                "from_team_id": self.team.id,
                "to_team_id": self.team_tech.id,
                "reason_id": self.env["care.escalation.reason"].search([], limit=1).id,
                "note": f"<p>{SECRET}</p>",
            }
        )
        data, __ = self._export(self.customer)
        exported = data["records"]["care.ticket.escalation"]
        self.assertEqual([row["id"] for row in exported], escalation.ids)
        self.assertIn(SECRET, exported[0]["note"])
        other_data, __ = self._export(self.other_customer)
        self.assertFalse(other_data["records"].get("care.ticket.escalation"))
        self.Privacy._erase(self.Privacy._persons(self.customer))
        self.assertTrue(escalation.exists(), "kept for the escalation statistics")
        self.assertFalse(escalation.note)

    def test_registry_collects_every_declaring_model(self):
        items = self.Privacy._collect(self.Privacy._persons(self.customer))
        models = {item["records"]._name for item in items}
        for model in (
            "care.ticket",
            "care.emotion.entry",
            "care.consent.event",
            "rating.rating",
            "res.partner",
            "res.users",
            "mail.message",
            "mail.tracking.value",
            "ir.attachment",
            "mail.activity",
        ):
            self.assertIn(model, models)

    def test_export_has_everything_of_the_customer_only(self):
        data, files = self._export(self.customer)
        records = data["records"]
        self.assertEqual(
            {r["id"] for r in records["care.ticket"]}, set(self.tickets.ids)
        )
        # The tickets' messages, the customer's chatter and what they wrote.
        messages = self.env["mail.message"].search(
            Domain("model", "=", "care.ticket")
            & Domain("res_id", "in", self.tickets.ids)
            | Domain("model", "=", "res.partner")
            & Domain("res_id", "=", self.customer.id)
            | Domain("author_id", "=", self.customer.id)
        )
        self.assertEqual({r["id"] for r in records["mail.message"]}, set(messages.ids))
        other = self.env["mail.message"].search(
            Domain("model", "=", "care.ticket")
            & Domain("res_id", "in", self.other_tickets.ids)
        )
        self.assertFalse(set(other.ids) & {r["id"] for r in records["mail.message"]})
        self.assertEqual(len(records["rating.rating"]), 1)
        self.assertEqual(records["rating.rating"][0]["rating"], 2)
        entries = self.env["care.emotion.entry"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertTrue(entries)
        self.assertEqual(
            {r["id"] for r in records["care.emotion.entry"]}, set(entries.ids)
        )
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "care.ticket"), ("res_id", "in", self.tickets.ids)]
        )
        self.assertIn(f"Gọi lại cho {self.customer.name}", activities.mapped("summary"))
        self.assertLessEqual(
            set(activities.ids), {r["id"] for r in records["mail.activity"]}
        )
        other_activities = self.env["mail.activity"].search(
            [("care_partner_id", "=", self.other_customer.id)]
        )
        self.assertFalse(
            set(other_activities.ids) & {r["id"] for r in records["mail.activity"]}
        )
        self.assertEqual(records["care.consent.event"][0]["channel"], "agent")
        self.assertEqual(len(records["care.nps.answer"]), 1)
        self.assertEqual(records["care.nps.answer"][0]["score"], 3)
        # The detractor's follow-up (issue 13), planned on the customer.
        follow_ups = self.env["mail.activity"].search(
            [("care_partner_id", "=", self.customer.id)]
        )
        self.assertTrue(follow_ups)
        self.assertLessEqual(
            set(follow_ups.ids), {r["id"] for r in records["mail.activity"]}
        )
        self.assertEqual(len(records["ir.attachment"]), 2)
        for attachment in records["ir.attachment"]:
            self.assertEqual(files[attachment["file"]], SECRET.encode())
        dump = json.dumps(data, ensure_ascii=False)
        self.assertIn(SECRET, dump)
        self.assertNotIn(OTHER_SECRET, dump)
        self.assertNotIn(self.other_customer.email, dump)
        other_ids = set(self.other_tickets.ids)
        self.assertFalse(other_ids & {r["id"] for r in records["care.ticket"]})

    def test_export_zip(self):
        content = self.Privacy._export_zip(self.Privacy._persons(self.customer))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            data = json.loads(archive.read("personal_data.json"))
        self.assertIn("personal_data.json", names)
        self.assertEqual(len([n for n in names if n.startswith("attachments/")]), 2)
        self.assertEqual(data["customer"][0]["name"], "Nguyễn Văn An")

    def _kpis(self):
        Ticket = self.env["care.ticket"].sudo()
        per_month = Ticket._read_group([], ["create_date:month"], ["__count"])
        sla = (
            self.env["care.ticket.sla"].sudo()._read_group([], ["status"], ["__count"])
        )
        ratings = (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                [("res_model", "=", "care.ticket"), ("consumed", "=", True)],
                [],
                ["rating:avg", "__count"],
            )
        )
        nps = self.env["care.nps.answer"].sudo()._nps()
        return per_month, sla, ratings, nps, Ticket.search_count([])

    def _rows_with(self, needle):
        """``[(table, column)]`` of text columns holding ``needle``: every table
        of the module and the core tables it writes into."""
        tables = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                    "AND table_name LIKE 'care\\_%%'"
                )
            )
        ] + CORE_TABLES
        columns = self.env.execute_query(
            SQL(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name IN %s "
                "AND data_type IN ('text', 'character varying', 'jsonb', 'bytea')",
                tuple(tables),
            )
        )
        found = []
        for table, column in columns:
            hit = self.env.execute_query(
                SQL(
                    "SELECT 1 FROM %s WHERE %s::text ILIKE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{needle}%",
                )
            )
            if hit:
                found.append((table, column))
        return found

    def test_erase_leaves_no_trace_and_keeps_statistics(self):
        # A ticket that became an opportunity (issue 12): the module copied the
        # customer's words into it.
        self.tickets[0].action_care_convert_opportunity()
        lead = self.tickets[0].lead_id
        self.assertIn(SECRET, str(lead.message_ids.mapped("body")))
        self.env.flush_all()
        before = self._kpis()
        needles = [
            "Nguyễn Văn An",
            "an.nguyen@example.com",
            "0912.345.678",
            "912345678",
            SECRET,
            "hoa_don.txt",
        ]
        for needle in needles:
            self.assertTrue(self._rows_with(needle), f"{needle} is stored before")
        wizard = (
            self.env["care.privacy.erase"]
            .with_user(self.user_manager)
            .create({"partner_id": self.customer.id, "reason": "Email 12/03"})
        )
        self.assertIn(
            self.env["ir.model"]._get("care.ticket").name + ": 2", wizard.summary
        )
        wizard.confirm_name = "  nguyễn văn an "
        wizard.action_erase()
        self.env.flush_all()
        for needle in needles:
            self.assertEqual(self._rows_with(needle), [], f"{needle} is erased")
        self.assertEqual(self._kpis(), before)
        # The other customer is untouched.
        self.assertTrue(self._rows_with(OTHER_SECRET))
        self.assertEqual(self.other_customer.name, "Võ Thị Mai")
        log = self.env["care.erasure.log"].search([])
        self.assertEqual(log.partner_ids, self.customer)
        self.assertEqual(log.user_id, self.user_manager)
        self.assertGreater(log.record_count, 10)
        self.assertEqual(log.reason, "Email 12/03")
        self.assertFalse(
            self.env["care.emotion.entry"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        # Tickets stay, with their dates and stage.
        self.assertEqual(len(self.tickets.exists()), 2)
        self.assertTrue(all(self.tickets.mapped("create_date")))

    def test_erase_needs_manager_and_the_typed_name(self):
        wizard = (
            self.env["care.privacy.erase"]
            .with_user(self.user_manager)
            .create({"partner_id": self.customer.id, "confirm_name": "Nguyễn Văn"})
        )
        with self.assertRaises(UserError):
            wizard.action_erase()
        self.assertEqual(self.customer.name, "Nguyễn Văn An")
        with self.assertRaises(AccessError):
            self.Privacy.with_user(self.user_agent)._erase(self.customer)
        with self.assertRaises(AccessError):
            self.env["care.privacy.erase"].with_user(self.user_agent).create(
                {"partner_id": self.customer.id}
            )
        self.assertFalse(self.env["care.erasure.log"].search([]))

    def test_privacy_lookup_finds_references_outside_the_module(self):
        wizard = self.env["care.privacy.erase"].create({"partner_id": self.customer.id})
        action = wizard.action_privacy_lookup()
        lines = self.env["privacy.lookup.wizard.line"].search(action["domain"])
        self.assertIn(
            ("res.partner", self.customer.id),
            {(line.res_model, line.res_id) for line in lines},
        )
        self.assertEqual(self.customer.name, "Nguyễn Văn An", "nothing erased")

    def test_erasure_log_and_consent_follow_companies(self):
        event = self.env["care.consent.event"].create(
            {
                "partner_id": self.other_customer.id,
                "purpose": "emotion",
                "given": True,
                "channel": "import",
                "company_id": self.company_2.id,
            }
        )
        Event = self.env["care.consent.event"].with_user(self.user_manager)
        self.assertFalse(Event.search([("id", "=", event.id)]))
        log = self.env["care.erasure.log"].create({"company_id": self.company_2.id})
        Log = self.env["care.erasure.log"].with_user(self.user_manager)
        self.assertFalse(Log.search([("id", "=", log.id)]))

    def test_employee_is_not_erased(self):
        with self.assertRaises(UserError):
            self.Privacy._erase(self.user_agent.partner_id)


@tagged("post_install", "-at_install")
class TestCarePrivacyDownload(PrivacyMixin, CarePortalCommon):
    def test_customer_downloads_own_data_only(self):
        partner = self.user_portal.partner_id
        self._customer_history(partner, SECRET, datetime(2026, 1, 12, 9, 0))
        self._customer_history(
            self.customer_colleague, OTHER_SECRET, datetime(2026, 1, 13)
        )
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open("/my/privacy/export")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.headers["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(res.content)) as archive:
            dump = archive.read("personal_data.json").decode()
        self.assertIn(SECRET, dump)
        self.assertNotIn(OTHER_SECRET, dump, "a colleague's data is not mine")

    def test_backend_export_is_for_managers(self):
        self.authenticate("cc_agent", "cc_agent")
        res = self.url_open(f"/customer_care/privacy/export/{self.customer.id}")
        self.assertNotEqual(res.status_code, 200)
        self.authenticate("cc_manager", "cc_manager")
        res = self.url_open(f"/customer_care/privacy/export/{self.customer.id}")
        self.assertEqual(res.status_code, 200)
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(res.content)))
