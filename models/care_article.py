"""Help centre: FAQ and how-to articles customers read before asking."""

import re

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib.vntext import fold

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


class CareArticleCategory(models.Model):
    _name = "care.article.category"
    _description = "Help Centre Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    article_ids = fields.One2many("care.article", "category_id", string="Articles")


class CareArticle(models.Model):
    _name = "care.article"
    _description = "Help Centre Article"
    _order = "sequence, id"

    name = fields.Char(string="Title", required=True, translate=True)
    body = fields.Html(translate=True, sanitize=True)
    keywords = fields.Char(
        translate=True, help="Extra words customers may type to find this article."
    )
    category_id = fields.Many2one("care.article.category", index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_published = fields.Boolean(
        string="Published", help="Published articles are shown in the help centre."
    )
    deflection_count = fields.Integer(
        string="Solved Problems",
        default=0,
        readonly=True,
        copy=False,
        help="How many times a customer said this article solved the problem.",
    )
    search_key = fields.Text(
        compute="_compute_search_key",
        store=True,
        index="trigram",
        help="Technical: title, keywords and text in every installed language, "
        "without accents, for accent-insensitive search.",
    )
    url = fields.Char(compute="_compute_url", string="Public Link")
    canned_response_id = fields.Many2one(
        "mail.canned.response",
        string="Canned Reply",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Agents type ':' and this shortcut in a reply to insert the article's "
        "link.",
    )
    canned_shortcut = fields.Char(related="canned_response_id.source")

    @api.depends("name", "body", "keywords")
    def _compute_search_key(self):
        langs = [code for code, __ in self.env["res.lang"].get_installed()]
        for article in self:
            parts = []
            for lang in langs:
                localized = article.with_context(lang=lang)
                parts += [
                    localized.name,
                    localized.keywords,
                    tools.html2plaintext(localized.body or ""),
                ]
            article.search_key = fold(" ".join(p for p in parts if p))

    @api.depends("name")
    def _compute_url(self):
        base = self.get_base_url()
        for article in self:
            article.url = f"{base}{article._help_path()}" if article.id else False

    @api.model_create_multi
    def create(self, vals_list):
        articles = super().create(vals_list)
        articles._sync_canned_response()
        return articles

    def write(self, vals):
        res = super().write(vals)
        if {"name", "is_published", "active"} & set(vals):
            self._sync_canned_response()
        return res

    def _sync_canned_response(self):
        """Keep one canned reply per published article (``:kb<id>``) so agents
        insert the article's title and link in a reply from the usual composer."""
        group = self.env.ref("customer_care.customer_care_group_user")
        for article in self:
            # sudo: canned replies shared with agents hold only the title and the
            # public link of this article.
            canned = article.canned_response_id.sudo()
            if article.is_published and article.active:
                values = {
                    "source": f"kb{article.id}",
                    "substitution": f"{article.name}: {article.url}",
                    "group_ids": [(6, 0, group.ids)],
                }
                if canned:
                    canned.write(values)
                else:
                    article.sudo().canned_response_id = (
                        self.env["mail.canned.response"].sudo().create(values)
                    )
            elif canned:
                article.sudo().canned_response_id = False
                canned.unlink()

    def _help_path(self):
        self.ensure_one()
        slug = _SLUG_STRIP.sub("-", fold(self.with_context(lang="en_US").name))
        slug = slug.strip("-")[:60]
        return f"/help/{self.id}-{slug}" if slug else f"/help/{self.id}"

    @api.model
    def _match_domain(self, query, any_word=False):
        """Published articles matching every word of ``query`` (or any word of
        three letters or more), accents ignored: the help centre's search and
        the form's suggestions read the same words the same way."""
        words = fold(query).split()[:8]
        if any_word:
            words = [word for word in words if len(word) >= 3]
            if not words:
                return Domain.FALSE
        matches = [Domain("search_key", "ilike", word) for word in words]
        return Domain("is_published", "=", True) & (
            Domain.OR(matches) if any_word else Domain.AND(matches)
        )

    @api.model
    def _suggest(self, query, limit=5):
        """The articles to suggest while a customer types ``query``: any word
        may match, the best article matches most words."""
        if len(fold(query)) < 3:
            return self.browse()
        words = fold(query).split()
        articles = self.search(self._match_domain(query, any_word=True), limit=50)
        return articles.sorted(
            key=lambda a: (-sum(w in (a.search_key or "") for w in words), a.sequence)
        )[:limit]

    def _count_deflection(self):
        """Add one to the counter in SQL: two customers clicking at once both
        count (no read-modify-write in Python)."""
        if self.ids:
            self.env.execute_query(
                SQL(
                    "UPDATE care_article "
                    "SET deflection_count = COALESCE(deflection_count, 0) + 1 "
                    "WHERE id IN %s",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["deflection_count"])

    def action_open_public(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._help_path(), "target": "new"}
