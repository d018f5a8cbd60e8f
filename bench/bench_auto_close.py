#!/usr/bin/env python3
"""Auto-close job benchmark of customer_care (issue 14).

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, inserts ``--tickets`` tickets waiting on the customer (SQL, fast
set-up), of which ``--due`` have their next auto-close step past, then runs
the scheduled action as in production (``_cron_auto_close``, committing per
batch): the due tickets get their reminder mail (rendered and queued, never
sent: ``ir.mail_server`` is in test mode). It prints the time, the tickets
reminded, and deletes the bench data.

The target: 100k tickets with 1k due in <= 5 s. The job reads only the due
rows, through the partial index ``care_ticket__auto_close_due_idx``.

Usage::

    python3 bench/bench_auto_close.py -d cc_bench \
        --addons-path=/opt/odoo19/addons,/tmp/ccaddons \
        [--db_host 127.0.0.1 --db_user odoo --db_password odoo] \
        [--tickets 100000] [--due 1000]

Timings are printed; no test depends on them.
"""

import argparse
import sys
import time

MARK = "AUTOCLOSE-BENCH"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db_host", default="127.0.0.1")
    parser.add_argument("--db_port", default="5432")
    parser.add_argument("--db_user", default="odoo")
    parser.add_argument("--db_password", default="odoo")
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--due", type=int, default=1000)
    return parser.parse_args()


def open_registry(args):
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        [
            "--db_host", args.db_host, "--db_port", str(args.db_port),
            "--db_user", args.db_user, "--db_password", args.db_password,
            "--addons-path", args.addons_path, "-d", args.database,
            "--log-level", "warn",
        ]
    )  # fmt: skip
    return Registry(args.database)


def env_for(cr, context=None):
    from odoo import SUPERUSER_ID, api

    return api.Environment(cr, SUPERUSER_ID, context or {})


def cleanup(cr):
    """Delete what a previous (possibly interrupted) run left behind."""
    from odoo.tools import SQL

    team_ids = SQL("SELECT id FROM care_team WHERE name->>'en_US' LIKE %s", MARK + "%")
    ticket_ids = SQL("SELECT id FROM care_ticket WHERE team_id IN (%s)", team_ids)
    for table, model_col in (
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
    ):
        cr.execute(
            SQL(
                "DELETE FROM %s WHERE %s = 'care.ticket' AND res_id IN (%s)",
                SQL.identifier(table),
                SQL.identifier(model_col),
                ticket_ids,
            )
        )
    cr.execute(SQL("DELETE FROM care_ticket WHERE team_id IN (%s)", team_ids))
    env = env_for(cr)
    env["care.team"].search([("name", "=like", MARK + "%")]).unlink()
    env["res.partner"].search([("name", "=like", MARK + "%")]).unlink()
    cr.commit()


def main():
    from odoo.tools import SQL

    args = parse_args()
    registry = open_registry(args)
    n, due = args.tickets, min(args.due, args.tickets)
    with registry.cursor() as cr:
        cleanup(cr)
        env = env_for(cr)
        env["ir.mail_server"]._disable_send()  # no SMTP
        stage = env.ref("customer_care.care_stage_waiting")
        team = env["care.team"].create(
            {
                "name": f"{MARK} team",
                "auto_close_reminder_days": 2,
                "auto_close_days": 3,
            }
        )
        partner = env["res.partner"].create(
            {"name": f"{MARK} customer", "email": "autoclose.bench@example.com"}
        )
        env.flush_all()
        start = time.perf_counter()
        cr.execute(
            SQL(
                """
                INSERT INTO care_ticket (name, number, company_id, team_id,
                    stage_id, priority, channel, active, is_closed, partner_id,
                    commercial_partner_id, partner_email, date_last_stage_update,
                    auto_close_at, create_date, write_date, create_uid, write_uid)
                SELECT %(mark)s || ' ' || g, %(mark)s || '/' || g, %(company)s,
                       %(team)s, %(stage)s, '1', 'email', TRUE, FALSE, %(partner)s,
                       %(partner)s, 'autoclose.bench@example.com',
                       now() - interval '3 days',
                       CASE WHEN g <= %(due)s THEN now() - interval '1 hour'
                            ELSE now() + interval '2 days' END,
                       now() - interval '4 days', now(), 1, 1
                  FROM generate_series(1, %(n)s) g
                """,
                mark=MARK,
                company=env.company.id,
                team=team.id,
                stage=stage.id,
                partner=partner.id,
                due=due,
                n=n,
            )
        )
        cr.execute("ANALYZE care_ticket")
        cr.commit()
        print(
            f"auto-close: {n} tickets waiting on the customer, {due} due "
            f"(set-up {time.perf_counter() - start:.1f} s)"
        )
        team_id = team.id
    try:
        with registry.cursor() as cr:
            env = env_for(cr)
            env["ir.mail_server"]._disable_send()
            start = time.perf_counter()
            env["care.ticket"]._cron_auto_close()
            cr.commit()
            elapsed = time.perf_counter() - start
        with registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FILTER (WHERE auto_close_reminded_at IS NOT NULL),"
                    " count(*) FILTER (WHERE auto_close_at <= now())"
                    " FROM care_ticket WHERE team_id = %s",
                    team_id,
                )
            )
            reminded, still_due = cr.fetchone()
        print(f"    scheduled action      {elapsed:7.3f} s (target <= 5 s)")
        print(
            f"    reminded {reminded} tickets (expected {due}); still due {still_due}"
        )
    finally:
        with registry.cursor() as cr:
            cleanup(cr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
