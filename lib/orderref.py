"""Order references named in what a customer writes.

Pure Python, no Odoo import: mail intake, the portal and the public form all
extract the candidate references here, then look them up in one indexed query
among the orders of that customer only (``care.ticket.sale``).
"""

import re

# Only the start of a long message is read: order references come early, and
# the regex must stay cheap on a 1 MB newsletter forwarded to the alias.
MAX_TEXT = 20000
MAX_CANDIDATES = 30
MAX_LENGTH = 64
_TAGS = re.compile(r"<[^>]*>|&[#\w]+;")
# A word of letters, digits and the separators references use (S00042,
# SO-2026/17, PO.889): starts and ends with a letter or a digit.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*[A-Za-z0-9]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[A-Za-z]")


def order_ref_candidates(*texts):
    """The words of ``texts`` (plain text or HTML) that may be order
    references, as typed and upper-cased (``s00042`` finds ``S00042``).

    A reference holds a digit. Words with letters and digits (``S00042``,
    ``PO-17``) come first, then bare numbers of four digits or more (a
    customer's own reference may be ``889123``), at most ``MAX_CANDIDATES``.
    """
    mixed, numbers = [], []
    seen = set()
    for text in texts:
        if not text:
            continue
        text = _TAGS.sub(" ", str(text)[:MAX_TEXT])
        for token in _TOKEN.findall(text):
            if len(token) > MAX_LENGTH or token in seen or not _DIGIT.search(token):
                continue
            seen.add(token)
            if _LETTER.search(token):
                mixed.append(token)
            elif len(token) >= 4:
                numbers.append(token)
    candidates = []
    for token in mixed + numbers:
        for variant in (token, token.upper()):
            if variant not in candidates:
                candidates.append(variant)
    return candidates[: MAX_CANDIDATES * 2]
