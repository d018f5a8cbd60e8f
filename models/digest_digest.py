from odoo import fields, models
from odoo.exceptions import AccessError

CARE_GROUP = "customer_care.customer_care_group_user"
# Digest field -> key of care.kpi.compute().
CARE_DIGEST_KPIS = {
    "kpi_care_tickets_solved": "solved",
    "kpi_care_sla_success": "sla_success",
    "kpi_care_fcr": "fcr_rate",
    "kpi_care_csat": "csat",
}


class DigestDigest(models.Model):
    """The department's KPIs in Odoo's periodic digest, computed by care.kpi
    over the digest's period, as the recipient sees them."""

    _inherit = "digest.digest"

    kpi_care_tickets_solved = fields.Boolean(string="Care: Tickets Solved")
    kpi_care_tickets_solved_value = fields.Integer(
        compute="_compute_kpi_care_tickets_solved_value"
    )
    kpi_care_sla_success = fields.Boolean(string="Care: SLA Success (%)")
    kpi_care_sla_success_value = fields.Float(
        compute="_compute_kpi_care_sla_success_value"
    )
    kpi_care_fcr = fields.Boolean(string="Care: First Contact Resolution (%)")
    kpi_care_fcr_value = fields.Float(compute="_compute_kpi_care_fcr_value")
    kpi_care_csat = fields.Boolean(string="Care: Customer Satisfaction (%)")
    kpi_care_csat_value = fields.Float(compute="_compute_kpi_care_csat_value")

    def _care_kpis(self):
        if not self.env.user.has_group(CARE_GROUP):
            raise AccessError(
                self.env._("Do not have access, skip this data for user's digest email")
            )
        start, end, companies = self._get_kpi_compute_parameters()
        Kpi = self.env["care.kpi"].with_context(allowed_company_ids=companies.ids)
        return Kpi.compute(
            fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end)
        )

    def _care_set(self, fname):
        kpis = self._care_kpis()
        value = kpis[CARE_DIGEST_KPIS[fname]] or 0
        for digest in self:
            digest[f"{fname}_value"] = value

    def _compute_kpi_care_tickets_solved_value(self):
        self._care_set("kpi_care_tickets_solved")

    def _compute_kpi_care_sla_success_value(self):
        self._care_set("kpi_care_sla_success")

    def _compute_kpi_care_fcr_value(self):
        self._care_set("kpi_care_fcr")

    def _compute_kpi_care_csat_value(self):
        self._care_set("kpi_care_csat")

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("customer_care.customer_care_menu_root").id
        for fname in CARE_DIGEST_KPIS:
            res[fname] = f"customer_care.care_dashboard_action?menu_id={menu}"
        return res
