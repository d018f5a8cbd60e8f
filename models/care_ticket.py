"""The care ticket: its fields and every override of the ORM and of
``mail.thread`` (create, write, the mail gateway, the posted-message hook).

What a ticket does when it is created, changed or written to is read here, top
to bottom. The feature files hold helpers that these overrides call by name:

* ``care_ticket_sla_engine.py`` (``care.ticket.sla.engine``): SLA status lines;
* ``care_ticket_emotion.py`` (``care.ticket.emotion``): the emotion journal;
* ``care_ticket_portal.py`` (``care.ticket.portal``): what customers may do;
* ``care_ticket_attachment.py`` (``care.ticket.attachment``): the file rules of
  mail intake, the portal and the public form;
* ``care_ticket_crm.py`` (``care.ticket.crm``): the opportunity of a ticket;
* ``care_follow_up.py`` (``care.ticket.follow.up``): follow-ups of customers;
* ``care_ticket_sale.py`` (``care.ticket.sale``): the customer's orders, linked
  when a message names them;
* ``care_ticket_auto_close.py`` (``care.ticket.auto.close``): reminders and
  automatic closing of tickets waiting on a silent customer;
* ``care_ticket_livechat.py`` (``care.ticket.livechat``): tickets made from
  Odoo's live chat, their transcript and later chat lines;
* ``care_ticket_callback.py`` (``care.ticket.callback``): the customer's
  call-back requests.
"""

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.fields import Domain

from ..lib.vntext import fold, phone_key
from .care_ticket_auto_close import AUTO_CLOSE_FIELDS
from .care_ticket_sla_engine import LINE_STATUS, SLA_CONDITION_FIELDS, sla_summary
from .locking import CONCURRENCY_ERRORS, MAX_JOB_CONFLICTS, lock_free_rows

_logger = logging.getLogger(__name__)

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("chat", "Chat"),
    ("portal", "Portal"),
    ("web_form", "Web Form"),
    ("walk_in", "Walk-in"),
    ("social", "Social Network"),
]
CARE_GROUP = "customer_care.customer_care_group_user"
# Notices sent per committed batch of the notice job.
NOTICE_BATCH_SIZE = 200
NOTICE_PENDING_DOMAIN = [
    "|",
    ("ack_pending", "=", True),
    ("assign_notice_pending", "=", True),
]


