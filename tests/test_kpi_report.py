import shutil
import subprocess
import tempfile
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .test_kpi import CareKpiCommon, local

REPORT = "customer_care.report_care_kpi_monthly"
TEAM = "Tổng đài Hà Nội"


class CareKpiReportCommon(CareKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["customer_care"], ["vi_VN"])
        cls._policy([("first_response", 1)])
        day = local(2026, 3, 10, 8)
        complaint = cls.env.ref("customer_care.care_ticket_type_complaint")
        cls.late = cls._create_at(
            day, name="Giao hàng trễ, tủ lạnh bị móp", type_id=complaint.id
        )
        cls._create_at(day, name="Hỏi về bảo hành", type_id=complaint.id)
        # February: one ticket, so that March's new tickets change by +100 %.
        cls._create_at(local(2026, 2, 10, 8), name="Hỏi giá máy lạnh")

    @classmethod
    def _create_at(cls, when, **values):
        from odoo.tests import freeze_time

        with freeze_time(when):
            values.setdefault("create_date", when)
            ticket = cls._ticket(**values)
        with freeze_time(when + timedelta(hours=3)):
            ticket.with_user(cls.user_agent).message_post(
                body="Chúng tôi xin lỗi anh.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket

    def _data(self):
        return {"month": 3, "year": 2026, "company_id": self.company.id}


class TestKpiReport(CareKpiReportCommon):
    def test_html_in_vietnamese(self):
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="vi_VN")
            ._render_qweb_html(REPORT, self.company.ids, data=self._data())[0]
            .decode()
        )
        self.assertIn("03/2026", html)
        self.assertIn("+100 %", html, "new tickets against February")
        self.assertIn(TEAM, html, "the table per team")
        self.assertIn("Giao hàng trễ, tủ lạnh bị móp", html, "the worst SLA failure")
        self.assertIn("Khiếu nại", html, "the complaint type, translated")
        self.assertIn("Báo cáo chăm sóc khách hàng", html, "the title, translated")
        self.assertIn("Noto Sans", html, "the font that has the diacritics")

    def test_wizard_prints_the_month(self):
        wizard = (
            self.env["care.kpi.monthly.report"]
            .with_user(self.user_manager)
            .create({"month": "3", "year": 2026})
        )
        action = wizard.action_print()
        self.assertEqual(action["report_name"], REPORT)
        self.assertEqual(action["data"]["month"], 3)
        self.assertEqual(action["data"]["company_id"], self.company.id)


@tagged("post_install", "-at_install")
class TestKpiReportPdf(HttpCase, CareKpiReportCommon):
    def test_pdf_keeps_the_diacritics(self):
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        pdf, kind = Report.with_context(
            lang="vi_VN", force_report_rendering=True
        )._render_qweb_pdf(REPORT, self.company.ids, data=self._data())
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", file.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        self.assertIn(TEAM, text)
        self.assertIn("Báo cáo chăm sóc khách hàng", text)
