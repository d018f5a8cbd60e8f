"""Keep the translations of demo records in i18n/vi.po across tools/i18n_export.sh.

The template is exported from a database without demo data, so msgmerge would make
the entries of demo records (e.g. ``model:care.topic,name:...care_topic_orders_demo``)
obsolete. ``save`` copies the entries whose every reference names a ``*_demo`` record
aside; ``restore`` drops their obsolete copies from the merged file and appends them.

Usage: i18n_keep_demo.py save PO SAVED | restore PO SAVED
"""

import re
import sys

DEMO_REF = re.compile(r"^#: model:[\w.]+,\w+:\w+\.\w+_demo$")


def blocks(text):
    return [b for b in text.strip("\n").split("\n\n") if b.strip()]


def is_demo(block):
    refs = [line for line in block.splitlines() if line.startswith("#: ")]
    return bool(refs) and all(DEMO_REF.match(line) for line in refs)


def msgid(block, obsolete=False):
    prefix = '#~ msgid "' if obsolete else 'msgid "'
    for line in block.splitlines():
        if line.startswith(prefix):
            return line[len(prefix) - 1 :]
    return None


def main(action, po, saved):
    with open(po, encoding="utf-8") as f:
        text = f.read()
    if action == "save":
        demo = [b for b in blocks(text) if is_demo(b)]
        with open(saved, "w", encoding="utf-8") as f:
            f.write("\n\n".join(demo))
        return
    with open(saved, encoding="utf-8") as f:
        demo = blocks(f.read())
    ids = {msgid(b) for b in demo}
    kept = [b for b in blocks(text) if msgid(b, obsolete=True) not in ids]
    active = {msgid(b) for b in kept}
    kept += [b for b in demo if msgid(b) not in active]
    with open(po, "w", encoding="utf-8") as f:
        f.write("\n\n".join(kept) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
