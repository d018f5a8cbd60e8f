#!/usr/bin/env python3
"""Core latency benchmark of customer_care (issue 2), optionally side by side with
OCA helpdesk_mgmt 19.0 in the same run.

Opens the Odoo registry in-process (no HTTP server), fills ``cc_bench`` (and
``cc_bench_oca``) with tickets, then times, as an *agent* (a Customer Care User
member of one team, so record rules are paid):

* create1   one ticket create + commit (post-commit mail sending included)
* batch     create of --batch tickets (10,000) in create() calls of 1,000 + commit,
            figure = ms per ticket
* mail      --mails (500) inbound e-mails through ``mail.thread.message_process``
            on the team alias, one commit per message (as fetchmail); a third are
            replies (In-Reply-To), some carry attachments, Vietnamese subjects.
            Runs as the cron user (OdooBot, uid 1) like fetchmail.
* kanban    team kanban, ungrouped first page: ``web_search_read`` of 80 cards
            with the fields spec of the kanban arch (as the web client builds it)
* kanban_grouped  team kanban grouped by stage: ``web_read_group(auto_unfold=True,
            unfold_read_specification=<kanban spec>, unfold_read_default_limit=80)``,
            the single call the Odoo 19 web client makes for a grouped kanban
* dashboard team dashboard counters: ``web_search_read`` of all teams with the
            four ticket counters
* report    ``formatted_read_group`` by team, stage, create_date:month (pivot)
* floor     Odoo's own cost, for reference: create+commit of a bare mail.thread
            record (``mail.blacklist``) and a gateway mail creating a contact

Read measures run --repeat (30) times each after 3 warm-ups, each in a fresh
cursor/environment like an RPC; ours and OCA alternate repetition by repetition
so machine noise hits both equally.

Typical use (see bench/README.md)::

    python3 bench/bench_core.py --init --compare-oca --tickets 10000,100000
"""

import argparse
import ast
import datetime
import email.message
import email.utils
import itertools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# --------------------------------------------------------------------------- data

SUBJECTS = [
    "Máy giặt kêu to khi vắt",
    "Giao hàng trễ đơn {n}",
    "Yêu cầu bảo hành tủ lạnh",
    "Điều hòa không mát, cần kỹ thuật viên",
    "Hoàn tiền đơn hàng {n}",
    "Tivi bị sọc màn hình sau 2 tuần",
    "Đổi trả nồi cơm điện lỗi",
    "Hỏi về trả góp 0% thẻ tín dụng",
    "Lắp đặt máy nước nóng tại nhà",
    "Khiếu nại nhân viên giao hàng",
    "Chưa nhận được hóa đơn VAT đơn {n}",
    "Laptop không lên nguồn",
    "Cập nhật địa chỉ giao hàng đơn {n}",
    "Lò vi sóng bị chập điện",
    "Xin lịch bảo trì máy lọc nước",
]
BODY = (
    "<p>Chào shop,</p><p>Tôi đặt đơn hàng {n} tuần trước, đã chuyển khoản đủ nhưng "
    "sản phẩm vẫn gặp vấn đề. Nhờ bên mình kiểm tra và phản hồi sớm giúp tôi. "
    "Xin cảm ơn.</p>"
)
LAST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MID = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Đức", "Thu"]
FIRST = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hương",
    "Khoa",
    "Lan",
    "Nam",
    "Phúc",
    "Quân",
    "Trang",
]
TEAMS = [
    "Hỗ trợ Hà Nội",
    "Hỗ trợ TP.HCM",
    "Bảo hành",
    "Giao nhận",
    "Trả góp",
    "Lắp đặt",
    "Khiếu nại",
    "Online",
    "Doanh nghiệp",
    "Đà Nẵng",
]
N_PARTNERS = 5000
N_TEAMS = len(TEAMS)
AGENTS_PER_TEAM = 2
ALIAS_DOMAIN = "bench.example.vn"
ALIAS_NAME = "hotro"
FILL_CHUNK = 2000
BATCH_CHUNK = 1000
OPEN_SHARE = 0.2  # share of tickets in open stages (a mature database)


def vn_name(rng):
    return f"{rng.choice(LAST)} {rng.choice(MID)} {rng.choice(FIRST)}"


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[max(0, math.ceil(q * len(values)) - 1)]


# --------------------------------------------------------------------- products


class Product:
    """What differs between customer_care and helpdesk_mgmt."""

    key = ""
    label = ""
    module = ""
    ticket = team = stage = ""
    members_field = ""
    agent_group = ""
    open_domain = []
    counters = []

    def __init__(self, dbname):
        self.dbname = dbname
        self.registry = None

    def stage_ids(self, env):
        """(open stage ids, closed stage ids) in sequence order."""
        raise NotImplementedError

    def ticket_vals(self, g, ctx):
        """Map a generic ticket ``g`` (see gen_ticket) to create() values."""
        raise NotImplementedError

    def fill_context(self):
        return {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
            "mail_auto_subscribe_no_notify": True,
        }


