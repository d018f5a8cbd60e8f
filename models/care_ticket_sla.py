import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain

from .care_sla import TARGET_KINDS
from .care_ticket_sla_engine import LINE_STATUS, OPEN_STATUS
from .locking import CONCURRENCY_ERRORS, MAX_JOB_CONFLICTS, lock_free_rows

_logger = logging.getLogger(__name__)

CRON_BATCH_SIZE = 200


class CareTicketSla(models.Model):
    """Where one ticket stands against one target of one policy.

    The clock runs from ``start_date`` (the ticket's creation, or the customer
    message that opened an every-response cycle). ``deadline`` and
    ``warning_at`` are computed when the line is created and again when a pause
    ends; nothing recomputes them on a schedule. The scheduled action only
    picks the lines whose warning time or deadline has passed, through the two
    partial indexes below, and moves them to "at risk" or "failed": the status
    is both what users see and the flag that makes each notification fire
    once.

    Lines are created by the ticket's SLA engine
    (``care.ticket._sla_apply``), through ``create()``, one call per batch of
    tickets.
    """

    _name = "care.ticket.sla"
    _description = "Ticket SLA Status"
    _order = "ticket_id, deadline, id"
    _rec_name = "target_id"
    # The KPIs (care.kpi) look up the targets failed since a date; the index
    # holds what they read (index-only scan).
    _failed_start_idx = models.Index(
        "(start_date, kind, company_id, ticket_id) WHERE status = 'failed'"
    )

    ticket_id = fields.Many2one(
        "care.ticket", required=True, index=True, ondelete="cascade"
    )
    sla_id = fields.Many2one(
        "care.sla", string="Policy", required=True, index=True, ondelete="cascade"
    )
    target_id = fields.Many2one("care.sla.target", required=True, ondelete="cascade")
    kind = fields.Selection(TARGET_KINDS, string="Target Kind", required=True)
    stage_id = fields.Many2one("care.stage", string="Target Stage")
    company_id = fields.Many2one("res.company", required=True, index=True)
    status = fields.Selection(LINE_STATUS, required=True, default="ongoing", index=True)
    start_date = fields.Datetime(string="Clock Started", required=True, index=True)
    deadline = fields.Datetime()
    warning_at = fields.Datetime(string="Warning On")
    reached_at = fields.Datetime(string="Reached On")
    hours_allowed = fields.Float(string="Time Allowed (h)", aggregator="avg")
    working_time = fields.Boolean(string="In Working Hours", default=True)
    hours_used = fields.Float(
        string="Time Used (h)",
        aggregator="avg",
        help="Time between the start of the clock and the target being reached, "
        "pauses excluded.",
    )
    hours_exceeded = fields.Float(string="Time Exceeded (h)", aggregator="avg")
    paused_since = fields.Datetime(
        help="The clock is stopped since then (waiting on the customer)."
    )
    paused_hours = fields.Float(string="Time Paused (h)")
    remaining_hours = fields.Float(
        help="Technical: time left to the deadline when the clock was paused."
    )
    warning_remaining_hours = fields.Float(
        help="Technical: time left to the warning when the clock was paused."
    )
    warned_at = fields.Datetime(string="Warned On", readonly=True)
    escalated_at = fields.Datetime(string="Escalated On", readonly=True)
    restarted_on = fields.Datetime(
        string="Superseded On",
        readonly=True,
        help="The ticket was escalated with its SLA restarted under the new "
        "team's policies: this line is kept as history and the engine no longer "
        "counts it.",
    )

    _warning_due_idx = models.Index(
        "(warning_at) WHERE status = 'ongoing' AND paused_since IS NULL"
    )
    _deadline_due_idx = models.Index(
        "(deadline) WHERE status IN ('ongoing', 'at_risk') AND paused_since IS NULL"
    )

    # ---- figures ----

    def _care_kpi_figures(self):
        """The KPI figures of these lines (one ticket's): the number of
        targets decided and reached, and the working hours of the reached
        targets, as the KPIs count them: the shortest first response; the shortest
        resolution with and without the time paused (waiting on the
        customer). ``None`` where no such target was reached in working
        time (a target counted in calendar hours is not a working-time
        figure)."""
        reached = self.filtered(lambda li: li.reached_at and li.working_time)
        first = reached.filtered(lambda li: li.kind == "first_response")
        solved = reached.filtered(lambda li: li.kind == "resolution")
        return {
            "first_response": min(first.mapped("hours_used"), default=None),
            "resolution": min(
                (li.hours_used + li.paused_hours for li in solved), default=None
            ),
            "handling": min(solved.mapped("hours_used"), default=None),
            # The targets decided (reached or failed), of every kind: the SLA
            # success rate's.
            "decided": len(
                self.filtered(lambda li: li.status in ("reached", "failed"))
            ),
            "reached": len(self.filtered(lambda li: li.status == "reached")),
        }

    # ---- clocks ----

    def _clock(self, cache):
        """The working time the line is counted in."""
        self.ensure_one()
        return self.ticket_id._sla_clock(self, cache)

    def _reach(self, when, cache):
        """The target is met at ``when``: reached if in time, failed if late."""
        for line in self.filtered(lambda line: not line.reached_at):
            clock = line._clock(cache)
            used = clock.hours_between(line.start_date, when) - line.paused_hours
            if line.paused_since:
                used -= clock.hours_between(line.paused_since, when)
                in_time = line.remaining_hours > 0
            else:
                in_time = not line.deadline or when <= line.deadline
            used = max(used, 0.0)
            line.write(
                {
                    "reached_at": when,
                    "status": "reached"
                    if in_time and line.status != "failed"
                    else "failed",
                    "hours_used": used,
                    "hours_exceeded": max(used - line.hours_allowed, 0.0),
                    "paused_since": False,
                }
            )

    def _pause(self, when, cache):
        """Stop the clock, keeping the time left to the deadline and warning.

        Lines already past their deadline are left to the scheduled action.
        """
        for line in self:
            if (
                line.reached_at
                or line.paused_since
                or line.status not in OPEN_STATUS
                or (line.deadline and line.deadline <= when)
            ):
                continue
            clock = line._clock(cache)
            warning_left = 0.0
            if line.status == "ongoing" and line.warning_at:
                warning_left = clock.hours_between(when, line.warning_at)
            line.write(
                {
                    "paused_since": when,
                    "remaining_hours": clock.hours_between(when, line.deadline),
                    "warning_remaining_hours": warning_left,
                }
            )

    def _settle(self, when, cache):
        """The ticket closed at ``when`` before these targets were met: no line
        of a closed ticket stays ongoing. What each becomes (issue 11):

        * first response, reach a stage: **failed** when the deadline had
          passed at the closing (the customer waited longer than promised for
          something that never came), else **cancelled**: the target no longer
          applies, and was not missed;
        * every response: **cancelled**. Closing ends the conversation; the
          message that opened the cycle is, most of the time, the customer's
          thanks or confirmation, which asks for no reply. This is Zendesk's
          "next reply time", which a solved ticket stops. A cycle that the
          scheduled action already marked failed (and escalated) stays failed.

        A failed line keeps no ``reached_at``: the report shows it as "not
        reached"; it is not escalated (the ticket is closed). A cancelled line
        keeps its clock stopped at the closing, with the time it had left
        (``_pause``): a reopening restarts it (``_restore``), and an agent's
        reply written after the closing still reaches it (``_reach``).
        Cancelled lines count in no success rate (care.sla.report).
        """
        open_lines = self.filtered(lambda li: li.status in OPEN_STATUS)
        late = open_lines.filtered(
            lambda li: (
                li.kind != "every_response"
                and (
                    li.remaining_hours <= 0
                    if li.paused_since
                    else bool(li.deadline) and li.deadline <= when
                )
            )
        )
        late.write({"status": "failed"})
        cancelled = open_lines - late
        cancelled._pause(when, cache)
        cancelled.write({"status": "cancelled"})

    def _restore(self):
        """Lines the closing cancelled count again (the ticket was reopened):
        they take back their status; the engine then resumes their clocks or
        leaves them paused, as the new stage says."""
        for line in self.filtered(lambda li: li.status == "cancelled"):
            line.status = "at_risk" if line.warned_at else "ongoing"

    def _resume(self, when, cache):
        """Restart the clock: the deadline moves by the time spent paused."""
        for line in self.filtered("paused_since"):
            clock = line._clock(cache)
            vals = {
                "paused_since": False,
                "paused_hours": line.paused_hours
                + clock.hours_between(line.paused_since, when),
                "deadline": clock.add_hours(when, line.remaining_hours),
            }
            if line.status == "ongoing" and line.warning_at:
                vals["warning_at"] = clock.add_hours(when, line.warning_remaining_hours)
            line.write(vals)

    # ---- scheduled action ----

    @api.model
    def _due_domain(self, now, kind):
        if kind == "breach":
            return (
                Domain("status", "in", list(OPEN_STATUS))
                & Domain("paused_since", "=", False)
                & Domain("deadline", "<=", now)
            )
        return (
            Domain("status", "=", "ongoing")
            & Domain("paused_since", "=", False)
            & Domain("warning_at", "<=", now)
            & Domain("deadline", ">", now)
        )

    @api.model
    def _cron_process_due(self, batch_size=CRON_BATCH_SIZE):
        """Warn and escalate the lines that are due, batch by batch.

        Each batch is locked with ``lock_free_rows`` (rows an agent or another
        worker holds are skipped and picked up by the next run), then handled
        and committed by ``_commit_progress`` with the count of due lines still
        to do: a line's new status is committed together with its
        notification, so an interrupted run never notifies twice, and a run
        stopped on its time budget is taken up again at once.

        Lines another worker committed after this transaction began cannot be
        locked: the batch starts over in a new transaction, quietly (a few
        times at most, then those lines wait for the next run).
        """
        now = fields.Datetime.now()
        Cron = self.env["ir.cron"]
        domains = {kind: self._due_domain(now, kind) for kind in ("breach", "warning")}
        skipped = []

        def remaining():
            left = Domain("id", "not in", skipped)
            return sum(self.search_count(domain & left) for domain in domains.values())

        Cron._commit_progress(remaining=remaining())
        for kind, domain in domains.items():
            conflicts = 0
            while True:
                lines = self.search(
                    domain & Domain("id", "not in", skipped),
                    order="deadline, id" if kind == "breach" else "warning_at, id",
                    limit=batch_size,
                )
                if not lines:
                    break
                try:
                    locked = lock_free_rows(lines)
                    tickets = lock_free_rows(locked.ticket_id)
                    locked = locked.filtered(
                        lambda line, t=tickets: line.ticket_id in t
                    )
                    # Still due as read after the lock (cheap insurance).
                    locked.invalidate_recordset()
                    locked = locked.filtered_domain(domain)
                    failed = locked._process_due(kind, now)
                except CONCURRENCY_ERRORS:
                    conflicts += 1
                    if conflicts > MAX_JOB_CONFLICTS:
                        skipped += lines.ids
                        conflicts = 0
                    Cron._commit_progress()  # a new transaction, fresh rows
                    continue
                conflicts = 0
                skipped += (lines - locked).ids + failed.ids
                time_left = Cron._commit_progress(
                    len(locked - failed), remaining=remaining()
                )
                if time_left <= 0:
                    return
                if len(lines) < batch_size:
                    break
        if skipped:
            _logger.info("SLA: %d locked line(s) left for the next run", len(skipped))

    def _process_due(self, kind, now):
        """Warn or escalate the lines; return those that could not be handled.

        A line whose ticket cannot take its escalation (broken data, a
        constraint) must not block the others: the batch is retried line by
        line, and the failing ones stay due for the next run, with a log.
        """
        method = "_escalate" if kind == "breach" else "_warn"
        try:
            with self.env.cr.savepoint():
                getattr(self, method)(now)
            return self.browse()
        except CONCURRENCY_ERRORS:
            raise  # another worker's rows: the caller starts over
        except Exception:  # noqa: BLE001 - retried line by line below
            # The savepoint's rollback cleared the caches of the attempt.
            _logger.info("SLA: a %s batch failed, retried line by line", kind)
        failed = self.browse()
        for line in self:
            try:
                with self.env.cr.savepoint():
                    getattr(line, method)(now)
            except CONCURRENCY_ERRORS:
                raise
            except Exception:  # noqa: BLE001 - logged, retried next run
                _logger.warning(
                    "SLA: %s of line %s (ticket %s) failed, retried next run",
                    kind,
                    line.id,
                    line.ticket_id.id,
                    exc_info=True,
                )
                failed |= line
        return failed

    def _warn(self, now):
        """Warn the assignee (or the team leader) that deadlines are near: one
        activity and one chatter log per line, created in batch."""
        self.write({"status": "at_risk", "warned_at": now})
        activities, bodies = [], {}
        for line in self:
            ticket = line.ticket_id
            user = ticket.user_id or ticket.team_id.leader_id
            summary = self.env._(
                "SLA at risk: %(target)s due %(deadline)s",
                target=line.target_id.display_name,
                deadline=line._format_deadline(user),
            )
            if user:
                activities.append(
                    line._activity_vals(
                        user, summary, fields.Date.context_today(line, line.deadline)
                    )
                )
            bodies[ticket.id] = bodies.get(ticket.id, Markup()) + Markup(
                "<p>%s</p>"
            ) % self.env._(
                "Policy %(policy)s: %(summary)s.",
                policy=line.sla_id.name,
                summary=summary,
            )
        self._notify(activities, bodies)

    def _escalate(self, now):
        """Apply the escalation of each breached line's policy: raise the
        priority, reassign, notify the team leader, and log what was done."""
        self.write({"status": "failed", "escalated_at": now})
        activities, bodies = [], {}
        ticket_vals = {}
        for line in self:
            ticket = line.ticket_id
            sla = line.sla_id
            team = ticket.team_id
            vals = ticket_vals.setdefault(ticket, {})
            done = []
            priority = vals.get("priority", ticket.priority)
            if sla.escalate_raise_priority and priority < "3":
                vals["priority"] = str(int(priority) + 1)
                done.append(self.env._("priority raised"))
            if sla.escalate_assign == "leader" and team.leader_id:
                if ticket.user_id != team.leader_id:
                    vals["user_id"] = team.leader_id.id
                    done.append(
                        self.env._(
                            "assigned to the team leader %(user)s",
                            user=team.leader_id.name,
                        )
                    )
            elif sla.escalate_assign == "team" and sla.escalate_team_id != team:
                vals["team_id"] = sla.escalate_team_id.id
                done.append(
                    self.env._("moved to team %(team)s", team=sla.escalate_team_id.name)
                )
            if sla.escalate_notify_leader and team.leader_id:
                activities.append(
                    line._activity_vals(
                        team.leader_id,
                        self.env._(
                            "SLA breached: %(target)s",
                            target=line.target_id.display_name,
                        ),
                        fields.Date.context_today(line),
                    )
                )
                done.append(
                    self.env._(
                        "team leader %(user)s notified", user=team.leader_id.name
                    )
                )
            bodies[ticket.id] = bodies.get(ticket.id, Markup()) + Markup(
                "<p>%s</p>"
            ) % self.env._(
                "SLA breached — policy %(policy)s, %(target)s (deadline "
                "%(deadline)s). Escalation: %(actions)s.",
                policy=sla.name,
                target=line.target_id.display_name,
                deadline=line._format_deadline(team.leader_id or ticket.user_id),
                actions=", ".join(done) or self.env._("none"),
            )
        # Tickets that get the same changes are written together.
        by_vals = {}
        for ticket, vals in ticket_vals.items():
            if vals:
                key = tuple(sorted(vals.items()))
                by_vals[key] = by_vals.get(key, ticket.browse()) | ticket
        for key, tickets in by_vals.items():
            tickets.write(dict(key))
        self._notify(activities, bodies)

    def _activity_vals(self, user, summary, date_deadline):
        return {
            "res_model_id": self.env["ir.model"]._get_id("care.ticket"),
            "res_id": self.ticket_id.id,
            "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.mail_activity_data_todo"
            ),
            "summary": summary,
            "user_id": user.id,
            "date_deadline": date_deadline,
        }

    def _notify(self, activities, bodies):
        if activities:
            # The activities appear in each user's activity menu at once; no
            # e-mail per activity: a breach wave must not flood the leader's
            # mailbox (the chatter keeps the log).
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(activities)
        if bodies:
            tickets = self.env["care.ticket"].browse(list(bodies))
            tickets._message_log_batch(bodies)

    def _format_deadline(self, user):
        tz = user.tz or self.ticket_id.team_id.resource_calendar_id.tz or "UTC"
        return fields.Datetime.context_timestamp(
            self.with_context(tz=tz), self.deadline
        ).strftime("%Y-%m-%d %H:%M")
