#!/usr/bin/env python3
"""Auto-close job benchmark of customer_care (issue 14).

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, inserts ``--tickets`` tickets waiting on the customer (SQL, fast
set-up; each customer follows their tickets, as ``create()`` makes them do),
of which ``--due`` have their next auto-close step past, then runs the
scheduled action as in production (``_cron_auto_close``, committing per
batch): the due tickets get their reminder mail (rendered and queued, never
sent: ``ir.mail_server`` is in test mode). It prints the time, the queries,
the tickets reminded and the messages posted, and deletes the bench data.

Of the due tickets, ``--reminded`` were reminded a day ago: the job closes
them (closing mail, stage, log) instead of reminding them.

The tickets belong to ``--customers`` customers (default 1: one customer
owning every ticket, the case where anything that grows with a customer's
tickets shows), speaking the languages of ``--langs`` in turn.

The target: 100k tickets with 1k due in <= 5 s. The job reads only the due
rows, through the partial index ``care_ticket__auto_close_due_idx``.

Usage::

    python3 bench/bench_auto_close.py -d cc_bench \\
        --addons-path=/opt/odoo19/addons,/tmp/ccaddons \\
        [--db_host 127.0.0.1 --db_port 5432 --db_user odoo --db_password odoo] \\
        [--tickets 100000] [--due 1000] [--reminded 0] [--customers 1] \\
        [--langs en_US,vi_VN] \\
        [--keep] [--reuse] [--setup-only] [--profile]

``--keep`` leaves the data in place; ``--reuse`` takes it up again (the
first ``--due`` tickets are set back to due, the bench messages and mails
deleted), so that the timed run can be repeated without the set-up;
``--setup-only`` prepares the data (with ``--keep``: fill outside the CPU
lock, then time the job with ``--reuse``).
``--profile`` runs the job under cProfile and prints the top functions by
cumulative and by own time, and the query shapes that took the most time
(use it with a smaller ``--due``; its timing is no figure).

Timings are printed; no test depends on them.
"""

import collections
import cProfile
import io
import logging
import pstats
import re
import sys
import time

from _common import db_parser, env_for, open_registry

MARK = "AUTOCLOSE-BENCH"


