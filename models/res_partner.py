import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..lib.vntext import phone_key
from .care_emotion_entry import MOOD_HORIZON_DAYS, TRENDS
from .care_emotion_label import EMOTION_LABELS, NEGATIVE_LABELS

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
}
_logger = logging.getLogger(__name__)


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
        store=True,
        groups=CARE_GROUP,
        help="How the customer feels, from their emotion journal: recent "
        "entries weigh more (half-life 14 days). Shared by a company and its "
        "contacts.",
    )
    care_mood_score = fields.Float(
        string="Mood Score",
        compute="_compute_care_mood",
        store=True,
        aggregator="avg",
        groups=CARE_GROUP,
        help="From -100 (furious) to +100 (delighted).",
    )
    care_mood_trend = fields.Selection(
        TRENDS,
        string="Mood Trend",
        compute="_compute_care_mood",
        store=True,
        groups=CARE_GROUP,
        help="The last 30 days compared with the 90 days before.",
    )
    care_last_contact_date = fields.Datetime(
        string="Last Contact",
        compute="_compute_care_mood",
        store=True,
        groups=CARE_GROUP,
    )
    care_is_unhappy = fields.Boolean(
        string="Unhappy",
        compute="_compute_care_mood",
        store=True,
        groups=CARE_GROUP,
    )

    # ---- access: one story for the journal and the mood ----

    def _read_format(self, fnames, load="_classic_read"):
        """The mood is a summary of the journal, so it reads like the journal:
        managers see every customer's; an agent sees the mood of customers who
        have a ticket she can read (the record rule of the journal entries,
        security/care_emotion_security.xml), and an empty mood elsewhere."""
        result = super()._read_format(fnames, load=load)
        hidden = [fname for fname in fnames if fname in MOOD_FIELDS]
        if not hidden or self.env.su or self.env.user.has_group(CARE_MANAGER):
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
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s emotion entries erased.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

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
