from odoo import api, models


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._care_sync_emotion_entries()
        return ratings

    def write(self, vals):
        res = super().write(vals)
        if {"rating", "feedback", "consumed"} & set(vals):
            self._care_sync_emotion_entries()
        return res

    def _care_sync_emotion_entries(self):
        """Every filled rating of a care ticket is a journal entry; a customer
        who changes their rating updates the same entry (one per rating)."""
        if self.env.context.get("care_no_emotion"):
            return  # e.g. the erasure of the customer rewriting the comment
        ratings = self.filtered(
            lambda r: r.res_model == "care.ticket" and r.consumed and r.rating > 0
        )
        if not ratings:
            return
        # sudo: ratings are filled by customers through the public /rate page or
        # the portal; the journal is written for them but only care users read it.
        Entry = self.env["care.emotion.entry"].sudo()
        existing = {
            entry.rating_id.id: entry
            for entry in Entry.search([("rating_id", "in", ratings.ids)])
        }
        tickets = (
            self.env["care.ticket"].sudo().browse(ratings.mapped("res_id")).exists()
        )
        vals_list = []
        for rating in ratings:
            ticket = tickets.browse(rating.res_id) & tickets
            values = Entry._values_from_rating(rating.rating, rating.feedback)
            entry = existing.get(rating.id)
            if entry:
                if entry.corrected:
                    # A person's correction outranks the new rating's guess.
                    values.pop("label")
                    values.pop("intensity")
                entry.with_context(care_no_correction=True).write(values)
                continue
            partner = rating.partner_id or ticket.partner_id
            if not partner:
                continue
            vals_list.append(
                Entry._entry_vals(
                    "rating",
                    partner,
                    ticket=ticket,
                    values=values,
                    rating_id=rating.id,
                    message_id=rating.message_id.id,
                )
            )
        if vals_list:
            Entry.create(vals_list)

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """Ratings of care tickets by the person: the score stays (the CSAT of
        past periods does not move), the comment goes."""
        ratings = self.search(
            [("res_model", "=", "care.ticket"), ("partner_id", "in", partners.ids)],
            order="create_date, id",
        )
        return [
            {
                "records": ratings,
                "export": ["create_date", "res_id", "rating", "feedback", "consumed"],
                "erase": {"feedback": False},
            }
        ]
