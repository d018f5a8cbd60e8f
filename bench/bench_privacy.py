#!/usr/bin/env python3
"""Export of a customer's personal data (issue 15): target ≤ 10 s for a
customer with 1,000 tickets.

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, gives one customer --tickets tickets, each with the customer's
message (journal entry included), an agent's reply and, every tenth ticket, an
attached file and a rating; then builds the ZIP of ``care.privacy`` (what the
backend button and the portal's "Download my data" return) --runs times, and
times the erasure once with --erase. Everything is rolled back, the database is
left unchanged. Run, with the database of a test run for example::

    python3 bench/bench_privacy.py -d cc_test --tickets 1000
"""

import argparse
import statistics
import time

TEXT = (
    "Chào shop, tôi đặt đơn DH12345 từ tuần trước nhưng vẫn chưa nhận được "
    "hàng, gọi tổng đài mãi không ai nghe. Thất vọng quá!"
)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-d", "--db", required=True)
    ap.add_argument("--tickets", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--erase", action="store_true", help="also time the erasure")
    ap.add_argument("-c", "--config", help="an odoo.conf (addons path, database)")
    ap.add_argument("--addons-path", default="/opt/odoo19/addons,/tmp/ccaddons")
    ap.add_argument("--db_host", default="127.0.0.1")
    ap.add_argument("--db_port", default="5432")
    ap.add_argument("--db_user", default="odoo")
    ap.add_argument("--db_password", default="odoo")
    args = ap.parse_args()

    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if args.config:
        config.parse_config(["-c", args.config, "--log-level", "warn"])
    else:
        config.parse_config(
            [
                "--addons-path", args.addons_path,
                "--db_host", args.db_host, "--db_port", args.db_port,
                "--db_user", args.db_user, "--db_password", args.db_password,
                "--log-level", "warn",
            ]
        )  # fmt: skip
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(
            cr, api.SUPERUSER_ID, {"tracking_disable": True, "care_no_ack": True}
        )
        agent = env.ref("base.user_admin")
        team = env["care.team"].create({"name": "Bench privacy"})
        customer = env["res.partner"].create(
            {"name": "Bench Nguyễn Văn An", "email": "bench.privacy@example.com"}
        )
        start = time.perf_counter()
        tickets = env["care.ticket"].create(
            [
                {"name": f"Bench {i}", "team_id": team.id, "partner_id": customer.id}
                for i in range(args.tickets)
            ]
        )
        for i, ticket in enumerate(tickets):
            files = [(f"hoa_don_{i}.txt", TEXT.encode() * 20)] if i % 10 == 0 else []
            ticket.message_post(
                body=TEXT,
                author_id=customer.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
                attachments=files,
            )
            ticket.with_user(agent).message_post(
                body="Chúng tôi đã nhận thông tin và sẽ phản hồi sớm.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            if i % 10 == 0:
                ticket.rating_apply(
                    4, token=ticket._rating_get_access_token(), feedback="Ổn"
                )
        env.flush_all()
        fill = time.perf_counter() - start
        Privacy = env["care.privacy"]
        persons = Privacy._persons(customer)
        timings, size = [], 0
        for __ in range(args.runs):
            env.invalidate_all()  # a cold cache, as a new request has
            start = time.perf_counter()
            size = len(Privacy._export_zip(persons))
            timings.append(time.perf_counter() - start)
        data, files = Privacy._export_data(persons)
        counts = {model: len(rows) for model, rows in data["records"].items()}
        erase = None
        if args.erase:
            env.invalidate_all()
            start = time.perf_counter()
            Privacy._erase(persons)
            env.flush_all()
            erase = time.perf_counter() - start
        cr.rollback()

    print(f"filled {args.tickets} tickets in {fill:.1f} s; exported records: {counts}")
    print(
        f"export ZIP ({size / 1024:.0f} KiB, {len(files)} files): median "
        f"{statistics.median(timings):.2f} s, max {max(timings):.2f} s "
        f"over {args.runs} runs (target 10 s)"
    )
    if erase is not None:
        print(f"erasure: {erase:.2f} s")


if __name__ == "__main__":
    main()
