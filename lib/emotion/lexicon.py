"""Hand-written lexicon: the rule layer next to the statistical model.

The linear model only knows what its training data showed it; the lexicon gives
robust, explainable evidence for words any Vietnamese or English speaker would
recognise (and for escalation phrases that must never be missed).  Hits are
used three ways: as ``@category`` features of the model, as small logit bonuses
(escalation, emoji), and to compute the intensity.

Entries are written accented.  Matching runs on accent-stripped tokens; because
stripping makes some words ambiguous ("tồi"/"tôi", "điên"/"điện", "sợ"/"so"),
an entry may carry a mode prefix:

* ``=`` strict: only matches an accented text whose token is exactly this
  spelling (ignored in unaccented text, where it is too ambiguous);
* ``~`` accent-checked: in accented text the accented spelling must match, in
  unaccented text the stripped spelling is accepted.
"""

from .normalize import EMO_ANGRY, EMO_LOVE, EMO_OK, EMO_SAD, EMO_WORRY, strip_accents

LEXICON = {
    "angry": """
        bực | ~bực mình | bực tức | bức xúc | =tức | tức giận | tức điên | tức chết
        =điên | điên tiết | điên máu | phát điên | phẫn nộ | =cáu | cáu kỉnh
        khó chịu | vô trách nhiệm | =láo | mất dạy | coi thường | xem thường
        quá đáng | không thể chấp nhận | không chấp nhận được | hết chịu nổi
        chịu hết nổi | không chịu nổi | làm ăn kiểu gì | làm ăn như | kiểu gì vậy
        vớ vẩn | nhảm nhí | láo toét | lừa đảo | bị lừa | lừa khách | =lừa
        đm | =đéo | =đếch | cl | cái gì vậy | thái độ lồi lõm | thái độ tệ
        thái độ kém | hách dịch | trơ trẽn | ăn cướp | cướp tiền | bố láo | emoangry
        angry | furious | pissed | outrageous | unacceptable | ridiculous
        disgusting | disgusted | fuck | fucking | shit | hate | rude | annoyed
        annoying | mad | sick of | fed up | wtf | damn | insane | nonsense
        incompetent | scam | scammed | fraud | liar | lying | stolen
    """,
    "disappointed": """
        thất vọng | ~buồn | ~chán | chán nản | ~tệ | tồi tệ | =tồi | ~kém | =dở
        không như mong đợi | không như quảng cáo | tiếc | đáng tiếc | hụt hẫng
        mất niềm tin | =chậm | chậm trễ | ~trễ | trễ hẹn | ~lâu | quá lâu | ~hư
        =hỏng | hư hỏng | bị lỗi | lỗi nữa | lại lỗi | không dùng được | phí tiền
        tiền mất tật mang | chẳng ra gì | không ra gì | huhu | hic | emosad
        disappointed | disappointing | disappointment | sad | unhappy | let down
        bad | poor | terrible | awful | not worth | waste | useless | broken
        slow | late | delay | delayed | sucks | worse | worst | regret | meh
        frustrated | frustrating | upset | horrible | faulty | defective
    """,
    "worried": """
        =lo | lo lắng | lo quá | lo ngại | đang lo | hơi lo | rất lo | =sợ | sợ rằng
        sợ là | chưa nhận được | chưa nhận | chưa thấy | chưa có | bao giờ | khi nào
        liệu | có sao không | an toàn không | mất tiền | bị trừ tiền | trừ tiền
        hoang mang | sốt ruột | bồn chồn | cần gấp | =gấp | không yên tâm
        băn khoăn | hồi hộp | chưa được giải quyết | chưa ai liên hệ | không biết
        emoworry | worried | worry | concerned | afraid | scared | nervous | anxious
        urgent | asap | haven't received | not received | not arrived | where is
        when will | what if | is it safe | unsure | not sure | confused | panic
    """,
    "satisfied": """
        hài lòng | =ổn | ổn rồi | tạm ổn | tốt | ok | cảm ơn | cám ơn | thanks
        nhiệt tình | chu đáo | đã nhận được | đã giải quyết | được rồi | yên tâm
        đúng hẹn | nhanh chóng | chuyên nghiệp | hỗ trợ tốt | tận tình | lịch sự
        dễ thương | đáng tiền | hợp lý | ưng | ổn định | emook
        good | fine | satisfied | thank | thank you | appreciate | appreciated
        helpful | resolved | works | on time | fast | quick | nice | polite
        professional | recommend | no problem | fixed | glad | like | liked
    """,
    "delighted": """
        tuyệt vời | xuất sắc | ~tuyệt | =đỉnh | đỉnh cao | =xịn | xịn xò
        siêu thích | thích | ~yêu | =mê | ~vui | vui quá | hạnh phúc | 10 điểm
        =ưng ý | quá đỉnh | hoàn hảo | trên cả tuyệt vời | ngoài mong đợi
        vượt mong đợi | rất thích | cực kỳ hài lòng | mãi yêu | sẽ ủng hộ
        ủng hộ dài dài | 5 sao | năm sao | emolove
        amazing | awesome | excellent | perfect | love | loved | wonderful
        fantastic | great | delighted | thrilled | best | happy | incredible
        outstanding | brilliant | superb | exceeded | wow | yay
    """,
    "escalation": """
        hoàn tiền | trả lại tiền | đòi tiền | đòi lại tiền | lừa đảo | bị lừa
        =kiện | khởi kiện | sẽ kiện | đi kiện | ra tòa | báo công an | công an
        đăng lên mạng | đăng mạng | đăng lên facebook | đăng facebook | đăng fb
        lên facebook | lên mạng | bóc phốt | tẩy chay | báo chí | lên báo
        bảo vệ người tiêu dùng | cục cạnh tranh | một sao | 1 sao
        không bao giờ mua | không bao giờ quay lại | hủy hợp đồng
        refund | scam | scammed | fraud | chargeback | charge back | lawyer
        attorney | sue | lawsuit | legal action | court | consumer protection
        never buy | never again | dispute | report you | police
    """,
    "intensifier": """
        rất | ~quá | =lắm | cực kỳ | cực kì | =cực | vô cùng | siêu | quá trời
        quá xá | hết sức | thật sự | thực sự | =vãi | vãi cả | kinh khủng
        khủng khiếp | hoàn toàn | quá mức | cực độ | cực kỳ | bao nhiêu lần
        mấy lần | nhiều lần | lần thứ | nữa rồi | chút nào | gì cả
        very | so | extremely | really
        totally | absolutely | super | incredibly | terribly | highly | too
        seriously | completely | utterly | again
    """,
    "hedge": """
        =hơi | hơi hơi | một chút | chút ít | chút xíu | =tí | một tí | =tạm | tạm được
        =khá | xíu | có vẻ | a bit | a little | slightly | kind of | somewhat
        sort of | bit | minor | small
    """,
    "strong": """
        kinh khủng | tồi tệ | khủng khiếp | tệ hại | tệ nhất | ghê tởm
        không thể chấp nhận | lừa đảo | tuyệt vời | xuất sắc | hoàn hảo
        trên cả tuyệt vời | worst | horrible | terrible | awful | disgusting
        amazing | perfect | outstanding | best ever | never again | furious
        incredible | fantastic
    """,
    "negation": """
        không | ~chẳng | =chả | ~chưa | đâu có | không hề | chẳng hề | =đừng
        not | no | never | nothing | without | hardly | neither | nor
    """,
}

