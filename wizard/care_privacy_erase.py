from odoo import api, fields, models
from odoo.exceptions import UserError


class CarePrivacyErase(models.TransientModel):
    """The confirmation step of an erasure: the manager sees what will change
    and types the customer's name (models/care_privacy.py does the work)."""

    _name = "care.privacy.erase"
    _description = "Erase a Customer's Personal Data"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    partner_name = fields.Char(related="partner_id.name", string="Name")
    summary = fields.Text(string="What will be erased", compute="_compute_summary")
    confirm_name = fields.Char(
        string="Type the customer's name to confirm",
        help="The erasure cannot be undone.",
    )
    reason = fields.Char(
        help="The request's reference or channel (no personal data), kept in "
        "the erasure log."
    )

    @api.depends("partner_id")
    def _compute_summary(self):
        Privacy = self.env["care.privacy"]
        for wizard in self:
            if not wizard.partner_id:
                wizard.summary = False
                continue
            counts = Privacy._summary(Privacy._persons(wizard.partner_id))
            wizard.summary = "\n".join(
                f"{label}: {count}" for label, count in sorted(counts.items())
            )

    def action_privacy_lookup(self):
        """Odoo's Privacy Lookup (privacy_lookup) for this customer's name and
        email: every record of any app that references them, to archive or
        delete what Customer Care does not own (sales orders, leads...).
        System administrators only, as Odoo's own menu."""
        self.ensure_one()
        partner = self.partner_id
        wizard = self.env["privacy.lookup.wizard"].create(
            {"name": partner.name, "email": partner.email or partner.name}
        )
        return wizard.action_lookup()

    def action_erase(self):
        self.ensure_one()
        Privacy = self.env["care.privacy"]
        Privacy._check_manager()
        typed = " ".join((self.confirm_name or "").split()).casefold()
        if typed != " ".join((self.partner_id.name or "").split()).casefold():
            raise UserError(
                self.env._(
                    "Type the customer's name exactly as shown to confirm the erasure."
                )
            )
        log = Privacy._erase(Privacy._persons(self.partner_id), reason=self.reason)
        self.confirm_name = False  # the typed name is personal data too
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Personal data erased: %(count)s records anonymised or deleted.",
                    count=log.record_count,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
