#!/usr/bin/env python3
"""Cost of the emotion journal on the mail-intake path (issue 4).

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, then posts --messages customer e-mails (message_type "email",
author = the customer, as the mail gateway does after routing) on tickets,
three times: with the journal (detect() + entry + mood recompute + care
scenarios, whose actions include call-back activities and thank-you mails),
with the journal but no scenarios (context ``care_no_scenario``), and without
the journal (context ``care_no_emotion``). Runs alternate so that machine noise
hits all equally; everything is rolled back, the database is left unchanged.

Prints the median and p95 milliseconds per message and the journal's extra
cost. Run, with the database of a test run for example::

    python3 bench/bench_journal.py -d cc_emo --messages 300
"""

import argparse
import statistics
import time

TEXTS = [
    "Giao hàng trễ quá, gọi hotline mãi ko ai nghe, bực mình ghê!!",
    "sp dung ok, giao nhanh, cam on shop nhieu nha, se ung ho tiep",
    "don cua minh chua nhan dc, mai di cong tac r lo qua shop oi",
    "Máy giặt mới mua đã kêu to, hơi thất vọng về chất lượng :(",
    "Cho mình hỏi cửa hàng ở quận 7 mở cửa đến mấy giờ vậy ạ?",
    "Tuyệt vời quáaaa, nhân viên lắp đặt siêu nhiệt tình luôn",
    "The technician was late again and nobody called me, so annoying",
    "Chào shop, tôi đặt đơn DH12345 từ tuần trước, đã chuyển khoản đủ "
    "4.990.000đ nhưng vẫn chưa nhận được hàng. Tôi đã gọi tổng đài 3 lần, lần "
    "nào cũng phải chờ rất lâu. Nếu mai không có phản hồi, tôi yêu cầu hoàn "
    "tiền toàn bộ.\n\nTrân trọng,\nNguyễn Văn An",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-d", "--db", required=True)
    ap.add_argument("--messages", type=int, default=200)
    ap.add_argument("--addons-path", default="/opt/odoo19/addons,/tmp/ccaddons")
    ap.add_argument("--db_host", default="127.0.0.1")
    ap.add_argument("--db_port", default="5432")
    ap.add_argument("--db_user", default="odoo")
    ap.add_argument("--db_password", default="odoo")
    args = ap.parse_args()

    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

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
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        env["ir.config_parameter"].set_param("mail.catchall.domain", "example.com")
        team = env["care.team"].create({"name": "Bench journal"})
        customers = env["res.partner"].create(
            [
                {"name": f"Bench customer {i}", "email": f"bench{i}@example.com"}
                for i in range(20)
            ]
        )
        tickets = (
            env["care.ticket"]
            .with_context(care_no_ack=True)
            .create(
                [
                    {"name": f"Bench {i}", "team_id": team.id, "partner_id": c.id}
                    for i, c in enumerate(customers)
                ]
            )
        )
        modes = ("journal", "no scenarios", "no journal")
        timings = {mode: [] for mode in modes}
        queries = dict.fromkeys(modes, 0)
        for i in range(args.messages):
            ticket = tickets[i % len(tickets)]
            text = TEXTS[i % len(TEXTS)]
            for mode in modes[i % 3 :] + modes[: i % 3]:
                thread = ticket.with_context(
                    care_no_emotion=mode == "no journal",
                    care_no_scenario=mode == "no scenarios",
                )
                count = cr.sql_log_count
                start = time.perf_counter()
                thread.message_post(
                    body=text,
                    author_id=ticket.partner_id.id,
                    message_type="email",
                    subtype_xmlid="mail.mt_comment",
                )
                env.flush_all()  # the entry, the mood recompute: paid here
                timings[mode].append((time.perf_counter() - start) * 1000)
                queries[mode] += cr.sql_log_count - count
        entries = env["care.emotion.entry"].search_count(
            [("ticket_id", "in", tickets.ids)]
        )
        cr.rollback()

    print(f"{args.messages} customer e-mails per mode, {entries} journal entries")
    medians = {}
    for mode, values in timings.items():
        values.sort()
        medians[mode] = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{mode:>12}: median {medians[mode]:.2f} ms, p95 {p95:.2f} ms, "
            f"{queries[mode] / args.messages:.1f} SQL queries per message"
        )
    for mode in ("no scenarios", "journal"):
        extra = medians[mode] - medians["no journal"]
        print(f"cost per message, {mode}: {extra:.2f} ms (median difference)")


if __name__ == "__main__":
    main()
