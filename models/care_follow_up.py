"""Follow-ups (issue 13): the one API every feature uses to plan a contact
with a customer, and the follow-up a team plans after solving a ticket.

A follow-up is a ``mail.activity`` of a Customer Care activity type
(``care_follow_up``, data/mail_activity_type_data.xml), on a ticket, on a
customer, or on any document of a customer. Planned by hand, by scenarios, by
call-backs and campaigns, after a ticket is solved, after a delivery, after a
low NPS score: all of them through :func:`schedule_follow_up`, which never
opens a second follow-up of the same kind on the same record."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .locking import lock_free_rows, run_job_batches

# A call-back with no delay on its type is due within this many working hours.
CALL_BACK_HOURS = 2
# Tickets handled per committed batch of the after-resolution job.
FOLLOW_UP_BATCH_SIZE = 200
# Tickets solved longer ago than this (beyond the team's delay) get no
# follow-up: a team turning the setting on does not call last year's customers.
AFTER_SOLVE_HORIZON_DAYS = 30
# Odoo ratings go from 1 to 5 (rating.rating: 1 unhappy, 3 okay, 5 happy): a
# customer who rated at least this needs no follow-up call.
GOOD_RATING = 4


def follow_up_due_at(env, activity_type, team, company):
    """When a follow-up of ``activity_type`` planned now is due, in the working
    time of ``team`` (or of ``company``): the type's delay in working days
    (the start of that working day), or, for a type without delay, within
    ``CALL_BACK_HOURS`` working hours. Naive UTC."""
    now = fields.Datetime.now()
    schedule = env["care.sla"]._get_schedule(team, company, {})
    count = activity_type.delay_count
    if count <= 0:
        return schedule.add_hours(schedule.next_working(now), CALL_BACK_HOURS)
    if activity_type.delay_unit == "days":
        return schedule.add_working_days(now, count)
    return schedule.next_working(
        now + relativedelta(**{activity_type.delay_unit: count})
    )


def schedule_follow_up(
    record,
    activity_type,
    *,
    team,
    company,
    user=None,
    due_at=None,
    note=None,
    channel=None,
    reason=None,
    summary=None,
):
    """Plan a follow-up of ``activity_type`` (an xmlid or a
    ``mail.activity.type``) on ``record``; return the activity.

    When the record already has an open follow-up of that type, that one is
    returned (its due time moved to ``due_at`` when one is given): a customer
    is never called twice for the same reason. ``due_at`` (naive UTC)
    defaults to :func:`follow_up_due_at`; ``user`` must be an internal user,
    else the follow-up waits unassigned in the team's queue."""
    record.ensure_one()
    env = record.env
    if isinstance(activity_type, str):
        activity_type = env.ref(activity_type)
    Activity = env["mail.activity"]
    existing = Activity.search(
        [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
            ("activity_type_id", "=", activity_type.id),
        ],
        limit=1,
    )
    if existing:
        if due_at:
            existing.care_due_at = due_at
        return existing
    if user and (user.share or user._is_superuser()):
        user = None
    due_at = due_at or follow_up_due_at(env, activity_type, team, company)
    values = {
        "care_due_at": due_at,
        "care_channel": channel or "phone",
        "care_reason": reason or False,
        "care_team_id": team.id or False,
        "user_id": user.id if user else False,
    }
    return record.activity_schedule(
        activity_type_id=activity_type.id,
        summary=summary or "",
        note=note or "",
        **values,
    )


class CareTicketFollowUp(models.AbstractModel):
    """Follow-ups of tickets: the API on the ticket and the job that plans a
    follow-up some working days after a ticket is solved. Helpers of
    ``care.ticket`` (models/care_ticket.py); no ORM override lives here."""

    _name = "care.ticket.follow.up"
    _description = "Ticket Follow-ups"

    after_solve_follow_up_done = fields.Boolean(
        string="After-resolution Follow-up Handled",
        readonly=True,
        copy=False,
        help="Technical: the after-resolution job has planned this ticket's "
        "follow-up, or skipped it because the customer rated the ticket well.",
    )

    def _schedule_follow_up(
        self,
        activity_type_xmlid,
        due_at=None,
        user=None,
        note=None,
        channel=None,
        reason=None,
    ):
        """Plan a follow-up on this ticket (see :func:`schedule_follow_up`),
        for ``user``, else the ticket's owner, else the team leader."""
        self.ensure_one()
        return schedule_follow_up(
            self,
            activity_type_xmlid,
            team=self.team_id,
            company=self.company_id,
            user=user or self.user_id or self.team_id.leader_id,
            due_at=due_at,
            note=note,
            channel=channel,
            reason=reason,
        )

    # ---- after resolution ----

    @api.model
    def _cron_follow_up_after_solve(self, batch_size=FOLLOW_UP_BATCH_SIZE):
        """Plan the after-resolution follow-ups that are due, batch after
        batch (``run_job_batches``: lock-safe with two workers)."""
        run_job_batches(
            self.env,
            lambda: self._follow_up_after_solve(batch_size),
            lambda: self.env["care.ticket"].search_count(
                self._after_solve_domain(fields.Datetime.now())
            ),
            "After-resolution follow-ups",
        )

    @api.model
    def _after_solve_domain(self, now):
        """Solved tickets of the teams that follow up, whose delay in
        calendar days has passed (working days are never fewer) and which
        were solved within the horizon."""
        teams = self.env["care.team"].search([("follow_up_after_solve_days", ">", 0)])
        if not teams:
            return Domain.FALSE
        closed_in = Domain.OR(
            Domain("team_id", "=", team.id)
            & Domain(
                "date_closed",
                "<=",
                now - timedelta(days=team.follow_up_after_solve_days),
            )
            & Domain(
                "date_closed",
                ">=",
                now
                - timedelta(
                    days=team.follow_up_after_solve_days + AFTER_SOLVE_HORIZON_DAYS
                ),
            )
            for team in teams
        )
        return closed_in & Domain(
            [
                ("is_closed", "=", True),
                ("after_solve_follow_up_done", "=", False),
                ("stage_id.follow_up_after_close", "=", True),
                ("partner_id", "!=", False),
            ]
        )

    @api.model
    def _follow_up_after_solve(self, limit=FOLLOW_UP_BATCH_SIZE):
        """One batch of the after-resolution job: for each solved ticket
        whose team's delay (``follow_up_after_solve_days`` working days) has
        passed, plan an "After resolution" follow-up due when that working
        day began, unless the customer rated the ticket well. Return how many
        tickets were handled; tickets whose delay, counted in working days,
        has not passed yet are left for a later run."""
        now = fields.Datetime.now()
        tickets = self.env["care.ticket"].search(
            self._after_solve_domain(now), order="date_closed, id", limit=limit
        )
        tickets = lock_free_rows(tickets)
        cache = {}
        Sla = self.env["care.sla"]
        handled = tickets.browse()
        for ticket in tickets:
            team = ticket.team_id
            schedule = Sla._get_schedule(team, ticket.company_id, cache)
            due = schedule.add_working_days(
                ticket.date_closed, team.follow_up_after_solve_days
            )
            if due > now:
                continue
            handled |= ticket
            if ticket.rating_last_value >= GOOD_RATING:
                continue
            ticket._schedule_follow_up(
                "customer_care.mail_activity_type_care_after_resolution",
                due_at=due,
                reason=self.env._(
                    "Solved on %(date)s: check that the problem stays solved.",
                    date=fields.Date.to_string(ticket.date_closed.date()),
                ),
            )
        handled.write({"after_solve_follow_up_done": True})
        return len(handled)
