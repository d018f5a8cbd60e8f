from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._care_create_ticket_sequences()
        return companies

    def _care_create_ticket_sequences(self):
        """Give each company its own ticket numbering (``CC/2026/00001``)."""
        # sudo: sequences are technical records that agents never edit.
        Sequence = self.env["ir.sequence"].sudo()
        done = Sequence.search(
            [("code", "=", "care.ticket"), ("company_id", "in", self.ids)]
        ).company_id
        Sequence.create(
            [
                {
                    "name": self.env._("Care Ticket (%s)", company.name),
                    "code": "care.ticket",
                    "prefix": "CC/%(year)s/",
                    "padding": 5,
                    "implementation": "standard",
                    "company_id": company.id,
                }
                for company in self - done
            ]
        )
