import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..lib.emotion import detect
from .care_emotion_label import EMOTION_LABELS, NEGATIVE_LABELS

_logger = logging.getLogger(__name__)

SOURCES = [
    ("message", "Customer Message"),
    ("rating", "Rating"),
    ("call_note", "Agent Call Note"),
    ("survey", "Survey"),
    ("manual", "Manual"),
]
# Entries a person records (they are its "Recorded by"); the others are detected.
PERSON_SOURCES = {"call_note", "manual"}
CAUSES = [
    ("product", "Product"),
    ("delivery", "Delivery"),
    ("price", "Price / Billing"),
    ("staff", "Staff Attitude"),
    ("waiting", "Waiting Time"),
    ("technical", "Technical Problem"),
]
TRENDS = [
    ("improving", "Improving"),
    ("stable", "Stable"),
    ("worsening", "Worsening"),
]

# How each emotion pulls the customer's mood, from -1 (angry) to +1 (delighted).
VALENCE = {
    "angry": -1.0,
    "disappointed": -0.7,
    "worried": -0.4,
    "neutral": 0.0,
    "satisfied": 0.6,
    "delighted": 1.0,
}
MOOD_HALF_LIFE_DAYS = 14  # an entry two weeks old weighs half as much as today's
MOOD_HORIZON_DAYS = 365  # older entries no longer say how the customer feels
# The mood follows the sign of the score (-100..+100): within this band of zero
# the customer is "neutral": one worried entry of intensity 1 among three neutral
# ones scores -7 (neutral), one disappointed entry of intensity 3 among four
# neutral ones -12.6 (disappointed), all of the same age and confidence.
MOOD_NEUTRAL_BAND = 10.0
MOOD_LAST_NEGATIVE = 3  # the last three entries negative: the mood is negative
TREND_WINDOW_DAYS = 30  # trend: the last 30 days against the 90 days before
TREND_PREVIOUS_DAYS = 90
TREND_THRESHOLD = 0.25  # change of average valence that counts as a trend
REPLY_SUBJECT = re.compile(r"^\s*(re|fw|fwd|tr|aw|sv)\s*:", re.IGNORECASE)
MAX_TEXT_CHARS = 20000  # a pasted log does not make mail intake slow


def entry_value(label, intensity):
    """Valence of one entry, scaled by its intensity (1..5), within [-1, 1]."""
    value = VALENCE.get(label, 0.0) * (0.6 + 0.1 * (intensity or 1))
    return max(-1.0, min(1.0, value))


def compute_mood(entries, now):
    """Mood of a customer from ``(date, label, intensity, confidence)`` tuples.

    Recent entries weigh more (exponential decay, half-life 14 days) and
    confident ones more than guesses. Returns ``(label, score, trend)``:

    - ``score``: the signed, weighted average of the entries' valence, from
      -100 (furious) to +100 (delighted);
    - ``label``: decided by the sign of the score, never by a vote between
      labels (negatives spread over angry, worried and disappointed would lose
      to one "neutral"): ``score <= -MOOD_NEUTRAL_BAND`` gives the negative
      label that weighs most, ``score >= MOOD_NEUTRAL_BAND`` the positive label
      that weighs most, anything between ``neutral``. When the customer's last
      ``MOOD_LAST_NEGATIVE`` entries are all negative the mood is negative
      whatever the older entries say, so "the last three entries are negative
      and the mood is not" cannot happen;
    - ``trend``: the last 30 days against the 90 before.

    Pure function, so the rule can be tested and explained without Odoo.
    """
    if not entries:
        return False, 0.0, False
    weighted = total = 0.0
    by_label = {}
    recent, previous = [], []
    for date, label, intensity, confidence in entries:
        age_days = max((now - date).total_seconds() / 86400.0, 0.0)
        weight = 0.5 ** (age_days / MOOD_HALF_LIFE_DAYS) * (0.5 + 0.5 * confidence)
        value = entry_value(label, intensity)
        weighted += weight * value
        total += weight
        by_label[label] = by_label.get(label, 0.0) + weight * (0.6 + 0.1 * intensity)
        if age_days <= TREND_WINDOW_DAYS:
            recent.append(value)
        elif age_days <= TREND_WINDOW_DAYS + TREND_PREVIOUS_DAYS:
            previous.append(value)
    score = round(100.0 * weighted / total, 1) if total else 0.0
    last = sorted(entries, key=lambda e: e[0], reverse=True)[:MOOD_LAST_NEGATIVE]
    if len(last) == MOOD_LAST_NEGATIVE and all(VALENCE[e[1]] < 0 for e in last):
        side = -1
    elif score <= -MOOD_NEUTRAL_BAND:
        side = -1
    elif score >= MOOD_NEUTRAL_BAND:
        side = 1
    else:
        side = 0
    label = "neutral"
    if side:
        weights = {
            code: weight
            for code, weight in by_label.items()
            if VALENCE[code] * side > 0
        }
        # Equal weights: the stronger feeling wins (angry before worried).
        label = max(weights, key=lambda code: (weights[code], abs(VALENCE[code])))
    trend = "stable"
    if recent and previous:
        change = sum(recent) / len(recent) - sum(previous) / len(previous)
        if change >= TREND_THRESHOLD:
            trend = "improving"
        elif change <= -TREND_THRESHOLD:
            trend = "worsening"
    return label, score, trend