EMOJI_LABEL = {
    EMO_ANGRY: "angry",
    EMO_SAD: "disappointed",
    EMO_WORRY: "worried",
    EMO_OK: "satisfied",
    EMO_LOVE: "delighted",
}
POLAR = frozenset(("angry", "disappointed", "worried", "satisfied", "delighted"))
POSITIVE = frozenset(("satisfied", "delighted"))
NEGATIVE = frozenset(("angry", "disappointed"))


def _build_index():
    """first stripped token -> [(stripped tuple, accented tuple, category, mode)]."""
    index = {}
    for category, block in LEXICON.items():
        for raw in block.replace("\n", "|").split("|"):
            entry = raw.strip()
            if not entry:
                continue
            mode = ""
            if entry[0] in "=~":
                mode, entry = entry[0], entry[1:]
            accented = tuple(entry.lower().split())
            stripped = tuple(strip_accents(entry.lower()).split())
            index.setdefault(stripped[0], []).append(
                (stripped, accented, category, mode)
            )
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


INDEX = _build_index()


def _match_at(a, i, entry):
    """Does ``entry`` match the analysed tokens at position ``i``?"""
    stripped, accented, _category, mode = entry
    n = len(stripped)
    if tuple(a.tokens[i : i + n]) != stripped:
        return False
    if mode == "=" and not a.diacritics:
        return False
    if mode and a.diacritics:
        return tuple(a.accented[i : i + n]) == accented
    return True


def _negated(a, spans, start):
    """A negation ending within the two tokens before ``start``."""
    for neg_start, neg_end in spans:
        if start - 2 <= neg_end <= start and neg_start < start:
            return True
    return False


def lexicon_hits(a):
    """Count lexicon categories in an :class:`Analysis`, with negation handled.

    A negated positive word ("không hài lòng", "not happy") counts as
    ``disappointed`` (and ``negated_positive``, which the rules weigh more); a
    negated negative word ("không tệ", "not bad") as ``satisfied``; a negated
    worry ("không lo") is dropped.
    """
    tokens = a.tokens
    hits = {}
    found = []
    neg_spans = []
    covered = {}
    for i, tok in enumerate(tokens):
        entries = INDEX.get(tok)
        if not entries:
            continue
        seen = set()
        for entry in entries:
            category = entry[2]
            if category in seen or covered.get(category, 0) > i:
                continue
            if not _match_at(a, i, entry):
                continue
            seen.add(category)
            covered[category] = i + len(entry[0])
            if category == "negation":
                neg_spans.append((i, i + len(entry[0])))
            else:
                found.append((i, category))
    for start, category in found:
        if category in POLAR and neg_spans and _negated(a, neg_spans, start):
            if category in POSITIVE:
                hits["negated_positive"] = hits.get("negated_positive", 0) + 1
                category = "disappointed"
            elif category in NEGATIVE:
                category = "satisfied"
            else:
                continue
        hits[category] = hits.get(category, 0) + 1
    if neg_spans:
        hits["negation"] = len(neg_spans)
    return hits
