"""Data subject requests (Vietnam Decree 13/2023): the export of everything
the module stores about a person, and its erasure.

A registry, not a list: every model that stores personal data declares it in
one place, a model method ``_care_personal_data(partners)`` returning a list
of items::

    {
        "records": recordset,        # what is stored about these partners
        "export": ["field", ...],    # what the export shows of each record
        "erase": {"field": value},   # erasure: the new values (a value, or a
                                     # callable taking the record)
        "unlink": False,             # erasure deletes the records instead
        "sequence": 10,              # erasure order (the partner itself last)
        "chatter": True,             # False: leave the records' messages out
    }

This model collects the items over ``self.env.registry`` (any model, ours or
Odoo's through an ``_inherit``, that defines the method), then adds what every
collected ``mail.thread`` record carries: its messages (and the person's own
messages elsewhere), their tracking values, attachments and activities. A new
model of the module is covered by defining the method next to its fields.

What Odoo's ``privacy_lookup`` does and what this adds: see README, "Personal
data".
"""

import io
import json
import logging
import zipfile
from datetime import date, datetime

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

CARE_MANAGER = "customer_care.customer_care_group_manager"
HOOK = "_care_personal_data"
# The context of every erasure write: no tracking message repeating the old
# value, no notification, no journal entry made again from an erased rating.
QUIET = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_notify_force_send": False,
    "care_no_emotion": True,
}
MESSAGE_EXPORT = [
    "date",
    "model",
    "res_id",
    "message_type",
    "author_id",
    "email_from",
    "subject",
    "body",
    "attachment_ids",
]


