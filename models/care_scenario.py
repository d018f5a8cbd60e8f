import logging
from datetime import timedelta

import pytz

from odoo import fields, models

from .care_emotion_entry import TRENDS
from .care_emotion_label import NEGATIVE_LABELS
from .care_ticket import PRIORITIES

_logger = logging.getLogger(__name__)


class CareScenario(models.Model):
    """A care scenario: when a journal entry meets the conditions, do the
    actions. Each scenario fires once per entry (``care.scenario.run``).

    Built on plain Python rather than ``base_automation``: the conditions
    read the journal (trend, repeated negative entries) and the actions use
    the team calendar, which automation rules cannot express without code,
    and the module stays free of another dependency."""

    _name = "care.scenario"
    _description = "Care Scenario"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the scenario in every company."
    )
    description = fields.Text(translate=True)

    # ---- conditions ----
    label_ids = fields.Many2many(
        "care.emotion.label",
        string="Emotions",
        help="Fire for entries with one of these emotions; leave empty for any.",
    )
    min_intensity = fields.Integer(default=1, help="From 1 (mild) to 5 (extreme).")
    source_scope = fields.Selection(
        [
            ("all", "Any entry"),
            ("customer", "Customer messages and ratings"),
            ("rating", "Ratings only"),
        ],
        string="Entries",
        default="all",
        required=True,
    )
    rating_filter = fields.Selection(
        [
            ("low", "Dissatisfied (1-2)"),
            ("mid", "Okay (3)"),
            ("high", "Satisfied (4-5)"),
        ],
        string="Rating",
        help="Only for entries coming from a rating with this value.",
    )
    trend = fields.Selection(TRENDS, help="The customer's mood trend after the entry.")
    ticket_state = fields.Selection(
        [("open", "Open tickets"), ("closed", "After the ticket is closed")],
        string="Ticket",
        help="Leave empty for any ticket (or none).",
    )
    repeat_count = fields.Integer(
        string="Negative Entries",
        help="Fire only when the customer has at least this many negative entries "
        "(angry, disappointed, worried) within the period below; 0 to ignore.",
    )
    repeat_days = fields.Integer(string="Within (days)", default=30)
    ticket_type_ids = fields.Many2many("care.ticket.type", string="Ticket Types")
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Fire only for customers with one of these tags.",
    )
    once_per_ticket = fields.Boolean(
        help="Fire at most once per ticket, e.g. a single thank-you mail even "
        "when the customer writes several happy messages."
    )

    # ---- actions ----
    activity_user = fields.Selection(
        [
            ("owner", "Ticket owner"),
            ("leader", "Team leader"),
            ("salesperson", "Salesperson"),
        ],
        string="Call-back For",
        help="Schedule a call-back activity for this person (the team leader "
        "when the ticket has no owner).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        # A follow-up kind: the call-back is in Customer Care > Follow-ups,
        # with its due time and outcome (models/mail_activity.py).
        default=lambda self: (
            self.env.ref(
                "customer_care.mail_activity_type_care_call_back",
                raise_if_not_found=False,
            )
            or self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        ),
    )
    activity_summary = fields.Char(string="Call-back Summary")
    activity_delay = fields.Integer(string="Due Within", default=2)
    activity_delay_unit = fields.Selection(
        [("hours", "Working hours"), ("days", "Working days")],
        default="hours",
        required=True,
        help="Counted in the team's working hours (or the company's).",
    )
    priority = fields.Selection(
        PRIORITIES, string="Raise Priority To", help="Never lowers a priority."
    )
    assign_leader = fields.Boolean(string="Assign to Team Leader")
    template_id = fields.Many2one(
        "mail.template",
        string="Send Email",
        domain="[('model', '=', 'care.ticket')]",
        help="Sent to the customer from the ticket. Never put emotion data in it.",
    )
    tag_ids = fields.Many2many("care.tag", string="Add Tags")
    notify_salesperson = fields.Boolean(
        help="Schedule a to-do for the customer's salesperson on the customer."
    )
    run_count = fields.Integer(compute="_compute_run_count")

    _intensity_range = models.Constraint(
        "CHECK (min_intensity BETWEEN 1 AND 5)", "The intensity goes from 1 to 5."
    )

    def _compute_run_count(self):
        counts = dict(
            self.env["care.scenario.run"]._read_group(
                [("scenario_id", "in", self.ids)], ["scenario_id"], ["__count"]
            )
        )
        for scenario in self:
            scenario.run_count = counts.get(scenario, 0)

    def action_view_runs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Runs of %(scenario)s", scenario=self.name),
            "res_model": "care.scenario.run",
            "views": [(False, "list"), (False, "form")],
            "domain": [("scenario_id", "=", self.id)],
        }

    # ---- engine ----

    def _apply_to_entries(self, entries):
        """Fire the matching scenarios (``self``) for ``entries``."""
        Run = self.env["care.scenario.run"]
        for entry in entries:
            for scenario in self:
                if not scenario._matches(entry):
                    continue
                run = Run._claim(scenario, entry)
                if not run:
                    continue
                notes = scenario._run_actions(entry)
                run.note = "\n".join(notes)
                _logger.info(
                    "Care scenario %s fired for entry %s (ticket %s)",
                    scenario.id,
                    entry.id,
                    entry.ticket_id.number or "-",
                )
            entry.invalidate_recordset(["scenario_run_ids"])

    def _matches(self, entry):
        self.ensure_one()
        ticket = entry.ticket_id
        if self.company_id and self.company_id != entry.company_id:
            return False
        if self.label_ids and entry.label not in self.label_ids.mapped("code"):
            return False
        if entry.intensity < self.min_intensity:
            return False
        if self.source_scope == "customer" and entry.source not in (
            "message",
            "rating",
            "survey",
        ):
            return False
        if self.source_scope == "rating" and entry.source != "rating":
            return False
        if self.rating_filter and not self._rating_matches(entry):
            return False
        if self.ticket_state == "open" and (not ticket or entry.ticket_closed):
            return False
        if self.ticket_state == "closed" and not (ticket and entry.ticket_closed):
            return False
        if self.ticket_type_ids and ticket.type_id not in self.ticket_type_ids:
            return False
        partner = entry.partner_id
        if self.partner_category_ids and not (
            (partner.category_id | partner.commercial_partner_id.category_id)
            & self.partner_category_ids
        ):
            return False
        if self.trend and entry.commercial_partner_id.care_mood_trend != self.trend:
            return False
        if self.repeat_count > 0 and not self._repeat_matches(entry):
            return False
        if self.once_per_ticket and ticket:
            fired = self.env["care.scenario.run"].search_count(
                [("scenario_id", "=", self.id), ("ticket_id", "=", ticket.id)],
                limit=1,
            )
            if fired:
                return False
        return True

    def _rating_matches(self, entry):
        if entry.source != "rating":
            return False
        value = entry.rating_value
        return {
            "low": value <= 2,
            "mid": 2 < value < 4,
            "high": value >= 4,
        }[self.rating_filter]

    def _repeat_matches(self, entry):
        since = entry.date - timedelta(days=max(self.repeat_days, 1))
        count = self.env["care.emotion.entry"].search_count(
            [
                ("commercial_partner_id", "=", entry.commercial_partner_id.id),
                ("label", "in", NEGATIVE_LABELS),
                ("date", ">=", since),
                ("date", "<=", entry.date),
            ]
        )
        return count >= self.repeat_count

    def _run_actions(self, entry):
        """Do what the scenario says for one entry; return notes for the log.
        Runs as superuser (see ``care.emotion.entry._run_scenarios``)."""
        self.ensure_one()
        ticket = entry.ticket_id
        notes = []
        if ticket and self.priority and ticket.priority < self.priority:
            ticket.priority = self.priority
            labels = dict(self._fields["priority"]._description_selection(self.env))
            notes.append(
                self.env._(
                    "Priority raised to %(priority)s.", priority=labels[self.priority]
                )
            )
        if ticket and self.assign_leader:
            leader = ticket.team_id.leader_id
            if leader and ticket.user_id != leader:
                ticket.user_id = leader
                notes.append(self.env._("Assigned to %(user)s.", user=leader.name))
            elif not leader:
                notes.append(self.env._("No team leader to assign."))
        if self.activity_user:
            notes.append(self._schedule_callback(entry))
        if ticket and self.tag_ids:
            ticket.tag_ids = [fields.Command.link(tag.id) for tag in self.tag_ids]
            notes.append(self.env._("Tags added."))
        if ticket and self.template_id:
            # care_ack: an automatic mail is neither an agent's reply (first
            # reply date, SLA) nor a customer's message (journal, reopening).
            author = ticket.user_id.partner_id or ticket.company_id.partner_id
            ticket.with_context(care_ack=True).message_post_with_source(
                self.template_id,
                subtype_xmlid="mail.mt_comment",
                author_id=author.id,
                email_layout_xmlid="mail.mail_notification_light",
            )
            notes.append(
                self.env._("Email sent: %(template)s.", template=self.template_id.name)
            )
        if self.notify_salesperson:
            notes.append(self._notify_salesperson(entry))
        return [note for note in notes if note]

    def _deadline(self, ticket, company):
        """Due date of the call-back in the working time of the ticket's team
        (or of the company), as a date in that calendar's time zone."""
        now = fields.Datetime.now()
        calendar = ticket.team_id.resource_calendar_id or company.resource_calendar_id
        due = False
        if calendar and self.activity_delay > 0:
            if self.activity_delay_unit == "hours":
                due = calendar.plan_hours(self.activity_delay, now)
            else:
                due = calendar.plan_days(self.activity_delay + 1, now)
        if not due:
            factor = 1 if self.activity_delay_unit == "hours" else 24
            due = now + timedelta(hours=self.activity_delay * factor)
        tz = pytz.timezone(calendar.tz if calendar and calendar.tz else "UTC")
        if due.tzinfo is None:
            due = pytz.utc.localize(due)
        return due.astimezone(tz)

    def _callback_user(self, entry):
        ticket = entry.ticket_id
        leader = ticket.team_id.leader_id
        salesperson = entry.commercial_partner_id.user_id or entry.partner_id.user_id
        if self.activity_user == "owner":
            return ticket.user_id or leader or salesperson
        if self.activity_user == "leader":
            return leader or ticket.user_id or salesperson
        return salesperson or ticket.user_id or leader

    def _schedule_callback(self, entry):
        ticket = entry.ticket_id
        user = self._callback_user(entry)
        if not user:
            return self.env._("Call-back skipped: nobody to assign it to.")
        due = self._deadline(ticket, entry.company_id)
        summary = self.activity_summary or self.name
        note = self.env._(
            "%(scenario)s: call the customer back before %(due)s.",
            scenario=self.name,
            due=due.strftime("%Y-%m-%d %H:%M"),
        )
        record = ticket or entry.commercial_partner_id
        if self.activity_type_id.care_follow_up:
            # A follow-up kind (Call back, NPS detractor...): through the
            # follow-up API, which never opens a second one on the record.
            values = {
                "due_at": due.astimezone(pytz.utc).replace(tzinfo=None),
                "user": user,
                "note": note,
                "reason": summary,
            }
            if ticket:
                ticket._schedule_follow_up(self.activity_type_id, **values)
            else:
                record._care_schedule_follow_up(self.activity_type_id, **values)
            return self.env._(
                "Follow-up planned for %(user)s, due %(due)s.",
                user=user.name,
                due=due.strftime("%Y-%m-%d %H:%M %Z"),
            )
        record.activity_schedule(
            activity_type_id=self.activity_type_id.id
            or self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.mail_activity_data_todo"
            ),
            date_deadline=due.date(),
            summary=summary,
            note=note,
            user_id=user.id,
        )
        return self.env._(
            "Call-back scheduled for %(user)s, due %(due)s.",
            user=user.name,
            due=due.strftime("%Y-%m-%d %H:%M %Z"),
        )

    def _notify_salesperson(self, entry):
        """A to-do for the salesperson of the customer's open opportunity (the
        ticket's own first, models/crm_lead.py), on that opportunity; else for
        the customer's salesperson, on the customer."""
        partner = entry.commercial_partner_id
        lead = self.env["crm.lead"]._care_open_opportunity(partner, entry.ticket_id)
        salesperson = lead.user_id or partner.user_id or entry.partner_id.user_id
        if not salesperson:
            return self.env._("No salesperson to notify.")
        # The note names the scenario only: salespeople may not be Customer
        # Care users, and the emotion data stays within Customer Care.
        (lead or partner).activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Customer care follow-up"),
            note=self.env._(
                "Customer Care asks you to contact this customer (%(scenario)s).",
                scenario=self.name,
            ),
            user_id=salesperson.id,
        )
        if lead:
            return self.env._(
                "Salesperson %(user)s notified on the opportunity %(lead)s.",
                user=salesperson.name,
                lead=lead.name,
            )
        return self.env._("Salesperson %(user)s notified.", user=salesperson.name)
