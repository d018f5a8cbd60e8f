"""The NPS answer pages (public, token access): the score clicked in the
mail is recorded from the URL alone, then the customer may add a comment.

A forged or unknown token and a score out of 0..10 get the same 404 as a
missing page: nothing tells a guesser whether a token exists."""

from odoo import http
from odoo.http import request

from .common import LIMITS, portal_layout_values


class CareNps(http.Controller):
    def _answer_sudo(self, token):
        if not token or len(token) > 64:
            return None
        # sudo: the visitor is anonymous; the token, unguessable and unique,
        # is the access right to this one answer.
        answer = (
            request.env["care.nps.answer"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        return answer or None

    def _render(self, answer, token, recorded):
        lang = answer.partner_id.lang
        if lang:
            request.update_context(lang=lang)
        values = portal_layout_values(
            "care_nps",
            answer=answer,
            token=token,
            recorded=recorded,
            can_comment=answer.answered_at and not answer.comment_sent,
        )
        return request.render("customer_care.care_nps_page", values)

    @http.route(
        "/care/nps/<string:token>/<int:score>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def care_nps_answer(self, token, score, **kw):
        answer = self._answer_sudo(token)
        if not answer or not 0 <= score <= 10:
            raise request.not_found()
        recorded = answer._record_score(score)
        return self._render(answer, token, recorded)

    @http.route(
        "/care/nps/<string:token>/comment",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def care_nps_comment(self, token, comment="", **kw):
        answer = self._answer_sudo(token)
        if not answer or not answer.answered_at:
            raise request.not_found()
        answer._record_comment((comment or "")[: LIMITS["feedback"]])
        return self._render(answer, token, False)
