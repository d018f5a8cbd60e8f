import ast
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, format_list

from odoo.addons.rating.models.rating_data import RATING_LIMIT_MIN
from odoo.addons.rating.models.rating_data import _rating_to_grade as rating_to_grade

from ..lib.assignment import AgentPool

ASSIGN_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round-robin"),
    ("balanced", "Balanced (fewest open tickets)"),
]


class CareTeam(models.Model):
    _name = "care.team"
    _description = "Care Team"
    _inherit = ["mail.thread", "mail.alias.mixin", "rating.parent.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Html(translate=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "care_team_member_rel",
        "team_id",
        "user_id",
        string="Agents",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_ids = fields.Many2many(
        "care.stage",
        "care_stage_team_rel",
        "team_id",
        "stage_id",
        string="Stages",
        help="Stages used only by this team. Stages linked to no team are shared "
        "by every team.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        check_company=True,
        help="Working time of the team: SLA deadlines are counted in it.",
    )
    assign_method = fields.Selection(
        ASSIGN_METHODS,
        string="Assignment",
        required=True,
        default="manual",
        tracking=True,
        help="Manual: tickets wait in the team's queue.\n"
        "Round-robin: each new ticket goes to the next agent in turn.\n"
        "Balanced: each new ticket goes to the agent with the fewest open tickets.",
    )
    assign_keep_customer = fields.Boolean(
        string="Same Agent for Returning Customers",
        help="A new ticket from a customer goes to the agent who handled their last "
        "ticket in this team, when that agent is still a member.",
    )
    agent_capacity = fields.Integer(
        string="Open Tickets per Agent",
        default=0,
        help="An agent holding this many open tickets of the team gets no new one "
        "until she closes some. 0: no limit.",
    )
    angry_routing = fields.Boolean(
        string="Route Angry Customers",
        help="A new ticket whose opening message is angry goes to the chosen agents "
        "(the team leader when none is chosen) instead of the assignment method.",
    )
    angry_user_ids = fields.Many2many(
        "res.users",
        "care_team_angry_user_rel",
        "team_id",
        "user_id",
        string="Angry Customers Go To",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Agents trusted with angry customers. Empty: the team leader.",
    )
    angry_min_intensity = fields.Integer(
        string="From Intensity",
        default=4,
        help="Intensity (1 to 5) from which an angry opening message is routed.",
    )
    assign_last_user_id = fields.Many2one(
        "res.users",
        string="Last Assigned Agent",
        compute="_compute_assign_last_user_id",
        help="Agent of the team's latest assigned ticket.",
    )
    assign_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Round-robin Turns",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Technical: draws the round-robin turns. A PostgreSQL sequence "
        "gives each new ticket its own turn without a lock, so creators working "
        "at the same moment never wait for each other or collide.",
    )
    ack_template_id = fields.Many2one(
        "mail.template",
        string="Acknowledgement Email",
        domain=[("model", "=", "care.ticket")],
        default=lambda self: self.env.ref(
            "customer_care.mail_template_care_ticket_ack", raise_if_not_found=False
        ),
        help="Sent to the customer when a ticket is created, with its number and "
        "link. Leave empty to send none.",
    )
    ticket_ids = fields.One2many("care.ticket", "team_id", string="Tickets")
    follow_up_after_solve_days = fields.Integer(
        string="Follow Up After Solving (working days)",
        help='Plan an "After resolution" follow-up this many working days after '
        "a ticket is solved, unless the customer rated it well (4 or 5). 0: no "
        "follow-up.",
    )
    is_specialist = fields.Boolean(
        string="Specialist Team",
        help="A team of specialists that other teams escalate complex requests to "
        "(listed first in the escalation wizard).",
    )
    # ---- auto-close (models/care_ticket_auto_close.py) ----
    auto_close_reminder_days = fields.Integer(
        string="Remind After (working days)",
        help="A ticket waiting on the customer for this many working days gets a "
        "reminder email. 0: tickets of this team are never reminded nor closed "
        "automatically.",
    )
    auto_close_days = fields.Integer(
        string="Close After Reminder (working days)",
        help="Working days after the reminder without an answer before the ticket "
        "is closed with a closing email. 0: reminded tickets stay open.",
    )
    auto_close_reminder_template_id = fields.Many2one(
        "mail.template",
        string="Reminder Email",
        domain=[("model", "=", "care.ticket")],
        default=lambda self: self.env.ref(
            "customer_care.mail_template_care_ticket_auto_close_reminder",
            raise_if_not_found=False,
        ),
        help="Leave empty to send the default reminder.",
    )
    auto_close_template_id = fields.Many2one(
        "mail.template",
        string="Automatic Closing Email",
        domain=[("model", "=", "care.ticket")],
        default=lambda self: self.env.ref(
            "customer_care.mail_template_care_ticket_auto_closed",
            raise_if_not_found=False,
        ),
        help="Leave empty to send the default closing email.",
    )
    is_published = fields.Boolean(
        string="Visible on the Portal",
        help="Customers may choose this team as the topic of a new ticket on the "
        "portal and the public help form.",
    )
    sla_work_data = fields.Json(
        string="SLA Working Time",
        compute="_compute_sla_work_data",
        store=True,
        help="Technical: the working time of the team's calendar, kept on the "
        "team so that a new ticket's SLA deadlines cost no extra query.",
    )

    # Dashboard counters: one grouped query for all teams on screen.
    ticket_open_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_unassigned_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_urgent_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_mine_count = fields.Integer(compute="_compute_ticket_counts")
    is_member = fields.Boolean(compute="_compute_is_member", search="_search_is_member")
    in_overview = fields.Boolean(
        string="In My Overview",
        compute="_compute_in_overview",
        search="_search_in_overview",
        help="Technical: the teams of the Overview. A manager sees every team; an "
        "agent the teams whose tickets she can read (her teams, and the teams of "
        "her open tickets), so that no card shows counters she cannot open.",
    )

    _angry_min_intensity_range = models.Constraint(
        "CHECK (angry_min_intensity BETWEEN 1 AND 5)",
        "The intensity of angry customers goes from 1 to 5.",
    )
    _agent_capacity_positive = models.Constraint(
        "CHECK (agent_capacity >= 0)",
        "The open tickets per agent cannot be negative (0: no limit).",
    )

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        # A company working in Vietnam gives its teams the Vietnamese calendar
        # (lunch break, public holidays) unless its own is already Vietnamese.
        for team in self:
            calendar = team.resource_calendar_id
            if not calendar or calendar.company_id not in (team.company_id, False):
                team.resource_calendar_id = team.company_id._care_default_calendar()

    @api.depends("resource_calendar_id.care_work_data")
    def _compute_sla_work_data(self):
        for team in self:
            team.sla_work_data = team.resource_calendar_id.care_work_data or False

    @api.depends_context("uid")
    def _compute_ticket_counts(self):
        counts = defaultdict(lambda: defaultdict(int))
        teams = self.filtered("id")
        if teams:
            groups = self.env["care.ticket"]._read_group(
                [("team_id", "in", teams.ids), ("is_closed", "=", False)],
                ["team_id", "user_id", "priority"],
                ["__count"],
            )
            uid = self.env.uid
            for team, user, priority, count in groups:
                bucket = counts[team.id]
                bucket["open"] += count
                if not user:
                    bucket["unassigned"] += count
                elif user.id == uid:
                    bucket["mine"] += count
                if priority == "3":
                    bucket["urgent"] += count
        for team in self:
            bucket = counts[team.id]
            team.ticket_open_count = bucket["open"]
            team.ticket_unassigned_count = bucket["unassigned"]
            team.ticket_urgent_count = bucket["urgent"]
            team.ticket_mine_count = bucket["mine"]

    # Membership is res.users.care_team_ids (teams led or joined), which the
    # record rules read too.
    @api.depends_context("uid")
    @api.depends("member_ids", "leader_id")
    def _compute_is_member(self):
        mine = self.env.user.care_team_ids
        for team in self:
            team.is_member = team in mine

    @api.depends_context("uid")
    def _compute_in_overview(self):
        teams = self.filtered("id")  # a new team (NewId) is in no overview yet
        visible = self.search([("in_overview", "=", True), ("id", "in", teams.ids)])
        for team in self:
            team.in_overview = team in visible

    def _search_in_overview(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        if self.env.user.has_group("customer_care.customer_care_group_manager"):
            domain = Domain.TRUE
        else:
            # The teams of care_ticket_rule_user: hers, and those of her tickets
            # (only the open ones count on a card).
            groups = self.env["care.ticket"]._read_group(
                [("user_id", "=", self.env.uid), ("is_closed", "=", False)],
                ["team_id"],
            )
            ids = {team.id for (team,) in groups if team}
            ids.update(self.env.user.care_team_ids.ids)
            domain = Domain("id", "in", list(ids))
        return domain if (operator == "in") == (True in value) else ~domain

    def _compute_assign_last_user_id(self):
        # sudo: only the owner of the team's latest assigned ticket is read.
        Ticket = self.env["care.ticket"].sudo()
        groups = Ticket._read_group(
            [("team_id", "in", self.filtered("id").ids), ("user_id", "!=", False)],
            ["team_id"],
            ["id:max"],
        )
        latest = {team.id: max_id for team, max_id in groups}
        owners = {t.id: t.user_id for t in Ticket.browse(latest.values())}
        for team in self:
            owner = owners.get(latest.get(team.id))
            team.assign_last_user_id = owner.with_env(self.env) if owner else False

    def _search_is_member(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain("id", "in", self.env.user.care_team_ids.ids)
        return domain if (operator == "in") == (True in value) else ~domain

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self._membership_changed()
        teams._ensure_assign_sequence()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if {"auto_close_reminder_days", "auto_close_days"} & set(vals):
            self._auto_close_settings_changed()
        if {"member_ids", "leader_id", "active", "company_id"} & set(vals):
            self._membership_changed()
        if vals.get("assign_method"):
            self._ensure_assign_sequence()
        return res

    def unlink(self):
        # sudo: the turn counters are technical sequences owned by the teams.
        sequences = self.sudo().assign_sequence_id
        res = super().unlink()
        sequences.unlink()
        self._membership_changed()
        return res

    def _membership_changed(self):
        """The agents' record rule reads ``user.care_team_ids``: drop the cached
        rule domains (all workers, through the registry signal) and the users'
        computed teams of this transaction."""
        self.env.registry.clear_cache()
        self.env["res.users"].invalidate_model(["care_team_ids"])

    def _auto_close_settings_changed(self):
        """The due moment of the team's waiting tickets follows its delays
        (care.ticket.auto.close)."""
        # sudo: a manager changing the delays re-dates every waiting ticket of
        # the team, including those she cannot read; only a date is written.
        tickets = (
            self.env["care.ticket"]
            .sudo()
            .search([("team_id", "in", self.ids), ("is_waiting", "=", True)])
        )
        tickets._auto_close_recompute()

    # ---- mail.alias.mixin ----

    def _rating_grade_counts(self, days):
        """``{"great": n, "okay": n, "bad": n}``: the team's consumed ratings of
        the last ``days`` days by grade (Odoo's grades of rating.rating), in
        one grouped query."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=days)
        groups = self.env["rating.rating"]._read_group(
            [
                ("parent_res_model", "=", self._name),
                ("parent_res_id", "=", self.id),
                ("consumed", "=", True),
                ("rating", ">=", RATING_LIMIT_MIN),
                ("write_date", ">=", since),
            ],
            ["rating"],
            ["__count"],
        )
        counts = {"great": 0, "okay": 0, "bad": 0}
        for rating, count in groups:
            counts[rating_to_grade(rating)] += count
        return counts

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("care.ticket")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults.setdefault("channel", "email")
            values["alias_defaults"] = defaults
        return values

    # ---- actions ----

    def _action_tickets(self, domain, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        action["domain"] = Domain("team_id", "=", self.id) & Domain(domain)
        action["context"] = {
            "default_team_id": self.id,
            "search_default_filter_open": 1,
            **(context or {}),
        }
        action["display_name"] = self.display_name
        return action

    def action_view_tickets(self):
        return self._action_tickets([])

    def action_view_unassigned(self):
        return self._action_tickets([("user_id", "=", False)])

    def action_view_urgent(self):
        return self._action_tickets([("priority", "=", "3")])

    def action_view_mine(self):
        return self._action_tickets([("user_id", "=", self.env.uid)])

    # ---- assignment ----

    def _assigns(self):
        """Whether new tickets of the team go through ``_assign_vals``."""
        self.ensure_one()
        return (
            self.assign_method != "manual"
            or self.assign_keep_customer
            or self.angry_routing
        )

    def _assign_vals(self, vals_list):
        """Set ``user_id`` in each of ``vals_list`` (new tickets of this team)
        and return, for each, why (an HTML line for the chatter, or ``None``
        when the team decided nothing).

        Runs before the tickets are inserted, so assignment costs no extra write.
        Nothing here locks or writes the team: creators working at the same
        moment (two Odoo workers, two mail fetchers) never wait for each other,
        and a creation is never refused because of the assignment.

        In this order, each step taking the tickets the previous left:

        - angry customers (``angry_routing``): an opening message detected
          angry with at least ``angry_min_intensity`` goes to the least loaded
          of ``angry_user_ids`` (the leader when empty);
        - returning customers (``assign_keep_customer``): the agent of the
          customer's last ticket in the team;
        - Round-robin: each ticket draws its turn from the team's PostgreSQL
          sequence (``_draw_turns``; ``nextval`` is atomic and outside
          transactions), so two creators never draw the same turn and the
          split stays even.
        - Balanced: the open tickets are counted as this transaction sees them.
          A concurrent creator's ticket counts once it has committed; an agent
          given one ticket too many by such an overlap is passed over by the
          next tickets until the others catch up.

        Every step skips agents who are away (``_agents_away``) or hold
        ``agent_capacity`` open tickets of the team. Who is away and the load
        are read once for the whole batch (``_agent_pool``), not per ticket.
        """
        self.ensure_one()
        reasons = [None] * len(vals_list)
        # sudo: the members are the team's configuration, read whatever the
        # creating user may see of other users (record rules on res.users cost
        # more than the assignment itself); only their ids leave this method.
        team = self.sudo()
        members = team.member_ids.filtered("active").sorted("id")
        angry_agents = self.env["res.users"]
        if team.angry_routing:
            angry_agents = (team.angry_user_ids or team.leader_id).filtered("active")
        if not (members or angry_agents) or not vals_list:
            return reasons
        pool = self._agent_pool(members, angry_agents)
        todo = list(range(len(vals_list)))
        if angry_agents:
            todo = self._assign_angry(vals_list, todo, pool, angry_agents, reasons)
        if self.assign_keep_customer and todo and members:
            todo = self._assign_returning_customers(
                vals_list, todo, pool, members, reasons
            )
        if not todo or not members:
            return reasons
        if self.assign_method == "round_robin":
            self._assign_round_robin(vals_list, todo, pool, reasons)
        elif self.assign_method == "balanced":
            self._assign_balanced(vals_list, todo, pool, reasons)
        return reasons

    def _agent_pool(self, members, extra=None):
        """An :class:`AgentPool` of ``members`` (and ``extra`` agents, who
        take tickets only by name): who is away now, and, when the method or
        the capacity needs it, the open tickets each holds in the team, in one
        grouped query."""
        agents = members | (extra or self.env["res.users"])
        load = {}
        if self.agent_capacity or self.assign_method == "balanced" or extra:
            # sudo: the load of every agent counts, including tickets the
            # creating user may not read; only counts leave this method.
            groups = (
                self.env["care.ticket"]
                .sudo()
                ._read_group(
                    [
                        ("team_id", "=", self.id),
                        ("user_id", "in", agents.ids),
                        ("is_closed", "=", False),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            )
            load = {user.id: count for user, count in groups}
        return AgentPool(
            members.ids,
            away=self._agents_away(agents),
            load=load,
            capacity=self.agent_capacity,
        )

    def _agents_away(self, users):
        """``{user_id: reason}`` of the ``users`` not at work now: their own
        "unavailable" switch, Odoo's out-of-office, a time off of theirs in
        the working calendar (``resource.calendar.leaves`` of their resource)
        or a public holiday of their calendar (their resource's, else the
        team's). Two queries whatever the number of users."""
        away = {}
        for user in users:
            if user.care_unavailable:
                away[user.id] = "unavailable"
            elif user.is_out_of_office:
                away[user.id] = "out_of_office"
        users = users.filtered(lambda u: u.id not in away)
        if not users:
            return away
        now = fields.Datetime.now()
        # sudo: working calendars are HR configuration; only whether an agent
        # is absent now leaves this method, never the absence itself.
        resources = (
            self.env["resource.resource"]
            .sudo()
            .search_fetch([("user_id", "in", users.ids)], ["user_id", "calendar_id"])
        )
        calendar_of = {r.user_id.id: r.calendar_id.id for r in resources}
        team_calendar = self.sudo().resource_calendar_id.id
        calendars = {calendar_of.get(u.id) or team_calendar for u in users} - {None}
        calendars.discard(False)
        domain = Domain("date_from", "<=", now) & Domain("date_to", ">", now)
        whose = Domain("resource_id", "in", resources.ids)
        if calendars:
            whose |= Domain("resource_id", "=", False) & Domain(
                "calendar_id", "in", list(calendars)
            )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(domain & whose, ["resource_id", "calendar_id"])
        )
        on_leave = {
            leave.resource_id.user_id.id for leave in leaves if leave.resource_id
        }
        holidays = {leave.calendar_id.id for leave in leaves if not leave.resource_id}
        for user in users:
            if user.id in on_leave:
                away[user.id] = "leave"
            elif (calendar_of.get(user.id) or team_calendar) in holidays:
                away[user.id] = "holiday"
        return away

    def _assign_angry(self, vals_list, todo, pool, angry_agents, reasons):
        """Route the tickets of ``todo`` whose opening message (subject and
        description) is angry enough; return the others. The detector runs
        only for teams that route angry customers."""
        Entry = self.env["care.emotion.entry"]
        left = []
        for index in todo:
            vals = vals_list[index]
            text = "\n".join(
                str(part)
                for part in (vals.get("name"), vals.get("description"))
                if part
            )
            values = Entry._values_from_text(text) if text else {}
            if not (
                values.get("label") == "angry"
                and values["intensity"] >= self.angry_min_intensity
            ):
                left.append(index)
                continue
            skipped = pool.skipped(angry_agents.ids)
            user_id = pool.take(pool.least_loaded(angry_agents.ids))
            rule = self.env._(
                "angry opening message (intensity %(intensity)s)",
                intensity=values["intensity"],
            )
            reasons[index] = self._assign_reason(user_id, rule, skipped)
            if user_id:
                vals["user_id"] = user_id
            else:
                # None of them is free: the team's method decides, and says so.
                left.append(index)
        return left

    def _assign_reason(self, user_id, rule, skipped):
        """The chatter line of one decision: "Assigned to X: balanced; Y is on
        leave, Z is at capacity". ``skipped``: ``AgentPool.skipped()`` as it
        was before the decision."""
        Users = self.env["res.users"].sudo()
        if user_id:
            text = self.env._(
                "Assigned to %(agent)s: %(rule)s",
                agent=Users.browse(user_id).name,
                rule=rule,
            )
        else:
            text = self.env._("Not assigned (%(rule)s): nobody is free", rule=rule)
        if skipped:
            text = self.env._(
                "%(decision)s; %(skipped)s",
                decision=text,
                skipped=format_list(
                    self.env,
                    [self._away_text(Users.browse(a).name, why) for a, why in skipped],
                ),
            )
        return Markup("%s") % text

    def _away_text(self, name, why):
        if why == "unavailable":
            return self.env._("%(agent)s is unavailable", agent=name)
        if why == "out_of_office":
            return self.env._("%(agent)s is out of office", agent=name)
        if why == "leave":
            return self.env._("%(agent)s is on leave", agent=name)
        if why == "holiday":
            return self.env._("%(agent)s is on a public holiday", agent=name)
        return self.env._("%(agent)s is at capacity", agent=name)

    def _ensure_assign_sequence(self):
        """Give round-robin teams their turn sequence (a standard
        ``ir.sequence``: a PostgreSQL sequence, no row to lock)."""
        # sudo: sequences are admin records; agents' tickets draw from them.
        teams = self.sudo().filtered(
            lambda t: t.assign_method == "round_robin" and not t.assign_sequence_id
        )
        if not teams:
            return
        sequences = (
            self.env["ir.sequence"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._(
                            "Customer Care: round-robin turns of %(team)s",
                            team=team.display_name,
                        ),
                        "implementation": "standard",
                        "company_id": team.company_id.id,
                    }
                    for team in teams
                ]
            )
        )
        for team, sequence in zip(teams, sequences, strict=True):
            team.assign_sequence_id = sequence

    @api.model
    def _ensure_all_assign_sequences(self):
        """Round-robin teams made before turn sequences existed (called on
        module update, so that no creator has to add one on the fly)."""
        self.with_context(active_test=False).search(
            [("assign_method", "=", "round_robin"), ("assign_sequence_id", "=", False)]
        )._ensure_assign_sequence()

    def _draw_turns(self, count):
        """``count`` round-robin turns of the team, each drawn once, whoever
        draws at the same moment."""
        # Only a team whose sequence was deleted, or switched to round-robin
        # outside the ORM, lacks one here: adding it writes the team row, once.
        self._ensure_assign_sequence()
        # sudo: technical counter; the creating user needs no right on it.
        sequence = self.sudo().assign_sequence_id
        # ir.sequence names its PostgreSQL sequence so (ir.sequence._next_do);
        # one query draws the whole batch.
        rows = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [turn for (turn,) in rows]

    def _assign_returning_customers(self, vals_list, todo, pool, members, reasons):
        partners = self.env["res.partner"].browse(
            {vals_list[i]["partner_id"] for i in todo if vals_list[i].get("partner_id")}
        )
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        if not commercial:
            return todo
        # sudo: the agent creating the ticket may not see the team's older
        # tickets; only the id of their owner is read, never shown.
        groups = (
            self.env["care.ticket"]
            .sudo()
            ._read_group(
                [
                    ("team_id", "=", self.id),
                    ("commercial_partner_id", "in", list(set(commercial.values()))),
                    ("user_id", "in", members.ids),
                ],
                ["commercial_partner_id", "user_id"],
                ["id:max"],
            )
        )
        last = {}
        for partner, user, max_id in groups:
            if max_id > last.get(partner.id, (0, None))[0]:
                last[partner.id] = (max_id, user.id)
        left = []
        rule = self.env._("same agent as the customer's last ticket")
        for index in todo:
            found = last.get(commercial.get(vals_list[index].get("partner_id")))
            if found and pool.is_free(found[1]):
                vals_list[index]["user_id"] = pool.take(found[1])
                reasons[index] = self._assign_reason(found[1], rule, [])
            else:
                left.append(index)
        return left

    def _assign_round_robin(self, vals_list, todo, pool, reasons):
        rule = self.env._("round-robin")
        for index, turn in zip(todo, self._draw_turns(len(todo)), strict=True):
            skipped = pool.skipped()
            user_id = pool.take(pool.in_turn(turn))
            if user_id:
                vals_list[index]["user_id"] = user_id
            reasons[index] = self._assign_reason(user_id, rule, skipped)

    def _assign_balanced(self, vals_list, todo, pool, reasons):
        rule = self.env._("balanced")
        for index in todo:
            skipped = pool.skipped()
            user_id = pool.take(pool.least_loaded())
            if user_id:
                vals_list[index]["user_id"] = user_id
            reasons[index] = self._assign_reason(user_id, rule, skipped)
