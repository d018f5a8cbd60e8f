#!/usr/bin/env bash
# tools/test.sh: every check of customer_care; the last line is `N passed, N failed`.
#
#  0. set-up: tools/bootstrap.sh (Debian packages, Odoo 19 and its virtualenv). With no
#     Odoo 19 to be had, steps 3-4 count as failed (CC_SKIP_ODOO=1 is the explicit opt-out).
#  1. lint: ruff check, ruff format --check, pylint-odoo, oca-checks-odoo-module, oca-checks-po,
#     check_po_placeholders, msgfmt --check, check_asserts (one check each; a missing tool is
#     skipped LOUDLY; .ci/run installs them into .venv-lint from requirements-lint.txt)
#  2. offline tests: python3 -m pytest tests_offline (one count per test)
#  3. Odoo tests: fresh database, -i customer_care --test-tags /customer_care (one count per
#     test, plus one "clean log" check: no ERROR line, no WARNING from our module, exit 0)
#  4. demo install: fresh database, -i customer_care --with-demo (one "clean log" check),
#     then the demo's figures (demo/check_demo_history.py, one check per figure)
# Under CI=true a check that cannot run (no lint tool, no Chromium, a test Odoo skipped) is a
# failure; outside CI it is reported LOUDLY as skipped. Logs: .run/test-odoo.log,
# .run/test-demo-install.log.
#
# Environment: CC_SKIP_ODOO=1 (skip 3-4), CC_SKIP_DEMO=1 (skip 4), CC_SKIP_LINT=1 (skip 1),
# CC_TEST_TAGS (default /customer_care), CC_MODULE (default customer_care), CC_ODOO_TIMEOUT (seconds for the Odoo
# test run, default 2700; the demo install gets at most 1200), CC_PG_PORT, and where Odoo
# comes from: ODOO_SRC, ODOO_ARCHIVE, CC_PYTHON, CC_CACHE (tools/bootstrap.sh).
# Exit status: 0 when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
CC_REPO="$(pwd)"
# shellcheck source=tools/pg.sh
. tools/pg.sh
# shellcheck source=tools/_odoo.sh
. tools/_odoo.sh

VENV_BIN="$CC_REPO/.venv-lint/bin"
PASSED=0
FAILED=0
FAILURES=()
SKIPS=()

banner() { printf '\n===== %s =====\n' "$*"; }
loud() { printf '\n!!! %s !!!\n\n' "$*"; }
pass() { PASSED=$((PASSED + ${2:-1})); }
fail() { FAILED=$((FAILED + ${2:-1})); FAILURES+=("$1"); }
# Under CI=true nothing may be skipped: a check that cannot run is a failure.
skip() {
    if [ "${CI:-}" = true ]; then
        loud "CANNOT RUN (a failure under CI=true): $*"; fail "could not run: $*"
    else
        loud "SKIPPED: $*"; SKIPS+=("$*")
    fi
}

# Seconds spent in each step, printed in the summary.
TIMINGS=()
timed() {
    local name="$1" start=$SECONDS; shift
    "$@"
    TIMINGS+=("$name $((SECONDS - start)) s")
}

# tool NAME: path of a lint tool, from .venv-lint first, then PATH.
tool() {
    if [ -x "$VENV_BIN/$1" ]; then echo "$VENV_BIN/$1"
    elif command -v "$1" >/dev/null 2>&1; then command -v "$1"
    else return 1
    fi
}

# with_venv_path CMD...: run CMD with .venv-lint/bin first on PATH (scripts that call tools).
with_venv_path() { PATH="$VENV_BIN:$PATH" "$@"; }

# check NAME CMD...: run one lint command, count it as one passed or failed check.
check() {
    local name="$1"; shift
    banner "$name"
    echo "+ $*"
    if "$@" </dev/null; then
        echo "--> $name: ok"; pass "$name"
    else
        echo "--> $name: FAILED"; fail "$name"
    fi
}

# Python files of the module (folders that do not exist yet are left out).
module_python_files() {
    local d
    for d in __init__.py __manifest__.py models controllers wizard report tests lib; do
        [ -e "$d" ] || continue
        if [ -d "$d" ]; then find "$d" -name '*.py' -not -path '*/__pycache__/*'; else echo "$d"; fi
    done | sort
}

