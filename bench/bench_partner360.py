#!/usr/bin/env python3
"""Latency of the customer's 360° timeline (issue 12): the first page of
``res.partner.care_timeline_read`` for a customer with 1,000 orders (confirmed,
so 1,000 deliveries) and 1,000 tickets with their emotion entries, read by a
care agent who also sells (every source counts).

In-process (no HTTP): the time of the JSON-RPC method itself, on a database
where customer_care is installed. The first step fills the customer once (a
few minutes: 1,000 order confirmations), the second times the method.

    python3 bench/bench_partner360.py -d cc_bench \\
        --addons-path /opt/odoo19/addons,/tmp/ccaddons [--db-port 55432]

Prints median and p95 of the first page (40 rows with the per-kind counts)
and of a later page (offset 400), over --runs runs (default 50), and the
number of queries of each. ``--profile`` adds a cProfile of ten first pages
and the plan (EXPLAIN ANALYZE) of the page query.
"""

import argparse
import statistics
import time

CUSTOMER = "Bench 360 — Công ty TNHH Minh An"
AGENT = "cc_bench_360_agent"


def percentile(values, pct):
    values = sorted(values)
    index = max(0, min(len(values) - 1, round(pct / 100.0 * len(values)) - 1))
    return values[index]


def populate(env, orders, tickets):
    customer = env["res.partner"].search([("name", "=", CUSTOMER)], limit=1)
    if customer:
        return customer
    customer = env["res.partner"].create({"name": CUSTOMER, "is_company": True})
    contact = env["res.partner"].create(
        {"name": "Nguyễn Văn An", "parent_id": customer.id, "email": "an@b360.vn"}
    )
    product = env["product.product"].create(
        {"name": "Bench 360 tủ lạnh", "type": "consu", "list_price": 9500000}
    )
    team = env["care.team"].search([], limit=1) or env["care.team"].create(
        {"name": "Bench 360"}
    )
    for start in range(0, orders, 200):
        batch = env["sale.order"].create(
            [
                {
                    "partner_id": contact.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
                for _ in range(min(200, orders - start))
            ]
        )
        batch.action_confirm()
        env.cr.commit()  # bench set-up only: keep the progress of a long fill
    env["care.ticket"].create(
        [
            {
                "name": f"Bench 360 ticket {n}",
                "partner_id": contact.id,
                "team_id": team.id,
                "description": "<p>Giao hàng trễ quá, tôi rất bực!</p>",
            }
            for n in range(tickets)
        ]
    )
    ticket_ids = env["care.ticket"].search([("partner_id", "=", contact.id)])
    env["care.emotion.entry"]._create_from_ticket_descriptions(ticket_ids)
    agent = env["res.users"].search([("login", "=", AGENT)])
    if not agent:
        agent = env["res.users"].create(
            {
                "name": "Bench 360 agent",
                "login": AGENT,
                "group_ids": [
                    (4, env.ref("customer_care.customer_care_group_user").id),
                    (4, env.ref("sales_team.group_sale_salesman_all_leads").id),
                    (4, env.ref("stock.group_stock_user").id),
                ],
            }
        )
    team.member_ids = [(4, agent.id)]
    env.cr.commit()  # bench set-up only
    return customer


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--db-password", default="odoo")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import odoo
    from odoo import SUPERUSER_ID, api, sql_db
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            "-d",
            args.database,
            "--addons-path",
            args.addons_path,
            "--db_host",
            args.db_host,
            "--db_port",
            args.db_port,
            "--db_user",
            args.db_user,
            "--db_password",
            args.db_password,
        ]
    )
    registry = Registry(args.database)
    ctx = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "care_no_ack": True,
        "care_no_scenario": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, ctx)
        customer = populate(env, args.orders, args.tickets)
        agent = env["res.users"].search([("login", "=", AGENT)])
        partner = customer.with_user(agent).with_context(lang="vi_VN")
        counts = partner.care_timeline_read()["counts"]
        print("rows per kind:", counts)
        for label, offset in (("first page", 0), ("offset 400", 400)):
            env.invalidate_all()
            before = sql_db.sql_counter
            partner.care_timeline_read(offset=offset)
            print(f"{label}: {sql_db.sql_counter - before} queries")
            times = []
            for _ in range(args.runs):
                env.invalidate_all()
                start = time.perf_counter()
                partner.care_timeline_read(offset=offset)
                times.append((time.perf_counter() - start) * 1000.0)
            print(
                f"{label}: median {statistics.median(times):.1f} ms, "
                f"p95 {percentile(times, 95):.1f} ms over {args.runs} runs"
            )
        if args.profile:
            _profile(env, partner)
        cr.rollback()


def _profile(env, partner):
    import cProfile
    import pstats

    from odoo.tools import SQL

    prof = cProfile.Profile()
    for _ in range(10):
        env.invalidate_all()
        prof.enable()
        partner.care_timeline_read()
        prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    # The plan of each query of one first page, slowest first.
    from odoo import sql_db

    queries = []
    execute = sql_db.Cursor.execute

    def timed_execute(cursor, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(cursor, query, params, log_exceptions)
        finally:
            queries.append(((time.perf_counter() - start) * 1000, query, params))

    env.invalidate_all()
    sql_db.Cursor.execute = timed_execute
    try:
        partner.care_timeline_read()
    finally:
        sql_db.Cursor.execute = execute
    for duration, query, params in sorted(queries, key=lambda q: -q[0])[:3]:
        print(f"--- {duration:.1f} ms")
        code = query.code if isinstance(query, SQL) else query
        params = query.params if isinstance(query, SQL) else params
        env.cr.execute("EXPLAIN ANALYZE " + code, params)
        for (line,) in env.cr.fetchall():
            print(line)


if __name__ == "__main__":
    main()
