"""Customer segments (issue 15): saved groups of customers built from what the
module knows of them, usable as the recipients of an Odoo mailing and as the
target of a call campaign or a care plan.

A segment is a set of criteria compiled into one ``res.partner`` domain
(``_member_domain``), evaluated when it is used: a mailing's recipients are the
members at sending time (``res.partner.care_segment_ids`` searches through it).
Members are customers: companies and individuals, not a company's contacts.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

ANY = [("any", "Any")]
TRENDS = [("improving", "Improving"), ("stable", "Stable"), ("worsening", "Worsening")]
YES_NO = [("yes", "Yes"), ("no", "No")]
RATINGS = [
    ("unhappy", "Gave a bad rating (1–2)"),
    ("happy", "Gave a good rating (4–5)"),
]


class CareSegment(models.Model):
    _name = "care.segment"
    _description = "Customer Segment"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the segment between companies.",
    )
    description = fields.Text(translate=True)

    # ---- criteria: what the module knows of the customer ----
    mood_label_ids = fields.Many2many(
        "care.emotion.label",
        string="Mood",
        help="Customers whose current mood is one of these.",
    )
    mood_trend = fields.Selection(TRENDS)
    negative_within_days = fields.Integer(
        string="Negative Entry Within (days)",
        help="Customers with a negative emotion entry in the last N days "
        "(0: not a criterion).",
    )
    nps_category = fields.Selection(
        [
            ("promoter", "Promoter"),
            ("passive", "Passive"),
            ("detractor", "Detractor"),
        ],
        string="NPS Group",
    )
    rating_filter = fields.Selection(RATINGS, string="Rating")
    rating_within_days = fields.Integer(
        string="Rated Within (days)",
        default=180,
        help="The rating counts when it was given in the last N days.",
    )
    churn_risk_min = fields.Integer(
        string="Churn Risk at Least",
        help="Customers whose churn risk (0–100) is at least this (0: not a "
        "criterion).",
    )
    open_complaint = fields.Selection(YES_NO)
    ticket_type_ids = fields.Many2many(
        "care.ticket.type",
        string="Had Tickets of Type",
        help="Customers who had at least one ticket of one of these types.",
    )
    product_ids = fields.Many2many(
        "product.product", string="Bought Products", check_company=True
    )
    product_categ_ids = fields.Many2many(
        "product.category", string="Bought Product Categories"
    )
    last_order_days_min = fields.Integer(
        string="No Order For (days)",
        help="Customers who ordered before but not in the last N days (0: not a "
        "criterion).",
    )
    category_ids = fields.Many2many("res.partner.category", string="Contact Tags")
    lang_ids = fields.Many2many("res.lang", string="Languages")
    extra_domain = fields.Char(
        string="Other Conditions",
        default="[]",
        help="Any other condition on contacts, built with the domain editor.",
    )

    member_count = fields.Integer(compute="_compute_member_count", string="Customers")

    @api.depends_context("uid", "allowed_company_ids")
    @api.depends(
        "mood_label_ids",
        "mood_trend",
        "negative_within_days",
        "nps_category",
        "rating_filter",
        "rating_within_days",
        "churn_risk_min",
        "open_complaint",
        "ticket_type_ids",
        "product_ids",
        "product_categ_ids",
        "last_order_days_min",
        "category_ids",
        "lang_ids",
        "extra_domain",
    )
    def _compute_member_count(self):
        Partner = self.env["res.partner"]
        for segment in self:
            segment.member_count = Partner.search_count(segment._member_domain())

    @api.constrains("extra_domain")
    def _check_extra_domain(self):
        for segment in self:
            try:
                Domain(segment._extra_domain()).validate(self.env["res.partner"])
            except (ValueError, SyntaxError, KeyError, TypeError) as error:
                raise UserError(
                    self.env._(
                        "The other conditions of segment %(name)s are not valid: "
                        "%(error)s",
                        name=segment.name,
                        error=error,
                    )
                ) from error

    def _extra_domain(self):
        return safe_eval(self.extra_domain or "[]")

    def _uses_mood(self):
        """The segment picks customers by what the emotion journal says: who
        objected to emotion analysis is never in it."""
        self.ensure_one()
        return bool(self.mood_label_ids or self.mood_trend or self.negative_within_days)

    # ---- members ----

    def _member_domain(self):
        """The segment's members as one ``res.partner`` domain."""
        self.ensure_one()
        now = fields.Datetime.now()
        parts = [
            Domain("parent_id", "=", False),
            Domain("active", "=", True),
            Domain(self._extra_domain()),
        ]
        if self.company_id:
            parts.append(Domain("company_id", "in", [self.company_id.id, False]))
        if self.mood_label_ids:
            parts.append(Domain("care_mood", "in", self.mood_label_ids.mapped("code")))
        if self.mood_trend:
            parts.append(Domain("care_mood_trend", "=", self.mood_trend))
        if self.negative_within_days > 0:
            since = now - timedelta(days=self.negative_within_days)
            parts.append(
                Domain(
                    "care_emotion_entry_ids",
                    "any",
                    [("is_negative", "=", True), ("date", ">=", since)],
                )
            )
        if self._uses_mood():
            # Who objected to emotion analysis is in no mood-based segment.
            parts.append(Domain("care_emotion_objected", "=", False))
        if self.nps_category:
            parts.append(Domain("care_nps_category", "=", self.nps_category))
        if self.rating_filter:
            parts.append(Domain("id", "in", self._rated_partner_ids()))
        if self.churn_risk_min > 0:
            parts.append(Domain("care_churn_risk", ">=", self.churn_risk_min))
        if self.open_complaint:
            complaint = self.env.ref("customer_care.care_ticket_type_complaint")
            has_open = Domain(
                "care_commercial_ticket_ids",
                "any",
                [("type_id", "=", complaint.id), ("is_closed", "=", False)],
            )
            parts.append(has_open if self.open_complaint == "yes" else ~has_open)
        if self.ticket_type_ids:
            parts.append(
                Domain(
                    "care_commercial_ticket_ids",
                    "any",
                    [("type_id", "in", self.ticket_type_ids.ids)],
                )
            )
        if self.product_ids or self.product_categ_ids:
            parts.append(Domain("id", "in", self._buyer_ids()))
        if self.last_order_days_min > 0:
            parts.append(Domain("id", "in", self._lapsed_buyer_ids()))
        if self.category_ids:
            parts.append(Domain("category_id", "in", self.category_ids.ids))
        if self.lang_ids:
            parts.append(Domain("lang", "in", self.lang_ids.mapped("code")))
        return Domain.AND(parts)

    def _rated_partner_ids(self):
        """Customers who rated a ticket well or badly within the period."""
        since = fields.Datetime.now() - timedelta(days=self.rating_within_days or 3650)
        values = (
            [("rating", "<=", 2)]
            if self.rating_filter == "unhappy"
            else [("rating", ">=", 4)]
        )
        # sudo: ratings are read to pick customers, only partner ids leave here;
        # the segment's user reads the customers through her own rights.
        groups = (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "care.ticket"),
                    ("consumed", "=", True),
                    ("create_date", ">=", since),
                    *values,
                ],
                ["partner_id"],
            )
        )
        partners = self.env["res.partner"].browse(p.id for (p,) in groups if p)
        return partners.commercial_partner_id.ids

    def _order_domain(self):
        return [("state", "=", "sale")] + (
            [("company_id", "=", self.company_id.id)] if self.company_id else []
        )

    def _buyer_ids(self):
        """Customers with a confirmed order of the products or categories."""
        line_domain = Domain.OR(
            [
                Domain("product_id", "in", self.product_ids.ids)
                if self.product_ids
                else Domain.FALSE,
                Domain("product_id.categ_id", "child_of", self.product_categ_ids.ids)
                if self.product_categ_ids
                else Domain.FALSE,
            ]
        )
        # sudo: order lines are read to pick customers (a care user may have no
        # sales rights); only partner ids leave here.
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                line_domain & Domain("order_id", "any", self._order_domain()),
                ["order_partner_id"],
            )
        )
        partners = self.env["res.partner"].browse(p.id for (p,) in groups if p)
        return partners.commercial_partner_id.ids

    def _lapsed_buyer_ids(self):
        """Customers whose last confirmed order is older than N days."""
        # sudo: as _buyer_ids.
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(self._order_domain(), ["partner_id"], ["date_order:max"])
        )
        last = {}
        for partner, date in groups:
            key = partner.commercial_partner_id.id
            if date and (key not in last or date > last[key]):
                last[key] = date
        limit = fields.Datetime.now() - timedelta(days=self.last_order_days_min)
        return [pid for pid, date in last.items() if date < limit]

    # ---- actions ----

    def action_view_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("care_segment_ids", "in", self.ids)],
            "context": {"create": False},
        }

    def action_create_mailing(self):
        """A draft mailing to the segment's members who agreed to marketing
        contact; mass_mailing itself leaves out blacklisted addresses and
        duplicates. The recipients are the members when the mailing is sent."""
        self.ensure_one()
        domain = [
            ("care_segment_ids", "in", [self.id]),
            ("care_consent_marketing", "=", "given"),
        ]
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": self.name,
                "mailing_type": "mail",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr(domain),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": mailing.id,
            "views": [(False, "form")],
        }

    def action_call_campaign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call Campaign"),
            "res_model": "care.call.campaign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_segment_id": self.id},
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    care_segment_ids = fields.Many2many(
        "care.segment",
        string="Segments",
        compute="_compute_care_segment_ids",
        search="_search_care_segment_ids",
        groups="customer_care.customer_care_group_user",
        help="The customer segments this contact belongs to now.",
    )

    def _compute_care_segment_ids(self):
        segments = self.env["care.segment"].search([("active", "=", True)])
        members = {
            segment: set(
                self.search(segment._member_domain() & Domain("id", "in", self.ids)).ids
            )
            for segment in segments
        }
        for partner in self:
            partner.care_segment_ids = segments.filtered(
                lambda seg, pid=partner.id: pid in members[seg]
            )

    def _search_care_segment_ids(self, operator, value):
        """Members of the given segments, evaluated now: what a mailing on
        ``[('care_segment_ids', 'in', [id])]`` sends to."""
        if operator != "in":
            return NotImplemented
        segments = (
            self.env["care.segment"]
            .browse(v for v in value if isinstance(v, int))
            .exists()
        )
        if not segments:
            return Domain.FALSE
        return Domain.OR(segment._member_domain() for segment in segments)
