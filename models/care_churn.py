"""Churn-risk score of customers (issue 13): stored on the commercial partner
(``care_churn_risk``, ``care_churn_risk_level``, fields in res_partner.py),
refreshed by a scheduled action in two steps:

1. **mark**: the customers whose signals may have changed since the last run
   (a watermark in ``ir.config_parameter``) get ``care_churn_dirty``: those with
   a ticket, a rating, a journal entry, an NPS answer or a sales order written
   since then, and those whose last order crossed one of the recency marks.
   Marking and moving the watermark are one transaction;
2. **score**: the marked customers, in locked batches (``lock_free_rows``),
   each batch read with one SQL query and written back grouped by score.

The work is proportional to the customers that changed, never a scan of
every customer. The formula is ``lib/kpi.py``'s ``churn_score``.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import kpi as formulas
from .locking import CONCURRENCY_ERRORS, MAX_JOB_CONFLICTS, lock_free_rows

_logger = logging.getLogger(__name__)

WATERMARK_PARAM = "customer_care.churn_refreshed_at"
# The window of the ticket, rating and complaint signals.
SIGNAL_DAYS = 90
CHURN_BATCH_SIZE = 1000


class CareChurn(models.AbstractModel):
    _name = "care.churn"
    _description = "Customer Churn Risk"

    @api.model
    def _cron_refresh(self, batch_size=CHURN_BATCH_SIZE):
        """Mark the customers that changed, then score the marked ones."""
        self._mark_changed()
        self.env["ir.cron"]._commit_progress(remaining=self._dirty_count())
        # sudo: the job scores every customer, whoever its user is.
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        Cron = self.env["ir.cron"]
        done, conflicts, skipped = 0, 0, []
        while True:
            partners = Partner.search(
                [("care_churn_dirty", "=", True), ("id", "not in", skipped)],
                order="id",
                limit=batch_size,
            )
            if not partners:
                break
            try:
                locked = lock_free_rows(partners)
                self._write_scores(locked, self._scores(locked.ids))
            except CONCURRENCY_ERRORS:
                # Rows another worker committed: start over in a new
                # transaction, a few times at most, then leave them.
                conflicts += 1
                if conflicts > MAX_JOB_CONFLICTS:
                    skipped += partners.ids
                    conflicts = 0
                Cron._commit_progress()
                continue
            conflicts = 0
            skipped += (partners - locked).ids
            done += len(locked)
            time_left = Cron._commit_progress(
                len(locked), remaining=self._dirty_count()
            )
            if time_left <= 0:
                break
        return done

    @api.model
    def _refresh_now(self):
        """Mark and score in the current transaction, without committing (the
        demo data, right after its history is loaded)."""
        self._mark_changed()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = Partner.search([("care_churn_dirty", "=", True)])
        self._write_scores(partners, self._scores(partners.ids))
        return len(partners)

    def _dirty_count(self):
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("care_churn_dirty", "=", True)])
        )

    # ---- 1. mark ----

    @api.model
    def _mark_changed(self):
        """Flag the customers whose churn signals may have changed since the
        watermark, and move the watermark to now."""
        ICP = self.env["ir.config_parameter"].sudo()
        now = fields.Datetime.now()
        since = fields.Datetime.to_datetime(ICP.get_param(WATERMARK_PARAM)) or datetime(
            1970, 1, 1
        )
        ids = self._changed_customer_ids(since, now)
        if ids:
            # sudo: a technical flag that only this job reads and clears.
            self.env["res.partner"].sudo().browse(ids).write({"care_churn_dirty": True})
        ICP.set_param(WATERMARK_PARAM, fields.Datetime.to_string(now))
        return ids

    @api.model
    def _changed_customer_ids(self, since, now):
        tables = {
            "ticket": SQL.identifier(self.env["care.ticket"]._table),
            "rating": SQL.identifier(self.env["rating.rating"]._table),
            "entry": SQL.identifier(self.env["care.emotion.entry"]._table),
            "sale": SQL.identifier(self.env["sale.order"]._table),
            "partner": SQL.identifier(self.env["res.partner"]._table),
        }
        parts = [
            SQL(
                """SELECT commercial_partner_id
                     FROM %(ticket)s WHERE write_date >= %(s)s""",
                s=since,
                **tables,
            ),
            SQL(
                """SELECT t.commercial_partner_id
                     FROM %(rating)s r JOIN %(ticket)s t ON t.id = r.res_id
                    WHERE r.res_model = 'care.ticket' AND r.write_date >= %(s)s""",
                s=since,
                **tables,
            ),
            SQL(
                "SELECT commercial_partner_id FROM %(entry)s WHERE write_date >= %(s)s",
                s=since,
                **tables,
            ),
            SQL(
                """SELECT p.commercial_partner_id
                     FROM %(sale)s so JOIN %(partner)s p ON p.id = so.partner_id
                    WHERE so.write_date >= %(s)s""",
                s=since,
                **tables,
            ),
        ]
        # The last order crossed a recency mark between the two runs.
        for days in formulas.RECENCY_MARKS:
            parts.append(
                SQL(
                    """SELECT p.commercial_partner_id
                         FROM %(sale)s so JOIN %(partner)s p ON p.id = so.partner_id
                        WHERE so.state = 'sale'
                     GROUP BY p.commercial_partner_id
                       HAVING max(so.date_order) >= %(lo)s
                          AND max(so.date_order) < %(hi)s""",
                    lo=since - timedelta(days=days),
                    hi=now - timedelta(days=days),
                    **tables,
                )
            )
        if "care.nps.answer" in self.env:
            parts.append(
                SQL(
                    "SELECT partner_id FROM %s WHERE write_date >= %s",
                    SQL.identifier(self.env["care.nps.answer"]._table),
                    since,
                )
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT id FROM (%s) changed(id) WHERE id IS NOT NULL",
                SQL(" UNION ").join(parts),
            )
        )
        return [row[0] for row in rows]

    # ---- 2. score ----

    @api.model
    def _scores(self, partner_ids):
        """``{partner_id: score}`` of commercial partners, from one query."""
        if not partner_ids:
            return {}
        since = fields.Datetime.now() - timedelta(days=SIGNAL_DAYS)
        detractor = SQL("FALSE")
        if "care_nps_category" in self.env["res.partner"]._fields:
            detractor = SQL("p.care_nps_category = 'detractor'")
        rows = self.env.execute_query(
            SQL(
                """
                WITH tickets AS (
                    SELECT t.commercial_partner_id AS pid,
                           count(*) FILTER (WHERE t.sla_status = 'failed') AS failures,
                           count(*) FILTER (WHERE tt.is_complaint) AS complaints
                      FROM %(ticket)s t
                 LEFT JOIN %(type)s tt ON tt.id = t.type_id
                     WHERE t.commercial_partner_id IN %(ids)s
                       AND t.create_date >= %(since)s
                  GROUP BY t.commercial_partner_id
                ), ratings AS (
                    SELECT t.commercial_partner_id AS pid, count(*) AS bad
                      FROM %(rating)s r JOIN %(ticket)s t ON t.id = r.res_id
                     WHERE r.res_model = 'care.ticket' AND r.consumed
                       AND r.rating > 0 AND r.rating <= 2
                       AND r.write_date >= %(since)s
                       AND t.commercial_partner_id IN %(ids)s
                  GROUP BY t.commercial_partner_id
                ), orders AS (
                    SELECT cp.commercial_partner_id AS pid,
                           max(so.date_order) AS last_order
                      FROM %(sale)s so JOIN %(partner)s cp ON cp.id = so.partner_id
                     WHERE so.state = 'sale' AND cp.commercial_partner_id IN %(ids)s
                  GROUP BY cp.commercial_partner_id
                )
                SELECT p.id, p.care_mood_score, p.care_mood_trend = 'worsening',
                       COALESCE(ratings.bad, 0), %(detractor)s,
                       COALESCE(tickets.failures, 0), COALESCE(tickets.complaints, 0),
                       orders.last_order
                  FROM %(partner)s p
             LEFT JOIN tickets ON tickets.pid = p.id
             LEFT JOIN ratings ON ratings.pid = p.id
             LEFT JOIN orders ON orders.pid = p.id
                 WHERE p.id IN %(ids)s
                """,
                ticket=SQL.identifier(self.env["care.ticket"]._table),
                type=SQL.identifier(self.env["care.ticket.type"]._table),
                rating=SQL.identifier(self.env["rating.rating"]._table),
                sale=SQL.identifier(self.env["sale.order"]._table),
                partner=SQL.identifier(self.env["res.partner"]._table),
                ids=tuple(partner_ids),
                since=since,
                detractor=detractor,
            )
        )
        now = fields.Datetime.now()
        scores = {}
        for pid, mood, worsening, bad, detract, failures, complaints, last in rows:
            scores[pid] = formulas.churn_score(
                mood_score=mood or 0.0,
                worsening=bool(worsening),
                bad_ratings=bad,
                detractor=bool(detract),
                sla_failures=failures,
                complaints=complaints,
                days_since_order=(now - last).days if last else None,
            )
        return scores

    @api.model
    def _write_scores(self, partners, scores):
        """Write the scores, one write per distinct score."""
        by_score = defaultdict(list)
        for partner in partners:
            by_score[scores.get(partner.id, 0)].append(partner.id)
        for score, ids in by_score.items():
            partners.browse(ids).write(
                {
                    "care_churn_risk": score,
                    "care_churn_risk_level": formulas.churn_level(score),
                    "care_churn_dirty": False,
                }
            )
        _logger.debug("Churn risk: %d customer(s) scored", len(partners))
