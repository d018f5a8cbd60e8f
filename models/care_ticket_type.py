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
    sale_flow = fields.Selection(
        [
            ("quotation", "Product question: quotation"),
            ("after_sales", "After-sales: return and credit note"),
        ],
        string="Sales Flow",
        help="What the ticket form offers for this type: a product picker, "
        "stock availability and 'Create quotation' for product questions; the "
        "return of the delivered goods and a credit note for after-sales.",
    )
    is_complaint = fields.Boolean(
        string="Complaint",
        help="Tickets of this type count as complaints in the KPIs, the churn-risk "
        "score and the monthly report.",
    )
