#!/usr/bin/env bash
# shellcheck shell=bash
# tools/bootstrap.sh: finds (or fetches) Odoo 19.0 and makes the environment it runs in. It is
# sourced by tools/run.sh and tools/test.sh (`cc_bootstrap serve|test`); run on its own it
# bootstraps for the tests and prints what it found.
#
# Odoo 19.0 is taken from the first of:
#   1. ODOO_SRC       an Odoo 19 source tree (the folder with odoo-bin);
#   2. ODOO_ARCHIVE   a path or URL of an Odoo 19.0 source archive (.tar.xz, .tar.gz, .zip),
#                     checked against "<archive>.sha256" when there is one, and unpacked once
#                     into the cache (never below the module: Odoo scans every Python file
#                     under an add-on);
#   3. an importable `odoo` 19 in the interpreter (CC_PYTHON, default python3);
#   then a source that an earlier run unpacked into the cache (the newest), and finally
#   4. Odoo's official 19.0 source archive (CC_ODOO_URL), downloaded into the cache when the
#      network allows; without network this stops within seconds.
# For 1, 2 and 4 a virtualenv is made (or reused) in the cache, keyed by the hash of Odoo's
# requirements.txt and the Python version, with those requirements from PyPI. With
# CC_PYTHON set and ODOO_SRC given, that interpreter is used as it is (your own environment).
#
# The Debian packages it needs (PostgreSQL, the headers and compiler that building
# python-ldap and psycopg2 needs, Chromium for the tours, wkhtmltopdf and Noto fonts for PDF
# reports, gettext) are installed with apt-get when running as root (or with password-less
# sudo), and named precisely otherwise.
#
# Cache: CC_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/customer_care): odoo/<sha256>/ holds
# unpacked sources, venv/<python>-<hash>/ the virtualenvs, downloads/ fetched archives.
# Sets ODOO_CMD (array), ODOO_SRC_DIR, ODOO_PYTHON, ODOO_VERSION, ODOO_COMMUNITY_ADDONS.

CC_REPO="${CC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CC_CACHE="${CC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/customer_care}"
CC_ODOO_URL="${CC_ODOO_URL:-https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz}"
# Python packages the module's tests need beside Odoo's requirements: Odoo drives Chromium
# through websocket-client and skips every tour without it.
CC_VENV_EXTRAS=(websocket-client==1.8.0)

_cc_boot_say() { printf '[bootstrap] %s\n' "$*" >&2; }

_cc_sha256() { sha256sum "$1" | cut -d' ' -f1; }

_cc_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
    else return 1
    fi
}

# ------------------------------------------------------------------ Debian packages
_cc_deb_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# cc_system_packages serve|test: install what is missing (root), else name it. Returns 1
# when a package that the step cannot do without is missing.
cc_system_packages() {
    local purpose="${1:-test}" py="${CC_PYTHON:-python3}"
    local required=() optional=() missing_req=() missing_opt=() pkg
    if ! command -v dpkg-query >/dev/null 2>&1; then
        _cc_boot_say "not a Debian system: make sure PostgreSQL server, libldap2-dev,"
        _cc_boot_say "libsasl2-dev, libpq-dev, a C compiler, Chromium, wkhtmltopdf and Noto fonts exist"
        return 0
    fi
    # PostgreSQL: any installed server (the cluster itself is tools/pg.sh's).
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || required+=(postgresql)
    # Building python-ldap and psycopg2 from their source distributions.
    required+=(libldap2-dev libsasl2-dev libpq-dev gcc)
    if ! "$py" -c 'import sysconfig, os, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
        2>/dev/null; then
        required+=(python3-dev)
    fi
    "$py" -c 'import ensurepip' >/dev/null 2>&1 || required+=(python3-venv)
    # PDF reports with Vietnamese text.
    optional+=(wkhtmltopdf fonts-noto-core)
    if [ "$purpose" = test ]; then
        optional+=(chromium gettext)
    fi
    for pkg in "${required[@]}"; do _cc_deb_installed "$pkg" || missing_req+=("$pkg"); done
    for pkg in "${optional[@]}"; do _cc_deb_installed "$pkg" || missing_opt+=("$pkg"); done
    local missing=("${missing_req[@]}" "${missing_opt[@]}")
    [ "${#missing[@]}" -eq 0 ] && return 0
    if command -v apt-get >/dev/null 2>&1 && _cc_as_root true; then
        _cc_boot_say "apt-get install ${missing[*]}"
        local log="$CC_CACHE/apt.log"
        mkdir -p "$CC_CACHE"
        if DEBIAN_FRONTEND=noninteractive _cc_as_root timeout 600 apt-get update -qq >"$log" 2>&1 \
            && DEBIAN_FRONTEND=noninteractive _cc_as_root timeout 1500 \
                apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
            return 0
        fi
        tail -n 20 "$log" >&2
        _cc_boot_say "apt-get install failed (log: $log)"
    else
        _cc_boot_say "missing Debian packages (not root, no password-less sudo):"
        _cc_boot_say "    sudo apt-get install ${missing[*]}"
    fi
    local still=()
    for pkg in "${missing_req[@]}"; do _cc_deb_installed "$pkg" || still+=("$pkg"); done
    if [ "${#still[@]}" -gt 0 ]; then
        _cc_boot_say "cannot go on without: ${still[*]}"
        return 1
    fi
    return 0
}

