from odoo import fields, models


class CareTicketType(models.Model):
    _name = "care.ticket.type"
    _description = "Care Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    color = fields.Integer()
    is_published = fields.Boolean(
        string="Visible on the Portal",
        default=True,
        help="Customers may choose this type when they open a ticket on the portal.",
    )
