"""Care tickets seen from the sales order: the tickets about it, the ticket a
quotation came from, and a new ticket opened from the order."""

from odoo import api, fields, models

CARE_GROUP = "customer_care.customer_care_group_user"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    care_ticket_ids = fields.Many2many(
        "care.ticket",
        "care_ticket_sale_order_rel",
        "order_id",
        "ticket_id",
        string="Care Tickets",
        copy=False,
    )
    care_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_care_ticket_count", groups=CARE_GROUP
    )
    care_source_ticket_id = fields.Many2one(
        "care.ticket",
        string="From Care Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups=CARE_GROUP,
        help="The customer's question this quotation answered: when it is "
        "confirmed, the ticket counts as converted.",
    )

    @api.depends("care_ticket_ids")
    def _compute_care_ticket_count(self):
        counts = dict(
            self.env["care.ticket"]._read_group(
                [("sale_order_ids", "in", self.ids)], ["sale_order_ids"], ["__count"]
            )
        )
        for order in self:
            order.care_ticket_count = counts.get(order._origin, 0)

    def action_view_care_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        action["domain"] = [("sale_order_ids", "in", self.ids)]
        action["context"] = {"search_default_filter_open": 0}
        action["view_mode"] = "list,kanban,form"
        action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        return action

    def action_new_care_ticket(self):
        """A new ticket about this order: its customer, the order, the
        customer's team if they have one (else the agent's default)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        context = {
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_sale_order_ids": [self.id],
            "default_product_ids": self.order_line.product_id.filtered("sale_ok").ids,
            "default_name": self.env._("About order %(order)s", order=self.name),
            "default_channel": "phone",
        }
        team = self.env["care.ticket"]._default_team_id()
        if team and team.company_id in (self.company_id, self.env["res.company"]):
            context["default_team_id"] = team.id
        action.update(views=[(False, "form")], view_mode="form", target="current")
        action["context"] = context
        return action
