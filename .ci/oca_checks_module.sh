#!/usr/bin/env bash
# .ci/oca_checks_module.sh <module> [args]: oca-checks-odoo-module skips a manifest at the git
# root (it silently passes), so lint a copy of the repository's files in <tmp>/<module>.
# The files are those git knows or would add (tracked + untracked, minus .gitignore'd ones).
set -euo pipefail
module="$1"; shift
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT; mkdir "$tmp/$module"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 -r cp --parents -t "$tmp/$module"
cd "$tmp" && oca-checks-odoo-module "$@" "$module"
