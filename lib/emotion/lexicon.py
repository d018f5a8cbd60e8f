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
        hết kiên nhẫn | mất kiên nhẫn | xử lý dứt điểm | giải quyết dứt điểm
        ức chế | cay cú | cay thật | mặt dày | giả tạo | lươn lẹo | =xạo | =khinh
        =nhục | nhục nhã | đáng khinh
        tức quá | tức thật | cáu quá | ~ghét | ghét thật | đáng ghét | ghê tởm
        kinh tởm | =tởm | khốn nạn | súc vật | vô duyên | vô học | vô văn hóa
        =ngu | =đồ ngu | ngu dốt | ngu si | =ngu vậy | =ngu thế | óc chó | rác rưởi
        =đểu | láo quá | đáng đời | ~chửi | =cút | =tồi quá | =quá tồi
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
        =lỗi | vẫn lỗi | còn lỗi | lỗi y chang | hàng lỗi | máy lỗi
        =cô đơn | thất tình | hối hận | =nản | chán nản | chạnh lòng | rưng rưng
        nghẹn ngào | tâm trạng quá
        thương ghê | thương lắm | thương thật | thấy thương | khổ thật | khổ quá
        vất vả quá | buồn ghê | tiếc ghê | tiếc thật
        chậm quá | quá chậm | rất chậm | giao chậm | ship chậm | hơi chậm
        tệ quá | quá tệ | tệ thật | =dở quá | dở tệ | dở ẹc | ~móp | móp méo | =méo
        ~rách | bị rách | =vỡ | bị vỡ | bị bể | trầy xước | bị trầy | bị hỏng
        hỏng rồi | tội nghiệp | =tội quá | thương quá | ~xót | xót xa | đau lòng
        muốn khóc | ~khóc | rơi nước mắt | chán đời | tủi thân | tuyệt vọng
        mệt mỏi | không giống hình | khác hình | không như hình | kém chất lượng
        chất lượng kém | phí tiền | không đáng tiền | lần sau không mua
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
        căng thẳng | hãi hùng | ớn lạnh | ghê quá | run quá | ~lo sợ
        rợn người | thót tim | hoảng hồn | lo ghê | lo thật
        sợ quá | sợ là | sợ bị | rất sợ | hơi sợ | đáng sợ | sợ hãi | hết hồn
        hú hồn | rùng mình | =rợn | ~khiếp | kinh dị | ám ảnh | ~hoảng | =hãi
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
        ~đẹp | =sạch | sạch sẽ | ngon | ~mượt | =êm | =bền | vừa vặn
        ~xinh | ~thơm | tiện lợi | thân thiện | vui vẻ | dễ dùng | đúng giờ
        ổn áp | cũng ổn | khá ổn | rất ổn | vẫn ổn | đóng gói cẩn thận
        đóng gói kỹ | giao nhanh | giao hàng nhanh | ship nhanh | như hình
        giống hình | đúng mô tả | chất lượng tốt | đáng đồng tiền
        hài lòng | =ổn | ổn rồi | tạm ổn | tốt | ok | cảm ơn | cám ơn | thanks
        nhiệt tình | chu đáo | đã nhận được | đã giải quyết | được rồi | yên tâm
        đúng hẹn | nhanh chóng | chuyên nghiệp | hỗ trợ tốt | tận tình | lịch sự
        dễ thương | đáng tiền | hợp lý | ưng | ổn định | emook
        good | fine | satisfied | thank | thank you | appreciate | appreciated
        helpful | resolved | works | on time | fast | quick | nice | polite
        professional | recommend | no problem | fixed | glad | like | liked
    """,
    "delighted": """
        buồn cười | cười đau bụng | cười xỉu | cười muốn xỉu | cười sặc
        =đã quá | =quá đã | mãn nhãn | hài hước | thích thú
        haha | vui ghê | dễ thương | đáng yêu
        cute | xinh quá | đẹp quá | đỉnh thật | =đỉnh quá | đỉnh ghê | xịn quá
        =mê quá | =mê lắm | =mê luôn | chúc mừng | tự hào | ngon quá | quá ngon
        tuyệt vời | xuất sắc | ~tuyệt | =đỉnh | đỉnh cao | =xịn | xịn xò
        siêu thích | thích | ~yêu | =mê | ~vui | vui quá | hạnh phúc | 10 điểm
        =ưng ý | quá đỉnh | hoàn hảo | trên cả tuyệt vời | ngoài mong đợi
        vượt mong đợi | rất thích | cực kỳ hài lòng | mãi yêu | sẽ ủng hộ
        ủng hộ dài dài | 5 sao | năm sao | emolove
        amazing | awesome | excellent | perfect | love | loved | wonderful
        fantastic | great | delighted | thrilled | best | happy | incredible
        outstanding | brilliant | superb | exceeded | wow | yay
    """,
    "praise": """
        đúng giờ thật | đúng hẹn thật | tiết kiệm ghê | ổn định thật | nhanh thế
        cảm ơn vì | cám ơn vì | cảm ơn shop vì | cảm ơn bạn vì | uy tín quá
        ~hay lắm | hay thật | hay ghê | hay quá ha | giỏi thật | giỏi ghê | giỏi quá
        tuyệt vời thật | tuyệt thật | nhanh thật | nhanh ghê | nhanh quá ha
        chu đáo quá | chu đáo thật | đỉnh thật | đỉnh ghê | xuất sắc thật
        xịn thật | uy tín thật | uy tín ghê | tốt thật | tốt ghê | cảm ơn vì đã
        cám ơn vì đã | cảm ơn đã cho | chuyên nghiệp thật | chuyên nghiệp ghê
        tận tâm thật | đáng khen thật | thanks for nothing | great job | well done
        nice job | so fast | very professional | thank you for making
    """,
    "event": """
        bị delay | delay có | delay 0 | trễ 0 | muộn 0
        giao nhầm | gửi nhầm | giao sai | gửi sai | giao thiếu | gửi thiếu
        nhầm size | nhầm màu | sai size | sai màu | thay vì
        =chờ 0 | chờ 0 tuần | chờ 0 tháng | chờ 0 ngày | chờ 0 tiếng | đợi 0
        0 ngày rồi | 0 tiếng rồi | 0 tuần rồi | 0 tháng rồi
        vẫn chưa | =mãi chưa | =mãi không | chưa thấy | vẫn đang | nhạc chờ | im re
        bặt vô âm tín | mất hút | bốc hơi | không ai nghe | không ai trả lời
        wrong size | wrong item | still not
        still no | on hold
    """,
    "count": """
        lần thứ | lần thứ 0 | lần thứ ba | lần thứ tư | lần thứ năm | mấy lần rồi
        0 lần rồi | 0 cuộc | third time | fourth time
    """,
    "contrast": """
        nhưng | nhưng mà | tuy nhiên | có điều | chỉ có điều | chỉ có cái
        chỉ tiếc là | chỉ tiếc | tiếc là | tiếc cái | ~mỗi tội
        ngoại trừ | trừ việc | =có mỗi | but | however | though | although
        except | only thing
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
        hơi chậm | hơi móp | hơi yếu | hơi nhỏ | hơi rộng | hơi chật | hơi mỏng
        hơi đắt | hơi lâu | hơi ít | hơi nhạt | hơi mặn | hơi ồn | hơi trễ | hơi xước
        hơi lỏng | hơi cứng | hơi khác | tí xíu | góp ý nhỏ | góp ý chút | không sao
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
_POS_CUES = frozenset(("satisfied", "delighted", "praise"))
_NEG_CUES = frozenset(("angry", "disappointed", "worried", "event"))


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
    tokens = a.tokens
    # Most entries sharing a first word ("hơi …", "đáng …") differ at the second:
    # compare it before building the slice.
    if n > 1 and (i + 1 >= len(tokens) or tokens[i + 1] != stripped[1]):
        return False
    if n > 2 and tuple(tokens[i : i + n]) != stripped:
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
    _cues(found, hits)
    return hits


