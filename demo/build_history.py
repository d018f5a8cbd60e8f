#!/usr/bin/env python3
"""Build the history of the demo: 90 days of life of Điện Máy Sao Việt.

    python3 demo/build_history.py

Writes, deterministically (a seeded generator per ticket, so a re-run changes
nothing unless this file or the tickets changed):

1. the dates of the 200 demo tickets, inside ``data/customer_care_demo_tickets.xml``
   (``create_date``, first reply, last messages, last stage change, closing,
   reopen count, and the agent of tickets already being worked on). They must be
   in the ticket's own record: the SLA engine dates the status lines of a new
   ticket from these fields (``_sla_initial_lines``), so a ticket created "40 days
   ago" and answered two hours later gets a reached first-response line. Odoo
   accepts ``create_date`` in the values while a module is being installed by the
   superuser (``BaseModel._prepare_create_values``), as Odoo's own crm and project
   demo data do;
2. ``data/customer_care_demo_history.xml``: the chatter of each ticket
   (``mail.message`` records with an explicit ``date``: the customers' emails and
   portal messages, the agents' replies, internal notes and phone notes), the
   journal entries of the customers' follow-up messages, ratings (good and bad),
   call-back activities (due today, overdue, upcoming).

Every date is relative to the end of the last working day before the install
(``ANCHOR``; new tickets: to the install itself), so the demo always looks
lived-in, and tickets open in office hours whatever the hour of the install.
Nothing goes through ``message_post``: a post is dated "now" and would re-run
mail intake, notifications and the SLA engine on history. Journal entries
older than three days are created with ``care_no_scenario`` (they are
history); the recent angry and delighted ones fire the care scenarios as they
would in real use.

Check the result on a fresh demo database with ``demo/check_demo_history.py``.
"""

import hashlib
import random
import re
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TICKETS = ROOT / "data" / "customer_care_demo_tickets.xml"
OUT = ROOT / "data" / "customer_care_demo_history.xml"

DAY = 24 * 60
TEAM_MEMBERS = {
    "care_team_hanoi": ["user_agent_hanoi", "user_agent_hotline"],
    "care_team_hcm": ["user_agent_hcm", "user_agent_saigon"],
    "care_team_technical": ["user_agent_tech", "user_agent_hotline"],
}
AGENT_NAMES = {
    "user_agent_hanoi": "Lan",
    "user_agent_hotline": "Minh",
    "user_agent_hcm": "Hương",
    "user_agent_saigon": "Mai",
    "user_agent_tech": "Bảo",
    "user_lead_care": "Nam",
}
ENGLISH = {"partner_michael_brown", "partner_sarah_kim"}
CLOSED = {"care_stage_solved", "care_stage_cancelled"}
GENERATED_FIELDS = re.compile(
    r'\n\s*<field name="(create_date|date_first_reply|date_last_agent_reply|'
    r"date_last_customer_message|date_last_stage_update|date_closed|date_assigned|"
    r'reopen_count|agent_reply_count)"[^\n]*/>'
)
NEGATIVE = {"angry", "disappointed", "worried"}

