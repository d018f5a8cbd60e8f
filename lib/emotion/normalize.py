"""Normalisation of Vietnamese / English customer messages.

The model is trained and scored on the same normalised, accent-stripped tokens,
so that accented, unaccented and teencode spellings of one message land on the
same features.  Steps (all cheap, regex or dict lookups):

1. emoji and emoticons become word tokens (``emoangry``...) so the linear model
   and the lexicon can use them like words;
2. written laughter of any length ("kkkk", "hahaha") becomes ``haha``;
   Vietnamese elongations ("quáaaa", "tệeeee") and letter runs ("sooo") are
   collapsed, and flagged because they signal intensity;
3. teencode / abbreviations ("ko", "dc", "bít", "j", "vs", "mn"...) are mapped to
   their accented dictionary form, English contractions are expanded;
4. accents are stripped with one ``str.translate`` (đ -> d), giving a token list
   aligned 1:1 with the accented one (the lexicon needs both).
"""

import re
import unicodedata

# --- emoji & emoticons --------------------------------------------------------

EMO_ANGRY = "emoangry"
EMO_SAD = "emosad"
EMO_WORRY = "emoworry"
EMO_OK = "emook"
EMO_LOVE = "emolove"
EMO_TOKENS = (EMO_ANGRY, EMO_SAD, EMO_WORRY, EMO_OK, EMO_LOVE)

_EMOJI = {
    EMO_ANGRY: "😡 😠 🤬 👿 💢 😤 🖕 🔪 💩",
    EMO_SAD: "😞 😔 😒 🙁 ☹ 😕 😢 😭 💔 😩 😫 👎 😑 🥲 😪 😿 🤦",
    EMO_WORRY: "😟 😰 😨 😱 😥 🥺 😬 😓 😧 😦 🤔",
    EMO_OK: "🙂 😊 👍 👌 ✅ 😀 😃 ☺ 🙏 👏 💪 😉 🆗",
    EMO_LOVE: "😍 🥰 ❤ 💕 💖 💗 💓 💞 😘 🤩 🎉 🥳 😁 😄 😆 💯 🌟 ⭐ 🤗 ♥ 💝 😻",
}
_EMOTICONS = {
    EMO_ANGRY: [">:(", ">:-(", ":@", "(╯°□°)╯"],
    EMO_SAD: [
        ":((",
        ":(",
        ":-(",
        ":'(",
        ":’(",
        "=((",
        "=(",
        ":<",
        "T_T",
        "T.T",
        ";(",
        "-_-",
        "-.-",
        ":-((",
        ":(((",
        "ToT",
    ],
    EMO_WORRY: [":-s", ":S", "o_O", "O_o", "@@", ":-/"],
    EMO_OK: [":)", ":-)", "=)", "^^", "^_^", ":]", "(y)", ";)", ";-)"],
    EMO_LOVE: [
        ":D",
        ":-D",
        "=))",
        ":))",
        ":)))",
        "=)))",
        "<3",
        "xD",
        "XD",
        "^o^",
        "=D",
    ],
}
_EMO_MAP = {}
for _tok, _chars in _EMOJI.items():
    for _ch in _chars.split():
        _EMO_MAP[_ch] = _tok
for _tok, _faces in _EMOTICONS.items():
    for _face in _faces:
        _EMO_MAP[_face] = _tok
_emoji_alts = sorted(_EMO_MAP, key=len, reverse=True)
# Letter-shaped emoticons (xD, T_T) need boundaries so that words are not eaten.
# The leading look-ahead makes the ~150-branch alternation fail fast on
# ordinary letters, which keeps this pass cheap on long e-mails.
_EMO_FIRST = "".join(sorted({re.escape(e[0]) for e in _emoji_alts}))
_EMO_RE = re.compile(
    f"(?=[{_EMO_FIRST}])(?:"
    + "|".join(
        (r"(?<![^\W_])" + re.escape(e) + r"(?![^\W_])")
        if e[0].isalpha() or e[-1].isalpha()
        else re.escape(e)
        for e in _emoji_alts
    )
    + ")"
)
# emoji modifiers and joiners carry no emotion of their own
_EMOJI_NOISE = str.maketrans(
    "", "", "\ufe0f\ufe0e\u200d\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
)

# --- accents -----------------------------------------------------------------

_VI_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"


def _build_strip_table():
    """Map every precomposed Latin letter with diacritics to its base letter."""
    src = _VI_LOWER + _VI_LOWER.upper() + "çñüöäïëÿÇÑÜÖÄÏËŸ"
    dst = "".join(unicodedata.normalize("NFD", ch)[0] for ch in src)
    dst = dst.replace("đ", "d").replace("Đ", "D")
    return str.maketrans(src, dst)


STRIP_TABLE = _build_strip_table()
_VI_CHARS = frozenset(_VI_LOWER + _VI_LOWER.upper())


def strip_accents(text):
    """Accent-stripped copy, same length as ``text`` (char-to-char mapping)."""
    return text.translate(STRIP_TABLE)


