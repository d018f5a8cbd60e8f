from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    care_follow_up = fields.Boolean(
        string="Customer Care Follow-up",
        help="Activities of this type are customer follow-ups: they appear in "
        "Customer Care > Follow-ups, and a record never has two open ones of "
        "this type.",
    )
