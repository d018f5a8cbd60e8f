"""Help centre: published articles for everyone, logged in or not (/help),
the "this solved my problem" counter and the suggestions the ticket form
shows while the customer types its subject."""

from odoo import http, tools
from odoo.http import request
from odoo.tools import html2plaintext

from .common import portal_layout_values

# The public ratings page of a team shows the ratings of this many days.
RATINGS_PAGE_DAYS = 90


class CareHelpCentre(http.Controller):
    @http.route("/help", type="http", auth="public", website=True, readonly=True)
    def care_help(self, search=None, **kw):
        # sudo: only published articles are read, for anonymous visitors too.
        Article = request.env["care.article"].sudo()
        search = (search or "").strip()[:100]
        values = portal_layout_values("care_help", search=search)
        if search:
            values["articles"] = Article.search(Article._match_domain(search), limit=50)
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

    def _article_sudo(self, slug):
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
        article = self._article_sudo(slug)
        if not article:
            raise request.not_found()
        values = portal_layout_values(
            "care_help_article",
            **{
                "article": article,
                "solved": article.id in request.session.get("care_solved", []),
                "care_notice": request.env._("Thank you! We are glad it helped.")
                if kw.get("notice") == "solved"
                else False,
            },
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
        article = self._article_sudo(str(article_id))
        if not article:
            raise request.not_found()
        solved = list(request.session.get("care_solved", []))
        if article.id not in solved:
            article._count_deflection()
            request.session["care_solved"] = (solved + [article.id])[-50:]
        return request.redirect(article._help_path() + "?notice=solved")

    @http.route(
        "/help/ratings/<int:team_id>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
        sitemap=False,
    )
    def care_team_ratings(self, team_id, **kw):
        """A published team's satisfaction: counts of its customers' ratings
        of the last ``RATINGS_PAGE_DAYS`` days, by grade; no name, no comment.
        Odoo Community has no public ratings page of its own."""
        # sudo: only published teams, and only aggregated counts, are shown.
        team = request.env["care.team"].sudo().browse(team_id).exists()
        if not team or not team.is_published:
            raise request.not_found()
        counts = team._rating_grade_counts(RATINGS_PAGE_DAYS)
        total = sum(counts.values())
        percent = {
            grade: round(100 * count / total) if total else 0
            for grade, count in counts.items()
        }
        values = portal_layout_values(
            "care_team_ratings",
            team=team,
            counts=counts,
            percent=percent,
            total=total,
            days=RATINGS_PAGE_DAYS,
        )
        return request.render("customer_care.care_team_ratings_page", values)

    @http.route("/help/suggest", type="jsonrpc", auth="public", readonly=True)
    def care_help_suggest(self, query="", **kw):
        query = (query or "")[:200]
        # sudo: only published articles are read, for anonymous visitors too.
        ranked = request.env["care.article"].sudo()._suggest(query)
        return [
            {
                "id": a.id,
                "name": a.name,
                "url": a._help_path(),
                "summary": html2plaintext(a.body or "")[:160],
            }
            for a in ranked
        ]
