from collections import namedtuple
from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from ..lib.worktime import WallClock, WorkSchedule
from .care_ticket import CHANNELS, PRIORITIES

TARGET_KINDS = [
    ("first_response", "First Response"),
    ("every_response", "Every Response"),
    ("resolution", "Resolution"),
    ("stage", "Reach Stage"),
]
# A target as the engine reads it from ``care.sla.match_data``.
Target = namedtuple("Target", "id kind stage_id hours working_time")
# Fields the engine reads from each policy, in a single query.
MATCH_FIELDS = ["company_id", "priority", "channel", "domain", "match_data"]
ESCALATE_ASSIGN = [
    ("none", "Keep the Assignee"),
    ("leader", "Assign to the Team Leader"),
    ("team", "Move to Another Team"),
]


class CareSla(models.Model):
    """A service-level policy: which tickets it covers and the targets they
    must meet, counted in the working hours of the ticket's team."""

    _name = "care.sla"
    _description = "Care SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to apply the policy in every company.",
    )

    # ---- conditions ----
    team_ids = fields.Many2many(
        "care.team",
        string="Teams",
        check_company=True,
        help="Leave empty to apply the policy to every team.",
    )
    priority = fields.Selection(
        PRIORITIES,
        string="Minimum Priority",
        required=True,
        default="0",
        help="The policy applies to tickets of this priority or higher.",
    )
    type_ids = fields.Many2many("care.ticket.type", string="Ticket Types")
    tag_ids = fields.Many2many("care.tag", string="Tags")
    channel = fields.Selection(
        CHANNELS, help="Leave empty for every channel; use the domain for several."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Customers or customer companies (their contacts are included).",
    )
    domain = fields.Char(
        string="Other Conditions",
        default="[]",
        help="Any further condition on the tickets.",
    )

    # ---- targets ----
    target_ids = fields.One2many("care.sla.target", "sla_id", string="Targets")
    pause_stage_ids = fields.Many2many(
        "care.stage",
        string="Pause in Stages",
        help="Clocks stop in these stages, besides the 'waiting on customer' and "
        "closing stages.",
    )
    warning_percent = fields.Integer(
        string="Warn At (%)",
        default=80,
        help="Share of the target time after which the assignee is warned. "
        "0 sends no warning.",
    )

    # ---- escalation on breach ----
    escalate_notify_leader = fields.Boolean(
        string="Notify the Team Leader", default=True
    )
    escalate_raise_priority = fields.Boolean(string="Raise the Priority")
    escalate_assign = fields.Selection(
        ESCALATE_ASSIGN, string="Reassign", required=True, default="none"
    )
    escalate_team_id = fields.Many2one(
        "care.team", string="Escalation Team", check_company=True
    )

    match_data = fields.Json(
        compute="_compute_match_data",
        store=True,
        help="Technical: the teams, types, tags, customers, pause stages and "
        "targets of the policy in one value, so that choosing the policies of a "
        "ticket costs a single query.",
    )

    _warning_percent_range = models.Constraint(
        "CHECK (warning_percent >= 0 AND warning_percent < 100)",
        "The warning share must be between 0 and 99 %.",
    )

    @api.depends(
        "team_ids",
        "type_ids",
        "tag_ids",
        "partner_ids",
        "pause_stage_ids",
        "warning_percent",
        "target_ids.sequence",
        "target_ids.kind",
        "target_ids.stage_id",
        "target_ids.hours",
        "target_ids.working_time",
    )
    def _compute_match_data(self):
        for sla in self:
            sla.match_data = {
                "teams": sla.team_ids.ids,
                "types": sla.type_ids.ids,
                "tags": sla.tag_ids.ids,
                "partners": sla.partner_ids.ids,
                "pause_stages": sla.pause_stage_ids.ids,
                "warning_percent": sla.warning_percent,
                "targets": [
                    [t.id, t.kind, t.stage_id.id, t.hours, t.working_time]
                    for t in sla.target_ids.sorted(lambda t: (t.sequence, t.id))
                ],
            }

    @api.constrains("escalate_assign", "escalate_team_id")
    def _check_escalate_team(self):
        for sla in self:
            if sla.escalate_assign == "team" and not sla.escalate_team_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s moves breached tickets to another team: "
                        "choose the team.",
                        name=sla.name,
                    )
                )

    @api.constrains("domain")
    def _check_domain(self):
        for sla in self:
            try:
                self.env["care.ticket"].search_count(sla._get_domain(), limit=1)
            except Exception as error:  # noqa: BLE001 - any error means invalid
                raise ValidationError(
                    self.env._(
                        "The conditions of policy %(name)s are invalid: %(error)s",
                        name=sla.name,
                        error=error,
                    )
                ) from error

    # ---- matching ----

    def _get_domain(self):
        self.ensure_one()
        return Domain(safe_eval(self.domain or "[]"))

    @api.model
    def _get_policies(self, companies):
        """Active policies of ``companies``, with what matching needs fetched in
        one query."""
        return self.search_fetch(
            Domain("company_id", "in", [False, *companies.ids]),
            MATCH_FIELDS,
            order="sequence, id",
        )

    def _data(self, cache=None):
        """``match_data``, read once per operation: every read of a Json field
        returns a deep copy."""
        self.ensure_one()
        cache = {} if cache is None else cache
        key = ("care.sla", self.id)
        if key not in cache:
            data = self.match_data or {}  # already a copy
            data["targets"] = [Target(*t) for t in data.get("targets", ())]
            # The free domain, parsed once per operation (None: no condition).
            domain = self._get_domain()
            data["domain"] = None if domain.is_true() else domain
            cache[key] = data
        return cache[key]

    def _targets(self, cache=None):
        return self._data(cache)["targets"]

    def _matches(self, ticket, cache=None):
        """Whether the policy applies to ``ticket``. Conditions come from
        ``match_data``; the ticket's relations are read only when a condition
        needs them."""
        data = self._data(cache)
        if self.company_id and self.company_id != ticket.company_id:
            return False
        if ticket.priority < self.priority:
            return False
        if self.channel and ticket.channel != self.channel:
            return False
        if data.get("teams") and ticket.team_id.id not in data["teams"]:
            return False
        if data.get("types") and ticket.type_id.id not in data["types"]:
            return False
        if data.get("tags") and not set(data["tags"]).intersection(ticket.tag_ids.ids):
            return False
        if data.get("partners") and not (
            ticket.partner_id.id in data["partners"]
            or ticket.partner_id.commercial_partner_id.id in data["partners"]
        ):
            return False
        if data["domain"] is not None:
            return bool(ticket.filtered_domain(data["domain"]))
        return True

    def _pauses_in(self, stage, cache=None):
        if not stage:
            return False
        return (
            stage.is_waiting
            or stage.is_closing
            or stage.id in self._data(cache).get("pause_stages", ())
        )

    # ---- working time ----

    @api.model
    def _get_schedule(self, team, company, cache):
        """The working time of ``team`` (its calendar, or its company's), as a
        :class:`WorkSchedule`, built once per call chain through ``cache``.

        Public holidays are the calendar's own leaves that concern no single
        resource (the shipped Vietnamese calendars carry them).
        """
        calendar = team.resource_calendar_id or company.resource_calendar_id
        if calendar.id in cache:
            return cache[calendar.id]
        if not calendar:
            cache[calendar.id] = WallClock()
            return cache[calendar.id]
        if team.resource_calendar_id:
            data = team.sla_work_data or {}  # the team's row is read anyway
        else:
            # sudo: calendars and public holidays are configuration every
            # agent's tickets depend on; only hours are read.
            data = calendar.sudo().care_work_data or {}
        to_datetime = datetime.fromisoformat
        cache[calendar.id] = WorkSchedule(
            data.get("tz") or "UTC",
            data.get("attendances", ()),
            [(to_datetime(a), to_datetime(b)) for a, b in data.get("leaves", ())],
            error=lambda: self._no_working_time_error(calendar),
        )
        return cache[calendar.id]

    @api.model
    def _no_working_time_error(self, calendar):
        return UserError(
            self.env._(
                "The working hours %(calendar)s have no working time left: SLA "
                "deadlines cannot be computed. Add working hours or remove "
                "leaves from this calendar, or change the team's working hours.",
                calendar=calendar.display_name,
            )
        )

    # ---- actions ----

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_sla_action"
        )
        action["domain"] = [("sla_id", "=", self.id)]
        return action


