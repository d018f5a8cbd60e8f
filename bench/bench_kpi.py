#!/usr/bin/env python3
"""KPI benchmark of customer_care (issue 13).

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, fills it with SQL (fast set-up, marked rows, deleted at the end):
``--tickets`` tickets over 180 days (two thirds closed, with first-response
and resolution lines), ``--ratings`` ratings, ``--answers`` NPS answers (when
``care.nps.answer`` exists) and ``--customers`` customers, then measures:

* dashboard: ``care.kpi.get_dashboard()`` (last 30 days against the 30 before,
  everything the page shows) as a care manager, each call in a fresh
  environment (empty ORM cache, like an RPC), ``--repeat`` times after 3
  warm-ups: median and p95 of the page (its two calls, "cards" and
  "details", made at once on two cursors and threads, as the page asks two
  workers: the time until both are back) and of everything in one call;
* pdf: the monthly report of the last full month, HTML rendering and, with
  wkhtmltopdf, the PDF;
* churn: the refresh of every customer (all changed: first run), then of
  ``--changed`` customers (a ticket written for each): the work follows the
  customers that changed.

Usage::

    python3 bench/bench_kpi.py -d cc_kpi \
        --addons-path=/opt/odoo19/addons,/tmp/ccaddons \
        [--db_host 127.0.0.1 --db_port 5432 --db_user odoo --db_password odoo] \
        [--tickets 100000] [--ratings 20000] [--answers 5000] [--customers 50000]

Timings are printed; no test depends on them.
"""

import statistics
import sys
import time

from _common import db_parser, env_for, open_registry, percentile

MARK = "KPI-BENCH"


def parse_args():
    parser = db_parser(__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--ratings", type=int, default=20000)
    parser.add_argument("--answers", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=50000)
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the bench data")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the bench data a --keep run left (no fill, no clean-up)",
    )
    parser.add_argument(
        "--only",
        default="dashboard,pdf,churn",
        help="comma-separated subset of dashboard,pdf,churn",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time each SQL query of one dashboard load (slowest first)",
    )
    return parser.parse_args()


def cleanup(cr):
    from odoo.tools import SQL

    partners = SQL("SELECT id FROM res_partner WHERE name LIKE %s", MARK + "%")
    tickets = SQL("SELECT id FROM care_ticket WHERE name LIKE %s", MARK + "%")
    cr.execute(
        SQL(
            "DELETE FROM rating_rating WHERE res_model = 'care.ticket' "
            "AND res_id IN (%s)",
            tickets,
        )
    )
    cr.execute(SQL("DELETE FROM care_ticket WHERE id IN (%s)", tickets))
    cr.execute("SELECT to_regclass('care_nps_answer')")
    if cr.fetchone()[0]:
        cr.execute(
            SQL("DELETE FROM care_nps_answer WHERE partner_id IN (%s)", partners)
        )
    cr.execute(SQL("DELETE FROM res_partner WHERE id IN (%s)", partners))
    cr.execute("DELETE FROM res_users WHERE login LIKE 'kpi-bench%'")
    cr.commit()