# ---------------------------------------------------------------- texts
AGENT_FIRST = {
    "care_ticket_type_question": [
        "Dạ em chào anh/chị, em là {agent} bên Chăm sóc khách hàng Sao Việt. Sản phẩm "
        "anh/chị hỏi hiện còn hàng tại các cửa hàng Hà Nội và TP.HCM, có hỗ trợ trả "
        "góp 0% qua thẻ tín dụng và công ty tài chính ạ.",
        "Dạ em cảm ơn anh/chị đã nhắn cho Sao Việt. Em gửi anh/chị thông tin chi tiết: "
        "giá đã gồm VAT, miễn phí giao và lắp đặt trong nội thành ạ.",
    ],
    "care_ticket_type_product_info": [
        "Dạ em chào anh/chị, em là {agent}. Em gửi anh/chị cấu hình và bảng so sánh "
        "hai mẫu anh/chị quan tâm; với nhu cầu của anh/chị thì mẫu thứ hai phù hợp "
        "hơn và đang có quà tặng kèm ạ.",
        "Dạ em chào anh/chị. Em đã kiểm tra: mẫu này còn hàng tại kho Long Biên và "
        "Tân Bình, giao trong 24 giờ. Em gửi kèm báo giá chi tiết ạ.",
    ],
    "care_ticket_type_order_issue": [
        "Dạ em chào anh/chị, em là {agent} bên CSKH Sao Việt. Em đã kiểm tra đơn hàng "
        "và đang làm việc với bộ phận kho vận, em sẽ báo lại anh/chị trong hôm nay ạ.",
        "Dạ em xin lỗi anh/chị vì sự bất tiện. Em đã chuyển yêu cầu cho kho và "
        "kế toán, bên em sẽ xử lý và phản hồi anh/chị trước 17h ngày mai ạ.",
    ],
    "care_ticket_type_technical": [
        "Dạ em chào anh/chị, em là {agent}. Em đã chuyển thông tin cho kỹ thuật viên, "
        "kỹ thuật sẽ gọi anh/chị để hẹn lịch kiểm tra tại nhà trong 24 giờ tới ạ.",
        "Dạ anh/chị thử giúp em: rút điện 5 phút rồi cắm lại, kiểm tra lại aptomat. "
        "Nếu vẫn lỗi, em sẽ cho kỹ thuật qua tận nơi ạ.",
    ],
    "care_ticket_type_return": [
        "Dạ em chào anh/chị, em là {agent}. Sản phẩm vẫn trong thời hạn bảo hành; "
        "anh/chị chỉ cần số điện thoại mua hàng, không cần phiếu bảo hành giấy ạ.",
        "Dạ em đã lập phiếu tiếp nhận bảo hành. Thời gian xử lý 5–7 ngày làm việc, "
        "em sẽ nhắn anh/chị ngay khi máy sửa xong ạ.",
    ],
    "care_ticket_type_complaint": [
        "Dạ em là {agent}, em thành thật xin lỗi anh/chị về trải nghiệm vừa rồi. Em "
        "đã báo quản lý cửa hàng và sẽ gọi lại anh/chị trong 2 giờ tới ạ.",
        "Dạ Sao Việt xin lỗi anh/chị. Em đã ghi nhận đầy đủ sự việc, quản lý khu vực "
        "sẽ trực tiếp làm việc và đề xuất phương án đền bù cho anh/chị ạ.",
    ],
    "care_ticket_type_feedback": [
        "Dạ em là {agent}, em thay mặt Sao Việt cảm ơn anh/chị đã dành thời gian góp "
        "ý. Em đã chuyển ý kiến của anh/chị đến ban giám đốc ạ.",
        "Dạ em cảm ơn anh/chị rất nhiều! Em đã chuyển lời khen đến bạn nhân viên và "
        "quản lý cửa hàng ạ.",
    ],
}
AGENT_FIRST_EN = [
    "Hello, this is {agent} from Sao Viet customer care. Thank you for your message; "
    "I have checked your order and will come back to you today.",
    "Hi, {agent} here. Thank you for reaching out, we are looking into it and will "
    "update you within one working day.",
]
AGENT_WAITING = [
    "Dạ để xử lý tiếp, anh/chị vui lòng gửi giúp em ảnh chụp hóa đơn và số serial "
    "dán ở mặt sau máy ạ.",
    "Dạ anh/chị cho em xin địa chỉ và khung giờ thuận tiện để kỹ thuật qua kiểm tra ạ.",
    "Dạ anh/chị vui lòng xác nhận giúp em thông tin xuất hóa đơn (tên đơn vị, mã số "
    "thuế, địa chỉ) ạ.",
]
AGENT_PROGRESS = [
    "Dạ em cập nhật: kho đã xuất hàng, dự kiến giao cho anh/chị trước 18h ngày mai ạ.",
    "Dạ kỹ thuật đã nhận lịch, sáng mai sẽ gọi anh/chị trước khi qua ạ.",
    "Dạ em đã gửi yêu cầu lên hãng, hãng hẹn phản hồi trong 2 ngày làm việc ạ.",
]
AGENT_CLOSE = [
    "Dạ yêu cầu của anh/chị đã được xử lý xong. Nếu còn vấn đề gì, anh/chị cứ trả "
    "lời tin nhắn này, chúng em luôn sẵn sàng hỗ trợ ạ.",
    "Dạ em xác nhận đã hoàn tất. Cảm ơn anh/chị đã kiên nhẫn chờ Sao Việt xử lý ạ.",
    "Dạ kỹ thuật đã khắc phục xong. Chúc anh/chị một ngày tốt lành ạ!",
]
AGENT_CLOSE_EN = [
    "All done on our side. If anything else comes up, just reply to this message.",
    "Your request is solved. Thank you for your patience!",
]
AGENT_REOPEN = [
    "Dạ em rất xin lỗi anh/chị. Em đã mở lại yêu cầu và hẹn kỹ thuật qua kiểm tra "
    "lại ngay ngày mai, lần này bên em đổi máy mới nếu vẫn lỗi ạ.",
]
AGENT_CANCEL = [
    "Dạ theo trao đổi qua điện thoại, anh/chị đã tự xử lý được nên em xin phép hủy "
    "yêu cầu này ạ.",
    "Dạ yêu cầu bị trùng với một yêu cầu khác của anh/chị, em xin phép hủy yêu cầu "
    "này và tiếp tục xử lý ở yêu cầu kia ạ.",
]
CUSTOMER = {
    "delighted": [
        "Cảm ơn em rất nhiều! Kỹ thuật đến đúng hẹn, làm rất cẩn thận. Tuyệt vời, lần "
        "sau chắc chắn vẫn mua ở Sao Việt.",
        "Tuyệt quá, nhận hàng rồi nhé, đóng gói cẩn thận, nhân viên dễ thương. Rất hài "
        "lòng!",
    ],
    "satisfied": [
        "Ok em, chị nhận được rồi nhé. Cảm ơn em đã hỗ trợ.",
        "Mình đã nhận được, cảm ơn shop.",
        "Đã xong rồi em nhé, máy chạy bình thường. Cảm ơn.",
    ],
    "neutral": [
        "Mình gửi ảnh hóa đơn đây nhé. Số serial ở mặt sau máy.",
        "Chiều mai sau 14h nhé, địa chỉ như trên đơn hàng.",
    ],
    "worried": [
        "Em ơi đã 2 ngày rồi chưa thấy ai liên hệ, không biết đơn của chị có bị sao "
        "không? Chị hơi lo vì tuần sau nhà có việc.",
        "Không biết bao giờ mới có hàng vậy em? Tôi sợ hết khuyến mãi.",
    ],
    "disappointed": [
        "Thật sự thất vọng. Hẹn hôm qua giao mà đến giờ vẫn chưa thấy, gọi tổng đài "
        "thì chờ mãi không ai nghe.",
        "Sửa xong được 3 hôm máy lại bị như cũ. Hơi thất vọng với dịch vụ bảo hành.",
    ],
    "angry": [
        "Quá tệ! Đây là lần thứ ba tôi phải nhắn mà không ai giải quyết. Nếu mai không "
        "xử lý tôi sẽ yêu cầu hoàn tiền toàn bộ!",
        "Không chấp nhận được! Nhân viên hẹn gọi lại rồi im luôn, làm ăn kiểu gì vậy?",
    ],
}
CUSTOMER_EN = {
    "delighted": ["Fantastic, thank you so much! Excellent service."],
    "satisfied": ["Received, thanks for the help."],
    "neutral": ["Here is the invoice photo you asked for."],
    "worried": ["Any news? I am a bit worried, I travel next week."],
    "disappointed": ["Quite disappointed, it is still not delivered."],
    "angry": ["This is unacceptable, third time I write and nobody answers!"],
}
CUSTOMER_REOPEN = (
    "Máy lại bị lỗi như cũ sau mấy ngày sử dụng, đề nghị kiểm tra lại giúp tôi."
)
NOTES = [
    "Khách VIP, đã mua 3 đơn trong năm nay. Ưu tiên xử lý giúp em.",
    "Đã liên hệ kho Long Biên: hàng về thứ Năm, giữ 1 máy cho khách.",
    "Kỹ thuật báo cần thay bo mạch, đã đặt linh kiện từ hãng.",
    "Kế toán xác nhận đã lập biên bản điều chỉnh hóa đơn.",
    "Khách đã gọi tổng đài 2 lần về việc này, cần phản hồi sớm.",
]
PHONE_NOTES = [
    "Đã gọi cho khách: khách xác nhận thông tin và đồng ý lịch hẹn.",
    "Gọi lần 1 khách không nghe máy, đã nhắn Zalo.",
    "Khách gọi lại tổng đài hỏi tiến độ, đã giải thích và hẹn cập nhật trong ngày.",
]
RATING_FEEDBACK = {
    5: [
        "Nhân viên hỗ trợ nhiệt tình, xử lý nhanh. Rất hài lòng!",
        "Tuyệt vời, cảm ơn Sao Việt!",
        "",
    ],
    4: ["Hỗ trợ tốt, chỉ hơi chậm một chút.", ""],
    3: ["Tạm được, phải nhắc mấy lần mới xong."],
    2: ["Xử lý chậm, phải chờ gần một tuần."],
    1: [
        "Rất thất vọng, chờ cả tuần mới xử lý xong.",
        "Quá tệ, gọi mãi không ai nghe, không bao giờ mua nữa!",
    ],
}
ACTIVITY_SUMMARIES = [
    "Gọi lại cho khách",
    "Gọi xác nhận lịch kỹ thuật",
    "Gọi hỏi thăm sau xử lý",
]