class Ours(Product):
    key = "ours"
    label = "customer_care"
    module = "customer_care"
    ticket, team, stage = "care.ticket", "care.team", "care.stage"
    members_field = "member_ids"
    agent_group = "customer_care.customer_care_group_user"
    closed_field = "is_closed"
    open_domain = [("is_closed", "=", False)]  # search_default_filter_open
    counters = [
        "ticket_open_count",
        "ticket_unassigned_count",
        "ticket_urgent_count",
        "ticket_mine_count",
    ]

    def stage_ids(self, env):
        stages = env[self.stage].search([], order="sequence, id")
        return (
            stages.filtered(lambda s: not s.is_closing).ids,
            stages.filtered("is_closing").ids,
        )

    def ticket_vals(self, g, ctx):
        vals = {
            "name": g["name"],
            "description": g["description"],
            "partner_id": ctx["partners"][g["partner"]],
            "team_id": ctx["teams"][g["team"]],
            "priority": g["priority"],
            "channel": g["channel"],
        }
        if g["user"] is not None:
            vals["user_id"] = ctx["team_users"][g["team"]][g["user"]]
        if g["stage"] is not None:
            vals["stage_id"] = ctx["stages"][g["stage"][0]][g["stage"][1]]
        return vals

    def fill_context(self):
        return dict(super().fill_context(), care_no_ack=True)


class Oca(Product):
    key = "oca"
    label = "helpdesk_mgmt"
    module = "helpdesk_mgmt"
    ticket, team, stage = (
        "helpdesk.ticket",
        "helpdesk.ticket.team",
        "helpdesk.ticket.stage",
    )
    members_field = "user_ids"
    agent_group = "helpdesk_mgmt.group_helpdesk_user_team"
    closed_field = "closed"
    open_domain = [("closed", "=", False)]  # its "Open" filter
    counters = [
        "todo_ticket_count",
        "todo_ticket_count_unassigned",
        "todo_ticket_count_unattended",
        "todo_ticket_count_high_priority",
    ]

    def stage_ids(self, env):
        stages = env[self.stage].search([], order="sequence, id")
        return (
            stages.filtered(lambda s: not s.closed).ids,
            stages.filtered("closed").ids,
        )

    def ticket_vals(self, g, ctx):
        vals = {
            "name": g["name"],
            "description": g["description"],
            "partner_id": ctx["partners"][g["partner"]],
            "team_id": ctx["teams"][g["team"]],
            "priority": g["priority"],
        }
        if g["user"] is not None:
            vals["user_id"] = ctx["team_users"][g["team"]][g["user"]]
        if g["stage"] is not None:
            vals["stage_id"] = ctx["stages"][g["stage"][0]][g["stage"][1]]
        return vals


def gen_ticket(rng, open_share=OPEN_SHARE, with_stage=True):
    n = f"DH{rng.randrange(10000, 99999)}"
    is_open = rng.random() < open_share
    if with_stage:
        if is_open:
            stage = ("open", rng.choice([0, 0, 1, 1, 1, 2]))
        else:
            stage = ("closed", rng.choice([0, 0, 0, 1]))
    else:
        stage = None
    return {
        "name": rng.choice(SUBJECTS).format(n=n),
        "description": BODY.format(n=n),
        "partner": rng.randrange(N_PARTNERS),
        "team": rng.randrange(N_TEAMS),
        "user": None if rng.random() < 0.3 else rng.randrange(AGENTS_PER_TEAM),
        "priority": rng.choices(["0", "1", "2", "3"], [10, 60, 20, 10])[0],
        "channel": rng.choice(["email", "phone", "chat", "portal"]),
        "stage": stage,
    }


# ------------------------------------------------------------------------- odoo


def odoo_args(args, dbname=None):
    res = [
        "--db_host",
        args.db_host,
        "--db_port",
        str(args.db_port),
        "--db_user",
        args.db_user,
        "--db_password",
        args.db_password,
        "--addons-path",
        args.addons_path,
        "--data-dir",
        args.data_dir,
        "--http-port",
        str(args.http_port),
        "--log-level",
        args.log_level,
        "--db_maxconn",
        "16",
    ]
    if dbname:
        res += ["-d", dbname]
    return res


def init_db(args, product):
    """Drop and create the database with the module installed (no demo data)."""
    import psycopg2

    conn = psycopg2.connect(
        host=args.db_host,
        port=args.db_port,
        user=args.db_user,
        password=args.db_password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{product.dbname}" WITH (FORCE)')
    conn.close()
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        *odoo_args(args, product.dbname),
        "-i",
        product.module,
        "--stop-after-init",
    ]
    log(f"[{product.key}] installing {product.module} in {product.dbname} ...")
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd="/")
    log(f"[{product.key}] installed in {time.perf_counter() - t0:.0f} s")


