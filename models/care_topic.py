from odoo import fields, models


class CareTopic(models.Model):
    """What a customer picks in the "Topic" list of /my/tickets/new and /help/new.

    Teams keep their internal names ("Tổng đài Hà Nội"); a topic is the
    customer-facing, translated label that routes the ticket to a team (and
    optionally gives it a default type). Each shop defines its own: the module
    ships none outside demo data.
    """

    _name = "care.topic"
    _description = "Care Topic"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        translate=True,
        help="What the customer reads in the web form, e.g. 'Orders and delivery'.",
    )
    description = fields.Char(
        translate=True, help="An optional hint shown to the customer."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_published = fields.Boolean(
        string="Visible on the Portal",
        default=True,
        help="Customers may choose this topic when they open a ticket on the "
        "portal and the public help form.",
    )
    team_id = fields.Many2one(
        "care.team",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The team that handles the tickets of this topic.",
    )
    type_id = fields.Many2one(
        "care.ticket.type",
        string="Default Type",
        help="Given to the ticket when the customer chooses no request type.",
    )
    company_id = fields.Many2one(
        related="team_id.company_id", store=True, index=True, readonly=True
    )
