#!/usr/bin/env python3
"""Sales-link benchmark of customer_care (issue 12, scope 1–3), on loopback.

Three steps:

1. ``populate`` fills a database (customer_care installed) in-process: --orders
   sales orders (default 50,000, draft: the lookups do not depend on the state)
   over 5,000 customers, --tickets tickets (default 100,000), a portal customer
   with one ticket linked to two of its orders (one confirmed and delivered),
   and an agent ``cc_bench_agent`` (care user, no sales rights).

       python3 bench/bench_sale.py populate -d cc_bench_sale \\
           --addons-path /opt/odoo19/addons,/tmp/ccaddons

2. ``match`` times in-process what order matching adds to mail intake:
   ``_link_orders_from_text`` on a fresh ticket with a mail body naming an
   order of its customer (and one of someone else), median and p95.

       python3 bench/bench_sale.py match -d cc_bench_sale --addons-path ...

3. ``run`` times, against a running server: the ticket form load of the agent
   (``web_read`` of the form's fields, order summary included) and the portal
   ticket page of the customer with its orders.

       python3 bench/bench_sale.py run http://127.0.0.1:8069 cc_bench_sale

4. ``profile`` runs one of the three paths in-process, counts its queries and
   prints the slowest queries and a cProfile of one call (no server needed:
   the portal page goes through Odoo's WSGI application in the process):

       python3 bench/bench_sale.py profile form -d cc_bench_sale --addons-path ...
       python3 bench/bench_sale.py profile portal -d cc_bench_sale --addons-path ...
       python3 bench/bench_sale.py profile match -d cc_bench_sale --addons-path ...
"""

import argparse
import re
import statistics
import sys
import time

PORTAL_LOGIN = "cc_bench_sale_portal"
AGENT_LOGIN = "cc_bench_agent"
CUSTOMERS = 5000


def _env(args):
    import odoo
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
            str(args.db_port),
            "--db_user",
            args.db_user,
            "--db_password",
            args.db_password,
        ]
    )
    return Registry(args.database)