# ---------------------------------------------------------------- helpers
# The moment every demo date counts back from: the end of the last working
# day (17:30, Monday to Friday, in Asia/Ho_Chi_Minh, UTC+7, the demo company's
# calendar) at or before the install, as naive UTC. Counting back from a fixed
# time of day puts the tickets in office hours whatever the hour of the
# install: counted back
# from the install itself, a demo installed at dawn had its recent tickets
# arrive and answered at night, which the SLA engine rightly measures as zero
# working hours.
_LAST_1730 = (
    "((DateTime.now() + relativedelta(hours=7) - relativedelta(hours=17, minutes=30))"
    ".replace(hour=0, minute=0, second=0, microsecond=0)"
    " + relativedelta(hours=17, minutes=30))"
)
ANCHOR = (
    f"({_LAST_1730} - relativedelta(days=max(0, {_LAST_1730}.weekday() - 4))"
    " - relativedelta(hours=7))"
)
# Working hours counted back from ANCHOR (minutes within a day): 13:30-17:30
# and 08:00-12:00 local.
AFTERNOON = (0, 240)
MORNING = (330, 570)


# New tickets (nobody answered yet) count back from the install itself: they
# arrived in the last hours, whatever the time of day, and wait now.
NOW = "DateTime.now()"
_anchor = [ANCHOR]


