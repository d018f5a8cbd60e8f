"""The form that opens a ticket: /my/tickets/new for logged-in customers and
/help/new for visitors. One form, one validation and one anti-spam for both:
a signed timestamp (too fast or expired forms are refused), a honeypot field,
and a rate limit per IP address and email counted in the database
(``care.intake.throttle``).

Visitors cannot read or create tickets or partners: the ticket is created with
``sudo()`` from whitelisted values only (see ``_create_ticket``).
"""

import logging
import time
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import hash_sign, verify_hash_signed

from ..models.care_ticket_attachment import ACCEPTED_TYPES
from .common import LIMITS, portal_layout_values, read_uploaded_files

_logger = logging.getLogger(__name__)

FORM_SCOPE = "customer_care.intake_form"
DEFAULT_MIN_FILL_SECONDS = 3
FORM_MAX_AGE_HOURS = 24
HONEYPOT = "care_fax"


class CareIntakeForm(http.Controller):
    def _published_topics(self):
        """Published topics, teams and request types the form may accept.

        The select lists topics only (customer-facing, translated names). Teams
        are still returned so that a POST with ``team_id`` of a published team
        keeps working for one release (forms cached before topics existed).
        """
        # sudo: visitors and portal users have no access to topics, teams or
        # types; only published, active records are read, and only their id,
        # name and description reach the page. Topic names are read in the
        # request language (the environment's lang).
        topics = (
            request.env["care.topic"]
            .sudo()
            .search([("is_published", "=", True), ("team_id.active", "=", True)])
        )
        teams = request.env["care.team"].sudo().search([("is_published", "=", True)])
        types = (
            request.env["care.ticket.type"].sudo().search([("is_published", "=", True)])
        )
        return topics, teams, types

    def _form_token(self):
        # sudo: hash_sign reads the database secret.
        return hash_sign(
            request.env(su=True),
            FORM_SCOPE,
            {"ts": int(time.time())},
            expiration_hours=FORM_MAX_AGE_HOURS,
        )

    def _form_age(self, token):
        """Seconds since the form was served, or None if the token is invalid."""
        try:
            payload = verify_hash_signed(request.env(su=True), FORM_SCOPE, token or "")
        except Exception:  # noqa: BLE001 - any malformed token is just invalid
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("ts"), int):
            return None
        return time.time() - payload["ts"]

    def _render_form(self, public, form=None, errors=None):
        topics, __, types = self._published_topics()
        values = portal_layout_values(
            "care_ticket_new",
            **{
                "public_form": public,
                "form_action": "/help/new" if public else "/my/tickets/new",
                "topics": topics,
                "types": types,
                "form": form or {},
                "care_errors": errors or [],
                "form_token": self._form_token(),
                "honeypot": HONEYPOT,
                "attachment_rules": request.env["care.ticket"]._attachment_rules(),
                "allowed_extensions": ACCEPTED_TYPES,
                "limits": LIMITS,
            },
        )
        return request.render("customer_care.portal_care_ticket_new", values)

    def _prefill(self, kw):
        """Values a link may prefill (the order's "Need help with this
        order?" button): only the order reference, as text. Nothing is looked
        up here; the reference links an order at submission, and only one of
        the customer's own."""
        reference = (kw.get("order_reference") or "").strip()
        return {"order_reference": reference[: LIMITS["order_reference"]]}

    @http.route(
        "/my/tickets/new", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_care_ticket_new(self, **kw):
        return self._render_form(public=False, form=self._prefill(kw))

    @http.route(
        "/my/tickets/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_new_submit(self, **post):
        return self._submit(post, public=False)

    @http.route("/help/new", type="http", auth="public", website=True, methods=["GET"])
    def portal_care_help_new(self, **kw):
        if not request.env.user._is_public():
            query = urlencode(self._prefill(kw)) if kw.get("order_reference") else ""
            return request.redirect("/my/tickets/new" + (f"?{query}" if query else ""))
        return self._render_form(public=True, form=self._prefill(kw))

    @http.route("/help/new", type="http", auth="public", website=True, methods=["POST"])
    def portal_care_help_new_submit(self, **post):
        return self._submit(post, public=request.env.user._is_public())

    def _form_values(self, post, public):
        """Only whitelisted fields are read from the form, trimmed and bounded."""
        form = {}
        keys = [
            "subject",
            "description",
            "order_reference",
            "topic_id",
            "team_id",
            "type_id",
        ]
        if public:
            keys += ["name", "email", "phone", "callback_at"]
        for key in keys:
            form[key] = (post.get(key) or "").strip()
        if public:
            form["marketing_consent"] = bool(post.get("marketing_consent"))
        return form

    def _validate(self, form, public, topics, teams, types):  # noqa: C901
        errors = []
        labels = {
            "subject": request.env._("Subject"),
            "description": request.env._("Description"),
            "name": request.env._("Your name"),
            "email": request.env._("Email"),
            "phone": request.env._("Phone"),
            "order_reference": request.env._("Order reference"),
        }
        required = ["subject", "description"] + (["name", "email"] if public else [])
        for key in required:
            if not form.get(key):
                errors.append(
                    request.env._("%(field)s is required.", field=labels[key])
                )
        for key, label in labels.items():
            if len(form.get(key) or "") > LIMITS[key]:
                errors.append(
                    request.env._(
                        "%(field)s is too long (at most %(max)s characters).",
                        field=label,
                        max=LIMITS[key],
                    )
                )
        if public and form.get("email") and not email_normalize(form["email"]):
            errors.append(request.env._("Please enter a valid email address."))
        topic = team = type_ = None
        if form.get("topic_id"):
            topic = topics.filtered(lambda t: str(t.id) == form["topic_id"])
            if not topic:
                errors.append(request.env._("Please choose a topic from the list."))
        elif form.get("team_id"):
            # Compatibility (one release): a published team posted directly.
            team = teams.filtered(lambda t: str(t.id) == form["team_id"])
            if not team:
                errors.append(request.env._("Please choose a topic from the list."))
        elif topics:
            errors.append(request.env._("Please choose a topic."))
        if form.get("type_id"):
            type_ = types.filtered(lambda t: str(t.id) == form["type_id"])
            if not type_:
                errors.append(
                    request.env._("Please choose a request type from the list.")
                )
        if topic:
            team = topic.team_id
            type_ = type_ or topic.type_id
        return errors, team, type_

    def _submit(self, post, public):
        topics, teams, types = self._published_topics()
        form = self._form_values(post, public)
        # 1. Anti-spam checks that need no database write.
        if post.get(HONEYPOT):
            _logger.info("Care web form: honeypot filled, request refused")
            return self._render_form(
                public,
                form,
                [request.env._("Your request could not be sent. Please try again.")],
            )
        age = self._form_age(post.get("form_token"))
        min_seconds = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("customer_care.intake_min_seconds", DEFAULT_MIN_FILL_SECONDS)
        )
        if age is None:
            return self._render_form(
                public,
                form,
                [
                    request.env._(
                        "This form has expired. Please check your request and send it."
                    )
                ],
            )
        if age < min_seconds:
            return self._render_form(
                public,
                form,
                [
                    request.env._(
                        "The form was sent too quickly. Please check your request "
                        "and send it again."
                    )
                ],
            )
        # 2. Content.
        errors, team, type_ = self._validate(form, public, topics, teams, types)
        files, file_errors = read_uploaded_files(
            request.env["care.ticket"]._attachment_rules()
        )
        errors += file_errors
        if form.get("callback_at"):
            errors += self._callback_errors(form["callback_at"], team)
        if errors:
            return self._render_form(public, form, errors)
        # 3. Rate limit per IP and per email, counted in the database.
        user = request.env.user
        email = email_normalize(form["email"]) if public else user.email_normalized
        over = request.env["care.intake.throttle"]._check_and_count(
            [("ip", request.httprequest.remote_addr), ("email", email)]
        )
        if over:
            return self._render_form(
                public,
                form,
                [
                    request.env._(
                        "You have sent several requests in a short time. Please "
                        "wait a while before sending another one."
                    )
                ],
            )
        ticket = self._create_ticket(form, public, team, type_, files)
        if form.get("callback_at"):
            ticket._request_callback(form["callback_at"], phone=form.get("phone"))
        if not public:
            return request.redirect(f"/my/tickets/{ticket.id}?notice=created")
        # Same answer whether or not the email belongs to a known customer.
        values = portal_layout_values("care_ticket_thanks", ticket_number=ticket.number)
        return request.render("customer_care.portal_care_ticket_thanks", values)

    def _callback_errors(self, value, team):
        """Why the call-back moment typed in the form cannot be (checked
        before the ticket exists, against the working hours of the team the
        ticket will go to)."""
        # sudo: a draft ticket that is never saved, to read the working hours
        # of its team; visitors cannot read teams.
        draft = (
            request.env["care.ticket"].sudo().new({"team_id": team.id} if team else {})
        )
        try:
            draft._callback_slot(value)
        except UserError as error:
            return [str(error)]
        return []

    def _create_ticket(self, form, public, team, type_, files):
        Ticket = request.env["care.ticket"]
        if public:
            # sudo: visitors cannot read or create partners. The customer is
            # matched by email only: a phone number typed in a public form is not
            # proof of identity, so it never attaches the ticket to someone else.
            partner = Ticket.sudo()._find_or_create_partner(
                form["email"], None, form["name"], lang=request.env.lang
            )
            name, email, phone = (
                form["name"],
                email_normalize(form["email"]),
                form["phone"],
            )
        else:
            partner = request.env.user.partner_id
            name, email, phone = partner.name, partner.email, partner.phone
        values = {
            "name": form["subject"],
            "description": plaintext2html(form["description"]),
            "partner_id": partner.id,
            "partner_name": name,
            "partner_email": email,
            "partner_phone": phone or False,
            "order_reference": form.get("order_reference") or False,
            "channel": "web_form" if public else "portal",
        }
        if team:
            values["team_id"] = team.id
            values["company_id"] = team.company_id.id
        if type_:
            values["type_id"] = type_.id
        # sudo: portal users and visitors cannot create tickets; the values above
        # come from the whitelist only (no assignee, stage or company can be set
        # through the form; the team comes from a published topic or team).
        ticket = Ticket.sudo().create(values)
        if public and form.get("marketing_consent"):
            # sudo: visitors cannot write consent events; the box is the
            # visitor's own explicit choice, recorded with the request's number.
            request.env["care.consent.event"].sudo()._record(
                partner,
                "marketing",
                True,
                "public_form",
                proof=request.env._(
                    "Box ticked on the public form, request %(number)s",
                    number=ticket.number,
                ),
            )
        # An order named in the request is linked only if it is this
        # customer's (on the public form, only if its customer has the email
        # given): otherwise the text stays as typed and nothing is said.
        ticket._link_orders_from_text(
            form.get("order_reference"),
            form["subject"],
            form["description"],
            email=email if public else None,
        )
        if files:
            ticket.message_post(
                body=request.env._("Files sent with the request."),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=files,
            )
        return ticket