def populate(args):
    from odoo import SUPERUSER_ID, api

    registry = _env(args)
    ctx = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "care_no_ack": True,
        "no_reset_password": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, ctx)
        team = env["care.team"].search([], limit=1) or env["care.team"].create(
            {"name": "Bench"}
        )
        product = env["product.product"].create(
            {"name": "Tủ lạnh bench", "type": "consu", "list_price": 1000}
        )
        customers = env["res.partner"].create(
            [
                {"name": f"Khách hàng {i}", "email": f"kh{i}@bench.example.com"}
                for i in range(CUSTOMERS)
            ]
        )
        portal = env["res.users"].create(
            {
                "name": "Bench Sale Portal",
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "email": "bench.sale.portal@example.com",
                "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
        team.member_ids |= env["res.users"].create(
            {
                "name": "Bench Agent",
                "login": AGENT_LOGIN,
                "password": AGENT_LOGIN,
                "email": "bench.agent@example.com",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("customer_care.customer_care_group_user").id,
                        ],
                    )
                ],
            }
        )
        cr.commit()
        Order = env["sale.order"]
        for start in range(0, args.orders, 1000):
            Order.create(
                [
                    {
                        "partner_id": customers[n % CUSTOMERS].id,
                        "client_order_ref": f"PO-{n}",
                        "order_line": [(0, 0, {"product_id": product.id})],
                    }
                    for n in range(start, min(start + 1000, args.orders))
                ]
            )
            cr.commit()
            print(f"{min(start + 1000, args.orders)} orders", file=sys.stderr)
        Ticket = env["care.ticket"]
        for start in range(0, args.tickets, 1000):
            Ticket.create(
                [
                    {
                        "name": f"Hỏi đơn hàng {n}",
                        "partner_id": customers[n % CUSTOMERS].id,
                        "team_id": team.id,
                        "channel": "email",
                    }
                    for n in range(start, min(start + 1000, args.tickets))
                ]
            )
            cr.commit()
            print(f"{min(start + 1000, args.tickets)} tickets", file=sys.stderr)
        orders = Order.create(
            [
                {
                    "partner_id": portal.partner_id.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
                for __ in range(2)
            ]
        )
        orders[0].action_confirm()
        ticket = Ticket.create(
            {
                "name": "Đơn hàng chưa giao",
                "partner_id": portal.partner_id.id,
                "team_id": team.id,
                "sale_order_ids": [(6, 0, orders.ids)],
            }
        )
        cr.commit()
        print(f"ticket with two orders: {ticket.id}")


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(name, values):
    print(
        f"{name:<24}{statistics.median(values):>10.2f}{percentile(values, 95):>10.2f}"
    )


def match(args):
    from odoo import SUPERUSER_ID, api

    registry = _env(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        tickets = env["care.ticket"].search(
            [("partner_id.email", "like", "@bench.example.com")], limit=args.repeat
        )
        values, lookups = [], []
        for ticket in tickets:
            order = env["sale.order"].search(
                [("partner_id", "=", ticket.partner_id.id)], limit=1
            )
            body = (
                f"<p>Chào shop, đơn {order.name} của tôi chưa giao, mã PO-999999 "
                "và số điện thoại 0912345678. Cảm ơn.</p>"
            )
            ticket.partner_id.commercial_partner_id.ensure_one()  # read before timing
            start = time.perf_counter()
            ticket._match_customer_orders(
                ["Hỏi đơn hàng", body], ticket.partner_id, ticket.company_id
            )
            lookups.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            ticket._link_orders_from_text("Hỏi đơn hàng", body)
            env.flush_all()
            values.append((time.perf_counter() - start) * 1000)
        cr.rollback()
    print(f"{'measure':<24}{'median ms':>10}{'p95 ms':>10}")
    report("lookup (regex + query)", lookups)
    report("lookup + link (write)", values)


def _login(session, base, login):
    page = session.get(f"{base}/web/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": login, "password": login, "csrf_token": csrf},
    ).raise_for_status()


def run(args):
    import requests

    base = args.base_url.rstrip("/")
    agent = requests.Session()
    _login(agent, base, AGENT_LOGIN)
    portal = requests.Session()
    _login(portal, base, PORTAL_LOGIN)
    listing = portal.get(f"{base}/my/tickets")
    ticket_id = int(re.search(r'href="/my/tickets/(\d+)"', listing.text).group(1))

    def rpc(model, method, *a, **kw):
        res = agent.post(
            f"{base}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": a, "kwargs": kw},
            },
        )
        res.raise_for_status()
        body = res.json()
        if "error" in body:
            raise RuntimeError(body["error"])
        return body["result"]

    views = rpc("care.ticket", "get_views", [[False, "form"]], options={})
    fields = views["models"]["care.ticket"]["fields"]
    # The fields of the form as the agent gets it (fields of groups she is
    # not in are stripped from the arch), as the web client reads them.
    in_form = set(re.findall(r'<field name="(\w+)"', views["views"]["form"]["arch"]))
    spec = {}
    for name, info in fields.items():
        if name not in in_form:
            continue
        if info["type"] in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}

    def form_load():
        start = time.perf_counter()
        rpc("care.ticket", "web_read", [ticket_id], specification=spec)
        return (time.perf_counter() - start) * 1000

    def portal_page():
        start = time.perf_counter()
        res = portal.get(f"{base}/my/tickets/{ticket_id}")
        res.raise_for_status()
        if "o_care_portal_orders" not in res.text:
            raise RuntimeError("no order on the portal page")
        return (time.perf_counter() - start) * 1000

    print(f"{'measure':<24}{'median ms':>10}{'p95 ms':>10}")
    for name, fn in (
        ("ticket form (2 orders)", form_load),
        ("portal ticket", portal_page),
    ):
        for __ in range(3):
            fn()
        report(name, [fn() for __ in range(args.repeat)])


def _form_spec(env):
    """The fields of the ticket form as the web client reads them (fields of
    groups the user is not in are stripped from the arch)."""
    views = env["care.ticket"].get_views([[False, "form"]], options={})
    fields = views["models"]["care.ticket"]["fields"]
    in_form = set(re.findall(r'<field name="(\w+)"', views["views"]["form"]["arch"]))
    spec = {}
    for name, info in fields.items():
        if name not in in_form:
            continue
        if info["type"] in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def _bench_ticket(env):
    portal = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
    return env["care.ticket"].search(
        [("partner_id", "=", portal.partner_id.id), ("sale_order_ids", "!=", False)],
        limit=1,
    )