def parse_args():
    parser = db_parser(__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument(
        "--reminded",
        type=int,
        default=0,
        help="of the due tickets, how many were reminded (due for closing)",
    )
    parser.add_argument("--customers", type=int, default=1)
    parser.add_argument(
        "--langs", default="en_US", help="languages of the customers, in turn"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench data")
    parser.add_argument(
        "--reuse", action="store_true", help="take up the data of a --keep run"
    )
    parser.add_argument(
        "--setup-only", action="store_true", help="prepare the data, run nothing"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the job, log its queries"
    )
    return parser.parse_args()


def bench_ticket_ids():
    from odoo.tools import SQL

    team_ids = SQL("SELECT id FROM care_team WHERE name->>'en_US' LIKE %s", MARK + "%")
    return SQL("SELECT id FROM care_ticket WHERE team_id IN (%s)", team_ids), team_ids


def delete_bench_mail(cr):
    """The messages, notifications and mails the job wrote on bench tickets."""
    from odoo.tools import SQL

    ticket_ids, __ = bench_ticket_ids()
    cr.execute(
        SQL(
            "DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id"
            " FROM mail_message WHERE model = 'care.ticket' AND res_id IN (%s))",
            ticket_ids,
        )
    )
    cr.execute(
        SQL(
            "DELETE FROM mail_message WHERE model = 'care.ticket' AND res_id IN (%s)",
            ticket_ids,
        )
    )


def cleanup(cr):
    """Delete what a previous (possibly interrupted) run left behind."""
    from odoo.tools import SQL

    ticket_ids, team_ids = bench_ticket_ids()
    delete_bench_mail(cr)
    cr.execute(
        SQL(
            "DELETE FROM mail_followers WHERE res_model = 'care.ticket'"
            " AND res_id IN (%s)",
            ticket_ids,
        )
    )
    cr.execute(SQL("DELETE FROM care_ticket WHERE team_id IN (%s)", team_ids))
    env = env_for(cr)
    env["care.team"].search([("name", "=like", MARK + "%")]).unlink()
    env["res.partner"].search([("name", "=like", MARK + "%")]).unlink()
    cr.commit()


def set_up(cr, args):
    from odoo.tools import SQL

    n, due = args.tickets, min(args.due, args.tickets)
    env = env_for(cr)
    langs = args.langs.split(",")
    for lang in langs:
        env["res.lang"]._activate_lang(lang)
    stage = env.ref("customer_care.care_stage_waiting")
    team = env["care.team"].create(
        {"name": f"{MARK} team", "auto_close_reminder_days": 2, "auto_close_days": 3}
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"{MARK} customer {i}",
                "email": f"autoclose.bench.{i}@example.com",
                "lang": langs[i % len(langs)],
            }
            for i in range(args.customers)
        ]
    )
    env.flush_all()
    start = time.perf_counter()
    cr.execute(
        SQL(
            """
            WITH customer AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, email
                  FROM res_partner WHERE id IN %(partners)s
            )
            INSERT INTO care_ticket (name, number, company_id, team_id,
                stage_id, priority, channel, active, is_closed, partner_id,
                commercial_partner_id, partner_email, date_last_stage_update,
                auto_close_reminded_at, auto_close_at, create_date, write_date,
                create_uid, write_uid)
            SELECT %(mark)s || ' ' || g, %(mark)s || '/' || g, %(company)s,
                   %(team)s, %(stage)s, '1', 'email', TRUE, FALSE, c.id, c.id,
                   c.email, now() - interval '3 days',
                   CASE WHEN g <= %(reminded)s THEN now() - interval '1 day' END,
                   CASE WHEN g <= %(due)s THEN now() - interval '1 hour'
                        ELSE now() + interval '2 days' END,
                   now() - interval '4 days', now(), 1, 1
              FROM generate_series(1, %(n)s) g
              JOIN customer c ON c.k = g %% %(customers)s
            """,
            mark=MARK,
            company=env.company.id,
            team=team.id,
            stage=stage.id,
            partners=tuple(partners.ids),
            customers=args.customers,
            reminded=min(args.reminded, due),
            due=due,
            n=n,
        )
    )
    # Each customer follows their tickets with the customers' subtypes
    # (care.ticket._message_auto_subscribe_followers).
    __, __, external = env["mail.message.subtype"].default_subtypes("care.ticket")
    ticket_ids, __ = bench_ticket_ids()
    cr.execute(
        SQL(
            """
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT 'care.ticket', id, partner_id FROM care_ticket
             WHERE id IN (%s)
            """,
            ticket_ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO mail_followers_mail_message_subtype_rel
                   (mail_followers_id, mail_message_subtype_id)
            SELECT f.id, s.id FROM mail_followers f, unnest(%s) s(id)
             WHERE f.res_model = 'care.ticket' AND f.res_id IN (%s)
            """,
            list(external.ids),
            ticket_ids,
        )
    )
    cr.execute("ANALYZE care_ticket")
    cr.execute("ANALYZE mail_followers")
    cr.commit()
    print(
        f"auto-close: {n} tickets waiting on {args.customers} customer(s) "
        f"({args.langs}), {due} due (set-up {time.perf_counter() - start:.1f} s)"
    )


def reset(cr, args):
    """Back to the state after the set-up: the first ``--due`` tickets due."""
    from odoo.tools import SQL

    ticket_ids, __ = bench_ticket_ids()
    delete_bench_mail(cr)
    stage = env_for(cr).ref("customer_care.care_stage_waiting")
    cr.execute(
        SQL(
            """
            UPDATE care_ticket t
               SET stage_id = %(stage)s, is_closed = FALSE, date_closed = NULL,
                   auto_close_reminded_at = CASE WHEN r.g <= %(reminded)s
                                                 THEN now() - interval '1 day' END,
                   date_last_stage_update = now() - interval '3 days',
                   auto_close_at = CASE WHEN r.g <= %(due)s
                                        THEN now() - interval '1 hour'
                                        ELSE now() + interval '2 days' END
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS g
                      FROM care_ticket WHERE id IN (%(ids)s)) r
             WHERE t.id = r.id
            """,
            stage=stage.id,
            reminded=min(args.reminded, args.due),
            due=args.due,
            ids=ticket_ids,
        )
    )
    cr.execute("ANALYZE care_ticket")
    cr.commit()
    print(f"auto-close: bench data taken up again, {args.due} due")


class QueryLog(logging.Handler):
    """Total time per query shape (numbers blanked), from ``odoo.sql_db``'s
    debug lines."""

    LINE = re.compile(r"\[([0-9.]+) ms\] query: (.*)", re.S)

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.times = collections.defaultdict(lambda: [0, 0.0])

    def emit(self, record):
        match = self.LINE.match(record.getMessage())
        if match:
            shape = re.sub(r"\b\d+\b", "N", match.group(2))[:300]
            entry = self.times[shape]
            entry[0] += 1
            entry[1] += float(match.group(1))

    def print_top(self, limit=15):
        top = sorted(self.times.items(), key=lambda item: -item[1][1])[:limit]
        print("    slowest query shapes (count, total ms):")
        for shape, (count, total) in top:
            print(f"    {count:5d} {total:8.1f}  {' '.join(shape.split())[:240]}")


class Profiled:
    """cProfile and the query log around a block, printed at exit."""

    def __init__(self, enabled):
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return self
        self.sql_logger = logging.getLogger("odoo.sql_db")
        self.handler, self.level = QueryLog(), self.sql_logger.level
        self.sql_logger.addHandler(self.handler)
        self.sql_logger.setLevel(logging.DEBUG)
        self.sql_logger.propagate = False
        self.prof = cProfile.Profile()
        self.prof.enable()
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return
        self.prof.disable()
        self.sql_logger.removeHandler(self.handler)
        self.sql_logger.setLevel(self.level)
        self.sql_logger.propagate = True
        self.handler.print_top()
        for sort in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(self.prof, stream=out).sort_stats(sort).print_stats(50)
            print(out.getvalue())


def main():
    from odoo.tools import SQL

    args = parse_args()
    registry = open_registry(args)
    with registry.cursor() as cr:
        if args.reuse:
            reset(cr, args)
        else:
            cleanup(cr)
            set_up(cr, args)
    if args.setup_only:
        return 0
    try:
        with registry.cursor() as cr, Profiled(args.profile):
            env = env_for(cr)
            env["ir.mail_server"]._disable_send()
            count = cr.sql_log_count
            start = time.perf_counter()
            env["care.ticket"]._cron_auto_close()
            cr.commit()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - count
        ticket_ids, __ = bench_ticket_ids()
        with registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FILTER (WHERE auto_close_reminded_at IS NOT NULL"
                    "   AND NOT is_closed),"
                    " count(*) FILTER (WHERE is_closed),"
                    " count(*) FILTER (WHERE auto_close_at <= now())"
                    " FROM care_ticket WHERE id IN (%s)",
                    ticket_ids,
                )
            )
            reminded, closed, still_due = cr.fetchone()
            cr.execute(
                SQL(
                    "SELECT count(*), count(DISTINCT res_id) FROM mail_message"
                    " WHERE model = 'care.ticket' AND res_id IN (%s)",
                    ticket_ids,
                )
            )
            messages, tickets_with_message = cr.fetchone()
            cr.execute(
                SQL(
                    "SELECT count(*) FROM mail_mail m"
                    " JOIN mail_message msg ON msg.id = m.mail_message_id"
                    " WHERE msg.model = 'care.ticket' AND msg.res_id IN (%s)",
                    ticket_ids,
                )
            )
            (mails,) = cr.fetchone()
        print(
            f"    scheduled action      {elapsed:7.3f} s, {queries} queries "
            "(target <= 5 s)"
        )
        due = min(args.due, args.tickets)
        closing = min(args.reminded, due)
        print(
            f"    reminded {reminded} open tickets (expected {due - closing}), "
            f"closed {closed} (expected {closing}); still due {still_due}; "
            f"{messages} messages on {tickets_with_message} tickets; "
            f"{mails} mails queued"
        )
    finally:
        if not args.keep:
            with registry.cursor() as cr:
                cleanup(cr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