def update_db(args, product):
    """Upgrade the installed module to the code on the addons path (-u)."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        *odoo_args(args, product.dbname),
        "-u",
        product.module,
        "--stop-after-init",
    ]
    log(f"[{product.key}] updating {product.module} in {product.dbname} ...")
    subprocess.run(cmd, check=True, cwd="/")


def log(msg):
    print(f"{datetime.datetime.now():%H:%M:%S} {msg}", flush=True)


def patch_mail_sending():
    """Build every e-mail as usual but never open an SMTP connection (Odoo's own
    test-mode switch): the benchmark pays rendering and queueing, not the network."""
    from odoo.addons.base.models.ir_mail_server import IrMail_Server

    IrMail_Server._disable_send = classmethod(lambda cls: True)


class Bench:
    def __init__(self, args, product):
        import odoo
        from odoo.modules.registry import Registry

        self.odoo = odoo
        self.args = args
        self.p = product
        self.registry = Registry(product.dbname)
        self.ctx = None
        self.spec = None

    # -- environments ----------------------------------------------------------

    def cursor(self):
        return self.registry.cursor()

    def env(self, cr, uid=None, context=None):
        from odoo import api

        return api.Environment(cr, uid or self.odoo.SUPERUSER_ID, context or {})

    def agent_env(self, cr):
        ctx = {
            "lang": "en_US",
            "tz": "Asia/Ho_Chi_Minh",
            "uid": self.ctx["agent"],
            "allowed_company_ids": [self.ctx["company"]],
            "bin_size": True,
            **self.args.agent_context,
        }
        return self.env(cr, self.ctx["agent"], ctx)

    # -- setup -----------------------------------------------------------------

    def setup(self):
        """Idempotent: alias domain, partners, agents, teams (with alias)."""
        p = self.p
        with self.cursor() as cr:
            env = self.env(cr)
            icp = env["ir.config_parameter"]
            if not icp.get_param("bench_core.setup"):
                log(f"[{p.key}] setup: alias domain, customers, agents, teams")
                rng = random.Random(1)
                company = env.company
                domain = env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)])
                if not domain:
                    domain = env["mail.alias.domain"].create(
                        {
                            "name": ALIAS_DOMAIN,
                            "bounce_alias": "bounce",
                            "catchall_alias": "catchall",
                            "default_from": "notifications",
                            "company_ids": [(4, company.id)],
                            "sequence": 1,
                        }
                    )
                company.alias_domain_id = domain
                env["ir.config_parameter"].set_param(
                    "mail.restrict.template.rendering", False
                )
                partners = env["res.partner"].create(
                    [
                        {
                            "name": vn_name(rng),
                            "email": f"khach{i}@example.vn",
                            "phone": f"09{rng.randrange(10**7, 10**8)}",
                            "lang": "en_US",
                        }
                        for i in range(N_PARTNERS)
                    ]
                )
                group = env.ref(p.agent_group)
                users = (
                    env["res.users"]
                    .with_context(no_reset_password=True)
                    .create(
                        [
                            {
                                "name": f"Nhân viên {i}",
                                "login": f"bench.agent{i}",
                                "email": f"agent{i}@{ALIAS_DOMAIN}",
                                "group_ids": [(6, 0, [group.id])],
                                "notification_type": "email",
                            }
                            for i in range(N_TEAMS * AGENTS_PER_TEAM + 1)
                        ]
                    )
                )
                agent = users[-1]  # bench.agent20: the measuring agent, in team 0
                teams = env[p.team]
                for t, name in enumerate(TEAMS):
                    members = users[t * AGENTS_PER_TEAM : (t + 1) * AGENTS_PER_TEAM]
                    if t == 0:
                        members |= agent
                    teams |= env[p.team].create(
                        {
                            "name": name,
                            p.members_field: [(6, 0, members.ids)],
                            "alias_name": ALIAS_NAME if t == 0 else f"{ALIAS_NAME}{t}",
                        }
                    )
                icp.set_param(
                    "bench_core.setup",
                    json.dumps(
                        {
                            "partners": partners.ids,
                            "teams": teams.ids,
                            "team_users": [
                                users[
                                    t * AGENTS_PER_TEAM : (t + 1) * AGENTS_PER_TEAM
                                ].ids
                                for t in range(N_TEAMS)
                            ],
                            "agent": agent.id,
                            "company": company.id,
                        }
                    ),
                )
                cr.commit()
            self.ctx = json.loads(icp.get_param("bench_core.setup"))
            open_ids, closed_ids = p.stage_ids(env)
            self.ctx["stages"] = {"open": open_ids, "closed": closed_ids}
            self.spec = kanban_spec(env, p.ticket)
            self.team0 = self.ctx["teams"][0]

    def configure_team(self):
        """Our agent's team assigns new tickets (balanced): ours does more."""
        if self.p.key != "ours":
            return
        with self.cursor() as cr:
            env = self.env(cr)
            env[self.p.team].browse(self.team0).assign_method = (
                self.args.assign or "manual"
            )

    # -- fill ------------------------------------------------------------------

    def count(self):
        with self.cursor() as cr:
            cr.execute(f'SELECT count(*) FROM "{self.p.ticket.replace(".", "_")}"')
            return cr.fetchone()[0]

    def fill(self, target):
        table = self.p.ticket.replace(".", "_")
        have = self.count()
        if have >= target:
            log(f"[{self.p.key}] {have} tickets already (>= {target})")
            return None
        rng = random.Random(1000 + have)
        log(
            f"[{self.p.key}] filling {have} -> {target} tickets "
            f"(ORM, chunks of {FILL_CHUNK})"
        )
        t0 = time.perf_counter()
        with self.cursor() as cr:
            cr.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            max_before = cr.fetchone()[0]
        done = have
        while done < target:
            n = min(FILL_CHUNK, target - done)
            with self.cursor() as cr:
                env = self.env(cr, context=self.p.fill_context())
                vals = [self.p.ticket_vals(gen_ticket(rng), self.ctx) for _ in range(n)]
                env[self.p.ticket].create(vals)
                cr.commit()
            done += n
            el = time.perf_counter() - t0
            log(
                f"[{self.p.key}]   {done} tickets, {el:.0f} s, "
                f"{1000 * el / (done - have):.2f} ms/ticket"
            )
        # Spread creation dates over a year (monthly report), then refresh stats.
        with self.cursor() as cr:
            cr.execute(
                f"UPDATE \"{table}\" SET create_date = now() at time zone 'utc' "
                f"- random() * interval '365 days' WHERE id > %s",
                [max_before],
            )
            cr.commit()
        with self.cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'VACUUM ANALYZE "{table}"')
            cr.execute("ANALYZE")
            cr._cnx.autocommit = False
        el = time.perf_counter() - t0
        log(f"[{self.p.key}] fill done: {target - have} tickets in {el:.0f} s")
        return el

    def max_id(self):
        with self.cursor() as cr:
            cr.execute(
                f'SELECT coalesce(max(id), 0) FROM "{self.p.ticket.replace(".", "_")}"'
            )
            return cr.fetchone()[0]

    def close_written(self, max_id):
        """Tickets made by the write measures all sit open in the agent's team: close
        them (SQL, first closing stage) and age them, so that the next database size
        keeps the fill's open/closed mix and the kanban measures stay comparable."""
        table = self.p.ticket.replace(".", "_")
        closed = self.ctx["stages"]["closed"][0]
        extra = ", is_closed = true" if self.p.key == "ours" else ""
        with self.cursor() as cr:
            cr.execute(
                f'UPDATE "{table}" SET stage_id = %s{extra}, '
                "create_date = now() at time "
                f"zone 'utc' - random() * interval '365 days' WHERE id > %s",
                [closed, max_id],
            )
            log(
                f"[{self.p.key}] closed {cr.rowcount} tickets made by the write "
                "measures"
            )
            cr.commit()

    # -- read measures -----------------------------------------------------------

    def kanban_domain(self):
        return [("team_id", "=", self.team0), *self.p.open_domain]

    def op_kanban(self, env):
        res = (
            env[self.p.ticket]
            .with_context(default_team_id=self.team0)
            .web_search_read(
                self.kanban_domain(),
                self.spec,
                offset=0,
                limit=80,
                order="",
                count_limit=10001,
            )
        )
        return len(res["records"])

    def op_kanban_grouped(self, env):
        res = (
            env[self.p.ticket]
            .with_context(default_team_id=self.team0)
            .web_read_group(
                self.kanban_domain(),
                ["stage_id"],
                aggregates=["__count"],
                auto_unfold=True,
                unfold_read_specification=self.spec,
                unfold_read_default_limit=80,
            )
        )
        return sum(len(g.get("__records", ())) for g in res["groups"])

    def op_dashboard(self, env):
        spec = {"display_name": {}, "name": {}, "color": {}}
        spec.update({f: {} for f in self.p.counters})
        res = env[self.p.team].web_search_read([], spec, limit=80)
        return sum(r[self.p.counters[0]] for r in res["records"])

    def op_report(self, env):
        res = env[self.p.ticket].formatted_read_group(
            [], ["team_id", "stage_id", "create_date:month"], ["__count"]
        )
        return len(res)

    def timed_read(self, op):
        """One RPC-like call in a fresh cursor/environment: (ms, queries, result)."""
        fn = getattr(self, f"op_{op}")
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.agent_env(cr)
            result = fn(env)
            env.flush_all()
            ms = 1000 * (time.perf_counter() - t0)
            cr.rollback()
        return ms, th.query_count, result

    # -- write measures -----------------------------------------------------------

    def new_vals(self, rng, n, team=None):
        """Realistic new tickets of the agent's team: no stage, no user."""
        vals = []
        for _ in range(n):
            g = gen_ticket(rng, with_stage=False)
            g["team"] = 0 if team is None else team
            g["user"] = None
            vals.append(self.p.ticket_vals(g, self.ctx))
        return vals

    def create1_once(self, rng):
        """One ticket create + commit as the agent: (ms, queries)."""
        vals = self.new_vals(rng, 1)
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.agent_env(cr)
            env[self.p.ticket].create(vals)
            cr.commit()  # flush + commit + post-commit hooks (mail sending)
            ms = 1000 * (time.perf_counter() - t0)
        return ms, th.query_count

    def batch_once(self, rng, n):
        """create() of n new tickets of the agent's team + commit.

        Returns (ms per ticket, queries per ticket)."""
        vals = self.new_vals(rng, n)
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.agent_env(cr)
            env[self.p.ticket].create(vals)
            cr.commit()
            ms = 1000 * (time.perf_counter() - t0)
        return ms / n, th.query_count / n

    def mail_once(self, i, state):
        """Process inbound mail number i through the team alias + commit: (ms, kind, q).

        Every third mail (once a ticket exists) replies to the first mail of an
        earlier ticket of this run (In-Reply-To/References); every fifth carries a
        30 KB PDF, every tenth also a 120 KB image. Runs as uid 1 (the cron user)."""
        from odoo import SUPERUSER_ID

        rng = state.setdefault("rng", random.Random(9))
        sent = state.setdefault("sent", [])
        run = state.setdefault("run", uuid.uuid4().hex[:8])
        is_reply = bool(sent) and i % 3 == 2
        msg = email.message.EmailMessage()
        if is_reply:
            parent_id, sender, subject = rng.choice(sent)
            msg["Subject"] = f"Re: {subject}"
            msg["In-Reply-To"] = parent_id
            msg["References"] = parent_id
            body = "Cảm ơn anh/chị, tôi bổ sung thông tin: máy vẫn lỗi sau khi thử lại."
        else:
            k = rng.randrange(N_PARTNERS + 500)  # some senders are unknown
            sender = f"{vn_name(rng)} <khach{k}@example.vn>"
            subject = rng.choice(SUBJECTS).format(n=f"DH{rng.randrange(10000, 99999)}")
            msg["Subject"] = subject
            body = (
                "Chào shop,\n\nTôi đặt hàng tuần trước nhưng sản phẩm bị lỗi, "
                "nhờ kiểm tra giúp.\n\nTrân trọng."
            )
        msg_id = f"<bench.{run}.{i}@example.vn>"
        msg["From"] = sender
        msg["To"] = f"{ALIAS_NAME}@{ALIAS_DOMAIN}"
        msg["Message-Id"] = msg_id
        msg["Date"] = email.utils.formatdate(localtime=True)
        msg.set_content(body)
        if i % 5 == 0:
            msg.add_attachment(
                os.urandom(30 * 1024),
                maintype="application",
                subtype="pdf",
                filename="hoa_don.pdf",
            )
        if i % 10 == 0:
            msg.add_attachment(
                os.urandom(120 * 1024),
                maintype="image",
                subtype="jpeg",
                filename="ảnh_lỗi.jpg",
            )
        raw = msg.as_bytes()
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.env(cr, SUPERUSER_ID, {"fetchmail_cron_running": True})
            env["mail.thread"].message_process(None, raw)
            cr.commit()
            ms = 1000 * (time.perf_counter() - t0)
        if not is_reply:
            sent.append((msg_id, sender, subject))
        return ms, ("reply" if is_reply else "new"), th.query_count

    # -- Odoo's own floor -----------------------------------------------------------

    def floor_create_once(self):
        """create() + commit of a bare mail.thread record (``mail.blacklist``:
        one field, a creation message, one follower) as the admin: what any
        chatter record costs in Odoo before an application adds anything."""
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.env(cr, 2, {"lang": "en_US"})
            env["mail.blacklist"].create({"email": f"floor.{uuid.uuid4().hex}@ex.vn"})
            cr.commit()
            ms = 1000 * (time.perf_counter() - t0)
        return ms, th.query_count

    def floor_mail_once(self, i):
        """message_process of a new mail on an alias that creates a contact
        (``res.partner``): Odoo's gateway with no application logic."""
        from odoo import SUPERUSER_ID

        with self.cursor() as cr:
            env = self.env(cr)
            alias = env["mail.alias"].search([("alias_name", "=", "bench-floor")])
            if not alias:
                env["mail.alias"].create(
                    {
                        "alias_name": "bench-floor",
                        "alias_model_id": env["ir.model"]._get_id("res.partner"),
                        "alias_domain_id": env["mail.alias.domain"]
                        .search([("name", "=", ALIAS_DOMAIN)], limit=1)
                        .id,
                        "alias_contact": "everyone",
                    }
                )
                cr.commit()
        msg = email.message.EmailMessage()
        msg["Subject"] = f"Hỏi về bảo hành {i}"
        msg["From"] = f"Khách {i} <floor.{uuid.uuid4().hex[:10]}@example.vn>"
        msg["To"] = f"bench-floor@{ALIAS_DOMAIN}"
        msg["Message-Id"] = f"<floor.{uuid.uuid4().hex}@example.vn>"
        msg["Date"] = email.utils.formatdate(localtime=True)
        msg.set_content("Chào shop, tôi cần hỏi về bảo hành máy giặt.")
        th = threading.current_thread()
        th.query_count = 0
        with self.cursor() as cr:
            t0 = time.perf_counter()
            env = self.env(cr, SUPERUSER_ID, {"fetchmail_cron_running": True})
            env["mail.thread"].message_process(None, msg.as_bytes())
            cr.commit()
            ms = 1000 * (time.perf_counter() - t0)
        return ms, th.query_count

    # -- profiling ----------------------------------------------------------------

    def cprofile(self, op, sql=False):
        """cProfile of one create1 / batch (200) / mail: top cumulative times.

        With ``sql``, list every query of one run in order instead."""
        import cProfile
        import pstats

        rng = random.Random(99)
        state = {}
        mails = iter(range(3, 10))  # 3 warms up, 4 is a new ticket, 5 a reply
        run = {
            "create1": lambda: self.create1_once(rng),
            "batch": lambda: self.batch_once(rng, 200),
            "mail": lambda: self.mail_once(next(mails), state),
        }[op]
        run()  # warm
        if sql:
            for __ in range(2 if op == "mail" else 1):
                self.sql_trace(op, run)
            return
        for __ in range(2 if op == "mail" else 1):
            prof = cProfile.Profile()
            prof.enable()
            res = run()
            prof.disable()
            print(f"\n[{self.p.key}] {op}: {res}")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)
            if self.args.profile_callees:
                stats = pstats.Stats(prof).sort_stats("cumulative")
                stats.print_callees(self.args.profile_callees)

    def sql_trace(self, op, run):
        """Every query of one run of a write op, in order, with its time."""
        th = threading.current_thread()
        trace = []

        def hook(cr, query, params, start, depth):
            text = query.decode() if isinstance(query, bytes) else str(query)

            def end(delay):
                trace.append((delay, " ".join(text.split())[:220]))

            return end

        th.query_hooks = [hook]
        try:
            res = run()
        finally:
            th.query_hooks = []
        print(f"\n[{self.p.key}] {op}: {res}; {len(trace)} queries in order:")
        for delay, text in trace:
            print(f"  {1000 * delay:6.2f} ms  {text}")
        print(f"  total SQL {1000 * sum(d for d, __ in trace):.1f} ms")

    def profile(self, op):
        """Top queries (by total time) of one run of a read operation."""
        stats = defaultdict(lambda: [0, 0.0])
        th = threading.current_thread()

        def hook(cr, query, params, start, depth):
            text = query.decode() if isinstance(query, bytes) else str(query)
            key = " ".join(text.split())[:300]

            def end(delay):
                stats[key][0] += 1
                stats[key][1] += delay

            return end

        self.timed_read(op)  # warm
        th.query_hooks = [hook]
        try:
            ms, nq, __ = self.timed_read(op)
        finally:
            th.query_hooks = []
        print(f"\n[{self.p.key}] {op}: {ms:.1f} ms, {nq} queries; top queries:")
        for key, (cnt, tot) in sorted(stats.items(), key=lambda kv: -kv[1][1])[:8]:
            print(f"  {1000 * tot:7.2f} ms x{cnt:3d}  {key}")


