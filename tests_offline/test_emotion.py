"""Offline tests of lib.emotion (pure Python, no Odoo).

Fixed examples per label and per writing style; each test asserts an outcome.
The sentences here are written for the tests and are not corpus templates.
"""

import ast
import os
import subprocess
import sys

import pytest

from lib.emotion import LABELS, detect, strip_quotes_and_signature

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "lib", "emotion")


def label(text):
    return detect(text)["label"]


# --- one example per label and style ---------------------------------------

CASES = [
    # accented
    ("Shop làm ăn kiểu gì mà giao sai hàng lần thứ ba, tôi bực lắm rồi!", "angry"),
    ("Tôi khá thất vọng vì chiếc tivi không sắc nét như quảng cáo.", "disappointed"),
    ("Đơn hàng của tôi chưa nhận được, tôi lo bị thất lạc.", "worried"),
    ("Cho tôi hỏi cửa hàng ở Cầu Giấy mở cửa đến mấy giờ?", "neutral"),
    ("Nhân viên giao hàng lịch sự, hàng nhận đủ, cảm ơn shop.", "satisfied"),
    ("Tuyệt vời quá, chiếc tủ lạnh đẹp hơn cả mong đợi!", "delighted"),
    # unaccented
    ("shop lam an kieu gi ma giao sai hang lan thu ba, toi buc lam roi", "angry"),
    ("toi kha that vong vi chiec tivi khong net nhu quang cao", "disappointed"),
    ("don hang cua toi chua nhan duoc, toi lo bi that lac", "worried"),
    ("nhan vien giao hang lich su, hang nhan du, cam on shop", "satisfied"),
    ("tuyet voi qua, chiec tu lanh dep hon ca mong doi", "delighted"),
    # teencode
    ("đơn e đặt tuần trc mà h chưa thấy, ko bít có bị thất lạc ko, lo wá", "worried"),
    ("sp xài ok, giao nhanh, tks shop nhìu nha", "satisfied"),
    ("gọi hotline 5 lần ko ai nghe, làm ăn j kỳ z, bực mình vl", "angry"),
    # English
    ("You cancelled my order and kept my money, this is outrageous!", "angry"),
    ("The blender arrived with a cracked jar, quite disappointing.", "disappointed"),
    ("I'm worried the parcel is lost, tracking hasn't moved in a week.", "worried"),
    ("Could you send me the invoice for my last purchase?", "neutral"),
    ("Thanks, the replacement arrived and works fine.", "satisfied"),
    ("Wow, amazing service, the installer was fantastic!", "delighted"),
    # mixed Vietnamese-English
    ("order bị cancel mà ko ai inform, so annoying!!", "angry"),
    ("Ship nhanh, packaging đẹp, love it so much ❤️", "delighted"),
    # call notes (third person)
    ("KH phàn nàn giao hàng trễ 3 ngày, rất bức xúc, đòi gặp quản lý", "angry"),
    ("KH hỏi thời gian bảo hành máy lọc nước, đã tư vấn", "neutral"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_label_examples(text, expected):
    assert label(text) == expected


def test_result_shape():
    result = detect("Hàng tốt, cảm ơn shop")
    assert set(result) == {"label", "intensity", "confidence", "language"}
    assert result["label"] in LABELS
    assert isinstance(result["intensity"], int) and 1 <= result["intensity"] <= 5
    assert 0.0 <= result["confidence"] <= 1.0


# --- normalisation ------------------------------------------------------------


def test_accent_and_teencode_variants_agree():
    forms = [
        "Tôi không hài lòng với dịch vụ bảo hành",
        "toi khong hai long voi dich vu bao hanh",
        "t ko hài lòng vs dịch vụ bảo hành",
    ]
    labels = {label(f) for f in forms}
    assert len(labels) == 1  # same label whatever the spelling
    assert labels <= {"disappointed", "angry"}


def test_repeated_letters_are_normalised_and_raise_intensity():
    plain = detect("tệ quá :(")
    long = detect("tệeeee quáaaa :(")
    assert long["label"] == plain["label"] == "disappointed"
    assert long["intensity"] > plain["intensity"]


@pytest.mark.parametrize(
    "text",
    [
        "Tôi không hài lòng chút nào",
        "chẳng vui gì khi nhận hàng móp méo",
        "I'm not happy with this at all",
        "I don't like the product",
    ],
)
def test_negated_positive_is_negative(text):
    assert label(text) in ("disappointed", "angry")


def test_negation_not_yet_received_is_worried():
    assert label("Mình vẫn chưa nhận được hàng, không biết bao giờ mới giao") == (
        "worried"
    )


# --- sarcasm and contrast cues (lexicon._cues) --------------------------------


def _hits(text):
    from lib.emotion.detector import analyze_text

    return analyze_text(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Hay lắm, lần thứ 4 giao nhầm size rồi đấy. Cảm ơn nhé!",
        "hay lam, lan thu 4 giao nham size roi day. cam on nhe!",
        "Dịch vụ tuyệt vời thật, chờ 3 tuần chưa thấy hàng",
    ],
)
def test_ironic_praise_next_to_a_complaint_is_a_cue(text):
    assert "irony" in _hits(text)


def test_a_count_without_a_problem_is_not_irony():
    hits = _hits("Mua lần thứ 3 rồi, giỏi thật, lần nào cũng ưng")
    assert "count" in hits and "praise" in hits
    assert "irony" not in hits


@pytest.mark.parametrize(
    "text",
    [
        "Cảm ơn shop nhiều nha, hàng đẹp lắm, chỉ tiếc là hộp hơi móp",
        "cam on shop nhieu nha, hang dep lam, chi tiec la hop hoi mop",
    ],
)
def test_small_complaint_after_thanks(text):
    hits = _hits(text)
    assert {"contrast", "but_neg", "but_minor", "tail_disappointed"} <= set(hits)
    assert label(text) == "satisfied"


def test_the_clause_after_the_contrast_decides():
    hits = _hits("Giao nhầm size nhưng shop đổi ngay, cảm ơn shop")
    assert "but_pos" in hits and "tail_satisfied" in hits
    assert "irony" not in hits and "pos_event" not in hits
    assert label("Hàng đẹp nhưng giao chậm quá, chán thật") == "disappointed"


def test_unaccented_text_gets_the_same_cues():
    accented = "Hay lắm, lần thứ 4 giao nhầm size rồi đấy. Cảm ơn nhé!"
    plain = "hay lam, lan thu 4 giao nham size roi day. cam on nhe!"
    assert label(accented) == label(plain) == "angry"


@pytest.mark.parametrize("laugh", ["kkkk", "hahaha", "hihihi", "khkhkh"])
def test_written_laughter_is_one_token_not_a_negation(laugh):
    from lib.emotion.normalize import analyze

    assert analyze(f"{laugh} vui ghê").tokens[0] == "haha"
    assert "negation" not in _hits(f"{laugh} vui ghê")


def test_intensifiers_raise_intensity():
    base = detect("Giao hàng chậm")
    strong = detect("Giao hàng cực kỳ chậm, vô cùng thất vọng")
    assert base["label"] == strong["label"] == "disappointed"
    assert strong["intensity"] > base["intensity"]
    assert (
        detect("very very disappointed")["intensity"]
        > detect("disappointed")["intensity"]
    )


def test_hedge_gives_low_intensity():
    result = detect("hơi chậm")
    assert result["label"] == "disappointed"
    assert result["intensity"] == 1


def test_shouting_escalation_gives_max_intensity():
    result = detect("QUÁ TỆ!!! tôi sẽ kiện")
    assert result["label"] == "angry"
    assert result["intensity"] == 5


@pytest.mark.parametrize(
    "phrase",
    [
        "tôi yêu cầu hoàn tiền",
        "đây là lừa đảo",
        "tôi sẽ báo công an",
        "tôi sẽ đăng lên facebook",
        "mọi người tẩy chay shop này đi",
        "I want a refund or I'll call my lawyer",
        "this is a scam, filing a chargeback",
    ],
)
def test_escalation_raises_intensity_and_pushes_to_angry(phrase):
    base = detect("Đơn hàng giao trễ một tuần")
    escalated = detect("Đơn hàng giao trễ một tuần, " + phrase)
    assert escalated["label"] == "angry"
    assert escalated["intensity"] > base["intensity"]
    assert escalated["intensity"] >= 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("giao hàng rồi 😡😡", "angry"),
        ("máy lại hỏng :((", "disappointed"),
        ("hàng vỡ rồi 😭", "disappointed"),
        ("nhận được rồi nha 👍", "satisfied"),
        ("đẹp lắm luôn ❤️❤️", "delighted"),
        ("ok shop ^^", "satisfied"),
        ("hàng xịn quá =))", "delighted"),
    ],
)
def test_emoji_and_emoticons(text, expected):
    assert label(text) == expected


