#!/usr/bin/env python3
"""Assignment that knows people (issue 14, scope 7): batch creation with and
without the checks.

Opens the Odoo registry in-process on a database where ``customer_care`` is
installed, makes a balanced team of ``--agents`` agents holding
``--open`` open tickets between them, and times ``create()`` of ``--batch``
tickets (flushed, as an agent, in a fresh environment), ``--rounds`` times
in each mode, alternating the modes so that machine noise hits both alike:

- ``plain``: no capacity, no angry routing, nobody away (what a team set up
  before issue 14 does: one grouped count of the load per batch, plus the
  two queries that find nobody away);
- ``checks``: a capacity the agents stay under, angry routing on (the
  detector reads every opening message), two agents on leave, one
  unavailable.

Everything is rolled back. The target: ``checks`` within 10 % of ``plain``.
To compare with the code before issue 14, run the ``plain`` mode on a
database of that revision (``--only plain``) and on this one.

Usage::

    python3 bench/bench_assignment.py -d cc_bench \\
        --addons-path=/opt/odoo19/addons,/tmp/ccaddons \\
        [--db_host 127.0.0.1 --db_port 5432 --db_user odoo --db_password odoo] \\
        [--agents 20] [--open 2000] [--batch 200] [--rounds 7] [--only plain|checks]

Timings are printed; no test depends on them.
"""

import statistics
import time
from datetime import timedelta

from _common import db_parser, open_registry

MARK = "ASSIGN-BENCH"


def parse_args():
    parser = db_parser(__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--open", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--only", choices=["plain", "checks"])
    return parser.parse_args()


def setup(env, args):
    """A team, its agents and their open tickets (in the bench's transaction)."""
    group = env.ref("customer_care.customer_care_group_user")
    agents = env["res.users"].create(
        [
            {
                "name": f"{MARK} agent {i}",
                "login": f"{MARK.lower()}.{i}",
                "group_ids": [(6, 0, group.ids)],
            }
            for i in range(args.agents)
        ]
    )
    team = env["care.team"].create(
        {
            "name": f"{MARK} team",
            "member_ids": [(6, 0, agents.ids)],
            "leader_id": agents[0].id,
            "assign_method": "balanced",
            "resource_calendar_id": env.ref("customer_care.resource_calendar_vn").id,
        }
    )
    partner = env["res.partner"].create({"name": f"{MARK} customer"})
    env["care.ticket"].with_context(tracking_disable=True, care_no_ack=True).create(
        [
            {
                "name": f"{MARK} open {i}",
                "team_id": team.id,
                "partner_id": partner.id,
                "user_id": agents[i % len(agents)].id,
            }
            for i in range(args.open)
        ]
    )
    resources = env["resource.resource"].create(
        [
            {
                "name": agent.name,
                "user_id": agent.id,
                "calendar_id": team.resource_calendar_id.id,
            }
            for agent in agents[1:3]
        ]
    )
    env.flush_all()
    return team, agents, partner, resources


def set_mode(env, team, agents, resources, mode, args):
    from odoo import fields

    checks = mode == "checks"
    if "agent_capacity" not in team._fields:
        # The code before issue 14 (``--only plain``) has none of the checks.
        assert not checks, "--only plain on a revision before issue 14"
    else:
        team.write(
            {
                "agent_capacity": (args.open // args.agents + args.batch * args.rounds)
                if checks
                else 0,
                "angry_routing": checks,
            }
        )
        agents[3].care_unavailable = checks
    now = fields.Datetime.now()
    Leave = env["resource.calendar.leaves"]
    Leave.search([("name", "=", f"{MARK} leave")]).unlink()
    if checks:
        Leave.create(
            [
                {
                    "name": f"{MARK} leave",
                    "resource_id": resource.id,
                    "calendar_id": resource.calendar_id.id,
                    "date_from": now - timedelta(days=1),
                    "date_to": now + timedelta(days=1),
                }
                for resource in resources
            ]
        )
    env.flush_all()


def main():
    args = parse_args()
    registry = open_registry(args)
    from odoo import SUPERUSER_ID, api

    samples = {"plain": [], "checks": []}
    modes = [args.only] if args.only else ["plain", "checks"]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team, agents, partner, resources = setup(env, args)
        creator = agents[0]
        for round_ in range(args.rounds + 1):  # the first round warms up
            for mode in modes if round_ % 2 else reversed(modes):
                set_mode(env, team, agents, resources, mode, args)
                cr.execute("SAVEPOINT bench")
                user_env = api.Environment(cr, creator.id, {})
                user_env.invalidate_all()
                vals = [
                    {
                        "name": f"{MARK} {mode} {i}",
                        "description": "<p>Máy giặt không vắt được, giúp tôi với</p>",
                        "team_id": team.id,
                        "partner_id": partner.id,
                    }
                    for i in range(args.batch)
                ]
                start = time.perf_counter()
                user_env["care.ticket"].create(vals)
                user_env.flush_all()
                elapsed = time.perf_counter() - start
                cr.execute("ROLLBACK TO SAVEPOINT bench")
                env.invalidate_all()
                if round_:
                    samples[mode].append(elapsed * 1000 / args.batch)
        cr.rollback()
    for mode in modes:
        values = samples[mode]
        print(
            f"{mode:7s} ms/ticket median {statistics.median(values):.2f} "
            f"min {min(values):.2f} max {max(values):.2f} ({len(values)} batches "
            f"of {args.batch})"
        )
    if len(modes) == 2:
        ratio = statistics.median(samples["checks"]) / statistics.median(
            samples["plain"]
        )
        print(f"checks / plain: {ratio:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
