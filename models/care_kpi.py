"""The department's KPIs (issue 13): one service, ``care.kpi``, that the
dashboard, the monthly report and the digest all call.

Each ticket KPI is a set of tickets (``_ticket_sets``: one of the period's
anchor sets, narrowed by a condition), written once: a click on a figure
opens the tickets of its domain (``action_open``), and the figures are SQL
aggregates of the same conditions over the tickets the user may read (record
rules included). The periods shown together (this one and the one before)
are computed together: the tickets are read once, each ticket's membership of
each set computed once, then aggregated (``_ticket_figures``). Durations in
working hours are the SLA engine's, kept on the ticket row
(``care.ticket._compute_sla_figures``). The formulas (rates, NPS, deltas) are
in ``lib/kpi.py``; the README's "KPIs" section defines each.
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
# Conditions of _ticket_sets that depend on the period's dates.
PERIOD_CONDITIONS = ("created_solved", "response_failed")
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
    def _anchor_domains(self, date_from, date_to):
        """The period's four sets of tickets on which every KPI set is built
        (``_ticket_sets``): created in it, solved in it, still open at its
        end, and ``all``: every ticket (narrowed to the period's tickets
        where the KPIs are counted: ``_base_domain``)."""
        return {
            "created": Domain("create_date", ">=", date_from)
            & Domain("create_date", "<", date_to),
            "solved": Domain("is_closed", "=", True)
            & Domain("date_closed", ">=", date_from)
            & Domain("date_closed", "<", date_to),
            "backlog": Domain("create_date", "<", date_to)
            & (
                Domain("date_closed", "=", False) | Domain("date_closed", ">=", date_to)
            ),
            "all": Domain.TRUE,
        }

    @api.model
    def _line_conditions(self, date_from, date_to):
        """The SLA lines behind the two KPI sets defined by them: a ticket is
        in the set when one of its lines is (``_ticket_sets``,
        ``_condition_sql``)."""
        return {
            "sla_failed": Domain("status", "=", "failed"),
            "response_failed": Domain("kind", "in", list(RESPONSE_KINDS))
            & Domain("status", "=", "failed")
            & Domain("start_date", ">=", date_from)
            & Domain("start_date", "<", date_to),
        }

    @api.model
    def _ticket_sets(self, date_from, date_to):
        """``{key: (anchor, condition)}``: the ticket set of each KPI over
        ``[date_from, date_to)`` (naive UTC datetimes) is an anchor set of
        ``_anchor_domains`` narrowed by a condition on the ticket. Only the
        conditions of ``PERIOD_CONDITIONS`` name the period's dates."""
        lines = self._line_conditions(date_from, date_to)
        return {
            "created": ("created", Domain.TRUE),
            "solved": ("solved", Domain.TRUE),
            "fcr": (
                "solved",
                Domain("agent_reply_count", "=", 1) & Domain("reopen_count", "=", 0),
            ),
            "reopened": ("solved", Domain("reopen_count", ">", 0)),
            "created_solved": (
                "created",
                Domain("is_closed", "=", True) & Domain("date_closed", "<", date_to),
            ),
            "backlog": ("backlog", Domain.TRUE),
            "complaints": ("created", Domain("type_id.is_complaint", "=", True)),
            "rated": ("solved", Domain("rating_last_value", ">", 0)),
            "satisfied": (
                "solved",
                Domain("rating_last_value", ">=", formulas.CSAT_SATISFIED_MIN),
            ),
            "unsatisfied": (
                "solved",
                Domain("rating_last_value", ">", 0)
                & Domain("rating_last_value", "<", formulas.CSAT_SATISFIED_MIN),
            ),
            "sla_failed": (
                "created",
                Domain("sla_line_ids", "any", list(lines["sla_failed"])),
            ),
            "response_failed": (
                "all",
                Domain("sla_line_ids", "any", list(lines["response_failed"])),
            ),
        }

    @api.model
    def _ticket_domains(self, date_from, date_to):
        """The ticket sets of the KPIs over ``[date_from, date_to)`` (naive
        UTC datetimes), before the filters: what a figure counts and what a
        click on it opens."""
        anchors = self._anchor_domains(date_from, date_to)
        return {
            key: anchors[anchor] & condition
            for key, (anchor, condition) in self._ticket_sets(
                date_from, date_to
            ).items()
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
        filters = {
            "team_ids": team_ids,
            "user_ids": user_ids,
            "channels": channels,
            "type_ids": type_ids,
        }
        return self._compute_periods([(date_from, date_to)], filters)[0]

    @api.model
    def _compute_periods(self, periods, filters):
        """The KPIs of several periods (``[(date_from, date_to), ...]``, as
        for ``compute``), one dict each. The periods share their queries: the
        tickets are read once for all of them (one scan with a filtered
        aggregate per period and figure), then the SLA lines once, then the
        customers once. The dashboard and the monthly report compare a period
        with the one before: their cost is that of one period, not two."""
        bounds = [
            self._utc_bounds(date_from, date_to) for date_from, date_to in periods
        ]
        results = [{"date_from": start, "date_to": stop} for start, stop in bounds]
        for res, figures in zip(
            results, self._ticket_figures(bounds, filters), strict=True
        ):
            res.update(figures)
        for res, figures in zip(
            results, self._sla_figures(bounds, filters), strict=True
        ):
            res.update(figures)
        retention = self._retention_periods(bounds, filters)
        at_risk = self._at_risk_count()
        for res, (start, stop), (rate, retained, previous) in zip(
            results, bounds, retention, strict=True
        ):
            res.update(
                fcr_rate=formulas.ratio(res["fcr"], res["solved"]),
                reopen_rate=formulas.ratio(res["reopened"], res["solved"]),
                resolution_rate=formulas.ratio(res["created_solved"], res["created"]),
                csat=formulas.ratio(res["satisfied"], res["rated"]),
                retention=rate,
                retained=retained,
                previous_customers=previous,
                at_risk=at_risk,
            )
            res.update(self._complaint_rate(res["complaints"], start, stop))
            res.update(self._nps(start, stop))
        return results

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

    def _condition_sql(self, query, key, condition, start, stop, since):
        """SQL of a ``_ticket_sets`` condition on the tickets of ``query``.
        The two conditions on SLA lines are written ``id IN (lines...)``:
        PostgreSQL reads the lines once and looks each ticket up in a hash,
        where the domain's ``EXISTS`` probes the lines once per ticket (the
        same lines: the SLA lines' record rules apply). ``since``: the
        earliest creation of the tickets the condition is asked of (no line
        of theirs started before)."""
        lines = self._line_conditions(start, stop)
        if key not in lines:
            return self._sql_condition(query, condition)
        lines = lines[key]
        if key == "sla_failed":
            # Asked of tickets created in a period: their lines started in it
            # or later.
            lines &= Domain("start_date", ">=", since)
        Line = self.env["care.ticket.sla"]
        return SQL(
            "%s IN %s",
            SQL.identifier(query.table, "id"),
            Line._search(lines).subselect(SQL.identifier(Line._table, "ticket_id")),
        )

    def _ticket_figures(self, bounds, filters):
        """The figures read on the ticket rows, for each period of
        ``bounds``, in one query: the counts of the sets of ``_ticket_sets``,
        the backlog's age, the SLA success (targets decided and reached, of
        the tickets created in the period) and the durations in working
        hours (the SLA engine's, kept on the ticket by
        ``_compute_sla_figures``):

        * first response: tickets created in the period;
        * resolution: tickets solved in the period, creation to solving,
          waiting on the customer included;
        * handling: the same without the waiting: the time the department
          had the ticket in hand.

        The tickets of all the periods are read once. The inner query
        computes, per ticket, its membership of each anchor set of each
        period and each condition once (a boolean column); the aggregates
        only combine those columns.
        """
        Ticket = self.env["care.ticket"]
        lo = min(start for start, __ in bounds)
        hi = max(stop for __, stop in bounds)
        query = Ticket._search(self._base_domain(lo, hi, filters))

        def name(*parts):
            return SQL.identifier("_".join(str(part) for part in parts))

        columns = [
            SQL.identifier(query.table, field)
            for field in (
                "first_response_hours",
                "resolution_hours",
                "handling_hours",
                "has_first_response_hours",
                "has_resolution_hours",
                "sla_decided_count",
                "sla_reached_count",
            )
        ]
        conditions = {}
        for index, (start, stop) in enumerate(bounds):
            anchors = self._anchor_domains(start, stop)
            # Each period keeps to its own tickets among those read.
            anchors["all"] = self._base_domain(start, stop, {})
            for anchor, domain in anchors.items():
                columns.append(
                    SQL(
                        "COALESCE(%s, FALSE) AS %s",
                        self._sql_condition(query, domain),
                        name("in", anchor, index),
                    )
                )
            columns.append(
                SQL(
                    # date_part: a double; EXTRACT would compute in numeric.
                    "date_part('epoch', %s - %s) / 86400.0 AS %s",
                    stop,
                    SQL.identifier(query.table, "create_date"),
                    name("age", index),
                )
            )
            for key, (__, condition) in self._ticket_sets(start, stop).items():
                column = name("if", key, index if key in PERIOD_CONDITIONS else 0)
                if condition.is_true() or column in conditions:
                    continue
                sql = self._condition_sql(query, key, condition, start, stop, lo)
                conditions[column] = sql
                columns.append(SQL("COALESCE(%s, FALSE) AS %s", sql, column))

        aggregates, keys = [], []

        def aggregate(index, key, expression, *args):
            keys.append((index, key))
            aggregates.append(SQL(expression, *args))

        for index, (start, stop) in enumerate(bounds):
            for key, (anchor, condition) in self._ticket_sets(start, stop).items():
                where = name("in", anchor, index)
                if not condition.is_true():
                    column = name("if", key, index if key in PERIOD_CONDITIONS else 0)
                    where = SQL("%s AND %s", where, column)
                aggregate(index, key, "count(*) FILTER (WHERE %s)", where)
            created = name("in", "created", index)
            solved = name("in", "solved", index)
            for key in ("sla_decided", "sla_reached"):
                aggregate(
                    index,
                    key,
                    "COALESCE(sum(%s) FILTER (WHERE %s), 0)",
                    SQL.identifier(f"{key}_count"),
                    created,
                )
            measures = (
                ("backlog_age", name("age", index), name("in", "backlog", index)),
                (
                    "first_response",
                    SQL("first_response_hours"),
                    SQL("%s AND has_first_response_hours", created),
                ),
                (
                    "resolution",
                    SQL("resolution_hours"),
                    SQL("%s AND has_resolution_hours", solved),
                ),
                (
                    "handling",
                    SQL("handling_hours"),
                    SQL("%s AND has_resolution_hours", solved),
                ),
            )
            for key, value, where in measures:
                aggregate(
                    index,
                    f"{key}_median",
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s)",
                    value,
                    where,
                )
                aggregate(
                    index, f"{key}_avg", "avg(%s) FILTER (WHERE %s)", value, where
                )
                if key == "backlog_age":
                    aggregate(
                        index, f"{key}_max", "max(%s) FILTER (WHERE %s)", value, where
                    )
                else:
                    aggregate(
                        index, f"{key}_count", "count(*) FILTER (WHERE %s)", where
                    )
        # OFFSET 0 keeps the inner query whole: inlined, PostgreSQL would
        # evaluate each membership again in every aggregate that uses it.
        row = self.env.execute_query(
            SQL(
                "SELECT %s FROM (%s OFFSET 0) ticket",
                SQL(", ").join(aggregates),
                query.select(*columns),
            )
        )[0]
        figures = [{} for __ in bounds]
        for (index, key), value in zip(keys, row, strict=True):
            figures[index][key] = value
        for res in figures:
            res["sla_success"] = formulas.ratio(res["sla_reached"], res["sla_decided"])
        return figures

    def _sla_figures(self, bounds, filters):
        """Response rate: the customer messages whose reply was due in the
        period (start of a first- or every-response clock), % answered in
        time; a message under several policies is answered in time if it is
        for all of them. One query on the SLA lines for the periods of
        ``bounds``: the lines' record rules are the tickets' (what an agent
        may read), the filters and the merged or archived tickets are looked
        up on the tickets."""
        Line = self.env["care.ticket.sla"]
        lo = min(start for start, __ in bounds)
        hi = max(stop for __, stop in bounds)
        domain = (
            Domain("kind", "in", list(RESPONSE_KINDS))
            & Domain("status", "in", ["reached", "failed"])
            & Domain("start_date", ">=", lo)
            & Domain("start_date", "<", hi)
            # Few tickets are merged or archived: a short list to leave out,
            # where the tickets counted would be a long one to look up.
            & Domain(
                "ticket_id",
                "not any",
                Domain("active", "=", False) | Domain("merged_into_id", "!=", False),
            )
        )
        ticket_filters = {key: value for key, value in filters.items() if value}
        if ticket_filters:
            domain &= Domain("ticket_id", "any", self._filter_domain(**ticket_filters))
        query = Line._search(domain)
        answered = []
        for start, stop in bounds:
            due = SQL("start_date >= %s AND start_date < %s", start, stop)
            answered += [
                SQL("count(*) FILTER (WHERE %s AND in_time)", due),
                SQL("count(*) FILTER (WHERE %s)", due),
            ]
        query.groupby = SQL(
            "%s, %s",
            SQL.identifier(query.table, "ticket_id"),
            SQL.identifier(query.table, "start_date"),
        )
        row = self.env.execute_query(
            SQL(
                "SELECT %s FROM (%s) message",
                SQL(", ").join(answered),
                query.select(
                    SQL.identifier(query.table, "start_date"),
                    SQL(
                        "bool_and(%s = 'reached') AS in_time",
                        SQL.identifier(query.table, "status"),
                    ),
                ),
            )
        )[0]
        figures = []
        for index in range(len(bounds)):
            in_time, due = row[2 * index : 2 * index + 2]
            figures.append(
                {
                    "messages_answered": in_time,
                    "messages_due": due,
                    "response_rate": formulas.ratio(in_time, due),
                }
            )
        return figures

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
        or a sales order confirmed in ``[start, stop)``, with the date
        (``customer``, ``date``)."""
        Ticket = self.env["care.ticket"]
        tickets = Ticket._search(
            self._filter_domain(**filters)
            & Domain("create_date", ">=", start)
            & Domain("create_date", "<", stop)
            & Domain("commercial_partner_id", "!=", False)
        )
        return SQL(
            """%s UNION ALL
            SELECT partner.commercial_partner_id, so.date_order
              FROM %s so JOIN %s partner ON partner.id = so.partner_id
             WHERE so.state = 'sale' AND so.date_order >= %s AND so.date_order < %s
               AND so.company_id IN %s""",
            tickets.select(
                SQL.identifier(Ticket._table, "commercial_partner_id"),
                SQL.identifier(Ticket._table, "create_date"),
            ),
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
        return self._retention_periods([(start, stop)], filters)[0]

    def _retention_periods(self, bounds, filters):
        """``_retention`` of each period of ``bounds``, in one query: the
        customers active from the earliest previous period on are read once,
        with one flag per period and per previous period."""
        lo = min(start - (stop - start) for start, stop in bounds)
        hi = max(stop for __, stop in bounds)
        flags, counts = [], []
        for index, (start, stop) in enumerate(bounds):
            prev_start = start - (stop - start)
            flags += [
                SQL(
                    "bool_or(active_on >= %s AND active_on < %s) AS %s",
                    prev_start,
                    start,
                    SQL.identifier(f"prev_{index}"),
                ),
                SQL(
                    "bool_or(active_on >= %s AND active_on < %s) AS %s",
                    start,
                    stop,
                    SQL.identifier(f"cur_{index}"),
                ),
            ]
            prev, cur = SQL.identifier(f"prev_{index}"), SQL.identifier(f"cur_{index}")
            counts += [
                SQL("count(*) FILTER (WHERE %s)", prev),
                SQL(
                    "array_agg(customer ORDER BY customer) FILTER (WHERE %s AND %s)",
                    prev,
                    cur,
                ),
            ]
        row = self.env.execute_query(
            SQL(
                """
                SELECT %(counts)s
                  FROM (SELECT customer, %(flags)s
                          FROM (%(active)s) active (customer, active_on)
                      GROUP BY customer) customers
                """,
                counts=SQL(", ").join(counts),
                flags=SQL(", ").join(flags),
                active=self._active_customers(lo, hi, filters),
            )
        )[0]
        result = []
        for index in range(len(bounds)):
            previous, retained = row[2 * index], row[2 * index + 1] or []
            result.append((formulas.ratio(len(retained), previous), retained, previous))
        return result

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

    def _compare_cards(self, cur, prev):
        """The figures of ``_cards`` for a period (``cur``, a dict of
        ``compute``) against the one before (``prev``): what the dashboard
        and the monthly report show."""
        return [
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
    def get_dashboard(
        self, date_from=None, date_to=None, team_ids=None, scope=None, parts=None
    ):
        """What the dashboard shows. ``parts``: ``"cards"`` (the figures of
        the period against the one before, with the period, scope and teams)
        and ``"details"`` (daily trend, moods, customers at risk, follow-ups,
        load per agent); both by default. The page asks for the two parts in
        two calls at once: each is computed on its own worker and the page
        waits for the longer, not for their sum."""
        self.env["care.ticket"].check_access("read")
        parts = set(parts or ("cards", "details"))
        date_from, date_to = self._dashboard_period(date_from, date_to)
        prev_from, prev_to = self._previous_period(date_from, date_to)
        scope, is_manager, filters = self._dashboard_filters(team_ids, scope)
        res = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "previous_from": fields.Date.to_string(prev_from),
            "previous_to": fields.Date.to_string(prev_to),
            "scope": scope,
            "is_manager": is_manager,
            "team_ids": filters["team_ids"] or [],
        }
        if "cards" in parts:
            cur, prev = self._compute_periods(
                [(date_from, date_to), (prev_from, prev_to)], filters
            )
            res["cards"] = self._compare_cards(cur, prev)
            res["teams"] = self.env["care.team"].search_read(
                [], ["name"], limit=TEAMS_LIMIT
            )
        if "details" in parts:
            start, stop = self._utc_bounds(date_from, date_to)
            res.update(
                trend=self._trend(start, stop, filters),
                moods=self._moods(start, stop),
                at_risk=self._at_risk_customers(),
                followups=self._followups(),
                agents=self._agent_load(start, stop, filters),
            )
        return res

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
