from odoo import fields, models


class CareErasureLog(models.Model):
    """One erasure of a customer's personal data (models/care_privacy.py):
    who did it, when, and how many records of each kind it changed. It holds
    no personal data: the partners it names were anonymised by the erasure."""

    _name = "care.erasure.log"
    _description = "Personal Data Erasure Log"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Erased by",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        readonly=True,
        help="The anonymised partners.",
    )
    record_count = fields.Integer(string="Records", readonly=True)
    summary = fields.Text(readonly=True, help="Records changed or deleted, by kind.")
    reason = fields.Char(
        readonly=True, help="The request: its reference or channel, no personal data."
    )