def test_emoji_alone_is_scored():
    assert label("😡") == "angry"
    assert label("❤️") == "delighted"


# --- quotes, signatures, HTML ----------------------------------------------------


def test_strip_reply_headers():
    vi = "Hàng chưa tới.\n\nVào 10:00 ngày 3/6, CSKH <a@b.vn> đã viết:\n> Xin lỗi"
    en = "Still broken.\n\nOn Mon, 3 Jun 2024 at 10:00, Support <a@b.c> wrote:\n> Hi"
    outlook = "Thanks.\n-----Original Message-----\nFrom: x\nSent: y\n\nold text"
    headers = "Ok.\nFrom: Support <a@b.c>\nSent: Monday\nTo: me\n\nold text"
    assert strip_quotes_and_signature(vi) == "Hàng chưa tới."
    assert strip_quotes_and_signature(en) == "Still broken."
    assert strip_quotes_and_signature(outlook) == "Thanks."
    assert strip_quotes_and_signature(headers) == "Ok."


def test_strip_quoted_lines_and_signatures():
    text = "> tuyệt vời!\nTôi vẫn chưa nhận hàng\n-- \nNam\n0912345678"
    assert strip_quotes_and_signature(text) == "Tôi vẫn chưa nhận hàng"
    for sign in (
        "Trân trọng,\nAn",
        "Best regards,\nJohn",
        "Sent from my iPhone",
        "Gửi từ iPhone của tôi",
    ):
        assert strip_quotes_and_signature("Hàng lỗi.\n\n" + sign) == "Hàng lỗi."


