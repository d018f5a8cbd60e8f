"""Consent of customers (Vietnam Decree 13/2023): the append-only history of
what each customer (commercial partner) agreed to or withdrew, and how we
know. The current state of each purpose is computed on ``res.partner`` from
this history (models/res_partner.py), so the history is the one truth."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, hmac

PURPOSES = [
    ("marketing", "Marketing Contact"),
    ("emotion", "Emotion Analysis"),
]
CONSENT_STATES = [
    ("unknown", "Not Asked"),
    ("given", "Given"),
    ("withdrawn", "Withdrawn"),
]
CHANNELS = [
    ("portal", "Customer Portal"),
    ("public_form", "Public Form"),
    ("mail_link", "Link in an Email"),
    ("agent", "Agent"),
    ("import", "Import"),
]
TOKEN_SCOPE = "customer_care-consent"


class CareConsentEvent(models.Model):
    """One decision of a customer about one purpose. Users may add events,
    never change or delete them (no write/unlink right in the ACL); only the
    erasure of a customer rewrites their proof text (sudo, logged)."""

    _name = "care.consent.event"
    _description = "Customer Consent Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        help="The customer (commercial partner) the decision applies to.",
    )
    purpose = fields.Selection(PURPOSES, required=True)
    given = fields.Boolean(
        string="Consent Given",
        help="Checked: the customer agreed; unchecked: the customer withdrew "
        "or objected.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(CHANNELS, required=True)
    proof_message_id = fields.Many2one(
        "mail.message",
        ondelete="set null",
        help="The message in which the customer said it, when there is one.",
    )
    proof = fields.Text(help="How the decision was made: the form, page or note.")
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        help="The agent who recorded it, or the customer's own portal user.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _partner_purpose_idx = models.Index("(partner_id, purpose, date DESC, id DESC)")

    @api.depends("purpose", "given", "partner_id")
    def _compute_display_name(self):
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        for event in self:
            event.display_name = self.env._(
                "%(customer)s: %(purpose)s %(state)s",
                customer=event.partner_id.display_name or "",
                purpose=purposes.get(event.purpose, ""),
                state=self.env._("given") if event.given else self.env._("withdrawn"),
            )

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {v["partner_id"] for v in vals_list if v.get("partner_id")}
        )
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        for vals in vals_list:
            # Consent is the customer's (the company), whoever of its contacts spoke.
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
        events = super().create(vals_list)
        events.filtered(
            lambda e: e.purpose == "marketing" and not e.given
        )._opt_out_of_mailings()
        return events

    # ---- effects ----

    def _opt_out_of_mailings(self):
        """Marketing withdrawn: the customer's addresses (the company and its
        contacts) leave every mailing list (opt-out, as the unsubscribe page of
        mass_mailing does). Nothing is blacklisted: the customer still gets
        their tickets' emails."""
        if not self:
            return
        # sudo: mailing lists belong to marketing; a customer's withdrawal must
        # reach them whoever records it (the customer on the portal, an agent).
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.partner_id.ids)])
        )
        emails = [e for e in partners.mapped("email_normalized") if e]
        if not emails:
            return
        subscriptions = (
            self.env["mailing.subscription"]
            .sudo()
            .search(
                [
                    ("contact_id.email_normalized", "in", emails),
                    ("opt_out", "=", False),
                ]
            )
        )
        subscriptions.write({"opt_out": True})

    # ---- mail links ----

    @api.model
    def _token(self, partner, purpose):
        """The token of a customer's withdrawal link for one purpose (HMAC of
        the database secret: no state, nothing to store)."""
        return hmac(
            self.env(su=True), TOKEN_SCOPE, (partner.commercial_partner_id.id, purpose)
        )

    @api.model
    def _check_token(self, partner, purpose, token):
        return bool(
            partner
            and purpose in dict(PURPOSES)
            and token
            and consteq(self._token(partner, purpose), str(token))
        )

    @api.model
    def _record(self, partners, purpose, given, channel, proof=None, message=None):
        """Record a decision for ``partners`` (their commercial partners), only
        where it changes the current state: saving the portal page twice, or
        clicking a link twice, writes one event."""
        if purpose not in dict(PURPOSES):
            raise UserError(self.env._("Unknown consent purpose."))
        state = "given" if given else "withdrawn"
        commercial = partners.commercial_partner_id
        changed = commercial.filtered(lambda p: p._care_consent_state(purpose) != state)
        return self.create(
            [
                {
                    "partner_id": partner.id,
                    "purpose": purpose,
                    "given": given,
                    "channel": channel,
                    "proof": proof or False,
                    "proof_message_id": message.id if message else False,
                    "company_id": (partner.company_id or self.env.company).id,
                }
                for partner in changed
            ]
        )

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        events = self.search(
            [("partner_id", "in", partners.commercial_partner_id.ids)],
            order="date, id",
        )
        return [
            {
                "records": events,
                "export": [
                    "purpose",
                    "given",
                    "date",
                    "channel",
                    "proof",
                    "proof_message_id",
                    "user_id",
                ],
                # Kept (what was decided, when, how); the proof's words go.
                "erase": {"proof": False},
            }
        ]
