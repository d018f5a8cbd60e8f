"""Cheap clean-up of raw message bodies before emotion scoring.

Customer e-mails carry the whole previous thread (quoted replies) and a
signature; scoring those would report the emotion of our own agent's earlier
answer, or add noise such as "Trân trọng", so they are cut off first.  Everything
here is regex based and linear in the text length because it runs on every
incoming message.
"""

import html
import re

_HTML_HINT = re.compile(
    r"<\s*(?:br|p|div|span|html|body|table|tr|td|blockquote|a\s|b|i|u|strong|em|"
    r"font|ul|ol|li|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)
_HTML_DROP = re.compile(
    r"<(style|script|head|blockquote)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
# Gmail / Outlook put the quoted thread in such containers, and Odoo's mail
# gateway marks the quoted thread and signature of an incoming mail with
# ``data-o-mail-quote`` (odoo.tools.mail.tag_quote): everything from there on.
_HTML_QUOTE_DIV = re.compile(
    r"<\w+[^>]*(?:gmail_quote|divRplyFwdMsg|moz-cite-prefix|OLK_SRC_BODY"
    r"|data-o-mail-quote)[^>]*>.*",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]+>")

# A line that starts a quoted previous message: everything from it is dropped.
_QUOTE_START = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:original message|forwarded message|tin nhắn gốc|thư gốc)\s*-{2,}"
    r"|_{10,}"
    r"|on\b.{0,200}\bwrote\s*:"
    r"|vào\b.{0,200}\bđã viết\s*:"
    r"|vao\b.{0,200}\bda viet\s*:"
    r"|le\b.{0,200}\ba écrit\s*:"
    r")\s*$",
    re.IGNORECASE,
)
# "On Mon, 3 Jun 2024 at 10:00, Shop <a@b.c>" + newline + "wrote:" (Gmail wraps).
_QUOTE_START_2 = re.compile(r"^\s*(?:on|vào|vao)\b.{0,200}$", re.IGNORECASE)
_QUOTE_END_2 = re.compile(r"^\s*.{0,120}\b(?:wrote|đã viết|da viet)\s*:\s*$", re.I)
_FROM_LINE = re.compile(r"^\s*\*?(?:from|từ|tu)\s*:\*?\s", re.IGNORECASE)
_SENT_LINE = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|gửi|ngày|đến|tới|chủ đề)\s*:", re.IGNORECASE
)

# Signature openers.  Only short lines count, so that "Trân trọng cảm ơn shop đã
# hỗ trợ nhiệt tình" written as the message itself is kept.
_SIGNATURE = re.compile(
    r"^\s*(?:"
    r"--\s*"
    r"|trân trọng|tran trong|thân ái|than ai|best regards|kind regards|warm regards"
    r"|regards|best wishes|cheers|thanks (?:&|and) (?:best )?regards|br"
    r"|sent from my \w+.*|sent from (?:outlook|mail|yahoo).*|get outlook for .*"
    r"|gửi từ (?:iphone|ipad|điện thoại|thiết bị|outlook|samsung|mail).*"
    r"|gui tu (?:iphone|ipad|dien thoai|thiet bi|outlook|samsung|mail).*"
    r"|được gửi từ .*|duoc gui tu .*"
    r")[\s.!:;-]*(?:,[\s.!]*(?:\S.{0,30})?)?$",
    re.IGNORECASE,
)


def looks_like_html(text):
    """Tell HTML mail bodies from plain text without a parser (fast path)."""
    return "<" in text and _HTML_HINT.search(text) is not None


def html_to_text(text):
    """Strip tags cheaply; a real parser would cost more than the whole scoring.

    Quoted containers (blockquote, Gmail/Outlook reply divs) are removed with
    their content because they hold the earlier thread, not the new message.
    """
    text = _HTML_QUOTE_DIV.sub("", text)
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub(" ", text)
    return html.unescape(text)


def _is_signature(line):
    """A short line that opens a sign-off block ("Trân trọng,", "Sent from...")."""
    if line.strip() == "--" or line.rstrip("\r") == "-- ":
        return True
    return len(line) <= 60 and _SIGNATURE.match(line) is not None


def _quote_start(lines, i):
    """Whether line ``i`` opens a quoted earlier message (all below is dropped)."""
    line = lines[i]
    if line.lstrip().startswith(">"):
        return False  # handled line by line, text may continue below
    if _QUOTE_START.match(line):
        return True
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if _QUOTE_START_2.match(line) and _QUOTE_END_2.match(nxt) and len(line) < 200:
        return True
    if _FROM_LINE.match(line):
        following = lines[i + 1 : i + 5]
        return any(_SENT_LINE.match(x) for x in following)
    return False


def strip_quotes_and_signature(text):
    """Keep only what the customer newly wrote in this message.

    Drops ``>`` quoted lines, everything from a reply header ("On ... wrote:",
    "Vào ... đã viết:", "-----Original Message-----", "From: ... Sent: ...")
    and everything from a signature opener ("-- ", "Trân trọng", "Best regards",
    "Sent from my iPhone", "Gửi từ iPhone").  A signature opener on the first
    content line is kept: then it is the message, not a sign-off.
    """
    if not text:
        return ""
    if looks_like_html(text):
        text = html_to_text(text)
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        if _quote_start(lines, i):
            break
        if _is_signature(line) and any(k.strip() for k in kept):
            break
        kept.append(line)
    return "\n".join(kept).strip()
