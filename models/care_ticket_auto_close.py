"""Auto-close of tickets waiting on a silent customer: helpers that
``care.ticket`` calls by name from its ``create`` and ``write``
(models/care_ticket.py), and the scheduled job. No ORM override lives here.

A ticket of a team with ``auto_close_reminder_days`` set, sitting in a
"waiting on customer" stage, is reminded after that many working days (team
calendar) and closed ``auto_close_days`` working days after the reminder. The
whole state is two stored fields:

* ``auto_close_reminded_at``: when the reminder was sent. It counts only while
  it is newer than the customer's last message and the last stage change:
  a reply, or the ticket leaving the waiting stage, starts everything over
  (``_back_to_work`` moves a ticket the customer answered out of waiting);
* ``auto_close_at``: when the next step (reminder or closing) is due, kept
  by ``_auto_close_recompute`` whenever what it depends on is written. The job
  reads only the due rows, through a partial index on this column.

The job takes its rows with ``lock_free_rows`` and commits each batch with its
mails, as the notice job does: a second worker skips the rows the first holds,
and a re-run finds nothing due (the reminder moved ``auto_close_at`` on,
the closing cleared it). No mail is ever sent twice.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_datetime

from ..lib.worktime import NoWorkingTimeError, WallClock
from .locking import CONCURRENCY_ERRORS, MAX_JOB_CONFLICTS, lock_free_rows

_logger = logging.getLogger(__name__)

AUTO_CLOSE_BATCH_SIZE = 200
# The mails a team sends when it leaves its own choice empty.
DEFAULT_TEMPLATES = {
    "auto_close_reminder_template_id": (
        "customer_care.mail_template_care_ticket_auto_close_reminder"
    ),
    "auto_close_template_id": "customer_care.mail_template_care_ticket_auto_closed",
}
# Writing one of these may move the next auto-close step of a ticket.
AUTO_CLOSE_FIELDS = {
    "stage_id",
    "team_id",
    "active",
    "date_last_customer_message",
    "date_last_stage_update",
    "auto_close_reminded_at",
}


class CareTicketAutoClose(models.AbstractModel):
    _name = "care.ticket.auto.close"
    _description = "Ticket Auto-close"

    auto_close_reminded_at = fields.Datetime(
        string="Reminder Sent on",
        readonly=True,
        copy=False,
        help="When the customer was reminded that the ticket waits on them.",
    )
    auto_close_at = fields.Datetime(
        string="Next Auto-close Step",
        readonly=True,
        copy=False,
        help="When the customer will be reminded (or, once reminded, when the "
        "ticket will be closed) if they do not answer. Empty: the ticket is not "
        "waiting on the customer, or its team closes nothing automatically.",
    )

    # ---- state ----

    def _auto_close_since(self):
        """Since when the ticket waits: its last stage change or the
        customer's last message, whichever is later."""
        self.ensure_one()
        moments = [self.date_last_stage_update, self.date_last_customer_message]
        return max((m for m in moments if m), default=self.create_date)

    def _auto_close_is_reminded(self):
        self.ensure_one()
        reminded = self.auto_close_reminded_at
        return bool(reminded) and reminded >= self._auto_close_since()

    def _auto_close_due(self, cache):
        """When the next step is due, or ``False``."""
        self.ensure_one()
        team = self.team_id
        if not (
            self.active
            and self.is_waiting
            and not self.is_closed
            and team.auto_close_reminder_days > 0
        ):
            return False
        try:
            clock = self.env["care.sla"]._get_schedule(team, self.company_id, cache)
        except (NoWorkingTimeError, ValueError):
            clock = WallClock()  # a calendar without working time: plain days
        if self._auto_close_is_reminded():
            if team.auto_close_days <= 0:
                return False
            return clock.add_working_days(
                self.auto_close_reminded_at, team.auto_close_days
            )
        return clock.add_working_days(
            self._auto_close_since(), team.auto_close_reminder_days
        )

    def _auto_close_recompute(self):
        """Store the due moment of the next step (``auto_close_at``)."""
        tickets = self.filtered(lambda t: t.is_waiting or t.auto_close_at)
        if not tickets:
            return
        cache = {}
        by_due = defaultdict(list)
        for ticket in tickets:
            due = ticket._auto_close_due(cache)
            if due != ticket.auto_close_at:
                by_due[due].append(ticket.id)
        for due, ids in by_due.items():
            # sudo: a technical date that follows the ticket's stage and
            # messages, whoever moved them (a customer replying by mail).
            self.browse(ids).sudo().write({"auto_close_at": due})

    # ---- scheduled job ----

    @api.model
    def _cron_auto_close(self, batch_size=None):
        """Remind and close the due tickets batch after batch, committing each
        with the count still due (same discipline as ``_cron_send_notices``)."""
        IrCron = self.env["ir.cron"]
        batch_size = batch_size or AUTO_CLOSE_BATCH_SIZE
        conflicts = 0
        while True:
            now = fields.Datetime.now()
            try:
                with self.env.cr.savepoint():
                    done = self._auto_close_batch(now, batch_size)
            except CONCURRENCY_ERRORS:
                conflicts += 1
                if conflicts > MAX_JOB_CONFLICTS:
                    _logger.info("Auto-close: rows in use by another worker, next run")
                    IrCron._commit_progress(remaining=0)
                    return
                IrCron._commit_progress()  # a new transaction, fresh rows
                continue
            remaining = self.search_count([("auto_close_at", "<=", now)]) if done else 0
            time_left = IrCron._commit_progress(done, remaining=remaining)
            if not remaining or time_left <= 0:
                return

    @api.model
    def _auto_close_batch(self, now, limit=AUTO_CLOSE_BATCH_SIZE):
        """Handle up to ``limit`` due tickets; return how many were taken.

        Rows another worker holds are skipped; rows it committed since this
        transaction began raise one of ``CONCURRENCY_ERRORS``
        (``lock_free_rows``)."""
        tickets = self.search(
            [("auto_close_at", "<=", now)], order="auto_close_at, id", limit=limit
        )
        tickets = lock_free_rows(tickets)
        if not tickets:
            return 0
        # care_no_stage_mail: the closing mail replaces the closing stage's
        # email. Set on the whole batch: Odoo sends the tracking of the
        # transaction with the context of its first write.
        tickets = tickets.with_context(care_no_stage_mail=True)
        # The stored date is the state: it follows the stage, the messages and
        # the team's delays (_auto_close_recompute), nothing is recomputed here.
        reminded = tickets.filtered(lambda t: t._auto_close_is_reminded())
        mails = (tickets - reminded)._auto_close_remind(now)
        mails |= reminded._auto_close_close()
        if mails:
            # Queued: the mail queue takes them now rather than at its next
            # hourly run (as event registrations do).
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return len(tickets)

    def _auto_close_post(self, template_field):
        """Mail the team's template ``template_field`` to the customers of the
        tickets, logged on each ticket's chatter.

        Odoo's mass mode (``message_mail_with_source``, as the event
        reminders do) renders the template for the whole batch, each customer
        in their language, and creates the mails, their logged messages and
        notifications in a few inserts; the mail queue sends them. A post per
        ticket (``message_post_with_source``: one composer, one rendering, one
        notification and one mail sent at commit each) cost about 110 ms per
        ticket (bench/README.md, issue 14). Return the mails."""
        by_template = defaultdict(lambda: self.browse())
        default = self.env.ref(DEFAULT_TEMPLATES[template_field], False)
        for ticket in self:
            template = ticket.team_id[template_field] or default
            if template and ticket.partner_id.email:
                by_template[template] |= ticket
        mails = self.env["mail.mail"].sudo()
        for template, tickets in by_template.items():
            mails |= tickets.message_mail_with_source(
                template,
                email_layout_xmlid="mail.mail_notification_light",
                # Queued, whatever the batch size: the job sends no SMTP.
                force_send=False,
                # A mail about the customer's own ticket, as a reply is: the
                # mass-mailing blacklist does not apply.
                use_exclusion_list=False,
            )
        return mails

    def _auto_close_remind(self, now):
        if not self:
            return self.env["mail.mail"].sudo()
        mails = self._auto_close_post("auto_close_reminder_template_id")
        self.write({"auto_close_reminded_at": now})
        return mails

    def _auto_close_close(self):
        if not self:
            return self.env["mail.mail"].sudo()
        mails = self._auto_close_post("auto_close_template_id")
        # care_no_stage_mail: the closing mail above replaces the closing
        # stage's own email (care.ticket._track_template).
        self.with_context(care_no_stage_mail=True).action_close()
        # One insert for the batch (a post per ticket costs about 5 ms).
        self._message_log_batch(
            bodies={
                ticket.id: self.env._(
                    "Closed automatically: the customer did not answer the reminder "
                    "of %(date)s.",
                    date=format_datetime(self.env, ticket.auto_close_reminded_at),
                )
                for ticket in self
            },
        )
        return mails