def kanban_spec(env, model):
    """The web_search_read specification the web client derives from the kanban arch."""
    from lxml import etree

    views = env[model].get_views([(False, "kanban")])
    arch = etree.fromstring(views["views"]["kanban"]["arch"])
    fields = env[model]._fields
    spec = {}
    for attr in ("highlight_color", "default_group_by"):
        name = arch.get(attr)
        if name and name in fields:
            spec.setdefault(name, {})
    for node in arch.iter("field"):
        name = node.get("name")
        field = fields.get(name)
        if field is None:
            continue
        widget = node.get("widget")
        try:
            options = ast.literal_eval(node.get("options") or "{}")
        except (ValueError, SyntaxError):
            options = {}
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("many2many", "one2many"):
            if widget and "tags" in widget or widget in ("many2many_avatar_user",):
                sub = {"display_name": {}}
                if options.get("color_field"):
                    sub[options["color_field"]] = {}
                spec[name] = {"fields": sub}
            else:
                spec.setdefault(name, {})
        else:
            spec.setdefault(name, {})
        if widget == "kanban_activity":
            for dep in (
                "activity_exception_decoration",
                "activity_exception_icon",
                "activity_state",
                "activity_summary",
                "activity_type_icon",
            ):
                spec[dep] = {}
            spec["activity_type_id"] = {"fields": {"display_name": {}}}
    return spec