def test_signature_opener_kept_when_it_is_the_message():
    assert strip_quotes_and_signature("Trân trọng cảm ơn shop") == (
        "Trân trọng cảm ơn shop"
    )


def test_quoted_thread_does_not_change_the_label():
    body = "Đã 2 tuần rồi mà tôi chưa nhận được tiền hoàn, tôi rất bực mình!"
    mail = (
        f"Chào shop,\n\n{body}\n\nTrân trọng,\nAn\n\n"
        "Vào 10:00 ngày 3/6, CSKH đã viết:\n> Tuyệt vời, cảm ơn anh rất nhiều! ❤️"
    )
    assert detect(mail) == detect(f"Chào shop,\n\n{body}")
    assert label(mail) in ("angry", "worried")


def test_html_input():
    html = (
        "<html><body><div>Cảm ơn shop, <b>giao hàng rất nhanh</b>!<br>"
        "Mình rất hài lòng &amp; sẽ ủng hộ tiếp.</div>"
        "<blockquote>Tôi rất bực mình, lừa đảo!</blockquote>"
        '<div class="gmail_quote">On Mon wrote: scam scam</div></body></html>'
    )
    text = strip_quotes_and_signature(html)
    assert "<" not in text and "&amp;" not in text
    assert "lừa đảo" not in text
    assert label(html) in ("satisfied", "delighted")


# --- empty input and language ----------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_empty_input(text):
    result = detect(text)
    assert result["label"] == "neutral"
    assert result["intensity"] == 1
    assert result["confidence"] <= 0.2
    assert result["language"] == "und"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Giao hàng nhanh, cảm ơn shop", "vi"),
        ("giao hang nhanh, cam on shop nhieu", "vi"),
        ("ko bit bh moi giao dc hang", "vi"),
        ("The delivery was fast, thank you", "en"),
        ("Order của mình bị delay 3 ngày rồi", "vi"),
        ("12345 !!!", "und"),
    ],
)
def test_language(text, lang):
    assert detect(text)["language"] == lang


# --- packaging constraints ---------------------------------------------------------


def test_no_odoo_import_in_lib():
    lib_dir = os.path.join(ROOT, "lib")
    for dirpath, _dirs, files in os.walk(lib_dir):
        for name in files:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                tree = ast.parse(fh.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    assert all(not a.name.startswith("odoo") for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    assert not (node.module or "").startswith("odoo"), name


def test_package_uses_relative_or_stdlib_imports_only():
    stdlib = sys.stdlib_module_names
    for name in os.listdir(PKG):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(PKG, name), encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in stdlib, (name, alias.name)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module.split(".")[0] in stdlib, (name, node.module)


def test_lib_init_is_docstring_only():
    with open(os.path.join(ROOT, "lib", "__init__.py"), encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    assert all(
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in tree.body
    )


def test_imports_and_runs_in_clean_interpreter_without_site_packages():
    code = (
        "import sys; from lib.emotion import detect; "
        "r = detect('Hàng tốt, cảm ơn shop'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('odoo', 'numpy', 'sklearn', 'scipy')]; "
        "assert not bad, bad; print(r['label'])"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() in ("satisfied", "delighted")


def test_model_file_small():
    size = os.path.getsize(os.path.join(PKG, "model.json.gz"))
    assert size < 3 * 1024 * 1024
