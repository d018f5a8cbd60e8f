# shellcheck shell=bash
# tools/_odoo.sh: sourced by tools/run.sh and tools/test.sh. Finds Odoo 19, links the
# module into .run/addons and writes Odoo config files. Nothing here installs Odoo.

CC_REPO="${CC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CC_MODULE="${CC_MODULE:-customer_care}"   # debugging aid: CC_MODULE=base tests the tooling
CC_RUN="$CC_REPO/.run"

_cc_say() { printf '[odoo] %s\n' "$*" >&2; }

# Sets ODOO_CMD (array), ODOO_VERSION, ODOO_COMMUNITY_ADDONS. Returns 1 with a message if
# no Odoo 19 is found: ODOO_SRC=<source tree> (its odoo-bin) wins over an importable odoo.
cc_find_odoo() {
    local py="${CC_PYTHON:-python3}"
    ODOO_CMD=()
    ODOO_COMMUNITY_ADDONS=""
    if [ -n "${ODOO_SRC:-}" ]; then
        if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo" ]; then
            _cc_say "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin / odoo/ in it)"
            return 1
        fi
        ODOO_CMD=("$py" "$ODOO_SRC/odoo-bin")
        ODOO_COMMUNITY_ADDONS="$ODOO_SRC/addons"
    elif (cd / && "$py" -c 'import odoo.release') >/dev/null 2>&1; then
        ODOO_CMD=("$py" -m odoo)
        ODOO_COMMUNITY_ADDONS="$(cd / && "$py" -c 'from odoo.tools import config; print(config.addons_community_dir)' 2>/dev/null || true)"
    else
        _cc_say "Odoo 19 not found: set ODOO_SRC=/path/to/odoo-19-source or install Odoo 19 so"
        _cc_say "that \`python3 -c 'import odoo'\` works (pip install -r requirements.txt and"
        _cc_say "pip install -e <source> --no-deps, from an Odoo 19.0 source tree)."
        return 1
    fi
    ODOO_VERSION="$(cd / && "${ODOO_CMD[@]}" --version 2>/dev/null | sed -n 's/^Odoo Server //p' | head -n 1)"
    if [ -z "$ODOO_VERSION" ]; then
        _cc_say "'${ODOO_CMD[*]} --version' failed: are Odoo's Python requirements installed?"
        _cc_say "(pip install -r <odoo source>/requirements.txt)"
        return 1
    fi
    case "$ODOO_VERSION" in
        19.*|saas~19.*) ;;
        *) _cc_say "found Odoo $ODOO_VERSION (${ODOO_CMD[*]}), but this module needs Odoo 19"
           return 1 ;;
    esac
    [ -d "$ODOO_COMMUNITY_ADDONS" ] || ODOO_COMMUNITY_ADDONS=""
    _cc_say "Odoo $ODOO_VERSION: ${ODOO_CMD[*]}"
}

# Link the repository as .run/addons/customer_care (CI clones into any folder name) and
# print the addons path.
cc_addons_path() {
    mkdir -p "$CC_RUN/addons"
    local link="$CC_RUN/addons/customer_care"
    if [ "$(readlink "$link" 2>/dev/null)" != "$CC_REPO" ]; then
        rm -f "$link"
        ln -s "$CC_REPO" "$link"
    fi
    local path="$ODOO_COMMUNITY_ADDONS"
    if [ -f "$CC_REPO/__manifest__.py" ]; then
        path="${path:+$path,}$CC_RUN/addons"
    else
        _cc_say "WARNING: $CC_REPO/__manifest__.py is missing: customer_care is not on the addons path"
    fi
    printf '%s\n' "$path"
}

# cc_write_conf FILE [key=value...]: an Odoo config for the project-local cluster.
cc_write_conf() {
    local file="$1"; shift
    mkdir -p "$CC_RUN/data" "$(dirname "$file")"
    {
        echo "; written by tools/$(basename "$0"); edits are overwritten"
        echo "[options]"
        echo "db_host = 127.0.0.1"
        echo "db_port = $CC_PG_PORT"
        echo "db_user = odoo"
        echo "db_password = odoo"
        echo "addons_path = $(cc_addons_path)"
        echo "data_dir = $CC_RUN/data"
        echo "http_interface = 127.0.0.1"
        local kv
        for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
    } >"$file"
}

# A free TCP port on 127.0.0.1 (for test servers).
cc_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Odoo as a command in a neutral folder (python -m puts the cwd on sys.path; the
# repository root holds folders such as tools/ and lib/ that must not shadow anything).
cc_odoo() {
    (cd "$CC_RUN" && "${ODOO_CMD[@]}" "$@")
}