class CareSlaTarget(models.Model):
    _name = "care.sla.target"
    _description = "Care SLA Target"
    _order = "sla_id, sequence, id"

    sla_id = fields.Many2one(
        "care.sla", string="Policy", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        TARGET_KINDS, string="Target", required=True, default="first_response"
    )
    stage_id = fields.Many2one(
        "care.stage",
        help="For 'Reach Stage' targets: the stage the ticket must reach.",
    )
    hours = fields.Float(
        string="Time",
        required=True,
        default=4.0,
        help="Time allowed, in hours (working or calendar hours).",
    )
    working_time = fields.Boolean(
        string="In Working Hours",
        default=True,
        help="Count only the working hours of the team's calendar (lunch "
        "breaks, weekends and holidays excluded). Otherwise every hour counts.",
    )

    _hours_positive = models.Constraint(
        "CHECK (hours > 0)", "A target time must be positive."
    )

    @api.constrains("kind", "stage_id")
    def _check_stage(self):
        for target in self:
            if target.kind == "stage" and not target.stage_id:
                raise ValidationError(
                    self.env._("A 'Reach Stage' target needs a stage.")
                )

    @api.depends("kind", "stage_id", "hours")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for target in self:
            label = kinds.get(target.kind, "")
            if target.kind == "stage" and target.stage_id:
                label = f"{label}: {target.stage_id.name}"
            target.display_name = f"{label} ({target.hours:g} h)"
