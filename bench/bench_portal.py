#!/usr/bin/env python3
"""Portal latency benchmark of customer_care (issue 5), over HTTP on loopback.

Two steps:

1. ``populate`` fills a database (customer_care already installed) in-process:
   --tickets tickets (default 100,000) spread over many customers, of which one
   portal customer company owns --own (default 1,000); one of its tickets gets a
   conversation (public replies, an internal note, stage changes). It also
   relaxes the public form's anti-spam settings *of that database only*
   (minimum fill time 0 s, high rate limits) so the form can be timed.

       python3 bench/bench_portal.py populate -d cc_bench \\
           --addons-path /opt/odoo19/addons,/tmp/ccaddons

2. ``run`` times, against a running server (one worker is enough), as the portal
   user: ``/my/tickets`` (first page, default filters), the ticket page of the
   ticket with the conversation, and the public form submission (GET the form,
   then POST it; only the POST is timed). Prints median and p95 per measure.

       python3 bench/bench_portal.py run http://127.0.0.1:8069 cc_bench_portal

The bare HTTP round trip (``/web/webclient/version_info``) is printed for scale.
"""

import argparse
import re
import statistics
import sys
import time

SUBJECTS = [
    "Máy giặt kêu to khi vắt",
    "Giao hàng trễ đơn {n}",
    "Yêu cầu bảo hành tủ lạnh",
    "Điều hòa không mát, cần kỹ thuật viên",
    "Hoá đơn điện tử sai mã số thuế",
    "Ti vi mất tiếng sau khi cập nhật",
]
PORTAL_LOGIN = "cc_bench_portal"


def populate(args):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            "-d",
            args.database,
            "--addons-path",
            args.addons_path,
            "--db_host",
            args.db_host,
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
        "no_reset_password": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, ctx)
        params = env["ir.config_parameter"]
        params.set_param("customer_care.intake_min_seconds", 0)
        params.set_param("customer_care.intake_max_per_ip", 1000000)
        params.set_param("customer_care.intake_max_per_email", 1000000)
        team = env["care.team"].search([], limit=1) or env["care.team"].create(
            {"name": "Bench"}
        )
        team.is_published = True
        company = env["res.partner"].create(
            {"name": "Bench Customer Company", "is_company": True}
        )
        user = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
        if not user:
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Bench Portal",
                        "login": PORTAL_LOGIN,
                        "password": PORTAL_LOGIN,
                        "email": "bench.portal@example.com",
                        "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                    }
                )
            )
        user.partner_id.parent_id = company
        others = env["res.partner"].create(
            [
                {"name": f"Khách hàng {i}", "email": f"kh{i}@example.com"}
                for i in range(1000)
            ]
        )
        cr.commit()
        Ticket = env["care.ticket"]
        total, batch, own_left = args.tickets, 1000, args.own
        created = 0
        while created < total:
            size = min(batch, total - created)
            vals = []
            for i in range(size):
                n = created + i
                own = own_left > 0 and n % max(total // args.own, 1) == 0
                partner = user.partner_id if own else others[n % len(others)]
                own_left -= own
                vals.append(
                    {
                        "name": SUBJECTS[n % len(SUBJECTS)].format(n=n),
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "priority": str(n % 4),
                        "channel": "email",
                    }
                )
            Ticket.create(vals)
            created += size
            cr.commit()
            print(f"{created} tickets", file=sys.stderr)
        ticket = Ticket.search(
            [("partner_id", "=", user.partner_id.id)], order="id desc", limit=1
        )
        stages = env["care.stage"].search([("is_closing", "=", False)])
        tracked = ticket.with_context(tracking_disable=False, mail_notrack=False)
        for stage in stages:
            tracked.stage_id = stage
            env.flush_all()
            cr.precommit.run()
        for i in range(10):
            ticket.message_post(
                body=f"Tin nhắn công khai {i}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        ticket.message_post(body="Ghi chú nội bộ", subtype_xmlid="mail.mt_note")
        cr.commit()
        print(f"ticket with conversation: {ticket.id}")


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(session, method, url, **kwargs):
    start = time.perf_counter()
    res = session.request(method, url, **kwargs)
    elapsed = (time.perf_counter() - start) * 1000
    res.raise_for_status()
    return elapsed, res


def run(args):
    import requests

    base = args.base_url.rstrip("/")
    session = requests.Session()
    page = session.get(f"{base}/web/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = session.post(
        f"{base}/web/login",
        data={
            "login": args.login,
            "password": args.password or args.login,
            "csrf_token": csrf,
        },
    )
    res.raise_for_status()
    listing = session.get(f"{base}/my/tickets?sortby=update")
    ticket_url = re.search(r'href="(/my/tickets/\d+)"', listing.text).group(1)
    public = requests.Session()

    def form_submit():
        form = public.get(f"{base}/help/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
        team = re.search(r'<option value="(\d+)"', form).group(1)
        elapsed, res = timed(
            public,
            "POST",
            f"{base}/help/new",
            data={
                "csrf_token": csrf,
                "form_token": token,
                "name": "Bench Visitor",
                "email": "bench.visitor@example.com",
                "team_id": team,
                "subject": "Máy giặt kêu to",
                "description": "Đo thời gian gửi biểu mẫu.",
            },
        )
        if "o_care_ticket_thanks" not in res.text:
            raise RuntimeError("form refused: " + res.text[-500:])
        return elapsed

    measures = {
        "round trip": lambda: timed(
            session, "GET", f"{base}/web/webclient/version_info", json={}
        )[0],
        "/my/tickets": lambda: timed(session, "GET", f"{base}/my/tickets")[0],
        "ticket page": lambda: timed(session, "GET", f"{base}{ticket_url}")[0],
        "public form": form_submit,
    }
    print(f"{'measure':<14}{'median ms':>10}{'p95 ms':>10}")
    for name, fn in measures.items():
        for __ in range(3):
            fn()
        values = [fn() for __ in range(args.repeat)]
        print(
            f"{name:<14}{statistics.median(values):>10.1f}"
            f"{percentile(values, 95):>10.1f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pop = sub.add_parser("populate")
    pop.add_argument("-d", "--database", required=True)
    pop.add_argument("--addons-path", required=True)
    pop.add_argument("--db_host", default="127.0.0.1")
    pop.add_argument("--db_user", default="odoo")
    pop.add_argument("--db_password", default="odoo")
    pop.add_argument("--tickets", type=int, default=100000)
    pop.add_argument("--own", type=int, default=1000)
    bench = sub.add_parser("run")
    bench.add_argument("base_url")
    bench.add_argument("login")
    bench.add_argument("--password")
    bench.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if args.command == "populate":
        populate(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
