#!/usr/bin/env python3
"""Read an Odoo 19 server log and turn it into pass/fail counts for tools/test.sh.

Usage: odoo_log_check.py LOG --module NAME --rc EXIT_CODE [--tests] [--module-dir DIR]

Odoo 19 ends a test run (--test-tags ... --stop-after-init) with one line from
``odoo.tests.result`` (odoo/service/server.py, text from OdooTestResult.__str__):
    ``<F> failed, <E> error(s) of <N> tests when loading database '<db>'``
at level INFO when all passed, ERROR when some failed, WARNING when no test ran.
Each failing test also logs ``FAIL: <test>`` or ``ERROR: <test>`` (ERROR level), and
odoo/modules/loading.py logs ``Module <m>: <F> failures, <E> errors of <N> tests`` and
``At least one test failed when loading the modules.``

With --tests: tests passed = N - F - E, tests failed = F + E. A skipped test logs
``skipped <test> : <reason>`` (odoo/tests/result.py); skips are listed, and with
--skips-fail (tools/test.sh under CI=true) each counts as a failed test.
Always: one "clean log" check, which fails on
- an ERROR/CRITICAL line that is not one of the test-failure lines above;
- a WARNING line logged while Odoo loads the module (between "Loading module <m>" and
  the next module), or naming the module or matching --pattern (logger or message);
- a non-zero exit code not explained by failed tests;
- with --tests, a missing summary line, or no test run while DIR/tests has test files.
The last line printed is ``RESULT <tests_passed> <tests_failed> <clean 0|1>``.
"""

import argparse
import re
import sys
from pathlib import Path

LINE_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z_?]+) (?P<db>\S+) "
    r"(?P<logger>[^\s:]+): (?P<msg>.*)$"
)
SUMMARY_RE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<tests>\d+) tests "
    r"when loading database"
)
SKIPPED_RE = re.compile(r"^skipped \S+ : ")
STARTED_RE = re.compile(r"^Starting .* \.\.\.\s*$")
TEST_FAILURE_RE = re.compile(
    r"^(FAIL|ERROR): |^Module \S+: \d+ failures, \d+ errors of \d+ tests"
    r"|^Test suite halted: max failed tests"
    r"|^At least one test failed when loading the modules"
)


def parse_log(text, module, pattern, tests):
    """Summary counts, unexplained ERROR lines and our WARNING lines of a log."""
    ours = rf"\b{re.escape(module)}\b" + (f"|{pattern}" if pattern else "")
    ours_re = re.compile(ours)
    loading_re = re.compile(r"^Loading module (\S+) \(|^\d+ modules loaded in")
    summary, current = None, None
    partial = {"started": 0, "failed": 0}  # counted from test lines, if no summary
    skipped = []
    bad_errors, bad_warnings = [], []
    tail = None  # continuation lines (traceback) of the last unexplained ERROR
    for line in text.splitlines():
        match = LINE_RE.match(line)
        if not match:
            if tail is not None and line.strip():
                tail.append(line)
            continue
        if tail:
            # The end of a traceback says what went wrong.
            bad_errors[-1] += "".join(f"\n      {t}" for t in tail[-6:])
        tail = None
        level, logger, msg = match["level"], match["logger"], match["msg"]
        loading = loading_re.search(msg)
        if loading and logger == "odoo.modules.loading":
            current = loading.group(1)
        found = SUMMARY_RE.search(msg)
        if found and logger == "odoo.tests.result":
            summary = {k: int(v) for k, v in found.groupdict().items()}
        elif ".tests." in logger and STARTED_RE.search(msg):
            partial["started"] += 1
        elif level == "INFO" and SKIPPED_RE.match(msg):
            skipped.append(msg)
        elif level in ("ERROR", "CRITICAL"):
            if ".tests." in logger and re.match(r"(FAIL|ERROR): ", msg):
                partial["failed"] += 1
            if not (tests and TEST_FAILURE_RE.search(msg)):
                bad_errors.append(line)
                tail = []
        elif level == "WARNING" and (
            current == module or ours_re.search(f"{logger} {msg}")
        ):
            bad_warnings.append(line)
    if tail:
        bad_errors[-1] += "".join(f"\n      {t}" for t in tail[-6:])
    if summary is None and partial["started"]:
        # Interrupted run (crash, timeout): count what the log shows; the test that was
        # running when it stopped counts as failed.
        failed = partial["failed"] + 1
        summary = {
            "failed": failed,
            "errors": 0,
            "tests": max(partial["started"], failed),
            "partial": True,
        }
    if summary is not None:
        summary["skipped"] = skipped
    return summary, bad_errors, bad_warnings


def test_counts(summary, module_dir, reasons, skips_fail=False):
    """(passed, failed) from the summary line; adds to reasons what looks wrong."""
    if summary is None:
        reasons.append(
            "no 'N failed, N error(s) of N tests when loading database' line: "
            "the install or the test run did not finish"
        )
        return 0, 0
    failed = summary["failed"] + summary["errors"]
    skipped = summary.get("skipped", [])
    for msg in skipped:
        print(f"  {msg}")
    if skipped and skips_fail:
        failed += len(skipped)
        reasons.append(f"{len(skipped)} test(s) skipped, a failure here (--skips-fail)")
    elif skipped:
        print(f"!!! {len(skipped)} test(s) SKIPPED (see above) !!!")
    passed = max(summary["tests"] - failed, 0)
    if summary.get("partial"):
        reasons.append(
            "the test run did not finish (no 'N failed, N error(s) of N tests' line); "
            "counts taken from the 'Starting'/'FAIL:'/'ERROR:' lines, the interrupted "
            "test counted as failed"
        )
    print(
        f"odoo tests: {summary['tests']} run, {summary['failed']} failed, "
        f"{summary['errors']} error(s), {len(skipped)} skipped -> {passed} passed, "
        f"{failed} failed"
    )
    if summary["tests"] == 0:
        if module_dir and any(Path(module_dir, "tests").glob("test_*.py")):
            reasons.append(
                f"Odoo ran no test although {module_dir}/tests has test files "
                "(imported in tests/__init__.py? test tags?)"
            )
        else:
            print("!!! NOTE: Odoo ran no test (none matched the test tags) !!!")
    return passed, failed


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--module", required=True)
    parser.add_argument("--rc", type=int, required=True)
    parser.add_argument("--tests", action="store_true")
    parser.add_argument("--module-dir")
    parser.add_argument("--pattern", help="extra regex marking a WARNING as ours")
    parser.add_argument("--skips-fail", action="store_true")
    args = parser.parse_args(argv)

    text = Path(args.log).read_text(encoding="utf-8", errors="replace")
    summary, bad_errors, bad_warnings = parse_log(
        text, args.module, args.pattern, args.tests
    )
    reasons = []
    passed = failed = 0
    if args.tests:
        passed, failed = test_counts(summary, args.module_dir, reasons, args.skips_fail)
    if bad_errors:
        reasons.append(f"{len(bad_errors)} ERROR/CRITICAL log line(s)")
    if bad_warnings:
        reasons.append(f"{len(bad_warnings)} WARNING line(s) from {args.module}")
    if args.rc != 0 and not failed:
        reasons.append(f"Odoo exited with code {args.rc}")
    for line in bad_errors + bad_warnings:
        print(f"  {line}")
    for reason in reasons:
        print(f"!!! {reason}")
    print(f"RESULT {passed} {failed} {int(not reasons)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