# ------------------------------------------------------------------------- main

READ_OPS = [
    ("kanban", "team kanban, first 80 cards"),
    ("kanban_grouped", "kanban grouped by stage"),
    ("dashboard", "team dashboard counters"),
    ("report", "report team×stage×month"),
]
TARGETS = {
    "create1": "≤ 11 ms",
    "batch": "≤ 4.5 ms/ticket",
    "mail": "≤ 27 ms",
    "kanban": "p95 ≤ 60 ms",
    "kanban_grouped": "p95 ≤ 120 ms",
    "dashboard": "p95 ≤ 100 ms",
    "report": "-",
}
LABELS = dict(
    READ_OPS,
    create1="one ticket create+commit",
    batch="batch create (ms/ticket)",
    mail="mail intake (ms/message)",
)


def run_reads(args, benches, row, ops):
    """Reads: alternate products repetition by repetition."""
    for op, __ in READ_OPS:
        if op not in ops:
            continue
        samples = {b.p.key: [] for b in benches}
        nq = {}
        for _ in range(3):
            for b in benches:
                b.timed_read(op)
        for _ in range(args.repeat):
            for b in benches:
                ms, q, __ = b.timed_read(op)
                samples[b.p.key].append(ms)
                nq[b.p.key] = q
        row["ops"][op] = samples
        row["queries"][op] = nq
        log(
            f"  {op}: "
            + ", ".join(
                f"{k} median {statistics.median(v):.1f} "
                f"p95 {pct(v, 0.95):.1f} ms ({nq[k]} q)"
                for k, v in samples.items()
            )
        )


