"""SLA engine of tickets: helpers that ``care.ticket`` calls by name from its
``create``, ``write`` and posted-message hook (models/care_ticket.py).
No ORM override lives here."""

from collections import defaultdict

from odoo import fields, models

from ..lib.worktime import WallClock

# Status of a line (models/care_ticket_sla.py) and of a ticket (its worst line).
LINE_STATUS = [
    ("ongoing", "Ongoing"),
    ("at_risk", "At Risk"),
    ("reached", "Reached"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATUS = ("ongoing", "at_risk")
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
STATUS_RANK = {"cancelled": 0, "reached": 1, "ongoing": 2, "at_risk": 3, "failed": 4}
# What a new status line is unless the engine says otherwise (the fields'
# defaults, written out so that the values of a line read complete).
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


class CareTicketSlaEngine(models.AbstractModel):
    """Creates the status lines of a ticket, pauses and resumes their clocks
    with the stage, and reaches them on replies and stages."""

    _name = "care.ticket.sla.engine"
    _description = "Ticket SLA Engine"

    # ---- engine ----

    def _sla_lines(self):
        # sudo: status lines are maintained by the engine on behalf of whoever
        # changes the ticket; agents only read them. Lines superseded by an
        # escalation that restarted the SLA are history (_sla_supersede).
        return self.sla_line_ids.sudo().filtered(lambda line: not line.restarted_on)

    def _sla_apply(self, new=False, cache=None, with_lines=False):
        """Create the lines of the policies that apply and drop the lines of
        those that no longer do, with one ``create()`` for all tickets.

        New policies start from the ticket's creation (with the replies and
        stages already reached); lines already reached or failed are kept.
        ``new``: the tickets were just created, so they have no lines unless
        ``with_lines`` (lines given with the values, an import).
        """
        if not self:
            return
        cache = {} if cache is None else cache
        policies = self.env["care.sla"].sudo()._get_policies(self.company_id)
        if not policies and new:
            return
        Line = self.env["care.ticket.sla"].sudo()
        existing = defaultdict(lambda: Line)
        if not new or with_lines:
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
        if vals_list:
            Line.create(vals_list)

    def _sla_initial_lines(self, policy, now, cache):
        self.ensure_one()
        # care_sla_start: an escalation restarts the clocks from its moment.
        start = self.env.context.get("care_sla_start") or self.create_date or now
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
            **LINE_DEFAULTS,
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
        elif self.is_closed:
            # A policy that starts applying to a closed ticket: its open
            # targets are settled as at the closing (care.ticket.sla._settle).
            closed_at = self.date_closed or now
            if target.kind != "every_response" and deadline <= closed_at:
                vals.update(status="failed")
            else:
                vals.update(
                    status="cancelled",
                    paused_since=closed_at,
                    remaining_hours=clock.hours_between(closed_at, deadline),
                    warning_remaining_hours=clock.hours_between(closed_at, warning_at)
                    if warning_at
                    else 0.0,
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
        """The clocks follow the stage: targets met by the new stage are
        reached; a closing stage settles every other open target (no line of
        a closed ticket stays ongoing, see ``care.ticket.sla._settle``); a
        reopening restarts the lines the closing cancelled, with the time they
        had left; other stages pause or resume the clocks."""
        now = fields.Datetime.now()
        Line = self.env["care.ticket.sla"].sudo()
        to_reach, to_settle, to_restore = Line, Line, Line
        to_pause, to_resume = Line, Line
        for ticket in self:
            stage = ticket.stage_id
            if stage == old_stages.get(ticket.id):
                continue
            for line in ticket._sla_lines().filtered(lambda li: not li.reached_at):
                if line.kind == "resolution" and stage.is_closing:
                    to_reach |= line
                elif line.kind == "stage" and ticket._sla_stage_reached(line.stage_id):
                    to_reach |= line
                elif stage.is_closing:
                    # Lines already failed or cancelled stay as they are.
                    if line.status in OPEN_STATUS:
                        to_settle |= line
                elif line.status == "cancelled":
                    to_restore |= line
                    if not line.sla_id._pauses_in(stage, cache):
                        to_resume |= line
                elif line.sla_id._pauses_in(stage, cache):
                    to_pause |= line
                elif line.paused_since:
                    to_resume |= line
        to_reach._reach(now, cache)
        to_settle._settle(now, cache)
        to_restore._restore()
        to_pause._pause(now, cache)
        to_resume._resume(now, cache)

    def _sla_supersede(self, now):
        """An escalation restarts the SLA under the new team's policies: the
        current lines become history (``restarted_on``). Open clocks stop
        with the time they had left and are cancelled (counted in no success
        rate); reached and failed lines keep their status. The engine then
        creates the new team's lines from ``now`` (``care_sla_start``)."""
        lines = self._sla_lines()
        if not lines:
            return
        open_lines = lines.filtered(
            lambda line: not line.reached_at and line.status in OPEN_STATUS
        )
        open_lines._pause(now, {})
        open_lines.write({"status": "cancelled"})
        lines.write({"restarted_on": now})

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
        # A closed ticket the customer wrote to without reopening it (a
        # follow-up was opened instead) has no response to come.
        for ticket in self.filtered(lambda t: not t.is_closed):
            open_targets = (
                ticket._sla_lines()
                .filtered(
                    lambda line: (
                        line.kind == "every_response"
                        and not line.reached_at
                        and line.status != "cancelled"
                    )
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
