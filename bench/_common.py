"""What the in-process benches share: their database options, opening the
Odoo registry on that database, an environment on a cursor, a percentile.

The benches run as scripts (``python3 bench/bench_kpi.py ...``): this folder
is on ``sys.path`` and they import ``_common`` directly."""

import argparse


def db_parser(description):
    """An argument parser with the options every bench takes to reach its
    database: ``-d``, ``--addons-path`` and the PostgreSQL connection."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db_host", default="127.0.0.1")
    parser.add_argument("--db_port", default="5432")
    parser.add_argument("--db_user", default="odoo")
    parser.add_argument("--db_password", default="odoo")
    return parser


def open_registry(args):
    """The registry of ``args.database``, Odoo configured from ``args``."""
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


def env_for(cr, uid=1, context=None):
    """An environment on ``cr``, as ``uid`` (the superuser by default)."""
    from odoo import api

    return api.Environment(cr, uid, context or {})


def percentile(values, pct):
    """The ``pct``-th percentile of ``values`` (nearest rank)."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]