# --- elongation ----------------------------------------------------------------

_VOWEL_GROUPS = (
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
)


def _vowel_pattern():
    """Accented vowel followed by copies of its base vowel: "quáaa", "tệeee".

    ư followed by u is not matched: "cứu", "lưu" are real words.
    """
    alts = []
    for group in _VOWEL_GROUPS:
        base = group[0]
        accented = group[1:] if base in "aeiouy" else group
        follow = group + (base if base not in "ăâêôơư" else "")
        if base in "ăâ":
            follow += "a"
        elif base == "ê":
            follow += "e"
        elif base in "ôơ":
            follow += "o"
        alts.append(f"[{accented}][{follow}]+")
    first = "".join(g[1:] if g[0] in "aeiouy" else g for g in _VOWEL_GROUPS)
    return re.compile(f"(?=[{first}])(?:" + "|".join(alts) + ")")


_VI_ELONG = _vowel_pattern()
_RUN_WORD = re.compile(r"[^\W\d_]*([^\W\d_])\1{2,}[^\W\d_]*")
_RUN = re.compile(r"([^\W\d_])\1{2,}")
_EN_DOUBLE = frozenset(
    "good cool soon too see feel need free keep sleep look book food all will well "
    "still really off full happy sorry call shall small guess less mess miss kill "
    "yess noo agree week seems fee".split()
)


def _fix_run_word(match):
    """Collapse a letter run to one letter, or two when that is an English word."""
    word = match.group(0)
    one = _RUN.sub(r"\1", word)
    two = _RUN.sub(r"\1\1", word)
    return two if two in _EN_DOUBLE else one


# --- teencode ----------------------------------------------------------------

# Teencode / abbreviation -> dictionary form (accented), and English
# contractions (apostrophe variants are unified before lookup).
_TEENCODE_TABLE = """
    ko=không | k=không | kh=không | hok=không | hk=không | hông=không
    hong=không | khum=không | hem=không | kg=không | khg=không | kô=không
    k0=không | khong=không | hum=không | hôg=không | hog=không | kp=không phải
    chẳg=chẳng | chug=chung | dc=được | đc=được | dk=được | đk=được | dcd=được
    bít=biết | bik=biết | bjk=biết | bjt=biết | bit=bit | j=gì | ji=gì | vs=với
    ng=người | ngta=người ta | mn=mọi người | mng=mọi người | r=rồi | rùi=rồi
    ròi=rồi | oy=rồi | ùi=rồi | cx=cũng | cg=cũng | trc=trước | ntn=như thế nào
    bn=bao nhiêu | bnh=bao nhiêu | sp=sản phẩm | nv=nhân viên | nvien=nhân viên
    mk=mình | mik=mình | mh=mình | mjk=mình | dt=điện thoại | đt=điện thoại
    dth=điện thoại | tl=trả lời | rep=trả lời | iu=yêu | wa=quá | qá=quá
    wá=quá | qa=quá | z=vậy | v=vậy | zậy=vậy | dzậy=vậy | dzui=vui | zui=vui
    vúi=vui | bùn=buồn | nhìu=nhiều | đag=đang | dag=đang | ns=nói | t=tôi
    lm=làm | cs=có | hix=hic | hixx=hic | huhu=huhu | hjx=hic | e=em | ah=à
    ak=à | uk=ừ | ukm=ừ | ok=ok | oke=ok | okie=ok | oki=ok | okela=ok | okay=ok
    tks=thanks | thx=thanks | thks=thanks | ty=thanks | cmon=cảm ơn
    camon=cảm ơn | c.ơn=cảm ơn | sr=sorry | sorry=sorry | pls=please
    plz=please | u=you | ur=your | vl=vãi | vcl=vãi | vler=vãi | vkl=vãi | đm=đm
    dm=đm | dcm=đm | đcm=đm | cl=cl | clgt=cl | wtf=wtf | bh=bao giờ
    bjo=bao giờ | bgio=bao giờ | ck=chuyển khoản | stk=số tài khoản
    đh=đơn hàng | dh=đơn hàng | đhàng=đơn hàng | sđt=số điện thoại
    sdt=số điện thoại | ad=admin | add=admin | tv=tư vấn | ship=ship
    shiper=shipper | sheep=ship | nhg=nhưng | nhưg=nhưng | ms=mới | mún=muốn
    lun=luôn | lém=lắm | lắmmm=lắm | thik=thích | thíc=thích | bth=bình thường
    bt=bình thường | trời ơi=trời ơi | đx=được | nchung=nói chung
    ncl=nói chung là | ntin=nhắn tin | ib=inbox | inb=inbox | don't=do not
    dont=do not | doesn't=does not | doesnt=does not | didn't=did not
    didnt=did not | isn't=is not | isnt=is not | wasn't=was not | wasnt=was not
    aren't=are not | weren't=were not | can't=can not | cant=can not
    cannot=can not | won't=will not | wont=will not | wouldn't=would not
    shouldn't=should not | couldn't=could not | haven't=have not
    havent=have not | hasn't=has not | hadn't=had not | ain't=is not | i'm=i am
    im=i am | it's=it is | i've=i have | i'll=i will | you're=you are
    that's=that is | i'd=i would | what's=what is
"""
TEENCODE = {
    key.strip(): value.strip()
    for key, value in (
        item.split("=")
        for item in _TEENCODE_TABLE.replace("\n", "|").split("|")
        if item.strip()
    )
}

