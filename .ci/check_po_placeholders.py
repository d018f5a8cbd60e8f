#!/usr/bin/env python3
"""Check that each translation keeps the placeholders and markup of its source string.

Usage: check_po_placeholders.py [--require-full] FILE.po [FILE.po...]

Odoo 19 exports no ``python-format`` flag, so ``msgfmt --check`` and ``oca-checks-po``
do not compare placeholders. For every translated entry this script compares:
- Python %-placeholders: named ones (``%(num)s``) as a multiset, positional ones
  (``%s``, ``%d``, ``%%``) in order;
- QWeb ``t-*`` attributes with their values (``t-out="object.name"``), as a multiset;
- HTML/XML tag names, opening and closing (``<strong>``, ``</a>``), as a multiset.
It prints the share of translated entries (fuzzy ones count as untranslated, as Odoo
skips them). Exit 1 on a mismatch, or with --require-full when an entry is untranslated.
Needs polib (requirements-lint.txt).
"""

import argparse
import re
import sys
from collections import Counter

import polib

# %(name)s, %s, %-5d, %.2f, %%. No space flag: "50% off" is not a placeholder.
PERCENT_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0+-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
QWEB_ATTR_RE = re.compile(r"""\b(t-[\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
TAG_RE = re.compile(r"</?([A-Za-z][\w:.-]*)(?=[\s/>])")


def signature(text):
    named, positional = Counter(), []
    for match in PERCENT_RE.finditer(text):
        if match.group("name") is not None:
            named[(match.group("name"), match.group("conv"))] += 1
        else:
            positional.append(match.group(0))
    qweb = Counter(
        f'{name}="{dq or sq}"' for name, dq, sq in QWEB_ATTR_RE.findall(text)
    )
    tags = Counter(m.group(0).lower() for m in TAG_RE.finditer(text))
    return {
        "named placeholders": named,
        "positional placeholders": positional,
        "QWeb t- attributes": qweb,
        "HTML tags": tags,
    }


def describe(value):
    if isinstance(value, Counter):
        items = []
        for key, count in sorted(value.items(), key=str):
            text = f"%({key[0]}){key[1]}" if isinstance(key, tuple) else key
            items.extend([text] * count)
        return ", ".join(items) or "none"
    return ", ".join(value) or "none"


def compare(source, translation):
    """Differences between the source's and the translation's signatures."""
    expected, found = signature(source), signature(translation)
    return [
        f"{kind}: expected [{describe(want)}], found [{describe(found[kind])}]"
        for kind, want in expected.items()
        if want != found[kind]
    ]


def check_entry(entry):
    if entry.msgid_plural:
        problems = []
        for index, text in sorted(entry.msgstr_plural.items()):
            if not text:
                continue
            sources = [entry.msgid, entry.msgid_plural]
            results = [compare(src, text) for src in sources]
            if all(results):
                problems.extend(f"[{index}] {p}" for p in results[-1])
        return problems
    return compare(entry.msgid, entry.msgstr)


def is_translated(entry):
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def check_file(path, require_full):
    try:
        po = polib.pofile(path)
    except (OSError, ValueError) as exc:
        print(f"{path}: cannot read: {exc}")
        return False
    entries = [e for e in po if not e.obsolete]
    translated = [e for e in entries if is_translated(e)]
    bad = 0
    for entry in translated:
        problems = check_entry(entry)
        if problems:
            bad += 1
            where = entry.occurrences[0][0] if entry.occurrences else ""
            print(f"{path}:{entry.linenum}: placeholder mismatch {where}")
            print(f"    msgid:  {entry.msgid[:200]!r}")
            print(f"    msgstr: {(entry.msgstr or str(entry.msgstr_plural))[:200]!r}")
            for problem in problems:
                print(f"    {problem}")
    total, done = len(entries), len(translated)
    share = 100.0 * done / total if total else 100.0
    fuzzy = sum(1 for e in entries if "fuzzy" in e.flags)
    print(
        f"{path}: {done}/{total} translated ({share:.1f}%), {fuzzy} fuzzy, "
        f"{total - done} untranslated, {bad} placeholder mismatches"
    )
    if require_full and done < total:
        for entry in entries:
            if not is_translated(entry):
                print(f"{path}:{entry.linenum}: untranslated: {entry.msgid[:120]!r}")
    return bad == 0 and (not require_full or done == total)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE.po")
    parser.add_argument(
        "--require-full",
        action="store_true",
        help="fail when an entry is untranslated or fuzzy",
    )
    args = parser.parse_args(argv)
    ok = True
    for path in args.files:
        ok = check_file(path, args.require_full) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
