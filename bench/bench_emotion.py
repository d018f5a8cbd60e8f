"""Latency benchmark of ``lib.emotion.detect`` (no Odoo needed).

Prints model load time and median / p95 microseconds per call for chat-length
messages (~60 characters) and ~600-character e-mails, so that the budget of
the product issue (< 1 ms chat, < 2 ms e-mail) can be checked on the target
machine.  Run: python3 bench/bench_emotion.py [--calls N]
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHATS = [
    "Giao hàng trễ quá, gọi hotline mãi ko ai nghe, bực mình ghê!!",
    "sp dung ok, giao nhanh, cam on shop nhieu nha, se ung ho tiep",
    "don cua minh chua nhan dc, mai di cong tac r lo qua shop oi 😟",
    "Máy giặt mới mua đã kêu to, hơi thất vọng về chất lượng :(",
    "Cho mình hỏi cửa hàng ở quận 7 mở cửa đến mấy giờ vậy ạ?",
    "Tuyệt vời quáaaa, nhân viên lắp đặt siêu nhiệt tình luôn ❤️",
    "The technician was late again and nobody called me, so annoying",
    "Order về rồi nha, packaging cẩn thận, thanks team nhiều 👍",
]
EMAIL = (
    "Chào shop,\n\nTôi đặt đơn hàng DH12345 từ tuần trước, đã chuyển khoản đầy "
    "đủ 4.990.000đ nhưng đến nay vẫn chưa nhận được hàng. Tôi đã gọi tổng đài 3 "
    "lần, lần nào cũng phải chờ rất lâu và nhân viên chỉ nói là đang kiểm tra. "
    "Tôi thực sự thất vọng với cách làm việc của các bạn, vì đây là món quà sinh "
    "nhật cho mẹ tôi. Nếu trong ngày mai không có phản hồi rõ ràng, tôi yêu cầu "
    "hoàn tiền toàn bộ và sẽ đăng lên facebook để mọi người biết. Mong nhận được "
    "phản hồi sớm từ phía cửa hàng, xin cảm ơn.\n\nTrân trọng,\nNguyễn Văn An\n\n"
    "Vào 10:02 ngày 3/6, CSKH <cskh@dienmay.vn> đã viết:\n> Cảm ơn anh đã liên hệ."
)
EMAIL_EN = (
    "Hi team,\n\nI ordered a washing machine last week and paid in full, but the "
    "delivery has been rescheduled three times without any explanation. Each time "
    "I took a morning off work and nobody showed up. Your hotline kept me on hold "
    "for forty minutes yesterday and then the call dropped. I am really "
    "disappointed, this was supposed to be a simple purchase. Please tell me "
    "today when the machine will arrive, otherwise I want a full refund and I "
    "will leave a review about this experience. Thanks for looking into it.\n\n"
    "Best regards,\nJohn\n\nOn Mon, 3 Jun 2024 at 10:02, Support wrote:\n> Hello"
)


def measure(detect, texts, calls):
    """Per-call latencies in microseconds over ``calls`` calls cycling ``texts``."""
    out = []
    clock = time.perf_counter
    for i in range(calls):
        text = texts[i % len(texts)]
        start = clock()
        detect(text)
        out.append((clock() - start) * 1e6)
    out.sort()
    return statistics.median(out), out[int(len(out) * 0.95)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    args = parser.parse_args()

    start = time.perf_counter()
    from lib.emotion import detect
    from lib.emotion.model import get_model

    model = get_model()
    load_ms = (time.perf_counter() - start) * 1000
    print(
        f"model load (import + first read): {load_ms:.0f} ms, "
        f"{len(model.weights)} features"
    )
    detect("warm up")
    chat_len = sum(map(len, CHATS)) / len(CHATS)
    for name, texts in (
        (f"chat (~{chat_len:.0f} chars)", CHATS),
        (f"email vi ({len(EMAIL)} chars)", [EMAIL]),
        (f"email en ({len(EMAIL_EN)} chars)", [EMAIL_EN]),
    ):
        median, p95 = measure(detect, texts, args.calls)
        print(f"{name:24s} median {median:7.0f} us   p95 {p95:7.0f} us")

    # Worst case: every word unseen, so the word -> n-gram memo never helps.
    from lib.emotion import features

    def cold(text):
        features._GRAMS.clear()
        return detect(text)

    for name, texts in (("chat, cold memo", CHATS), ("email vi, cold memo", [EMAIL])):
        median, p95 = measure(cold, texts, args.calls // 2)
        print(f"{name:24s} median {median:7.0f} us   p95 {p95:7.0f} us")


if __name__ == "__main__":
    main()
