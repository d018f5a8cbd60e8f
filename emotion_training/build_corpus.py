"""Compose ``corpus_vi.tsv`` from the hand-written templates in ``fragments.txt``.

Every template line was written by hand for this project.  This script only
fills the slots ({sp}, {ma}...), picks one of the ``[a|b]`` alternatives and
renders each template in several channels and writing styles (accented,
unaccented, teencode, e-mail with greeting/signature/quoted reply, portal form,
expressive chat with emoji).  All variants of one template share a ``group``
so that the train/test split can be made by group.  Deterministic (fixed seed).

Usage: python3 emotion_training/build_corpus.py  (writes corpus_vi.tsv)
"""

import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from lib.emotion.normalize import strip_accents  # noqa: E402

SEED = 20240601
LABELS = ("angry", "disappointed", "worried", "neutral", "satisfied", "delighted")

SLOTS_VI = {
    "sp": (
        "tủ lạnh|máy giặt|điện thoại|laptop|tivi|điều hòa|máy lọc nước|nồi cơm điện|"
        "tai nghe|máy hút bụi|lò vi sóng|quạt điều hòa|loa bluetooth|máy in|"
        "đồng hồ thông minh|bình nóng lạnh|máy sấy tóc|máy tính bảng|bếp từ|"
        "máy lọc không khí|robot hút bụi|camera an ninh|router wifi|máy rửa bát"
    ).split("|"),
    "nv": (
        "nhân viên giao hàng|kỹ thuật viên|tổng đài viên|nhân viên cửa hàng|"
        "bạn tư vấn|anh shipper|nhân viên bảo hành|bạn trực page|anh thợ lắp đặt"
    ).split("|"),
    "tg": (
        "hôm qua|tuần trước|thứ hai|3 hôm trước|sáng nay|ngày 12/5|đầu tháng|"
        "chiều thứ sáu|hôm kia|cuối tuần trước"
    ).split("|"),
    "tien": "1.500.000đ|2 triệu|350k|4.990.000 VNĐ|12.490.000đ|890k|7 triệu".split("|"),
}
SLOTS_EN = {
    "sp": (
        "fridge|washing machine|phone|laptop|TV|air conditioner|water purifier|"
        "rice cooker|headphones|vacuum cleaner|microwave|speaker|printer|tablet"
    ).split("|"),
    "nv": "delivery driver|technician|call centre agent|store clerk".split("|"),
    "tg": "yesterday|last week|Monday|three days ago|this morning".split("|"),
    "tien": "1,500,000 VND|$120|2 million dong|$49".split("|"),
}
NAMES = (
    "Nguyễn Văn An|Trần Thị Bích|Lê Minh Hoàng|Phạm Thu Hà|Hoàng Quốc Bảo|"
    "Vũ Ngọc Lan|Đặng Tuấn Anh|Bùi Thanh Tâm|Đỗ Khánh Linh|Ngô Gia Huy"
).split("|")
EN_NAMES = "John|Sarah Nguyen|Mike T.|Linh Tran|David|Anna".split("|")

GREET_VI = (
    "Chào shop,|Kính gửi bộ phận chăm sóc khách hàng,|Gửi anh/chị,|Chào bạn,|"
    "Dear team,|Chào bộ phận CSKH,|Xin chào,"
).split("|")
SIGN_VI = (
    "Trân trọng,\n{name}",
    "Trân trọng.",
    "Thân ái,\n{name}",
    "-- \n{name}\nSĐT: 0912 345 678",
    "Gửi từ iPhone của tôi",
    "Best regards,\n{name}",
    "{name}",
)
QUOTE_VI = (
    "Vào {tg} lúc 09:15, CSKH <cskh@dienmay.vn> đã viết:\n"
    "> Cảm ơn anh/chị đã liên hệ. Chúng tôi rất tiếc về sự bất tiện này.\n"
    "> Đơn hàng đang được xử lý, rất mong anh/chị thông cảm!",
    "-----Original Message-----\nFrom: CSKH <cskh@dienmay.vn>\nSent: Monday\n"
    "Subject: Phản hồi yêu cầu\n\nTuyệt vời! Chúc anh/chị một ngày vui vẻ.",
    "On Mon, 3 Jun 2024 at 10:02, Hỗ trợ <support@dienmay.vn> wrote:\n"
    "> Xin lỗi vì sự chậm trễ, chúng tôi đã ghi nhận khiếu nại.",
)
GREET_EN = "Hi team,|Hello,|Dear support,|Hi,".split("|")
SIGN_EN = ("Best regards,\n{name}", "Thanks,\n{name}", "Sent from my iPhone", "{name}")
QUOTE_EN = (
    "On Tue, 4 Jun 2024 at 14:20, Support <support@shop.vn> wrote:\n"
    "> We're sorry for the inconvenience and will get back to you soon.",
    "From: Support <support@shop.vn>\nSent: Tuesday\nTo: me\n\n"
    "Great news! Your order is on its way :)",
)
PORTAL_TITLES = (
    "Đơn hàng {ma}|Hỗ trợ {sp}|Phản hồi dịch vụ|Yêu cầu hỗ trợ|Bảo hành|Góp ý|"
    "Thanh toán|Giao hàng|Lắp đặt"
).split("|")
PORTAL_EN_TITLES = "Order {ma}|Support request|Feedback|Warranty|Delivery".split("|")
CHAT_PREFIX = ("", "", "", "Shop ơi, ", "Alo ", "Ad ơi, ", "Chào shop, ", "Dạ ")
EXPRESSIVE = {
    "angry": ("!!!", " 😡😡", " 😤", "!!", " >:(", "?!", " 🤬"),
    "disappointed": (" :(", " :((", " 😞", " 😔", " hic", " huhu", " 😢", " 😭"),
    "worried": (" 😟", " 😰", " 🥺", "???", " 😥", " huhu", " 😨"),
    "neutral": (" ạ", "?", " nhé", " nha", ".", " ạ."),
    "satisfied": (" :)", " 👍", " 🙂", " ^^", " 😊", " 👌"),
    "delighted": (" ❤️", " 😍😍", " 🥰", " =))", " :D", "!!!", " 🎉", " ❤️❤️"),
}
ELONGATE = ("quá", "tệ", "lắm", "ghê", "vui", "đẹp", "chán", "lâu", "luôn", "thích")

