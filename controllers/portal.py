"""Customer portal (/my/tickets) and help centre (/help) of Customer Care.

Security model, in one place:

* Reading: a ticket is shown only after ``_document_check_access`` (record rules
  of the logged-in user, or the ticket's own ``access_token`` compared in
  constant time). Every failure answers the same way (login redirect for
  anonymous visitors without a token, 404 otherwise), so nobody learns whether
  a ticket number exists.
* Writing: portal users have no write access on tickets. Controllers write with
  ``sudo()`` only after that access check, and only whitelisted values (a reply,
  the closing or reopening stage, a rating).
* Every state-changing route is POST with Odoo's CSRF check (``csrf=True`` is the
  default for ``type="http"`` routes).
"""

import logging
import os
import time
from urllib.parse import urlencode

from odoo import http, tools
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import email_normalize, html2plaintext, plaintext2html
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import hash_sign, verify_hash_signed

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..lib.vntext import fold
from ..models.care_ticket_portal import ACCEPTED_TYPES

_logger = logging.getLogger(__name__)

FORM_SCOPE = "customer_care.intake_form"
DEFAULT_MIN_FILL_SECONDS = 3
FORM_MAX_AGE_HOURS = 24
HONEYPOT = "care_fax"
LIMITS = {
    "name": 120,
    "email": 254,
    "phone": 32,
    "subject": 200,
    "description": 20000,
    "order_reference": 64,
    "reply": 20000,
    "feedback": 2000,
}
RATING_SCORES = {"5": 5, "3": 3, "1": 1}


class CareCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "care_ticket_count" in counters or not counters:
            Ticket = request.env["care.ticket"]
            values["care_ticket_count"] = (
                Ticket.search_count(self._care_ticket_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    def _care_ticket_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return Domain("commercial_partner_id", "=", partner.id)

    # ------------------------------------------------------------------
    # /my/tickets
    # ------------------------------------------------------------------

    def _care_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "update": {
                "label": request.env._("Last Update"),
                "order": "write_date desc, id desc",
            },
            "priority": {
                "label": request.env._("Priority"),
                "order": "priority desc, id desc",
            },
            "stage": {"label": request.env._("Status"), "order": "stage_id, id desc"},
        }

    def _care_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "open": {
                "label": request.env._("Open"),
                "domain": Domain("is_closed", "=", False),
            },
            "waiting": {
                "label": request.env._("Waiting for me"),
                "domain": Domain("stage_id.is_waiting", "=", True)
                & Domain("is_closed", "=", False),
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": Domain("is_closed", "=", True),
            },
        }

    def _care_searchbar_groupby(self):
        return {
            "none": {"label": request.env._("None"), "field": None},
            "stage": {"label": request.env._("Status"), "field": "stage_id"},
            "team": {"label": request.env._("Team"), "field": "team_id"},
        }

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_care_tickets(
        self, page=1, sortby=None, filterby=None, groupby=None, search=None, **kw
    ):
        Ticket = request.env["care.ticket"]
        sortings = self._care_searchbar_sortings()
        filters = self._care_searchbar_filters()
        groupbys = self._care_searchbar_groupby()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        groupby = groupby if groupby in groupbys else "none"
        search = (search or "").strip()[:100]

        domain = self._care_ticket_domain() & filters[filterby]["domain"]
        if search:
            domain &= Domain("text_search", "ilike", search)
        order = sortings[sortby]["order"]
        group_field = groupbys[groupby]["field"]
        if group_field:
            order = f"{group_field}, {order}"

        count = Ticket.search_count(domain) if Ticket.has_access("read") else 0
        url_args = {"sortby": sortby, "filterby": filterby, "groupby": groupby}
        if search:
            url_args["search"] = search
        pager = portal_pager(
            url="/my/tickets",
            url_args=url_args,
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = (
            Ticket.search(
                domain, order=order, limit=self._items_per_page, offset=pager["offset"]
            )
            if count
            else Ticket
        )
        if group_field:
            grouped = [
                (key, Ticket.concat(*group))
                for key, group in tools.groupby(tickets, lambda t: t[group_field])
            ]
        else:
            grouped = [(None, tickets)] if tickets else []

        request.session["my_care_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_tickets",
                "default_url": "/my/tickets",
                "tickets": tickets,
                "grouped_tickets": grouped,
                "pager": pager,
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "searchbar_groupby": groupbys,
                "sortby": sortby,
                "filterby": filterby,
                "groupby": groupby,
                "search": search,
                "search_in": "all",
                "searchbar_inputs": {
                    "all": {"input": "all", "label": request.env._("Search")}
                },
                "priority_labels": dict(
                    Ticket._fields["priority"]._description_selection(request.env)
                ),
            }
        )
        return request.render("customer_care.portal_my_care_tickets", values)

    # ------------------------------------------------------------------
    # /my/tickets/<id>
    # ------------------------------------------------------------------

    def _care_ticket_sudo(self, ticket_id, access_token=None):
        """Return the ticket (sudo) when the visitor may read it, else None.

        A missing ticket and a ticket of someone else give the same None."""
        try:
            return self._document_check_access("care.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return None

    def _care_denied(self, access_token=None):
        if request.env.user._is_public() and not access_token:
            httpreq = request.httprequest
            # After logging in, come back to the page (a POST action's URL would
            # only answer "method not allowed").
            target = (
                httpreq.full_path
                if httpreq.method == "GET"
                else httpreq.path.rsplit("/", 1)[0]
            )
            return request.redirect("/web/login?" + urlencode({"redirect": target}))
        raise request.not_found()

    def _care_author(self, ticket_sudo):
        """The partner who speaks on the ticket: the logged-in user when they
        reach it through their own rights, else (token link) its customer."""
        user = request.env.user
        if not user._is_public() and ticket_sudo.with_user(user).has_access("read"):
            return user.partner_id
        return ticket_sudo.partner_id

    def _care_ticket_url(self, ticket_sudo, access_token=None, **params):
        url = ticket_sudo.access_url
        query = dict(params)
        if access_token:
            query["access_token"] = access_token
        query = {k: v for k, v in query.items() if v not in (None, "")}
        return f"{url}?{urlencode(query)}" if query else url

    def _care_messages(self):
        return {
            "created": request.env._(
                "Your ticket was created. We will answer you soon."
            ),
            "replied": request.env._("Your message was sent."),
            "closed": request.env._("Your ticket is closed. Thank you!"),
            "reopened": request.env._("Your ticket is open again."),
            "rated": request.env._("Thank you for your rating."),
            "follow_up": request.env._(
                "This ticket was closed too long ago to be reopened: your message "
                "opened a new ticket."
            ),
            "cannot_close": request.env._(
                "This ticket cannot be closed at this stage."
            ),
            "cannot_reopen": request.env._(
                "This ticket was closed too long ago to be reopened. Write a "
                "message to open a new ticket."
            ),
            "cannot_rate": request.env._(
                "This ticket can be rated once, after it is closed."
            ),
            "bad_rating": request.env._("Please choose a rating."),
        }

    @http.route(
        "/my/tickets/<int:ticket_id>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_care_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        return self._care_render_ticket(ticket_sudo, access_token, **kw)

    def _care_render_ticket(self, ticket_sudo, access_token, errors=None, **kw):
        messages = self._care_messages()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_ticket",
                "ticket": ticket_sudo,
                # Tracking values and messages are read with sudo inside these
                # helpers: access to this ticket was checked just above.
                "timeline": ticket_sudo._care_portal_timeline(),
                "thread_messages": ticket_sudo._care_portal_messages(),
                "sla_deadline": ticket_sudo.sla_deadline,
                "can_close": ticket_sudo._care_can_customer_close(),
                "can_reopen": ticket_sudo._care_can_reopen(),
                "rating": ticket_sudo.rating_ids.filtered("consumed")[:1],
                "attachment_rules": ticket_sudo._care_attachment_rules(),
                "allowed_extensions": ACCEPTED_TYPES,
                "care_errors": errors or [],
                "reply_body": kw.get("reply_body", ""),
                "care_notice": messages.get(kw.get("notice")),
                "care_alert": messages.get(kw.get("alert")),
            }
        )
        if ticket_sudo.parent_ticket_id and ticket_sudo.parent_ticket_id.with_user(
            request.env.user
        ).has_access("read"):
            values["parent_ticket"] = ticket_sudo.parent_ticket_id
        values = self._get_page_view_values(
            ticket_sudo, access_token, values, "my_care_tickets_history", False
        )
        return request.render("customer_care.portal_my_care_ticket", values)

    @http.route(
        "/my/tickets/<int:ticket_id>/attachment/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_care_ticket_attachment(
        self, ticket_id, attachment_id, access_token=None, **kw
    ):
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        # Only files of the messages the customer may read on this ticket.
        attachment = ticket_sudo._care_portal_messages().attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment)
            .get_response(as_attachment=True)
        )

    @http.route(
        "/my/tickets/<int:ticket_id>/reply",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_reply(self, ticket_id, access_token=None, body="", **kw):
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        body = (body or "").strip()
        rules = ticket_sudo._care_attachment_rules()
        files, errors = self._care_read_files(rules)
        if len(body) > LIMITS["reply"]:
            errors.append(
                request.env._(
                    "Your message is too long (at most %(max)s characters).",
                    max=LIMITS["reply"],
                )
            )
        if not body and not files and not errors:
            errors.append(request.env._("Please write a message or attach a file."))
        if errors:
            return self._care_render_ticket(
                ticket_sudo, access_token, errors=errors, reply_body=body
            )
        was_expired = ticket_sudo.is_closed and not ticket_sudo._care_can_reopen()
        author = self._care_author(ticket_sudo)
        # sudo: access to the ticket was checked above; only a public comment
        # from its customer (or the logged-in reader) is posted.
        ticket_sudo.message_post(
            body=plaintext2html(body) if body else "",
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=files,
        )
        if was_expired:
            follow_up = ticket_sudo.search(
                [("parent_ticket_id", "=", ticket_sudo.id)], order="id desc", limit=1
            )
            if follow_up:
                return request.redirect(
                    follow_up.get_portal_url(query_string="&notice=follow_up")
                )
        return request.redirect(
            self._care_ticket_url(ticket_sudo, access_token, notice="replied")
            + "#care_thread"
        )

    def _care_read_files(self, rules):
        """Read the uploaded files within the limits: ([(name, bytes)], errors)."""
        Ticket = request.env["care.ticket"]
        uploads = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        error = Ticket._care_file_count_error(len(uploads), rules)
        if error:
            return [], [error]
        files, errors = [], []
        for upload in uploads:
            name = os.path.basename(upload.filename.replace("\\", "/"))[:200]
            content = upload.read(rules["max_bytes"] + 1)
            mimetype = guess_mimetype(content, default="")
            error = Ticket._care_file_error(name, len(content), mimetype, rules)
            if error:
                errors.append(error)
            elif not content:
                errors.append(request.env._("The file %(name)s is empty.", name=name))
            else:
                files.append((name, content))
        return files, errors

    def _care_customer_move(self, ticket_id, access_token, move, body, notice):
        """Close or reopen a ticket for its customer: check access, check the
        stage allows it, move it, log who did it, and go back to the ticket.

        ``move`` is ``"close"`` or ``"reopen"``; ``notice`` is shown after it.
        """
        allowed, action = {
            "close": ("_care_can_customer_close", "action_close"),
            "reopen": ("_care_can_reopen", "_reopen"),
        }[move]
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        if not getattr(ticket_sudo, allowed)():
            return request.redirect(
                self._care_ticket_url(ticket_sudo, access_token, alert=f"cannot_{move}")
            )
        author = self._care_author(ticket_sudo)
        # sudo: access checked above; the customer may only move their ticket to
        # the team's closing stage, or back to its first open stage within the
        # grace period.
        getattr(ticket_sudo, action)()
        ticket_sudo.message_post(
            body=body, author_id=author.id, subtype_xmlid="mail.mt_note"
        )
        return request.redirect(
            self._care_ticket_url(ticket_sudo, access_token, notice=notice)
        )

    @http.route(
        "/my/tickets/<int:ticket_id>/close",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_close(self, ticket_id, access_token=None, **kw):
        return self._care_customer_move(
            ticket_id,
            access_token,
            "close",
            request.env._("Closed by the customer from the portal."),
            "closed",
        )

    @http.route(
        "/my/tickets/<int:ticket_id>/reopen",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_reopen(self, ticket_id, access_token=None, **kw):
        return self._care_customer_move(
            ticket_id,
            access_token,
            "reopen",
            request.env._("Reopened by the customer from the portal."),
            "reopened",
        )

    @http.route(
        "/my/tickets/<int:ticket_id>/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_rate(
        self, ticket_id, access_token=None, score=None, feedback="", **kw
    ):
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        if not ticket_sudo.is_closed or ticket_sudo.rating_ids.filtered("consumed"):
            return request.redirect(
                self._care_ticket_url(ticket_sudo, access_token, alert="cannot_rate")
            )
        if score not in RATING_SCORES or not ticket_sudo.partner_id:
            return request.redirect(
                self._care_ticket_url(ticket_sudo, access_token, alert="bad_rating")
            )
        # sudo: access checked above; the rating belongs to the ticket's customer
        # and is applied once (rating.mixin token, consumed afterwards).
        token = ticket_sudo._rating_get_access_token(ticket_sudo.partner_id)
        ticket_sudo.rating_apply(
            RATING_SCORES[score],
            token=token,
            feedback=(feedback or "").strip()[: LIMITS["feedback"]],
        )
        return request.redirect(
            self._care_ticket_url(ticket_sudo, access_token, notice="rated")
        )

    # ------------------------------------------------------------------
    # New ticket: /my/tickets/new (customers) and /help/new (visitors)
    # ------------------------------------------------------------------

    def _care_published_topics(self):
        # sudo: public visitors cannot read teams; only published ones are listed.
        teams = request.env["care.team"].sudo().search([("is_published", "=", True)])
        types = (
            request.env["care.ticket.type"].sudo().search([("is_published", "=", True)])
        )
        return teams, types

    def _care_form_token(self):
        # sudo: hash_sign reads the database secret.
        return hash_sign(
            request.env(su=True),
            FORM_SCOPE,
            {"ts": int(time.time())},
            expiration_hours=FORM_MAX_AGE_HOURS,
        )

    def _care_form_age(self, token):
        """Seconds since the form was served, or None if the token is invalid."""
        try:
            payload = verify_hash_signed(request.env(su=True), FORM_SCOPE, token or "")
        except Exception:  # noqa: BLE001 - any malformed token is just invalid
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("ts"), int):
            return None
        return time.time() - payload["ts"]

    def _care_render_form(self, public, form=None, errors=None):
        teams, types = self._care_published_topics()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_ticket_new",
                "public_form": public,
                "form_action": "/help/new" if public else "/my/tickets/new",
                "teams": teams,
                "types": types,
                "form": form or {},
                "care_errors": errors or [],
                "form_token": self._care_form_token(),
                "honeypot": HONEYPOT,
                "attachment_rules": request.env["care.ticket"]._care_attachment_rules(),
                "allowed_extensions": ACCEPTED_TYPES,
                "limits": LIMITS,
            }
        )
        return request.render("customer_care.portal_care_ticket_new", values)

    @http.route(
        "/my/tickets/new", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_care_ticket_new(self, **kw):
        return self._care_render_form(public=False)

    @http.route(
        "/my/tickets/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_new_submit(self, **post):
        return self._care_submit(post, public=False)

    @http.route("/help/new", type="http", auth="public", website=True, methods=["GET"])
    def portal_care_help_new(self, **kw):
        if not request.env.user._is_public():
            return request.redirect("/my/tickets/new")
        return self._care_render_form(public=True)

    @http.route("/help/new", type="http", auth="public", website=True, methods=["POST"])
    def portal_care_help_new_submit(self, **post):
        return self._care_submit(post, public=request.env.user._is_public())

    def _care_form_values(self, post, public):
        """Only whitelisted fields are read from the form, trimmed and bounded."""
        form = {}
        keys = ["subject", "description", "order_reference", "team_id", "type_id"]
        if public:
            keys += ["name", "email", "phone"]
        for key in keys:
            form[key] = (post.get(key) or "").strip()
        return form

    def _care_validate(self, form, public, teams, types):  # noqa: C901
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
        team = type_ = None
        if form.get("team_id"):
            team = teams.filtered(lambda t: str(t.id) == form["team_id"])
            if not team:
                errors.append(request.env._("Please choose a topic from the list."))
        elif teams:
            errors.append(request.env._("Please choose a topic."))
        if form.get("type_id"):
            type_ = types.filtered(lambda t: str(t.id) == form["type_id"])
            if not type_:
                errors.append(
                    request.env._("Please choose a request type from the list.")
                )
        return errors, team, type_

    def _care_submit(self, post, public):
        teams, types = self._care_published_topics()
        form = self._care_form_values(post, public)
        # 1. Anti-spam checks that need no database write.
        if post.get(HONEYPOT):
            _logger.info("Care web form: honeypot filled, request refused")
            return self._care_render_form(
                public,
                form,
                [request.env._("Your request could not be sent. Please try again.")],
            )
        age = self._care_form_age(post.get("form_token"))
        min_seconds = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("customer_care.intake_min_seconds", DEFAULT_MIN_FILL_SECONDS)
        )
        if age is None:
            return self._care_render_form(
                public,
                form,
                [
                    request.env._(
                        "This form has expired. Please check your request and send it."
                    )
                ],
            )
        if age < min_seconds:
            return self._care_render_form(
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
        errors, team, type_ = self._care_validate(form, public, teams, types)
        files, file_errors = self._care_read_files(
            request.env["care.ticket"]._care_attachment_rules()
        )
        errors += file_errors
        if errors:
            return self._care_render_form(public, form, errors)
        # 3. Rate limit per IP and per email, counted in the database.
        user = request.env.user
        email = email_normalize(form["email"]) if public else user.email_normalized
        over = request.env["care.intake.throttle"]._care_check_and_count(
            [("ip", request.httprequest.remote_addr), ("email", email)]
        )
        if over:
            return self._care_render_form(
                public,
                form,
                [
                    request.env._(
                        "You have sent several requests in a short time. Please "
                        "wait a while before sending another one."
                    )
                ],
            )
        ticket = self._care_create_ticket(form, public, team, type_, files)
        if not public:
            return request.redirect(f"/my/tickets/{ticket.id}?notice=created")
        values = self._prepare_portal_layout_values()
        # Same answer whether or not the email belongs to a known customer.
        values.update(
            {"page_name": "care_ticket_thanks", "ticket_number": ticket.number}
        )
        return request.render("customer_care.portal_care_ticket_thanks", values)

    def _care_create_ticket(self, form, public, team, type_, files):
        Ticket = request.env["care.ticket"]
        if public:
            # sudo: visitors cannot read or create partners. The customer is
            # matched by email only: a phone number typed in a public form is not
            # proof of identity, so it never attaches the ticket to someone else.
            partner = Ticket.sudo()._find_or_create_partner(
                form["email"], None, form["name"]
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
        # come from the whitelist only (no assignee, stage, company or
        # unpublished team can be set through the form).
        ticket = Ticket.sudo().create(values)
        if files:
            ticket.message_post(
                body=request.env._("Files sent with the request."),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=files,
            )
        return ticket

    # ------------------------------------------------------------------
    # Help centre
    # ------------------------------------------------------------------

    @http.route("/help", type="http", auth="public", website=True, readonly=True)
    def care_help(self, search=None, **kw):
        # sudo: only published articles are read, for anonymous visitors too.
        Article = request.env["care.article"].sudo()
        search = (search or "").strip()[:100]
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "care_help", "search": search})
        if search:
            values["articles"] = Article.search(
                Article._care_search_domain(search), limit=50
            )
        else:
            articles = Article.search([("is_published", "=", True)])
            values["categories"] = [
                (category, Article.concat(*group))
                for category, group in tools.groupby(
                    articles.sorted(
                        lambda a: (a.category_id.sequence, a.category_id.id)
                    ),
                    lambda a: a.category_id,
                )
            ]
        return request.render("customer_care.care_help_index", values)

    def _care_article_sudo(self, slug):
        article_id = str(slug).split("-", 1)[0]
        if not article_id.isdigit():
            return None
        # sudo: published articles are public.
        article = request.env["care.article"].sudo().browse(int(article_id)).exists()
        return article if article and article.is_published else None

    @http.route(
        "/help/<string:slug>", type="http", auth="public", website=True, readonly=True
    )
    def care_help_article(self, slug, **kw):
        article = self._care_article_sudo(slug)
        if not article:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "care_help_article",
                "article": article,
                "solved": article.id in request.session.get("care_solved", []),
                "care_notice": request.env._("Thank you! We are glad it helped.")
                if kw.get("notice") == "solved"
                else False,
            }
        )
        return request.render("customer_care.care_help_article", values)

    @http.route(
        "/help/<int:article_id>/solved",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def care_help_article_solved(self, article_id, **kw):
        article = self._care_article_sudo(str(article_id))
        if not article:
            raise request.not_found()
        solved = list(request.session.get("care_solved", []))
        if article.id not in solved:
            article._care_count_deflection()
            request.session["care_solved"] = (solved + [article.id])[-50:]
        return request.redirect(article._care_path() + "?notice=solved")

    @http.route("/help/suggest", type="jsonrpc", auth="public", readonly=True)
    def care_help_suggest(self, query="", **kw):
        query = (query or "")[:200]
        if len(fold(query)) < 3:
            return []
        Article = request.env["care.article"].sudo()
        words = fold(query).split()
        # Any word may match; the best article matches most words.
        domain = Domain("is_published", "=", True) & Domain.OR(
            [Domain("search_key", "ilike", w) for w in words[:8] if len(w) >= 3]
            or [Domain.FALSE]
        )
        articles = Article.search(domain, limit=50)
        ranked = sorted(
            articles,
            key=lambda a: (-sum(w in (a.search_key or "") for w in words), a.sequence),
        )[:5]
        return [
            {
                "id": a.id,
                "name": a.name,
                "url": a._care_path(),
                "summary": html2plaintext(a.body or "")[:160],
            }
            for a in ranked
        ]