# ---------------------------------------------------------------- 1. lint
lint() {
    local ruff pylint poc msgfmt py
    if ruff="$(tool ruff)"; then
        check "ruff check" "$ruff" check --no-fix .
        check "ruff format" "$ruff" format --check .
    else
        skip "ruff not installed (run .ci/run, or pip install -r requirements-lint.txt)"
    fi

    if pylint="$(tool pylint)" \
        && { [ -x "$VENV_BIN/pylint" ] || python3 -c 'import pylint_odoo' 2>/dev/null; }; then
        local files
        mapfile -t files < <(module_python_files)
        if [ "${#files[@]}" -gt 0 ]; then
            check "pylint-odoo" "$pylint" --rcfile=.pylintrc "${files[@]}"
        else
            skip "pylint-odoo: no Python file in the module yet"
        fi
    else
        skip "pylint-odoo not installed"
    fi

    if tool oca-checks-odoo-module >/dev/null; then
        # README.md is our choice (the project's README), not README.rst.
        check "oca-checks-odoo-module" with_venv_path \
            .ci/oca_checks_module.sh customer_care --disable=prefer-readme-rst
    else
        skip "oca-checks-odoo-module not installed (oca-odoo-pre-commit-hooks)"
    fi

    local po_files=()
    if [ -d i18n ]; then
        mapfile -t po_files < <(find i18n -maxdepth 1 \( -name '*.po' -o -name '*.pot' \) | sort)
    fi
    if [ "${#po_files[@]}" -eq 0 ]; then
        skip "translation checks: no i18n/*.po or *.pot yet"
    else
        if poc="$(tool oca-checks-po)"; then
            check "oca-checks-po" "$poc" --disable=po-pretty-format "${po_files[@]}"
        else
            skip "oca-checks-po not installed (oca-odoo-pre-commit-hooks)"
        fi
        if [ ! -f i18n/vi.po ]; then
            skip "i18n/vi.po does not exist: no Vietnamese placeholder/msgfmt checks"
        else
            py=""
            if [ -x "$VENV_BIN/python3" ] && "$VENV_BIN/python3" -c 'import polib' 2>/dev/null; then
                py="$VENV_BIN/python3"
            elif python3 -c 'import polib' 2>/dev/null; then
                py=python3
            fi
            if [ -n "$py" ]; then
                check "po placeholders" "$py" .ci/check_po_placeholders.py i18n/vi.po
            else
                skip "check_po_placeholders: polib not installed"
            fi
            if msgfmt="$(tool msgfmt)"; then
                check "msgfmt --check" "$msgfmt" --check --statistics -o /dev/null i18n/vi.po
            else
                skip "msgfmt not installed (apt-get install gettext)"
            fi
        fi
    fi

    check "test assertions" python3 .ci/check_asserts.py tests tests_offline
}

# ---------------------------------------------------------------- 2. offline tests
offline_tests() {
    banner "offline tests (tests_offline)"
    if [ ! -d tests_offline ]; then
        skip "offline tests: no tests_offline/ folder"
        return
    fi
    local py=python3
    if ! python3 -m pytest --version >/dev/null 2>&1; then
        if [ -x "$VENV_BIN/python3" ] && "$VENV_BIN/python3" -m pytest --version >/dev/null 2>&1; then
            loud "python3 has no pytest: running tests_offline with .venv-lint's Python"
            py="$VENV_BIN/python3"
        else
            skip "offline tests: pytest not installed (pip install pytest)"
            fail "offline tests: pytest missing"
            return
        fi
    fi
    local log="$CC_RUN/test-offline.log" rc
    mkdir -p "$CC_RUN"
    # --rootdir keeps pytest from treating the repository root (the Odoo add-on, with its
    # __init__.py) as a test package and importing it; `-m` puts the root on sys.path.
    local args=(-q -p no:cacheprovider --rootdir=tests_offline tests_offline)
    echo "+ $py -m pytest ${args[*]}"
    timeout --kill-after=30 1200 "$py" -m pytest "${args[@]}" </dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # Summary, e.g. "3 failed, 12 passed, 1 skipped, 2 errors in 1.2s" (last matching line).
    local summary p f e
    summary="$(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed)|no tests ran' "$log" | tail -n 1)"
    p="$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
    f="$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
    e="$(grep -oE '[0-9]+ errors?' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
    pass "offline tests" "$p"
    [ $((f + e)) -gt 0 ] && fail "offline tests: $f failed, $e error(s)" $((f + e))
    case "$rc" in
        0) ;;
        5) loud "pytest collected no test in tests_offline (counted as 0 passed)" ;;
        1) [ $((f + e)) -gt 0 ] || fail "offline tests: pytest exit 1 without a failure count" ;;
        *) [ $((f + e)) -gt 0 ] || fail "offline tests: pytest exit $rc (2-4: interrupted/usage error, 124: timeout)" ;;
    esac
    echo "--> offline tests: $p passed, $((f + e)) failed (pytest exit $rc)"
}

