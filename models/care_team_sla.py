from odoo import api, fields, models


class CareTeam(models.Model):
    _inherit = "care.team"

    sla_work_data = fields.Json(
        string="SLA Working Time",
        compute="_compute_sla_work_data",
        store=True,
        help="Technical: the working time of the team's calendar, kept on the "
        "team so that a new ticket's SLA deadlines cost no extra query.",
    )

    @api.depends("resource_calendar_id.care_work_data")
    def _compute_sla_work_data(self):
        for team in self:
            team.sla_work_data = team.resource_calendar_id.care_work_data or False
