"""Print the figures of the demo's history (issue 11) on a demo database.

    odoo-bin shell -c .run/odoo.conf -d customer_care_demo --no-http \
        < demo/check_demo_history.py

Runs inside ``odoo-bin shell`` (``env`` is given). Each line is a figure and its
target; the SLA figure is printed as installed and after one run of the SLA job
(what the server does within a minute of starting; the job commits, as it does
in the server).
"""

from datetime import timedelta

from odoo import fields

Ticket = env["care.ticket"]  # noqa: F821 (odoo-bin shell provides env)
now = fields.Datetime.now()
tickets = Ticket.search([])
comment = env.ref("mail.mt_comment")  # noqa: F821
results = []


def figure(name, value, ok):
    results.append(bool(ok))
    print(f"{'OK ' if ok else 'BAD'} {name}: {value}")


dates = tickets.mapped("create_date")
span = (max(dates) - min(dates)).days
figure("ticket creation dates spread over (days, >= 60)", span, span >= 60)
# The portal's "Last Update" is the last message or change of status, not the
# install day: it spreads too, and is never before the creation.
updates = tickets.mapped("date_last_update")
update_span = (max(updates) - min(updates)).days
figure("portal last updates spread over (days, >= 60)", update_span, update_span >= 60)
early = len(tickets.filtered(lambda t: t.date_last_update < t.create_date))
figure("tickets updated before their creation (== 0)", early, early == 0)

messages = env["mail.message"].search(  # noqa: F821
    [
        ("model", "=", "care.ticket"),
        ("message_type", "in", ("email", "comment")),
        ("subtype_id", "=", comment.id),
    ]
)
with_customer, with_agent = set(), set()
for message in messages:
    users = message.author_id.user_ids
    if users and not all(u.share for u in users):
        with_agent.add(message.res_id)
    else:
        with_customer.add(message.res_id)
both = len(with_customer & with_agent) / len(tickets) * 100
figure(
    "tickets with a customer message and an agent reply (%, >= 60)",
    round(both),
    both >= 60,
)

ratings = env["rating.rating"].search_count(  # noqa: F821
    [("res_model", "=", "care.ticket"), ("consumed", "=", True)]
)
figure("ratings (>= 30)", ratings, ratings >= 30)

activities = env["mail.activity"].search([("res_model", "=", "care.ticket")])  # noqa: F821
today = fields.Date.context_today(Ticket)
overdue = len(activities.filtered(lambda a: a.date_deadline < today))
due_today = len(activities.filtered(lambda a: a.date_deadline == today))
figure(
    "open activities (>= 15, some overdue)",
    f"{len(activities)} ({overdue} overdue, {due_today} today)",
    len(activities) >= 15 and overdue > 0,
)

# The dashboard of the last 30 days shows working-hour durations and a CSAT: the
# history is in office hours and its ratings count (demo/build_history.py).
kpis = env["care.kpi"].compute(today - timedelta(days=29), today)  # noqa: F821
figure(
    "dashboard, last 30 days: first response median (h, > 0), CSAT (%, set)",
    f"{kpis['first_response_median']} h, {kpis['csat']} %",
    (kpis["first_response_median"] or 0) > 0 and kpis["csat"] is not None,
)

runs = env["care.scenario.run"].search_count([])  # noqa: F821
figure("scenario runs (>= 5)", runs, runs >= 5)


def sla_success():
    lines = env["care.ticket.sla"].search([("status", "in", ("reached", "failed"))])  # noqa: F821
    reached = len(lines.filtered(lambda line: line.status == "reached"))
    return round(reached / len(lines) * 100, 1), reached, len(lines) - reached


rate, reached, failed = sla_success()
figure(
    "SLA success as installed (%, 60-95)",
    f"{rate} ({reached} reached, {failed} failed)",
    60 <= rate <= 95,
)
# The job commits its batches (as the server's cron does): the database is left
# as the server would have it a minute after starting.
env["care.ticket.sla"]._cron_process_due()  # noqa: F821
env.invalidate_all()  # noqa: F821
rate, reached, failed = sla_success()
at_risk = env["care.ticket.sla"].search_count([("status", "=", "at_risk")])  # noqa: F821
figure(
    "SLA success after the SLA job (%, 60-95)",
    f"{rate} ({reached} reached, {failed} failed, {at_risk} at risk)",
    60 <= rate <= 95,
)

Entry = env["care.emotion.entry"]  # noqa: F821
bad = []
partners = Entry.search([]).commercial_partner_id
for partner in partners:
    last = Entry.search([("commercial_partner_id", "=", partner.id)], limit=3)
    if len(last) == 3 and all(e.is_negative for e in last):
        if partner.care_mood not in ("angry", "disappointed", "worried"):
            bad.append(f"{partner.name} ({partner.care_mood})")
figure(
    "customers whose last 3 entries are negative but mood is not (0)", bad or 0, not bad
)
trends = {
    trend: len(partners.filtered(lambda p, t=trend: p.care_mood_trend == t))
    for trend in ("improving", "stable", "worsening")
}
figure("mood trends", trends, trends["improving"] and trends["worsening"])
entry_days = {e.date.date() for e in Entry.search([])}
figure("days with journal entries", len(entry_days), len(entry_days) > 30)

users = env["res.users"].search(  # noqa: F821
    [
        (
            "login",
            "in",
            [  # noqa: F821
                "agent.hanoi",
                "agent.hotline",
                "agent.hcm",
                "agent.tech",
                "agent.saigon",
                "lead.care",
                "customer.portal",
                "admin",
            ],
        )
    ]
)
tz_ok = all(u.tz == "Asia/Ho_Chi_Minh" for u in users)
company = env.ref("base.main_company")  # noqa: F821
figure(
    "users and company in Asia/Ho_Chi_Minh",
    f"users {sorted(set(users.mapped('tz')))}, company calendar "
    f"{company.resource_calendar_id.name} ({company.resource_calendar_id.tz})",
    tz_ok and company.resource_calendar_id.tz == "Asia/Ho_Chi_Minh",
)
langs = sorted(set(users.filtered(lambda u: u.login != "admin").mapped("lang")))
figure("demo users' language", langs, langs == ["vi_VN"])
teams = env["care.team"].search([])  # noqa: F821
figure(
    "team calendars",
    sorted(set(teams.mapped("resource_calendar_id.name"))),
    all(t.resource_calendar_id.tz == "Asia/Ho_Chi_Minh" for t in teams),
)
figure("alias domain", company.alias_domain_id.name, bool(company.alias_domain_id))
figure("company logo", bool(company.logo), bool(company.logo))
recent = Ticket.search_count([("create_date", ">=", now - timedelta(days=1))])
print(f"--  tickets created in the last 24 h: {recent}")
print(f"RESULT {sum(results)} of {len(results)} figures OK")
env.cr.rollback()  # noqa: F821
