"""Periodic care plans (issue 15): "contact customers N days after they bought
product category X", "check in every 6 months with customers who had a
complaint", "thank delighted customers once a quarter".

A plan picks customers (a segment, or buyers of a product category N days after
their order) and, for each, schedules a follow-up or sends a mail, at most once
per plan period (``care.plan.contact`` keeps who was contacted when), never to a
customer who objected to being contacted, and not while the customer has an
open complaint unless the plan says so. A daily job runs the plans, in bounded
batches, one plan per transaction behind an advisory lock (two workers never
contact a customer twice).
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Customers handled per plan and run; the rest waits for the next run.
PLAN_BATCH_SIZE = 500
# A purchase trigger looks this many days back past its delay, so that a run
# missed for a few days still contacts the buyers of those days.
PURCHASE_CATCH_UP_DAYS = 7


class CarePlan(models.Model):
    _name = "care.plan"
    _description = "Care Plan"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    trigger = fields.Selection(
        [
            ("segment", "Members of a segment"),
            ("purchase", "Days after a purchase"),
        ],
        required=True,
        default="segment",
    )
    segment_id = fields.Many2one("care.segment", check_company=True)
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Customers who bought a product of this category (or below).",
    )
    delay_days = fields.Integer(
        string="Days After Purchase",
        default=30,
        help="How many days after the order the customer is contacted.",
    )
    period_days = fields.Integer(
        string="At Most Once Every (days)",
        required=True,
        default=180,
        help="A customer is contacted by this plan at most once in this many days.",
    )
    action = fields.Selection(
        [("follow_up", "Schedule a follow-up"), ("mail", "Send an email")],
        required=True,
        default="follow_up",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Type",
        domain="[('res_model', 'in', [False, 'care.ticket', 'res.partner'])]",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'res.partner')]",
    )
    include_open_complaints = fields.Boolean(
        string="Also During an Open Complaint",
        help="By default a customer with an open complaint is left alone until "
        "it is solved.",
    )
    contact_ids = fields.One2many("care.plan.contact", "plan_id", string="Contacts")
    contact_count = fields.Integer(compute="_compute_contact_count")
    last_run = fields.Datetime(readonly=True)

    _period_positive = models.Constraint(
        "CHECK(period_days > 0)", "The period of a care plan must be positive."
    )

    @api.depends("contact_ids")
    def _compute_contact_count(self):
        counts = dict(
            self.env["care.plan.contact"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.contact_count = counts.get(plan, 0)

    @api.constrains("trigger", "segment_id", "product_categ_id", "action")
    def _check_settings(self):
        for plan in self:
            if plan.trigger == "segment" and not plan.segment_id:
                raise ValidationError(
                    self.env._("Choose the segment of care plan %s.", plan.name)
                )
            if plan.trigger == "purchase" and not plan.product_categ_id:
                raise ValidationError(
                    self.env._(
                        "Choose the product category of care plan %s.", plan.name
                    )
                )
            if plan.action == "follow_up" and not plan.activity_type_id:
                raise ValidationError(
                    self.env._("Choose the follow-up type of care plan %s.", plan.name)
                )
            if plan.action == "mail" and not plan.mail_template_id:
                raise ValidationError(
                    self.env._("Choose the email template of care plan %s.", plan.name)
                )

    # ---- who is due ----

    def _eligible_domain(self):
        """Customers this plan may contact now: not contacted by it within its
        period, never one who objected to being contacted (an email only to
        customers who agreed to it), no open complaint unless allowed."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=self.period_days)
        recent = self.env["care.plan.contact"]._search(
            [("plan_id", "=", self.id), ("date", ">=", since)]
        )
        parts = [
            Domain("parent_id", "=", False),
            Domain("id", "not in", recent.subselect("partner_id")),
            Domain("care_consent_marketing", "!=", "withdrawn"),
        ]
        if self.action == "mail":
            parts += [
                Domain("care_consent_marketing", "=", "given"),
                Domain("email", "!=", False),
                Domain("is_blacklisted", "=", False),
            ]
        if not self.include_open_complaints:
            complaint = self.env.ref("customer_care.care_ticket_type_complaint")
            parts.append(
                ~Domain(
                    "care_commercial_ticket_ids",
                    "any",
                    [("type_id", "=", complaint.id), ("is_closed", "=", False)],
                )
            )
        return Domain.AND(parts)

    def _candidates(self, limit=PLAN_BATCH_SIZE):
        """{partner: sale order or None} of the customers due, at most ``limit``."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        eligible = self._eligible_domain()
        if self.trigger == "segment":
            partners = Partner.search(
                self.segment_id._member_domain() & eligible, order="id", limit=limit
            )
            return dict.fromkeys(partners)
        now = fields.Datetime.now()
        until = now - timedelta(days=self.delay_days)
        since = until - timedelta(days=PURCHASE_CATCH_UP_DAYS)
        # sudo: orders are read to find the buyers (the job's plan owner may
        # have no sales rights); only partners and order ids leave here.
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.state", "=", "sale"),
                    ("order_id.company_id", "=", self.company_id.id),
                    ("order_id.date_order", ">", since),
                    ("order_id.date_order", "<=", until),
                    ("product_id.categ_id", "child_of", self.product_categ_id.id),
                ],
                order="order_id, id",
            )
        )
        orders = {}
        for order in lines.order_id:
            orders.setdefault(order.partner_id.commercial_partner_id.id, order)
        partners = Partner.search(
            Domain("id", "in", list(orders)) & eligible, order="id", limit=limit
        )
        return {partner: orders[partner.id] for partner in partners}

    # ---- contacting ----

    def _contact(self, partner, order=None):
        """Schedule the follow-up or send the mail, and log the contact."""
        self.ensure_one()
        vals = {
            "plan_id": self.id,
            "partner_id": partner.id,
            "sale_order_id": order.id if order else False,
        }
        if self.action == "follow_up":
            xmlid = self.activity_type_id.get_external_id().get(
                self.activity_type_id.id
            )
            # sudo: an activity on a contact needs the right to edit contacts,
            # which care managers running a plan may not have; the plan chose
            # the customer, the follow-up goes to the care team.
            activity = partner.sudo()._care_schedule_follow_up(
                xmlid,
                note=self.name,
                reason=self.name,
            )
            vals["activity_id"] = activity.id
        else:
            self.mail_template_id.send_mail(partner.id)
        return self.env["care.plan.contact"].create(vals)

    def _run(self):
        """Contact this plan's due customers (one batch); return how many."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)",
                self._name,
                self.id,
            )
        )
        if not self.env.cr.fetchone()[0]:
            return 0
        candidates = self._candidates()
        for partner, order in candidates.items():
            self._contact(partner, order)
        self.last_run = fields.Datetime.now()
        return len(candidates)

    @api.model
    def _cron_run_plans(self):
        """Run every active plan, one plan per transaction."""
        Cron = self.env["ir.cron"]
        plans = self.search([("active", "=", True)], order="sequence, id")
        Cron._commit_progress(remaining=len(plans))
        for done, plan in enumerate(plans, start=1):
            contacted = plan.with_company(plan.company_id)._run()
            _logger.info("Care plan %s: %d customer(s) contacted", plan.id, contacted)
            if Cron._commit_progress(1, remaining=len(plans) - done) <= 0:
                return

    def action_run_now(self):
        for plan in self:
            if not plan.active:
                raise UserError(self.env._("Care plan %s is archived.", plan.name))
            plan._run()
        return True

    def action_view_contacts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "care.plan.contact",
            "view_mode": "list",
            "domain": [("plan_id", "=", self.id)],
        }


class CarePlanContact(models.Model):
    _name = "care.plan.contact"
    _description = "Care Plan Contact"
    _order = "date desc, id desc"

    plan_id = fields.Many2one("care.plan", required=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    sale_order_id = fields.Many2one("sale.order", string="Order")
    activity_id = fields.Many2one("mail.activity", string="Follow-up")

    # The eligibility check of every run: "contacted by this plan since".
    _plan_partner_date_idx = models.Index("(plan_id, partner_id, date)")

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """Which plan contacted the customer and when: exported; kept on
        erasure (no personal text, and the plan's period relies on it)."""
        contacts = self.search(
            [("partner_id", "in", partners.commercial_partner_id.ids)],
            order="date, id",
        )
        return [
            {
                "records": contacts,
                "export": ["plan_id", "date", "sale_order_id", "activity_id"],
                "erase": {},
            }
        ]
