from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class CareTicketMerge(models.TransientModel):
    """Merge duplicate tickets of one customer into one (Odoo's
    ``crm.merge.opportunity`` is the model).

    What **moves** to the target ticket: the messages (the whole chatter,
    notes and tracking included) and the files, the open activities, the
    emotion journal entries, and the followers (subscribed to the target).
    What is **referenced**: the sales orders (added to the target, kept on
    the duplicates), the tags (added to the target). What **stays** on each
    duplicate: its SLA history and its ratings, so that past figures do not
    change. Each duplicate is then closed with ``merged_into_id`` set (reports
    count the target only), a link in its chatter and a notice to the
    customer. Nothing is deleted."""

    _name = "care.ticket.merge"
    _description = "Merge Tickets"

    ticket_ids = fields.Many2many(
        "care.ticket",
        "care_ticket_merge_rel",
        "wizard_id",
        "ticket_id",
        string="Tickets",
        default=lambda self: self._default_ticket_ids(),
    )
    target_id = fields.Many2one(
        "care.ticket",
        string="Merge into",
        compute="_compute_target_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', ticket_ids)]",
        help="The ticket that remains; the oldest by default.",
    )

    def _default_ticket_ids(self):
        if self.env.context.get("active_model") == "care.ticket":
            return self.env["care.ticket"].browse(
                self.env.context.get("active_ids", [])
            )
        return self.env["care.ticket"]

    @api.depends("ticket_ids")
    def _compute_target_id(self):
        for wizard in self:
            if wizard.target_id in wizard.ticket_ids:
                continue
            wizard.target_id = wizard.ticket_ids.sorted(
                lambda t: (t.create_date or fields.Datetime.now(), t.id)
            )[:1]

    def action_merge(self):
        self.ensure_one()
        # care_no_stage_mail: the duplicates' customers get the merge notice,
        # not the closing stage's email. Set on the whole merge: Odoo sends the
        # tracking of the transaction with the context of its first write.
        wizard = self.with_context(care_no_stage_mail=True)
        target = wizard.target_id
        wizard._check_mergeable(wizard.ticket_ids, target)
        sources = wizard.ticket_ids - target
        wizard._move_dependences(sources, target)
        wizard._close_sources(sources, target)
        return {
            "type": "ir.actions.act_window",
            "res_model": "care.ticket",
            "res_id": target.id,
            "views": [(False, "form")],
        }

    def _check_mergeable(self, tickets, target):
        if len(tickets) < 2:
            raise UserError(self.env._("Select at least two tickets to merge."))
        if target not in tickets:
            raise UserError(
                self.env._("Choose the ticket to merge into among the selected.")
            )
        tickets.check_access("write")
        merged = tickets.filtered("merged_into_id")
        if merged:
            raise UserError(
                self.env._(
                    "%(tickets)s was already merged into another ticket.",
                    tickets=", ".join(merged.mapped("display_name")),
                )
            )
        if len(tickets.company_id) > 1:
            raise UserError(
                self.env._("Only tickets of the same company can be merged.")
            )
        customers = {t.commercial_partner_id for t in tickets}
        if len(customers) > 1 or not tickets[0].commercial_partner_id:
            raise UserError(
                self.env._(
                    "Only tickets of the same customer can be merged: %(customers)s.",
                    customers=", ".join(
                        sorted(
                            {
                                t.commercial_partner_id.display_name
                                or self.env._("no customer")
                                for t in tickets
                            }
                        )
                    ),
                )
            )

    def _move_dependences(self, sources, target):
        """Messages, files, activities, journal entries and followers move to
        ``target``; orders and tags are added to it."""
        # sudo: every message and file of the duplicates moves, whatever the
        # merging agent may read of them (notes, internal files): the agent
        # may write both tickets (checked above), and nothing leaves them.
        Message = self.env["mail.message"].sudo()
        messages = Message.search(
            [("model", "=", "care.ticket"), ("res_id", "in", sources.ids)]
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "care.ticket"), ("res_id", "in", sources.ids)])
        )
        # Summary before the move (each message then belongs to the target).
        summary = self._merge_summary(target, sources, messages, attachments)
        messages.write({"res_id": target.id})
        attachments.write({"res_id": target.id})
        # sudo: activities of the duplicates may be assigned to other agents.
        sources.sudo().activity_ids.write({"res_id": target.id})
        # sudo: journal entries are agents' data (field group); re-pointed so
        # that the customer's mood history reads the target.
        sources.sudo().emotion_entry_ids.write({"ticket_id": target.id})
        followers = sources.message_partner_ids - target.message_partner_ids
        if followers:
            target._message_subscribe(partner_ids=followers.ids)
        # sudo: the orders are linked, not shown; an agent need not be a
        # salesperson to merge the tickets that mention them.
        orders = sources.sudo().sale_order_ids
        if orders:
            target.sudo().sale_order_ids = [(4, order.id) for order in orders]
        target.write(
            {
                "tag_ids": [(4, tag.id) for tag in sources.tag_ids],
                "priority": max(sources.mapped("priority") + [target.priority]),
            }
        )
        target.message_post(body=summary, subtype_xmlid="mail.mt_note")

    def _close_sources(self, sources, target):
        sources.write({"merged_into_id": target.id})
        # care_no_stage_mail: the notice below replaces the closing stage's mail.
        sources.with_context(care_no_stage_mail=True).action_close()
        for source in sources:
            source.message_post(
                body=self.env._(
                    "Merged into %(ticket)s: its messages and files are there now.",
                    ticket=target._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
            self._notify_customer(source, target)

    def _merge_summary(self, target, sources, messages, attachments):
        """The target's note: which tickets were merged into it, what came
        with each, and their descriptions (which the chatter may not hold)."""
        items = Markup()
        for source in sources:
            count = len(messages.filtered(lambda m, s=source: m.res_id == s.id))
            files = len(attachments.filtered(lambda a, s=source: a.res_id == s.id))
            items += Markup("<li>%s</li>") % self.env._(
                "%(ticket)s: %(messages)s messages, %(files)s files",
                ticket=source._get_html_link(),
                messages=count,
                files=files,
            )
            if not is_html_empty(source.description):
                items += Markup("<blockquote>%s</blockquote>") % source.description
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Merged into this ticket:"),
            items,
        )

    def _notify_customer(self, source, target):
        """Tell the customer (the duplicate's followers) where their request
        continues. Posted as our automatic message: no agent reply for the
        SLA of the closed duplicate."""
        if not source.partner_id:
            return
        source.with_context(care_auto_message=True).message_post(
            body=self.env._(
                "Your request %(old)s has been merged with your request %(new)s, "
                "which our team continues to handle. Please follow it and reply "
                "there from now on: %(link)s",
                old=source.number,
                new=target.number,
                link=Markup('<a href="%s">%s</a>')
                % (
                    target.get_base_url() + target.get_portal_url(),
                    target.display_name,
                ),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