class CareEmotionEntry(models.Model):
    """One observation of how a customer felt: detected from a message or a
    rating, noted by an agent after a call, or entered by hand.

    Visible to Customer Care users only (ACL); the detector's first answer is
    kept in ``detected_label`` when an agent corrects it, so the accuracy of
    the detector in real use can be reported (pivot detected vs. label)."""

    _name = "care.emotion.entry"
    _description = "Customer Emotion Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ---- who and where ----
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    # Both precomputed: written by the INSERT, not by an UPDATE after it (one
    # query less per customer message on the mail-intake path).
    # Indexed by _commercial_partner_date_idx below (this column first).
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        precompute=True,
    )
    ticket_id = fields.Many2one(
        "care.ticket", index="btree_not_null", check_company=True
    )
    res_model = fields.Char(
        string="Related Document Model",
        index=True,
        help="Technical: a sale order or a lead this entry is about, filled by "
        "the sales and CRM bridges.",
    )
    res_id = fields.Many2oneReference(
        string="Related Document ID", model_field="res_model"
    )
    # What the entry is about, besides the ticket (filled by _entry_vals from
    # the ticket's links): so "how do customers feel about late deliveries" is
    # one pivot. The order's and opportunity's names are shown to every reader
    # of the entry (web_read reads a many2one's name as superuser); opening
    # them needs the sales rights.
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        ondelete="set null",
        help="The order the customer spoke about: the ticket's only linked order.",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
    )
    delivery_late = fields.Boolean(
        string="Late Delivery",
        help="When the customer expressed this, the order's delivery was late: "
        "delivered after the promised date, or still not delivered after it.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    # ---- what ----
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    label = fields.Selection(EMOTION_LABELS, string="Emotion", required=True)
    intensity = fields.Integer(default=3, required=True, aggregator="avg")
    confidence = fields.Float(
        digits=(3, 2),
        default=1.0,
        aggregator="avg",
        help="How sure the detector was (1 for a person's judgement).",
    )
    is_negative = fields.Boolean(
        string="Negative", compute="_compute_is_negative", store=True, precompute=True
    )
    source = fields.Selection(SOURCES, required=True, default="manual")
    message_id = fields.Many2one(
        "mail.message", index="btree_not_null", ondelete="set null"
    )
    rating_id = fields.Many2one(
        "rating.rating", index="btree_not_null", ondelete="cascade"
    )
    rating_value = fields.Float(aggregator="avg")
    cause = fields.Selection(CAUSES)
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        help="Empty when the entry was detected automatically.",
    )
    note = fields.Text()
    language = fields.Char(help="Language the detector recognised (vi, en, …).")
    ticket_closed = fields.Boolean(
        string="After Closing",
        help="The ticket was already closed when the customer expressed this.",
    )

    # ---- detection and correction ----
    detected_label = fields.Selection(
        EMOTION_LABELS,
        string="Detected Emotion",
        readonly=True,
        help="What the detector found; kept when an agent corrects the label.",
    )
    detected_intensity = fields.Integer(readonly=True)
    corrected = fields.Boolean(readonly=True, copy=False)
    corrected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_corrected = fields.Datetime(string="Corrected on", readonly=True, copy=False)
    scenario_run_ids = fields.One2many(
        "care.scenario.run", "entry_id", string="Scenario Runs"
    )

    _intensity_range = models.Constraint(
        "CHECK (intensity BETWEEN 1 AND 5)", "The intensity goes from 1 to 5."
    )
    _confidence_range = models.Constraint(
        "CHECK (confidence >= 0 AND confidence <= 1)",
        "The confidence goes from 0 to 1.",
    )
    # A customer's entries newest first (the 360° timeline pages them with
    # "ORDER BY date DESC NULLS LAST, id DESC LIMIT n"): read in index order,
    # the record rules are checked on the page's rows only, not on every
    # entry of the customer. Replaces the plain commercial_partner_id index.
    _commercial_partner_date_idx = models.Index(
        "(commercial_partner_id, date DESC NULLS LAST, id DESC)"
    )
    _rating_uniq = models.UniqueIndex(
        "(rating_id) WHERE rating_id IS NOT NULL",
        "A rating gives one journal entry.",
    )

    @api.depends("label")
    def _compute_is_negative(self):
        for entry in self:
            entry.is_negative = entry.label in NEGATIVE_LABELS

    @api.depends("label", "intensity", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["label"]._description_selection(self.env))
        for entry in self:
            entry.display_name = self.env._(
                "%(label)s (%(intensity)s/5) - %(customer)s",
                label=labels.get(entry.label, ""),
                intensity=entry.intensity,
                customer=entry.partner_id.display_name or "",
            )

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["care.ticket"].browse(
            {v["ticket_id"] for v in vals_list if v.get("ticket_id")}
        )
        for vals in vals_list:
            if vals.get("ticket_id"):
                ticket = tickets.browse(vals["ticket_id"])
                vals.setdefault("company_id", ticket.company_id.id)
                if not vals.get("partner_id"):
                    vals["partner_id"] = ticket.partner_id.id
            if (
                vals.get("detected_label")
                and vals.get("label") != vals["detected_label"]
            ):
                vals.setdefault("corrected", bool(vals.get("label")))
            vals.setdefault("label", vals.get("detected_label") or "neutral")
        vals_list = self._without_objections(vals_list)
        entries = super().create(vals_list)
        if not self.env.context.get("care_no_scenario"):
            entries._run_scenarios()
        return entries

    def _without_objections(self, vals_list):
        """The one place consent is checked (every source of the journal
        comes through ``create``): the entries of customers who objected to
        emotion analysis, or who were never asked in a company that analyses
        only with consent (Settings), are not recorded. Detected entries are
        dropped silently (the message is posted as usual); an entry a person
        records is refused with the reason."""
        partners = self.env["res.partner"].browse(
            {v["partner_id"] for v in vals_list if v.get("partner_id")}
        )
        companies = self.env["res.company"].browse(
            {v.get("company_id") or self.env.company.id for v in vals_list}
        )
        # sudo: consent states and company defaults are read for whoever
        # triggers the entry, a portal customer included.
        refused = {
            (partner.id, company.id)
            for partner in partners.sudo()
            for company in companies.sudo()
            if not partner._care_consent_allows("emotion", company)
        }
        if not refused:
            return vals_list
        kept = []
        for vals in vals_list:
            key = (
                vals.get("partner_id"),
                vals.get("company_id") or self.env.company.id,
            )
            if key not in refused:
                kept.append(vals)
            elif vals.get("source", "manual") in PERSON_SOURCES:
                raise UserError(
                    self.env._(
                        "%(customer)s has not agreed to emotion analysis: no "
                        "journal entry can be recorded for them.",
                        customer=partners.browse(key[0]).display_name,
                    )
                )
        return kept

    def write(self, vals):
        if "label" in vals and not self.env.context.get("care_no_correction"):
            # A person changed the emotion: remember it was a correction, keep
            # what the detector said.
            corrected = self.filtered(
                lambda e: e.detected_label and e.detected_label != vals["label"]
            )
            super(CareEmotionEntry, corrected).write(
                {
                    "corrected": True,
                    "corrected_by_id": self.env.uid,
                    "date_corrected": fields.Datetime.now(),
                    "confidence": 1.0,
                }
            )
            super(CareEmotionEntry, self - corrected).write({"corrected": False})
        res = super().write(vals)
        if "label" in vals or "intensity" in vals:
            self._run_scenarios()
        return res

    # ---- actions ----

    def action_correct_label(self):
        """One-click correction from the buttons of the form and list
        (``context={'care_label': 'angry'}``)."""
        label = self.env.context.get("care_label")
        if label not in dict(EMOTION_LABELS):
            raise UserError(self.env._("Choose one of the six emotions."))
        self.write({"label": label})
        return True

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "care.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    # ---- detection ----

    @api.model
    def _detect_text(self, text, company=None):
        """``detect()`` on a message, with the adaptation ``company`` learnt
        from its agents' corrections (models/care_emotion_adaptation.py), never
        failing the caller: a broken detector must not lose a customer's email."""
        try:
            layer = self.env["care.emotion.adaptation"]._layer_for(
                company or self.env.company
            )
            return detect((text or "")[:MAX_TEXT_CHARS], layer)
        except Exception:  # mail intake must go on whatever the detector does
            _logger.exception("Emotion detection failed")
            return None

    @api.model
    def _values_from_text(self, text, company=None):
        result = self._detect_text(text, company)
        if not result:
            return {}
        return {
            "detected_label": result["label"],
            "detected_intensity": result["intensity"],
            "label": result["label"],
            "intensity": result["intensity"],
            "confidence": result["confidence"],
            "language": result.get("language") or False,
        }

    @api.model
    def _values_from_rating(self, rating_value, feedback):
        """Emotion of a rating, refined by its comment when there is one.

        - 1-2 (dissatisfied): ``disappointed``, or ``angry`` when the comment
          is angry; intensity 4 for 1 star, 3 for 2 stars, or the comment's
          if stronger.
        - 3 (okay): ``neutral``, or the comment's ``disappointed``/``worried``.
        - 4-5 (satisfied): ``satisfied``, or ``delighted`` when the comment is
          delighted (a 5 with no comment stays satisfied: a click is not
          delight).
        A rating is the customer's own statement, so confidence is 1.
        """
        detected = self._detect_text(feedback) if feedback else None
        text_label = detected["label"] if detected else None
        text_intensity = detected["intensity"] if detected else 1
        if rating_value <= 2:
            label = "angry" if text_label == "angry" else "disappointed"
            intensity = max(4 if rating_value <= 1 else 3, text_intensity)
        elif rating_value < 4:
            label = (
                text_label if text_label in ("disappointed", "worried") else "neutral"
            )
            intensity = max(2, text_intensity) if label != "neutral" else 2
        else:
            label = "delighted" if text_label == "delighted" else "satisfied"
            intensity = max(4 if rating_value >= 5 else 3, text_intensity)
        return {
            "detected_label": label,
            "detected_intensity": intensity,
            "label": label,
            "intensity": min(intensity, 5),
            "confidence": 1.0,
            "rating_value": rating_value,
            "language": detected.get("language") if detected else False,
        }

    @api.model
    def _message_text(self, message, msg_vals):
        """What ``detect()`` scores of a message: its subject (unless it is a
        reply's "Re:") and its body *as HTML*. ``detect()`` drops the quoted
        earlier thread (``blockquote``, mail clients' and Odoo's quote
        containers, "On ... wrote:") and the signature before scoring; turned
        into plain text first, the quote would read as the customer's words."""
        # msg_vals first: reading the message would cost a query.
        body = str((msg_vals["body"] if "body" in msg_vals else message.body) or "")
        subject = (
            msg_vals["subject"] if "subject" in msg_vals else message.subject
        ) or ""
        if subject and not REPLY_SUBJECT.match(subject):
            body = f"{subject}\n{body}"
        return body.strip() if html2plaintext(body).strip() else ""

    @api.model
    def _entry_vals(self, source, partner, ticket=None, values=None, **extra):
        """Values of one journal entry, whatever made it: a customer's mail,
        portal or chat message, a rating, an agent's call note, a survey, the
        description of an older ticket. The one place that says which customer,
        ticket, company and recorder an entry has.

        ``values``: the emotion (``_values_from_text``, ``_values_from_rating``
        or a person's choice); ``extra``: the fields of one source
        (``message_id``, ``rating_id``, ``cause``, ``date``...), which win.
        """
        ticket = ticket or self.env["care.ticket"]
        vals = {
            **(values or {}),
            "source": source,
            "partner_id": partner.id,
            "ticket_id": ticket.id,
            "company_id": ticket.company_id.id or self.env.company.id,
            "ticket_closed": ticket.is_closed,
            # Detected entries have no recorder; a person's have that person.
            "user_id": self.env.uid if source in PERSON_SOURCES else False,
        }
        vals.update(extra)
        if ticket:
            vals.update(
                self._document_vals(ticket, vals.get("date") or fields.Datetime.now())
            )
        return vals

    @api.model
    def _document_vals(self, ticket, date):
        """The order or opportunity an entry of ``ticket`` is about: the
        ticket's order when it is linked to exactly one (with whether its
        delivery was late at ``date``), and the ticket's opportunity. The
        generic ``res_model``/``res_id`` point to the order, else to the
        opportunity."""
        # sudo: the journal is Customer Care data whoever posts the message (a
        # customer, an agent without sales rights); only the links are read.
        ticket = ticket.sudo()
        orders = ticket.sale_order_ids
        order = orders if len(orders) == 1 else orders.browse()
        lead = ticket.lead_id
        vals = {
            "sale_order_id": order.id,
            "lead_id": lead.id,
            "delivery_late": bool(order) and self._order_delivery_late(order, date),
        }
        document = order or lead
        if document:
            vals.update(res_model=document._name, res_id=document.id)
        return vals

    @api.model
    def _order_delivery_late(self, order, date):
        """Whether ``order``'s delivery was late at ``date``: the first
        delivery (sale_stock's ``effective_date``) came after the promised date
        (the commitment date, else the expected date), or had not come yet
        when the promised date was past."""
        if order.state != "sale":
            return False
        promised = order.commitment_date or order.expected_date
        if not promised:
            return False
        delivered = order.effective_date
        if delivered and delivered <= date:
            return delivered > promised
        return date > promised

    @api.model
    def _create_from_ticket_descriptions(self, tickets=None):
        """Entries from what customers first wrote (the ticket description),
        dated at the ticket's creation, for tickets that have no message entry
        yet: starts the journal on a database that already has tickets, and
        fills the demo. No scenario fires: these feelings are history."""
        if tickets is None:
            tickets = self.env["care.ticket"].search([("partner_id", "!=", False)])
        done = set(
            self.search(
                [("ticket_id", "in", tickets.ids), ("source", "=", "message")]
            ).ticket_id.ids
        )
        vals_list = []
        for ticket in tickets:
            if ticket.id in done or not ticket.partner_id:
                continue
            text = html2plaintext(ticket.description or "").strip()
            values = self._values_from_text(text, ticket.company_id) if text else {}
            if not values:
                continue
            vals_list.append(
                self._entry_vals(
                    "message",
                    ticket.partner_id,
                    ticket=ticket,
                    values=values,
                    date=ticket.create_date,
                    ticket_closed=False,
                )
            )
        return self.with_context(care_no_scenario=True).create(vals_list)

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """The journal is an inference about the person: exported, and
        deleted on erasure (with the scenario runs it triggered), as the
        journal's own erase does (res.partner)."""
        entries = self.search([("partner_id", "in", partners.ids)], order="date, id")
        return [
            {
                "records": entries,
                "export": [
                    "date",
                    "ticket_id",
                    "label",
                    "intensity",
                    "confidence",
                    "source",
                    "cause",
                    "note",
                    "detected_label",
                    "corrected",
                    "rating_value",
                    "language",
                ],
                "unlink": True,
            }
        ]

    # ---- scenarios ----

    def _run_scenarios(self):
        if not self:
            return
        # sudo: scenarios are automations configured by managers; they run for
        # whoever triggered them, including a portal customer posting a message.
        scenarios = (
            self.env["care.scenario"]
            .sudo()
            .search([("active", "=", True)], order="sequence, id")
        )
        if scenarios:
            scenarios._apply_to_entries(self.sudo())

    # ---- mood ----

    @api.model
    def _mood_by_partner(self, commercial_partners):
        """``{commercial partner id: (label, score, trend, last date)}``, one
        query for all partners."""
        now = fields.Datetime.now()
        rows = self.sudo().search_fetch(
            [
                ("commercial_partner_id", "in", commercial_partners.ids),
                ("date", ">=", now - timedelta(days=MOOD_HORIZON_DAYS)),
            ],
            ["commercial_partner_id", "date", "label", "intensity", "confidence"],
        )
        data = {}
        for entry in rows:
            data.setdefault(entry.commercial_partner_id.id, []).append(
                (entry.date, entry.label, entry.intensity, entry.confidence)
            )
        result = {}
        for partner_id, entries in data.items():
            label, score, trend = compute_mood(entries, now)
            result[partner_id] = (label, score, trend, max(e[0] for e in entries))
        return result