def ago(minutes):
    return f"{_anchor[0]} - relativedelta(minutes={int(minutes)})"


def in_office_hours(minutes, rng):
    """``minutes`` if that moment is in working hours, else a moment of the
    same day's working hours (the day before, for an evening): tickets are
    opened while the shop is open."""
    day, rest = divmod(int(minutes), DAY)
    if AFTERNOON[0] < rest <= AFTERNOON[1] or MORNING[0] < rest <= MORNING[1]:
        return int(minutes)
    if rest > MORNING[1]:  # evening or night: counted back, the day before
        day += 1
    window = AFTERNOON if rng.random() < 0.5 else MORNING
    return day * DAY + rng.randint(window[0] + 1, window[1])


def day_ago(days):
    return f"(DateTime.today() - relativedelta(days={days})).strftime('%Y-%m-%d')"


def seeded(*parts):
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def html(text):
    return "<p>" + escape(text) + "</p>"


def parse_tickets(xml):
    tickets = []
    for block in re.findall(
        r'<record id="care_ticket_demo_\d+".*?</record>', xml, re.S
    ):

        def get(pattern, block=block):
            match = re.search(pattern, block)
            return match.group(1) if match else None

        tickets.append(
            {
                "id": get(r'<record id="(care_ticket_demo_\d+)"'),
                "num": int(get(r"care_ticket_demo_(\d+)")),
                "partner": get(r'"partner_id" ref="(\w+)"'),
                "team": get(r'"team_id" ref="(\w+)"'),
                "stage": get(r'"stage_id" ref="(\w+)"'),
                "type": get(r'"type_id" ref="(\w+)"'),
                "priority": int(get(r'"priority">(\d)<')),
                "channel": get(r'"channel">(\w+)<'),
                "user": get(r'"user_id" ref="(\w+)"'),
                "description": get(r'"description" type="html">(.*?)</field>'),
            }
        )
    return tickets


# Customers whose own recent tickets are complaints (their descriptions read
# angry, worried, disappointed) get the arc that matches them.
ARCS = {"partner_nguyen_thi_hoa": "worsening"}


def partner_arc(partner):
    """How a customer's feelings move over the 90 days."""
    if partner in ARCS:
        return ARCS[partner]
    return ["improving", "worsening", "good", "good", "good", "bad"][
        seeded("arc", partner).randrange(6)
    ]