class CareTicket(models.Model):
    _name = "care.ticket"
    _description = "Care Ticket"
    _inherit = [
        "mail.thread.cc",
        "mail.activity.mixin",
        "portal.mixin",
        "rating.mixin",
        # Helpers only (no ORM override): called by name from this file.
        "care.ticket.sla.engine",
        "care.ticket.emotion",
        "care.ticket.portal",
        "care.ticket.attachment",
        "care.ticket.sale",
        "care.ticket.crm",
        "care.ticket.follow.up",
        "care.ticket.auto.close",
        "care.ticket.livechat",
        "care.ticket.callback",
    ]
    _order = "priority desc, id desc"
    _primary_email = "partner_email"
    _rec_names_search = ["number", "name"]
    _check_company_auto = True
    _mail_post_access = "read"

    def _default_team_id(self):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return self.env["care.team"].browse(team_id)
        company = self.env.company
        teams = self.env["care.team"].search(
            [("company_id", "=", company.id), ("is_member", "=", True)], limit=1
        )
        return teams or self.env["care.team"].search(
            [("company_id", "=", company.id)], limit=1
        )

    # Stored computes of a new ticket are precomputed (precompute=True): they
    # go into its INSERT instead of an UPDATE of the row just inserted, which
    # would add an entry to each of the table's indexes again.

    # ---- identification ----
    number = fields.Char(
        readonly=True, copy=False, index=True, default="/", tracking=True
    )
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    # ---- handling ----
    team_id = fields.Many2one(
        "care.team",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_id = fields.Many2one(
        "care.stage",
        compute="_compute_stage_id",
        precompute=True,
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(
        related="stage_id.is_closing",
        store=True,
        precompute=True,
        index=True,
        string="Closed",
    )
    is_waiting = fields.Boolean(
        related="stage_id.is_waiting", string="Waiting on Customer"
    )
    priority = fields.Selection(
        PRIORITIES, default="1", required=True, index=True, tracking=True
    )
    type_id = fields.Many2one("care.ticket.type", tracking=True)
    sale_flow = fields.Selection(related="type_id.sale_flow")
    tag_ids = fields.Many2many(
        "care.tag", "care_ticket_tag_rel", "ticket_id", "tag_id", string="Tags"
    )
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="phone",
        tracking=True,
        help="Where the request came from.",
    )

    # ---- customer ----
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True
    )
    # Indexed by _commercial_partner_team_idx below (this column first).
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        precompute=True,
        store=True,
        string="Customer Company",
    )
    partner_name = fields.Char(
        string="Customer Name",
        compute="_compute_partner_fields",
        precompute=True,
        store=True,
        readonly=False,
    )
    partner_email = fields.Char(
        string="Customer Email",
        compute="_compute_partner_fields",
        precompute=True,
        store=True,
        readonly=False,
    )
    partner_phone = fields.Char(
        string="Customer Phone",
        compute="_compute_partner_fields",
        precompute=True,
        store=True,
        readonly=False,
    )

    # ---- dates ----
    date_assigned = fields.Datetime(string="Assigned on", readonly=True, copy=False)
    date_first_reply = fields.Datetime(
        string="First Reply on",
        readonly=True,
        copy=False,
        help="First public reply of an agent to the customer.",
    )
    date_last_agent_reply = fields.Datetime(
        string="Last Agent Reply", readonly=True, copy=False
    )
    date_last_customer_message = fields.Datetime(
        string="Last Customer Message", readonly=True, copy=False
    )
    date_last_stage_update = fields.Datetime(
        string="Last Stage Update",
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
    )
    date_closed = fields.Datetime(
        string="Closed on",
        compute="_compute_date_closed",
        # Not precomputed: Odoo drops a readonly precomputed field from the
        # create values, and a closing date given with them (an import, the
        # demo's history) must be kept.
        store=True,
        copy=False,
        # The KPIs and reports select the tickets solved in a period.
        index="btree_not_null",
    )
    # What the customer calls the ticket's last update (portal list and sort):
    # the last message either way or change of status. Not write_date, which
    # internal work moves too and which is the install day for imported or
    # demo tickets.
    date_last_update = fields.Datetime(
        string="Last Update",
        compute="_compute_date_last_update",
        store=True,
        precompute=True,
        copy=False,
    )
    reopen_count = fields.Integer(readonly=True, copy=False)
    agent_reply_count = fields.Integer(
        string="Agent Replies",
        readonly=True,
        copy=False,
        help="Public replies of agents to the customer: a ticket solved with one "
        "reply and never reopened is solved at first contact (FCR).",
    )
    ack_pending = fields.Boolean(
        string="Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="Technical: the acknowledgement is sent shortly after creation by a "
        "scheduled action, so receiving mail stays fast.",
    )
    assign_notice_pending = fields.Boolean(
        string="Assignment Notice Pending",
        readonly=True,
        copy=False,
        help="Technical: the agent a new ticket was assigned to is told by the same "
        "scheduled action.",
    )

    # ---- search ----
    search_key = fields.Char(
        compute="_compute_search_key",
        precompute=True,
        store=True,
        index="trigram",
        help="Technical: number, subject and customer without accents, for "
        "accent-insensitive search.",
    )
    text_search = fields.Char(
        string="Ticket",
        compute="_compute_text_search",
        search="_search_text_search",
        help="Number, subject or customer; accents are ignored.",
    )

    # ---- rating (rating.mixin) ----
    # rating.mixin's field, precomputed: a new ticket has no rating, its last
    # value (0) goes into the INSERT (the compute queries only saved tickets).
    rating_last_value = fields.Float(
        groups="base.group_user",
        compute="_compute_rating_last_value",
        compute_sudo=True,
        store=True,
        precompute=True,
        aggregator="avg",
    )

    # ---- SLA (lines kept by models/care_ticket_sla_engine.py) ----
    sla_line_ids = fields.One2many("care.ticket.sla", "ticket_id", string="SLA")
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla",
        store=True,
        index=True,
        help="Nearest deadline of the running SLA clocks.",
    )
    sla_status = fields.Selection(
        LINE_STATUS,
        string="SLA Status",
        compute="_compute_sla",
        store=True,
        index=True,
        help="Worst status of the ticket's SLA targets.",
    )
    # Working hours the department took, read from the SLA lines once they
    # are reached, and kept on the ticket row so that the KPIs (care.kpi)
    # aggregate one table instead of grouping the lines per ticket.
    first_response_hours = fields.Float(
        string="First Response (h)",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
        aggregator="avg",
        help="Working hours from the creation to the first reply (SLA clock).",
    )
    resolution_hours = fields.Float(
        string="Resolution (h)",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
        aggregator="avg",
        help="Working hours from the creation to the solving, waiting on the "
        "customer included (SLA clock).",
    )
    handling_hours = fields.Float(
        string="Handling Time (h)",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
        aggregator="avg",
        help="Resolution time without the time spent waiting on the customer.",
    )
    # A float column stores 0.0 for "none": these say whether the hours above
    # are a figure (a reply before the working day began takes 0.0 h).
    has_first_response_hours = fields.Boolean(
        string="First Response Measured",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
    )
    has_resolution_hours = fields.Boolean(
        string="Resolution Measured",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
    )
    sla_decided_count = fields.Integer(
        string="SLA Targets Decided",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
        help="SLA targets of the ticket that were reached or failed.",
    )
    sla_reached_count = fields.Integer(
        string="SLA Targets Met",
        compute="_compute_sla_figures",
        store=True,
        readonly=True,
        help="SLA targets of the ticket that were reached in time.",
    )

    # ---- emotion journal (models/care_ticket_emotion.py) ----
    emotion_entry_ids = fields.One2many(
        "care.emotion.entry", "ticket_id", string="Emotion Journal", groups=CARE_GROUP
    )
    emotion_entry_count = fields.Integer(
        compute="_compute_emotion_entry_count", groups=CARE_GROUP
    )
    # The mood belongs to the customer (the company of a contact), as the
    # journal entries do (commercial_partner_id).
    care_mood = fields.Selection(
        string="Customer Mood",
        related="commercial_partner_id.care_mood",
        groups=CARE_GROUP,
    )
    care_mood_score = fields.Float(
        string="Mood Score",
        related="commercial_partner_id.care_mood_score",
        groups=CARE_GROUP,
    )
    care_mood_trend = fields.Selection(
        string="Mood Trend",
        related="commercial_partner_id.care_mood_trend",
        groups=CARE_GROUP,
    )
    care_review_url = fields.Char(
        compute="_compute_care_review_url",
        help="Technical: where the thank-you mail invites the customer to write a "
        "review (system parameter customer_care.review_url, else the company "
        "website).",
    )

    # ---- sales conversion (computed in models/care_ticket_sale.py) ----
    # Here, not in the helper: a related field and a monetary field need the
    # ticket's company_id.
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    quotation_count = fields.Integer(
        compute="_compute_conversion",
        store=True,
        precompute=True,
        help="Quotations created from this ticket.",
    )
    is_converted = fields.Boolean(
        string="Converted to Sale",
        compute="_compute_conversion",
        store=True,
        precompute=True,
        help="A quotation created from this ticket was confirmed.",
    )
    converted_amount = fields.Monetary(
        compute="_compute_conversion",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
        help="Untaxed amount of the confirmed orders quoted from this ticket, in "
        "the company's currency.",
    )

    # ---- portal (models/care_ticket_portal.py) ----
    parent_ticket_id = fields.Many2one(
        "care.ticket",
        string="Follow-up of",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The closed ticket the customer wrote to again after the reopening "
        "grace period: this ticket continues it.",
    )
    # ---- escalation (wizard/care_ticket_escalate.py) ----
    escalation_ids = fields.One2many(
        "care.ticket.escalation", "ticket_id", string="Escalations"
    )
    escalation_count = fields.Integer(
        compute="_compute_escalation_count",
        store=True,
        precompute=True,
        string="Escalations (count)",
    )
    escalation_rate = fields.Float(
        string="Escalation Rate (%)",
        compute="_compute_escalation_count",
        store=True,
        precompute=True,
        aggregator="avg",
        help="100 for an escalated ticket, 0 otherwise: its average over a group "
        "of tickets is their escalation rate.",
    )

    # ---- merge (wizard/care_ticket_merge.py) ----
    merged_into_id = fields.Many2one(
        "care.ticket",
        string="Merged into",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="This ticket was a duplicate: it was closed and its messages, files, "
        "followers and orders moved to that ticket. Reports count the ticket "
        "it was merged into only.",
    )
    merged_ticket_ids = fields.One2many(
        "care.ticket", "merged_into_id", string="Merged Tickets"
    )
    customer_open_ticket_count = fields.Integer(
        string="Other Open Tickets",
        compute="_compute_customer_open_ticket_count",
        help="Open tickets of the same customer (company), this one left out.",
    )

    order_reference = fields.Char(
        copy=False,
        help="Order reference as the customer typed it on the portal or public "
        "form. When it names one of the customer's own orders, that order is "
        "linked (Sales Orders); the text is kept either way.",
    )

    _number_company_uniq = models.UniqueIndex(
        "(company_id, number)", "Ticket numbers must be unique per company."
    )
    # "is_closed = False" in a domain becomes "is_closed IS NOT TRUE" in SQL, and
    # every search adds "active IS TRUE": the predicate is written the same way so
    # that PostgreSQL uses the index. With the company (multi-company rule) in
    # it, the counts of open tickets (kanban, dashboard, balanced assignment) are
    # answered from the index alone, without reading the table.
    _team_open_idx = models.Index(
        "(team_id, user_id, priority) INCLUDE (company_id) "
        "WHERE is_closed IS NOT TRUE AND active IS TRUE"
    )
    # Odoo's loop detection counts, on every incoming mail, the sender's tickets
    # created in the last minutes: with the date in the index it reads only
    # those, not every ticket of a long-standing customer (5 ms -> 0.15 ms).
    _partner_email_idx = models.Index(
        "(partner_email, create_date) WHERE partner_email IS NOT NULL"
    )
    # The KPIs (models/care_kpi.py) count the tickets created in a period, of
    # a company: an index range scan instead of reading the whole table.
    _company_created_idx = models.Index("(company_id, create_date)")
    # The customer's tickets (portal list, open-ticket count, 360° page) and
    # the record rules that ask "does this customer have a ticket of one of
    # my teams?" (emotion journal): with the team and agent in the index,
    # PostgreSQL answers that per customer from the index instead of hashing
    # every ticket the agent may read (360° page at 100k tickets: the emotion
    # rows of its page query 60 ms -> 0.3 ms). Replaces the plain index on
    # commercial_partner_id (same first column, no extra index to maintain).
    _commercial_partner_team_idx = models.Index(
        "(commercial_partner_id, team_id, user_id)"
    )
    # The few archived tickets, which the KPIs leave out of the SLA lines they
    # count (with the merged ones: care_ticket__merged_into_id_index).
    _archived_idx = models.Index("(id) WHERE active IS NOT TRUE")
    _notice_pending_idx = models.Index(
        "(id) WHERE ack_pending OR assign_notice_pending"
    )
    # The auto-close job reads the due tickets only ("auto_close_at <= now"):
    # the few waiting tickets are in the index, not the whole table.
    _auto_close_due_idx = models.Index(
        "(auto_close_at) WHERE auto_close_at IS NOT NULL"
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("team_id")
    def _compute_stage_id(self):
        first_stage = {}
        for ticket in self:
            team = ticket.team_id
            if ticket.stage_id and (
                not team
                or not ticket.stage_id.team_ids
                or team in ticket.stage_id.team_ids
            ):
                continue
            if team.id not in first_stage:
                first_stage[team.id] = ticket._first_stage(team)
            ticket.stage_id = first_stage[team.id]

    @api.model
    def _first_stage(self, team, domain=None):
        # Stages linked to no team are shared by every team.
        domain = Domain(domain or Domain.TRUE) & (
            Domain("team_ids", "=", False) | Domain("team_ids", "in", team.id)
            if team
            else Domain.TRUE
        )
        return self.env["care.stage"].search(domain, order="sequence, id", limit=1)

    @api.depends("partner_id")
    def _compute_partner_fields(self):
        for ticket in self:
            partner = ticket.partner_id
            if partner:
                ticket.partner_name = partner.name
                ticket.partner_email = (
                    tools.email_normalize(partner.email)
                    or partner.email
                    or ticket.partner_email
                )
                ticket.partner_phone = partner.phone or ticket.partner_phone

    @api.depends("is_closed")
    def _compute_date_closed(self):
        now = fields.Datetime.now()
        for ticket in self:
            if not ticket.is_closed:
                ticket.date_closed = False
            elif not ticket.date_closed:
                ticket.date_closed = now

    @api.depends(
        "create_date",
        "date_last_agent_reply",
        "date_last_customer_message",
        "date_last_stage_update",
    )
    def _compute_date_last_update(self):
        for ticket in self:
            dates = [
                date
                for date in (
                    ticket.date_last_agent_reply,
                    ticket.date_last_customer_message,
                    ticket.date_last_stage_update,
                )
                if date
            ]
            # The creation date only for rows that have none of the others.
            ticket.date_last_update = max(dates, default=ticket.create_date)

    @api.depends("number", "name", "partner_name", "partner_email", "partner_phone")
    def _compute_search_key(self):
        for ticket in self:
            parts = [
                ticket.number,
                ticket.name,
                ticket.partner_name,
                ticket.partner_email,
                phone_key(ticket.partner_phone),
            ]
            ticket.search_key = fold(" ".join(p for p in parts if p))

    def _compute_text_search(self):
        for ticket in self:
            ticket.text_search = ticket.display_name

    def _search_text_search(self, operator, value):
        if operator not in ("ilike", "not ilike", "=like", "like") or not isinstance(
            value, str
        ):
            return NotImplemented
        key = fold(value)
        phone = phone_key(value)
        domain = Domain("search_key", "ilike", key)
        if phone:
            domain |= Domain("search_key", "ilike", phone)
        return ~domain if operator == "not ilike" else domain

    @api.model
    def _search_display_name(self, operator, value):
        # Accent-insensitive quick search (many2one fields, command palette).
        if operator in ("ilike", "not ilike") and isinstance(value, str) and value:
            return self._search_text_search(operator, value)
        return super()._search_display_name(operator, value)

    @api.depends(
        "sla_line_ids.deadline",
        "sla_line_ids.status",
        "sla_line_ids.paused_since",
        "sla_line_ids.restarted_on",
    )
    def _compute_sla(self):
        for ticket in self:
            # Lines an escalation superseded are history (_sla_supersede).
            ticket.sla_deadline, ticket.sla_status = sla_summary(
                (line.status, line.paused_since, line.deadline)
                for line in ticket.sla_line_ids
                if not line.restarted_on
            )

    @api.depends(
        "sla_line_ids.kind",
        "sla_line_ids.status",
        "sla_line_ids.working_time",
        "sla_line_ids.reached_at",
        "sla_line_ids.hours_used",
        "sla_line_ids.paused_hours",
    )
    def _compute_sla_figures(self):
        for ticket in self:
            hours = ticket.sla_line_ids._care_kpi_figures()
            ticket.has_first_response_hours = hours["first_response"] is not None
            ticket.has_resolution_hours = hours["resolution"] is not None
            ticket.first_response_hours = hours["first_response"] or 0.0
            ticket.resolution_hours = hours["resolution"] or 0.0
            ticket.handling_hours = hours["handling"] or 0.0
            ticket.sla_decided_count = hours["decided"]
            ticket.sla_reached_count = hours["reached"]

    @api.depends("escalation_ids")
    def _compute_escalation_count(self):
        for ticket in self:
            ticket.escalation_count = len(ticket.escalation_ids)
            ticket.escalation_rate = 100.0 if ticket.escalation_ids else 0.0

    @api.depends("commercial_partner_id")
    def _compute_customer_open_ticket_count(self):
        tickets = self.filtered(lambda t: t.id and t.commercial_partner_id)
        counts = dict(
            self._read_group(
                [
                    ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
                    ("is_closed", "=", False),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
            if tickets
            else []
        )
        for ticket in self:
            count = counts.get(ticket.commercial_partner_id, 0)
            if ticket in tickets and not ticket.is_closed:
                count -= 1
            ticket.customer_open_ticket_count = max(count, 0)

    @api.depends("emotion_entry_ids")
    def _compute_emotion_entry_count(self):
        counts = dict(
            self.env["care.emotion.entry"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.emotion_entry_count = counts.get(ticket, 0)

    def _compute_care_review_url(self):
        # sudo: reads one system parameter, a public URL.
        url = (
            self.env["ir.config_parameter"].sudo().get_param("customer_care.review_url")
        )
        for ticket in self:
            ticket.care_review_url = url or ticket.company_id.website or False

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            if ticket.number and ticket.number != "/":
                ticket.display_name = f"{ticket.number} {ticket.name or ''}".strip()
            else:
                ticket.display_name = ticket.name or ""

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search = Domain("team_ids", "=", False)
        if team_id:
            search |= Domain("team_ids", "in", team_id)
        return stages.search(
            Domain("id", "in", stages.ids) | search, order="sequence, id"
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """New tickets, in this order: their values are completed before the
        insert (customer, agent, notice flags, number: no write after it);
        ``mail.thread`` inserts them and subscribes the creator, the team's
        followers, the agent and the customer; then the creation message, then
        the SLA lines of the policies that apply."""
        reasons = self._prepare_new_vals(vals_list)
        # The "assigned to you" mail, like the acknowledgement, is sent by the
        # notice job (_send_pending_notices): rendering mail in the request
        # costs more than the ticket. The creation message is written below.
        log = not (
            self.env.context.get("mail_create_nolog")
            or self.env.context.get("tracking_disable")
        )
        create_ctx = {"mail_auto_subscribe_no_notify": True, "mail_create_nolog": True}
        tickets = super(CareTicket, self.with_context(**create_ctx)).create(vals_list)
        tickets = tickets.with_env(self.env)
        if log:
            tickets._log_creation(reasons)
        if self.env.context.get("tracking_disable"):
            tickets._subscribe_customers()
        # Lines given with the values (an import) count as their policy's lines.
        tickets._sla_apply(
            new=True, with_lines=any("sla_line_ids" in vals for vals in vals_list)
        )
        tickets._auto_close_recompute()
        return tickets

    def write(self, vals):
        self._normalize_email_vals(vals)
        now = fields.Datetime.now()
        if "stage_id" in vals:
            vals.setdefault("date_last_stage_update", now)
        if vals.get("user_id"):
            vals.setdefault("date_assigned", now)
        if "partner_id" in vals:
            # A new customer must not keep the old customer's link to the ticket.
            vals["access_token"] = False
        reassign = (
            vals.get("team_id")
            and "user_id" not in vals
            and self.filtered(lambda t: t.team_id.id != vals["team_id"])
        )
        # The SLA clocks follow the stage: remember where each ticket was.
        old_stages = None
        if "stage_id" in vals or "team_id" in vals:
            old_stages = {ticket.id: ticket.stage_id for ticket in self}
        # mail.thread subscribes a new customer (_message_auto_subscribe_followers).
        res = super().write(vals)
        if vals.get("partner_id") and self.env.context.get("tracking_disable"):
            self._subscribe_customers()
        if reassign:
            reassign._reassign_to_team()
        cache = {}
        if old_stages is not None:
            self._sla_stage_changed(old_stages, cache)
        if SLA_CONDITION_FIELDS.intersection(vals):
            self._sla_apply(cache=cache)
        if AUTO_CLOSE_FIELDS.intersection(vals):
            self._auto_close_recompute()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for ticket, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%s (copy)", ticket.name))
        return vals_list

    # ---- helpers of create ----

    def _prepare_new_vals(self, vals_list):
        """Complete the values of new tickets before their insert: customer
        (found or created), agent (the team's assignment method), notice flags
        and number. Return, for each ticket, why its team assigned it (or
        ``None``), for the creation message."""
        now = fields.Datetime.now()
        reasons = [None] * len(vals_list)
        to_assign = defaultdict(list)
        for vals in vals_list:
            self._normalize_email_vals(vals)
            if not vals.get("partner_id") and (
                vals.get("partner_email") or vals.get("partner_phone")
            ):
                partner = self._find_or_create_partner(
                    vals.get("partner_email"),
                    vals.get("partner_phone"),
                    vals.get("partner_name"),
                )
                vals["partner_id"] = partner.id
        for index, vals in enumerate(vals_list):
            if vals.get("team_id") and not vals.get("user_id"):
                to_assign[vals["team_id"]].append(index)
        for team_id, indexes in to_assign.items():
            team = self.env["care.team"].browse(team_id)
            if team._assigns():
                decided = team._assign_vals([vals_list[i] for i in indexes])
                for index, reason in zip(indexes, decided, strict=True):
                    reasons[index] = reason
        acknowledge = not (
            self.env.context.get("care_no_ack")
            or self.env.context.get("care_mail_auto_submitted")
        )
        for vals in vals_list:
            if vals.get("user_id"):
                vals.setdefault("date_assigned", now)
                if vals["user_id"] != self.env.uid:
                    vals["assign_notice_pending"] = True
            if acknowledge and vals.get("team_id") and vals.get("partner_id"):
                vals["ack_pending"] = True
        self._set_numbers(vals_list)
        return reasons

    def _log_creation(self, reasons=None):
        """The creation message of new tickets, as ``mail.thread.create`` writes
        it (``_creation_subtype``, ``_creation_message``), with one difference:
        it is posted, which notifies, only where someone besides its author
        follows "Ticket Created"; the other tickets get it in one
        ``_message_log_batch`` (one insert for the batch, where a post costs
        about 5 ms per ticket).

        ``reasons`` (aligned with ``self``): why the team assigned each ticket,
        added to its creation message: the decision costs no message of its
        own."""
        bodies = {
            ticket.id: ticket._creation_message()
            + (Markup("<br/>") + reason if reason else "")
            for ticket, reason in zip(self, reasons or [None] * len(self), strict=True)
        }
        subtype = self._creation_subtype()
        author = self.env.user.partner_id
        # sudo: followers are technical rows of tickets the caller just created.
        listened = self.browse(
            self.env["mail.followers"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("subtype_ids", "in", subtype.ids),
                    ("partner_id", "!=", author.id),
                ],
                ["res_id"],
            )
            .mapped("res_id")
        )
        for ticket in listened:
            # sudo: as mail.thread.create, the creator may not have post rights.
            ticket.sudo().message_post(
                subtype_id=subtype.id,
                author_id=author.id,
                body=Markup('<div summary="o_mail_notification"><p>%s</p></div>')
                % bodies[ticket.id],
            )
        quiet = self - listened
        if quiet:
            # sudo: as mail.thread.create; as sudo, the author's address and the
            # company's reply-to are not read through the record rules on
            # partners and companies, which cost more than the log itself.
            quiet.sudo()._message_log_batch(
                bodies={ticket.id: bodies[ticket.id] for ticket in quiet},
                author_id=author.id,
            )

    # ------------------------------------------------------------------
    # Business helpers
    # ------------------------------------------------------------------

    def _set_numbers(self, vals_list):
        """Number each new ticket from its company's sequence.

        The sequence is a PostgreSQL sequence (``implementation=standard``): two
        workers numbering at once never get the same number and never wait on
        each other.
        """
        sequences = {}
        for vals in vals_list:
            if vals.get("number", "/") != "/":
                continue
            company_id = vals.get("company_id") or self.env.company.id
            if company_id not in sequences:
                # sudo: sequences are admin records; only the next number is read.
                sequences[company_id] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .search(
                        [
                            ("code", "=", "care.ticket"),
                            ("company_id", "in", [company_id, False]),
                        ],
                        order="company_id",
                        limit=1,
                    )
                )
            sequence = sequences[company_id]
            vals["number"] = sequence.next_by_id() if sequence else "/"

    @api.model
    def _normalize_email_vals(self, vals):
        """Store the bare address: ``"An <an@x.vn>"`` becomes ``an@x.vn``, so
        loop detection, matching and search compare like with like."""
        email = vals.get("partner_email")
        if email:
            vals["partner_email"] = tools.email_normalize(email) or email.strip()
            if not vals.get("partner_name") and not vals.get("partner_id"):
                name = tools.parse_contact_from_email(email)[0]
                if name:
                    vals["partner_name"] = name

    def _reassign_to_team(self):
        """After an escalation to another team: keep the agent if they are in it,
        otherwise let the new team's assignment method choose."""
        by_team = defaultdict(list)
        for ticket in self:
            if ticket.user_id and ticket.user_id in ticket.team_id.member_ids:
                continue
            vals = {"partner_id": ticket.partner_id.id}
            by_team[ticket.team_id].append((ticket, vals))
        for team, pairs in by_team.items():
            vals_list = [vals for __, vals in pairs]
            reasons = [None] * len(pairs)
            if team._assigns():
                reasons = team._assign_vals(vals_list)
            for (ticket, vals), reason in zip(pairs, reasons, strict=True):
                ticket.user_id = vals.get("user_id", False)
                if reason:
                    ticket._message_log(body=reason)

    @api.model
    def _find_or_create_partner(self, email, phone=None, name=None, lang=None):
        """Find the customer by email, then by Vietnamese phone number; create one
        when nobody matches. ``sudo`` is not used: the caller's rights apply.

        A new customer speaks ``lang`` (the language the visitor chose on the
        web form), else the company's: mail comes in as OdooBot or the
        superuser, in English, and the acknowledgement would follow. The
        "Contact created" log is written for the company's staff, in the
        company's language, as ``_`` does in an environment of that language."""
        Partner = self.env["res.partner"]
        email_normalized = tools.email_normalize(email) if email else False
        if email_normalized:
            partner = Partner.search(
                [("email_normalized", "=", email_normalized)], limit=1
            )
            if partner:
                return partner
        partner = Partner._care_find_by_phone(phone)
        if partner:
            return partner
        if not (email_normalized or phone_key(phone)):
            return Partner
        values = {
            "name": name or (email_normalized or phone),
            "email": email_normalized or False,
            "phone": phone or False,
        }
        if email and not name:
            parsed = tools.parse_contact_from_email(email)
            values["name"] = parsed[0] or parsed[1] or email
        company_lang = self._company_lang()
        values["lang"] = lang or company_lang
        return Partner.with_context(lang=company_lang).create(values)

    @api.model
    def _company_lang(self):
        """The language of the current company (its partner's), if active,
        else the environment's."""
        lang = self.env.company.partner_id.lang
        return (lang and self.env["res.lang"]._get_code(lang)) or self.env.lang

    @api.model
    def _cron_send_notices(self, batch_size=None):
        """Send pending notices batch after batch, committing each with the
        count still pending: ir.cron runs a job that stops on its time budget
        with work left again at once, instead of after its interval.

        Rows another worker holds are left to it. When this transaction saw
        rows another worker has just committed, it starts over with a new
        one, quietly: a few times at most, then the rest waits for the next
        run.
        """
        IrCron = self.env["ir.cron"]
        batch_size = batch_size or NOTICE_BATCH_SIZE
        conflicts = 0
        while True:
            try:
                with self.env.cr.savepoint():
                    done = self._send_pending_notices(batch_size)
            except CONCURRENCY_ERRORS:
                conflicts += 1
                if conflicts > MAX_JOB_CONFLICTS:
                    _logger.info("Notices: rows in use by another worker, next run")
                    IrCron._commit_progress(remaining=0)
                    return
                IrCron._commit_progress()  # a new transaction, fresh rows
                continue
            # When nothing could be taken, what is pending is another
            # worker's: reported as nothing left, so this job is not rerun
            # for it at once.
            remaining = self.search_count(NOTICE_PENDING_DOMAIN) if done else 0
            time_left = IrCron._commit_progress(done, remaining=remaining)
            if not remaining or time_left <= 0:
                return

    @api.model
    def _send_pending_notices(self, limit=NOTICE_BATCH_SIZE):
        """Acknowledge new tickets to their customers and tell agents about the
        tickets assigned to them at creation; return how many tickets were done.

        Deferred from ``create`` so that mail intake and ticket creation stay
        fast (rendering and mailing cost more than the ticket itself). Rows
        another worker holds are skipped, so two workers never send the same
        notice twice; rows it committed since this transaction began raise
        one of ``CONCURRENCY_ERRORS`` (see ``lock_free_rows``).
        """
        tickets = self.search(NOTICE_PENDING_DOMAIN, limit=limit)
        tickets = lock_free_rows(tickets)
        if not tickets:
            return 0
        acks = tickets.filtered("ack_pending")
        acks._send_acknowledgement()
        for ticket in tickets.filtered("assign_notice_pending"):
            if ticket.user_id:
                ticket._message_auto_subscribe_notify(
                    ticket.user_id.partner_id.ids, "mail.message_user_assigned"
                )
        tickets.write({"ack_pending": False, "assign_notice_pending": False})
        return len(tickets)

    def _send_acknowledgement(self):
        by_template = defaultdict(lambda: self.browse())
        for ticket in self:
            template = ticket.team_id.ack_template_id
            if template and ticket.partner_id.email:
                by_template[template] |= ticket
        for template, tickets in by_template.items():
            tickets.with_context(care_ack=True).message_post_with_source(
                template,
                subtype_xmlid="customer_care.mt_ticket_ack",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _reopen(self):
        """Move closed tickets back to their team's first open stage."""
        for ticket in self.filtered("is_closed"):
            stage = ticket._first_stage(
                ticket.team_id, [("is_closing", "=", False), ("fold", "=", False)]
            )
            if stage:
                ticket.write(
                    {"stage_id": stage.id, "reopen_count": ticket.reopen_count + 1}
                )

    @api.model
    def _working_stage(self, team):
        """The stage where ``team`` works on its tickets: its first stage
        after "new" (the team's first one) that neither waits on the customer
        nor closes the ticket; "new" itself if the team has no such stage."""
        new = self._first_stage(team)
        open_stage = Domain("is_waiting", "=", False) & Domain("is_closing", "=", False)
        return self._first_stage(
            team, open_stage & Domain("fold", "=", False) & Domain("id", "!=", new.id)
        ) or new.filtered(lambda stage: not (stage.is_waiting or stage.is_closing))

    def _back_to_work(self):
        """The customer answered tickets that waited on them: move them to
        their team's working stage (as Zendesk and Freshdesk do), so that the
        SLA clocks run again. The stage change is tracked in the chatter."""
        for team, tickets in self.filtered("is_waiting").grouped("team_id").items():
            stage = self._working_stage(team)
            if stage:
                tickets.write({"stage_id": stage.id})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_close(self):
        """Move the tickets to their team's first closing stage: one write per
        stage (the auto-close job closes a batch at once)."""
        by_stage = defaultdict(lambda: self.browse())
        for team, tickets in self.grouped("team_id").items():
            stage = self._first_stage(team, [("is_closing", "=", True)])
            if stage:
                by_stage[stage] |= tickets
        for stage, tickets in by_stage.items():
            tickets.stage_id = stage

    def action_reopen(self):
        self._reopen()

    def action_log_contact(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_log_contact_action"
        )
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_channel": self.env.context.get("care_channel", "phone"),
        }
        return action

    def action_escalate(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_escalate_action"
        )
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_apply_macro(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_apply_macro_action"
        )
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_view_customer_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("is_closed", "=", False),
            ("id", "!=", self.id),
        ]
        action["context"] = {"default_partner_id": self.partner_id.id}
        action["display_name"] = self.env._(
            "Open tickets of %(customer)s", customer=self.commercial_partner_id.name
        )
        action["view_mode"] = "list,form,kanban"
        action["views"] = [(False, "list"), (False, "form"), (False, "kanban")]
        return action

    def action_view_merged_into(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "care.ticket",
            "res_id": self.merged_into_id.id,
            "views": [(False, "form")],
        }

    def action_view_emotion_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_emotion_entry_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_source": "manual",
        }
        return action

    # ------------------------------------------------------------------
    # Personal data (models/care_privacy.py)
    # ------------------------------------------------------------------

    @api.model
    def _care_personal_data(self, partners):
        """A customer's tickets: exported whole; on erasure their identity and
        words go, while dates, stage, team, type, SLA lines and scores stay
        for the statistics. Messages and attachments come with every chatter
        (care.privacy)."""
        tickets = self.search(
            [("partner_id", "in", partners.ids)], order="create_date, id"
        )
        return [
            {
                "records": tickets,
                "export": [
                    "number",
                    "name",
                    "description",
                    "create_date",
                    "date_closed",
                    "stage_id",
                    "team_id",
                    "type_id",
                    "channel",
                    "priority",
                    "partner_name",
                    "partner_email",
                    "partner_phone",
                    "order_reference",
                    "rating_last_value",
                    "sale_order_ids",
                    "lead_id",
                ],
                "erase": {
                    "name": self.env._("(erased)"),
                    "description": False,
                    "partner_name": self.env._("(erased)"),
                    "partner_email": False,
                    "partner_phone": False,
                    "order_reference": False,
                },
            }
        ]

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not author and msg_dict.get("email_from"):
            author = self._find_or_create_partner(msg_dict["email_from"])
            msg_dict["author_id"] = author.id
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("channel", "email")
        values["partner_id"] = author.id
        values.setdefault("description", msg_dict.get("body"))
        # The mail that opens the ticket is the customer's first message: the
        # SLA engine opens its every-response cycle with the other lines.
        values.setdefault("date_last_customer_message", fields.Datetime.now())
        if msg_dict.get("cc"):
            values["email_cc"] = ", ".join(
                self._mail_cc_sanitized_raw_dict(msg_dict["cc"]).values()
            )
        # The gateway runs as the alias owner or OdooBot: nobody is assigned by
        # default; the team's assignment method decides.
        ticket = super(
            CareTicket, self.with_context(default_user_id=False)
        ).message_new(msg_dict, custom_values=values)
        # An order of this customer named in the mail is linked (never another
        # customer's: the lookup is bound to the ticket's customer).
        ticket._link_orders_from_text(msg_dict.get("subject"), msg_dict.get("body"))
        _logger.info(
            "Mail %s from %s created ticket %s",
            msg_dict.get("message_id"),
            msg_dict.get("email_from"),
            ticket.number,
        )
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        _logger.info(
            "Mail %s from %s added to ticket(s) %s",
            msg_dict.get("message_id"),
            msg_dict.get("email_from"),
            ", ".join(self.mapped("number")),
        )
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._link_orders_from_text(msg_dict.get("subject"), msg_dict.get("body"))
        return res

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # partner_email holds the bare normalized address (_normalize_email_vals):
        # an equality uses its index, where the default "ilike" scans every ticket
        # on each incoming mail (60 ms at 100k tickets).
        return [("partner_email", "=", email_from_normalized)]

    def _process_attachments_for_post(
        self, attachments, attachment_ids, message_values
    ):
        # Files over the limits are left out, never the message (the rules:
        # models/care_ticket_attachment.py).
        attachments, dropped = self._limit_attachments(attachments)
        result = super()._process_attachments_for_post(
            attachments, attachment_ids, message_values
        )
        if dropped:
            self._note_dropped_attachments(dropped)
        return result

    def message_post(self, **kwargs):
        # Customers may also post through Odoo's standard portal chatter routes
        # (/mail/message/post with a token): the portal's file rules apply there.
        if self.env.user.share and kwargs.get("attachment_ids"):
            attachments = (
                self.env["ir.attachment"].sudo().browse(kwargs["attachment_ids"])
            )
            self._check_customer_files(
                [(a.name, a.file_size, a.mimetype) for a in attachments]
            )
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # A message was posted: what it does to the ticket
    # ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        """Every message posted on tickets (mail, portal, chatter, chat) comes
        here once. It is classified once (agent, customer or neither), then:

        1. the reply dates;
        2. a customer writing on a closed ticket reopens it, or opens a
           follow-up after the grace period; on a ticket waiting on them, it
           moves the ticket back to the team's working stage;
        3. the SLA clocks: an agent's reply reaches the response targets, a
           customer's message opens an every-response cycle (after step 2, so
           that the cycle's clock runs in the stage the ticket is now in);
        4. the emotion journal: an entry for a customer's message (or the link
           of a rating's entry to its message).
        """
        # Before anything moves: step 4 records that the customer wrote on a
        # ticket that was closed, even when step 2 reopens it.
        closed = self.filtered("is_closed")
        res = super()._message_post_after_hook(message, msg_vals)
        if self.env.context.get("care_ack") or self.env.context.get(
            "care_auto_message"
        ):
            # Our own automatic mails (acknowledgement, merge notice): neither
            # an agent's reply nor the customer's. (The auto-close mails are
            # sent in mass mode and posted nothing.)
            return res
        self._message_effects(
            message, msg_vals, self._message_kind(message, msg_vals), closed
        )
        return res

    def _message_effects(self, message, msg_vals, kind, closed):
        """Steps 1 to 4 of ``_message_post_after_hook`` for a message of
        ``kind`` (``_message_kind``). Also called for the lines of a live chat
        linked to the tickets (models/care_ticket_livechat.py), which are
        logged on the ticket without notifying anyone."""
        now = fields.Datetime.now()
        # sudo: technical timestamps of a message its author was allowed to post
        # (a portal customer may post on their ticket but not edit it).
        tickets = self.sudo()
        if kind == "agent":
            # One write per reply count (one group for a single ticket).
            for count, group in tickets.grouped("agent_reply_count").items():
                group.write(
                    {"date_last_agent_reply": now, "agent_reply_count": count + 1}
                )
            tickets.filtered(lambda t: not t.date_first_reply).date_first_reply = now
            self._sla_agent_replied()
        elif kind == "customer":
            tickets.write({"date_last_customer_message": now})
            closed._reopen_or_follow_up(message)
            # sudo (tickets): the customer moves the ticket by writing, not
            # by a right to change its stage.
            (tickets - closed)._back_to_work()
            # The mail that opened the ticket opened its cycle with the other
            # lines (message_new sets date_last_customer_message).
            if msg_vals.get("subtype_id", message.subtype_id.id) != self._subtype_id(
                "customer_care.mt_ticket_new"
            ):
                self._sla_customer_wrote()
        self._journal_message(message, msg_vals, kind, closed)

    def _message_kind(self, message, msg_vals):
        """``"agent"``, ``"customer"`` or ``None``: who spoke in a message, the
        one classification every step of ``_message_post_after_hook`` uses.

        Only public messages count (comments and emails; the mail that opens a
        ticket is posted with the creation subtype). A rating is posted as the
        customer's comment but is not the customer writing again (it would
        reopen the ticket): ``rating_apply`` flags it."""
        if self.env.context.get("care_rating"):
            return None
        message_type = msg_vals.get("message_type", message.message_type)
        if message_type not in ("email", "comment"):
            return None
        subtype_id = msg_vals.get("subtype_id", message.subtype_id.id)
        public = {self._subtype_id("mail.mt_comment")}
        if message_type == "email":
            public.add(self._subtype_id("customer_care.mt_ticket_new"))
        if subtype_id not in public:
            return None
        author = message.author_id
        if not author:
            return "customer" if message_type == "email" else None
        users = author.sudo().user_ids
        if users and not all(u.share for u in users):
            return "agent"
        return "customer"

    @api.model
    def _subtype_id(self, xmlid):
        return self.env["ir.model.data"]._xmlid_to_res_id(xmlid)

    def rating_apply(self, rate, *args, **kwargs):
        # Ratings from the portal page or from the /rate/<token> email link are
        # posted as the customer's comment: flag them so they neither reopen the
        # ticket nor count as the customer writing again (_message_kind).
        return super(CareTicket, self.with_context(care_rating=True)).rating_apply(
            rate, *args, **kwargs
        )

    # ------------------------------------------------------------------
    # Followers, notifications, tracking
    # ------------------------------------------------------------------

    def _creation_subtype(self):
        return self.env.ref("customer_care.mt_ticket_new")

    def _creation_message(self):
        # mail.thread reads the model's name from ir.model for each ticket.
        return self.env._("Ticket created")

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """The agent (mail.thread), and the customer, who follows with the
        subtypes customers follow by default (public messages, no notes)."""
        res = super()._message_auto_subscribe_followers(
            updated_values, default_subtype_ids
        )
        partner_id = updated_values.get("partner_id")
        if partner_id:
            __, __, external = self.env["mail.message.subtype"].default_subtypes(
                self._name
            )
            res.append((partner_id, external.ids, False))
        return res

    def _subscribe_customers(self):
        """Under ``tracking_disable`` (imports, tests) mail.thread subscribes
        nobody; customers follow their tickets all the same: they receive the
        agents' replies by mail."""
        for partner, tickets in self.grouped("partner_id").items():
            if partner:
                tickets._message_subscribe(partner.ids, customer_ids=partner.ids)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("customer_care.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        # care_no_stage_mail: the closing sends its own mail (auto-close, merge).
        if (
            "stage_id" in changes
            and ticket.stage_id.template_id
            and not self.env.context.get("care_no_stage_mail")
        ):
            res["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self._subtype_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _notify_by_email_prepare_rendering_context(
        self,
        message,
        msg_vals=False,
        model_description=False,
        force_email_company=False,
        force_email_lang=False,
        force_record_name=False,
    ):
        # Odoo's mass mode (the auto-close mails: message_mail_with_source)
        # lays the mail out around an in-memory message that names no record:
        # the header then shows no ticket. Name it as a posted message does.
        if not force_record_name and len(self) == 1 and not message.record_name:
            lang = force_email_lang or self.env.lang
            force_record_name = self.with_context(lang=lang).display_name
        return super()._notify_by_email_prepare_rendering_context(
            message,
            msg_vals=msg_vals,
            model_description=model_description,
            force_email_company=force_email_company,
            force_email_lang=force_email_lang,
            force_record_name=force_record_name,
        )

    def _mail_get_partner_fields(self, introspect_fields=False):
        return ["partner_id"]

    def _message_get_suggested_recipients(self, *args, **kwargs):
        recipients = super()._message_get_suggested_recipients(*args, **kwargs)
        if self.partner_id and self.partner_id.email:
            if not any(r.get("partner_id") == self.partner_id.id for r in recipients):
                recipients.append(
                    {
                        "partner_id": self.partner_id.id,
                        "email": self.partner_id.email,
                        "name": self.partner_id.name,
                    }
                )
        elif self.partner_email and not self.partner_id:
            recipients.append({"email": self.partner_email, "name": self.partner_name})
        return recipients

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not self:
            return groups
        self.ensure_one()
        # Customers get the "View Ticket" button with the portal token link.
        for group_name, __, group_data in groups:
            if group_name in ("portal_customer", "customer"):
                group_data["has_button_access"] = True
        return groups

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def _rating_get_parent_field_name(self):
        return "team_id"
