"""Shipped ticket types and stages are ``noupdate``: an upgrade keeps them as a
database was installed. Databases installed before 19.0.1.4.0 get the new flags
of the shipped records, unless someone changed them since the update created
the fields (they are still at their defaults then):

- the Complaint type counts as a complaint (KPIs, churn risk, segments, plans);
- Product information offers "Create quotation", Return / warranty the
  after-sales buttons;
- a ticket cancelled gets no follow-up after closing."""

from odoo import SUPERUSER_ID, api

TYPE_FLAGS = {
    "customer_care.care_ticket_type_complaint": {"is_complaint": True},
    "customer_care.care_ticket_type_product_info": {"sale_flow": "quotation"},
    "customer_care.care_ticket_type_return": {"sale_flow": "after_sales"},
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, vals in TYPE_FLAGS.items():
        ticket_type = env.ref(xmlid, raise_if_not_found=False)
        if ticket_type and not any(ticket_type[field] for field in vals):
            ticket_type.write(vals)
    cancelled = env.ref("customer_care.care_stage_cancelled", raise_if_not_found=False)
    if cancelled:
        cancelled.follow_up_after_close = False