def profile(args):
    """One path in-process: query count, slowest queries, cProfile."""
    import cProfile
    import pstats

    from odoo import SUPERUSER_ID, api, sql_db

    registry = _env(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ticket = _bench_ticket(env)
        agent = env["res.users"].search([("login", "=", AGENT_LOGIN)])
        name = ticket.sale_order_ids[:1].name
        body = (
            f"<p>Chào shop, đơn {name} của tôi chưa giao, mã PO-999999 "
            "và số điện thoại 0912345678. Cảm ơn.</p>"
        )
        spec = _form_spec(env(user=agent))
    if args.path == "portal":
        from werkzeug.test import Client

        import odoo.http

        def app(environ, start_response):
            environ.setdefault("REMOTE_ADDR", "127.0.0.1")
            return odoo.http.root(environ, start_response)

        client = Client(app)
        page = client.get("/web/login")
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)
        ).group(1)
        client.post(
            "/web/login",
            data={"login": PORTAL_LOGIN, "password": PORTAL_LOGIN, "csrf_token": csrf},
        )

        def call():
            res = client.get(f"/my/tickets/{ticket.id}")
            if "o_care_portal_orders" not in res.get_data(as_text=True):
                raise RuntimeError("no order on the portal page")

    else:

        def call():
            with registry.cursor() as cr:
                if args.path == "form":
                    env = api.Environment(cr, agent.id, {})
                    env["care.ticket"].browse(ticket.id).web_read(spec)
                else:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    t = env["care.ticket"].browse(ticket.id)
                    t._match_customer_orders(
                        ["Hỏi đơn hàng", body], t.partner_id, t.company_id
                    )
                cr.rollback()

    for __ in range(3):
        call()
    before = sql_db.sql_counter
    queries = []
    execute = sql_db.Cursor.execute

    def timed_execute(cursor, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(cursor, query, params, log_exceptions)
        finally:
            text = query.code if hasattr(query, "code") else str(query)
            queries.append(((time.perf_counter() - start) * 1000, text))

    sql_db.Cursor.execute = timed_execute
    try:
        call()
    finally:
        sql_db.Cursor.execute = execute
    print(f"{args.path}: {sql_db.sql_counter - before} queries; slowest:")
    for duration, text in sorted(queries, reverse=True)[: args.top_sql]:
        print(f"{duration:8.2f} ms  {text[:600]}")
    times = []
    for __ in range(args.repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{'measure':<24}{'median ms':>10}{'p95 ms':>10}")
    report(args.path, times)
    prof = cProfile.Profile()
    prof.enable()
    for __ in range(10):
        call()
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("populate", "match"):
        p = sub.add_parser(command)
        p.add_argument("-d", "--database", required=True)
        p.add_argument("--addons-path", required=True)
        p.add_argument("--db_host", default="127.0.0.1")
        p.add_argument("--db_port", type=int, default=5432)
        p.add_argument("--db_user", default="odoo")
        p.add_argument("--db_password", default="odoo")
        p.add_argument("--tickets", type=int, default=100000)
        p.add_argument("--orders", type=int, default=50000)
        p.add_argument("--repeat", type=int, default=50)
    p = sub.add_parser("profile")
    p.add_argument("path", choices=("form", "portal", "match"))
    p.add_argument("-d", "--database", required=True)
    p.add_argument("--addons-path", required=True)
    p.add_argument("--db_host", default="127.0.0.1")
    p.add_argument("--db_port", type=int, default=5432)
    p.add_argument("--db_user", default="odoo")
    p.add_argument("--db_password", default="odoo")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--top-sql", type=int, default=8)
    r = sub.add_parser("run")
    r.add_argument("base_url")
    r.add_argument("database")
    r.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    {"populate": populate, "match": match, "run": run, "profile": profile}[
        args.command
    ](args)


if __name__ == "__main__":
    main()
