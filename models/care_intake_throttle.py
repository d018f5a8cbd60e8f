"""Rate limit of the public ticket form, kept in the database.

Counting happens in PostgreSQL so the limit holds with several workers and
across restarts; nothing is kept in Python memory. IP addresses and emails are
stored only as keyed hashes (HMAC with the database secret).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import hmac

DEFAULT_MAX_PER_IP = 10
DEFAULT_MAX_PER_EMAIL = 5
WINDOW_HOURS = 1


class CareIntakeThrottle(models.Model):
    _name = "care.intake.throttle"
    _description = "Care Web Form Rate Limit"
    _log_access = False
    _order = "id desc"

    key_type = fields.Selection(
        [("ip", "IP Address"), ("email", "Email")], required=True
    )
    key_hash = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _hash_key(self, key_type, value):
        # sudo: the database secret is read to key the hash, nothing else.
        return hmac(self.env(su=True), f"customer_care.intake.{key_type}", value or "")

    @api.model
    def _limits(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "ip": int(
                params.get_param("customer_care.intake_max_per_ip", DEFAULT_MAX_PER_IP)
            ),
            "email": int(
                params.get_param(
                    "customer_care.intake_max_per_email", DEFAULT_MAX_PER_EMAIL
                )
            ),
        }

    @api.model
    def _check_and_count(self, keys):
        """Record one submission for each ``(key_type, value)`` in ``keys`` and
        return the key types over their limit within the last hour (then nothing
        is recorded).

        A transaction-level advisory lock per key serialises two workers counting
        the same sender, so a burst cannot slip through between count and insert.
        """
        limits = self._limits()
        since = fields.Datetime.now() - timedelta(hours=WINDOW_HOURS)
        hashed = [(kt, self._hash_key(kt, value)) for kt, value in keys if value]
        over = []
        for key_type, key_hash in sorted(hashed, key=lambda k: k[1]):
            self.env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", key_hash)
            )
            count = self.sudo().search_count(
                [
                    ("key_type", "=", key_type),
                    ("key_hash", "=", key_hash),
                    ("date", ">=", since),
                ]
            )
            if count >= limits[key_type]:
                over.append(key_type)
        if not over:
            self.sudo().create([{"key_type": kt, "key_hash": kh} for kt, kh in hashed])
        return over

    @api.autovacuum
    def _gc_old_entries(self):
        limit = fields.Datetime.now() - timedelta(days=1)
        self.sudo().search([("date", "<", limit)]).unlink()
