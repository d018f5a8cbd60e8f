from odoo import fields, models


class CareStage(models.Model):
    _name = "care.stage"
    _description = "Care Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view.",
    )
    is_closing = fields.Boolean(
        string="Closing Stage",
        help="Tickets in this stage are solved: their closing date is set and "
        "resolution SLAs are reached.",
    )
    is_waiting = fields.Boolean(
        string="Waiting on Customer",
        help="While a ticket sits in this stage the team waits on the customer: "
        "SLA clocks are paused.",
    )
    team_ids = fields.Many2many(
        "care.team",
        "care_stage_team_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage. Leave empty to use it in every team.",
    )
    allow_customer_close = fields.Boolean(
        string="Customer Can Close",
        default=True,
        help="Customers may close their ticket from the portal while it is in "
        "this stage.",
    )
    follow_up_after_close = fields.Boolean(
        string="Follow Up After Closing",
        default=True,
        help="Tickets closed in this stage get the team's after-resolution "
        "follow-up (a cancelled ticket needs none).",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "care.ticket")],
        help="Email sent to the customer when a ticket reaches this stage.",
    )