# ---------------------------------------------------------------- 3-4. Odoo
# odoo_run NAME LOG DB TIMEOUT ARGS...: fresh database, run Odoo, tee the log; sets ODOO_RC.
odoo_run() {
    local name="$1" log="$2" db="$3" limit="$4"; shift 4
    banner "$name (database $db, log $log)"
    cc_pg_dropdb "$db" || true
    local port; port="$(cc_free_port)"
    echo "+ ${ODOO_CMD[*]} server -c $CONF -d $db $* --http-port=$port"
    (cd "$CC_RUN" && timeout --kill-after=60 "$limit" \
        "${ODOO_CMD[@]}" server -c "$CONF" -d "$db" "$@" --http-port="$port" </dev/null 2>&1) \
        | tee "$log"
    ODOO_RC=${PIPESTATUS[0]}
    echo "--> $name: Odoo exited with code $ODOO_RC"
    [ "$ODOO_RC" -eq 124 ] && loud "$name: Odoo timed out after $limit s"
    [ "${KEEP_DB:-0}" = 1 ] || cc_pg_dropdb "$db" || echo "(could not drop $db)"
}

# demo_figures DB: the demo's acceptance figures (demo/check_demo_history.py in
# odoo-bin shell), one check each: "OK ..." passes, "BAD ..." fails.
demo_figures() {
    local db="$1" log="$CC_RUN/test-demo-figures.log" line ok=0 bad=0
    banner "demo figures (demo/check_demo_history.py, log $log)"
    (cd "$CC_RUN" && timeout --kill-after=30 600 "${ODOO_CMD[@]}" shell -c "$CONF" -d "$db" \
        --no-http <"$CC_REPO/demo/check_demo_history.py" 2>&1) >"$log"
    while IFS= read -r line; do
        case "$line" in
            "OK "*) echo "$line"; ok=$((ok + 1)) ;;
            "BAD "*) echo "$line"; bad=$((bad + 1)) ;;
        esac
    done <"$log"
    if [ $((ok + bad)) -eq 0 ]; then
        tail -n 20 "$log"
        fail "demo figures: the check printed no figure"
        return
    fi
    pass "demo figures" "$ok"
    [ "$bad" -gt 0 ] && fail "demo figures: $bad figure(s) off target" "$bad"
    echo "--> demo figures: $ok on target, $bad off"
}

# odoo_verdict NAME LOG [--tests]: count the run from its log (tools/odoo_log_check.py).
odoo_verdict() {
    local name="$1" log="$2"; shift 2
    local pattern=""
    [ "$CC_MODULE" = customer_care ] && pattern='\bcare\.[a-z_]+'
    local out result tp tf clean
    out="$(python3 tools/odoo_log_check.py "$log" --module "$CC_MODULE" --rc "$ODOO_RC" \
        --module-dir "$CC_REPO" ${pattern:+--pattern "$pattern"} "$@")"
    banner "$name: verdict"
    grep -v '^RESULT ' <<<"$out"
    result="$(grep '^RESULT ' <<<"$out" | tail -n 1)"
    read -r _ tp tf clean <<<"${result:-RESULT 0 0 0}"
    [ "$tp" -gt 0 ] && pass "$name tests" "$tp"
    [ "$tf" -gt 0 ] && fail "$name: $tf failed test(s)" "$tf"
    if [ "$clean" = 1 ]; then
        echo "--> $name: clean log"; pass "$name log"
    else
        echo "--> $name: log NOT clean (see above)"; fail "$name: log not clean"
    fi
}

