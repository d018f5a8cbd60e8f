"""The department's KPIs (issue 13): one service, ``care.kpi``, that the
dashboard, the monthly report and the digest all call.

Each ticket KPI is a *domain* (``_ticket_domains``), written once: the
figures are SQL aggregates over it (``count(*) FILTER (WHERE <domain>)`` in a
single query on the tickets the user may read, record rules included), and a
click on a figure opens the tickets of the same domain (``action_open``).
Durations in working hours come from the SLA status lines, where the SLA
engine already counted them in the team's working time. The formulas (rates,
NPS, deltas) are in ``lib/kpi.py``; the README's "KPIs" section defines each.
"""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import kpi as formulas

# Drill-down targets that are not tickets.
PARTNER_KEYS = ("at_risk", "retained")
# Response targets: the customer's first message and each later one.
RESPONSE_KINDS = ("first_response", "every_response")
# Teams offered by the dashboard's team filter.
TEAMS_LIMIT = 200
# The dashboard's figures: key (of compute()), unit, which way is better,
# what a click opens (a key of _ticket_domains or a special target).
CARDS = [
    ("created", ("count", None, "created")),
    ("solved", ("count", "up", "solved")),
    ("backlog", ("count", "down", "backlog")),
    ("backlog_age_avg", ("days", "down", "backlog")),
    ("first_response_median", ("hours", "down", "created")),
    ("resolution_median", ("hours", "down", "solved")),
    ("handling_avg", ("hours", "down", "solved")),
    ("sla_success", ("percent", "up", "sla_failed")),
    ("response_rate", ("percent", "up", "response_failed")),
    ("fcr_rate", ("percent", "up", "fcr")),
    ("reopen_rate", ("percent", "down", "reopened")),
    ("resolution_rate", ("percent", "up", "created_solved")),
    ("complaints", ("count", "down", "complaints")),
    ("complaints_per_100_orders", ("ratio", "down", "complaints")),
    ("csat", ("percent", "up", "unsatisfied")),
    ("nps", ("score", "up", "nps")),
    ("retention", ("percent", "up", "retained")),
    ("at_risk", ("count", "down", "at_risk")),
]


