# shellcheck shell=bash
# tools/_odoo.sh: sourced by tools/run.sh and tools/test.sh. Finds or fetches Odoo 19
# (tools/bootstrap.sh), links the module into .run/addons and writes Odoo config files.

CC_REPO="${CC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CC_MODULE="${CC_MODULE:-customer_care}"   # debugging aid: CC_MODULE=base tests the tooling
CC_RUN="$CC_REPO/.run"

_cc_say() { printf '[odoo] %s\n' "$*" >&2; }

# shellcheck source=tools/bootstrap.sh
. "$CC_REPO/tools/bootstrap.sh"

# cc_find_odoo serve|test: Odoo 19 and its environment (tools/bootstrap.sh); sets ODOO_CMD,
# ODOO_VERSION, ODOO_COMMUNITY_ADDONS. Returns 1 with a message naming the ways to give it.
cc_find_odoo() {
    cc_bootstrap "${1:-test}"
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