def run_create1(args, benches, row):
    samples = {b.p.key: [] for b in benches}
    nq = {b.p.key: [] for b in benches}
    rngs = {b.p.key: random.Random(7) for b in benches}
    for i in range(args.repeat + 3):
        for b in benches:
            ms, q = b.create1_once(rngs[b.p.key])
            if i >= 3:
                samples[b.p.key].append(ms)
                nq[b.p.key].append(q)
    nq = {k: statistics.median(v) for k, v in nq.items()}
    row["ops"]["create1"], row["queries"]["create1"] = samples, nq
    log(
        "  create1: "
        + ", ".join(
            f"{k} median {statistics.median(v):.1f} "
            f"p95 {pct(v, 0.95):.1f} ms ({nq[k]} q)"
            for k, v in samples.items()
        )
    )


def run_batch(args, benches, row, batch):
    samples = {b.p.key: [] for b in benches}
    nq = {b.p.key: [] for b in benches}
    tot = {b.p.key: 0.0 for b in benches}
    rngs = {b.p.key: random.Random(8) for b in benches}
    done = 0
    while done < batch:
        n = min(BATCH_CHUNK, batch - done)
        for b in benches:
            ms, q = b.batch_once(rngs[b.p.key], n)
            samples[b.p.key].append(ms)
            nq[b.p.key].append(q)
            tot[b.p.key] += ms * n / 1000
        done += n
        log(
            f"    batch {done}/{batch}: "
            + ", ".join(f"{k} {v[-1]:.2f} ms/ticket" for k, v in samples.items())
        )
    nq = {k: round(statistics.median(v), 1) for k, v in nq.items()}
    row["ops"]["batch"], row["queries"]["batch"] = samples, nq
    row["batch_total_s"] = tot
    log(
        "  batch: "
        + ", ".join(
            f"{k} {statistics.median(v):.2f} ms/ticket, {tot[k]:.0f} s total "
            f"({nq[k]} q/ticket)"
            for k, v in samples.items()
        )
    )


