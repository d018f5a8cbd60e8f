"""Net Promoter Score (issue 13, scope 3): "How likely are you to recommend
us to a friend?", 0 to 10, answered with one click from an e-mail.

A light model of ours rather than Odoo's ``survey``: a click in the mail must
record the score from the URL alone (``/care/nps/<token>/<score>``), where a
survey's scale question is answered on the survey's own session pages (start,
then submit): two steps and a session before anything is recorded. Here the
answer exists before the mail is sent (its token is in the links), the click
fills it, and the comment is optional on the page the click opens.

A second click (another number in the same mail) changes the score while the
answer is open: until the comment is sent, and at most ``NPS_CHANGE_HOURS``
after the first click. After that the page shows the recorded answer and
changes nothing."""

import logging
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .locking import lock_free_rows, run_job_batches

_logger = logging.getLogger(__name__)

NPS_CATEGORIES = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]
# The customer may change their score for this long after the first click.
NPS_CHANGE_HOURS = 24
# Customers handled per committed batch of the sending job.
NPS_BATCH_SIZE = 200
# A solved ticket or a delivery older than the delay plus this gets no survey:
# turning NPS on does not survey last year's customers.
NPS_HORIZON_DAYS = 7
COMPLAINT_TYPE = "customer_care.care_ticket_type_complaint"


def nps_category(score):
    """Promoter (9-10), passive (7-8) or detractor (0-6); None unanswered."""
    if score is None or score is False:
        return False
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


