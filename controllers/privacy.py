"""Personal data and consent (Vietnam Decree 13/2023), one class per
audience:

* ``CarePrivacyBackend``: a Customer Care administrator downloads the export
  of any customer (button on the partner form);
* ``CarePrivacyPortal``: the logged-in customer's privacy page (/my/privacy):
  two switches (marketing, emotion analysis) and "Download my data", for their
  own partner only;
* ``CareConsentLink``: the withdrawal links of emails (no login; a token per
  customer and purpose, models/care_consent_event.py). A GET only shows the
  question, the POST withdraws, so a mail scanner following links withdraws
  nothing.
"""

from odoo import http
from odoo.http import request

from .common import portal_layout_values


def zip_response(content, filename):
    return request.make_response(
        content,
        headers=[
            ("Content-Type", "application/zip"),
            ("Content-Disposition", f'attachment; filename="{filename}"'),
            ("Cache-Control", "no-store"),
        ],
    )


class CarePrivacyBackend(http.Controller):
    @http.route(
        "/customer_care/privacy/export/<int:partner_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def care_privacy_export(self, partner_id, **kwargs):
        Privacy = request.env["care.privacy"]
        Privacy._check_manager()
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise request.not_found()
        # The manager may export any customer (checked above); the collection
        # runs as superuser to reach every model that stores them.
        content = Privacy._export_zip(Privacy._persons(partner))
        return zip_response(content, f"personal_data_{partner.id}.zip")


class CarePrivacyPortal(http.Controller):
    def _partner(self):
        return request.env.user.partner_id

    def _choices(self, partner):
        """What the switches show: the consent in effect (the company's
        default for a customer never asked)."""
        # sudo: the customer's own consent state and their company's defaults.
        partner = partner.sudo()
        return {
            purpose: partner._care_consent_allows(purpose)
            for purpose in ("marketing", "emotion")
        }

    @http.route("/my/privacy", type="http", auth="user", website=True, methods=["GET"])
    def portal_care_privacy(self, saved=None, **kw):
        values = portal_layout_values(
            "care_privacy",
            choices=self._choices(self._partner()),
            saved=bool(saved),
        )
        return request.render("customer_care.portal_care_privacy", values)

    @http.route("/my/privacy", type="http", auth="user", website=True, methods=["POST"])
    def portal_care_privacy_save(self, **post):
        """Only the switches that changed are recorded (channel portal)."""
        partner = self._partner()
        shown = self._choices(partner)
        # sudo: portal users cannot write consent events; what is recorded is
        # the logged-in customer's own choice for their own customer account.
        Event = request.env["care.consent.event"].sudo()
        proof = request.env._(
            "Privacy page of the customer portal, user %(login)s",
            login=request.env.user.login,
        )
        for purpose in ("marketing", "emotion"):
            wanted = bool(post.get(purpose))
            if wanted == shown[purpose]:
                continue
            Event._record(partner, purpose, wanted, "portal", proof=proof)
            if purpose == "emotion" and not wanted:
                # The customer's withdrawal is their request to erase what
                # the journal holds about them too.
                partner.sudo()._care_erase_emotion_entries()
        return request.redirect("/my/privacy?saved=1")

    @http.route("/my/privacy/export", type="http", auth="user", methods=["GET"])
    def portal_care_privacy_export(self, **kw):
        """ "Download my data": the same file as the backend export, for the
        logged-in partner only (never their company's other contacts)."""
        partner = self._partner()
        # sudo: the data collected is the logged-in person's own (by their
        # partner id); nobody else's can be asked for here.
        content = request.env["care.privacy"].sudo()._export_zip(partner.sudo())
        return zip_response(content, "my_personal_data.zip")


class CareConsentLink(http.Controller):
    def _event_model(self):
        # sudo: the link's token is the customer's proof; visitors cannot read
        # partners or write consent events otherwise.
        return request.env["care.consent.event"].sudo()

    def _check(self, partner_id, purpose, token):
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not self._event_model()._check_token(partner, purpose, token):
            # Same answer for a wrong token and a missing customer.
            raise request.not_found()
        return partner

    def _render(self, partner, purpose, token, done=False):
        purposes = dict(
            request.env["care.consent.event"]
            ._fields["purpose"]
            ._description_selection(request.env)
        )
        values = portal_layout_values(
            "care_consent_link",
            purpose=purpose,
            purpose_label=purposes[purpose],
            action=f"/care/consent/{partner.id}/{purpose}/{token}",
            done=done,
            no_breadcrumbs=True,
        )
        return request.render("customer_care.care_consent_link", values)

    @http.route(
        "/care/consent/<int:partner_id>/<string:purpose>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def care_consent_link(self, partner_id, purpose, token, **kw):
        partner = self._check(partner_id, purpose, token)
        return self._render(partner, purpose, token)

    @http.route(
        "/care/consent/<int:partner_id>/<string:purpose>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def care_consent_link_withdraw(self, partner_id, purpose, token, **kw):
        partner = self._check(partner_id, purpose, token)
        self._event_model()._record(
            partner,
            purpose,
            False,
            "mail_link",
            proof=request.env._("Withdrawal link in an email"),
        )
        return self._render(partner, purpose, token, done=True)
