from odoo import fields, models


class CareEscalationReason(models.Model):
    """Why a ticket is handed to another team: a list the managers keep, so
    that escalations can be counted by reason."""

    _name = "care.escalation.reason"
    _description = "Escalation Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
