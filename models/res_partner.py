import logging
import operator as py_operator
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.orm.models import READ_GROUP_AGGREGATE, parse_read_group_spec
from odoo.tools import SQL

from ..lib.vntext import phone_key
from .care_consent_event import CONSENT_STATES
from .care_emotion_entry import MOOD_HORIZON_DAYS, TRENDS
from .care_emotion_label import EMOTION_LABELS, NEGATIVE_LABELS
from .care_follow_up import schedule_follow_up
from .care_nps_answer import NPS_CATEGORIES

CARE_GROUP = "customer_care.customer_care_group_user"
CARE_MANAGER = "customer_care.customer_care_group_manager"
# The customer's mood: a summary of their journal, shown to whoever may read the
# journal (see _read_format).
MOOD_FIELDS = {
    "care_mood": False,
    "care_mood_score": 0.0,
    "care_mood_trend": False,
    "care_last_contact_date": False,
    "care_is_unhappy": False,
    # The churn risk reads the mood and the journal: it is shown alike.
    "care_churn_risk": 0,
    "care_churn_risk_level": False,
}
COMPARISONS = {
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
}
CHURN_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
_logger = logging.getLogger(__name__)


def _matches_empty(empty, operator, value):
    """Whether the empty value a mood field reads as (``MOOD_FIELDS``) meets
    the normalized search condition ``operator value``."""
    if operator == "in":
        return empty in value
    if operator == "not in":
        return empty not in value
    if empty is False or operator not in COMPARISONS:
        return False  # NULL meets no comparison or pattern, as in SQL
    return COMPARISONS[operator](empty, value)


class ResPartner(models.Model):
    _inherit = "res.partner"

    care_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_care_ticket_count"
    )
    care_phone_key = fields.Char(
        string="Phone Key",
        compute="_compute_care_phone_key",
        store=True,
        index="btree_not_null",
        help="Technical: the phone number without prefix, spaces or dots, so "
        "+84 912 345 678 and 0912.345.678 match the same customer.",
    )

    # Odoo looks customers up by normalized email on every incoming mail (author,
    # recipients, loop detection) and so does ticket intake; res.partner has no
    # index on it, so each lookup scanned the whole table.
    _care_email_normalized_idx = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )

    # ---- emotion journal (Customer Care users only) ----
    care_emotion_entry_ids = fields.One2many(
        "care.emotion.entry",
        "commercial_partner_id",
        string="Emotion Journal",
        groups=CARE_GROUP,
    )
    # The tickets of a company and its contacts: what the journal's record rule
    # joins on (security/care_emotion_security.xml).
    care_commercial_ticket_ids = fields.One2many(
        "care.ticket",
        "commercial_partner_id",
        string="Customer Tickets",
        groups=CARE_GROUP,
    )
    care_emotion_count = fields.Integer(
        string="Emotion Entries",
        compute="_compute_care_emotion_count",
        groups=CARE_GROUP,
    )
    care_mood = fields.Selection(
        EMOTION_LABELS,
        string="Mood",
        compute="_compute_care_mood",
        search="_search_care_mood",
        store=True,
        groups=CARE_GROUP,
        help="How the customer feels, from their emotion journal: recent "
        "entries weigh more (half-life 14 days). Shared by a company and its "
        "contacts.",
    )
    care_mood_score = fields.Float(
        string="Mood Score",
        compute="_compute_care_mood",
        search="_search_care_mood_score",
        store=True,
        aggregator="avg",
        groups=CARE_GROUP,
        help="From -100 (furious) to +100 (delighted).",
    )
    care_mood_trend = fields.Selection(
        TRENDS,
        string="Mood Trend",
        compute="_compute_care_mood",
        search="_search_care_mood_trend",
        store=True,
        groups=CARE_GROUP,
        help="The last 30 days compared with the 90 days before.",
    )
    care_last_contact_date = fields.Datetime(
        string="Last Contact",
        compute="_compute_care_mood",
        search="_search_care_last_contact_date",
        store=True,
        groups=CARE_GROUP,
    )
    care_nps_answer_ids = fields.One2many(
        "care.nps.answer", "partner_id", string="NPS Answers", groups=CARE_GROUP
    )
    care_nps_score = fields.Integer(
        string="NPS Score",
        compute="_compute_care_nps",
        store=True,
        groups=CARE_GROUP,
        help="The customer's last answer to \"How likely are you to recommend "
        'us?" (0-10).',
    )
    care_nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="NPS",
        compute="_compute_care_nps",
        store=True,
        index="btree_not_null",
        groups=CARE_GROUP,
        help="Promoter (9-10), passive (7-8) or detractor (0-6), from the last answer.",
    )
    care_is_unhappy = fields.Boolean(
        string="Unhappy",
        compute="_compute_care_mood",
        search="_search_care_is_unhappy",
        store=True,
        groups=CARE_GROUP,
    )

    # ---- consent (models/care_consent_event.py) ----
    # The customer's (commercial partner's) latest decision per purpose, on
    # each of its contacts too, so that mailings and segments filter on any
    # partner with a plain stored field.
    care_consent_event_ids = fields.One2many(
        "care.consent.event", "partner_id", string="Consent History"
    )
    care_consent_marketing = fields.Selection(
        CONSENT_STATES,
        string="Marketing Consent",
        compute="_compute_care_consent",
        store=True,
        help="Whether the customer agreed to receive offers and news. Mailings "
        "go only to customers who gave it, and never to a blacklisted address.",
    )
    care_consent_marketing_date = fields.Datetime(
        string="Marketing Consent Date", compute="_compute_care_consent", store=True
    )
    care_consent_emotion = fields.Selection(
        CONSENT_STATES,
        string="Emotion Analysis Consent",
        compute="_compute_care_consent",
        store=True,
        help="Whether the customer's messages may be analysed for the emotion "
        "journal. Not asked: the company's default applies (Settings).",
    )
    care_consent_emotion_date = fields.Datetime(
        string="Emotion Analysis Consent Date",
        compute="_compute_care_consent",
        store=True,
    )
    care_emotion_objected = fields.Boolean(
        string="Objected to Emotion Analysis",
        compute="_compute_care_consent",
        store=True,
        index=True,
        help="The customer objected to emotion analysis: no journal entry is "
        "recorded and mood-based segments leave them out.",
    )

    # ---- churn risk (kept by models/care_churn.py) ----
    care_churn_risk = fields.Integer(
        string="Churn Risk",
        search="_search_care_churn_risk",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups=CARE_GROUP,
        help="From 0 to 100: how likely the customer is to leave, from their "
        "mood and its trend, bad ratings, an NPS detractor answer, SLA "
        "failures, repeated complaints and the days since their last order. "
        "Refreshed by a scheduled action when something changes.",
    )
    care_churn_risk_level = fields.Selection(
        CHURN_LEVELS,
        string="Churn Risk Level",
        search="_search_care_churn_risk_level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=CARE_GROUP,
    )
    care_churn_dirty = fields.Boolean(
        string="Churn Risk to Refresh",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Technical: something changed; the scheduled action scores the "
        "customer again.",
    )

    # The churn job reads the customers to score through this index only.
    _care_churn_dirty_idx = models.Index("(id) WHERE care_churn_dirty IS TRUE")

    # ---- access: one story for the journal and the mood ----
    # The mood is a summary of the journal, so it reads like the journal:
    # managers see every customer's; an agent sees the mood of customers
    # (commercial partners) who have a ticket she can read (the record rule of
    # the journal entries, security/care_emotion_security.xml), and an empty
    # mood elsewhere. Reading (_read_format), searching (_search_care_*) and
    # grouping (_read_group_*) all show the same values.

    def _care_mood_restricted(self):
        """Whether the current user sees only some customers' moods."""
        return not (self.env.su or self.env.user.has_group(CARE_MANAGER))

    def _care_mood_visible_query(self):
        """Query of the commercial partners whose mood the current user may
        see: those with a ticket she can read (record rules applied)."""
        return (
            self.env["care.ticket"]
            ._search([("commercial_partner_id", "!=", False)])
            .subselect("commercial_partner_id")
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        hidden = [fname for fname in fnames if fname in MOOD_FIELDS]
        if not hidden or not self._care_mood_restricted():
            return result
        visible = self._care_journal_visible_ids()
        for vals in result:
            if vals["id"] not in visible:
                vals.update({fname: MOOD_FIELDS[fname] for fname in hidden})
        return result

    def _care_journal_visible_ids(self):
        """Ids of these partners whose journal and mood the current user may
        read: their company (commercial partner) has a ticket she can read
        (managers and superuser are let through by the caller)."""
        if not self.env.user.has_group(CARE_GROUP):
            return set()
        groups = self.env["care.ticket"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            ["commercial_partner_id"],
        )
        readable = {partner.id for (partner,) in groups}
        return {p.id for p in self if p.commercial_partner_id.id in readable}

    def _care_search_mood(self, fname, operator, value):
        """Search on a mood field as the user reads it: her customers by
        their mood, the others by the empty value she reads for them. Without
        this, the filter "Unhappy Customers" would list customers whose mood
        reads as empty."""
        condition = Domain(fname, operator, value)
        if not self._care_mood_restricted():
            # The plain condition: Odoo then searches the stored column.
            return condition
        # sudo: only the ids of partners matching the condition on the stored
        # column, intersected at once with the customers she may see.
        matching = self.sudo().with_context(active_test=False)._search(condition)
        visible = Domain("commercial_partner_id", "in", self._care_mood_visible_query())
        domain = visible & Domain("id", "in", matching)
        if _matches_empty(MOOD_FIELDS[fname], operator, value):
            domain |= ~visible
        return domain

    def _search_care_mood(self, operator, value):
        return self._care_search_mood("care_mood", operator, value)

    def _search_care_mood_score(self, operator, value):
        return self._care_search_mood("care_mood_score", operator, value)

    def _search_care_mood_trend(self, operator, value):
        return self._care_search_mood("care_mood_trend", operator, value)

    def _search_care_last_contact_date(self, operator, value):
        return self._care_search_mood("care_last_contact_date", operator, value)

    def _search_care_is_unhappy(self, operator, value):
        return self._care_search_mood("care_is_unhappy", operator, value)

    def _search_care_churn_risk(self, operator, value):
        return self._care_search_mood("care_churn_risk", operator, value)

    def _search_care_churn_risk_level(self, operator, value):
        return self._care_search_mood("care_churn_risk_level", operator, value)

    def _care_mood_masked_sql(self, alias, fname, sql, query):
        """``sql`` (a mood column) as the user reads it: the customer's value
        where she may see it, the empty value elsewhere."""
        empty = (
            MOOD_FIELDS[fname]
            if fname in ("care_mood_score", "care_churn_risk")
            else None
        )
        return SQL(
            "(CASE WHEN %s IN %s THEN %s ELSE %s END)",
            self._field_to_sql(alias, "commercial_partner_id", query),
            self._care_mood_visible_query(),
            sql,
            empty,
        )

    def _read_group_groupby(self, alias, groupby_spec, query):
        sql = super()._read_group_groupby(alias, groupby_spec, query)
        fname = parse_read_group_spec(groupby_spec)[0]
        if fname in MOOD_FIELDS and self._care_mood_restricted():
            sql = self._care_mood_masked_sql(alias, fname, sql, query)
        return sql

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if (
            fname in MOOD_FIELDS
            and func in READ_GROUP_AGGREGATE
            and self._care_mood_restricted()
        ):
            column = self._field_to_sql(self._table, fname, query)
            masked = self._care_mood_masked_sql(self._table, fname, column, query)
            return READ_GROUP_AGGREGATE[func](self._table, masked)
        return super()._read_group_select(aggregate_spec, query)

    @api.depends(
        "commercial_partner_id.care_consent_event_ids.date",
        "commercial_partner_id.care_consent_event_ids.given",
    )
    def _compute_care_consent(self):
        # sudo: the state is a summary every user of the partner may read; the
        # history itself stays under its own access rules.
        events = (
            self.env["care.consent.event"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id", "purpose", "given", "date"],
                order="date desc, id desc",
            )
        )
        latest = {}
        for event in events:
            latest.setdefault((event.partner_id.id, event.purpose), event)
        for partner in self:
            commercial = partner.commercial_partner_id.id
            for purpose in ("marketing", "emotion"):
                event = latest.get((commercial, purpose))
                state = (
                    ("given" if event.given else "withdrawn") if event else "unknown"
                )
                partner[f"care_consent_{purpose}"] = state
                partner[f"care_consent_{purpose}_date"] = event.date if event else False
            partner.care_emotion_objected = partner.care_consent_emotion == "withdrawn"

    def _care_consent_state(self, purpose):
        self.ensure_one()
        return self.commercial_partner_id[f"care_consent_{purpose}"] or "unknown"

    def _care_consent_allows(self, purpose, company=None):
        """The customer may be contacted for / analysed for ``purpose``: they
        gave consent, or they were never asked and the company's default
        (Settings) says yes. Withdrawn is always no."""
        self.ensure_one()
        state = self._care_consent_state(purpose)
        if state != "unknown":
            return state == "given"
        company = company or self.company_id or self.env.company
        return company[f"care_consent_{purpose}_default"] == "given"

    @api.model
    def _care_marketing_domain(self):
        """Partners a mailing may go to: they gave marketing consent and their
        address is not blacklisted (Odoo's mail.blacklist). For mailings whose
        recipients are contacts, and for the segments."""
        return Domain("care_consent_marketing", "=", "given") & Domain(
            "is_blacklisted", "=", False
        )

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """mass_mailing's hook for mailings whose recipients are contacts: the
        addresses of customers who have not agreed to marketing (withdrawn,
        or never asked where the company's default is explicit consent) are
        left out at sending, whatever the mailing's domain says. Odoo applies
        the blacklist on top."""
        res_ids = mailing._get_recipients()
        domain = Domain("id", "in", res_ids) & Domain(
            "care_consent_marketing", "!=", "given"
        )
        if self.env.company.care_consent_marketing_default == "given":
            domain &= Domain("care_consent_marketing", "=", "withdrawn")
        partners = self.with_context(active_test=False).search_fetch(
            domain, ["email_normalized"]
        )
        return {p.email_normalized for p in partners if p.email_normalized}

    def _care_consent_url(self, purpose):
        """The withdrawal link of a mail footer ("stop analysing my messages",
        "unsubscribe"), with its token: no login needed."""
        self.ensure_one()
        Event = self.env["care.consent.event"]
        partner = self.commercial_partner_id
        base = self.get_base_url()
        token = Event._token(partner, purpose)
        return f"{base}/care/consent/{partner.id}/{purpose}/{token}"

    def action_care_record_consent(self):
        """Agent button: record a decision the customer told us about."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Consent"),
            "res_model": "care.consent.update",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_care_privacy_export(self):
        """Download everything the module stores about this customer (and the
        contacts of a company): the data subject's access request."""
        self.ensure_one()
        self.env["care.privacy"]._check_manager()
        return {
            "type": "ir.actions.act_url",
            "url": f"/customer_care/privacy/export/{self.id}",
            "target": "download",
        }

    def action_care_privacy_erase(self):
        """Open the erasure wizard (confirmation step)."""
        self.ensure_one()
        self.env["care.privacy"]._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase Personal Data"),
            "res_model": "care.privacy.erase",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """The persons themselves: their identity is exported, and replaced
        on erasure (the partner stays, so that tickets, ratings and SLA
        statistics keep their customer)."""
        return [
            {
                "records": partners,
                "export": [
                    "name",
                    "email",
                    "phone",
                    "street",
                    "street2",
                    "city",
                    "zip",
                    "country_id",
                    "vat",
                    "lang",
                    "function",
                    "website",
                    "comment",
                    "parent_id",
                    "care_consent_marketing",
                    "care_consent_emotion",
                ],
                "erase": {
                    "name": lambda partner: partner.env._(
                        "Erased customer #%(id)s", id=partner.id
                    ),
                    "email": False,
                    "phone": False,
                    "street": False,
                    "street2": False,
                    "city": False,
                    "zip": False,
                    "vat": False,
                    "function": False,
                    "website": False,
                    "comment": False,
                    "ref": False,
                    "image_1920": False,
                },
                # Last: the other models' values are read before it changes.
                "sequence": 100,
            }
        ]

    @api.depends("phone")
    def _compute_care_phone_key(self):
        for partner in self:
            partner.care_phone_key = phone_key(partner.phone) or False

    def _compute_care_ticket_count(self):
        # One grouped query for all partners on screen; a company counts the
        # tickets of its contacts (the pattern of crm's opportunity_count).
        self.care_ticket_count = 0
        partners = self.filtered("id")
        if not partners:
            return
        all_partners = partners.with_context(active_test=False).search_fetch(
            [("id", "child_of", partners.ids)], ["parent_id"]
        )
        groups = self.env["care.ticket"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"]
        )
        wanted = set(partners.ids)
        for partner, count in groups:
            while partner:
                if partner.id in wanted:
                    partner.care_ticket_count += count
                partner = partner.parent_id

    @api.depends(
        "commercial_partner_id.care_emotion_entry_ids.label",
        "commercial_partner_id.care_emotion_entry_ids.intensity",
        "commercial_partner_id.care_emotion_entry_ids.confidence",
        "commercial_partner_id.care_emotion_entry_ids.date",
    )
    def _compute_care_mood(self):
        moods = self.env["care.emotion.entry"]._mood_by_partner(
            self.commercial_partner_id
        )
        for partner in self:
            label, score, trend, last = moods.get(
                partner.commercial_partner_id.id, (False, 0.0, False, False)
            )
            partner.care_mood = label
            partner.care_mood_score = score
            partner.care_mood_trend = trend
            partner.care_last_contact_date = last
            partner.care_is_unhappy = label in NEGATIVE_LABELS

    def _compute_care_emotion_count(self):
        counts = dict(
            self.env["care.emotion.entry"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.care_emotion_count = counts.get(partner.commercial_partner_id, 0)

    @api.model
    def _cron_care_refresh_mood(self):
        """Mood and trend depend on time, not only on entries: refresh them
        daily for customers with entries within the horizon. Safe with two
        workers: ir.cron never runs the same job twice at once."""
        since = fields.Datetime.now() - timedelta(days=MOOD_HORIZON_DAYS + 2)
        groups = self.env["care.emotion.entry"]._read_group(
            [("date", ">=", since)], ["commercial_partner_id"]
        )
        commercial = self.browse([partner.id for (partner,) in groups])
        # Customers whose last entry just left the horizon are refreshed too.
        stale = self.search(
            [("care_mood", "!=", False), ("care_last_contact_date", "<", since)]
        )
        partners = self.with_context(active_test=False).search(
            [("commercial_partner_id", "in", (commercial | stale).ids)]
        )
        for fname in (
            "care_mood",
            "care_mood_score",
            "care_mood_trend",
            "care_last_contact_date",
            "care_is_unhappy",
        ):
            self.env.add_to_compute(self._fields[fname], partners)
        partners._recompute_recordset()
        return len(partners)

    def action_view_care_emotion_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_emotion_entry_action_partner"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {
            "default_partner_id": self.id,
            "default_source": "manual",
        }
        return action

    def action_care_export_emotion_data(self):
        """Download the customer's emotion journal (personal-data export)."""
        self.ensure_one()
        self.env["care.emotion.entry"].check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/customer_care/emotion_export/{self.id}",
            "target": "download",
        }

    def _care_emotion_export_rows(self):
        """Header and rows of the journal of these customers (and of the
        contacts of a company), as the current user may read them."""
        Entry = self.env["care.emotion.entry"]
        Entry.check_access("read")
        fnames = [
            "date",
            "partner_id",
            "commercial_partner_id",
            "ticket_id",
            "label",
            "intensity",
            "confidence",
            "source",
            "cause",
            "note",
            "detected_label",
            "corrected",
            "user_id",
        ]
        header = [Entry._fields[f].get_description(self.env)["string"] for f in fnames]
        rows = [header]
        entries = Entry.search([("partner_id", "child_of", self.ids)], order="date, id")
        for entry in entries:
            row = []
            for fname in fnames:
                field = Entry._fields[fname]
                value = entry[fname]
                if field.type == "many2one":
                    value = value.display_name or ""
                elif field.type == "selection":
                    value = dict(field._description_selection(self.env)).get(value, "")
                elif field.type == "datetime":
                    value = fields.Datetime.to_string(value) if value else ""
                elif value is False or value is None:
                    value = ""
                row.append(value)
            rows.append(row)
        return rows

    def action_care_erase_emotion_data(self):
        """Erase the emotion journal of these customers (and of the contacts of
        a company), with the scenario runs it triggered: the right to erasure
        of Vietnam Decree 13/2023. Managers only; the partner stays."""
        if not self.env.user.has_group("customer_care.customer_care_group_manager"):
            raise AccessError(
                self.env._("Only Customer Care administrators can erase emotion data.")
            )
        count = self._care_erase_emotion_entries()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s emotion entries erased.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _care_erase_emotion_entries(self):
        """Delete the journal of these customers (and of the contacts of a
        company); the callers decide who may: a manager, or the customer
        withdrawing consent on the portal."""
        entries = (
            self.env["care.emotion.entry"]
            .with_context(active_test=False)
            .search([("partner_id", "child_of", self.ids)])
        )
        count = len(entries)
        entries.unlink()
        _logger.info(
            "Emotion data erased for partner(s) %s: %d entries", self.ids, count
        )
        return count

    @api.model
    def _care_find_by_phone(self, phone):
        key = phone_key(phone)
        if not key:
            return self.browse()
        return self.search([("care_phone_key", "=", key)], limit=1)

    def action_view_care_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.care_ticket_action"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ---- NPS (models/care_nps_answer.py) ----

    @api.depends("care_nps_answer_ids.answered_at", "care_nps_answer_ids.score")
    def _compute_care_nps(self):
        answers = (
            self.env["care.nps.answer"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", self.ids), ("answered_at", "!=", False)],
                ["partner_id", "score", "category"],
                order="answered_at desc, id desc",
            )
        )
        last = {}
        for answer in answers:
            last.setdefault(answer.partner_id.id, answer)
        for partner in self:
            answer = last.get(partner.id)
            partner.care_nps_score = answer.score if answer else False
            partner.care_nps_category = answer.category if answer else False

    # ---- follow-ups (models/care_follow_up.py) ----

    def _care_schedule_follow_up(
        self,
        activity_type_xmlid,
        due_at=None,
        user=None,
        note=None,
        channel=None,
        reason=None,
        team=None,
    ):
        """Plan a follow-up on this customer, outside any ticket (after a
        delivery, after an NPS answer, a call campaign); see
        ``schedule_follow_up``. The team and the agent default to those of the
        customer's latest ticket (else the team leader)."""
        self.ensure_one()
        # sudo: only which team and agent handled the customer last is read, to
        # route the follow-up (the caller may be a job or a public page).
        last_ticket = (
            self.env["care.ticket"]
            .sudo()
            .search(
                [("commercial_partner_id", "=", self.commercial_partner_id.id)],
                order="id desc",
                limit=1,
            )
        )
        team = team or last_ticket.team_id
        if not user and last_ticket.team_id == team:
            user = last_ticket.user_id
        return schedule_follow_up(
            self,
            activity_type_xmlid,
            team=team,
            company=team.company_id or self.company_id or self.env.company,
            user=user or team.leader_id,
            due_at=due_at,
            note=note,
            channel=channel,
            reason=reason,
        )