class CareNpsAnswer(models.Model):
    _name = "care.nps.answer"
    _description = "NPS Answer"
    _order = "sent_at desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        help="The customer (commercial partner) asked.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    score = fields.Integer(aggregator="avg", help="0 to 10; empty until answered.")
    category = fields.Selection(
        NPS_CATEGORIES, compute="_compute_category", store=True, index=True
    )
    sent_at = fields.Datetime(
        string="Sent on", required=True, default=fields.Datetime.now, index=True
    )
    answered_at = fields.Datetime(string="Answered on", readonly=True, index=True)
    comment = fields.Text()
    comment_sent = fields.Boolean(
        readonly=True, help="The customer sent the comment page: the answer is final."
    )
    ticket_id = fields.Many2one(
        "care.ticket", index="btree_not_null", check_company=True
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", check_company=True
    )
    access_token = fields.Char(
        required=True,
        copy=False,
        default=lambda self: self._default_access_token(),
        groups="base.group_system",
    )
    entry_id = fields.Many2one(
        "care.emotion.entry",
        string="Journal Entry",
        readonly=True,
        ondelete="set null",
        groups="customer_care.customer_care_group_user",
    )
    follow_up_done = fields.Boolean(
        string="Detractor Follow-up Planned",
        readonly=True,
        help="Technical: a detractor's follow-up was planned (once per answer).",
    )

    _score_range = models.Constraint(
        "CHECK (score IS NULL OR (score >= 0 AND score <= 10))",
        "An NPS score goes from 0 to 10.",
    )
    _access_token_uniq = models.UniqueIndex(
        "(access_token)", "Each NPS answer has its own link."
    )

    @api.model
    def _default_access_token(self):
        return str(uuid.uuid4())

    @api.depends("score", "answered_at")
    def _compute_category(self):
        for answer in self:
            answer.category = (
                nps_category(answer.score) if answer.answered_at else False
            )

    # ---- answering (controllers/nps.py) ----

    def _can_change(self):
        """The score can still be set: never answered, or answered less than
        ``NPS_CHANGE_HOURS`` ago and the comment not sent."""
        self.ensure_one()
        if not self.answered_at:
            return True
        if self.comment_sent:
            return False
        return fields.Datetime.now() <= self.answered_at + timedelta(
            hours=NPS_CHANGE_HOURS
        )

    def _record_score(self, score):
        """The customer clicked ``score``: record it when the answer is still
        open; return whether it was recorded. Runs as superuser (public page,
        token checked by the caller)."""
        self.ensure_one()
        if not 0 <= score <= 10 or not self._can_change():
            return False
        values = {"score": score}
        if not self.answered_at:
            values["answered_at"] = fields.Datetime.now()
        self.write(values)
        self._sync_journal()
        self._follow_up_detractor()
        return True

    def _record_comment(self, comment):
        self.ensure_one()
        if not self.answered_at or self.comment_sent:
            return False
        self.write({"comment": (comment or "").strip() or False, "comment_sent": True})
        self._sync_journal()
        return True

    def _sync_journal(self):
        """One journal entry per answer (source "survey"), updated when the
        score or the comment changes: a detractor is a negative entry, a
        promoter a positive one; the comment refines it through the
        detector, as a rating's comment does."""
        Entry = self.env["care.emotion.entry"].sudo()
        for answer in self.filtered("answered_at"):
            values = answer._emotion_values()
            entry = answer.sudo().entry_id
            if entry:
                entry.with_context(care_no_correction=True).write(values)
                continue
            answer.sudo().entry_id = Entry.create(
                Entry._entry_vals(
                    "survey",
                    answer.partner_id,
                    ticket=answer.ticket_id,
                    values=values,
                    date=answer.answered_at,
                    **(
                        {"res_model": "sale.order", "res_id": answer.sale_order_id.id}
                        if answer.sale_order_id and not answer.ticket_id
                        else {}
                    ),
                )
            )

    def _emotion_values(self):
        """The emotion of an NPS answer: a detractor (0-6) disappointed (angry
        when the comment is), stronger the lower the score; a passive neutral
        (or the comment's worry); a promoter satisfied, delighted for a 10 or a
        delighted comment."""
        self.ensure_one()
        Entry = self.env["care.emotion.entry"]
        detected = Entry._detect_text(self.comment) if self.comment else None
        text_label = detected["label"] if detected else None
        text_intensity = detected["intensity"] if detected else 1
        score = self.score
        if score <= 6:
            label = "angry" if text_label == "angry" else "disappointed"
            intensity = max(5 if score <= 2 else 4 if score <= 4 else 3, text_intensity)
        elif score <= 8:
            label = (
                text_label if text_label in ("worried", "disappointed") else "neutral"
            )
            intensity = max(2, text_intensity) if label != "neutral" else 2
        else:
            label = (
                "delighted" if score == 10 or text_label == "delighted" else "satisfied"
            )
            intensity = max(4 if score == 10 else 3, text_intensity)
        return {
            "label": label,
            "intensity": min(intensity, 5),
            "detected_label": label,
            "detected_intensity": min(intensity, 5),
            "confidence": 1.0,
            "language": detected.get("language") if detected else False,
            "note": self.comment or False,
        }

    def _follow_up_detractor(self):
        """A detractor gets exactly one follow-up call ("NPS detractor"),
        however often they click: planned once per answer, and the follow-up
        API never opens a second one for the customer."""
        for answer in self.filtered(
            lambda a: a.category == "detractor" and not a.follow_up_done
        ):
            partner = answer.partner_id
            partner._care_schedule_follow_up(
                "customer_care.mail_activity_type_care_nps_detractor",
                team=answer.ticket_id.team_id or None,
                reason=self.env._("NPS score %(score)s/10", score=answer.score),
            )
            answer.follow_up_done = True

    # ---- sending ----

    @api.model
    def _cron_send_surveys(self, batch_size=NPS_BATCH_SIZE):
        """Send the NPS surveys that are due, batch after batch
        (``run_job_batches``: lock-safe with two workers)."""
        run_job_batches(
            self.env,
            lambda: self._send_surveys(batch_size),
            lambda: len(self._due_customers(limit=None)),
            "NPS surveys",
        )

    @api.model
    def _due_customers(self, limit=NPS_BATCH_SIZE):
        """``{commercial partner: (company, ticket, sale order)}``: customers
        with a ticket solved or an order delivered ``care_nps_delay_days``
        ago (within ``NPS_HORIZON_DAYS``), in companies that survey, who were
        not asked within ``care_nps_throttle_days`` and have no open
        complaint."""
        now = fields.Datetime.now()
        due = {}
        for company in self.env["res.company"].search(
            [("care_nps_enabled", "=", True)]
        ):
            until = now - timedelta(days=company.care_nps_delay_days)
            since = until - timedelta(days=NPS_HORIZON_DAYS)
            tickets = self.env["care.ticket"].search(
                [
                    ("company_id", "=", company.id),
                    ("is_closed", "=", True),
                    ("stage_id.follow_up_after_close", "=", True),
                    ("date_closed", ">", since),
                    ("date_closed", "<=", until),
                    ("commercial_partner_id", "!=", False),
                ],
                order="date_closed desc",
            )
            for ticket in tickets:
                due.setdefault(ticket.commercial_partner_id, (company, ticket, None))
            pickings = self.env["stock.picking"].search(
                [
                    ("company_id", "=", company.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                    ("date_done", ">", since),
                    ("date_done", "<=", until),
                    ("sale_id", "!=", False),
                ],
                order="date_done desc",
            )
            for picking in pickings:
                partner = picking.sale_id.partner_id.commercial_partner_id
                due.setdefault(partner, (company, None, picking.sale_id))
        if not due:
            return {}
        partners = self.env["res.partner"].browse([p.id for p in due])
        throttled = set()
        for company in {values[0] for values in due.values()}:
            asked = self.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    (
                        "sent_at",
                        ">",
                        now - timedelta(days=company.care_nps_throttle_days),
                    ),
                ]
            ).partner_id
            throttled.update((p.id, company.id) for p in asked)
        complaint = self.env.ref(COMPLAINT_TYPE, raise_if_not_found=False)
        complaining = set()
        if complaint:
            complaining = set(
                self.env["care.ticket"]
                .search(
                    [
                        ("commercial_partner_id", "in", partners.ids),
                        ("is_closed", "=", False),
                        ("type_id", "=", complaint.id),
                    ]
                )
                .commercial_partner_id.ids
            )
        result = {}
        for partner, values in due.items():
            if (partner.id, values[0].id) in throttled or partner.id in complaining:
                continue
            if not partner.email:
                continue
            if partner._care_consent_state("marketing") == "withdrawn":
                continue  # the customer asked not to be contacted
            result[partner] = values
            if limit and len(result) >= limit:
                break
        return result

    @api.model
    def _send_surveys(self, limit=NPS_BATCH_SIZE):
        """One batch: create an answer per due customer and mail its link.
        The customers' rows are locked (``SKIP LOCKED``) so that two workers
        never survey the same customer twice; return how many were sent."""
        due = self._due_customers(limit=limit)
        if not due:
            return 0
        partners = self.env["res.partner"].browse([p.id for p in due])
        locked = lock_free_rows(partners)
        template = self.env.ref(
            "customer_care.mail_template_care_nps", raise_if_not_found=False
        )
        answers = self.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "ticket_id": ticket.id if ticket else False,
                    "sale_order_id": order.id if order else False,
                }
                for partner, (company, ticket, order) in due.items()
                if partner in locked
            ]
        )
        if template:
            for answer in answers:
                template.send_mail(
                    answer.id, email_layout_xmlid="mail.mail_notification_light"
                )
        return len(answers)

    # ---- reporting ----

    @api.model
    def _nps(self, domain=None):
        """NPS of the answered answers in ``domain``, with one grouped query."""
        domain = Domain(domain or Domain.TRUE) & Domain("answered_at", "!=", False)
        counts = dict(self._read_group(domain, ["category"], ["__count"]))
        total = sum(counts.values())
        if not total:
            return 0.0
        return round(
            100.0 * (counts.get("promoter", 0) - counts.get("detractor", 0)) / total, 1
        )

    def _score_links(self):
        """The eleven links of the mail, 0 to 10."""
        self.ensure_one()
        base = self.get_base_url()
        # sudo: the token is a technical field (system group), read to build
        # the customer's own links.
        token = self.sudo().access_token
        return [(score, f"{base}/care/nps/{token}/{score}") for score in range(11)]

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """NPS answers: the score stays for the NPS of past periods, the
        customer's comment goes."""
        answers = self.search([("partner_id", "in", partners.ids)], order="id")
        return [
            {
                "records": answers,
                "export": [
                    "sent_at",
                    "answered_at",
                    "score",
                    "category",
                    "comment",
                    "ticket_id",
                    "sale_order_id",
                ],
                "erase": {"comment": False},
            }
        ]