def follow_up_label(rng, arc, days_ago, stage):
    recent = days_ago <= 30
    if arc == "improving":
        pool = ["satisfied", "delighted"] if recent else ["disappointed", "angry"]
    # One negative label per arc keeps each customer's story readable (the mood
    # follows the sign of the weighted score, so split negatives would not let
    # "neutral" win any more).
    elif arc == "worsening":
        pool = ["angry"] if recent else ["satisfied"]
    elif arc == "bad":
        pool = ["disappointed"]
    elif stage in CLOSED:
        pool = ["satisfied", "satisfied", "delighted"]
    else:
        pool = ["neutral", "worried", "satisfied"]
    return rng.choice(pool)


# ---------------------------------------------------------------- the story
class Story:
    def __init__(self):
        self.records = []
        self.counts = {"messages": 0, "entries": 0, "ratings": 0, "activities": 0}
        # Public agent replies per ticket: the ticket's agent_reply_count (FCR).
        self.replies = {}

    def message(self, ticket, key, minutes, author, body, kind):
        """kind: email | portal | reply | note"""
        xmlid = f"{ticket['id']}_msg_{key}"
        message_type = "email" if kind == "email" else "comment"
        subtype = "mail.mt_note" if kind == "note" else "mail.mt_comment"
        self.records.append(
            f'    <record id="{xmlid}" model="mail.message">\n'
            f'        <field name="model">care.ticket</field>\n'
            f'        <field name="res_id" ref="{ticket["id"]}" />\n'
            f'        <field name="message_type">{message_type}</field>\n'
            f'        <field name="subtype_id" ref="{subtype}" />\n'
            f'        <field name="author_id" ref="{author}" />\n'
            f'        <field name="date" eval="{ago(minutes)}" />\n'
            f'        <field name="body" type="html">{body}</field>\n'
            f"    </record>"
        )
        self.counts["messages"] += 1
        if kind == "reply":
            self.replies[ticket["id"]] = self.replies.get(ticket["id"], 0) + 1
        return xmlid

    def entry(self, ticket, message, minutes, label, closed):
        rng = seeded("entry", message)
        intensity = {"angry": 4, "delighted": 4}.get(label, rng.choice([2, 3]))
        # Old feelings are history: only the last three days fire scenarios.
        context = (
            "" if minutes <= 3 * DAY else " context=\"{'care_no_scenario': True}\""
        )
        self.records.append(
            f'    <record id="{message}_emotion" model="care.emotion.entry"{context}>\n'
            f'        <field name="partner_id" ref="{ticket["partner"]}" />\n'
            f'        <field name="ticket_id" ref="{ticket["id"]}" />\n'
            f'        <field name="message_id" ref="{message}" />\n'
            f'        <field name="date" eval="{ago(minutes)}" />\n'
            f'        <field name="source">message</field>\n'
            f'        <field name="label">{label}</field>\n'
            f'        <field name="detected_label">{label}</field>\n'
            f'        <field name="intensity" eval="{intensity}" />\n'
            f'        <field name="detected_intensity" eval="{intensity}" />\n'
            f'        <field name="confidence" eval="0.8" />\n'
            f'        <field name="ticket_closed" eval="{closed}" />\n'
            f'        <field name="user_id" eval="False" />\n'
            f"    </record>"
        )
        self.counts["entries"] += 1

    def rating(self, ticket, agent, minutes, value, feedback):
        xmlid = f"{ticket['id']}_rating"
        context = (
            "" if minutes <= 3 * DAY else " context=\"{'care_no_scenario': True}\""
        )
        feedback_field = (
            f'        <field name="feedback">{escape(feedback)}</field>\n'
            if feedback
            else ""
        )
        self.records.append(
            f'    <record id="{xmlid}" model="rating.rating"{context}>\n'
            f'        <field name="res_model_id" ref="model_care_ticket" />\n'
            f'        <field name="res_id" ref="{ticket["id"]}" />\n'
            f'        <field name="partner_id" ref="{ticket["partner"]}" />\n'
            f'        <field name="rated_partner_id" ref="{agent}_res_partner" />\n'
            f'        <field name="rating" eval="{value}" />\n'
            f"{feedback_field}"
            f'        <field name="consumed" eval="True" />\n'
            f'        <field name="create_date" eval="{ago(minutes)}" />\n'
            f"    </record>\n"
            # The rating's journal entry is made by rating.rating.create(), dated
            # now: give it the rating's date.
            f'    <function model="care.emotion.entry" name="write">\n'
            f'        <value model="care.emotion.entry" '
            f"search=\"[('rating_id', '=', ref('{xmlid}'))]\" />\n"
            f"        <value eval=\"{{'date': {ago(minutes)}}}\" />\n"
            f"    </function>"
        )
        self.counts["ratings"] += 1

    def activity(self, ticket, user, days, summary):
        self.records.append(
            f'    <record id="{ticket["id"]}_activity" model="mail.activity">\n'
            f'        <field name="res_model_id" ref="model_care_ticket" />\n'
            f'        <field name="res_id" ref="{ticket["id"]}" />\n'
            f'        <field name="activity_type_id" '
            f'ref="mail.mail_activity_data_call" />\n'
            f'        <field name="date_deadline" eval="{day_ago(days)}" />\n'
            f'        <field name="summary">{escape(summary)}</field>\n'
            f'        <field name="user_id" ref="{user}" />\n'
            f"    </record>"
        )
        self.counts["activities"] += 1