def run_mail(args, benches, row):
    samples = {b.p.key: [] for b in benches}
    kinds = {b.p.key: [] for b in benches}
    nq = {b.p.key: [] for b in benches}
    states = {b.p.key: {} for b in benches}
    for i in range(args.mails):
        for b in benches:
            ms, kind, q = b.mail_once(i, states[b.p.key])
            samples[b.p.key].append(ms)
            kinds[b.p.key].append(kind)
            nq[b.p.key].append(q)
    split = {
        k: {
            kind: statistics.median(
                [x for x, kd in zip(v, kinds[k], strict=True) if kd == kind]
            )
            for kind in ("new", "reply")
        }
        for k, v in samples.items()
    }
    nq = {k: statistics.median(v) for k, v in nq.items()}
    row["ops"]["mail"], row["queries"]["mail"] = samples, nq
    row["mail_split"] = split
    log(
        "  mail: "
        + ", ".join(
            f"{k} median {statistics.median(v):.1f} p95 {pct(v, 0.95):.1f} ms "
            f"(new {split[k]['new']:.1f}, reply {split[k]['reply']:.1f}; {nq[k]} q)"
            for k, v in samples.items()
        )
    )


def run_floor(args, benches, row):
    """Odoo's own cost of a chatter record and of a gateway mail, measured on
    our database between the other measures (reference rows, not targets)."""
    b = benches[0]
    floor = {}
    counter = itertools.count()
    for name, fn in (
        ("create", b.floor_create_once),
        ("mail", lambda: b.floor_mail_once(next(counter))),
    ):
        samples, nq = [], []
        for i in range(args.repeat + 3):
            ms, q = fn()
            if i >= 3:
                samples.append(ms)
                nq.append(q)
        floor[name] = (
            statistics.median(samples),
            pct(samples, 0.95),
            statistics.median(nq),
        )
    row["floor"] = floor
    log(
        "  floor: "
        + ", ".join(
            f"{k} median {m:.1f} p95 {p:.1f} ms ({q} q)"
            for k, (m, p, q) in floor.items()
        )
    )


def run_size(args, benches, size, results, batch):
    log(f"==== {size} tickets ====")
    fill_s = {}
    for b in benches:
        fill_s[b.p.key] = b.fill(size)
        b.configure_team()
    row = results.setdefault(size, {"fill_s": fill_s, "ops": {}, "queries": {}})
    ops = args.ops.split(",")
    run_reads(args, benches, row, ops)
    # Writes: alternate products too (one ticket, one chunk, one mail at a time).
    for b in benches:
        b.max_id_before_writes = b.max_id()
    if "create1" in ops:
        run_create1(args, benches, row)
    if "batch" in ops and batch:
        run_batch(args, benches, row, batch)
    if "mail" in ops and args.mails:
        run_mail(args, benches, row)
    if "floor" in ops:
        run_floor(args, benches, row)
    for b in benches:
        b.close_written(b.max_id_before_writes)
    print_table(size, row, [b.p.key for b in benches])


