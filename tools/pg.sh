#!/usr/bin/env bash
# tools/pg.sh: a project-local PostgreSQL cluster in <repo>/.run/pg for the run and test commands.
#
#   tools/pg.sh start     create the cluster once, start it (or reuse a running one), create role odoo
#   tools/pg.sh stop      stop it
#   tools/pg.sh status    say whether it runs, and where
#   tools/pg.sh psql ...  psql as the superuser on the cluster's socket
#
# It can also be sourced: `source tools/pg.sh` defines cc_pg_start, cc_pg_stop, cc_pg_psql and
# cc_pg_dropdb, and after cc_pg_start the variables CC_PG_HOST and CC_PG_PORT (and
# CC_PG_STARTED_HERE=1 when this call started the server).
#
# Environment: CC_PG_PORT (default 55432; unset, the next free port is taken when 55432
# is busy, e.g. by another checkout's cluster), CC_PG_BIN (folder with initdb/pg_ctl; default: the
# newest /usr/lib/postgresql/*/bin, else PATH). It listens on 127.0.0.1 only; its socket is in
# .run/pg/sock. Odoo logs in over TCP as role `odoo`, password `odoo` (Odoo refuses `postgres`).
# PostgreSQL refuses to run as root: as root, the server runs as the OS user `postgres`.

CC_REPO="${CC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CC_PG_PORT_SET="${CC_PG_PORT:+1}"   # an explicit port is never changed
CC_PG_PORT="${CC_PG_PORT:-55432}"
CC_PG_HOST=127.0.0.1
CC_PG_DIR="${CC_PG_DIR:-$CC_REPO/.run/pg}"

_pg_say() { printf '[pg] %s\n' "$*" >&2; }

_pg_find_bin() {
    if [ -n "${CC_PG_BIN:-}" ]; then return 0; fi
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then
        CC_PG_BIN="$d"
    elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        CC_PG_BIN="$(pg_config --bindir)"
    elif command -v initdb >/dev/null 2>&1; then
        CC_PG_BIN="$(dirname "$(command -v initdb)")"
    else
        _pg_say "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package"
        _pg_say "'postgresql' (apt-get install postgresql) or set CC_PG_BIN=/path/to/postgresql/bin"
        return 1
    fi
}

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

_pg_prepare_dir() {
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            _pg_say "creating the OS user postgres (PostgreSQL refuses to run as root)"
            useradd --system --no-create-home --shell /usr/sbin/nologin postgres || return 1
        fi
    fi
    mkdir -p "$CC_PG_DIR" || return 1
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$CC_PG_DIR" || return 1
        # Every folder above the data dir must be traversable by `postgres`.
        if ! _pg_as_owner test -w "$CC_PG_DIR"; then
            local alt
            alt="${TMPDIR:-/tmp}/cc-pg-$(printf '%s' "$CC_REPO" | cksum | cut -d' ' -f1)"
            _pg_say "WARNING: the OS user postgres cannot reach $CC_PG_DIR (a parent folder is"
            _pg_say "not traversable); using $alt instead"
            CC_PG_DIR="$alt"
            mkdir -p "$CC_PG_DIR" && chown postgres: "$CC_PG_DIR" && chmod 700 "$CC_PG_DIR" || return 1
        fi
    fi
    _pg_as_owner mkdir -p "$CC_PG_DIR/sock" || return 1
}

_pg_running_port() {
    # Port of a running cluster (line 4 of postmaster.pid), empty if it is not running.
    if _pg_as_owner "$CC_PG_BIN/pg_ctl" -D "$CC_PG_DIR/data" status >/dev/null 2>&1; then
        sed -n 4p "$CC_PG_DIR/data/postmaster.pid" 2>/dev/null
    fi
}

_pg_port_busy() {
    # True when something listens on 127.0.0.1:$1.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cc_pg_psql() {
    # psql as the superuser over the unix socket (trust); extra arguments go to psql.
    _pg_as_owner "$CC_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$CC_PG_DIR/sock" -p "$CC_PG_PORT" \
        -U postgres -d postgres "$@"
}

cc_pg_start() {
    _pg_find_bin || return 1
    _pg_prepare_dir || return 1
    local data="$CC_PG_DIR/data"
    if [ ! -f "$data/PG_VERSION" ]; then
        _pg_say "initdb $data"
        local locale=C.UTF-8
        if ! locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then locale=C; fi
        _pg_as_owner "$CC_PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale="$locale" \
            --auth-local=trust --auth-host=scram-sha-256 >"$CC_PG_DIR/initdb.log" 2>&1 || {
            cat "$CC_PG_DIR/initdb.log" >&2; _pg_say "initdb failed"; return 1; }
        # A throw-away development cluster: favour speed over durability.
        _pg_as_owner sh -c "cat >> '$data/postgresql.conf'" <<'EOF'

