#!/usr/bin/env bash
# tools/i18n_export.sh: regenerate i18n/customer_care.pot from a fresh database and merge
# it into i18n/vi.po (new msgids come in untranslated; the count is printed at the end).
#
# The module is exported from a clean copy of the tracked files in a temporary addons
# folder: Odoo's exporter walks every file below the module following links, and the
# working tree holds .run/addons/customer_care -> the repository itself (a loop) and
# virtualenvs. Uses tools/bootstrap.sh and the project-local PostgreSQL like the other
# tools; needs gettext (msgmerge).
set -euo pipefail
cd "$(dirname "$0")/.."
CC_REPO="$(pwd)"
# shellcheck source=tools/pg.sh
. tools/pg.sh
# shellcheck source=tools/_odoo.sh
. tools/_odoo.sh

cc_find_odoo test
cc_pg_start
tmp="$(mktemp -d)"
db="cc_i18n_$$"
cleanup() {
    cc_pg_dropdb "$db" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/addons/$CC_MODULE"
git ls-files -z --cached --others --exclude-standard -- . ':!emotion_training' \
    | xargs -0 cp --parents -t "$tmp/addons/$CC_MODULE"
{
    echo "[options]"
    echo "db_host = 127.0.0.1"
    echo "db_port = $CC_PG_PORT"
    echo "db_user = odoo"
    echo "db_password = odoo"
    echo "addons_path = ${ODOO_COMMUNITY_ADDONS:+$ODOO_COMMUNITY_ADDONS,}$tmp/addons"
    echo "data_dir = $tmp/data"
} >"$tmp/odoo.conf"

_cc_say "installing $CC_MODULE into $db (no demo data)"
(cd "$tmp" && "${ODOO_CMD[@]}" server -c "$tmp/odoo.conf" -d "$db" -i "$CC_MODULE" \
    --stop-after-init --no-http --log-level=warn </dev/null)
_cc_say "exporting the template"
(cd "$tmp" && "${ODOO_CMD[@]}" i18n export -c "$tmp/odoo.conf" -d "$db" "$CC_MODULE" \
    -l pot </dev/null)
cp "$tmp/addons/$CC_MODULE/i18n/$CC_MODULE.pot" "i18n/$CC_MODULE.pot"
# Demo records are not in the template (no demo data): keep their translations.
python3 tools/i18n_keep_demo.py save i18n/vi.po "$tmp/demo_vi.po"
msgmerge --quiet --update --no-wrap --no-fuzzy-matching --backup=none i18n/vi.po "i18n/$CC_MODULE.pot"
python3 tools/i18n_keep_demo.py restore i18n/vi.po "$tmp/demo_vi.po"
untranslated="$(msgattrib --untranslated --no-obsolete i18n/vi.po | grep -c '^msgid ' || true)"
obsolete="$(grep -c '^#~ msgid ' i18n/vi.po || true)"
# msgattrib counts the header's empty msgid as untranslated.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
_cc_say "i18n/$CC_MODULE.pot written; i18n/vi.po merged: $untranslated untranslated," \
    "$obsolete obsolete (#~) entries"