class CareKpi(models.AbstractModel):
    _name = "care.kpi"
    _description = "Customer Care KPIs"

    # ------------------------------------------------------------------
    # Domains: one definition per KPI, for the figure and its drill-down
    # ------------------------------------------------------------------

    @api.model
    def _filter_domain(
        self, team_ids=None, user_ids=None, channels=None, type_ids=None
    ):
        domain = Domain.TRUE
        if team_ids:
            domain &= Domain("team_id", "in", list(team_ids))
        if user_ids:
            domain &= Domain("user_id", "in", list(user_ids))
        if channels:
            domain &= Domain("channel", "in", list(channels))
        if type_ids:
            domain &= Domain("type_id", "in", list(type_ids))
        # A ticket merged into another (issue 14) is counted once, as the
        # ticket it was merged into.
        if "merged_into_id" in self.env["care.ticket"]._fields:
            domain &= Domain("merged_into_id", "=", False)
        return domain

    @api.model
    def _ticket_domains(self, date_from, date_to):
        """The ticket sets of the KPIs over ``[date_from, date_to)`` (naive
        UTC datetimes), before the filters."""
        created = Domain("create_date", ">=", date_from) & Domain(
            "create_date", "<", date_to
        )
        solved = (
            Domain("is_closed", "=", True)
            & Domain("date_closed", ">=", date_from)
            & Domain("date_closed", "<", date_to)
        )
        backlog = Domain("create_date", "<", date_to) & (
            Domain("date_closed", "=", False) | Domain("date_closed", ">=", date_to)
        )
        rated = solved & Domain("rating_last_value", ">", 0)
        return {
            "created": created,
            "solved": solved,
            "fcr": solved
            & Domain("agent_reply_count", "=", 1)
            & Domain("reopen_count", "=", 0),
            "reopened": solved & Domain("reopen_count", ">", 0),
            "created_solved": created
            & Domain("is_closed", "=", True)
            & Domain("date_closed", "<", date_to),
            "backlog": backlog,
            "complaints": created & Domain("type_id.is_complaint", "=", True),
            "rated": rated,
            "satisfied": rated
            & Domain("rating_last_value", ">=", formulas.CSAT_SATISFIED_MIN),
            "unsatisfied": rated
            & Domain("rating_last_value", "<", formulas.CSAT_SATISFIED_MIN),
            "sla_failed": created & Domain("sla_line_ids.status", "=", "failed"),
            "response_failed": Domain(
                "sla_line_ids",
                "any",
                [
                    ("kind", "in", list(RESPONSE_KINDS)),
                    ("status", "=", "failed"),
                    ("start_date", ">=", date_from),
                    ("start_date", "<", date_to),
                ],
            ),
        }

    @api.model
    def _base_domain(self, date_from, date_to, filters):
        """Every ticket a KPI of the period may count: created before its end
        and not closed before its start."""
        return (
            self._filter_domain(**filters)
            & Domain("create_date", "<", date_to)
            & (
                Domain("date_closed", "=", False)
                | Domain("date_closed", ">=", date_from)
            )
        )

    # ------------------------------------------------------------------
    # The service
    # ------------------------------------------------------------------

    @api.model
    def compute(
        self,
        date_from,
        date_to,
        team_ids=None,
        user_ids=None,
        channels=None,
        type_ids=None,
    ):
        """The KPIs of ``[date_from, date_to)`` as a dict (see the README's
        "KPIs"). Dates are ``date`` (whole days in the user's timezone) or
        naive UTC ``datetime``. A rate of nothing is ``None``."""
        start, stop = self._utc_bounds(date_from, date_to)
        filters = {
            "team_ids": team_ids,
            "user_ids": user_ids,
            "channels": channels,
            "type_ids": type_ids,
        }
        Ticket = self.env["care.ticket"]
        domains = self._ticket_domains(start, stop)
        base = Ticket._search(self._base_domain(start, stop, filters))
        counts = self._count_filtered(base, domains)
        res = dict(counts)
        res.update(
            date_from=start,
            date_to=stop,
            fcr_rate=formulas.ratio(counts["fcr"], counts["solved"]),
            reopen_rate=formulas.ratio(counts["reopened"], counts["solved"]),
            resolution_rate=formulas.ratio(counts["created_solved"], counts["created"]),
            csat=formulas.ratio(counts["satisfied"], counts["rated"]),
        )
        res.update(self._backlog_age(base, domains["backlog"], stop))
        res.update(self._durations(base, domains))
        res.update(self._sla_rates(base, domains["created"], start, stop))
        res.update(self._complaint_rate(counts["complaints"], start, stop))
        res.update(self._nps(start, stop))
        res["retention"], res["retained"], res["previous_customers"] = self._retention(
            start, stop, filters
        )
        res["at_risk"] = self._at_risk_count()
        return res

    # ---- period ----

    @api.model
    def _utc_bounds(self, date_from, date_to):
        """Naive UTC datetimes of a period; days are the user's local days,
        ``date_to`` included."""
        if isinstance(date_from, str):
            date_from = fields.Date.to_date(date_from)
        if isinstance(date_to, str):
            date_to = fields.Date.to_date(date_to)
        if isinstance(date_from, datetime):
            return date_from, date_to
        tz = ZoneInfo(self.env.user.tz or "UTC")

        def to_utc(day):
            local = datetime.combine(day, time.min, tz)
            return local.astimezone(timezone.utc).replace(tzinfo=None)

        return to_utc(date_from), to_utc(date_to + timedelta(days=1))

    @api.model
    def _previous_period(self, date_from, date_to):
        """The period of the same length just before (dates, inclusive)."""
        if date_from.day == 1 and date_to == date_from + relativedelta(
            months=1, days=-1
        ):
            prev_from = date_from - relativedelta(months=1)
            return prev_from, date_from - timedelta(days=1)
        length = (date_to - date_from).days + 1
        return date_from - timedelta(days=length), date_from - timedelta(days=1)

    # ---- aggregates ----

    def _sql_condition(self, query, domain):
        Ticket = self.env["care.ticket"]
        return domain.optimize_full(Ticket)._to_sql(Ticket, Ticket._table, query)

    def _count_filtered(self, query, domains, groupby=None):
        """``{key: count}`` of each domain within ``query``, in one SQL
        aggregate; with ``groupby`` (a column), ``{group: {key: count}}``."""
        selects = [
            SQL(
                "count(*) FILTER (WHERE %s) AS %s",
                self._sql_condition(query, domain),
                SQL.identifier(key),
            )
            for key, domain in domains.items()
        ]
        if groupby:
            column = SQL.identifier(query.table, groupby)
            query.groupby = column
            rows = self.env.execute_query_dict(
                query.select(SQL("%s AS __group", column), *selects)
            )
            query.groupby = None
            return {row.pop("__group"): row for row in rows}
        return self.env.execute_query_dict(query.select(*selects))[0]

    def _backlog_age(self, base, backlog, stop):
        """Age in days, at the end of the period, of the tickets still open."""
        condition = self._sql_condition(base, backlog)
        age = SQL(
            "EXTRACT(EPOCH FROM (%s - %s)) / 86400.0",
            stop,
            SQL.identifier(base.table, "create_date"),
        )
        row = self.env.execute_query(
            base.select(
                SQL("avg(%s) FILTER (WHERE %s)", age, condition),
                SQL(
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s)",
                    age,
                    condition,
                ),
                SQL("max(%s) FILTER (WHERE %s)", age, condition),
            )
        )[0]
        return {
            "backlog_age_avg": row[0],
            "backlog_age_median": row[1],
            "backlog_age_max": row[2],
        }

    def _durations(self, base, domains):
        """Median and average working hours, per ticket, from the SLA
        engine's lines (``hours_used``: pauses excluded; ``paused_hours``:
        the time spent waiting on the customer):

        * first response: tickets created in the period, first-response line;
        * resolution: tickets solved in the period, creation to solving,
          waiting on the customer included;
        * handling: the same without the waiting: the time the department
          had the ticket in hand.
        """
        Ticket = self.env["care.ticket"]
        line_table = SQL.identifier(self.env["care.ticket.sla"]._table)
        res = {}
        specs = (
            ("first_response", "created", "first_response", SQL("line.hours_used")),
            (
                "resolution",
                "solved",
                "resolution",
                SQL("line.hours_used + COALESCE(line.paused_hours, 0)"),
            ),
            ("handling", "solved", "resolution", SQL("line.hours_used")),
        )
        for key, set_key, kind, hours in specs:
            tickets = Ticket._search(Domain("id", "in", base) & domains[set_key])
            row = self.env.execute_query(
                SQL(
                    """
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours),
                           avg(hours), count(*)
                      FROM (SELECT line.ticket_id, min(%(hours)s) AS hours
                              FROM %(lines)s line
                             WHERE line.kind = %(kind)s
                               AND line.working_time IS TRUE
                               AND line.reached_at IS NOT NULL
                               AND line.ticket_id IN %(tickets)s
                          GROUP BY line.ticket_id) per_ticket
                    """,
                    hours=hours,
                    lines=line_table,
                    kind=kind,
                    tickets=tickets.subselect(),
                )
            )[0]
            res[f"{key}_median"], res[f"{key}_avg"], res[f"{key}_count"] = row
        return res

    def _sla_rates(self, base, created, start, stop):
        """SLA success: the decided targets (reached or failed) of the
        tickets created in the period, % reached in time. Response rate: the
        customer messages whose reply was due in the period (start of a
        first- or every-response clock), % answered in time; a message under
        several policies is answered in time if it is for all of them."""
        Ticket = self.env["care.ticket"]
        line_table = SQL.identifier(self.env["care.ticket.sla"]._table)
        tickets = Ticket._search(Domain("id", "in", base) & created)
        sla = self.env.execute_query(
            SQL(
                """
                SELECT count(*) FILTER (WHERE status = 'reached'), count(*)
                  FROM %s
                 WHERE status IN ('reached', 'failed') AND ticket_id IN %s
                """,
                line_table,
                tickets.subselect(),
            )
        )[0]
        answered = self.env.execute_query(
            SQL(
                """
                SELECT count(*) FILTER (WHERE in_time), count(*)
                  FROM (SELECT bool_and(status = 'reached') AS in_time
                          FROM %(lines)s
                         WHERE kind IN %(kinds)s
                           AND status IN ('reached', 'failed')
                           AND start_date >= %(start)s AND start_date < %(stop)s
                           AND ticket_id IN %(tickets)s
                      GROUP BY ticket_id, start_date) message
                """,
                lines=line_table,
                kinds=RESPONSE_KINDS,
                start=start,
                stop=stop,
                tickets=base.subselect(),
            )
        )[0]
        return {
            "sla_reached": sla[0],
            "sla_decided": sla[1],
            "sla_success": formulas.ratio(sla[0], sla[1]),
            "messages_answered": answered[0],
            "messages_due": answered[1],
            "response_rate": formulas.ratio(answered[0], answered[1]),
        }

    def _complaint_rate(self, complaints, start, stop):
        """Complaints per 100 sales orders confirmed in the period."""
        # sudo: only the number of confirmed orders of the user's companies
        # is read, for a ratio; no order is shown.
        orders = (
            self.env["sale.order"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "sale"),
                    ("date_order", ">=", start),
                    ("date_order", "<", stop),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        )
        return {
            "orders": orders,
            "complaints_per_100_orders": formulas.ratio(complaints, orders),
        }

    def _nps(self, start, stop):
        """NPS of the answers given in the period (the customer's, whatever
        the team or agent filter: it measures the company)."""
        empty = {
            "nps": None,
            "nps_promoters": 0,
            "nps_passives": 0,
            "nps_detractors": 0,
        }
        if "care.nps.answer" not in self.env:
            return empty
        Answer = self.env["care.nps.answer"]
        try:
            groups = Answer._read_group(
                self._nps_domain(start, stop), ["category"], ["__count"]
            )
        except AccessError:
            return empty
        by_category = dict(groups)
        promoters = by_category.get("promoter", 0)
        passives = by_category.get("passive", 0)
        detractors = by_category.get("detractor", 0)
        return {
            "nps": formulas.nps(promoters, passives, detractors),
            "nps_promoters": promoters,
            "nps_passives": passives,
            "nps_detractors": detractors,
        }

    @api.model
    def _nps_domain(self, start, stop):
        return (
            Domain("answered_at", ">=", start)
            & Domain("answered_at", "<", stop)
            & Domain("company_id", "in", self.env.companies.ids)
        )

    def _active_customers(self, start, stop, filters):
        """SQL of the customers (commercial partners) with a ticket created
        or a sales order confirmed in ``[start, stop)``."""
        Ticket = self.env["care.ticket"]
        tickets = Ticket._search(
            self._filter_domain(**filters)
            & Domain("create_date", ">=", start)
            & Domain("create_date", "<", stop)
            & Domain("commercial_partner_id", "!=", False)
        )
        return SQL(
            """%s UNION
            SELECT partner.commercial_partner_id
              FROM %s so JOIN %s partner ON partner.id = so.partner_id
             WHERE so.state = 'sale' AND so.date_order >= %s AND so.date_order < %s
               AND so.company_id IN %s""",
            tickets.select(SQL.identifier(Ticket._table, "commercial_partner_id")),
            SQL.identifier(self.env["sale.order"]._table),
            SQL.identifier(self.env["res.partner"]._table),
            start,
            stop,
            tuple(self.env.companies.ids),
        )

    def _retention(self, start, stop, filters):
        """Customers active in the previous period (same length) who came
        back in this one, in % of the previous period's: ``(rate, ids of
        those who came back, count of the previous period's)``."""
        prev_start = start - (stop - start)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT prev.commercial_partner_id, cur.commercial_partner_id
                  FROM (%s) prev
             LEFT JOIN (%s) cur USING (commercial_partner_id)
                """,
                self._active_customers(prev_start, start, filters),
                self._active_customers(start, stop, filters),
            )
        )
        retained = [prev for prev, cur in rows if cur]
        return formulas.ratio(len(retained), len(rows)), retained, len(rows)

    def _at_risk_count(self):
        return self.env["res.partner"].search_count(self._at_risk_domain())

    @api.model
    def _at_risk_domain(self, levels=("high",)):
        """Customers at risk. The score reads the mood, so it is searched like
        the mood (res_partner.py): an agent finds only the customers of the
        tickets she can read."""
        return Domain("care_churn_risk_level", "in", list(levels))

    # ------------------------------------------------------------------
    # Dashboard (static/src/components/care_dashboard)
    # ------------------------------------------------------------------

    def _cards(self):
        """The dashboard's figures: ``(key, label, unit, better, drill)``;
        ``better`` says which way is good, ``drill`` what a click opens."""
        labels = self._card_labels()
        return [(key, labels[key], *spec) for key, spec in CARDS]

    def _card_labels(self):
        # One statement per label: Odoo's term extractor misreads a
        # translated string inside a tuple of other strings.
        labels = {}
        labels["created"] = self.env._("New Tickets")
        labels["solved"] = self.env._("Solved")
        labels["backlog"] = self.env._("Backlog")
        labels["backlog_age_avg"] = self.env._("Backlog Age (days)")
        labels["first_response_median"] = self.env._("First Response (median, h)")
        labels["resolution_median"] = self.env._("Resolution (median, h)")
        labels["handling_avg"] = self.env._("Handling Time (avg, h)")
        labels["sla_success"] = self.env._("SLA Success")
        labels["response_rate"] = self.env._("Response Rate")
        labels["fcr_rate"] = self.env._("First Contact Resolution")
        labels["reopen_rate"] = self.env._("Reopen Rate")
        labels["resolution_rate"] = self.env._("Resolution Rate")
        labels["complaints"] = self.env._("Complaints")
        labels["complaints_per_100_orders"] = self.env._("Complaints per 100 Orders")
        labels["csat"] = self.env._("CSAT")
        labels["nps"] = self.env._("NPS")
        labels["retention"] = self.env._("Retention")
        labels["at_risk"] = self.env._("Customers at Risk")
        return labels

    @api.model
    def _dashboard_filters(self, team_ids=None, scope=None):
        """Managers see every team; an agent sees her own tickets ("mine")
        or her teams' ("team"), within what the record rules let her read."""
        is_manager = self.env.user.has_group(
            "customer_care.customer_care_group_manager"
        )
        if scope not in ("all", "team", "mine"):
            scope = "all" if is_manager else "mine"
        if scope == "all" and not is_manager:
            scope = "team"
        filters = {"team_ids": [int(t) for t in team_ids or []] or None}
        if scope == "mine":
            filters["user_ids"] = [self.env.uid]
        elif scope == "team" and not filters["team_ids"]:
            filters["team_ids"] = self.env.user.care_team_ids.ids or None
        return scope, is_manager, filters

    @api.model
    def _dashboard_period(self, date_from=None, date_to=None):
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(date_to) if date_to else today
        date_from = (
            fields.Date.to_date(date_from)
            if date_from
            else date_to - timedelta(days=29)
        )
        return date_from, date_to

    @api.model
    def get_dashboard(self, date_from=None, date_to=None, team_ids=None, scope=None):
        """Everything the dashboard shows, in one call."""
        self.env["care.ticket"].check_access("read")
        date_from, date_to = self._dashboard_period(date_from, date_to)
        prev_from, prev_to = self._previous_period(date_from, date_to)
        scope, is_manager, filters = self._dashboard_filters(team_ids, scope)
        cur = self.compute(date_from, date_to, **filters)
        prev = self.compute(prev_from, prev_to, **filters)
        cards = [
            {
                "key": key,
                "label": label,
                "unit": unit,
                "better": better,
                "drill": drill,
                "value": cur.get(key),
                "previous": prev.get(key),
                "delta": formulas.delta(cur.get(key), prev.get(key)),
            }
            for key, label, unit, better, drill in self._cards()
        ]
        teams = self.env["care.team"].search_read([], ["name"], limit=TEAMS_LIMIT)
        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "previous_from": fields.Date.to_string(prev_from),
            "previous_to": fields.Date.to_string(prev_to),
            "scope": scope,
            "is_manager": is_manager,
            "teams": teams,
            "team_ids": filters["team_ids"] or [],
            "cards": cards,
            "trend": self._trend(cur["date_from"], cur["date_to"], filters),
            "moods": self._moods(cur["date_from"], cur["date_to"]),
            "at_risk": self._at_risk_customers(),
            "followups": self._followups(),
            "agents": self._agent_load(cur["date_from"], cur["date_to"], filters),
        }

    def _trend(self, start, stop, filters):
        """Tickets created and solved per day (the user's days)."""
        Ticket = self.env["care.ticket"]
        tz = self.env.user.tz or "UTC"
        rows = {}
        for key, column in (("created", "create_date"), ("solved", "date_closed")):
            domains = self._ticket_domains(start, stop)
            query = Ticket._search(self._filter_domain(**filters) & domains[key])
            day = SQL(
                "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
                SQL.identifier(Ticket._table, column),
                tz,
            )
            query.groupby = day
            for date, count in self.env.execute_query(
                query.select(day, SQL("count(*)"))
            ):
                rows.setdefault(date, {"created": 0, "solved": 0})[key] = count
        first = fields.Datetime.context_timestamp(self, start).date()
        last = fields.Datetime.context_timestamp(self, stop).date()
        days = []
        day = first
        while day < last:
            counts = rows.get(day, {"created": 0, "solved": 0})
            days.append({"date": fields.Date.to_string(day), **counts})
            day += timedelta(days=1)
        return days

    def _moods(self, start, stop):
        """Journal entries of the period per emotion (what the user may read)."""
        Entry = self.env["care.emotion.entry"]
        if not Entry.has_access("read"):
            return []
        groups = dict(
            Entry._read_group(
                [("date", ">=", start), ("date", "<", stop)], ["label"], ["__count"]
            )
        )
        labels = dict(Entry._fields["label"]._description_selection(self.env))
        return [
            {"label": label, "name": labels[label], "count": groups.get(label, 0)}
            for label in labels
        ]

    def _at_risk_customers(self, limit=8):
        partners = self.env["res.partner"].search(
            self._at_risk_domain(("medium", "high")),
            order="care_churn_risk desc, id",
            limit=limit,
        )
        return [
            {
                "id": p.id,
                "name": p.display_name,
                "risk": p.care_churn_risk,
                "level": p.care_churn_risk_level,
            }
            for p in partners
            if p.care_churn_risk_level
        ]

    @api.model
    def _followup_domain(self, when="overdue"):
        """The care follow-ups (models/mail_activity.py) that are overdue or
        due today; an agent counts hers, a manager everyone's."""
        today = fields.Date.context_today(self)
        Activity = self.env["mail.activity"]
        if "care_follow_up" in Activity._fields:
            domain = Domain("care_follow_up", "=", True)
        else:
            domain = Domain("res_model", "in", ["care.ticket", "res.partner"])
        domain &= Domain("date_deadline", "<" if when == "overdue" else "=", today)
        if not self.env.user.has_group("customer_care.customer_care_group_manager"):
            domain &= Domain("user_id", "=", self.env.uid)
        return domain

    def _followups(self):
        Activity = self.env["mail.activity"]
        return {
            "overdue": Activity.search_count(self._followup_domain("overdue")),
            "today": Activity.search_count(self._followup_domain("today")),
        }

    def _agent_load(self, start, stop, filters):
        """Per agent: open tickets at the end of the period, tickets assigned
        (created) and solved in it."""
        Ticket = self.env["care.ticket"]
        domains = self._ticket_domains(start, stop)
        base = Ticket._search(self._base_domain(start, stop, filters))
        counts = self._count_filtered(
            base,
            {k: domains[k] for k in ("backlog", "created", "solved")},
            groupby="user_id",
        )
        users = self.env["res.users"].browse([uid for uid in counts if uid]).exists()
        rows = [
            {"user_id": user.id, "name": user.name, **counts[user.id]} for user in users
        ]
        if counts.get(None):
            name = self.env._("Unassigned")
            rows.append({"user_id": False, "name": name, **counts[None]})
        return sorted(rows, key=lambda row: -row["backlog"])

    # ---- drill-down ----

    @api.model
    def action_open(
        self,
        drill,
        date_from=None,
        date_to=None,
        team_ids=None,
        scope=None,
        user_id=None,
    ):
        """The records behind a figure: the tickets of the KPI's domain (the
        same domain the figure counts), or the customers / answers / follow-ups
        it is about."""
        date_from, date_to = self._dashboard_period(date_from, date_to)
        scope, __, filters = self._dashboard_filters(team_ids, scope)
        if user_id is not None:
            filters["user_ids"] = [user_id] if user_id else None
        start, stop = self._utc_bounds(date_from, date_to)
        start_s, stop_s = (fields.Datetime.to_string(d) for d in (start, stop))
        if drill == "at_risk":
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "customer_care.care_partner_action_at_risk"
            )
            action["domain"] = list(self._at_risk_domain(("medium", "high")))
            return action
        if drill == "retained":
            __, retained, __ = self._retention(start, stop, filters)
            name = self.env._("Customers who came back")
            return self._window(name, "res.partner", [("id", "in", retained)])
        if drill == "followups":
            domain = list(self._followup_domain("overdue"))
            if self.env.ref(
                "customer_care.care_follow_up_action", raise_if_not_found=False
            ):
                # The follow-ups' own list, with their "Log outcome" button.
                action = self.env["ir.actions.act_window"]._for_xml_id(
                    "customer_care.care_follow_up_action"
                )
                action.update(domain=domain, context={})
                return action
            name = self.env._("Overdue Follow-ups")
            return self._window(name, "mail.activity", domain)
        if drill == "nps":
            if "care.nps.answer" not in self.env:
                return False
            name = self.env._("NPS Answers")
            domain = list(self._nps_domain(start_s, stop_s))
            return self._window(name, "care.nps.answer", domain)
        if drill == "moods":
            name = self.env._("Emotion Journal")
            domain = [("date", ">=", start_s), ("date", "<", stop_s)]
            return self._window(name, "care.emotion.entry", domain)
        domains = self._ticket_domains(start_s, stop_s)
        if drill not in domains:
            return False
        labels = {card[4]: card[1] for card in self._cards()}
        name = labels.get(drill) or self.env._("Tickets")
        domain = self._filter_domain(**filters) & domains[drill]
        return self._window(name, "care.ticket", list(domain))

    def _window(self, name, model, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
            "target": "current",
        }