# tools/pg.sh: local development/test cluster
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    fi
    local running
    running="$(_pg_running_port)"
    if [ -n "$running" ]; then
        if [ "$running" != "$CC_PG_PORT" ]; then
            _pg_say "cluster already running on port $running (not $CC_PG_PORT): reusing port $running"
            CC_PG_PORT="$running"
        else
            _pg_say "cluster already running on 127.0.0.1:$CC_PG_PORT: reusing it"
        fi
    else
        if _pg_port_busy "$CC_PG_PORT"; then
            if [ -n "$CC_PG_PORT_SET" ]; then
                _pg_say "port $CC_PG_PORT (CC_PG_PORT) is taken by another program"; return 1
            fi
            local p
            for p in $(seq $((CC_PG_PORT + 1)) $((CC_PG_PORT + 100))); do
                _pg_port_busy "$p" || break
            done
            _pg_say "port $CC_PG_PORT is taken (another checkout's cluster?): using $p"
            CC_PG_PORT="$p"
        fi
        _pg_say "starting PostgreSQL on 127.0.0.1:$CC_PG_PORT (log: $CC_PG_DIR/postgresql.log)"
        # Quote the whole -o string for the child shell; paths may contain spaces.
        _pg_as_owner "$CC_PG_BIN/pg_ctl" -D "$data" -l "$CC_PG_DIR/postgresql.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $CC_PG_PORT -k '$CC_PG_DIR/sock'" start >/dev/null || {
            tail -n 20 "$CC_PG_DIR/postgresql.log" >&2
            _pg_say "PostgreSQL did not start (is port $CC_PG_PORT taken? set CC_PG_PORT)"
            return 1
        }
        # shellcheck disable=SC2034  # read by tools/test.sh
        CC_PG_STARTED_HERE=1
    fi
    local i
    for i in $(seq 1 60); do
        if "$CC_PG_BIN/pg_isready" -q -h "$CC_PG_DIR/sock" -p "$CC_PG_PORT" 2>/dev/null \
            || _pg_as_owner "$CC_PG_BIN/psql" -X -h "$CC_PG_DIR/sock" -p "$CC_PG_PORT" -U postgres \
                -d postgres -c 'select 1' >/dev/null 2>&1; then
            break
        fi
        [ "$i" -eq 60 ] && { _pg_say "PostgreSQL is not ready after 60 s"; return 1; }
        sleep 1
    done
    cc_pg_psql <<'EOF' || { _pg_say "could not create role odoo"; return 1; }
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odoo') THEN
        CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo';
    ELSE
        ALTER ROLE odoo LOGIN CREATEDB PASSWORD 'odoo';
    END IF;
END
$$;
EOF
    export CC_PG_HOST CC_PG_PORT CC_PG_DIR
}

cc_pg_stop() {
    _pg_find_bin || return 1
    if [ -n "$(_pg_running_port)" ]; then
        _pg_say "stopping PostgreSQL ($CC_PG_DIR/data)"
        _pg_as_owner "$CC_PG_BIN/pg_ctl" -D "$CC_PG_DIR/data" -m fast -w stop >/dev/null
    else
        _pg_say "not running"
    fi
}

cc_pg_dropdb() {
    # Drop a database even if a connection lingers (PostgreSQL >= 13).
    local db="$1"
    PGOPTIONS="-c client_min_messages=warning" \
        cc_pg_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
}

cc_pg_db_exists() {
    [ "$(cc_pg_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-start}" in
        start) cc_pg_start; _pg_say "ready: host=127.0.0.1 port=$CC_PG_PORT user=odoo password=odoo" ;;
        stop) cc_pg_stop ;;
        status)
            _pg_find_bin
            p="$(_pg_running_port)"
            if [ -n "$p" ]; then echo "running on 127.0.0.1:$p ($CC_PG_DIR/data)"; else echo "not running"; exit 3; fi ;;
        psql) shift; _pg_find_bin; p="$(_pg_running_port)"; CC_PG_PORT="${p:-$CC_PG_PORT}"; cc_pg_psql "$@" ;;
        *) echo "usage: $0 start|stop|status|psql [args]" >&2; exit 2 ;;
    esac
fi