def ticket_times(ticket, rng):
    """Minutes before install of each moment of the ticket's life."""
    stage = ticket["stage"]
    # Open tickets are recent: the backlog of a team that keeps up.
    if stage == "care_stage_new":
        created = rng.randint(10, 20 * 60)
    elif stage == "care_stage_in_progress":
        created = rng.randint(4 * 60, 4 * DAY)
    elif stage == "care_stage_waiting":
        created = rng.randint(DAY, 6 * DAY)
    else:
        created = rng.randint(5 * DAY, 89 * DAY)
    if stage != "care_stage_new":
        created = in_office_hours(created, rng)
    # SLA outcome: late first replies and late resolutions now and then. Fast
    # replies are in time whatever the calendar (working time <= wall time).
    late_reply = rng.random() < 0.1
    late_close = rng.random() < 0.15
    if late_reply and created > 5 * DAY:
        first_reply = rng.randint(4 * DAY, 5 * DAY)
    else:
        # Within the tightest first-response target of the priority.
        first_reply = rng.randint(5, {3: 45, 2: 100}.get(ticket["priority"], 300))
    first_reply = min(first_reply, max(created - 5, 1))
    if late_close:
        close_after = rng.randint(11 * DAY, 18 * DAY)
    else:
        limit = {3: 7 * 60, 2: 15 * 60}.get(ticket["priority"], 38 * 60)
        close_after = rng.randint(first_reply + 30, max(limit, first_reply + 60))
    return created, first_reply, min(close_after, created - 10)


def build_ticket(story, ticket, fields_out):
    _anchor[0] = NOW if ticket["stage"] == "care_stage_new" else ANCHOR
    try:
        _build_ticket(story, ticket, fields_out)
    finally:
        _anchor[0] = ANCHOR