def fill(registry, args):
    from odoo.tools import SQL

    with registry.cursor() as cr:
        cleanup(cr)
        env = env_for(cr)
        company = env.company
        teams = env["care.team"].search([("company_id", "=", company.id)], limit=3)
        if not teams:
            teams = env["care.team"].create({"name": f"{MARK} team"})
        stages = {
            "new": env.ref("customer_care.care_stage_new").id,
            "solved": env.ref("customer_care.care_stage_solved").id,
        }
        policy = env.ref("customer_care.care_sla_standard")
        targets = {t.kind: t.id for t in policy.target_ids}
        complaint = env.ref("customer_care.care_ticket_type_complaint").id
        env.flush_all()
        t0 = time.perf_counter()
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, active, type,
                    autopost_bills, create_date, write_date)
                SELECT %(mark)s || ' ' || g, %(mark)s || ' ' || g, TRUE, 'contact',
                       'ask', now(), now()
                  FROM generate_series(1, %(n)s) g
                """,
                mark=MARK,
                n=args.customers,
            )
        )
        cr.execute(
            SQL(
                "UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE %s",
                MARK + "%",
            )
        )
        cr.execute(
            SQL(
                "SELECT array_agg(id) FROM res_partner WHERE name LIKE %s",
                MARK + "%",
            )
        )
        partner_ids = cr.fetchone()[0]
        cr.execute(
            SQL(
                """
                INSERT INTO care_ticket (name, number, company_id, team_id,
                    stage_id, priority, channel, active, is_closed, type_id,
                    partner_id, commercial_partner_id, create_date, write_date,
                    date_closed, agent_reply_count, reopen_count,
                    rating_last_value, create_uid, write_uid)
                SELECT %(mark)s || ' ' || g, %(mark)s || '/' || g, %(company)s,
                       (%(teams)s)[1 + g %% cardinality(%(teams)s)],
                       CASE WHEN g %% 3 = 0 THEN %(new)s ELSE %(solved)s END,
                       '1', 'phone', TRUE, g %% 3 <> 0,
                       CASE WHEN g %% 10 = 0 THEN %(complaint)s END,
                       (%(partners)s)[1 + g %% cardinality(%(partners)s)],
                       (%(partners)s)[1 + g %% cardinality(%(partners)s)],
                       now() - (g %% 180) * interval '1 day' - interval '1 hour',
                       now(),
                       CASE WHEN g %% 3 <> 0
                            THEN now() - (g %% 180) * interval '1 day' END,
                       1 + g %% 3, CASE WHEN g %% 17 = 0 THEN 1 ELSE 0 END,
                       0, 1, 1
                  FROM generate_series(1, %(n)s) g
                """,
                mark=MARK,
                company=company.id,
                teams=teams.ids,
                new=stages["new"],
                solved=stages["solved"],
                complaint=complaint,
                partners=partner_ids,
                n=args.tickets,
            )
        )
        for kind, hours in (
            ("first_response", "1 + g %% 7"),
            ("resolution", "g %% 30"),
        ):
            cr.execute(
                SQL(
                    """
                    INSERT INTO care_ticket_sla (ticket_id, sla_id, target_id, kind,
                        company_id, status, start_date, deadline, reached_at,
                        hours_allowed, hours_used, paused_hours, working_time,
                        create_date, write_date, create_uid, write_uid)
                    SELECT t.id, %(policy)s, %(target)s, %(kind)s, t.company_id,
                           CASE WHEN t.id %% 9 = 0 THEN 'failed' ELSE 'reached' END,
                           t.create_date, t.create_date + interval '8 hours',
                           t.create_date + interval '2 hours', 8, %(hours)s, 0,
                           TRUE, now(), now(), 1, 1
                      FROM (SELECT id, company_id, create_date, id AS g
                              FROM care_ticket WHERE name LIKE %(like)s) t
                    """,
                    policy=policy.id,
                    target=targets[kind],
                    kind=kind,
                    hours=SQL(hours),
                    like=MARK + "%",
                )
            )
        # The hours the SLA engine keeps on the ticket (_compute_sla_figures).
        cr.execute(
            SQL(
                """
                UPDATE care_ticket t
                   SET has_first_response_hours = l.first IS NOT NULL,
                       first_response_hours = COALESCE(l.first, 0),
                       has_resolution_hours = l.solved IS NOT NULL,
                       resolution_hours = COALESCE(l.solved_paused, 0),
                       handling_hours = COALESCE(l.solved, 0)
                  FROM (SELECT ticket_id,
                               min(hours_used) FILTER (WHERE kind = 'first_response')
                                   AS first,
                               min(hours_used) FILTER (WHERE kind = 'resolution')
                                   AS solved,
                               min(hours_used + paused_hours)
                                   FILTER (WHERE kind = 'resolution') AS solved_paused
                          FROM care_ticket_sla
                         WHERE reached_at IS NOT NULL AND working_time
                      GROUP BY ticket_id) l
                 WHERE l.ticket_id = t.id AND t.name LIKE %s
                """,
                MARK + "%",
            )
        )
        cr.execute(
            SQL(
                """
                WITH rated AS (
                    SELECT id, partner_id FROM care_ticket
                     WHERE name LIKE %(like)s AND is_closed ORDER BY id LIMIT %(n)s
                )
                INSERT INTO rating_rating (res_model, res_model_id, res_id,
                    partner_id, rating, consumed, access_token, create_date,
                    write_date)
                SELECT 'care.ticket', %(model)s, id, partner_id,
                       1 + id %% 5, TRUE, md5(random()::text), now(), now()
                  FROM rated
                """,
                like=MARK + "%",
                n=args.ratings,
                model=env["ir.model"]._get_id("care.ticket"),
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE care_ticket t SET rating_last_value = r.rating
                  FROM rating_rating r
                 WHERE r.res_model = 'care.ticket' AND r.res_id = t.id
                   AND t.name LIKE %s
                """,
                MARK + "%",
            )
        )
        if "care.nps.answer" in env:
            cr.execute(
                SQL(
                    """
                    INSERT INTO care_nps_answer (partner_id, company_id, score,
                        category, sent_at, answered_at, access_token,
                        create_date, write_date)
                    SELECT (%(partners)s)[g], %(company)s, g %% 11,
                           CASE WHEN g %% 11 >= 9 THEN 'promoter'
                                WHEN g %% 11 >= 7 THEN 'passive'
                                ELSE 'detractor' END,
                           now() - (g %% 60) * interval '1 day' - interval '1 day',
                           now() - (g %% 60) * interval '1 day',
                           md5(random()::text || g), now(), now()
                      FROM generate_series(1, %(n)s) g
                    """,
                    partners=partner_ids,
                    company=company.id,
                    n=min(args.answers, len(partner_ids)),
                )
            )
        for table in ("care_ticket", "care_ticket_sla", "rating_rating", "res_partner"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        cr.commit()
        print(f"set-up: {time.perf_counter() - t0:.1f} s", flush=True)
        return partner_ids


def manager(cr):
    from odoo.tools import SQL

    env = env_for(cr)
    user = env["res.users"].search([("login", "=", "kpi-bench-manager")])
    if not user:
        user = env["res.users"].create(
            {
                "name": "KPI bench manager",
                "login": "kpi-bench-manager",
                "tz": "Asia/Ho_Chi_Minh",
                "group_ids": [
                    (4, env.ref("customer_care.customer_care_group_manager").id)
                ],
            }
        )
    cr.execute(SQL("SELECT 1"))
    return user.id


def bench_dashboard(registry, args):
    """Two figures: the page (the two calls the page makes at once, each on
    its own cursor and thread, as two workers would serve them: the time until
    both are back) and everything in one call, for comparison."""
    import threading

    with registry.cursor() as cr:
        uid = manager(cr)
        cr.commit()

    def call(parts, out):
        with registry.cursor() as cr:
            env_for(cr, uid)["care.kpi"].get_dashboard(parts=parts)
            cr.rollback()
        out.append(parts)

    page, single = [], []
    for i in range(args.repeat + 3):
        done = []
        threads = [
            threading.Thread(target=call, args=([part], done))
            for part in ("cards", "details")
        ]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = (time.perf_counter() - t0) * 1000
        assert len(done) == 2, "a call failed"
        t0 = time.perf_counter()
        call(None, done)
        whole = (time.perf_counter() - t0) * 1000
        if i >= 3:
            page.append(elapsed)
            single.append(whole)
    for label, times in (
        ("dashboard page (2 calls at once)", page),
        ("dashboard in one call", single),
    ):
        print(
            f"{label}: median {statistics.median(times):.0f} ms, "
            f"p95 {percentile(times, 95):.0f} ms ({args.repeat} loads)",
            flush=True,
        )


def bench_pdf(registry):
    import datetime

    with registry.cursor() as cr:
        env = env_for(cr, manager(cr))
        today = datetime.date.today()
        last = today.replace(day=1) - datetime.timedelta(days=1)
        data = {"month": last.month, "year": last.year, "company_id": env.company.id}
        Report = env["ir.actions.report"]
        t0 = time.perf_counter()
        Report._render_qweb_html(
            "customer_care.report_care_kpi_monthly", env.company.ids, data=data
        )
        html = time.perf_counter() - t0
        pdf = None
        if Report.get_wkhtmltopdf_state() == "ok":
            t0 = time.perf_counter()
            Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "customer_care.report_care_kpi_monthly", env.company.ids, data=data
            )
            pdf = time.perf_counter() - t0
        cr.rollback()
    print(
        f"monthly report: HTML {html:.2f} s, PDF "
        + (f"{pdf:.2f} s" if pdf is not None else "not measured (no wkhtmltopdf)"),
        flush=True,
    )


