"""Call campaign (issue 15): a batch of follow-ups for a segment's members,
spread over agents and working days, at times inside the working hours."""

import math
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

# Calls per agent and day at most, whatever the campaign's length.
MAX_CALLS_PER_DAY = 40


class CareCallCampaign(models.TransientModel):
    _name = "care.call.campaign"
    _description = "Call Campaign"

    segment_id = fields.Many2one("care.segment", required=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Type",
        required=True,
        default=lambda self: self.env.ref(
            "customer_care.mail_activity_type_care_check_in", raise_if_not_found=False
        ),
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Agents",
        required=True,
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("customer_care.customer_care_group_user").id,
            )
        ],
        default=lambda self: self.env.user,
    )
    date_start = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self),
    )
    days = fields.Integer(string="Working Days", required=True, default=5)
    reason = fields.Char(required=True)
    member_count = fields.Integer(related="segment_id.member_count", string="Customers")

    def _members(self):
        """The segment's members who did not object to being contacted."""
        return self.env["res.partner"].search(
            self.segment_id._member_domain()
            & Domain("care_consent_marketing", "!=", "withdrawn"),
            order="id",
        )

    def _working_days(self, calendar, tz, count):
        """The first ``count`` working days from ``date_start``, each as its
        list of working intervals (holidays and lunch break excluded)."""
        days, day = [], self.date_start
        for _ in range(count * 4 + 14):  # weekends and Tết included
            start = tz.localize(datetime.combine(day, time.min))
            end = start + timedelta(days=1)
            intervals = [
                (a, b)
                for a, b, _meta in calendar._work_intervals_batch(start, end)[False]
            ]
            if intervals:
                days.append(intervals)
                if len(days) == count:
                    break
            day += timedelta(days=1)
        return days

    @api.model
    def _spread(self, intervals, count):
        """``count`` moments spread evenly over a day's working intervals."""
        total = sum((b - a).total_seconds() for a, b in intervals)
        step = total / count
        moments, offset = [], step / 2
        for a, b in intervals:
            length = (b - a).total_seconds()
            while offset < length and len(moments) < count:
                moments.append(a + timedelta(seconds=offset))
                offset += step
            offset -= length
        return moments

    def action_launch(self):
        self.ensure_one()
        if self.days <= 0:
            raise UserError(self.env._("A campaign lasts at least one working day."))
        members = self._members()
        if not members:
            raise UserError(self.env._("The segment has no customer to call."))
        company = self.segment_id.company_id or self.env.company
        # The company's working hours (its Vietnamese calendar when it works
        # in Vietnam and kept Odoo's default 40 hours/week).
        calendar = company._care_default_calendar()
        tz = pytz.timezone(calendar.tz or "Asia/Ho_Chi_Minh")
        agents = self.user_ids.sorted("id")
        per_day = math.ceil(len(members) / (len(agents) * self.days))
        if per_day > MAX_CALLS_PER_DAY:
            raise UserError(
                self.env._(
                    "%(count)s calls per agent and day is too many: add agents or "
                    "days (at most %(max)s).",
                    count=per_day,
                    max=MAX_CALLS_PER_DAY,
                )
            )
        days = self._working_days(calendar, tz, self.days)
        if len(days) < self.days:
            raise UserError(self.env._("The working hours leave no day to call."))
        xmlid = self.activity_type_id.get_external_id().get(self.activity_type_id.id)
        activities = self.env["mail.activity"]
        slots = []
        for intervals in days:
            moments = self._spread(intervals, per_day)
            for agent in agents:
                slots += [(agent, moment) for moment in moments]
        # sudo: an activity on a contact needs the right to edit contacts,
        # which care managers (the only users of this wizard) may not have; the
        # activities go to the care agents chosen above, on the customers the
        # manager found through her own rights (_members).
        for partner, (agent, moment) in zip(members.sudo(), slots, strict=False):
            activities |= partner._care_schedule_follow_up(
                xmlid,
                due_at=moment.astimezone(pytz.utc).replace(tzinfo=None),
                user=agent,
                note=self.reason,
                channel="phone",
                reason=self.reason,
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call Campaign"),
            "res_model": "mail.activity",
            "view_mode": "list,form",
            "domain": [("id", "in", activities.ids)],
        }