# Uppercase "KH" in agents' call notes means "khách hàng", not "không".
_KH_UPPER = re.compile(r"\bKH\b|\bKh\b(?=\s+(?:gọi|báo|phàn|phản|muốn|yêu|nói|rất))")
# Written laughter of any length ("kkkk", "hahaha", "hihihi", "khkh") is one
# token; "kkk" would otherwise collapse to "k", which teencode reads as "không".
# The leading look-ahead makes the scan fail fast on every other letter.
_LAUGH = re.compile(
    r"(?=[kh])(?<![^\W\d_])"
    r"(?:k{3,}|(?:ha){2,}h?|(?:hi){2,}|(?:he){2,}|(?:kh){2,}|(?:ka){2,}|(?:ke){2,})"
    r"(?![^\W\d_])"
)
# After a number these are units ("500k" = 500 nghìn, "7kg"), not "không".
_UNITS = frozenset(("k", "kg"))
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_WORD3 = re.compile(r"[^\W\d_]{3,}")


def has_vi_diacritics(text):
    """True when the text uses Vietnamese letters with diacritics."""
    return any(ch in _VI_CHARS for ch in text)


class Analysis:
    """What the features, the lexicon and the intensity rules need from a text.

    ``tokens`` are accent-stripped, ``accented`` the same tokens before
    stripping (same length, aligned index by index).
    """

    __slots__ = (
        "tokens",
        "accented",
        "diacritics",
        "exclaims",
        "questions",
        "shout",
        "elongated",
        "emoji",
    )


def analyze(text):
    """Normalise ``text`` (already stripped of quotes) into an :class:`Analysis`."""
    a = Analysis()
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = text.translate(_EMOJI_NOISE).replace("’", "'")
    a.exclaims = text.count("!")
    a.questions = text.count("?")
    a.shout = sum(1 for w in _WORD3.findall(text) if w.isupper())
    emoji = []

    def _emo(match):
        tok = _EMO_MAP[match.group(0)]
        emoji.append(tok)
        return " " + tok + " "

    text = _EMO_RE.sub(_emo, text)
    a.emoji = emoji
    text = _KH_UPPER.sub("khách hàng", text)
    a.diacritics = has_vi_diacritics(text)
    low = _LAUGH.sub("haha", text.lower())
    n = len(low)
    low = _VI_ELONG.sub(lambda m: m.group(0)[0], low)
    if _RUN.search(low):
        low = _RUN_WORD.sub(_fix_run_word, low)
    a.elongated = len(low) < n
    low = _NUM.sub(" 0 ", low)
    words = []
    get = TEENCODE.get
    prev = None
    for tok in _TOKEN.findall(low):
        rep = get(tok)
        if rep is None or (prev == "0" and tok in _UNITS):
            words.append(tok)
        else:
            words.extend(rep.split())
        prev = tok
    a.accented = words
    a.tokens = strip_accents(" ".join(words)).split()
    if len(a.tokens) != len(words):  # exotic spaces inside a token; keep aligned
        a.tokens = [strip_accents(w) for w in words]
    return a


# --- language ------------------------------------------------------------------

_VI_WORDS = frozenset(
    "khong duoc toi minh em anh chi shop roi nha nhe la cua cho voi hang don giao "
    "bao sao gi qua rat lam tien mua van chua da se nay thi ma nhung cung vay oi "
    "ban cam on hai long tot te buon lo nhan vien khach nguoi ngay gio bi co "
    "dung dang lai luon nua ve den tu trong ngoai ra vao len xuong het moi "
    "cac nhieu it hon nhat biet muon can phai nen duoc khi nao dau ai ak a "
    "hic huhu uh vui thich yeu ghet buc tuc kien hoan doi tra sp san pham".split()
)
_EN_WORDS = frozenset(
    "the and is are was were to my i you it not for of this that have has with "
    "your me we our they be been do does did can will would should could what "
    "when where why how please thanks thank order very so too really just but "
    "no yes get got an a in on at from by about still again never all any "
    "product service delivery refund great good bad love hate happy sad".split()
)


def detect_language(a):
    """Guess "vi", "en" or "und" from diacritics and function words.

    Mixed Vietnamese-English messages are reported as "vi": our users are
    Vietnamese and the English words are loans ("order", "ship", "refund").
    """
    if a.diacritics:
        return "vi"
    vi = en = 0
    for tok in a.tokens:
        if tok in _VI_WORDS:
            vi += 1
        if tok in _EN_WORDS:
            en += 1
    if vi == 0 and en == 0:
        return "und"
    if vi >= 2 and vi * 2 >= en:
        return "vi"
    return "en" if en >= vi else "vi"
