from odoo import api, fields, models

VN_TZ = "Asia/Ho_Chi_Minh"
CONSENT_DEFAULTS = [
    ("given", "Unless the customer objects"),
    ("not_given", "Only with the customer's explicit consent"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    care_emotion_learning = fields.Boolean(
        string="Learn from Corrections",
        help="A daily job adapts the emotion detector to this company's "
        "customers from its agents' corrections.",
    )
    care_emotion_learning_min = fields.Integer(
        string="Corrections Needed",
        default=30,
        help="The detector adapts only once agents corrected at least this "
        "many detected emotions.",
    )
    # Consent of customers who were never asked (models/care_consent_event.py).
    # README, "Consent": why emotion analysis defaults to "unless the customer
    # objects" and marketing to explicit consent.
    care_consent_emotion_default = fields.Selection(
        CONSENT_DEFAULTS,
        string="Emotion Analysis by Default",
        default="given",
        required=True,
    )
    care_consent_marketing_default = fields.Selection(
        CONSENT_DEFAULTS,
        string="Marketing Contact by Default",
        default="not_given",
        required=True,
    )

    # ---- NPS survey (models/care_nps_answer.py) ----
    care_nps_enabled = fields.Boolean(
        string="NPS Survey",
        help="Ask customers how likely they are to recommend the company, some "
        "days after a ticket is solved or an order delivered.",
    )
    care_nps_delay_days = fields.Integer(string="NPS Delay (days)", default=3)
    care_nps_throttle_days = fields.Integer(
        string="Ask a Customer at Most Every (days)", default=90
    )
    care_follow_up_after_delivery_days = fields.Integer(
        string="Follow Up After Delivery (days)",
        help='Plan an "After delivery" follow-up this many days after an order '
        "of a customer is delivered. 0: no follow-up.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._care_create_ticket_sequences()
        # resource's create() gave each company a default calendar (and binds a
        # calendar of no company to it), so the Vietnamese one is set after.
        for company, vals in zip(companies, vals_list, strict=True):
            if not vals.get("resource_calendar_id") and company._care_in_vietnam():
                company.resource_calendar_id = company._care_vietnam_calendar()
        return companies

    # ---- working time ----

    def _care_in_vietnam(self):
        """The company works in Vietnam: its country, or its time zone."""
        return bool(self) and (
            self.country_id.code == "VN" or self.partner_id.tz == VN_TZ
        )

    def _care_default_calendar(self):
        """Working hours of a new team: the company's, or the module's
        Vietnamese calendar when the company works in Vietnam and its own
        calendar is not on Vietnamese time (Odoo's default 40 hours/week)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if self._care_in_vietnam() and calendar.tz != VN_TZ:
            return self._care_vietnam_calendar() or calendar
        return calendar

    def _care_vietnam_calendar(self):
        """The Vietnamese calendar shipped with the module
        (data/resource_calendar_vn_data.xml) for this company.

        The shipped calendar belongs to no company, but its public holidays
        (resource.calendar.leaves) took the company it was installed with, and
        Odoo skips a leave of another company. That company uses it as shipped;
        another one gets its own copy, holidays included, made once."""
        self.ensure_one()
        shipped = self.env.ref(
            "customer_care.resource_calendar_vn", raise_if_not_found=False
        )
        if not shipped:
            return self.env["resource.calendar"]
        # sudo: the calendar and its holidays are configuration the company's
        # users may not read in the other companies; only ids leave here.
        shipped = shipped.sudo()
        if shipped.company_id == self or (
            not shipped.company_id and shipped.global_leave_ids.company_id <= self
        ):
            return shipped.with_env(self.env)
        Calendar = self.env["resource.calendar"].sudo()
        calendar = Calendar.search(
            [("company_id", "=", self.id), ("name", "=", shipped.name)], limit=1
        )
        if not calendar:
            calendar = shipped.copy({"company_id": self.id})
            calendar.name = shipped.name  # copy() adds " (copy)"
        return calendar.with_env(self.env)

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
