from odoo import api, fields, models
from odoo.exceptions import ValidationError

MONTHS = [(str(m), f"{m:02d}") for m in range(1, 13)]


class CareKpiMonthlyReport(models.TransientModel):
    """Print the monthly report of a company (report/care_kpi_report.py)."""

    _name = "care.kpi.monthly.report"
    _description = "Customer Care Monthly Report"

    def _default_month(self):
        today = fields.Date.context_today(self)
        return str(today.month - 1 or 12)

    def _default_year(self):
        today = fields.Date.context_today(self)
        return today.year - 1 if today.month == 1 else today.year

    month = fields.Selection(
        MONTHS, required=True, default=lambda self: self._default_month()
    )
    year = fields.Integer(required=True, default=lambda self: self._default_year())
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(self.env._("Give a year between 2000 and 2100."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("customer_care.care_kpi_monthly_report").report_action(
            self.company_id,
            data={
                "month": int(self.month),
                "year": self.year,
                "company_id": self.company_id.id,
            },
        )
