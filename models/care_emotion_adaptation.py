"""Each shop's adaptation of the emotion detector, learnt from its agents'
corrections (issue 16, "learn from each shop").

One record per company holds the correction layer that ``lib/emotion/adapt.py``
trains (pure Python, no numpy), the figures of its training and the correction
rate before and after it. A company's messages and layer are never used for
another company: training reads that company's journal only, and detection
uses the layer of the ticket's company.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib.emotion.adapt import Adaptation, improves, train
from ..lib.emotion.model import model_fingerprint

_logger = logging.getLogger(__name__)

# Bounds of one training, so the job stays short on any database.
MAX_CORRECTIONS = 3000
MAX_ANCHORS = 3000
TIME_BUDGET_SECONDS = 120
# An entry nobody corrected for this long counts as confirmed by the agents.
ANCHOR_AGE_DAYS = 2
# Train again once this share of new corrections came in (and at least 5).
RETRAIN_SHARE = 0.1
# Correction rate: the detected entries of this many days before the layer.
RATE_WINDOW_DAYS = 90


class CareEmotionAdaptation(models.Model):
    _name = "care.emotion.adaptation"
    _description = "Emotion Detector Adaptation"
    _order = "company_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    state = fields.Selection(
        [("active", "In use"), ("rejected", "Not better: not used")],
        required=True,
        readonly=True,
        default="rejected",
    )
    trained_at = fields.Datetime(readonly=True)
    n_corrections = fields.Integer(string="Corrections Learnt", readonly=True)
    n_anchors = fields.Integer(string="Confirmed Entries Learnt", readonly=True)
    n_features = fields.Integer(string="Weights", readonly=True)
    held_out = fields.Integer(string="Held-back Examples", readonly=True)
    base_accuracy = fields.Float(
        string="Held-back Accuracy (shipped)",
        readonly=True,
        digits=(4, 3),
        help="Share of held-back corrections the shipped detector gets right.",
    )
    adapted_accuracy = fields.Float(
        string="Held-back Accuracy (adapted)",
        readonly=True,
        digits=(4, 3),
        help="Share of held-back corrections the adapted detector gets right.",
    )
    layer = fields.Json(readonly=True, copy=False)
    base_model = fields.Char(
        string="Shipped Model",
        readonly=True,
        copy=False,
        help="Digest of the shipped emotion model the layer was learnt on: after "
        "an update that ships another model, the layer is set aside and learnt "
        "again.",
    )
    rate_before = fields.Float(
        string="Correction Rate Before",
        compute="_compute_rates",
        digits=(4, 3),
        help="Share of the detected emotions of the 90 days before the "
        "adaptation that agents corrected.",
    )
    rate_after = fields.Float(
        string="Correction Rate Since",
        compute="_compute_rates",
        digits=(4, 3),
        help="Share of the detected emotions since the adaptation that agents "
        "corrected.",
    )
    detected_before = fields.Integer(compute="_compute_rates")
    detected_after = fields.Integer(compute="_compute_rates")

    _company_uniq = models.Constraint(
        "UNIQUE(company_id)", "A company has one emotion adaptation."
    )

    @api.depends("trained_at", "company_id")
    def _compute_rates(self):
        now = fields.Datetime.now()
        for record in self:
            start = record.trained_at or now
            before = record._correction_rate(
                start - timedelta(days=RATE_WINDOW_DAYS), start
            )
            after = record._correction_rate(start, now)
            record.detected_before, record.rate_before = before
            record.detected_after, record.rate_after = after

    def _correction_rate(self, date_from, date_to):
        """(detected entries, share corrected) of the company in a period:
        the accuracy of the detector in real use."""
        self.ensure_one()
        # Raw SQL: two counts in one pass, of this record's company only (its
        # managers read the record); no entry leaves here.
        self.env.cr.execute(
            SQL(
                """SELECT count(*), count(*) FILTER (WHERE corrected)
                     FROM care_emotion_entry
                    WHERE company_id = %s AND source = 'message'
                      AND detected_label IS NOT NULL
                      AND create_date >= %s AND create_date < %s""",
                self.company_id.id,
                date_from,
                date_to,
            )
        )
        total, corrected = self.env.cr.fetchone()
        return total, (corrected / total) if total else 0.0

    # ---- writes: the cache of layers follows ----

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ---- detection ----

    @api.model
    def _layer_for(self, company):
        """The layer detection adds for ``company``'s messages, or None (the
        switch is off, or no layer better than the shipped model)."""
        if not company or not company.care_emotion_learning:
            return None
        return self._cached_layer(company.id)

    @api.model
    @tools.ormcache("company_id")
    def _cached_layer(self, company_id):
        # sudo: the layer is read for detection inside any user's request
        # (mail intake, portal); only weights leave here, of that company.
        record = self.sudo().search(
            [("company_id", "=", company_id), ("state", "=", "active")], limit=1
        )
        if not record or not record.layer:
            return None
        if record.base_model != model_fingerprint():
            # Learnt on another shipped model: its corrections would apply to
            # scores they were not made for. The job learns it again.
            return None
        try:
            return Adaptation(record.layer)
        except (KeyError, TypeError, ValueError):
            _logger.warning("Emotion adaptation of company %s is unusable", company_id)
            return None

    # ---- training ----

    @api.model
    def _training_examples(self, company):
        """(corrections, anchors) of one company: what its agents set on
        detected messages, and detected messages they left as they were."""
        Entry = self.env["care.emotion.entry"].sudo()
        base = Domain.AND(
            [
                [("company_id", "=", company.id)],
                [("source", "=", "message")],
                [("message_id", "!=", False)],
                [("detected_label", "!=", False)],
                # A customer who objected to emotion analysis does not train
                # the detector either (consent, issue 15).
                [("commercial_partner_id.care_emotion_objected", "=", False)],
            ]
        )
        corrected = Entry.search(
            base & Domain("corrected", "=", True),
            order="id desc",
            limit=MAX_CORRECTIONS,
        )
        confirmed = Entry.search(
            base
            & Domain("corrected", "=", False)
            & Domain(
                "create_date",
                "<",
                fields.Datetime.now() - timedelta(days=ANCHOR_AGE_DAYS),
            ),
            order="id desc",
            limit=MAX_ANCHORS,
        )

        def pairs(entries):
            out = []
            for entry in entries.sorted("id"):
                text = Entry._message_text(entry.message_id, {})
                if text:
                    out.append((text, entry.label))
            return out

        return pairs(corrected), pairs(confirmed)

    def _needs_training(self, company, corrections):
        """Enough corrections, and enough new ones since the last training."""
        minimum = max(company.care_emotion_learning_min, 1)
        if corrections < minimum:
            return False
        record = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not record or record.base_model != model_fingerprint():
            return True
        new = corrections - record.n_corrections
        return new >= max(5, RETRAIN_SHARE * record.n_corrections)

    @api.model
    def _train_company(self, company, force=False):
        """Train the layer of one company when it is due; return the record
        (or an empty one). Serialised per company by an advisory lock: a
        second worker finds it taken and leaves."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)",
                self._name,
                company.id,
            )
        )
        if not self.env.cr.fetchone()[0]:
            return self.browse()
        count = (
            self.env["care.emotion.entry"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", company.id),
                    ("source", "=", "message"),
                    ("message_id", "!=", False),
                    ("corrected", "=", True),
                ]
            )
        )
        if not force and not self._needs_training(company, count):
            return self.browse()
        if count < max(company.care_emotion_learning_min, 1):
            return self.browse()
        corrections, anchors = self._training_examples(company)
        layer, report = train(corrections, anchors, time_budget=TIME_BUDGET_SECONDS)
        kept = improves(report)
        vals = {
            "state": "active" if kept else "rejected",
            "trained_at": fields.Datetime.now(),
            "n_corrections": count,
            "n_anchors": len(anchors),
            "n_features": report["features"],
            "held_out": report["held_out"],
            "base_accuracy": report["base_accuracy"] or 0.0,
            "adapted_accuracy": report["adapted_accuracy"] or 0.0,
            "layer": layer.to_dict() if kept else False,
            "base_model": model_fingerprint(),
        }
        # sudo: the job and managers write the company's own record.
        record = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if record:
            record.write(vals)
        else:
            record = self.sudo().create({**vals, "company_id": company.id})
        _logger.info(
            "Emotion adaptation of %s: %s (%d corrections, held-back accuracy "
            "%.3f -> %.3f)",
            company.name,
            vals["state"],
            count,
            vals["base_accuracy"],
            vals["adapted_accuracy"],
        )
        return record

    @api.model
    def _cron_train(self):
        """Train the companies whose switch is on and who have enough new
        corrections, one company per transaction."""
        Cron = self.env["ir.cron"]
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("care_emotion_learning", "=", True)], order="id")
        )
        Cron._commit_progress(remaining=len(companies))
        for done, company in enumerate(companies, start=1):
            self._train_company(company)
            if Cron._commit_progress(1, remaining=len(companies) - done) <= 0:
                return

    @api.model
    def action_train_now(self):
        """Managers: train the current company's layer now."""
        company = self.env.company
        if not company.care_emotion_learning:
            raise UserError(
                self.env._(
                    "Turn on learning from corrections in the Customer Care "
                    "settings first."
                )
            )
        record = self._train_company(company, force=True)
        if not record:
            raise UserError(
                self.env._(
                    "Not enough corrections yet: %(count)s are needed.",
                    count=company.care_emotion_learning_min,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }
