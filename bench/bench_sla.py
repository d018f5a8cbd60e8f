#!/usr/bin/env python3
"""SLA engine benchmark of customer_care (issue 3).

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed and measures:

(a) ``create``: the extra cost of the SLA status lines for one ticket covered
    by three policies (the shipped Standard, High Priority and Urgent samples:
    six lines for an urgent ticket), as the median of ticket creates with the
    policies active minus the median with the policies archived. Each create
    runs in a fresh environment (empty ORM cache, like an RPC request) and is
    flushed inside the timing; creates with and without policies alternate so
    machine noise hits both equally. Everything is rolled back.
(b) ``cron``: the scheduled action over ``--tickets`` open tickets with one
    running line each, of which ``--due`` are past their deadline. Tickets and
    lines are inserted with SQL (fast set-up), the cron runs as in production
    (committing per batch), the rows it touched are counted, then the bench
    data is deleted.

Usage::

    python3 bench/bench_sla.py -d cc_sla \
        --addons-path=/opt/odoo19/addons,/tmp/ccaddons \
        [--db_host 127.0.0.1 --db_user odoo --db_password odoo] \
        [--tickets 100000] [--due 1000] [--creates 300] [--only create|cron]

Timings are printed; no test depends on them.
"""

import statistics
import sys
import time

from _common import db_parser, env_for, open_registry

MARK = "SLA-BENCH"