def _build_ticket(story, ticket, fields_out):
    rng = seeded("ticket", ticket["num"])
    english = ticket["partner"] in ENGLISH
    stage = ticket["stage"]
    agent = ticket["user"] or rng.choice(TEAM_MEMBERS[ticket["team"]])
    agent_partner = f"{agent}_res_partner"
    customer = ticket["partner"]
    created, first_reply, close_after = ticket_times(ticket, rng)
    at = created  # minutes before install, decreasing as the story goes on
    arc = partner_arc(customer)
    customer_kind = {"email": "email", "phone": "email", "walk_in": "email"}.get(
        ticket["channel"], "portal"
    )
    last_customer = last_agent = None
    closed = stage in CLOSED
    out = {"create_date": ago(created), "date_last_stage_update": ago(created)}
    if ticket["user"] is None and stage != "care_stage_new":
        out["user_id"] = agent
    if out.get("user_id") or ticket["user"]:
        out["date_assigned"] = ago(created - 2)

    # 1. The opening email is the customer's first message.
    if ticket["channel"] == "email" and ticket["description"]:
        story.message(ticket, "open", at, customer, ticket["description"], "email")
        last_customer = at
    if stage == "care_stage_new":
        fields_out[ticket["id"]] = out
        if last_customer is not None:
            out["date_last_customer_message"] = ago(last_customer)
        return
    # 2. Phone and walk-in tickets start with the agent's note of the call.
    if ticket["channel"] in ("phone", "walk_in"):
        story.message(
            ticket, "call", at - 3, agent_partner, html(rng.choice(PHONE_NOTES)), "note"
        )
    # 3. The agent's first public reply.
    at = created - first_reply
    text = (
        rng.choice(AGENT_FIRST_EN)
        if english
        else rng.choice(AGENT_FIRST[ticket["type"]])
    ).format(agent=AGENT_NAMES[agent])
    story.message(ticket, "reply1", at, agent_partner, html(text), "reply")
    out["date_first_reply"] = ago(at)
    last_agent = at
    if rng.random() < 0.3:
        author = "user_lead_care_res_partner" if rng.random() < 0.5 else agent_partner
        story.message(ticket, "note", at - 20, author, html(rng.choice(NOTES)), "note")
    # 4. The customer answers (most of them do).
    if rng.random() < 0.85 or last_customer is None:
        earliest = created - close_after + 20 if closed else 3
        at = last_customer = customer_answers(
            story, ticket, rng, max(at - rng.randint(30, 8 * 60), earliest, 3), arc
        )
    # 5. Where the ticket is now.
    if stage == "care_stage_waiting":
        at = max(at - rng.randint(20, 120), 2)
        story.message(
            ticket,
            "waiting",
            at,
            agent_partner,
            html(rng.choice(AGENT_WAITING)),
            "reply",
        )
        last_agent = at
        out["date_last_stage_update"] = ago(at)
    elif stage == "care_stage_in_progress":
        if rng.random() < 0.8:
            at = max(at - rng.randint(20, 240), 2)
            story.message(
                ticket,
                "progress",
                at,
                agent_partner,
                html(rng.choice(AGENT_PROGRESS)),
                "reply",
            )
            last_agent = at
        out["date_last_stage_update"] = ago(created - first_reply)
    elif closed:
        closed_at = max(created - close_after, 1)
        last_agent, reopened_at = close_ticket(
            story, ticket, rng, closed_at, agent, customer_kind, out
        )
        last_customer = reopened_at or last_customer
    if last_customer is not None:
        out["date_last_customer_message"] = ago(last_customer)
    if last_agent is not None:
        out["date_last_agent_reply"] = ago(last_agent)
    fields_out[ticket["id"]] = out


def close_ticket(story, ticket, rng, closed_at, agent, customer_kind, out):
    """The closing reply, a reopening now and then, a rating most of the time.
    Returns (last agent reply, reopened at)."""
    english = ticket["partner"] in ENGLISH
    agent_partner = f"{agent}_res_partner"
    if ticket["stage"] == "care_stage_cancelled":
        body = rng.choice(AGENT_CANCEL)
    else:
        body = rng.choice(AGENT_CLOSE_EN if english else AGENT_CLOSE)
    solved = ticket["stage"] == "care_stage_solved"
    # Most requests are solved by the agent's first answer: the closing is then
    # logged as a note (the customer gets the stage's "solved" mail), and the
    # ticket counts as solved at first contact (FCR). Its own seeded generator,
    # so that the rest of the history stays as it was.
    one_touch = solved and seeded("one_touch", ticket["num"]).random() < 0.65
    story.message(
        ticket,
        "close",
        closed_at,
        agent_partner,
        html(body),
        "note" if one_touch else "reply",
    )
    reopened_at = None
    # Reopened tickets: the customer wrote again after the closing.
    if solved and not english and rng.random() < 0.12:
        reopened_at, closed_at = reopen_ticket(
            story, ticket, rng, closed_at, agent_partner, customer_kind
        )
        if reopened_at:
            out["reopen_count"] = "1"
    out["date_closed"] = ago(closed_at)
    out["date_last_stage_update"] = ago(closed_at)
    # Ratings: most solved tickets, the day after closing.
    if solved and rng.random() < 0.7:
        arc = partner_arc(ticket["partner"])
        rate_ticket(story, ticket, rng, arc, agent, closed_at, english)
    return closed_at, reopened_at


def customer_answers(story, ticket, rng, at, arc):
    """The customer's follow-up message and its journal entry; returns its time."""
    label = follow_up_label(rng, arc, at / DAY, ticket["stage"])
    pool = CUSTOMER_EN if ticket["partner"] in ENGLISH else CUSTOMER
    kind = "email" if ticket["channel"] in ("email", "phone", "walk_in") else "portal"
    body = html(rng.choice(pool[label]))
    message = story.message(ticket, "customer1", at, ticket["partner"], body, kind)
    story.entry(ticket, message, at, label, False)
    return at