TEEN_FORWARD = {
    "không": ("ko", "k", "hok", "kh", "hông", "khum"),
    "được": ("dc", "đc", "dk"),
    "rồi": ("r", "rùi"),
    "gì": ("j",),
    "với": ("vs",),
    "người": ("ng",),
    "biết": ("bít", "bik"),
    "mọi người": ("mn",),
    "cũng": ("cx",),
    "trước": ("trc",),
    "quá": ("wá", "qá", "quá"),
    "vậy": ("z", "v"),
    "sản phẩm": ("sp",),
    "nhân viên": ("nv",),
    "đơn hàng": ("đh", "dh"),
    "mình": ("mik", "mk", "mh"),
    "yêu": ("iu",),
    "nhiều": ("nhìu",),
    "buồn": ("bùn",),
    "thích": ("thik",),
    "luôn": ("lun",),
    "muốn": ("mún",),
    "bao giờ": ("bh",),
    "điện thoại": ("đt",),
    "trả lời": ("rep",),
    "em": ("e",),
    "như thế nào": ("ntn",),
    "bao nhiêu": ("bn",),
    "nhưng": ("nhg",),
    "ạ": ("ak", "a"),
    "nhé": ("nha", "nhe"),
    "thôi": ("thui",),
    "shop": ("sốp", "shop"),
}
_TEEN_RE = re.compile(
    r"(?<!\w)("
    + "|".join(sorted(map(re.escape, TEEN_FORWARD), key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
_SLOT = re.compile(r"\{(\w+)\}")
_ALT = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_HEADER = re.compile(r"^\[(\w+):(\w+)\]$")


def read_fragments(path):
    """Parse fragments.txt into {(label, kind): [template, ...]}."""
    sections = {}
    current = None
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            header = _HEADER.match(line)
            if header:
                current = (header.group(1), header.group(2))
                sections[current] = []
            elif current is not None:
                sections[current].append(line)
    return sections


def fill(template, rng, english=False):
    """Resolve [a|b] alternatives and {slot}s of one template."""
    text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    slots = SLOTS_EN if english else SLOTS_VI

    def _slot(match):
        name = match.group(1)
        if name == "ma":
            return rng.choice(("DH", "#", "SO", "ĐH")) + str(rng.randint(10000, 99999))
        if name == "n":
            return str(rng.randint(2, 9))
        return rng.choice(slots[name])

    return _SLOT.sub(_slot, text)


def teencode(text, rng):
    """Rewrite a sentence the way many customers type in chat."""

    def _sub(match):
        word = match.group(0)
        options = TEEN_FORWARD.get(word.lower())
        if not options or rng.random() < 0.15:
            return word
        return rng.choice(options)

    out = _TEEN_RE.sub(_sub, text)
    if rng.random() < 0.6:
        out = strip_accents(out)
    if rng.random() < 0.7:
        out = out.lower()
    return out.rstrip(".")


def casual(text, rng):
    """Chat habits: optional opener, lower-case start, no final full stop."""
    text = rng.choice(CHAT_PREFIX) + text
    if rng.random() < 0.3:
        text = text[0].lower() + text[1:]
    if rng.random() < 0.5:
        text = text.rstrip(".")
    return text


def expressive(text, label, rng):
    """Add label-consistent emoji/punctuation, CAPS or an elongated word."""
    text = text.rstrip(".!")
    for word in ELONGATE:
        if label != "neutral" and f" {word}" in text and rng.random() < 0.5:
            i = text.index(f" {word}") + 1 + len(word)
            text = text[:i] + word[-1] * rng.randint(2, 5) + text[i:]
            break
    if label == "angry" and rng.random() < 0.3:
        text = text.upper()
    return text + rng.choice(EXPRESSIVE[label])


def email(body, rng, english=False):
    """Wrap a body like a customer e-mail, sometimes with a quoted reply."""
    greet = rng.choice(GREET_EN if english else GREET_VI)
    sign = rng.choice(SIGN_EN if english else SIGN_VI)
    name = rng.choice(EN_NAMES if english else NAMES)
    parts = [greet, "", body]
    if not english and rng.random() < 0.3:
        parts.append(fill("Mã đơn hàng: {ma}.", rng))
    parts += ["", sign.format(name=name)]
    if rng.random() < 0.35:
        quote = rng.choice(QUOTE_EN if english else QUOTE_VI)
        parts += ["", fill(quote, rng, english)]
    return "\n".join(parts)


def portal(body, rng, english=False):
    """Render like a ticket submitted through the customer portal form."""
    title = fill(rng.choice(PORTAL_EN_TITLES if english else PORTAL_TITLES), rng)
    if english:
        return f"Subject: {title}\nDescription: {body}"
    if rng.random() < 0.5:
        return f"Tiêu đề: {title}\nNội dung: {body}"
    return f"[Yêu cầu hỗ trợ] {title} - {body}"


def render_vi(template, label, rng):
    """8 renderings of a Vietnamese customer template."""
    out = [
        (casual(fill(template, rng), rng), "chat", "accented"),
        (strip_accents(casual(fill(template, rng), rng)), "chat", "unaccented"),
        (teencode(casual(fill(template, rng), rng), rng), "chat", "teencode"),
        (teencode(fill(template, rng), rng), "chat", "teencode"),
        (expressive(casual(fill(template, rng), rng), label, rng), "chat", "accented"),
        (email(fill(template, rng), rng), "email", "accented"),
        (strip_accents(email(fill(template, rng), rng)), "email", "unaccented"),
    ]
    body = fill(template, rng)
    if rng.random() < 0.5:
        out.append((portal(body, rng), "portal", "accented"))
    else:
        out.append((strip_accents(portal(body, rng)), "portal", "unaccented"))
    return out


def render_call(template, rng):
    """Agents' call notes: accented, unaccented, and with a time prefix."""
    prefix = rng.choice(("Cuộc gọi 9h15: ", "Ghi chú: ", "[Inbound] ", "CALL - "))
    return [
        (fill(template, rng), "call", "accented"),
        (strip_accents(fill(template, rng)), "call", "unaccented"),
        (prefix + fill(template, rng), "call", "accented"),
    ]


def render_en(template, rng):
    return [
        (fill(template, rng, True), "chat", "english"),
        (email(fill(template, rng, True), rng, True), "email", "english"),
        (portal(fill(template, rng, True), rng, True), "portal", "english"),
    ]


def render_mix(template, label, rng):
    return [
        (casual(fill(template, rng), rng), "chat", "mixed"),
        (teencode(fill(template, rng), rng), "chat", "mixed"),
        (email(expressive(fill(template, rng), label, rng), rng), "email", "mixed"),
    ]


def build(fragments_path):
    """All corpus rows: (text, label, channel, style, group)."""
    rng = random.Random(SEED)
    rows = []
    for (label, kind), templates in sorted(read_fragments(fragments_path).items()):
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        for i, template in enumerate(templates):
            group = f"{label}-{kind}-{i:03d}"
            if kind == "vi":
                rendered = render_vi(template, label, rng)
            elif kind == "call":
                rendered = render_call(template, rng)
            elif kind == "en":
                rendered = render_en(template, rng)
            else:
                rendered = render_mix(template, label, rng)
            for text, channel, style in rendered:
                rows.append((text, label, channel, style, group))
    return rows


def escape(text):
    """TSV cell: newlines and tabs escaped so that one row stays one line."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unescape(cell):
    """Inverse of :func:`escape`."""
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), cell
    )


def main():
    rows = build(os.path.join(HERE, "fragments.txt"))
    path = os.path.join(HERE, "corpus_vi.tsv")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("text\tlabel\tchannel\tstyle\tgroup\n")
        for text, label, channel, style, group in rows:
            fh.write(f"{escape(text)}\t{label}\t{channel}\t{style}\t{group}\n")
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