# ------------------------------------------------------------------ Odoo source
_cc_no_odoo() {
    _cc_boot_say "Odoo 19.0 not found. Give it one of these ways:"
    _cc_boot_say "  1. ODOO_SRC=/path/to/odoo-19.0          an Odoo 19 source tree (with odoo-bin)"
    _cc_boot_say "  2. ODOO_ARCHIVE=/path/or/url.tar.xz     an Odoo 19.0 source archive (.tar.xz/.tar.gz/.zip)"
    _cc_boot_say "  3. an importable odoo 19 in python3      (or CC_PYTHON=/path/to/python)"
    _cc_boot_say "  4. network access to $CC_ODOO_URL"
    _cc_boot_say "     (official source archive, downloaded once into $CC_CACHE)"
}

# _cc_download URL FILE: fetch URL into FILE (atomically). Fails fast without network.
_cc_download() {
    local url="$1" file="$2" tmp
    mkdir -p "$(dirname "$file")"
    tmp="$file.part.$$"
    if command -v curl >/dev/null 2>&1; then
        # The head request answers within seconds when there is no network.
        curl -fsSL -o /dev/null --head --connect-timeout 5 --max-time 8 "$url" 2>/dev/null \
            || { rm -f "$tmp"; return 1; }
        curl -fL --connect-timeout 10 --max-time 1800 --retry 2 -o "$tmp" "$url" || {
            rm -f "$tmp"; return 1; }
    else
        timeout 1800 python3 - "$url" "$tmp" <<'EOF' || { rm -f "$tmp"; return 1; }
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=8) as r, open(sys.argv[2], "wb") as f:
    shutil.copyfileobj(r, f)
EOF
    fi
    mv -f "$tmp" "$file"
}

# _cc_unpack ARCHIVE: unpack once into $CC_CACHE/odoo/<sha256>/; sets ODOO_SRC_DIR.
_cc_unpack() {
    local archive="$1" sum want dest tmp top
    if [ ! -f "$archive" ]; then
        _cc_boot_say "ODOO_ARCHIVE=$archive: no such file"
        return 1
    fi
    sum="$(_cc_sha256 "$archive")"
    if [ -f "$archive.sha256" ]; then
        want="$(awk 'NR == 1 {print $1}' "$archive.sha256")"
        if [ "$want" != "$sum" ]; then
            _cc_boot_say "checksum mismatch for $archive: $sum, but $archive.sha256 says $want"
            return 1
        fi
    fi
    dest="$CC_CACHE/odoo/$sum"
    if [ ! -f "$dest/.complete" ]; then
        _cc_boot_say "unpacking $archive into $dest"
        mkdir -p "$CC_CACHE/odoo"
        rm -rf "$dest"
        tmp="$(mktemp -d "$CC_CACHE/odoo/.unpack.XXXXXX")"
        case "$archive" in
            *.zip) python3 -m zipfile -e "$archive" "$tmp" ;;
            *) tar -xf "$archive" -C "$tmp" ;;
        esac || { rm -rf "$tmp"; _cc_boot_say "could not unpack $archive"; return 1; }
        top="$(find "$tmp" -maxdepth 3 -name odoo-bin -type f -printf '%h\n' | head -n 1)"
        if [ -z "$top" ] || [ ! -d "$top/odoo" ]; then
            rm -rf "$tmp"
            _cc_boot_say "$archive holds no Odoo source tree (no odoo-bin beside odoo/)"
            return 1
        fi
        printf '%s\n' "${top#"$tmp"/}" >"$tmp/.complete"
        mv "$tmp" "$dest"
    fi
    _cc_src_of "$dest"
}