class CarePrivacy(models.AbstractModel):
    _name = "care.privacy"
    _description = "Customer Personal Data Requests"

    @api.model
    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(CARE_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only Customer Care administrators can export or erase a "
                    "customer's personal data."
                )
            )

    @api.model
    def _persons(self, partner):
        """The persons of a request: a contact, or a company and its contacts."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", partner.ids)])
        )

    # ------------------------------------------------------------------
    # Collection
    # ------------------------------------------------------------------

    @api.model
    def _collect(self, partners):
        """Items of every model that declares personal data, then the thread
        data of the records they hold. Runs as superuser: the caller decided
        who may ask (a manager, or the logged-in customer for themselves)."""
        partners = partners.sudo().with_context(active_test=False)
        items = []
        seen = set()
        for model_name in sorted(self.env.registry):
            Model = self.env[model_name]
            if Model._abstract or Model._transient or not hasattr(Model, HOOK):
                continue
            for item in getattr(Model.sudo().with_context(active_test=False), HOOK)(
                partners
            ):
                key = (item["records"]._name, item.get("key", ""))
                if key in seen:  # a model reached twice through inheritance
                    continue
                seen.add(key)
                items.append(item)
        items += self._thread_items(items, partners)
        return items

    @api.model
    def _thread_items(self, items, partners):
        """Messages, tracking values, attachments and activities of the
        collected records that have a chatter, and the person's own messages
        wherever they wrote."""
        Message = self.env["mail.message"].sudo()
        threads = [
            item["records"]
            for item in items
            if item["records"]
            and item.get("chatter", True)
            and "message_ids" in item["records"]._fields
        ]
        message_domain = Domain("author_id", "in", partners.ids)
        res_domains = []
        for records in threads:
            message_domain |= Domain("model", "=", records._name) & Domain(
                "res_id", "in", records.ids
            )
            res_domains.append(
                Domain("res_model", "=", records._name)
                & Domain("res_id", "in", records.ids)
            )
        attachment_domain = activity_domain = Domain.OR(res_domains)
        messages = Message.search(message_domain, order="date, id")
        placeholder = Markup("<p>%s</p>") % self.env._("(erased)")
        result = [
            {
                "records": messages,
                "export": MESSAGE_EXPORT,
                "erase": {
                    "body": placeholder,
                    "subject": False,
                    "email_from": False,
                    "reply_to": False,
                    "incoming_email_to": False,
                    "incoming_email_cc": False,
                    "outgoing_email_to": False,
                },
                "sequence": 20,
            }
        ]
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        result.append(
            {
                "records": trackings,
                "export": [],  # what they say is in the records' own fields
                "erase": {
                    "old_value_char": False,
                    "new_value_char": False,
                    "old_value_text": False,
                    "new_value_text": False,
                },
                "sequence": 20,
                # Only the tracking of text and partners: stage and team
                # changes stay for the statistics.
                "filter": lambda t: (
                    t.field_id.ttype in ("char", "text", "html")
                    or t.field_id.relation == "res.partner"
                ),
            }
        )
        result.append(
            {
                "records": messages.notification_ids,
                "erase": {"mail_email_address": False, "failure_reason": False},
                "sequence": 20,
            }
        )
        # Emails not sent yet carry the body and the address again.
        result.append({"records": messages.mail_ids, "unlink": True, "sequence": 10})
        attachments = self.env["ir.attachment"].sudo()
        if res_domains:
            attachments = attachments.search(attachment_domain)
        attachments |= messages.attachment_ids
        result.append(
            {
                "records": attachments,
                "export": ["name", "mimetype", "file_size", "create_date"],
                "unlink": True,
                "files": True,
                "sequence": 10,
            }
        )
        if res_domains:
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(active_test=False)
                .search(activity_domain)
            )
            result.append(
                {
                    "records": activities,
                    "export": [
                        "res_model",
                        "res_id",
                        "activity_type_id",
                        "summary",
                        "note",
                        "date_deadline",
                        "user_id",
                    ],
                    "erase": {"summary": False, "note": False, "res_name": False},
                    "sequence": 20,
                }
            )
        return result

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    @api.model
    def _json_value(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type in ("many2one", "many2one_reference") and isinstance(
            value, models.BaseModel
        ):
            return [value.id, value.display_name] if value else None
        if field.type in ("one2many", "many2many"):
            return value.ids
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if field.type == "binary":
            return None
        if value is False and field.type not in ("boolean",):
            return None
        if isinstance(value, Markup):
            return str(value)
        return value

    @api.model
    def _export_data(self, partners):
        """``(data, files)``: the JSON-ready export and the attachments'
        ``(path, bytes)``."""
        items = self._collect(partners)
        data = {
            "generated_at": fields.Datetime.now().isoformat(),
            "customer": [
                {"id": p.id, "name": p.name, "email": p.email or None} for p in partners
            ],
            "records": {},
        }
        files = []
        by_model = {}
        for item in items:
            records = item["records"]
            if not records or not (item.get("export") or item.get("files")):
                continue
            fnames = item.get("export") or []
            # A record two declarations reach (a follow-up on a collected
            # ticket) is listed once, with the fields of both.
            rows = by_model.setdefault(records._name, {})
            records.fetch([f for f in fnames if f in records._fields])
            for record in records:
                row = rows.setdefault(record.id, {"id": record.id})
                for fname in fnames:
                    row[fname] = self._json_value(record, fname)
                if item.get("files"):
                    path = f"attachments/{record.id}-{record.name or 'file'}"
                    row["file"] = path
                    if record.type == "binary":
                        files.append((path, record.raw or b""))
                    else:
                        row["url"] = record.url
        data["records"] = {
            model: list(rows.values()) for model, rows in by_model.items()
        }
        return data, files

    @api.model
    def _export_zip(self, partners):
        """The export as a ZIP: ``personal_data.json`` and the attachments."""
        data, files = self._export_data(partners)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "personal_data.json",
                json.dumps(data, ensure_ascii=False, indent=1, default=str),
            )
            for path, content in files:
                archive.writestr(path, content)
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # Erasure
    # ------------------------------------------------------------------

    @api.model
    def _check_erasable(self, partners):
        internal = partners.user_ids.filtered(lambda u: not u.share)
        if internal:
            raise UserError(
                self.env._(
                    "%(names)s is a user of this database: an employee's data "
                    "is not erased from Customer Care.",
                    names=", ".join(internal.mapped("name")),
                )
            )

    @api.model
    def _summary(self, partners):
        """``{model description: count}`` of what an erasure would touch."""
        counts = {}
        for item in self._collect(partners):
            records = item["records"]
            if "filter" in item:
                records = records.filtered(item["filter"])
            if records and (item.get("erase") or item.get("unlink")):
                label = self.env["ir.model"]._get(records._name).name or records._name
                counts[label] = counts.get(label, 0) + len(records)
        return counts

    @api.model
    def _erase(self, partners, reason=None):
        """Anonymise ``partners`` everywhere the module stores them: declared
        values replaced, declared records deleted; tickets, dates, stages, SLA
        lines, ratings' scores and counts stay for the statistics. One
        ``care.erasure.log`` row records it, without personal data."""
        self._check_manager()
        partners = partners.sudo().with_context(active_test=False)
        self._check_erasable(partners)
        items = self._collect(partners)
        counts = {}
        # Values are computed before anything changes (a callable may read the
        # record), then applied by sequence: deletions, the data, the partner.
        plan = []
        for item in items:
            records = item["records"].exists()
            if "filter" in item:
                records = records.filtered(item["filter"])
            if not records or not (item.get("erase") or item.get("unlink")):
                continue
            counts[records._name] = counts.get(records._name, 0) + len(records)
            if item.get("unlink"):
                plan.append((item.get("sequence", 10), records, None))
                continue
            static = {k: v for k, v in item["erase"].items() if not callable(v)}
            dynamic = {k: v for k, v in item["erase"].items() if callable(v)}
            per_record = [
                (record, {k: fn(record) for k, fn in dynamic.items()})
                for record in records
            ]
            plan.append((item.get("sequence", 10), records, (static, per_record)))
        for __, records, values in sorted(plan, key=lambda p: p[0]):
            records = records.with_context(**QUIET).exists()
            if values is None:
                records.unlink()
                continue
            static, per_record = values
            if static:
                records.write(static)
            for record, vals in per_record:
                if vals:
                    record.write(vals)
        log = (
            self.env["care.erasure.log"]
            .sudo()
            .create(
                {
                    "partner_ids": [(6, 0, partners.ids)],
                    "record_count": sum(counts.values()),
                    "summary": "\n".join(
                        f"{model}: {count}" for model, count in sorted(counts.items())
                    ),
                    "reason": reason or False,
                }
            )
        )
        _logger.info("Personal data erased for partner(s) %s: %s", partners.ids, counts)
        return log
