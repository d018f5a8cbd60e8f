"""The monthly KPI report (QWeb PDF): the KPIs of the month against the month
before, a table per team, the worst SLA failures and the top complaint causes.
Every figure comes from ``care.kpi`` (models/care_kpi.py)."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

WORST_FAILURES = 10
TOP_CAUSES = 8


class ReportCareKpiMonthly(models.AbstractModel):
    _name = "report.customer_care.report_care_kpi_monthly"
    _description = "Customer Care Monthly Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        try:
            month = date(int(data["year"]), int(data["month"]), 1)
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(
                self.env._("Choose the month of the report in the wizard.")
            ) from error
        company = self.env["res.company"].browse(data.get("company_id")).exists()
        company = company or self.env.company
        # The figures of one company: its tickets, its orders, its answers.
        Kpi = (
            self.env["care.kpi"]
            .with_company(company)
            .with_context(allowed_company_ids=[company.id])
        )
        last_day = month + relativedelta(months=1, days=-1)
        prev_from, prev_to = Kpi._previous_period(month, last_day)
        cur, prev = Kpi._compute_periods([(month, last_day), (prev_from, prev_to)], {})
        rows = Kpi._compare_cards(cur, prev)
        teams = Kpi.env["care.team"].search([("company_id", "=", company.id)])
        team_rows = []
        for team in teams:
            kpis = Kpi.compute(month, last_day, team_ids=team.ids)
            team_rows.append({"team": team, "kpis": kpis})
        return {
            "doc_ids": docids,
            "docs": company,
            "company": company,
            "month": month,
            "month_label": f"{month.month:02d}/{month.year}",
            "rows": rows,
            "teams": team_rows,
            "failures": self._worst_failures(Kpi, cur["date_from"], cur["date_to"]),
            "causes": self._complaint_causes(Kpi, cur["date_from"], cur["date_to"]),
            "fmt": self._format,
            "fmt_delta": self._format_delta,
            "generated_on": fields.Datetime.context_timestamp(
                self, fields.Datetime.now()
            ),
        }

    @api.model
    def _format(self, value, unit):
        if value is None or value is False:
            return "—"
        if unit == "count":
            return str(value)
        if unit == "percent":
            return f"{value:.1f} %"
        if unit == "score":
            return f"{value:.0f}"
        return f"{value:.1f}"

    @api.model
    def _format_delta(self, delta):
        """The change from the previous month, e.g. "+12 %"; empty if unknown."""
        return "" if delta is None else f"{delta:+.0f} %"

    @api.model
    def _worst_failures(self, Kpi, start, stop):
        """The failed targets of the month that were the most late: reached
        late (by their excess) first, then never reached."""
        return Kpi.env["care.ticket.sla"].search(
            [
                ("status", "=", "failed"),
                ("deadline", ">=", start),
                ("deadline", "<", stop),
                ("company_id", "in", Kpi.env.companies.ids),
            ],
            order="hours_exceeded desc, deadline",
            limit=WORST_FAILURES,
        )

    @api.model
    def _complaint_causes(self, Kpi, start, stop):
        """The complaints of the month by type and by tag, most first."""
        Ticket = Kpi.env["care.ticket"]
        domain = Kpi._filter_domain() & Kpi._ticket_domains(start, stop)["complaints"]
        causes = [
            (type_.display_name, count)
            for type_, count in Ticket._read_group(domain, ["type_id"], ["__count"])
        ]
        by_tag = Ticket._read_group(
            domain & Domain("tag_ids", "!=", False), ["tag_ids"], ["__count"]
        )
        causes += [(tag.display_name, count) for tag, count in by_tag]
        causes.sort(key=lambda cause: -cause[1])
        return causes[:TOP_CAUSES]