def bench_churn(registry, args, partner_ids):
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = env_for(cr)
        env["ir.config_parameter"].set_param("customer_care.churn_refreshed_at", False)
        cr.commit()
        t0 = time.perf_counter()
        scored = env["care.churn"]._cron_refresh()
        full = time.perf_counter() - t0
        cr.commit()
        print(f"churn, first run: {scored} customers in {full:.1f} s", flush=True)
        changed = partner_ids[: args.changed]
        cr.execute(
            SQL(
                "UPDATE care_ticket SET write_date = now() + interval '1 second' "
                "WHERE partner_id = ANY(%s)",
                changed,
            )
        )
        cr.commit()
        time.sleep(1.5)
        t0 = time.perf_counter()
        scored = env["care.churn"]._cron_refresh()
        part = time.perf_counter() - t0
        cr.commit()
        print(f"churn, {len(changed)} changed: {scored} scored in {part:.2f} s")


def profile_dashboard(registry):
    """One dashboard load with the duration of each SQL query, slowest first:
    where the time goes, before tuning anything."""
    from odoo.sql_db import Cursor

    timings = []
    execute = Cursor.execute

    def timed(self, query, params=None, log_exceptions=True):
        t0 = time.perf_counter()
        try:
            return execute(self, query, params, log_exceptions)
        finally:
            text = query.code if hasattr(query, "code") else str(query)
            timings.append(((time.perf_counter() - t0) * 1000, " ".join(text.split())))

    with registry.cursor() as cr:
        uid = manager(cr)
        cr.commit()
    for _warm in range(2):
        with registry.cursor() as cr:
            env_for(cr, uid)["care.kpi"].get_dashboard()
            cr.rollback()
    Cursor.execute = timed
    try:
        with registry.cursor() as cr:
            t0 = time.perf_counter()
            env_for(cr, uid)["care.kpi"].get_dashboard()
            total = (time.perf_counter() - t0) * 1000
            cr.rollback()
    finally:
        Cursor.execute = execute
    sql = sum(ms for ms, __ in timings)
    print(f"dashboard: {total:.0f} ms, {len(timings)} queries, {sql:.0f} ms in SQL")
    for ms, text in sorted(timings, reverse=True)[:15]:
        print(f"{ms:8.1f} ms  {text[:400]}")


def main():
    args = parse_args()
    registry = open_registry(args)
    only = set(args.only.split(","))
    if args.reuse:
        with registry.cursor() as cr:
            cr.execute(
                "SELECT array_agg(id ORDER BY id) FROM res_partner WHERE name LIKE %s",
                [MARK + "%"],
            )
            partner_ids = cr.fetchone()[0] or []
    else:
        partner_ids = fill(registry, args)
    try:
        if args.profile:
            profile_dashboard(registry)
        if "dashboard" in only:
            bench_dashboard(registry, args)
        if "pdf" in only:
            bench_pdf(registry)
        if "churn" in only:
            bench_churn(registry, args, partner_ids)
    finally:
        if not (args.keep or args.reuse):
            with registry.cursor() as cr:
                cleanup(cr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