def _cues(found, hits):
    """Contrast and irony cues from the positions of the categories found.

    * ``tail_<label>``: a polar category in the clause after the last contrast
      marker ("…, nhưng / chỉ tiếc là / mỗi tội …"), which usually decides;
    * ``but_neg`` (praise or thanks, then a complaint), ``but_minor`` (the same
      with a hedge in the complaint: "chỉ tiếc là hộp hơi móp") and ``but_pos``
      (a complaint, then praise);
    * ``irony``: ironic praise ("hay lắm", "tuyệt vời thật") next to a
      complaint event ("giao nhầm", "chờ 3 tuần") with no contrast marker (a
      count such as "lần thứ 4" only with a problem word: "mua lần thứ 3 rồi,
      lần nào cũng ưng" is praise); ``pos_event``: any positive word with
      such an event.
    """
    marks = [start for start, category in found if category == "contrast"]
    if marks:
        cut = marks[-1]
        head = {c for start, c in found if start < cut}
        tail = {c for start, c in found if start > cut}
        for category in tail & POLAR:
            hits["tail_" + category] = 1
        if head & _POS_CUES:
            if tail & _NEG_CUES:
                hits["but_neg"] = 1
                if "hedge" in tail:
                    hits["but_minor"] = 1
        elif head & _NEG_CUES and tail & POSITIVE:
            hits["but_pos"] = 1
        return
    complaint = "event" in hits or ("count" in hits and hits.keys() & NEGATIVE)
    if complaint and "praise" in hits:
        hits["irony"] = 1
    if "event" in hits and hits.keys() & POSITIVE:
        hits["pos_event"] = 1