def parse_args():
    parser = db_parser(__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--only", choices=["create", "cron"])
    return parser.parse_args()


def sample_policies(env):
    xmlids = ("care_sla_standard", "care_sla_high", "care_sla_urgent")
    return env["care.sla"].browse(env.ref(f"customer_care.{x}").id for x in xmlids)


def bench_create(registry, args):
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = env_for(cr)
        calendar = env.ref("customer_care.resource_calendar_vn")
        team = env["care.team"].create(
            {"name": f"{MARK} team", "resource_calendar_id": calendar.id}
        )
        partner = env["res.partner"].create({"name": f"{MARK} customer"})
        policies = sample_policies(env)
        # Only the three sample policies take part.
        env["care.sla"].search([("id", "not in", policies.ids)]).action_archive()
        env.flush_all()
        policy_ids = tuple(policies.ids)

        def set_active(active):
            cr.execute(
                SQL(
                    "UPDATE care_sla SET active = %s WHERE id IN %s", active, policy_ids
                )
            )

        def create_one(with_sla):
            set_active(with_sla)
            env.invalidate_all()
            fresh = env_for(cr, context={"care_no_ack": True})
            start = time.perf_counter()
            ticket = fresh["care.ticket"].create(
                {
                    "name": f"{MARK} Máy lạnh không mát",
                    "team_id": team.id,
                    "partner_id": partner.id,
                    "priority": "3",
                }
            )
            fresh.flush_all()
            elapsed = time.perf_counter() - start
            lines = len(ticket.sla_line_ids)
            return elapsed * 1000.0, lines

        for _warmup in range(10):
            create_one(False)
            create_one(True)
        plain, with_sla, line_counts = [], [], set()
        for _i in range(args.creates):
            plain.append(create_one(False)[0])
            ms, lines = create_one(True)
            with_sla.append(ms)
            line_counts.add(lines)
        cr.rollback()
    median_plain = statistics.median(plain)
    median_sla = statistics.median(with_sla)
    print(
        f"(a) create, {args.creates} tickets each way, 3 policies -> "
        f"{sorted(line_counts)} status lines per ticket"
    )
    print(f"    plain create          median {median_plain:7.3f} ms")
    print(f"    create with SLA lines median {median_sla:7.3f} ms")
    print(
        f"    extra per ticket      median {median_sla - median_plain:7.3f} ms "
        "(target <= 1 ms)"
    )


def cleanup(cr):
    """Delete what a previous (possibly interrupted) run left behind."""
    from odoo.tools import SQL

    team_ids = SQL("SELECT id FROM care_team WHERE name->>'en_US' LIKE %s", MARK + "%")
    ticket_ids = SQL("SELECT id FROM care_ticket WHERE team_id IN (%s)", team_ids)
    cr.execute(
        SQL(
            "DELETE FROM mail_message WHERE model = 'care.ticket' AND res_id IN (%s)",
            ticket_ids,
        )
    )
    cr.execute(
        SQL(
            "DELETE FROM mail_activity WHERE res_model = 'care.ticket' "
            "AND res_id IN (%s)",
            ticket_ids,
        )
    )
    cr.execute(SQL("DELETE FROM care_ticket WHERE team_id IN (%s)", team_ids))
    teams = env_for(cr)["care.team"].search([("name", "=like", MARK + "%")])
    teams.unlink()
    cr.commit()


def bench_cron(registry, args):
    from odoo.tools import SQL

    n, due = args.tickets, min(args.due, args.tickets)
    with registry.cursor() as cr:
        cleanup(cr)
        env = env_for(cr)
        policy = env.ref("customer_care.care_sla_standard")
        target = policy.target_ids.filtered(lambda t: t.kind == "first_response")
        stage = env.ref("customer_care.care_stage_new")
        # A leader, so each escalation also schedules an activity.
        team = env["care.team"].create(
            {"name": f"{MARK} team", "leader_id": env.ref("base.user_admin").id}
        )
        company = env.company
        env.flush_all()
        start = time.perf_counter()
        cr.execute(
            SQL(
                """
                INSERT INTO care_ticket (name, number, company_id, team_id,
                    stage_id, priority, channel, active, is_closed,
                    create_date, write_date, create_uid, write_uid)
                SELECT %(mark)s || ' ' || g, %(mark)s || '/' || g, %(company)s,
                       %(team)s, %(stage)s, '1', 'phone', TRUE, FALSE,
                       now() - interval '1 day', now(), 1, 1
                  FROM generate_series(1, %(n)s) g
                """,
                mark=MARK,
                company=company.id,
                team=team.id,
                stage=stage.id,
                n=n,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO care_ticket_sla (ticket_id, sla_id, target_id, kind,
                    company_id, status, start_date, deadline, warning_at,
                    hours_allowed, working_time, create_date, write_date,
                    create_uid, write_uid)
                SELECT t.id, %(policy)s, %(target)s, 'first_response',
                       t.company_id, 'ongoing', t.create_date,
                       CASE WHEN row_number() OVER (ORDER BY t.id) <= %(due)s
                            THEN now() - interval '1 hour'
                            ELSE now() + interval '3 days' END,
                       CASE WHEN row_number() OVER (ORDER BY t.id) <= %(due)s
                            THEN now() - interval '2 hours'
                            ELSE now() + interval '2 days' END,
                       8, TRUE, now(), now(), 1, 1
                  FROM care_ticket t
                 WHERE t.team_id = %(team)s
                """,
                policy=policy.id,
                target=target.id,
                due=due,
                team=team.id,
            )
        )
        cr.execute(
            SQL(
                "UPDATE care_ticket t SET sla_deadline = l.deadline, "
                "sla_status = 'ongoing' FROM care_ticket_sla l "
                "WHERE l.ticket_id = t.id AND t.team_id = %s",
                team.id,
            )
        )
        cr.execute("ANALYZE care_ticket")
        cr.execute("ANALYZE care_ticket_sla")
        cr.commit()
        print(
            f"(b) cron: {n} open tickets, {due} due "
            f"(set-up {time.perf_counter() - start:.1f} s)"
        )
        cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        before = cr.fetchone()[0]
        team_id = team.id
    try:
        with registry.cursor() as cr:
            env = env_for(cr)
            start = time.perf_counter()
            env["care.ticket.sla"]._cron_process_due()
            cr.commit()
            elapsed = time.perf_counter() - start
        with registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT count(*) FILTER (WHERE l.status = 'failed'),
                           count(*) FILTER (WHERE l.write_date > %s),
                           count(DISTINCT l.ticket_id)
                               FILTER (WHERE t.write_date > %s)
                      FROM care_ticket_sla l JOIN care_ticket t ON t.id = l.ticket_id
                     WHERE t.team_id = %s
                    """,
                    before,
                    before,
                    team_id,
                )
            )
            failed, lines_touched, tickets_touched = cr.fetchone()
        print(f"    scheduled action      {elapsed:7.3f} s (target <= 5 s)")
        print(
            f"    escalated {failed} lines; rows written: {lines_touched} lines, "
            f"{tickets_touched} tickets (expected {due} each)"
        )
    finally:
        with registry.cursor() as cr:
            cleanup(cr)


def main():
    args = parse_args()
    registry = open_registry(args)
    if args.only in (None, "create"):
        bench_create(registry, args)
    if args.only in (None, "cron"):
        bench_cron(registry, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
