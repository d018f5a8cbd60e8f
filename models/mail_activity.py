"""Follow-ups: ``mail.activity`` records of the Customer Care activity types
(``care_follow_up``), with a precise due time inside working hours, a channel,
a reason and an outcome. Every override of ``mail.activity`` lives here; the
scheduling API is in models/care_follow_up.py."""

from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.fields import Domain

FOLLOW_UP_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("chat", "Chat"),
    ("visit", "Visit"),
    ("other", "Other"),
]
FOLLOW_UP_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("call_later", "Call later"),
    ("resolved", "Resolved"),
    ("refused", "Refused"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    care_follow_up = fields.Boolean(
        string="Customer Care Follow-up",
        related="activity_type_id.care_follow_up",
        store=True,
        index=True,
    )
    care_due_at = fields.Datetime(
        string="Due at",
        help="When the customer should be contacted, inside working hours. The "
        "due date follows it (its date in the assignee's time zone).",
    )
    care_channel = fields.Selection(FOLLOW_UP_CHANNELS, string="Channel")
    care_reason = fields.Char(string="Reason")
    care_outcome = fields.Selection(
        FOLLOW_UP_OUTCOMES,
        string="Outcome",
        readonly=True,
        copy=False,
        help="What came of the follow-up, logged when it was done.",
    )
    care_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_care_partner_id",
        store=True,
        index="btree_not_null",
        help="The customer to contact: the ticket's or order's customer, or the "
        "contact the follow-up is planned on.",
    )
    care_partner_phone = fields.Char(
        string="Customer Phone", related="care_partner_id.phone"
    )
    care_team_id = fields.Many2one(
        "care.team",
        compute="_compute_care_team_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="The team whose queue shows the follow-up: the ticket's team, else "
        "a team of the assignee.",
    )
    care_is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_care_is_overdue",
        search="_search_care_is_overdue",
    )

    # A record never has two open follow-ups of one kind: the follow-up API
    # returns the open one; this index refuses a second one made by hand or by
    # two workers at once.
    _care_follow_up_open_uniq = models.UniqueIndex(
        "(res_model, res_id, activity_type_id) "
        "WHERE care_follow_up IS TRUE AND active IS TRUE",
        "This follow-up is already planned for this record: change the open one "
        "instead of adding another.",
    )

    @api.depends("res_model", "res_id", "care_follow_up")
    def _compute_care_partner_id(self):
        Partner = self.env["res.partner"]
        for activity in self:
            partner = Partner
            if activity.care_follow_up and activity.res_model in self.env:
                # sudo: only the customer of a document the activity is on is
                # read, to show whom to contact.
                record = (
                    self.env[activity.res_model].sudo().browse(activity.res_id).exists()
                )
                partner = self._care_record_partner(record)
            activity.care_partner_id = partner

    @api.model
    def _care_record_partner(self, record):
        if not record:
            return self.env["res.partner"]
        if record._name == "res.partner":
            return record
        field = record._fields.get("partner_id")
        if field and field.type == "many2one" and field.comodel_name == "res.partner":
            return record.partner_id
        return self.env["res.partner"]

    @api.depends("res_model", "res_id", "user_id", "care_follow_up")
    def _compute_care_team_id(self):
        # Batched: a plan or a campaign creates hundreds of follow-ups at once.
        # sudo: the team of the tickets the activities are on.
        tickets = (
            self.env["care.ticket"]
            .sudo()
            .browse({a.res_id for a in self if a.res_model == "care.ticket"})
            .exists()
        )
        team_of_ticket = {ticket.id: ticket.team_id for ticket in tickets}
        team_of_user = {}
        for activity in self:
            if not activity.care_follow_up:
                activity.care_team_id = False
                continue
            if activity.care_team_id:
                continue  # given by the follow-up API or chosen by hand
            team = self.env["care.team"]
            if activity.res_model == "care.ticket":
                team = team_of_ticket.get(activity.res_id, team)
            if not team and activity.user_id:
                user = activity.user_id
                if user not in team_of_user:
                    team_of_user[user] = self.env["care.team"].search(
                        [("member_ids", "in", user.id)], limit=1
                    )
                team = team_of_user[user]
            activity.care_team_id = team

    def _compute_care_is_overdue(self):
        now = fields.Datetime.now()
        for activity in self:
            if not activity.active:
                activity.care_is_overdue = False
            elif activity.care_due_at:
                activity.care_is_overdue = activity.care_due_at < now
            else:
                activity.care_is_overdue = activity.state == "overdue"

    def _search_care_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = Domain("care_due_at", "<", fields.Datetime.now()) | (
            Domain("care_due_at", "=", False)
            & Domain("date_deadline", "<", fields.Date.context_today(self))
        )
        return overdue if (operator == "in") == (True in value) else ~overdue

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("care_due_at"):
                vals["date_deadline"] = self._care_due_date(
                    vals["care_due_at"], vals.get("user_id")
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("care_due_at"):
            for activity in self:
                user_id = vals.get("user_id", activity.user_id.id)
                date = self._care_due_date(vals["care_due_at"], user_id)
                super(MailActivity, activity).write({**vals, "date_deadline": date})
            return True
        res = super().write(vals)
        if vals.get("date_deadline"):
            # The due date was moved by hand (drag in the calendar, the form):
            # the due time keeps its hour on the new day.
            for activity in self.filtered("care_due_at"):
                tz = self._care_tz(activity.user_id.id)
                local = pytz.utc.localize(activity.care_due_at).astimezone(tz)
                if local.date() != activity.date_deadline:
                    moved = tz.localize(
                        datetime.combine(activity.date_deadline, local.time())
                    )
                    super(MailActivity, activity).write(
                        {"care_due_at": moved.astimezone(pytz.utc).replace(tzinfo=None)}
                    )
        return res

    @api.model
    def _care_tz(self, user_id):
        user = self.env["res.users"].browse(user_id) if user_id else self.env.user
        return pytz.timezone(user.sudo().tz or self.env.user.tz or "UTC")

    @api.model
    def _care_due_date(self, due_at, user_id):
        """The due date of a follow-up due at ``due_at`` (UTC): its date where
        the assignee works (their time zone)."""
        due_at = fields.Datetime.to_datetime(due_at)
        return pytz.utc.localize(due_at).astimezone(self._care_tz(user_id)).date()

    # ---- actions ----

    def action_care_log_outcome(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_follow_up_log_action"
        )
        action["context"] = {"default_activity_id": self.id}
        return action

    def action_care_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """Follow-ups of the person wherever they are planned (a ticket, the
        customer, an order or a delivery), done ones included (archived): kept
        for the follow-up statistics, their texts blanked. Activities of a
        collected ticket or partner come with its chatter (care.privacy)."""
        follow_ups = self.with_context(active_test=False).search(
            [("care_partner_id", "in", partners.ids)], order="id"
        )
        return [
            {
                "records": follow_ups,
                "export": [
                    "res_model",
                    "res_id",
                    "activity_type_id",
                    "summary",
                    "note",
                    "care_reason",
                    "care_channel",
                    "care_outcome",
                    "care_due_at",
                    "date_deadline",
                    "user_id",
                ],
                "erase": {
                    "summary": False,
                    "note": False,
                    "care_reason": False,
                    "res_name": False,
                },
            }
        ]
