#!/usr/bin/env python3
"""Segment evaluation over many customers (issue 15): target ≤ 2 s for a
segment over 50k customers.

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, adds --customers customers (a tenth of them with journal entries, a
fiftieth with an open complaint, a twentieth with a confirmed order of a
product category), then times ``search_count`` of each segment's member domain
(what "Customers" on the segment form and a mailing's recipient count run)
--runs times with a cold cache. Everything is rolled back. Run::

    python3 bench/bench_segment.py -c .run/odoo-test.conf -d cc_bench --customers 50000
"""

import argparse
import statistics
import time
from datetime import timedelta


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-d", "--db", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-c", "--config", help="an odoo.conf (addons path, database)")
    args = ap.parse_args()

    from odoo import api, fields
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(
            cr, api.SUPERUSER_ID, {"tracking_disable": True, "care_no_ack": True}
        )
        start = time.perf_counter()
        partners = env["res.partner"].create(
            [
                {"name": f"Bench Khách {i}", "email": f"bench{i}@example.com"}
                for i in range(args.customers)
            ]
        )
        Entry = env["care.emotion.entry"]
        labels = ["angry", "disappointed", "neutral", "satisfied", "delighted"]
        now = fields.Datetime.now()
        Entry.create(
            [
                Entry._entry_vals(
                    "manual",
                    partner,
                    values={"label": labels[i % 5], "intensity": 3},
                    date=now - timedelta(days=i % 60),
                )
                for i, partner in enumerate(partners[::10])
            ]
        )
        team = env["care.team"].create({"name": "Bench segments"})
        complaint = env.ref("customer_care.care_ticket_type_complaint")
        env["care.ticket"].create(
            [
                {
                    "name": "Khiếu nại",
                    "team_id": team.id,
                    "partner_id": partner.id,
                    "type_id": complaint.id,
                }
                for partner in partners[::50]
            ]
        )
        categ = env["product.category"].create({"name": "Bench nồi chiên"})
        product = env["product.product"].create(
            {"name": "Bench nồi chiên", "categ_id": categ.id}
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
                for partner in partners[::20]
            ]
        )
        orders.write({"state": "sale"})
        env.flush_all()
        fill = time.perf_counter() - start
        angry = env.ref("customer_care.care_emotion_label_angry")
        shapes = {
            "angry mood": {"mood_label_ids": [(6, 0, angry.ids)]},
            "negative within 30 days": {"negative_within_days": 30},
            "open complaint": {"open_complaint": "yes"},
            "bought category": {"product_categ_ids": [(6, 0, categ.ids)]},
            "no order for 30 days": {"last_order_days_min": 30},
            "combined": {
                "mood_label_ids": [(6, 0, angry.ids)],
                "open_complaint": "no",
                "product_categ_ids": [(6, 0, categ.ids)],
            },
        }
        Partner = env["res.partner"]
        results = {}
        for name, values in shapes.items():
            segment = env["care.segment"].create({"name": name, **values})
            timings, count = [], 0
            for __ in range(args.runs):
                env.invalidate_all()
                start = time.perf_counter()
                count = Partner.search_count(segment._member_domain())
                timings.append(time.perf_counter() - start)
            results[name] = (count, statistics.median(timings), max(timings))
        total = Partner.search_count([])
        cr.rollback()

    print(f"filled {args.customers} customers in {fill:.1f} s ({total} contacts)")
    for name, (count, median, worst) in results.items():
        print(
            f"{name:28s} {count:7d} members: median {median * 1000:7.1f} ms, "
            f"max {worst * 1000:7.1f} ms (target 2000 ms)"
        )


if __name__ == "__main__":
    main()
