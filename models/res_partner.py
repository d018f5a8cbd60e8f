from odoo import api, fields, models

from ..lib.vntext import phone_key


class ResPartner(models.Model):
    _inherit = "res.partner"

    care_ticket_ids = fields.One2many(
        "care.ticket", "partner_id", string="Care Tickets"
    )
    care_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_care_ticket_count"
    )
    care_phone_key = fields.Char(
        string="Phone Key",
        compute="_compute_care_phone_key",
        store=True,
        index="btree_not_null",
        help="Technical: the phone number without prefix, spaces or dots, so "
        "+84 912 345 678 and 0912.345.678 match the same customer.",
    )

    @api.depends("phone")
    def _compute_care_phone_key(self):
        for partner in self:
            partner.care_phone_key = phone_key(partner.phone) or False

    def _compute_care_ticket_count(self):
        # One grouped query for all partners on screen; a company counts the
        # tickets of its contacts (the pattern of crm's opportunity_count).
        self.care_ticket_count = 0
        partners = self.filtered("id")
        if not partners:
            return
        all_partners = partners.with_context(active_test=False).search_fetch(
            [("id", "child_of", partners.ids)], ["parent_id"]
        )
        groups = self.env["care.ticket"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"]
        )
        wanted = set(partners.ids)
        for partner, count in groups:
            while partner:
                if partner.id in wanted:
                    partner.care_ticket_count += count
                partner = partner.parent_id

    @api.model
    def _care_find_by_phone(self, phone):
        key = phone_key(phone)
        if not key:
            return self.browse()
        return self.search([("care_phone_key", "=", key)], limit=1)

    def action_view_care_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