def reopen_ticket(story, ticket, rng, closed_at, agent_partner, customer_kind):
    """The customer writes again after the closing, the agent reopens and
    solves again. Returns (reopened at, closed again at)."""
    reopen_at = closed_at - rng.randint(DAY, 3 * DAY)
    if reopen_at <= 2 * 60:
        return None, closed_at
    customer = ticket["partner"]
    message = story.message(
        ticket, "reopen", reopen_at, customer, html(CUSTOMER_REOPEN), customer_kind
    )
    story.entry(ticket, message, reopen_at, "disappointed", True)
    reply = html(rng.choice(AGENT_REOPEN))
    story.message(ticket, "reopen_reply", reopen_at - 45, agent_partner, reply, "reply")
    closed_at = max(reopen_at - rng.randint(DAY, 2 * DAY), 1)
    body = html(rng.choice(AGENT_CLOSE))
    story.message(ticket, "close2", closed_at, agent_partner, body, "reply")
    return reopen_at, closed_at


def rate_ticket(story, ticket, rng, arc, agent, closed_at, english):
    rated_at = max(closed_at - rng.randint(60, DAY), 1)
    label = follow_up_label(rng, arc, rated_at / DAY, ticket["stage"])
    value = {
        "delighted": 5,
        "satisfied": rng.choice([4, 5]),
        "neutral": 3,
        "worried": 3,
        "disappointed": 2,
        "angry": 1,
    }[label]
    feedback = "" if english else rng.choice(RATING_FEEDBACK[value])
    story.rating(ticket, agent, rated_at, value, feedback)


def add_activities(story, tickets):
    """Call-backs on open tickets: overdue, due today, upcoming."""
    open_tickets = [
        t
        for t in tickets
        if t["stage"] in ("care_stage_in_progress", "care_stage_waiting")
    ]
    rng = seeded("activities")
    chosen = rng.sample(open_tickets, 20)
    due = [3, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, -1, -1, -1, -2, -2, -3, -4, -5]
    for ticket, days in zip(chosen, due, strict=True):
        user = ticket["user"] or seeded("ticket", ticket["num"]).choice(
            TEAM_MEMBERS[ticket["team"]]
        )
        story.activity(ticket, user, days, rng.choice(ACTIVITY_SUMMARIES))


def patch_tickets(xml, fields_out):
    xml = GENERATED_FIELDS.sub("", xml)

    def insert(match):
        block = match.group(0)
        xmlid = re.search(r'<record id="(care_ticket_demo_\d+)"', block).group(1)
        lines = []
        for name, value in fields_out[xmlid].items():
            if name == "user_id":
                if '"user_id"' not in block:
                    lines.append(f'        <field name="user_id" ref="{value}" />')
            elif name == "reopen_count":
                lines.append(f'        <field name="reopen_count" eval="{value}" />')
            else:
                lines.append(f'        <field name="{name}" eval="{value}" />')
        return block.replace(
            "\n    </record>", "\n" + "\n".join(lines) + "\n    </record>"
        )

    return re.sub(
        r'<record id="care_ticket_demo_\d+".*?\n    </record>', insert, xml, flags=re.S
    )


HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<!--
    Generated by demo/build_history.py (edit that script, not this file): the
    chatter, journal entries, ratings and call-backs of the demo tickets, dated
    relative to the install.
-->
<odoo noupdate="1">
"""


def main():
    xml = TICKETS.read_text(encoding="utf-8")
    tickets = parse_tickets(xml)
    story = Story()
    fields_out = {}
    for ticket in tickets:
        build_ticket(story, ticket, fields_out)
    for xmlid, count in story.replies.items():
        fields_out[xmlid]["agent_reply_count"] = str(count)
    add_activities(story, tickets)
    TICKETS.write_text(patch_tickets(xml, fields_out), encoding="utf-8")
    # The ratings above are created consumed, with their document: Odoo computes
    # the tickets' last rating before the rating's model name is stored, and
    # finds none (the CSAT of the demo was empty). Computed again, once all are in.
    story.records.append(
        '    <function model="care.ticket" name="_compute_rating_last_value">\n'
        '        <value model="care.ticket"'
        " search=\"[('rating_ids', '!=', False)]\" />\n"
        "    </function>"
    )
    OUT.write_text(HEADER + "\n".join(story.records) + "\n</odoo>\n", encoding="utf-8")
    print(f"{len(tickets)} tickets dated; {story.counts}")


if __name__ == "__main__":
    main()