# _cc_src_of DIR: the Odoo tree unpacked in DIR (its .complete stamp names the folder
# holding odoo-bin); sets ODOO_SRC_DIR.
_cc_src_of() {
    ODOO_SRC_DIR="$1/$(head -n 1 "$1/.complete")"
    ODOO_SRC_DIR="${ODOO_SRC_DIR%/}"
}

# _cc_cached_src: the source unpacked last into the cache (a second run needs no
# ODOO_ARCHIVE); sets ODOO_SRC_DIR.
_cc_cached_src() {
    local stamp
    stamp="$(ls -t "$CC_CACHE"/odoo/*/.complete 2>/dev/null | head -n 1)"
    [ -n "$stamp" ] || return 1
    _cc_src_of "$(dirname "$stamp")"
    [ -f "$ODOO_SRC_DIR/odoo-bin" ]
}

# _cc_archive_from SPEC: a local path as it is, a URL downloaded into the cache.
_cc_archive_from() {
    local spec="$1" name file
    case "$spec" in
        http://* | https://*)
            name="$(basename "${spec%%\?*}")"
            file="$CC_CACHE/downloads/$(printf '%s' "$spec" | sha256sum | cut -c1-12)-$name"
            if [ ! -f "$file" ]; then
                _cc_boot_say "downloading $spec"
                _cc_download "$spec" "$file" || return 1
                # A checksum published beside the archive is used when there is one.
                _cc_download "$spec.sha256" "$file.sha256" 2>/dev/null || rm -f "$file.sha256"
            fi
            printf '%s\n' "$file"
            ;;
        *) printf '%s\n' "$(cd "$(dirname "$spec")" 2>/dev/null && pwd)/$(basename "$spec")" ;;
    esac
}

# ------------------------------------------------------------------ virtualenv
# _cc_venv SRC: a virtualenv with SRC/requirements.txt; sets ODOO_PYTHON.
_cc_venv() {
    local src="$1" py="${CC_PYTHON:-python3}" pyver key venv log
    pyver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" || {
        _cc_boot_say "no usable Python ($py)"; return 1; }
    key="$( { cat "$src/requirements.txt"; printf '%s\n' "$pyver" "${CC_VENV_EXTRAS[@]}"; } \
        | sha256sum | cut -c1-16)"
    venv="$CC_CACHE/venv/py$pyver-$key"
    ODOO_PYTHON="$venv/bin/python"
    [ -f "$venv/.complete" ] && return 0
    _cc_boot_say "making the virtualenv $venv (Odoo's requirements.txt from PyPI; a few minutes)"
    rm -rf "$venv"
    mkdir -p "$CC_CACHE/venv"
    log="$CC_CACHE/venv/pip-$key.log"
    if "$py" -m venv "$venv" >"$log" 2>&1 \
        && PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --no-input \
            -r "$src/requirements.txt" "${CC_VENV_EXTRAS[@]}" >>"$log" 2>&1; then
        date -u +%FT%TZ >"$venv/.complete"
        return 0
    fi
    grep -v '^WARNING: Location' "$log" | tail -n 25 >&2
    _cc_boot_say "pip install of Odoo's requirements failed (log: $log). Building psycopg2"
    _cc_boot_say "and python-ldap needs: apt-get install libldap2-dev libsasl2-dev libpq-dev gcc python3-dev"
    return 1
}

# ------------------------------------------------------------------ entry point
# _cc_odoo_version: ODOO_VERSION from ODOO_CMD; fails unless it is 19.
_cc_odoo_version() {
    ODOO_VERSION="$(cd / && "${ODOO_CMD[@]}" --version 2>/dev/null | sed -n 's/^Odoo Server //p' | head -n 1)"
    if [ -z "$ODOO_VERSION" ]; then
        _cc_boot_say "'${ODOO_CMD[*]} --version' failed: are Odoo's Python requirements installed?"
        return 1
    fi
    case "$ODOO_VERSION" in
        19.* | saas~19.*) ;;
        *) _cc_boot_say "found Odoo $ODOO_VERSION (${ODOO_CMD[*]}), but this module needs Odoo 19"
           return 1 ;;
    esac
}

