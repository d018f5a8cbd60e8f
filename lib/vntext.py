"""Vietnamese text helpers shared by the models and the offline tests.

Pure Python, no Odoo import: the accent folding and the phone normalisation must
give the same answer in the ORM (stored search keys), in controllers and in tests.
"""

import re
import unicodedata

# "đ" does not decompose under NFD, so it is folded explicitly.
_EXTRA_FOLD = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D")


def fold(text):
    """Lower-case ``text`` and remove Vietnamese (and other Latin) diacritics.

    ``fold("Đơn hàng BỊ LỖI")`` is ``"don hang bi loi"``: what a user types without
    accents must match what a customer wrote with them.
    """
    if not text:
        return ""
    text = str(text).translate(_EXTRA_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def phone_key(phone):
    """Return the national significant number of a Vietnamese phone number.

    ``+84 912 345 678``, ``84912345678``, ``0912.345.678`` and ``(091) 234-5678``
    all give ``912345678``, so one customer calling from any of those spellings is
    the same customer. Numbers too short to be a subscriber number give ``""``.
    """
    if not phone:
        return ""
    raw = str(phone).strip()
    digits = _NON_DIGIT.sub("", raw)
    if raw.startswith("+") and not digits.startswith("84"):
        # A foreign number: keep it whole with its country code, never fold it.
        return digits if len(digits) >= 7 else ""
    if digits.startswith("0084"):
        digits = digits[4:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 8 else ""
