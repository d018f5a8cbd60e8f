"""Customer portal: the logged-in customer's tickets (/my/tickets) and a
ticket's page, reached with the customer's rights or the ticket's token.

The form that opens a ticket (/my/tickets/new and the public /help/new) is in
controllers/intake.py; the help centre (/help) in controllers/help_centre.py.

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

from urllib.parse import urlencode

from odoo import http, tools
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.care_ticket_attachment import ACCEPTED_TYPES
from .common import LIMITS, read_uploaded_files

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
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
            "update": {
                "label": request.env._("Last Update"),
                "order": "date_last_update desc, id desc",
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
            "callback": request.env._(
                "Thank you: we will call you back at the time you chose."
            ),
            "callback_closed": request.env._(
                "This ticket is closed: write to us to open it again first."
            ),
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
                "timeline": ticket_sudo._portal_timeline(),
                "thread_messages": ticket_sudo._portal_messages(),
                "sla_deadline": ticket_sudo.sla_deadline,
                "can_close": ticket_sudo._can_customer_close(),
                "can_reopen": ticket_sudo._can_reopen(),
                "rating": ticket_sudo.rating_ids.filtered("consumed")[:1],
                "attachment_rules": ticket_sudo._attachment_rules(),
                # The linked orders of this ticket's own customer, read with
                # sudo inside the helper: access to the ticket was checked.
                "care_orders": ticket_sudo._sale_order_digest(customer_only=True),
                "allowed_extensions": ACCEPTED_TYPES,
                "care_errors": errors or [],
                "callback_value": kw.get("callback_value")
                or ticket_sudo._callback_local_value(),
                "callback_tz": ticket_sudo._callback_tz(),
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
        attachment = ticket_sudo._portal_messages().attachment_ids.filtered(
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
        rules = ticket_sudo._attachment_rules()
        files, errors = read_uploaded_files(rules)
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
        was_expired = ticket_sudo.is_closed and not ticket_sudo._can_reopen()
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

    @http.route(
        "/my/tickets/<int:ticket_id>/callback",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_care_ticket_callback(
        self, ticket_id, access_token=None, callback_at="", phone="", **kw
    ):
        """The customer asks to be called back at a moment of the team's
        working hours (models/care_ticket_callback.py); a refused moment is
        answered on the page with the reason."""
        ticket_sudo = self._care_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return self._care_denied(access_token)
        if ticket_sudo.is_closed:
            return request.redirect(
                self._care_ticket_url(
                    ticket_sudo, access_token, alert="callback_closed"
                )
            )
        try:
            # sudo: access to the ticket was checked above; the request only
            # sets the call-back moment and the owner's follow-up.
            ticket_sudo._request_callback(callback_at, phone=phone[: LIMITS["phone"]])
        except UserError as error:
            return self._care_render_ticket(
                ticket_sudo,
                access_token,
                errors=[str(error)],
                callback_value=callback_at,
            )
        return request.redirect(
            self._care_ticket_url(ticket_sudo, access_token, notice="callback")
            + "#care_callback"
        )

    def _care_customer_move(self, ticket_id, access_token, move, body, notice):
        """Close or reopen a ticket for its customer: check access, check the
        stage allows it, move it, log who did it, and go back to the ticket.

        ``move`` is ``"close"`` or ``"reopen"``; ``notice`` is shown after it.
        """
        allowed, action = {
            "close": ("_can_customer_close", "action_close"),
            "reopen": ("_can_reopen", "_reopen"),
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