# _cc_locked CMD...: run CMD holding the cache lock (two runs at once share one cache).
_cc_locked() {
    mkdir -p "$CC_CACHE"
    if command -v flock >/dev/null 2>&1; then
        (
            flock -w 3600 9 || { _cc_boot_say "waited an hour for $CC_CACHE/.lock"; exit 1; }
            "$@"
            # Hand the variables back to the caller's shell.
            printf 'ODOO_SRC_DIR=%q\nODOO_PYTHON=%q\n' "$ODOO_SRC_DIR" "$ODOO_PYTHON" \
                >"$CC_CACHE/.boot.$$"
        ) 9>"$CC_CACHE/.lock" || { rm -f "$CC_CACHE/.boot.$$"; return 1; }
        # shellcheck disable=SC1090
        . "$CC_CACHE/.boot.$$"
        rm -f "$CC_CACHE/.boot.$$"
    else
        "$@"
    fi
}

_cc_src_and_venv() {
    local archive="${1:-}"
    if [ -n "$archive" ]; then _cc_unpack "$archive" || return 1; fi
    if [ -z "${CC_PYTHON:-}" ] || [ -n "$archive" ]; then
        _cc_venv "$ODOO_SRC_DIR" || return 1
    else
        ODOO_PYTHON="$CC_PYTHON"
    fi
}

# cc_bootstrap serve|test: everything needed to run Odoo with the module; sets ODOO_CMD.
cc_bootstrap() {
    local purpose="${1:-test}" py="${CC_PYTHON:-python3}" archive="" how
    ODOO_CMD=()
    ODOO_SRC_DIR=""
    ODOO_PYTHON=""
    ODOO_COMMUNITY_ADDONS=""
    cc_system_packages "$purpose" || return 1
    if [ -n "${ODOO_SRC:-}" ]; then
        if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo" ]; then
            _cc_boot_say "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin / odoo/ in it)"
            return 1
        fi
        ODOO_SRC_DIR="$(cd "$ODOO_SRC" && pwd)"
        how="ODOO_SRC"
    elif [ -n "${ODOO_ARCHIVE:-}" ]; then
        archive="$(_cc_archive_from "$ODOO_ARCHIVE")" || {
            _cc_boot_say "could not download ODOO_ARCHIVE=$ODOO_ARCHIVE"; return 1; }
        how="ODOO_ARCHIVE"
    elif (cd / && "$py" -c 'import sys, odoo.release as r; sys.exit(r.version_info[0] != 19)') \
        >/dev/null 2>&1; then
        ODOO_CMD=("$py" -m odoo)
        ODOO_PYTHON="$py"
        ODOO_COMMUNITY_ADDONS="$(cd / && "$py" -c 'from odoo.tools import config; print(config.addons_community_dir)' 2>/dev/null || true)"
        how="importable odoo in $py"
    elif _cc_cached_src; then
        how="unpacked earlier into $CC_CACHE"
    else
        archive="$(_cc_archive_from "$CC_ODOO_URL" 2>/dev/null)" || { _cc_no_odoo; return 1; }
        how="downloaded from $CC_ODOO_URL"
    fi
    if [ "${#ODOO_CMD[@]}" -eq 0 ]; then
        _cc_locked _cc_src_and_venv "$archive" || return 1
        # PYTHONPATH is dropped: an `odoo` package on it (another Odoo the machine has)
        # would be imported instead of this source tree, whose `odoo` is a namespace package.
        ODOO_CMD=(env -u PYTHONPATH "$ODOO_PYTHON" "$ODOO_SRC_DIR/odoo-bin")
        ODOO_COMMUNITY_ADDONS="$ODOO_SRC_DIR/addons"
    fi
    _cc_odoo_version || return 1
    [ -d "$ODOO_COMMUNITY_ADDONS" ] || ODOO_COMMUNITY_ADDONS=""
    _cc_boot_say "Odoo $ODOO_VERSION ($how): ${ODOO_CMD[*]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -uo pipefail
    cc_bootstrap "${1:-test}" || exit 1
    printf 'ODOO_CMD=%q\n' "${ODOO_CMD[*]}"
    printf 'ODOO_COMMUNITY_ADDONS=%q\n' "$ODOO_COMMUNITY_ADDONS"
fi
