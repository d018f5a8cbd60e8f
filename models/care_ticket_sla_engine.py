from collections import defaultdict

from psycopg2.extensions import AsIs

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.worktime import WallClock
from .care_ticket_sla import LINE_STATUS, OPEN_STATUS

# Changing one of these re-evaluates which policies apply to a ticket.
SLA_CONDITION_FIELDS = {
    "priority",
    "type_id",
    "tag_ids",
    "team_id",
    "partner_id",
    "channel",
    "company_id",
}
# Worst first: the ticket shows the worst status of its lines.
STATUS_RANK = {"reached": 1, "ongoing": 2, "at_risk": 3, "failed": 4}
# A column left to its database default, as create() leaves unset fields.
SQL_DEFAULT = AsIs("DEFAULT")
# What a status line is when create() is not told otherwise (field defaults).
LINE_DEFAULTS = {"status": "ongoing", "working_time": True}


def sla_summary(lines):
    """``(sla_deadline, sla_status)`` of a ticket from its lines' ``(status,
    paused_since, deadline)``: the nearest deadline of the running clocks and
    the worst status."""
    lines = list(lines)
    deadlines = [
        deadline
        for status, paused_since, deadline in lines
        if status in OPEN_STATUS and not paused_since and deadline
    ]
    return (
        min(deadlines, default=False),
        max((status for status, __, __ in lines), key=STATUS_RANK.get, default=False),
    )