odoo_checks() {
    if [ "${CC_SKIP_ODOO:-0}" = 1 ]; then
        skip "Odoo tests and demo install (CC_SKIP_ODOO=1)"
        return
    fi
    if [ -z "$ODOO_READY" ]; then
        # Not a skip: without Odoo nothing of the module ran (CC_SKIP_ODOO=1 opts out).
        loud "NO ODOO 19: the Odoo tests and the demo install cannot run (see [bootstrap] above)"
        fail "Odoo tests and demo install: no Odoo 19 (tools/bootstrap.sh)"
        return
    fi
    if ! cc_pg_start </dev/null; then
        fail "PostgreSQL could not be started (tools/pg.sh)"
        return
    fi
    local chrome=""
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && { chrome="$b"; break; }
    done
    [ -n "$chrome" ] || skip "browser tours: no Chromium (apt-get install chromium)"
    command -v wkhtmltopdf >/dev/null 2>&1 \
        || loud "wkhtmltopdf not found: PDF reports render as HTML only"

    CONF="$CC_RUN/odoo-test.conf"
    cc_write_conf "$CONF" "max_cron_threads=0" "workers=0"
    local tags="${CC_TEST_TAGS:-/$CC_MODULE}"

    # CI allows 90 minutes in all: the test run may take 45, the demo install 20.
    local limit="${CC_ODOO_TIMEOUT:-2700}"
    local strict=()
    [ "${CI:-}" = true ] && strict=(--skips-fail)
    local start=$SECONDS
    odoo_run "Odoo tests" "$CC_RUN/test-odoo.log" "cc_test_$$" "$limit" \
        -i "$CC_MODULE" --test-tags "$tags" --stop-after-init --log-level=test
    odoo_verdict "Odoo tests" "$CC_RUN/test-odoo.log" --tests "${strict[@]}"
    TIMINGS+=("Odoo tests $((SECONDS - start)) s")

    if [ "${CC_SKIP_DEMO:-0}" = 1 ]; then
        skip "demo install (CC_SKIP_DEMO=1)"
        return
    fi
    [ "$limit" -gt 1200 ] && limit=1200
    start=$SECONDS
    KEEP_DB=1 odoo_run "demo install" "$CC_RUN/test-demo-install.log" "cc_demo_$$" \
        "$limit" -i "$CC_MODULE" --with-demo --stop-after-init
    odoo_verdict "demo install" "$CC_RUN/test-demo-install.log"
    TIMINGS+=("demo install $((SECONDS - start)) s")
    if [ "$CC_MODULE" = customer_care ] && [ "$ODOO_RC" -eq 0 ]; then
        start=$SECONDS
        demo_figures "cc_demo_$$"
        TIMINGS+=("demo figures $((SECONDS - start)) s")
    fi
    cc_pg_dropdb "cc_demo_$$" || echo "(could not drop cc_demo_$$)"
}

# ---------------------------------------------------------------- 0. bootstrap
# Odoo 19, its virtualenv and the Debian packages (tools/bootstrap.sh) before anything
# else: the lint steps use gettext, the Odoo steps everything.
ODOO_READY=""
bootstrap() {
    banner "bootstrap (tools/bootstrap.sh)"
    if [ "${CC_SKIP_ODOO:-0}" = 1 ]; then
        cc_system_packages test || true
        return
    fi
    if cc_find_odoo test </dev/null; then
        ODOO_READY=1
    fi
}

timed bootstrap bootstrap
if [ "${CC_SKIP_LINT:-0}" = 1 ]; then
    skip "lint (CC_SKIP_LINT=1)"
else
    timed lint lint
fi
timed "offline tests" offline_tests
odoo_checks

# A cluster this run started is stopped again (CI leaves nothing running).
[ "${CC_PG_STARTED_HERE:-0}" = 1 ] && cc_pg_stop

banner "summary"
for t in "${TIMINGS[@]}"; do echo "time: $t"; done
echo "time: total $SECONDS s"
for s in "${SKIPS[@]}"; do echo "skipped: $s"; done
for f in "${FAILURES[@]}"; do echo "FAILED: $f"; done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
