"""Follow-ups after a delivery (issue 13, scope 1): some days after a
customer's order is delivered, an "After delivery" follow-up on the customer,
once per delivery."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .care_follow_up import FOLLOW_UP_BATCH_SIZE
from .locking import lock_free_rows, run_job_batches

# Deliveries older than the delay plus this get no follow-up (turning the
# setting on does not call about last year's orders).
DELIVERY_HORIZON_DAYS = 14


class StockPicking(models.Model):
    _inherit = "stock.picking"

    care_follow_up_planned = fields.Boolean(
        string="Care Follow-up Planned",
        readonly=True,
        copy=False,
        help="Technical: the after-delivery follow-up of this delivery was planned.",
    )

    @api.model
    def _cron_care_follow_up_after_delivery(self, batch_size=FOLLOW_UP_BATCH_SIZE):
        run_job_batches(
            self.env,
            lambda: self._care_follow_up_after_delivery(batch_size),
            lambda: self.search_count(self._care_after_delivery_domain()),
            "After-delivery follow-ups",
        )

    @api.model
    def _care_after_delivery_domain(self):
        now = fields.Datetime.now()
        companies = self.env["res.company"].search(
            [("care_follow_up_after_delivery_days", ">", 0)]
        )
        if not companies:
            return Domain.FALSE
        delivered = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(
                "date_done",
                "<=",
                now - timedelta(days=company.care_follow_up_after_delivery_days),
            )
            & Domain(
                "date_done",
                ">=",
                now
                - timedelta(
                    days=company.care_follow_up_after_delivery_days
                    + DELIVERY_HORIZON_DAYS
                ),
            )
            for company in companies
        )
        return delivered & Domain(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("sale_id", "!=", False),
                ("care_follow_up_planned", "=", False),
            ]
        )

    @api.model
    def _care_follow_up_after_delivery(self, limit=FOLLOW_UP_BATCH_SIZE):
        """One batch: an "After delivery" follow-up on the customer of each
        delivery whose delay has passed, due at the next working moment;
        return how many deliveries were handled. A customer with an open
        follow-up of that kind keeps it (one call for several deliveries)."""
        pickings = lock_free_rows(
            self.search(
                self._care_after_delivery_domain(), order="date_done, id", limit=limit
            )
        )
        now = fields.Datetime.now()
        Sla = self.env["care.sla"]
        cache = {}
        for picking in pickings:
            order = picking.sale_id
            partner = order.partner_id
            schedule = Sla._get_schedule(
                self.env["care.team"], picking.company_id, cache
            )
            partner._care_schedule_follow_up(
                "customer_care.mail_activity_type_care_after_delivery",
                due_at=schedule.next_working(now),
                reason=self.env._(
                    "Order %(order)s delivered on %(date)s",
                    order=order.name,
                    date=fields.Date.to_string(picking.date_done.date()),
                ),
            )
        pickings.write({"care_follow_up_planned": True})
        return len(pickings)
