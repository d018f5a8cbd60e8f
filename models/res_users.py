from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    care_team_ids = fields.Many2many(
        "care.team",
        string="Care Teams",
        compute="_compute_care_team_ids",
        compute_sudo=True,
        help="Teams the user belongs to or leads. The agents' record rule reads "
        "it once per user instead of joining the teams on every ticket row.",
    )

    @api.depends_context("uid")
    def _compute_care_team_ids(self):
        Team = self.env["care.team"].with_context(active_test=False)
        for user in self:
            user.care_team_ids = Team.search(
                ["|", ("member_ids", "in", user.id), ("leader_id", "=", user.id)]
            )
