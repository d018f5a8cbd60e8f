"""A shop's adaptation learnt from its agents' corrections (lib/emotion/adapt.py)."""

from lib.emotion import detect
from lib.emotion.adapt import Adaptation, improves, train

PRODUCTS = [
    "nồi chiên",
    "áo khoác",
    "tai nghe",
    "máy xay",
    "giày chạy bộ",
    "quạt điện",
    "bình giữ nhiệt",
    "ốp lưng",
    "balo",
    "đèn bàn",
    "sạc dự phòng",
    "váy hoa",
]
# Slang this shop's customers use for "awesome", which the shipped model reads
# as a complaint ("bá cháy", "chất phát ngất").
SLANG = [
    "bá cháy luôn shop ơi",
    "chất phát ngất",
    "bá cháy bọ chét",
    "chất lừ phát ngất",
]
# Products the corrections never mention.
UNSEEN = [
    "Bàn phím chất phát ngất",
    "Máy ảnh bá cháy bọ chét",
    "Kem chống nắng chất lừ phát ngất",
    "Nệm chất phát ngất",
]
ANCHORS = [
    ("Giao hàng trễ quá, rất bực!", "angry"),
    ("Cho em hỏi đơn hàng giao chưa ạ", "neutral"),
    ("Hàng đẹp, cảm ơn shop", "satisfied"),
    ("Sản phẩm bị lỗi, tôi rất thất vọng", "disappointed"),
    ("Chưa nhận được tiền hoàn, lo quá", "worried"),
    ("Tuyệt vời, sẽ ủng hộ shop dài dài", "delighted"),
]


def _corrections():
    return [
        (f"{product.capitalize()} {slang}", "delighted")
        for product in PRODUCTS
        for slang in SLANG
    ]


def test_shipped_model_misreads_the_slang():
    # The premise of the test: without the shop's layer the slang is misread.
    for text in UNSEEN:
        assert detect(text)["label"] != "delighted", text


def test_layer_learns_the_shops_slang_and_keeps_the_rest():
    layer, report = train(_corrections(), ANCHORS * 4)
    assert report["corrections"] == len(PRODUCTS) * len(SLANG)
    assert improves(report), report
    assert report["adapted_accuracy"] > report["base_accuracy"]
    # Unseen products, same slang: the shop's meaning.
    for text in UNSEEN:
        assert detect(text, layer)["label"] == "delighted", text
    # What the shipped model already got right stays right.
    for text, label in ANCHORS:
        assert detect(text, layer)["label"] == label, text


def test_training_is_deterministic_and_round_trips():
    first, _ = train(_corrections(), ANCHORS)
    second, _ = train(_corrections(), ANCHORS)
    assert first.to_dict() == second.to_dict()
    again = Adaptation(first.to_dict())
    text = UNSEEN[0]
    assert detect(text, again) == detect(text, first)


def test_single_message_is_not_memorised():
    # A feature must occur in at least two learning examples to get a weight:
    # one odd correction changes no feature weight.
    layer, report = train([("Xyzzy quux plugh", "delighted")], [])
    assert report["features"] == 0
    assert not layer.weights


def test_too_few_corrections_are_not_kept():
    layer, report = train(_corrections()[:3], [])
    assert not improves(report)