class CareTicket(models.Model):
    """SLA engine on tickets: creates the status lines, pauses and resumes
    their clocks with the stage, and reaches them on replies and stages."""

    _inherit = "care.ticket"

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

    @api.depends(
        "sla_line_ids.deadline", "sla_line_ids.status", "sla_line_ids.paused_since"
    )
    def _compute_sla(self):
        for ticket in self:
            ticket.sla_deadline, ticket.sla_status = sla_summary(
                (line.status, line.paused_since, line.deadline)
                for line in ticket.sla_line_ids
            )

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # Lines given in the values (an import) go through the ORM as usual.
        fast = not any("sla_line_ids" in vals for vals in vals_list)
        tickets._sla_apply(new=True, fast=fast)
        return tickets

    def write(self, vals):
        stages = None
        if "stage_id" in vals or "team_id" in vals:
            stages = {ticket.id: ticket.stage_id for ticket in self}
        res = super().write(vals)
        cache = {}
        if stages is not None:
            self._sla_stage_changed(stages, cache)
        if SLA_CONDITION_FIELDS.intersection(vals):
            self._sla_apply(cache=cache)
        return res

    # ---- engine ----

    def _sla_lines(self):
        # sudo: status lines are maintained by the engine on behalf of whoever
        # changes the ticket; agents only read them.
        return self.sla_line_ids.sudo()

    def _sla_apply(self, new=False, cache=None, fast=False):
        """Create the lines of the policies that apply and drop the lines of
        those that no longer do.

        New policies start from the ticket's creation (with the replies and
        stages already reached); lines already reached or failed are kept.
        ``fast`` (new tickets only): see :meth:`_sla_insert_new_lines`.
        """
        if not self:
            return
        cache = {} if cache is None else cache
        policies = self.env["care.sla"].sudo()._get_policies(self.company_id)
        if not policies and new:
            if fast:
                self._sla_set_new_summary([])
            return
        Line = self.env["care.ticket.sla"].sudo()
        existing = defaultdict(lambda: Line)
        if not (new and fast):  # lines may come with the values (an import)
            for line in self._sla_lines():
                existing[line.ticket_id.id] |= line
        now = fields.Datetime.now()
        vals_list = []
        to_unlink = Line
        for ticket in self:
            applicable = policies.filtered(lambda p, t=ticket: p._matches(t, cache))
            lines = existing[ticket.id]
            to_unlink |= lines.filtered(
                lambda line, a=applicable: (
                    line.sla_id not in a
                    and not line.reached_at
                    and line.status != "failed"
                )
            )
            for policy in applicable - lines.sla_id:
                vals_list += ticket._sla_initial_lines(policy, now, cache)
        if to_unlink:
            to_unlink.unlink()
        if new and fast:
            self._sla_insert_new_lines(vals_list)
        elif vals_list:
            Line.create(vals_list)

    def _sla_insert_new_lines(self, vals_list):
        """Insert the first status lines of new tickets in one statement, and
        give the tickets the summary their compute would make of them.

        Status lines are technical rows that only this engine writes (agents
        read them), and ``create()`` spends more on them (defaults, cache,
        dependency triggers, then a query to recompute the tickets' summary)
        than the engine spends computing them: 1.8 of the 2.6 ms a ticket with
        three policies (six lines) cost, measured with bench/bench_sla.py. The
        values go through each field's own conversion, as ``create()`` writes
        them, with the same log columns; the tickets' cached lines are
        invalidated, and the summary comes from the same
        :func:`sla_summary` as :meth:`_compute_sla`.
        """
        if vals_list:
            Line = self.env["care.ticket.sla"]
            vals_list = [{**LINE_DEFAULTS, **vals} for vals in vals_list]
            line_fields = [
                Line._fields[name] for name in sorted(set().union(*vals_list))
            ]
            now, uid = self.env.cr.now(), self.env.uid
            rows = [
                tuple(
                    field.convert_to_column_insert(vals[field.name], Line, vals)
                    if field.name in vals
                    else SQL_DEFAULT
                    for field in line_fields
                )
                + (uid, now, uid, now)
                for vals in vals_list
            ]
            columns = [field.name for field in line_fields]
            columns += ["create_uid", "create_date", "write_uid", "write_date"]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s) VALUES %s",
                    SQL.identifier(Line._table),
                    SQL(", ").join(map(SQL.identifier, columns)),
                    SQL(", ").join(rows),
                )
            )
            self.invalidate_recordset(["sla_line_ids"])
        self._sla_set_new_summary(vals_list)

    def _sla_set_new_summary(self, vals_list):
        """Store ``sla_deadline`` and ``sla_status`` of new tickets from the
        values of their lines, instead of recomputing them from the database."""
        by_ticket = defaultdict(list)
        for vals in vals_list:
            by_ticket[vals["ticket_id"]].append(
                (vals["status"], vals.get("paused_since"), vals.get("deadline"))
            )
        summary_fields = [self._fields["sla_deadline"], self._fields["sla_status"]]
        with self.env.protecting(summary_fields, self):
            for ticket in self:
                deadline, status = sla_summary(by_ticket[ticket.id])
                ticket.sla_deadline = deadline
                ticket.sla_status = status
        for field in summary_fields:
            self.env.remove_to_compute(field, self)

    def _sla_initial_lines(self, policy, now, cache):
        self.ensure_one()
        start = self.create_date or now
        vals_list = []
        for target in policy._targets(cache):
            if target.kind == "every_response":
                last = self.date_last_customer_message
                if not last or (
                    self.date_last_agent_reply and self.date_last_agent_reply >= last
                ):
                    continue
                vals_list.append(self._sla_line_vals(policy, target, last, now, cache))
            else:
                vals_list.append(self._sla_line_vals(policy, target, start, now, cache))
        return vals_list

    def _sla_clock(self, target, cache):
        """The clock of ``target`` (a policy target or a status line): working
        time of the ticket's team, or calendar hours."""
        if not target.working_time:
            return WallClock()
        return self.env["care.sla"]._get_schedule(self.team_id, self.company_id, cache)

    def _sla_line_vals(self, policy, target, start, now, cache):
        """Values of a new status line, its deadline counted from ``start``.

        ``target`` is a :class:`~.care_sla.Target` read from the policy's
        ``match_data``.
        """
        clock = self._sla_clock(target, cache)
        deadline = clock.add_hours(start, target.hours)
        warning_at = False
        warning_percent = policy._data(cache).get("warning_percent")
        if warning_percent:
            warning_at = clock.add_hours(start, target.hours * warning_percent / 100.0)
        vals = {
            "ticket_id": self.id,
            "sla_id": policy.id,
            "target_id": target.id,
            "kind": target.kind,
            "stage_id": target.stage_id or False,
            "company_id": self.company_id.id,
            "start_date": start,
            "deadline": deadline,
            "warning_at": warning_at,
            "hours_allowed": target.hours,
            "working_time": target.working_time,
        }
        reached = False
        if target.kind == "first_response":
            reached = self.date_first_reply
        elif target.kind == "resolution":
            reached = self.is_closed and (self.date_closed or now)
        elif target.kind == "stage" and self._sla_stage_reached(
            self.env["care.stage"].browse(target.stage_id)
        ):
            reached = self.date_last_stage_update or now
        if reached:
            used = clock.hours_between(start, reached)
            vals.update(
                reached_at=reached,
                status="reached" if reached <= deadline else "failed",
                hours_used=used,
                hours_exceeded=max(used - target.hours, 0.0),
            )
        elif policy._pauses_in(self.stage_id, cache) and deadline > now:
            vals.update(
                paused_since=now,
                remaining_hours=clock.hours_between(now, deadline),
                warning_remaining_hours=clock.hours_between(now, warning_at)
                if warning_at
                else 0.0,
            )
        return vals

    def _sla_stage_reached(self, stage):
        """A 'reach stage' target is met in that stage or any later one."""
        self.ensure_one()
        return bool(stage) and (
            self.stage_id == stage or self.stage_id.sequence > stage.sequence
        )

    def _sla_stage_changed(self, old_stages, cache):
        now = fields.Datetime.now()
        Line = self.env["care.ticket.sla"].sudo()
        to_reach, to_pause, to_resume = Line, Line, Line
        for ticket in self:
            stage = ticket.stage_id
            if stage == old_stages.get(ticket.id):
                continue
            for line in ticket._sla_lines().filtered(lambda li: not li.reached_at):
                if line.kind == "resolution" and stage.is_closing:
                    to_reach |= line
                elif line.kind == "stage" and ticket._sla_stage_reached(line.stage_id):
                    to_reach |= line
                elif line.sla_id._pauses_in(stage, cache):
                    to_pause |= line
                elif line.paused_since:
                    to_resume |= line
        to_reach._reach(now, cache)
        to_pause._pause(now, cache)
        to_resume._resume(now, cache)

    def _sla_agent_replied(self):
        lines = self._sla_lines().filtered(
            lambda line: (
                not line.reached_at
                and line.kind in ("first_response", "every_response")
            )
        )
        lines._reach(fields.Datetime.now(), {})

    def _sla_customer_wrote(self):
        """Open an every-response cycle for each policy that has none open."""
        now = fields.Datetime.now()
        cache = {}
        policies = self.env["care.sla"].sudo()._get_policies(self.company_id)
        policies = policies.filtered(
            lambda p: any(t.kind == "every_response" for t in p._targets(cache))
        )
        if not policies:
            return
        vals_list = []
        for ticket in self:
            open_targets = (
                ticket._sla_lines()
                .filtered(
                    lambda line: line.kind == "every_response" and not line.reached_at
                )
                .target_id.ids
            )
            for policy in policies.filtered(lambda p, t=ticket: p._matches(t, cache)):
                for target in policy._targets(cache):
                    if target.kind == "every_response" and (
                        target.id not in open_targets
                    ):
                        vals_list.append(
                            ticket._sla_line_vals(policy, target, now, now, cache)
                        )
        if vals_list:
            self.env["care.ticket.sla"].sudo().create(vals_list)

    # ---- mail ----

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if self.env.context.get("care_ack"):
            return res
        kind = self._care_message_kind(message, msg_vals)
        if kind == "agent":
            self._sla_agent_replied()
        elif kind == "customer" and msg_vals.get(
            "subtype_id", message.subtype_id.id
        ) != self.env["ir.model.data"]._xmlid_to_res_id("customer_care.mt_ticket_new"):
            # The mail that opened the ticket opened its cycle with the other
            # lines (message_new sets date_last_customer_message).
            self._sla_customer_wrote()
        return res
