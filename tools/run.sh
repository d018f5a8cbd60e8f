#!/usr/bin/env bash
# tools/run.sh [extra odoo server options]: serve customer_care with demo data on
# http://127.0.0.1:8069.
#
# Sets everything up first (tools/bootstrap.sh: Debian packages, Odoo 19 from ODOO_SRC,
# ODOO_ARCHIVE, an importable odoo, the cache or a download, and its virtualenv). It starts
# the project-local cluster (tools/pg.sh, .run/pg), creates the database with the module and
# its Vietnamese demo data on the first run only, writes .run/odoo.conf, prints the demo
# logins and serves in the foreground (Ctrl-C stops Odoo; `tools/pg.sh stop` stops
# PostgreSQL).
#
# Environment: CC_DB (default customer_care_demo), CC_HTTP_PORT (8069), CC_PG_PORT (55432),
# ODOO_SRC, ODOO_ARCHIVE, CC_PYTHON, CC_CACHE (where Odoo comes from: tools/bootstrap.sh),
# CC_RESET=1 (drop the database first, to reload fresh demo data), CC_MODULE (module to
# install, default customer_care; for debugging the tooling).
# Extra arguments go to Odoo, e.g. `tools/run.sh -u customer_care --dev=xml`.
set -euo pipefail
cd "$(dirname "$0")/.."
CC_REPO="$(pwd)"
# shellcheck source=tools/pg.sh
. tools/pg.sh
# shellcheck source=tools/_odoo.sh
. tools/_odoo.sh

CC_DB="${CC_DB:-customer_care_demo}"
CC_HTTP_PORT="${CC_HTTP_PORT:-8069}"

cc_find_odoo serve || exit 1
cc_pg_start
conf="$CC_RUN/odoo.conf"
cc_write_conf "$conf" "http_port=$CC_HTTP_PORT" "db_name=$CC_DB" "dbfilter=^$CC_DB\$" \
    "list_db=False"

if [ "${CC_RESET:-0}" = 1 ]; then
    _cc_say "CC_RESET=1: dropping database $CC_DB"
    cc_pg_dropdb "$CC_DB"
    rm -rf "$CC_RUN/data/filestore/$CC_DB"
fi
installed=""
if cc_pg_db_exists "$CC_DB"; then
    installed="$(cc_pg_psql -d "$CC_DB" -tA -c \
        "SELECT state FROM ir_module_module WHERE name = '$CC_MODULE'" 2>/dev/null || true)"
fi
if [ "$installed" != installed ]; then
    if cc_pg_db_exists "$CC_DB" && [ -z "$installed" ]; then
        # A database left half-made by an interrupted first run: start again.
        _cc_say "database $CC_DB exists without $CC_MODULE: recreating it"
        cc_pg_dropdb "$CC_DB"
    fi
    _cc_say "first run: installing $CC_MODULE with demo data into $CC_DB (takes a few minutes)"
    if ! cc_odoo server -c "$conf" -d "$CC_DB" -i "$CC_MODULE" --with-demo --stop-after-init \
        --no-http </dev/null; then
        _cc_say "installing $CC_MODULE failed (see the log above)"
        exit 1
    fi
    installed="$(cc_pg_psql -d "$CC_DB" -tA -c \
        "SELECT state FROM ir_module_module WHERE name = '$CC_MODULE'" 2>/dev/null || true)"
    if [ "$installed" != installed ]; then
        _cc_say "$CC_MODULE is not installed in $CC_DB after the install run (state: ${installed:-none})"
        exit 1
    fi
fi

cat <<EOF

============================================================================
 Customer Care demo: http://127.0.0.1:$CC_HTTP_PORT/odoo   (database $CC_DB)
   administrator      login admin            password admin
   care agent         login agent.hanoi      password agent.hanoi
   portal customer    login customer.portal  password customer.portal
 Config: $conf   Stop: Ctrl-C, then tools/pg.sh stop
============================================================================

EOF
cd "$CC_RUN"
exec "${ODOO_CMD[@]}" server -c "$conf" -d "$CC_DB" "$@"