def print_table(size, row, keys):
    oca = "oca" in keys
    print(
        f"\n### {size:,} tickets in the database"
        + (
            " (fill: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in row["fill_s"].items() if v)
            + ")"
            if any(row["fill_s"].values())
            else ""
        )
    )
    head = "| operation | ours median | ours p95 | ours queries |"
    sep = "|---|---:|---:|---:|"
    if oca:
        head += " OCA median | OCA p95 | OCA queries | ratio OCA/ours |"
        sep += "---:|---:|---:|---:|"
    head += " target |"
    sep += "---|"
    print(
        "machine load average (1/5/15 min) at the end: "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print(head)
    print(sep)
    order = ["create1", "batch", "mail"] + [op for op, __ in READ_OPS]
    for op in order:
        if op not in row["ops"]:
            continue
        s = row["ops"][op]
        q = row["queries"].get(op, {})
        fmt = "{:.2f}" if op == "batch" else "{:.1f}"

        def cell(key, fn, s=s, fmt=fmt):
            return fmt.format(fn(s[key])) if key in s else "-"

        line = (
            f"| {LABELS[op]} | {cell('ours', statistics.median)} | "
            f"{cell('ours', lambda v: pct(v, 0.95))} | {q.get('ours', '-')} |"
        )
        if oca:
            ratio = statistics.median(s["oca"]) / statistics.median(s["ours"])
            line += (
                f" {cell('oca', statistics.median)} | "
                f"{cell('oca', lambda v: pct(v, 0.95))}"
                f" | {q.get('oca', '-')} | {ratio:.2f}× |"
            )
        line += f" {TARGETS[op]} |"
        print(line)
    if "mail_split" in row:
        print(
            "mail medians by kind (ms): "
            + "; ".join(
                f"{k}: new {v['new']:.1f}, reply {v['reply']:.1f}"
                for k, v in row["mail_split"].items()
            )
        )
    if "batch_total_s" in row:
        print(
            "batch wall time (s): "
            + "; ".join(f"{k}: {v:.0f}" for k, v in row["batch_total_s"].items())
        )
    if "floor" in row:
        labels = {
            "create": "bare mail.thread record (mail.blacklist) create+commit",
            "mail": "gateway mail creating a contact (alias on res.partner)",
        }
        for key, (med, p95, nq) in row["floor"].items():
            print(
                f"Odoo's floor, {labels[key]}: median {med:.1f} ms, p95 {p95:.1f} ms, "
                f"{nq} queries"
            )
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--tickets",
        default="100000",
        help="comma-separated database sizes, filled in turn (e.g. 10000,100000)",
    )
    ap.add_argument(
        "--init",
        action="store_true",
        help="drop and (re)create the databases with the module(s) installed",
    )
    ap.add_argument(
        "--update",
        action="store_true",
        help="upgrade customer_care (-u) in the existing database first, e.g. "
        "after --snapshot of a newer revision",
    )
    ap.add_argument(
        "--compare-oca",
        action="store_true",
        help="also measure OCA helpdesk_mgmt in --db-oca",
    )
    ap.add_argument("--db", default="cc_bench")
    ap.add_argument("--db-oca", default="cc_bench_oca")
    ap.add_argument(
        "--oca-addons",
        default="/tmp/oca_addons_pkg/odoo/addons",
        help="folder holding helpdesk_mgmt (pip install --target ...)",
    )
    ap.add_argument("--odoo-src", default="/opt/odoo19")
    ap.add_argument(
        "--cc-addons",
        default="/tmp/ccaddons",
        help="folder holding customer_care (a link to this repository)",
    )
    ap.add_argument(
        "--snapshot",
        default="",
        help="benchmark a frozen copy of the module instead of the live "
        "repository (other people edit it meanwhile): 'worktree' copies the "
        "working tree, anything else is a git revision exported with git archive "
        "(e.g. HEAD); the copy goes to /tmp/cc_bench_snapshot/customer_care",
    )
    ap.add_argument("--db_host", default="127.0.0.1")
    ap.add_argument("--db_port", type=int, default=5432)
    ap.add_argument("--db_user", default="odoo")
    ap.add_argument("--db_password", default="odoo")
    ap.add_argument("--data-dir", default="/tmp/cc_bench_data")
    ap.add_argument("--http-port", type=int, default=8084)
    ap.add_argument("--log-level", default="warn")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument(
        "--batch",
        default="10000",
        help="tickets of the batch-create measure; comma-separated, one per "
        "--tickets size (the last one repeats)",
    )
    ap.add_argument("--mails", type=int, default=500)
    ap.add_argument(
        "--assign",
        default="balanced",
        help="assignment method of our agent's team: balanced, round_robin or manual",
    )
    ap.add_argument(
        "--agent-context",
        type=json.loads,
        default={},
        help="extra context of the agent, JSON (what-if runs, e.g. "
        "'{\"care_no_ack\": true}')",
    )
    ap.add_argument(
        "--ops",
        default="kanban,kanban_grouped,dashboard,report,create1,batch,mail,floor",
    )
    ap.add_argument(
        "--profile",
        default="",
        help="comma-separated ops: print the top queries of a read op, or the "
        "cProfile of one create1 / batch (200 tickets) / mail, or every query in "
        "order of one of them with sql:create1 (sql:mail ...), and exit",
    )
    ap.add_argument(
        "--profile-callees",
        default="",
        help="with --profile of a write op: also print what the functions "
        "matching this regular expression call (e.g. 'care_ticket_emotion')",
    )
    ap.add_argument("--json", default="", help="write raw samples to this file")
    args = ap.parse_args()

    if args.snapshot:
        args.cc_addons = make_snapshot(args.snapshot)
    paths = [f"{args.odoo_src}/odoo/addons", f"{args.odoo_src}/addons", args.cc_addons]
    if args.compare_oca:
        if not os.path.isdir(os.path.join(args.oca_addons, "helpdesk_mgmt")):
            sys.exit(
                f"helpdesk_mgmt not found in {args.oca_addons}: pip install --no-deps "
                "--target /tmp/oca_addons_pkg 'odoo-addon-helpdesk_mgmt>=19.0,<19.1'"
            )
        paths.append(args.oca_addons)
    args.addons_path = ",".join(paths)

    products = [Ours(args.db)] + ([Oca(args.db_oca)] if args.compare_oca else [])
    if args.init:
        for p in products:
            init_db(args, p)
    elif args.update:
        update_db(args, products[0])

    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args(args))
    patch_mail_sending()
    benches = [Bench(args, p) for p in products]
    for b in benches:
        b.setup()
    if args.profile:
        for op in args.profile.split(","):
            for b in benches:
                if op in ("create1", "batch", "mail"):
                    b.cprofile(op)
                elif op.startswith("sql:"):
                    b.cprofile(op[4:], sql=True)
                else:
                    b.profile(op)
        return
    results = {}
    sizes = [int(s) for s in args.tickets.split(",")]
    snap = ""
    if args.snapshot:
        with open("/tmp/cc_bench_snapshot/SNAPSHOT", encoding="utf-8") as fh:
            snap = " (snapshot: " + fh.read().strip() + ")"
    log(
        f"customer_care {git_rev()}{snap}; Odoo {odoo.release.version}; "
        f"{os.cpu_count()} CPUs"
    )
    batches = [int(s) for s in str(args.batch).split(",")]
    for i, size in enumerate(sizes):
        run_size(args, benches, size, results, batches[min(i, len(batches) - 1)])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({str(k): v for k, v in results.items()}, fh)


def make_snapshot(what):
    """Freeze the module in /tmp/cc_bench_snapshot/customer_care; return its parent."""
    import shutil

    parent = "/tmp/cc_bench_snapshot"
    dest = os.path.join(parent, "customer_care")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    if what == "worktree":
        ignore = shutil.ignore_patterns(
            ".git",
            ".run",
            ".venv*",
            "__pycache__",
            ".*cache",
            "emotion_training",
            "bench",
        )
        shutil.copytree(REPO, dest, ignore=ignore, dirs_exist_ok=True)
        label = f"working tree of {git_rev()} at {datetime.datetime.now():%H:%M}"
    else:
        # git archive only reads the repository.
        archive = subprocess.run(
            ["git", "-C", REPO, "archive", "--format=tar", what],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
        label = (
            f"git {what} = "
            + subprocess.run(
                ["git", "-C", REPO, "rev-parse", "--short", what],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    with open(os.path.join(parent, "SNAPSHOT"), "w", encoding="utf-8") as fh:
        fh.write(label + "\n")
    log(f"module snapshot: {label} -> {dest}")
    return parent


def git_rev():
    try:
        return subprocess.run(
            ["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
