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

    care_unavailable = fields.Boolean(
        string="Unavailable for New Tickets",
        help="While set, the teams' automatic assignment gives this agent no new "
        "ticket (a meeting, a training, a day at a shop). Each agent may set it "
        "herself in her preferences.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["care_unavailable"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["care_unavailable"]

    def _init_store_data(self, store):
        # The live chat's /ticket command and "Create Ticket" button are
        # offered to Customer Care users (static/src/livechat/).
        result = super()._init_store_data(store)
        store.add_global_values(
            care_can_make_ticket=self.env.user.has_group(
                "customer_care.customer_care_group_user"
            )
        )
        return result

    @api.depends_context("uid")
    def _compute_care_team_ids(self):
        Team = self.env["care.team"].with_context(active_test=False)
        for user in self:
            user.care_team_ids = Team.search(
                ["|", ("member_ids", "in", user.id), ("leader_id", "=", user.id)]
            )

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """A customer's portal login is their email: on erasure it is replaced
        and the login archived (care.privacy refuses to erase an employee)."""
        users = self.search([("partner_id", "in", partners.ids), ("share", "=", True)])
        return [
            {
                "records": users,
                "export": ["login", "login_date"],
                "erase": {
                    "login": lambda user: f"erased-{user.id}",
                    "active": False,
                },
                "sequence": 90,
            }
        ]
