from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty


class CareTicketEscalate(models.TransientModel):
    """Hand a ticket over to another team (usually a specialist team), with
    the reason, the agent's note and a full hand-over note in the chatter,
    as the department's process asks ("thông tin được chuyển tiếp một cách
    chi tiết và đầy đủ"). Each escalation is kept in
    ``care.ticket.escalation``.

    SLA: by default the clocks go on, as for any team change (the engine
    keeps the lines of policies that still apply and adds the new team's
    from the ticket's creation). With "Restart SLA" the current lines become
    history and the new team's policies start from now."""

    _name = "care.ticket.escalate"
    _description = "Escalate a Ticket"

    ticket_id = fields.Many2one("care.ticket", required=True, readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id")
    from_team_id = fields.Many2one(related="ticket_id.team_id", string="From Team")
    team_id = fields.Many2one(
        "care.team",
        string="To Team",
        required=True,
        compute="_compute_team_id",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('company_id', '=', company_id), ('id', '!=', from_team_id)]",
    )
    is_specialist = fields.Boolean(related="team_id.is_specialist")
    reason_id = fields.Many2one("care.escalation.reason", required=True)
    note = fields.Html(
        help="What the next team needs to know: what was checked, what the "
        "customer was told."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Hand to",
        domain="[('id', 'in', allowed_user_ids)]",
        help="Leave empty to let the team's assignment method choose (or keep "
        "the agent when she is a member of the team).",
    )
    allowed_user_ids = fields.Many2many(
        "res.users", compute="_compute_allowed_user_ids"
    )
    restart_sla = fields.Boolean(
        string="Restart SLA",
        help="Start the SLA clocks again under the new team's policies. Off: the "
        "clocks go on; only policies that no longer apply are dropped.",
    )

    @api.depends("ticket_id")
    def _compute_team_id(self):
        for wizard in self:
            if wizard.team_id:
                continue
            wizard.team_id = self.env["care.team"].search(
                [
                    ("company_id", "=", wizard.ticket_id.company_id.id),
                    ("id", "!=", wizard.ticket_id.team_id.id),
                    ("is_specialist", "=", True),
                ],
                limit=1,
            )

    @api.depends("team_id")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            wizard.allowed_user_ids = (
                wizard.team_id.member_ids | wizard.team_id.leader_id
            )

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.user_id and self.user_id not in self.allowed_user_ids:
            self.user_id = False

    def action_escalate(self):
        self._escalate()
        return {"type": "ir.actions.act_window_close"}

    def _escalate(self):
        """Hand the ticket over; return the escalation's log row."""
        self.ensure_one()
        ticket = self.ticket_id
        ticket.check_access("write")
        if ticket.is_closed:
            raise UserError(self.env._("A closed ticket cannot be escalated."))
        if self.team_id == ticket.team_id:
            raise UserError(self.env._("The ticket is already with this team."))
        if self.user_id and self.user_id not in self.allowed_user_ids:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of the team %(team)s.",
                    user=self.user_id.name,
                    team=self.team_id.name,
                )
            )
        from_team = ticket.team_id
        now = fields.Datetime.now()
        vals = {"team_id": self.team_id.id}
        if self.user_id:
            vals["user_id"] = self.user_id.id
        sla_before = ticket.sla_status
        # sudo: the agent may write the ticket (checked above); handing it
        # over makes it another team's, which she may no longer see, while
        # the hand-over goes on (the new team's assignment, the SLA lines,
        # the log row and the note). Authorship stays hers (same uid).
        ticket = ticket.sudo()
        if self.restart_sla:
            ticket._sla_supersede(now)
            ticket = ticket.with_context(care_sla_start=now)
        ticket.write(vals)
        if self.restart_sla:
            # Policies already represented by a kept line: nothing new; the
            # others start now (care_sla_start).
            ticket._sla_apply()
        ticket = ticket.with_context(care_sla_start=False)
        escalation = (
            self.env["care.ticket.escalation"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "from_team_id": from_team.id,
                    "to_team_id": self.team_id.id,
                    "assignee_id": ticket.user_id.id,
                    "date": now,
                    "reason_id": self.reason_id.id,
                    "note": self.note,
                    "sla_restarted": self.restart_sla,
                }
            )
        )
        self._post_handover(ticket, from_team, sla_before)
        return escalation.with_env(self.env)

    def _post_handover(self, ticket, from_team, sla_before):
        """The hand-over note: everything the next team needs, in one place,
        notified to the agent now in charge (or the team leader)."""
        status = dict(ticket._fields["sla_status"]._description_selection(self.env))
        priority = dict(ticket._fields["priority"]._description_selection(self.env))
        rows = [
            (self.env._("From"), from_team.name or self.env._("No team")),
            (self.env._("To"), self.team_id.name),
            (self.env._("Reason"), self.reason_id.name),
            (self.env._("Handed to"), ticket.user_id.name or self.env._("Team queue")),
            (
                self.env._("SLA"),
                self.env._("restarted under the new team's policies")
                if self.restart_sla
                else self.env._(
                    "continues (%(status)s)", status=status.get(sla_before, "-")
                ),
            ),
            (
                self.env._("Customer"),
                ticket.partner_id.display_name or ticket.partner_name or "",
            ),
            (self.env._("Phone"), ticket.partner_phone or ""),
            (self.env._("Email"), ticket.partner_email or ""),
            (self.env._("Priority"), priority.get(ticket.priority, "")),
            (self.env._("Type"), ticket.type_id.name or ""),
            (
                self.env._("Orders"),
                ", ".join(ticket.sale_order_ids.mapped("name")),
            ),
        ]
        body = Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (
            self.env._("Escalated to %(team)s", team=self.team_id.name),
            Markup().join(
                Markup("<li>%s: %s</li>") % (label, value)
                for label, value in rows
                if value
            ),
        )
        if not is_html_empty(self.note):
            body += Markup("<p><strong>%s</strong></p>%s") % (
                self.env._("Note"),
                self.note,
            )
        if not is_html_empty(ticket.description):
            body += Markup("<p><strong>%s</strong></p><p>%s</p>") % (
                self.env._("Request"),
                html2plaintext(ticket.description)[:2000],
            )
        recipient = ticket.user_id or self.team_id.leader_id
        ticket.message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            partner_ids=recipient.partner_id.ids,
        )
